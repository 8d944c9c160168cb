"""The legal review's pages (重大执法决定法制审核): the acts of the case page's part (认定, 送审, 补充材料,
不同意见, 集体讨论后的决定), the reviewer's page of one submission (补充材料通知, 延长期限, the review
point by point; the head's extension decision), 待审核 with the reviewer's history, the statistics by
unit, and the system administrator's register of 法律职业资格.

Each POST calls one service. A refused act is in the ledger — the services record their own
(legalreview.refused), a form refused before any service with record_refusal — and is answered with
its Chinese reason: 403 for no right, 409 for an act the review's state refuses, 400 for bad input;
an object the user may not see is a 404 like one that does not exist (refusals.record_denied)."""
import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from liuhen.accounts.roles import Role
from liuhen.cases import access, acts
from liuhen.cases.models import Case
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.profiles import selectors as profiles
from liuhen.records.models import Record
from liuhen.records.selectors import involved, involved_cases

from . import forms, parts
from . import selectors as s
from . import services
from . import vocabulary as v
from .bulk import review_facts
from .clock import OVERDUE, PAUSED, clock_from
from .models import (
    Disagreement, ExtensionRequest, MaterialRequest, Outcome, Qualification, Review, Submission,
)

# 待审核 and the statistics: the reviewers, the heads who approve and decide, the supervisors.
LIST_ROLES = (Role.LEGAL_REVIEWER, Role.AGENCY_HEAD, Role.UNIT_HEAD, Role.SUPERVISOR)
# Refusals that say the review is not in a state for the act (409), not that the input is wrong (400).
CONFLICT_CODES = frozenset({"pending", "passed", "disagreement_pending", "reviewed", "stale", "request_open",
                            "answered", "extension_pending", "second_extension", "decided", "already", "agreed",
                            "stage", "not_major", "incomplete", "no_extension"})


# The shared answers to an act (cases.acts), bound to this app's refusal action and conflict codes.
def _status(exc) -> int:
    return acts.refusal_status(exc, CONFLICT_CODES)


def _act(request, write, **kw):
    return acts.run_act(request, write, conflicts=CONFLICT_CODES, **kw)


def _form_refused(request, form, **kw):
    return acts.form_refused(request, form, v.REFUSED, **kw)


_lines, _error, _one = acts.refusal_lines, acts.error_page, acts.one_in_visible_case


def may_list(user) -> bool:
    return user.is_authenticated and user.agency_id is not None and user.has_role(*LIST_ROLES)


def _case(request, pk) -> Case:
    case = Case.objects.filter(pk=pk).first()
    if case is None:
        raise Http404
    return acts.visible_case(request, case)


def case_url(case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#legal-review"


def submission_url(sub) -> str:
    return reverse("legalreview:submission", args=[sub.pk])


# ---- the case page's acts ---------------------------------------------------------------------------

@login_required
@require_POST
def assess(request, pk):
    """重大执法决定认定 (LW-L 7)."""
    case = _case(request, pk)
    back = case_url(case)
    form = forms.AssessForm(request.POST, judgement=s.propose(case).judgement)
    if not form.is_valid():
        return _form_refused(request, form, title="不能认定", back=back, object_type="case", object_id=case.pk)
    d = form.cleaned_data
    return _act(request, lambda: services.assess(request.user, case, major=d["major"], judged=d["judged"],
                                                 reason=d["reason"]),
                title="不能认定", back=back,
                done=lambda a: "已认定：" + ("属于" if a.major else "不属于") + "重大执法决定。")


@login_required
@require_POST
def submit(request, pk):
    """送审 (LW-L 11-12)."""
    case = _case(request, pk)
    back = case_url(case)
    form = forms.SubmitForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, title="不能送审", back=back, object_type="case", object_id=case.pk)
    return _act(request, lambda: services.submit(request.user, case, note=form.cleaned_data["note"]),
                title="不能送审", back=back, done=lambda sub: "已送法制审核，审核期限自今日起计算。")


@login_required
@require_POST
def answer(request, pk):
    """补充材料 (LW-L 11): the handlers' answer to a request."""
    req = _one(request, MaterialRequest.objects, pk, lambda r: r.submission.case)
    back = case_url(req.submission.case)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, title="不能补充材料", back=back,
                             object_type=MaterialRequest.ledger_object_type, object_id=req.pk)
    return _act(request, lambda: services.answer_request(request.user, req, note=form.cleaned_data["note"]),
                title="不能补充材料", back=back, done=lambda _a: "已补充材料，法制审核继续。")


@login_required
@require_POST
def disagree(request, pk):
    """承办机构的不同意见 (LW-L 17)."""
    review = _one(request, Review.objects, pk, lambda r: r.submission.case)
    back = case_url(review.submission.case)
    form = forms.DisagreeForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, title="不能提出不同意见", back=back,
                             object_type=Review.ledger_object_type, object_id=review.pk)
    return _act(request, lambda: services.disagree(request.user, review, opinion=form.cleaned_data["opinion"]),
                title="不能提出不同意见", back=back, done=lambda _d: "已提出不同意见，待机关负责人集体讨论后决定。")


@login_required
@require_POST
def rule(request, pk):
    """The head's decision on a disagreement after the collective discussion (LW-L 17)."""
    dis = _one(request, Disagreement.objects, pk, lambda d: d.review.submission.case)
    case = dis.review.submission.case
    back = case_url(case)
    form = forms.RulingForm(request.POST, discussions=parts.discussions_for(case, dis))
    if not form.is_valid():
        return _form_refused(request, form, title="不能作出决定", back=back,
                             object_type=Disagreement.ledger_object_type, object_id=dis.pk)
    d = form.cleaned_data
    discussion = Record.objects.get(pk=d["discussion"])
    return _act(request, lambda: services.rule(request.user, dis, discussion=discussion, conclusion=d["conclusion"],
                                               opinion=d["opinion"]),
                title="不能作出决定", back=back, done=lambda r: f"已作出决定：{r.get_conclusion_display()}。")


# ---- the reviewer's page ----------------------------------------------------------------------------

def _as_reviewer(user, case) -> bool:
    return user.has_role(Role.LEGAL_REVIEWER) and not involved(user, case)


def _may_decide_extension(user, case) -> bool:
    spec = profiles.profile_for_case(case).legal_review
    return user.has_role(*spec.extension_roles) and not involved(user, case)


def _submission_page(request, sub, *, review_form=None, status=200):
    user, case = request.user, sub.case
    ctx = parts.review_view(sub)
    open_sub = ctx["review"] is None and s.current_submission(case) == sub
    open_req = s.open_request(sub) if open_sub else None
    deadline = profiles.profile_for_case(case).deadline(profiles.profile_for_case(case).legal_review.deadline)
    reviewer = open_sub and _as_reviewer(user, case)
    pending = s.pending_extension(sub) if open_sub else None
    ctx.update({
        "case": case, "package": sub.package, "status": s.status(case), "reviewer": reviewer,
        "open_request": open_req, "current": s.current_submission(case) == sub,
        "request_form": forms.MaterialRequestForm(initial={
            "days": profiles.profile_for_case(case).legal_review.materials_days}) if reviewer and not open_req else None,
        "extension_form": (forms.ExtensionForm() if reviewer and deadline is not None and deadline.extension
                           and s.approved_extension(sub) is None and pending is None else None),
        "review_form": (review_form or forms.ReviewForm()) if reviewer and not open_req else None,
        "pending_extension": pending,
        "decision_form": forms.ExtensionDecisionForm() if pending and _may_decide_extension(user, case) else None,
        "qualification": s.qualified(user) if reviewer else None,
    })
    return render(request, "legalreview/submission.html", ctx, status=status)


@login_required
@require_safe
def submission(request, pk):
    """The reviewer's page of one submission: the case, the package as submitted, the clock, the forms."""
    sub = _one(request, Submission.objects.select_related("case", "submitted_by", "record"), pk, lambda x: x.case)
    services.log_view(request.user, sub.case)
    return _submission_page(request, sub)


def _sub_for_post(request, pk):
    return _one(request, Submission.objects.select_related("case"), pk, lambda x: x.case)


@login_required
@require_POST
def request_materials(request, pk):
    """要求补充材料 (LW-L 12)."""
    sub = _sub_for_post(request, pk)
    form = forms.MaterialRequestForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, title="不能要求补充材料", back=submission_url(sub),
                             object_type=Submission.ledger_object_type, object_id=sub.pk)
    d = form.cleaned_data
    return _act(request, lambda: services.request_materials(request.user, sub, what=d["what"], days=d["days"]),
                title="不能要求补充材料", back=submission_url(sub),
                done=lambda r: f"已通知承办人员在 {r.due_on:%Y-%m-%d} 前补充材料。")


@login_required
@require_POST
def request_extension(request, pk):
    """申请延长审核期限 (LW-L 16)."""
    sub = _sub_for_post(request, pk)
    form = forms.ExtensionForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, title="不能申请延长", back=submission_url(sub),
                             object_type=Submission.ledger_object_type, object_id=sub.pk)
    return _act(request, lambda: services.request_extension(request.user, sub, reason=form.cleaned_data["reason"]),
                title="不能申请延长", back=submission_url(sub), done=lambda _r: "已申请延长审核期限，待负责人审批。")


@login_required
@require_POST
def decide_extension(request, pk):
    """The head's decision on an extension request (LW-L 16)."""
    req = _one(request, ExtensionRequest.objects.select_related("submission__case"), pk,
               lambda r: r.submission.case)
    back = submission_url(req.submission)
    form = forms.ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, title="不能审批", back=back,
                             object_type=ExtensionRequest.ledger_object_type, object_id=req.pk)
    d = form.cleaned_data
    return _act(request, lambda: services.decide_extension(request.user, req, approved=d["approved"],
                                                           opinion=d["opinion"]),
                title="不能审批", back=back, done=lambda dec: "已批准延长审核期限。" if dec.approved else "已不予批准延长。")


@login_required
@require_POST
def review(request, pk):
    """审核 (LW-L 13, 15): the points, the outcome, the opinion; refused, the page again with the input."""
    sub = _sub_for_post(request, pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        lines = [e for errs in form.errors.values() for e in errs]
        refusals.record_refusal(request, v.REFUSED, lines, Submission.ledger_object_type, sub.pk, form=form)
        return _submission_page(request, sub, review_form=form, status=400)
    d = form.cleaned_data
    try:
        row = services.review(request.user, sub, points=form.points(), outcome=d["outcome"], opinion=d["opinion"])
    except PermissionDenied as exc:
        return _error(request, "不能出具审核意见", _lines(exc), submission_url(sub), 403)
    except ValidationError as exc:  # the service recorded it
        for line in _lines(exc):
            form.add_error(None, line)
        return _submission_page(request, sub, review_form=form, status=_status(exc))
    messages.success(request, f"已出具法制审核意见：{row.outcome}。")
    return redirect(submission_url(sub))


# ---- 待审核, statistics, qualifications ---------------------------------------------------------------

def _require_list(user):
    if not may_list(user):  # the 403 handler records it
        raise PermissionDenied("只有法制审核人员、机关负责人、承办机构负责人和监督人员可以查看法制审核。")


def _awaiting(user, visible) -> list[dict]:
    """The current submissions not yet reviewed, each with its clock, by due date (none last): the
    clocks from the submissions read in bulk (bulk.review_facts), a few queries for any number."""
    rows = []
    latest = (Submission.objects.filter(case__in=visible).values("case_id").annotate(last=Max("id"))
              .values_list("last", flat=True))
    subs = (Submission.objects.filter(id__in=list(latest), review__isnull=True)
            .select_related("case", "case__unit", "submitted_by").order_by("id"))
    facts = review_facts((), submission_ids=[sub.pk for sub in subs])
    own = involved_cases(user, [sub.case_id for sub in subs])
    for sub in subs:
        rf = facts[sub.case_id]
        clock = clock_from(rf, profiles.profile_for_case(sub.case))
        rows.append({"sub": sub, "clock": clock, "waiting": any(answered is None for _, answered in rf.requests),
                     "overdue": clock is not None and clock.status == OVERDUE,
                     "paused": clock is not None and clock.status == PAUSED,
                     "own": sub.case_id in own})
    far = datetime.datetime.max.replace(tzinfo=datetime.timezone.utc)
    rows.sort(key=lambda r: (r["clock"].due_at if r["clock"] and r["clock"].due_at else far, r["sub"].pk))
    return rows


@login_required
@require_safe
def index(request):
    """待审核: submissions awaiting review with their clocks; for heads, extension requests and
    disagreements awaiting them; for a reviewer, 我的审核记录."""
    user = request.user
    _require_list(user)
    visible = access.visible_cases(user)
    extensions = [r for r in ExtensionRequest.objects.filter(
        decision__isnull=True, submission__review__isnull=True, submission__case__in=visible)
        .select_related("submission__case", "requested_by").order_by("id")
        if _may_decide_extension(user, r.submission.case)]
    rulings = [d for d in Disagreement.objects.filter(ruling__isnull=True, review__submission__case__in=visible)
               .select_related("review__submission__case", "raised_by").order_by("id")
               if parts.may_rule(user, d.review.submission.case)]
    mine = (Review.objects.filter(reviewer=user).select_related("submission__case").order_by("-reviewed_at")[:100]
            if user.has_role(Role.LEGAL_REVIEWER) else [])
    ledger.append(v.VIEW, actor=user, object_type="agency", object_id=user.agency_id, detail={"page": "index"})
    return render(request, "legalreview/index.html", {
        "awaiting": _awaiting(user, visible), "extensions": extensions, "rulings": rulings, "mine": mine,
        "is_reviewer": user.has_role(Role.LEGAL_REVIEWER)})


@login_required
@require_safe
def stats(request):
    """统计: the reviews of a year by the handling unit and outcome (a unit head sees their unit)."""
    user = request.user
    _require_list(user)
    form = forms.StatsForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        refusals.record_refusal(request, v.REFUSED, [e for errs in form.errors.values() for e in errs], form=form)
        return render(request, "legalreview/stats.html", {"form": form, "rows": [], "outcomes": Outcome.labels},
                      status=400)
    year = form.year_or_now()
    reviews = Review.objects.filter(submission__case__in=access.visible_cases(user), reviewed_at__year=year)
    counts = {}
    for row in reviews.values("submission__case__unit__name", "outcome").annotate(n=Count("id")):
        counts.setdefault(row["submission__case__unit__name"] or "（未指定）", {})[row["outcome"]] = row["n"]
    rows = [{"unit": unit, "cells": [(o, by.get(o, 0)) for o in Outcome.values], "total": sum(by.values())}
            for unit, by in sorted(counts.items())]
    totals = [(o, sum(by.get(o, 0) for by in counts.values())) for o in Outcome.values]
    ledger.append(v.VIEW, actor=user, object_type="agency", object_id=user.agency_id,
                  detail={"page": "stats", "year": year})
    return render(request, "legalreview/stats.html", {
        "form": form, "year": year, "rows": rows, "outcomes": Outcome.labels, "totals": totals,
        "total": sum(n for _o, n in totals)})


def _reviewers(agency_id):
    return list(get_user_model().objects.filter(agency_id=agency_id, is_active=True,
                                                groups__name=str(Role.LEGAL_REVIEWER)).order_by("id"))


@login_required
def qualifications(request):
    """法律职业资格 (行政处罚法 58): the agency's reviewers and their certificates; the system
    administrator records one."""
    user = request.user
    if not user.has_role(Role.SYSTEM_ADMIN) or user.agency_id is None:
        raise PermissionDenied("只有系统管理员可以登记法律职业资格。")
    reviewers = _reviewers(user.agency_id)
    form = forms.QualificationForm(request.POST or None, reviewers=reviewers)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            person = next(u for u in reviewers if u.pk == d["user"])
            try:
                services.record_qualification(user, person, certificate_number=d["certificate_number"],
                                              obtained_on=d["obtained_on"])
            except (PermissionDenied, ValidationError) as exc:  # the service recorded it
                for line in _lines(exc):
                    form.add_error(None, line)
                status = _status(exc)
            else:
                messages.success(request, f"已登记{person.display_name}的法律职业资格。")
                return redirect("legalreview:qualifications")
        else:
            refusals.record_refusal(request, v.REFUSED, [e for errs in form.errors.values() for e in errs],
                                    form=form)
            status = 400
    rows = [(u, s.qualified(u), Qualification.objects.filter(user=u).count()) for u in reviewers]
    return render(request, "legalreview/qualifications.html", {"form": form, "rows": rows}, status=status)
