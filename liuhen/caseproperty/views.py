"""Caseproperty's pages (涉案财物): the acts of the case page's card — 登记财物, 移交保管, 申请处理, the
head's 审批, 登记处理结果 — an item's photo and a handling's proof opened, and /property/, the agency's
涉案财物台账 of the cases the user may see.

Each POST calls one service. A refused act is in the ledger — the services record their own
(caseproperty.refused), a form refused before any service with record_refusal — and is answered with its
Chinese reason: 403 for no right, 409 for an act the state refuses, 400 for bad input; a case the user
may not see is a 404 like one that does not exist (refusals.record_denied)."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from liuhen.cases import acts
from liuhen.cases.models import Case
from liuhen.ledger import refusals
from liuhen.media import store

from . import forms
from . import selectors as s
from . import services
from . import vocabulary as v
from .models import Handling, HandlingRequest, Item

CONFLICT_CODES = frozenset({"stage", "handled", "open", "decided", "not_approved", "refused", "no_decision"})


# The shared answers to an act (cases.acts), bound to this app's refusal action and conflict codes.
def _act(request, write, **kw):
    return acts.run_act(request, write, conflicts=CONFLICT_CODES, **kw)


def _form_refused(request, form, **kw):
    return acts.form_refused(request, form, v.REFUSED, **kw)


_one = acts.one_in_visible_case


def case_url(case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#caseproperty"


@login_required
@require_POST
def register(request, pk):
    """登记财物 (行政强制法 24): the item, its source record, photo and first custody."""
    case = _one(request, Case.objects, pk, lambda c: c)
    back = case_url(case)
    form = forms.ItemForm(request.POST, request.FILES, prefix="item")
    if not form.is_valid():
        return _form_refused(request, form, title="不能登记财物", back=back, object_type="case", object_id=case.pk)
    d = form.cleaned_data
    return _act(request, lambda: services.register_item(
        request.user, case, name=d["name"], specification=d["specification"], quantity=d["quantity"], unit=d["unit"],
        source=d["source"], source_record=d["source_record"], value=d["value"], photo=d["photo"] or None, place=d["place"],
        custodian=d["custodian"]),
        title="不能登记财物", back=back, done=lambda i: f"已登记财物：{i.name}。")


@login_required
@require_POST
def custody(request, pk):
    """移交保管 (行政强制法 26)."""
    item = _one(request, Item.objects.select_related("case"), pk, lambda i: i.case)
    back = case_url(item.case)
    form = forms.CustodyForm(request.POST, prefix=f"c{item.pk}")
    if not form.is_valid():
        return _form_refused(request, form, title="不能登记保管", back=back, object_type=Item.ledger_object_type,
                             object_id=item.pk)
    d = form.cleaned_data
    return _act(request, lambda: services.move_custody(request.user, item, place=d["place"], custodian=d["custodian"],
                                                       from_at=d["from_at"]),
                title="不能登记保管", back=back, done=lambda c: f"{item.name}已移交 {c.place}，由{c.custodian}保管。")


@login_required
@require_POST
def request_handling(request, pk):
    """申请处理 (行政强制法 27-28)."""
    case = _one(request, Case.objects, pk, lambda c: c)
    back = case_url(case)
    form = forms.RequestForm(request.POST, prefix="req")
    if not form.is_valid():
        return _form_refused(request, form, title="不能申请处理", back=back, object_type="case", object_id=case.pk)
    d = form.cleaned_data
    return _act(request, lambda: services.request_handling(request.user, case, item_ids=d["items"], kind=d["kind"],
                                                           reason=d["reason"]),
                title="不能申请处理", back=back, done=lambda r: f"已申请{r.kind}，待审批。")


@login_required
@require_POST
def decide(request, pk):
    """审批 a handling (LQ 13)."""
    req = _one(request, HandlingRequest.objects.select_related("case"), pk, lambda r: r.case)
    back = case_url(req.case)
    form = forms.DecisionForm(request.POST, prefix=f"d{req.pk}")
    if not form.is_valid():
        return _form_refused(request, form, title="不能审批", back=back,
                             object_type=HandlingRequest.ledger_object_type, object_id=req.pk)
    d = form.cleaned_data
    return _act(request, lambda: services.decide_handling(request.user, req, approved=d["approved"],
                                                          opinion=d["opinion"]),
                title="不能审批", back=back,
                done=lambda a: f"已{'批准' if a.approved else '不予批准'}{req.kind}。")


@login_required
@require_POST
def handle(request, pk):
    """登记处理结果: the day, the proof, the 罚没物品处理记录 opened."""
    req = _one(request, HandlingRequest.objects.select_related("case"), pk, lambda r: r.case)
    back = case_url(req.case)
    form = forms.HandlingForm(request.POST, request.FILES, prefix=f"h{req.pk}")
    if not form.is_valid():
        return _form_refused(request, form, title="不能登记处理结果", back=back,
                             object_type=HandlingRequest.ledger_object_type, object_id=req.pk)
    d = form.cleaned_data
    upload = d["voucher"] or None
    return _act(request, lambda: services.record_handling(
        request.user, req, done_on=d["done_on"], voucher=upload, filename=getattr(upload, "name", ""),
        recipient=d["recipient"], relation=d["relation"], proceeds=d["proceeds"]),
        title="不能登记处理结果", back=back,
        done=lambda h: f"已登记{req.kind}结果" + ("，请两名执法人员在罚没物品处理记录上签字。" if h.record_id else "。"))


def _file(sha256, name, content_type):
    if not store.exists(sha256):
        raise Http404("文件不存在")
    return FileResponse(store.open_blob(sha256), as_attachment=False, filename=name,
                        content_type=content_type or "application/octet-stream")


@login_required
@require_safe
def photo(request, pk):
    """An item's photo, as stored (its opening is in the ledger)."""
    item = _one(request, Item.objects.select_related("case").filter(photo__isnull=False), pk, lambda i: i.case)
    services.log_view(request.user, Item.ledger_object_type, item.pk, case=item.case_id, blobs=[item.photo_id])
    ext = "png" if item.photo_type == "image/png" else "jpg"
    return _file(item.photo_id, f"财物照片-{item.pk}.{ext}", item.photo_type)


@login_required
@require_safe
def voucher(request, pk):
    """A handling's proof, as stored (its opening is in the ledger)."""
    h = _one(request, Handling.objects.select_related("request__case"), pk, lambda h: h.request.case)
    services.log_view(request.user, Handling.ledger_object_type, h.pk, case=h.request.case_id, blobs=[h.voucher_id])
    return _file(h.voucher_id, h.voucher_name, h.voucher_type)


@login_required
@require_safe
def index(request):
    """涉案财物台账: the items of the cases the user may see, by state and source."""
    form = forms.FilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        refusals.record_refusal(request, v.REFUSED, [e for errs in form.errors.values() for e in errs], form=form)
        return render(request, "caseproperty/index.html", {"form": form, "rows": []}, status=400)
    d = form.cleaned_data if form.is_bound else {}
    state, source = d.get("state", ""), d.get("source", "")
    rows = s.listing(request.user, state=state, source=source)
    services.log_view(request.user, "agency", request.user.agency_id or "", page="index",
                      filters={k: x for k, x in (("state", state), ("source", source)) if x})
    return render(request, "caseproperty/index.html", {"form": form, "rows": rows, "limit": s.LIST_LIMIT})
