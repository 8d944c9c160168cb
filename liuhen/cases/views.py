"""Thin views: parse, call one service, render. Service errors come back as Chinese messages."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from liuhen.accounts.roles import Role
from liuhen.common import text
from liuhen.ledger import refusals

from . import access, pages, selectors, services
from . import vocabulary as V
from .forms import AssignOfficerForm, CorrectPartyForm, NewCaseForm, PartyForm, cannot_open_cases_reason
from .models import Case, Party, Stage
from .rules import CLOSE_AT_START, ON_SITE_OFFICERS, rule_of


def _case_for(request, pk, *, work=False) -> Case:
    """The case, or 404 alike for one that does not exist and one the user may not see (ids cannot
    be enumerated; the denied access is in the ledger). Seen but not theirs to work on: 403."""
    case = Case.objects.select_related("unit", "agency").filter(pk=pk).first()
    if case is None or not access.can_view(request.user, case):
        if case is not None:
            refusals.record_denied(request, "case", case.pk)
        raise Http404
    if work:
        access.check_work(request.user, case)
    return case


REFUSED = V.REFUSED


def _refused(request, case, title: str, msgs: list[str], status: int = 400, exc=None):
    """The refusal page (what was refused and why, a way back to the case), recorded in the ledger."""
    refusals.record_refusal(request, REFUSED, msgs, "case", case.pk, status=status, errors=[exc] if exc else ())
    return render(request, "web/error.html", {
        "title": title, "lines": msgs, "back": reverse("cases:detail", args=[case.pk])}, status=status)


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@login_required
def my_cases(request):
    # Only the parties' names: the list needs no decryption of their personal data.
    qs = access.visible_cases(request.user).select_related("unit").prefetch_related(
        Prefetch("parties", queryset=Party.objects.filter(superseded_by__isnull=True).only("id", "case_id", "name")), "officers__officer")
    # Leaders, reviewers and supervisors are on no case team: by default they see all they may see.
    scope = request.GET.get("scope", "mine" if request.user.has_role(Role.OFFICER) else "all")
    if scope == "mine":
        qs = qs.filter(officers__officer=request.user).distinct()
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        qs = qs.filter(stage=stage, archived_at__isnull=True)
    elif stage == "archived":
        qs = qs.filter(archived_at__isnull=False)
    return render(request, "cases/my_cases.html", {
        "cases": qs.order_by("-created_at")[:200], "scope": scope, "stage": stage, "stages": Stage.choices,
        # ＋ 新建案件 is offered only to who may open a case; an officer without a valid 执法证 is told why.
        "open_refusal": cannot_open_cases_reason(request.user), "is_officer": request.user.has_role(Role.OFFICER),
        **pages.case_list_context(request.user),
    })


@login_required
def new_case(request):
    reason = cannot_open_cases_reason(request.user)
    if reason:
        # Said before any form is filled in: who cannot open a case, and why (LC 10: 执法证).
        if request.method == "POST":
            raise PermissionDenied(reason)
        return render(request, "cases/new_case.html", {"refusal": reason})
    form = NewCaseForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.open_case(
                    request.user, title=d["title"], kind=d["kind"], procedure=d["procedure"],
                    start_mode=d["start_mode"], on_site=d["on_site"], officers=list(d["officers"]),
                    summary=d["summary"])
            except ValidationError as exc:
                for m in _errors(exc):
                    form.add_error(None, m)
            else:
                messages.success(request, f"已立案：{case.number}")
                return redirect("cases:detail", pk=case.pk)
        status = 400
        refusals.record_refusal(request, REFUSED, [e for errs in form.errors.values() for e in errs],
                                status=status, form=form)
    return render(request, "cases/new_case.html", {"form": form}, status=status)


@login_required
def case_detail(request, pk):
    case = _case_for(request, pk)
    services.log_view(request.user, case)  # the page shows parties' data: the read is traced
    can_work = access.can_work(request.user, case) and not case.is_archived
    # The officers the page lists say whether the user is one of them (access.is_assigned, no query of its own).
    officers = list(case.officers.select_related("officer"))
    assigned = any(co.officer_id == request.user.pk for co in officers)
    with pages.one_reading(case):  # the records' states read once for the whole page (review §11)
        return _case_page(request, case, can_work, assigned, officers)


def _case_page(request, case, can_work, assigned, officers):
    return render(request, "cases/case_detail.html", {
        "case": case,
        "parties": [(p, selectors.party_history(p)) for p in selectors.current_parties(case)],
        "officers": officers,
        "blockers": services.transition_blockers(case),
        "can_work": can_work,
        # Registering or correcting a party is an officer's act with a valid 执法证 (services.add_party,
        # LC 10): not offered to whom it would only be refused (a 承办机构负责人 without one).
        "can_edit_parties": can_work and request.user.certificate_on() is not None,
        "can_close": can_work and case.stage == Stage.START and case.start_mode in rule_of(case, CLOSE_AT_START).value,
        "can_reveal": assigned,  # the full ID number and phone: officers of the case, on request
        "show_address": assigned or can_work,
        "on_site_rule": rule_of(case, ON_SITE_OFFICERS),
        "emergency": selectors.emergency_clock(case),
        "grants": selectors.grants_for_case(case),
        "transitions": case.transitions.select_related("actor"),
        "party_form": PartyForm(),
        "officer_form": AssignOfficerForm(case=case) if can_work else None,
        **pages.case_page_context(request.user, case, can_work=can_work),
    })


def _party_for(request, pk, party_pk, *, work=False) -> tuple[Case, Party]:
    case = _case_for(request, pk, work=work)
    party = Party.objects.filter(pk=party_pk, case=case).first()
    if party is None:  # a party of another case answers as one that does not exist
        raise Http404
    return case, party


@login_required
@require_POST
def reveal_party(request, pk, party_pk):
    """查看完整证件号码和电话: only for officers of the case, each reveal a logged read."""
    case, party = _party_for(request, pk, party_pk)
    if not access.is_assigned(request.user, case):
        raise PermissionDenied("只有本案承办人员可以查看完整的证件号码和联系电话。")
    services.log_party_reveal(request.user, party)
    template = "cases/party_reveal_fragment.html" if request.headers.get("HX-Request") else "cases/party_reveal.html"
    return render(request, template, {"case": case, "party": party})


@login_required
def correct_party(request, pk, party_pk):
    """更正当事人信息: a new version with a reason; the old one stays in the party's history."""
    case, party = _party_for(request, pk, party_pk, work=True)
    initial = {"kind": party.kind, "name": party.name, "id_number": party.id_number,
               "legal_representative": party.legal_representative, "phone": party.phone, "address": party.address}
    form = CorrectPartyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_party(request.user, party, **form.cleaned_data)
        except ValidationError as exc:
            for m in _errors(exc):
                form.add_error(None, m)
        else:
            messages.success(request, "已更正当事人信息。")
            return redirect("cases:detail", pk=case.pk)
    if request.method == "POST":
        refusals.record_refusal(request, REFUSED, [e for errs in form.errors.values() for e in errs],
                                "case", case.pk, status=400, form=form)
    return render(request, "cases/party_form.html", {"case": case, "form": form, "party": party,
                                                     "history": selectors.party_history(party)},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def close_at_start(request, pk):
    case = _case_for(request, pk, work=True)
    try:
        services.close_at_start(request.user, case, note=request.POST.get("note", ""))
    except ValidationError as exc:
        return _refused(request, case, "不能在程序启动阶段结案", _errors(exc), 409, exc)
    messages.success(request, "已结案，转入归档管理阶段。")
    return redirect("cases:detail", pk=case.pk)


@login_required
def add_party(request, pk):
    case = _case_for(request, pk, work=True)
    form = PartyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_party(request.user, case, **form.cleaned_data)
        except ValidationError as exc:
            for m in _errors(exc):
                form.add_error(None, m)
        else:
            messages.success(request, "已登记当事人。")
            return redirect("cases:detail", pk=case.pk)
    if request.method == "POST":
        refusals.record_refusal(request, REFUSED, [e for errs in form.errors.values() for e in errs],
                                "case", case.pk, status=400, form=form)
    return render(request, "cases/party_form.html", {"case": case, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def add_officer(request, pk):
    case = _case_for(request, pk, work=True)
    form = AssignOfficerForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.assign_officer(request.user, case, form.cleaned_data["officer"])
        except ValidationError as exc:
            return _refused(request, case, "不能增加承办人员", _errors(exc), exc=exc)
        messages.success(request, "已增加承办人员。")
    else:
        return _refused(request, case, "不能增加承办人员", ["请选择有效的执法人员。"])
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def advance(request, pk):
    case = _case_for(request, pk, work=True)
    try:
        case = services.advance(request.user, case, note=text.clean(request.POST.get("note", ""), "说明"))
    except ValidationError as exc:
        return _refused(request, case, "不能进入下一阶段", _errors(exc), status=409, exc=exc)
    messages.success(request, "案件已归档。" if case.is_archived else f"已进入{case.get_stage_display()}阶段。")
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def send_back(request, pk):
    case = _case_for(request, pk, work=True)
    try:
        services.send_back(request.user, case, text.clean(request.POST.get("reason", ""), "退回理由", multiline=True))
    except ValidationError as exc:
        return _refused(request, case, "不能退回补充调查", _errors(exc), exc=exc)
    messages.success(request, "已退回调查取证阶段。")
    return redirect("cases:detail", pk=case.pk)
