"""The retention pages (保存与清理), thin: parse, call one service, render.

- `/retention/` 保存期限: the footage the user may see with its class, retention date, hold and
  the reason it is or is not purged; filters by class and state (待清理 / 已移除 / 法律保全);
- `/retention/notices/` 待清理公告: the announced files the user is a custodian of, with their due
  date (the 设备管理员 and the 机关负责人: all of the agency's);
- `/retention/item/<pk>/` and `/retention/case/<pk>/`: one file's or one case's retention, its
  long-term grounds and legal holds, and the forms to register, withdraw, hold, release, restore.

Each refused act is in the ledger (the services' decorator, or record_refusal for a form the user
must correct) and answered with its Chinese reason and a 4xx; what was typed comes back."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from liuhen.cases import access
from liuhen.cases.models import Case
from liuhen.footage import selectors as footage_selectors
from liuhen.footage.models import FootageItem
from liuhen.ledger import refusals

from . import policy, selectors, services
from . import vocabulary as v
from .forms import FilterForm, GroundForm, ReasonForm, RowReasonForm
from .models import GroundKind, LegalHold, LongTermGround, Removal


PAGE_SIZE = 50


def _require_viewer(user):
    if not selectors.may_view(user):
        raise PermissionDenied("您的角色不能查看音像资料的保存期限。")  # the 403 handler records it


@login_required
def index(request):
    """保存期限."""
    user = request.user
    _require_viewer(user)
    form = FilterForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        refusals.record_refusal(request, v.DENIED, [e for errs in form.errors.values() for e in errs], form=form)
        rows, status = [], 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        rows = selectors.listing(user, cls=data.get("cls") or "", state=data.get("state") or "")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    services.log_view(user, "index")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "retention/index.html", {
        "form": form, "rows": page.object_list, "page": page, "total": len(rows), "query": query.urlencode(),
        "all": selectors.sees_all(user), "notice_count": len(selectors.notices_for(user)),
    }, status=status)


@login_required
def notices(request):
    """待清理公告."""
    user = request.user
    _require_viewer(user)
    services.log_view(user, "notices")
    return render(request, "retention/notices.html", {"rows": selectors.notices_for(user),
                                                      "all": selectors.sees_all(user)})


def _may_see_item(user, item) -> bool:
    """Who may see a file may see its retention; so may whoever may hold, decide or restore in its
    agency (the 法制审核人员 holds footage not yet linked to any case) — its facts, not its bytes."""
    if footage_selectors.may_see(user, item):
        return True
    return (not footage_selectors.sees_none(user) and user.agency_id == item.agency_id
            and (services.may_hold(user) or services.may_decide(user) or services.may_restore(user)))


def _item(request, pk) -> FootageItem:
    item = footage_selectors.item_for(pk)
    if item is None or not _may_see_item(request.user, item):
        if item is not None:
            refusals.record_denied(request, FootageItem.ledger_object_type, item.pk)
        raise Http404
    return item


def _case(request, pk) -> Case:
    case = Case.objects.filter(pk=pk).first() if str(pk).isdigit() and len(str(pk)) < 18 else None
    if case is None or not access.can_view(request.user, case):
        if case is not None:
            refusals.record_denied(request, "case", case.pk)
        raise Http404
    return case


def _ground_kinds(user, *, case=None, item=None) -> list[str]:
    kinds = [GroundKind.OBJECTION] if case is not None else [GroundKind.OBSTRUCTION]
    kinds = [k for k in kinds if services.may_register(user, k, case=case, item=item)]
    if services.may_decide(user):
        kinds.append(GroundKind.IMPORTANT)
    return kinds


def _act(request, *, case=None, item=None):
    """Run the posted act; (form with errors, status) when refused, (None, 302) when done."""
    user, act, post = request.user, request.POST.get("act", ""), request.POST
    target = case if case is not None else item
    if act == "ground":
        form = GroundForm(post, kinds=_ground_kinds(user, case=case, item=item), prefix="ground")
    elif act == "hold":
        form = ReasonForm(post, prefix="hold")
    elif act in ("release", "withdraw", "restore"):
        form = RowReasonForm(post, prefix=act)
    else:
        form = ReasonForm(post, prefix="x")
        form.is_valid()
        form.add_error(None, ValidationError("未知的操作。", code="act"))
    form.act = act
    if not form.is_valid():
        refusals.record_refusal(request, v.DENIED, [e for errs in form.errors.values() for e in errs],
                                target.ledger_object_type if item is not None else "case", target.pk, form=form)
        return form, 400
    d = form.cleaned_data
    try:
        if act == "ground":
            services.add_ground(user, kind=d["kind"], reason=d["reason"], case=case, item=item)
            done = "已登记长期保存依据。"
        elif act == "hold":
            services.place_hold(user, reason=d["reason"], case=case, item=item)
            done = "已决定法律保全：保全期间不得清理。"
        elif act == "release":
            hold = LegalHold.objects.filter(pk=d["row"], case=case, item=item).first()
            if hold is None:
                raise ValidationError("该法律保全不存在。", code="row")
            services.release_hold(user, hold, d["reason"])
            done = "已解除法律保全。"
        elif act == "withdraw":
            ground = LongTermGround.objects.filter(pk=d["row"], case=case, item=item).first()
            if ground is None:
                raise ValidationError("该长期保存依据不存在。", code="row")
            services.withdraw_ground(user, ground, d["reason"])
            done = "已撤销长期保存依据。"
        else:  # restore
            removal = Removal.objects.filter(pk=d["row"], item=item).first() if item is not None else None
            if removal is None:
                raise ValidationError("该移除记录不存在。", code="row")
            services.restore(user, removal, d["reason"])
            done = "已恢复：该音像资料可以再次播放。"
    except PermissionDenied as exc:  # recorded by the service
        form.add_error(None, str(exc) or "无权进行该操作。")
        return form, 403
    except ValidationError as exc:  # recorded by the service (or a row that is not there)
        if any(getattr(e, "code", "") == "row" for e in exc.error_list):
            refusals.record_refusal(request, v.DENIED, exc.messages, "case" if item is None else
                                    FootageItem.ledger_object_type, target.pk, errors=[exc])
        for m in exc.messages:
            form.add_error(None, m)
        codes = {getattr(e, "code", "") for e in exc.error_list}
        return form, 409 if codes & {"already", "already_held", "already_released", "already_withdrawn",
                                     "already_restored", "purged", "recovery_over"} else 400
    messages.success(request, done)
    return None, 302


def _forms(user, bound, *, case=None, item=None) -> dict:
    """The page's forms, the bound one (with its errors and what was typed) in its place."""
    forms = {"ground": GroundForm(kinds=_ground_kinds(user, case=case, item=item), prefix="ground"),
             "hold": ReasonForm(prefix="hold")}
    out = {"ground_form": forms["ground"], "hold_form": forms["hold"], "bound": bound}
    if bound is not None and bound.act in forms:
        out[f"{bound.act}_form"] = bound
    return out


def _context(user, *, case=None, item=None) -> dict:
    from liuhen.accounts.roles import Role

    from . import conf

    rules = conf.for_user(user)  # the user's agency's profile, read once for the page
    return {
        "grounds": selectors.grounds_of(case=case, item=item), "holds": selectors.holds_of(case=case, item=item),
        "history": selectors.history(case=case, item=item),
        "may_hold": services.has_any_role(user, rules.hold_roles),
        "may_decide": services.has_any_role(user, rules.decide_roles),
        "may_restore": services.has_any_role(user, rules.restore_roles),
        "hold_names": "或".join(Role(r).label for r in rules.hold_roles if r in Role.values),
        "ground_kinds": _ground_kinds(user, case=case, item=item),
    }


@login_required
def item_page(request, pk):
    """One file's retention: class, date, grounds, holds, removal; the forms."""
    item = _item(request, pk)
    if item.video_id is not None:  # a sidecar follows its video
        return redirect("retention:item", item.video_id)
    user = request.user
    bound, status = None, 200
    if request.method == "POST":
        bound, status = _act(request, item=item)
        if bound is None:
            return redirect("retention:item", item.pk)
    else:
        services.log_view(user, "item", FootageItem.ledger_object_type, item.pk)
    vd = policy.verdict(item, timezone.now())
    ctx = {"item": item, "vd": vd, "removal": selectors.removal_in_force(item),
           "cases": [lk.case for lk in footage_selectors.links_of(item) if lk.unlink_row is None],
           **_context(user, item=item), **_forms(user, bound, item=item)}
    return render(request, "retention/item.html", ctx, status=status)


@login_required
def case_page(request, pk):
    """One case's retention: its grounds (一)(三) and holds, and its footage with their verdicts."""
    case = _case(request, pk)
    user = request.user
    bound, status = None, 200
    if request.method == "POST":
        bound, status = _act(request, case=case)
        if bound is None:
            return redirect("retention:case", case.pk)
    else:
        services.log_view(user, "case", "case", case.pk)
    links = footage_selectors.case_footage(case)
    items = [lk.item for lk in links]
    for it, vd in zip(items, policy.verdicts(items, timezone.now())):
        it.vd = vd
    ctx = {"case": case, "items": items, "back": reverse("cases:detail", args=[case.pk]),
           **_context(user, case=case), **_forms(user, bound, case=case)}
    return render(request, "retention/case.html", ctx, status=status)
