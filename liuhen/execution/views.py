"""Execution's pages (执行): the acts of the case page's card — 缴款 with its voucher, 延期/分期申请, the
head's decision — and a voucher opened.

Each POST calls one service. A refused act is in the ledger — the services record their own
(execution.refused), a form refused before any service with record_refusal — and is answered with its
Chinese reason: 403 for no right, 409 for an act the state refuses, 400 for bad input; a case the user
may not see is a 404 like one that does not exist (refusals.record_denied)."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from liuhen.cases import acts
from liuhen.cases.models import Case
from liuhen.media import store

from . import forms
from . import selectors as s
from . import services
from . import vocabulary as v
from .models import DeferralRequest, Payment

CONFLICT_CODES = frozenset({"stage", "pending", "decided", "paid", "not_served", "no_fine", "balance_changed"})


# The shared answers to an act (cases.acts), bound to this app's refusal action and conflict codes.
def _status(exc) -> int:
    return acts.refusal_status(exc, CONFLICT_CODES)


def _act(request, write, **kw):
    return acts.run_act(request, write, conflicts=CONFLICT_CODES, **kw)


def _form_refused(request, form, **kw):
    return acts.form_refused(request, form, v.REFUSED, **kw)


_lines, _error, _one = acts.refusal_lines, acts.error_page, acts.one_in_visible_case


def case_url(case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#execution"


@login_required
@require_POST
def record_payment(request, pk):
    """缴款 (行政处罚法 67-69, 72): the payment and its voucher."""
    case = _one(request, Case.objects, pk, lambda c: c)
    back = case_url(case)
    form = forms.PaymentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_refused(request, form, title="不能登记缴款", back=back, object_type="case", object_id=case.pk)
    d = form.cleaned_data
    upload = d["voucher"] or None
    return _act(request, lambda: services.record_payment(
        request.user, case, amount=d["amount"], paid_on=d["paid_on"], channel=d["channel"], towards=d["towards"],
        voucher=upload, filename=getattr(upload, "name", "")),
        title="不能登记缴款", back=back,
        done=lambda p: f"已登记缴款 {s.yuan(p.amount_fen)} 元（{p.get_towards_display()}）。")


@login_required
@require_POST
def request_deferral(request, pk):
    """延期、分期缴纳申请 (行政处罚法 66)."""
    case = _one(request, Case.objects, pk, lambda c: c)
    back = case_url(case)
    form = forms.DeferralRequestForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, title="不能登记申请", back=back, object_type="case", object_id=case.pk)
    d = form.cleaned_data
    return _act(request, lambda: services.request_deferral(
        request.user, case, kind=d["kind"], reason=d["reason"], new_due_on=d["new_due_on"],
        instalments=d["instalments"]),
        title="不能登记申请", back=back, done=lambda r: f"已登记{r.get_kind_display()}申请，待负责人审批。")


@login_required
@require_POST
def decide_deferral(request, pk):
    """The head's decision on an application (行政处罚法 66)."""
    req = _one(request, DeferralRequest.objects.select_related("case"), pk, lambda r: r.case)
    back = case_url(req.case)
    form = forms.DeferralDecisionForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, title="不能审批", back=back,
                             object_type=DeferralRequest.ledger_object_type, object_id=req.pk)
    d = form.cleaned_data
    return _act(request, lambda: services.decide_deferral(request.user, req, approved=d["approved"],
                                                          opinion=d["opinion"]),
                title="不能审批", back=back,
                done=lambda dec: f"已{'批准' if dec.approved else '不予批准'}{req.get_kind_display()}。")


@login_required
@require_safe
def voucher(request, pk):
    """A payment's voucher, as stored (its opening is in the ledger)."""
    payment = _one(request, Payment.objects.select_related("case"), pk, lambda p: p.case)
    if not store.exists(payment.voucher_id):
        raise Http404("文件不存在")
    services.log_voucher_view(request.user, payment)
    return FileResponse(store.open_blob(payment.voucher_id), as_attachment=True, filename=payment.voucher_name,
                        content_type=payment.voucher_type or "application/octet-stream")
