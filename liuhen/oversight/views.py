"""Thin views of the oversight pages: 我的待办 (todo), 提醒 (notices), 执法监督 (index: findings),
案件 (cases), 统计 (stats), and their Excel exports.

Who: the to-do list and notices for everyone who works cases (selectors.works_cases) — not the
three administrators, who see no case content; supervision for the 监督人员, 机关负责人 and
法制审核人员 across the agency and a 承办机构负责人 for their unit (selectors.may_supervise).
Anyone else: 403, recorded by the 403 handler (access.denied). A bad filter: 400 with the Chinese
error, recorded (oversight.refused), nothing read. Every page that shows case content is a read in
the ledger (selectors.log_read); an export logs the workbook's SHA-256 and row count."""
import functools
import hashlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from liuhen.ledger import refusals

from . import export, notices, selectors, stats, todo
from . import pages_vocabulary as v
from .forms import CaseFilterForm, FindingFilterForm, StatsFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_TODO = "只有办理、审核、审批、归档或监督案件的人员有待办事项；系统、安全和审计管理员不查看案件内容（三员分立）。"
SHOWN = 200  # the findings listed on the page; the export holds them all
NO_SUPERVISION = "只有监督人员、机关负责人、法制审核人员和承办机构负责人（本科室）可以查看执法监督统计。"


def _denied(message: str, code: str):
    exc = PermissionDenied(message)
    exc.code = code  # the 403 handler records the code, never the message
    return exc


def _todo_user(request):
    if not selectors.works_cases(request.user):
        raise _denied(NO_TODO, "no_todo")


def _supervisor(request):
    if not selectors.may_supervise(request.user):
        raise _denied(NO_SUPERVISION, "no_supervision")


def _bad(request, form, template: str):
    """A filter refused: 400, the form with its Chinese errors, recorded; nothing read."""
    messages = [e for errs in form.errors.values() for e in errs]
    refusals.record_refusal(request, v.REFUSED, messages, form=form)
    return render(request, template, {"form": form, "refused": True}, status=400)


# ---- 我的待办 and 提醒 -----------------------------------------------------------------------------------

@login_required
@require_GET
def todo_page(request):
    """我的待办: what waits for the user, each item linking to where it is done."""
    _todo_user(request)
    items = todo.todo_for(request.user)
    pending = notices.pending(request.user)
    selectors.log_read(request.user, v.TODO_VIEW, todo.log_detail(items), object_type=v.TODO_OBJECT,
                       object_id=request.user.pk)
    return render(request, "oversight/todo.html", {"todo": items, "notices": pending,
                                                   "supervise": selectors.may_supervise(request.user)})


@login_required
@require_GET
def notices_page(request):
    """提醒: new findings on the user's cases and approaching deadlines not yet seen."""
    _todo_user(request)
    pending = notices.pending(request.user)
    rows = notices.rows(pending)
    selectors.log_read(request.user, v.NOTICES_VIEW,
                       {"findings": len(pending.findings), "deadlines": len(pending.deadlines),
                        "cases": sorted({r["case"].pk for r in rows})[:200]},
                       object_type=v.TODO_OBJECT, object_id=request.user.pk)
    return render(request, "oversight/notices.html", {
        "rows": rows, "notices": pending, "tokens": [cv.token for cv in pending.deadlines]})


@login_required
@require_POST
def notices_seen(request):
    """标记为已读 (POST, CSRF): a NoticeMark appended, up to the findings the list showed."""
    _todo_user(request)
    raw = request.POST.get("up_to", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        msg = "提交的已读位置无效，请刷新提醒页面后重试。"
        refusals.record_refusal(request, v.REFUSED, [msg], status=400)
        return render(request, "web/error.html", {"title": "提交无效", "lines": [msg],
                                                  "back": reverse("oversight:notices")}, status=400)
    current = notices.pending(request.user)
    # Never past what exists now: a forged number cannot silence findings not yet found.
    up_to = min(int(raw), current.last_event_id)
    shown = set(request.POST.getlist("deadline"))
    tokens = [cv.token for cv in current.deadlines if cv.token in shown]
    # Deadlines seen before stay seen while they are still among the user's (the list does not grow).
    previous = notices.latest_mark(request.user)
    still = {cv.token for cv in selectors.my_deadlines(request.user)}
    kept = [t for t in (previous.seen_deadlines if previous else []) if t in still]
    notices.mark_seen(request.user, up_to, tokens + kept)
    return redirect("oversight:notices")


# ---- 执法监督 ----------------------------------------------------------------------------------------------

def _filtered(form_class, template: str):
    """The prologue of every supervision page and export: logged in, a GET, a supervisor
    (selectors.may_supervise), the filters read from the query string into `form_class`; bad
    filters refused with `template` (400, recorded, nothing read). The view gets the valid form."""
    def decorate(view):
        @login_required
        @require_GET
        @functools.wraps(view)
        def page(request):
            _supervisor(request)
            form = form_class(request.GET, user=request.user)
            if not form.is_valid():
                return _bad(request, form, template)
            return view(request, form)
        return page
    return decorate


def _with_period(request, form):
    """The form as shown after a query: the period counted filled in (the default one too)."""
    d = form.cleaned_data
    data = request.GET.copy()
    data["start"], data["end"] = d["first"].strftime("%Y-%m"), d["last"].strftime("%Y-%m")
    shown = type(form)(data, user=request.user)
    shown.is_valid()
    return shown


def _filters_shown(form) -> list[tuple[str, str]]:
    d = form.cleaned_data
    out = [("期间", f"{d['first']:%Y-%m-%d} 至 {d['last']:%Y-%m-%d}")]
    for name, field in form.fields.items():
        if name in ("start", "end"):
            continue
        value = d.get(name)
        if value in (None, ""):
            continue
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        elif hasattr(value, "display_name"):
            value = value.display_name
        out.append((str(field.label), str(value)))
    return out


def _scope(form) -> str:
    if isinstance(form.user, selectors.AgencyView):
        return f"{form.cleaned_data['agency'].name}全部科室（上级监督）"
    return "本机关全部科室" if selectors.agency_wide(form.user) else "本科室"


@_filtered(FindingFilterForm, "oversight/index.html")
def index(request, form):
    """执法监督: the findings of the period by unit, officer, kind, severity and month, with charts."""
    fs = stats.finding_stats(form.user, form.cleaned_data)
    form = _with_period(request, form)
    selectors.log_read(request.user, v.VIEW, {"page": "findings", **form.filter_detail(), "count": fs.total.found,
                                              "cases": fs.rows.case_ids(500)})
    return render(request, "oversight/index.html", {
        "form": form, "fs": fs, "charts": stats.finding_charts(fs), "query": request.GET.urlencode(),
        "scope": _scope(form),
        "filters": _filters_shown(form), "shown": fs.rows[:SHOWN]})


@_filtered(CaseFilterForm, "oversight/cases.html")
def cases_page(request, form):
    """案件列表: dates, running and overdue clocks, open findings; search by number, cause or party."""
    rows = stats.case_rows(form.user, form.cleaned_data)
    form = _with_period(request, form)
    detail = form.filter_detail()
    if form.cleaned_data.get("q"):
        detail["q"] = "text"  # a typed name is logged only as the cases it matched
    selectors.log_read(request.user, v.VIEW, {"page": "cases", **detail, "count": len(rows),
                                              "cases": [r.case.pk for r in rows][:500]})
    return render(request, "oversight/cases.html", {"form": form, "rows": rows, "limit": stats.MAX_CASES,
                                                    "query": request.GET.urlencode()})


@_filtered(StatsFilterForm, "oversight/stats.html")
def stats_page(request, form):
    """统计: cases by kind, stage, month opened and closed; each deadline's on-time rate."""
    cs = stats.case_stats(form.user, form.cleaned_data)
    form = _with_period(request, form)
    selectors.log_read(request.user, v.VIEW, {"page": "stats", **form.filter_detail(), "count": cs.total})
    return render(request, "oversight/stats.html", {"form": form, "cs": cs, "charts": stats.case_charts(cs),
                                                    "query": request.GET.urlencode()})


def _xlsx(request, data: bytes, rows: int, what: str, name: str, filters: dict):
    selectors.log_read(request.user, v.EXPORT, {"what": what, **filters, "rows": rows,
                                                "sha256": hashlib.sha256(data).hexdigest()})
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@_filtered(FindingFilterForm, "oversight/index.html")
def export_findings(request, form):
    """The findings with the page's filters, as an Excel workbook (a read event with its SHA-256)."""
    fs = stats.finding_stats(form.user, form.cleaned_data)
    data, rows = export.findings_xlsx(fs, _filters_shown(form))
    return _xlsx(request, data, rows, "findings", "oversight-findings", form.filter_detail())


@_filtered(StatsFilterForm, "oversight/stats.html")
def export_stats(request, form):
    """The statistics of cases with the page's filters, as an Excel workbook."""
    cs = stats.case_stats(form.user, form.cleaned_data)
    data, rows = export.stats_xlsx(cs, _filters_shown(form))
    return _xlsx(request, data, rows, "stats", "oversight-stats", form.filter_detail())
