"""The 设备管理员's pages: the registry with who holds each device now, a device's history, and the
forms to add, change, sign out (领用) and return (归还). Thin: parse, call one service, render.
Anyone else is refused (403, in the ledger); every refused form is a 4xx page with what was typed."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from liuhen.ledger import refusals

from . import selectors, services
from . import vocabulary as v
from .forms import ChangeDeviceForm, CheckForm, DeviceForm, SignOutForm
from .models import Device


def device_admin_only(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not services.is_device_admin(request.user):
            raise PermissionDenied("只有设备管理员可以管理音像记录设备。")
        return view(request, *args, **kwargs)
    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def _device(request, pk) -> Device:
    """Another agency's device answers 404 like one that does not exist (ids cannot be enumerated)."""
    device = Device.objects.select_related("unit", "custodian").filter(pk=pk).first() if str(pk).isdigit() else None
    if device is None or device.agency_id != request.user.agency_id:
        if device is not None:
            refusals.record_denied(request, Device.ledger_object_type, device.pk)
        raise Http404
    return device


def _form_page(request, template, form, context, *, service):
    """POST: validate, run the service; a refusal comes back as the form with its errors, 400 (409
    for a device already out), recorded in the ledger by the service (devices.denied) or, for a
    form error, here (devices.refused)."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                return service(form.cleaned_data)
            except ValidationError as exc:
                for m in exc.messages:
                    form.add_error(None, m)
                codes = {getattr(e, "code", None) for e in exc.error_list}
                status = 409 if codes & {"already_out", "not_out", "signed_out"} else 400
        else:
            status = 400
            refusals.record_refusal(request, v.REFUSED, [e for errs in form.errors.values() for e in errs],
                                    *((Device.ledger_object_type, context["device"].pk) if context.get("device")
                                      else ()), status=status, form=form)
    return render(request, template, {"form": form, **context}, status=status)


@device_admin_only
def device_list(request):
    services.log_view(request.user)
    devices = selectors.devices_of(request.user.agency_id)
    return render(request, "devices/list.html", {
        "devices": devices, "out": sum(1 for d in devices if d.holder_signout)})


@device_admin_only
def device_add(request):
    form = DeviceForm(request.POST or None, agency_id=request.user.agency_id)

    def add(d):
        device = services.add_device(request.user, agency=request.user.agency, number=d["number"],
                                     model_name=d["model_name"], kind=d["kind"], unit=d["unit"],
                                     custodian=d["custodian"])
        messages.success(request, f"已登记设备 {device.number}")
        return redirect("devices:detail", pk=device.pk)
    return _form_page(request, "devices/form.html", form, {"title": "登记设备", "submit": "登记"}, service=add)


@device_admin_only
def device_detail(request, pk):
    device = _device(request, pk)
    services.log_view(request.user, device)  # who held it when: the read is traced
    history = selectors.history(device)
    holding = next((s for s in history if s.return_row is None), None)
    return render(request, "devices/detail.html", {"device": device, "history": history, "holding": holding})


@device_admin_only
def device_change(request, pk):
    device = _device(request, pk)
    initial = {"model_name": device.model_name, "kind": device.kind, "unit": device.unit,
               "custodian": device.custodian, "status": device.status}
    form = ChangeDeviceForm(request.POST or None, initial=initial, agency_id=request.user.agency_id)

    def change(d):
        services.change_device(request.user, device, model_name=d["model_name"], kind=d["kind"], unit=d["unit"],
                               custodian=d["custodian"], status=d["status"])
        messages.success(request, f"已修改设备 {device.number}")
        return redirect("devices:detail", pk=device.pk)
    return _form_page(request, "devices/form.html", form,
                      {"title": f"修改设备 {device.number}", "submit": "保存", "device": device}, service=change)


def _checked(request, row, what):
    text = f"{what}：{row.signout.device.number if hasattr(row, 'signout') else row.device.number}"
    if row.clock_flag == "drift":
        messages.warning(request, f"{text}。设备时间误差 {row.clock_drift_seconds:+.1f} 秒，超过允许的 "
                                  f"{row.drift_limit_ms / 1000:g} 秒，已标记；请校准设备时钟。")
    elif row.clock_flag == "never_set":
        messages.warning(request, f"{text}。设备时钟未设置，已标记；请校准后再用。")
    else:
        messages.success(request, text)


@device_admin_only
def device_signout(request, pk):
    device = _device(request, pk)
    form = SignOutForm(request.POST or None, agency_id=request.user.agency_id)

    def sign_out(d):
        row = services.sign_out(request.user, device, d["officer"], battery_percent=d["battery_percent"],
                                storage_free_gb=d["storage_free_gb"], device_time=d["device_time"])
        _checked(request, row, f"已领用（{row.officer.display_name}）")
        return redirect("devices:detail", pk=device.pk)
    return _form_page(request, "devices/form.html", form,
                      {"title": f"领用 {device.number}", "submit": "登记领用", "device": device,
                       "holder": selectors.current_holder(device)}, service=sign_out)


@device_admin_only
def device_return(request, pk):
    device = _device(request, pk)
    form = CheckForm(request.POST or None)

    def give_back(d):
        row = services.return_device(request.user, device, battery_percent=d["battery_percent"],
                                     storage_free_gb=d["storage_free_gb"], device_time=d["device_time"])
        _checked(request, row, "已归还")
        return redirect("devices:detail", pk=device.pk)
    return _form_page(request, "devices/form.html", form,
                      {"title": f"归还 {device.number}", "submit": "登记归还", "device": device,
                       "holder": selectors.current_holder(device)}, service=give_back)
