"""The staff's 公示 pages (/publicity/): the workbench (待公示 with the clock, 应撤回, 待审核, 待批准, 公示中,
公众意见待答复, 事前公开, 年度执法数据), a version (its summary, the published text, the served text with each
redaction marked; 隐去, 审核, 批准), an entry (status, versions and steps, 更正, 撤回, 提前撤下, replies), new
事前公开 content, 不予公开, a year's statistics and the 双公示 export.

Each POST calls one service. A refused act is in the ledger — the services record their own
(publicity.refused), a form refused before any service with record_refusal — and is answered with its
Chinese reason on the page it came from, the form kept: 403 for no right, 409 for an act the state refuses,
400 for bad input. An entry, a version or a case of another agency is a 404 (refusals.record_denied)."""
import datetime
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from liuhen.cases import acts
from liuhen.cases.models import Case
from liuhen.ledger import refusals

from . import forms
from . import selectors as s
from . import services
from . import vocabulary as v
from . import work_selectors as ws
from .models import REVIEW_CHECKS, Comment, EntryKind, Version

CONFLICTS = frozenset({"open_draft", "published", "live", "replied", "exists", "document_invalid", "not_live",
                       "no_early_removal", "not_published", "stale_document", "ended", "exempted"})
NEW_KINDS = {k.value: k for k in ws.CONTENT_KINDS}
EXPORTS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "json": "application/json; charset=utf-8"}


def _powers(request, agency=None, *, need="any") -> ws.Powers:
    """The user's powers; 403 (recorded by the 403 handler) without the one `need`ed."""
    p = ws.powers(request.user, agency)
    if not getattr(p, need):
        spec = ws.spec_of(getattr(request.user, "agency", None))
        roles = {"any": (), "draft": getattr(spec, "draft_roles", ()), "review": getattr(spec, "review_roles", ()),
                 "approve": getattr(spec, "approve_roles", ())}[need]
        raise PermissionDenied(f"只有{ws.role_names(roles)}可以办理。" if roles else "您无权使用公示工作台。")
    return p


def _own(request, row, agency_id, object_type):
    if agency_id != getattr(request.user, "agency_id", None):
        refusals.record_denied(request, object_type, row.pk)
        raise Http404
    return row


def _entry(request, number):
    entry = s.entry_by_number(number)
    if entry is None:
        raise Http404
    return _own(request, entry, entry.agency_id, entry.ledger_object_type)


def _version(request, pk):
    version = Version.objects.select_related("entry__agency", "entry__case", "made_by", "document__number").filter(
        pk=pk).first()
    if version is None:
        raise Http404
    return _own(request, version, version.entry.agency_id, version.ledger_object_type)


def _case(request, pk):
    case = Case.objects.select_related("agency", "unit").filter(pk=pk).first()
    if case is None:
        raise Http404
    return _own(request, case, case.agency_id, "case")


def _refuse_form(request, form, obj):
    """A form refused before any service: recorded, its errors shown on the page (400)."""
    lines = [e for errs in form.errors.values() for e in errs]
    refusals.record_refusal(request, v.REFUSED, lines, obj.ledger_object_type if obj is not None else "",
                            obj.pk if obj is not None else "", form=form)
    return 400


def _run(form, write):
    """Run the service's write; a refusal (recorded by the service) is put on the form: (result, status)."""
    try:
        return write(), 200
    except (PermissionDenied, ValidationError) as exc:
        for line in acts.refusal_lines(exc):
            form.add_error(None, line)
        return None, acts.refusal_status(exc, CONFLICTS)


# ---- the workbench -------------------------------------------------------------------------------------

@login_required
@require_safe
def index(request):
    p = _powers(request)
    agency = request.user.agency
    page = request.GET.get("page", "1")
    return render(request, "publicity/index.html", {
        "p": p, "spec": ws.spec_of(agency),
        "review_roles": ws.role_names(ws.spec_of(agency).review_roles),
        "approve_roles": ws.role_names(ws.spec_of(agency).approve_roles),
        "to_publish": ws.to_publish(agency),
        "to_withdraw": ws.to_withdraw(agency),
        "to_review": list(ws.awaiting_review(agency)[:ws.LIMIT]),
        "to_approve": list(ws.awaiting_approval(agency)[:ws.LIMIT]),
        "live": ws.live_entries(agency, page=page),
        "comments": ws.comments_open(agency),
        "content": ws.content_entries(agency),
        "years": ws.statistics_years(agency),
        "new_kinds": [(k.value, k.label) for k in ws.CONTENT_KINDS],
        "exports": list(EXPORTS)})


@login_required
@require_POST
def draft(request, case_pk):
    """拟定公示稿 of a case's decision in force."""
    case = _case(request, case_pk)
    _powers(request, case.agency)
    try:
        version = services.draft_decision(request.user, case)
    except (PermissionDenied, ValidationError) as exc:
        return acts.error_page(request, "不能拟定公示稿", acts.refusal_lines(exc), reverse("publicity:index"),
                               acts.refusal_status(exc, CONFLICTS))
    messages.success(request, f"已拟定公示稿（{version.entry.number} 第 {version.n} 稿），待审核。")
    return redirect("publicity:version", version.pk)


# ---- a version -------------------------------------------------------------------------------------------

def _version_page(request, version, p, *, status=200, **bound):
    entry = version.entry
    latest = s.latest_version(entry)
    state = s.version_state(version)
    current = latest.pk == version.pk
    label = s.STATE_LABELS[state]
    if not current and state in (s.DRAFT, s.REVIEWED):
        state, label = ws.SUPERSEDED, "已被新稿取代"
    ctx = {"version": version, "entry": entry, "state": state, "state_label": label,
           "summary_rows": s.summary_rows(version.summary), "current": current, "p": p, "history": ws.history(entry), "kind_label": EntryKind(entry.kind).label,
           "show_source": p.works and bool(version.source), "checks_labels": dict(REVIEW_CHECKS)}
    if ctx["show_source"]:
        ws.log_source_read(request.user, version)
        ctx["pieces"] = ws.pieces(version)
    if current and state == s.DRAFT and version.source and (p.draft or p.review):
        ctx["redact_form"] = bound.get("redact_form") or forms.RedactForm()
    if current and state == s.DRAFT and p.review:
        ctx["review_form"] = bound.get("review_form") or forms.ReviewForm()
    if current and state == s.REVIEWED and p.approve:
        ctx["approve_form"] = bound.get("approve_form") or forms.ApproveForm()
    for name, form in bound.items():  # a refused form is shown even where it would not be offered
        ctx.setdefault(name, form)
    return render(request, "publicity/version.html", ctx, status=status)


@login_required
@require_safe
def version(request, pk):
    row = _version(request, pk)
    return _version_page(request, row, _powers(request, row.entry.agency))


def _version_act(request, pk, form_cls, name, write, done):
    row = _version(request, pk)
    p = _powers(request, row.entry.agency)
    form = form_cls(request.POST)
    if not form.is_valid():
        return _version_page(request, row, p, status=_refuse_form(request, form, row), **{name: form})
    result, status = _run(form, lambda: write(row, form))
    if result is None:
        return _version_page(request, row, p, status=status, **{name: form})
    messages.success(request, done(result))
    target = result if isinstance(result, Version) else row
    return redirect("publicity:version", target.pk)


@login_required
@require_POST
def add_redaction(request, pk):
    d = lambda f: f.cleaned_data  # noqa: E731
    return _version_act(request, pk, forms.RedactForm, "redact_form",
                        lambda row, f: services.add_redaction(request.user, row, d(f)["fragment"], d(f)["category"]),
                        lambda x: f"已隐去，生成第 {x.n} 稿（共隐去 {len(x.redactions)} 处）。")


@login_required
@require_POST
def review(request, pk):
    return _version_act(request, pk, forms.ReviewForm, "review_form",
                        lambda row, f: services.review(request.user, row, passed=f.cleaned_data["passed"],
                                                       opinion=f.cleaned_data["opinion"], checks=f.service_checks()),
                        lambda x: "审核通过，待批准。" if x.passed else "已退回拟稿人。")


@login_required
@require_POST
def approve(request, pk):
    return _version_act(request, pk, forms.ApproveForm, "approve_form",
                        lambda row, f: services.approve(request.user, row, passed=f.cleaned_data["passed"],
                                                        opinion=f.cleaned_data["opinion"]),
                        lambda x: "已批准并发布。" if x.passed else "已退回。")


# ---- an entry -------------------------------------------------------------------------------------------

def _entry_page(request, entry, p, *, status=200, **bound):
    st = s.status(entry)
    live = s.live_version(entry)
    latest = s.latest_version(entry)
    open_draft = latest is not None and s.version_state(latest) in (s.DRAFT, s.REVIEWED)
    ctx = {"entry": entry, "status": st, "status_label": s.STATUS_LABELS[st], "live": live, "p": p,
           "latest": latest, "open_draft": open_draft, "history": ws.history(entry), "end": s.end_step(entry),
           "kind_label": EntryKind(entry.kind).label,
           "comments": list(entry.comments.select_related("reply__by").order_by("-at")[:ws.LIMIT])}
    if p.draft and live is not None and not open_draft:  # a correction is of what the public reads
        ctx["revise_form"] = bound.get("revise_form") or forms.ReviseForm(version=live)
    if p.approve and live is not None:
        ctx["withdraw_form"] = bound.get("withdraw_form") or forms.ReasonForm(label="撤回理由（将向社会公开）")
        ctx["remove_form"] = bound.get("remove_form") or forms.ReasonForm(label="提前撤下的理由")
    ctx["reply_forms"] = {c.pk: bound.get(f"reply_{c.pk}") or forms.ReplyForm(prefix=f"r{c.pk}")
                          for c in ctx["comments"] if bound.get(f"reply_{c.pk}") or (not hasattr(c, "reply") and p.works)}
    ctx["comment_rows"] = [(c, getattr(c, "reply", None), ctx["reply_forms"].get(c.pk)) for c in ctx["comments"]]
    for name, form in bound.items():
        ctx.setdefault(name, form)
    return render(request, "publicity/entry.html", ctx, status=status)


@login_required
@require_safe
def entry(request, number):
    row = _entry(request, number)
    return _entry_page(request, row, _powers(request, row.agency))


def _entry_act(request, number, make_form, name, write, done):
    row = _entry(request, number)
    p = _powers(request, row.agency)
    form = make_form(row)
    if not form.is_valid():
        return _entry_page(request, row, p, status=_refuse_form(request, form, row), **{name: form})
    result, status = _run(form, lambda: write(row, form))
    if result is None:
        return _entry_page(request, row, p, status=status, **{name: form})
    messages.success(request, done(result))
    if isinstance(result, Version):
        return redirect("publicity:version", result.pk)
    return redirect("publicity:entry", row.number)


@login_required
@require_POST
def revise(request, number):
    def make(row):
        shown = s.live_version(row) or (s.published_versions(row) or [None])[-1]
        if shown is None:
            raise Http404
        return forms.ReviseForm(request.POST, version=shown)

    def write(row, f):
        return services.revise(request.user, row, reason=f.cleaned_data["reason"], summary=f.summary(),
                               body=f.cleaned_data["body"] if f.with_body else None)

    return _entry_act(request, number, make, "revise_form", write, lambda x: f"已拟定更正稿（第 {x.n} 稿），待审核。")


@login_required
@require_POST
def withdraw(request, number):
    return _entry_act(request, number, lambda row: forms.ReasonForm(request.POST, label="撤回理由（将向社会公开）"),
                      "withdraw_form", lambda row, f: services.withdraw(request.user, row, f.cleaned_data["reason"]),
                      lambda x: "已撤回，撤回理由已向社会公开。")


@login_required
@require_POST
def remove_early(request, number):
    return _entry_act(request, number, lambda row: forms.ReasonForm(request.POST, label="提前撤下的理由"),
                      "remove_form", lambda row, f: services.remove_early(request.user, row, f.cleaned_data["reason"]),
                      lambda x: "已提前撤下。")


@login_required
@require_POST
def reply(request, pk):
    c = Comment.objects.select_related("entry__agency").filter(pk=pk).first()
    if c is None:
        raise Http404
    _own(request, c, c.entry.agency_id, c.ledger_object_type)
    return _entry_act(request, c.entry.number, lambda row: forms.ReplyForm(request.POST, prefix=f"r{c.pk}"),
                      f"reply_{c.pk}", lambda row, f: services.reply(request.user, c, f.cleaned_data["text"]),
                      lambda x: "已答复。")


# ---- 事前公开, 不予公开, statistics, export ------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def new(request, kind):
    if kind not in NEW_KINDS:
        raise Http404
    p = _powers(request, need="draft")
    form = forms.ContentForm(request.POST if request.method == "POST" else None, kind=kind)
    ctx = {"form": form, "kind": kind, "kind_label": NEW_KINDS[kind].label, "p": p}
    if request.method == "GET":
        return render(request, "publicity/new.html", ctx)
    if not form.is_valid():
        return render(request, "publicity/new.html", ctx, status=_refuse_form(request, form, None))
    d = form.cleaned_data
    result, status = _run(form, lambda: services.draft_content(request.user, kind, title=d["title"],
                                                               summary=form.summary(), body=d["body"]))
    if result is None:
        return render(request, "publicity/new.html", ctx, status=status)
    messages.success(request, f"已拟定{NEW_KINDS[kind].label}公示稿（{result.entry.number}），待审核。")
    return redirect("publicity:version", result.pk)


@login_required
@require_http_methods(["GET", "POST"])
def exempt(request, case_pk):
    """不予公开 of a case's decision: the ground and why (the approve roles)."""
    case = _case(request, case_pk)
    p = _powers(request, case.agency, need="approve")
    form = forms.ExemptForm(request.POST if request.method == "POST" else None)
    ctx = {"form": form, "case": case, "p": p, "card": ws.case_card(request.user, case)}
    if request.method == "GET":
        return render(request, "publicity/exempt.html", ctx)
    if not form.is_valid():
        form_status = _refuse_form(request, form, None)
        return render(request, "publicity/exempt.html", ctx, status=form_status)
    d = form.cleaned_data
    result, status = _run(form, lambda: services.exempt(request.user, case, d["ground"], d["note"]))
    if result is None:
        return render(request, "publicity/exempt.html", ctx, status=status)
    messages.success(request, f"已决定本案决定不予公开（{result.get_ground_display()}）。")
    return redirect("cases:detail", case.pk)


def _year(year: int) -> int:
    if not 2000 <= year <= datetime.date.today().year:
        raise Http404
    return year


@login_required
@require_http_methods(["GET", "POST"])
def statistics(request, year):
    """年度执法数据 of `year`: the figures (statistics.annual) and the draft of its entry."""
    p = _powers(request)
    year = _year(year)
    from . import statistics as stats  # the exports engineer's module

    agency = request.user.agency
    entry = next((r.entry for r in ws.statistics_years(agency) if r.year == year and r.entry), None)
    ctx = {"year": year, "figures": stats.flatten(stats.annual(agency, year)), "entry": entry, "p": p,
           "ended": year < s.today().year}
    if request.method == "GET":
        return render(request, "publicity/statistics.html", ctx)
    _powers(request, need="draft")
    try:
        version = stats.draft_statistics(request.user, year)
    except (PermissionDenied, ValidationError) as exc:
        ctx["errors"] = acts.refusal_lines(exc)
        return render(request, "publicity/statistics.html", ctx, status=acts.refusal_status(exc, CONFLICTS))
    messages.success(request, f"已拟定{year}年度执法数据公示稿，待审核。")
    return redirect("publicity:version", version.pk)


@login_required
@require_safe
def export(request, fmt):
    """双公示 records of the agency's published decisions, for the credit platforms (a logged read)."""
    if fmt not in EXPORTS:
        raise Http404
    _powers(request)
    from . import export as exports  # the exports engineer's module

    agency = request.user.agency
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    rows = exports.rows(agency, year=year)
    data = exports.render(fmt, rows, agency=agency)
    exports.log_export(request.user, agency, fmt=fmt, count=len(rows), year=year,
                       sha256=hashlib.sha256(data).hexdigest(), channel="web")
    response = HttpResponse(data, content_type=EXPORTS[fmt])
    name = f"shuanggongshi-{year or 'all'}-{s.today():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
