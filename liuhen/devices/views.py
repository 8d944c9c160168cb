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
from . import life
from .forms import (ChangeDeviceForm, CheckForm, DeviceForm, FaultForm, LifeCheckForm, RepairBackForm, RepairOutForm,
                    ScrapForm, SignOutForm)
from .models import Device, LifeKind, Status


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


# Refusals that are about the device's state now, not the input: 409.
CONFLICTS = {"already_out", "not_out", "signed_out", "status", "scrapped", "in_repair", "not_in_repair", "fault_outstanding"}


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
                status = 409 if codes & CONFLICTS else 400
        else:
            status = 400
            refusals.record_refusal(request, v.REFUSED, [e for errs in form.errors.values() for e in errs],
                                    *((Device.ledger_object_type, context["device"].pk) if context.get("device")
                                      else ()), status=status, form=form)
    return render(request, template, {"form": form, **context}, status=status)


@device_admin_only
def device_list(request):
    """The registry: who holds each device, its status, its periodic check (overdue: LW-D 4), and —
    when the agency sets one — the equipment ratio per unit."""
    services.log_view(request.user)
    agency_id = request.user.agency_id
    devices = selectors.devices_of(agency_id)
    ratio = life.equipment_ratio(agency_id)  # the agency's profile (devices:)
    return render(request, "devices/list.html", {
        "devices": devices, "out": sum(1 for d in devices if d.holder_signout),
        "overdue": sum(1 for d in devices if d.check_overdue), "every": life.check_every_days(agency_id),
        "ratio": ratio, "equipment": selectors.equipment_by_unit(agency_id, ratio) if ratio else None})


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


def _life_acts(device, holding) -> dict:
    """Which life events the device's state allows now (the services check again)."""
    sent = life.open_repair(device)
    fault = life.outstanding_fault(device)
    live = device.status != Status.SCRAPPED
    return {"check": live and sent is None and device.status != Status.REPAIR and holding is None,
            "fault": live and device.status != Status.REPAIR and fault is None,
            "repair_out": live and sent is None and holding is None,
            "repair_back": live and sent is not None,
            "scrap": live and sent is None and holding is None,
            "fault_row": fault, "sent": sent}


@device_admin_only
def device_detail(request, pk):
    """设备履历: the device's whole history on one page, in time order, and the forms of its life."""
    device = _device(request, pk)
    services.log_view(request.user, device)  # who held it when: the read is traced
    holding = services.current_signout(device)
    selectors.set_check_due(device, selectors.last_check_of(device))
    acts = _life_acts(device, holding)
    return render(request, "devices/detail.html", {
        "device": device, "timeline": selectors.device_history(device), "holding": holding, "acts": acts,
        "forms": {"check": LifeCheckForm(prefix="check"), "fault": FaultForm(prefix="fault"),
                  "repair_out": RepairOutForm(prefix="repair_out"), "repair_back": RepairBackForm(prefix="repair_back"),
                  "scrap": ScrapForm(prefix="scrap")}})


@device_admin_only
def device_change(request, pk):
    device = _device(request, pk)
    initial = {"model_name": device.model_name, "kind": device.kind, "unit": device.unit,
               "custodian": device.custodian}
    form = ChangeDeviceForm(request.POST or None, initial=initial, agency_id=request.user.agency_id)

    def change(d):
        services.change_device(request.user, device, model_name=d["model_name"], kind=d["kind"], unit=d["unit"],
                               custodian=d["custodian"])
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


# ---- the device's life: 检查保养、故障、送修、修复返回、报废 (LW-D 4, LW-D 8, LQ 24, LQ 26) -------------

LIFE_FORMS = {LifeKind.CHECK: (LifeCheckForm, "登记定期检查保养"), LifeKind.FAULT: (FaultForm, "报告故障"),
              LifeKind.REPAIR_OUT: (RepairOutForm, "登记送修"), LifeKind.REPAIR_BACK: (RepairBackForm, "登记修复返回"),
              LifeKind.SCRAP: (ScrapForm, "登记报废")}


def _life_service(request, device, kind):
    def run(d):
        user = request.user
        if kind == LifeKind.CHECK:
            ev = life.record_check(user, device, result=d["result"], done_on=d["done_on"],
                                   battery_health_percent=d["battery_health_percent"],
                                   storage_free_gb=d["storage_free_gb"], device_time=d["device_time"], note=d["note"])
        elif kind == LifeKind.FAULT:
            ev = life.report_fault(user, device, note=d["note"])
        elif kind == LifeKind.REPAIR_OUT:
            ev = life.send_to_repair(user, device, supplier=d["supplier"], note=d["note"], done_on=d["done_on"])
        elif kind == LifeKind.REPAIR_BACK:
            ev = life.repair_back(user, device, result=d["result"], work_done=d["work_done"], supplier=d["supplier"],
                                  done_on=d["done_on"])
        else:
            ev = life.scrap(user, device, reason=d["reason"], done_on=d["done_on"])
        messages.success(request, f"已登记{ev.get_kind_display()}：{device.number}，状态为{Status(ev.status_after).label}")
        if not services.is_device_admin(user):
            return redirect("devices:mine")
        return redirect("devices:detail", pk=device.pk)
    return run


@login_required
def device_life(request, pk, kind):
    """One life event's form (also inline on the device page, which posts here). A fault may be
    reported by the officer holding the device (LW-D 8: 立即报告); everything else by the 设备管理员."""
    if kind not in LIFE_FORMS:
        raise Http404
    may = services.is_device_admin(request.user)
    if not may and kind != LifeKind.FAULT:
        raise PermissionDenied("只有设备管理员可以管理音像记录设备。")
    device = _device(request, pk)
    if not may:
        held = services.current_signout(device)
        if held is None or held.officer_id != request.user.pk:
            raise PermissionDenied("只有设备管理员或该设备的当前领用人可以报告设备故障。")
    form_class, title = LIFE_FORMS[kind]
    form = form_class(request.POST or None, prefix=kind)
    return _form_page(request, "devices/form.html", form,
                      {"title": f"{title} {device.number}", "submit": title, "device": device,
                       "holder": selectors.current_holder(device), "back": not may},
                      service=_life_service(request, device, kind))


@login_required
def my_devices(request):
    """我领用的设备: an officer's devices signed out to them now, each with 报告故障 (LW-D 8)."""
    from liuhen.accounts.roles import Role

    if not request.user.has_role(Role.OFFICER):
        raise PermissionDenied("只有执法人员领用设备。")
    services.log_view(request.user)
    outs = [s for s in selectors.signouts_of(request.user) if not hasattr(s, "returned")]
    return render(request, "devices/mine.html", {"outs": outs})
