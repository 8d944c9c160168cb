"""The holding area page (暂存区): an officer sees the footage attributed to them or ingested by
them, the 设备管理员 and the 机关负责人 all of the agency's; an officer links an item to one of
their cases (a ledgered act) and marks 重点文件. Thin: parse, call one service, render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liuhen.accounts.roles import Role
from liuhen.ledger import refusals

from . import selectors, services
from . import vocabulary as v
from .forms import LinkForm
from .models import FootageItem


def sees_all(user) -> bool:
    return user.has_role(Role.DEVICE_ADMIN) or user.has_role(Role.AGENCY_HEAD)


def _item(request, pk) -> FootageItem:
    """Another agency's item, or one the officer may not see, answers 404 like a missing one."""
    item = FootageItem.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    visible = item is not None and item.agency_id == request.user.agency_id and (
        sees_all(request.user) or request.user.pk in (item.officer_id, item.ingested_by_id))
    if not visible:
        if item is not None:
            refusals.record_denied(request, FootageItem.ledger_object_type, item.pk)
        raise Http404
    return item


def _page(request, *, status=200, bound=None):
    user = request.user
    all_ = sees_all(user)
    if not (all_ or user.has_role(Role.OFFICER)):  # the 403 handler records the refusal
        raise PermissionDenied("只有执法人员、设备管理员或机关负责人可以查看暂存区。")
    services.log_view(user)
    items = selectors.with_derived_flags(list(selectors.holding_area(user.agency_id, officer=None if all_ else user)))
    officer = user.has_role(Role.OFFICER)
    sidecars = selectors.sidecars_by_video(items)
    for it in items:
        it.sidecar_list = sidecars.get(it.pk, [])
        it.mine = user.pk in (it.officer_id, it.ingested_by_id)
        if officer:
            it.form = bound if bound is not None and bound.item_pk == it.pk else LinkForm(
                officer=user, prefix=f"i{it.pk}")
    return render(request, "footage/holding.html", {"items": items, "all": all_, "officer": officer}, status=status)


@login_required
def holding(request):
    return _page(request)


@login_required
@require_POST
def link(request, pk):
    item = _item(request, pk)
    form = LinkForm(request.POST, officer=request.user, prefix=f"i{item.pk}")
    form.item_pk = item.pk
    if not form.is_valid():
        refusals.record_refusal(request, v.DENIED, [e for errs in form.errors.values() for e in errs],
                                FootageItem.ledger_object_type, item.pk, form=form)
        return _page(request, status=400, bound=form)
    try:
        services.link(request.user, item, form.cleaned_data["case"], form.cleaned_data["stage"])
    except ValidationError as exc:
        for m in exc.messages:
            form.add_error(None, m)
        codes = {getattr(e, "code", None) for e in exc.error_list}
        return _page(request, status=409 if "already_linked" in codes else 400, bound=form)
    messages.success(request, f"已将“{item.name}”关联到案件 {form.cleaned_data['case'].number}")
    return redirect("footage:holding")


@login_required
@require_POST
def mark(request, pk):
    item = _item(request, pk)
    important = request.POST.get("important") == "1"
    services.mark_important(request.user, item, important)  # PermissionDenied → 403, in the ledger
    messages.success(request, f"已{'标记' if important else '取消标记'}重点文件：{item.name}")
    return redirect("footage:holding")
