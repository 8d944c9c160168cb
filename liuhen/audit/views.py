"""The audit administrator's screen (审计管理员, 等保 2.0 安全审计): search the ledger, open an event,
export a search. Read-only — GET only, nothing here writes but the ledger's own record of each
look and each export. Anyone else is refused (403), and the refusal is logged (access.denied).
An agency's audit administrator reads its own people's entries only (selectors.entries_for)."""
import json
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from liuhen.accounts.roles import Role
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.ledger.models import Entry

from . import alerts, exports, selectors
from .forms import SearchForm
from .vocabulary import DENIED, EXPORT, VIEW, action_labels, object_type_label

PAGE_SIZE = 50


def max_export_rows() -> int:
    return int(getattr(settings, "LIUHEN_AUDIT_EXPORT_MAX_ROWS", 100_000))


def auditor_only(view):
    @login_required
    @require_GET
    def wrapped(request, *args, **kwargs):
        if not request.user.has_role(Role.AUDIT_ADMIN):
            raise PermissionDenied("只有审计管理员可以查看审计日志。")
        return view(request, *args, **kwargs)
    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _form(request):
    form = SearchForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    return form, (form.cleaned_data if form.is_bound else {})


# What a typed filter may look like to be logged as typed: ids, hex digests, login names, action
# codes (ASCII, no spaces). Anything else may be a person's name (王五) and is not logged.
_ID = re.compile(r"[A-Za-z0-9_.@+:*\-]{1,64}", re.ASCII)


def logged_filters(filters: dict) -> dict:
    """What the ledger records about a search or an export (audit.view / audit.export): the people
    searched for by their ids, resolved as the search resolves them (selectors.actor_ids) — never
    the name typed, which is personal data (the audit screen shows it to an administrator who may
    not see case content); the dates; object type, object id and action only when they look like
    codes or ids, else only that free text was given."""
    out = {}
    for key, value in filters.items():
        if value in (None, ""):
            continue
        if key == "actor":
            ids = selectors.actor_ids(value)
            out.update({"actor": "system"} if ids is None else {"actor_ids": sorted(ids)})
        elif hasattr(value, "isoformat"):
            out[key] = value.isoformat()
        elif isinstance(value, str) and _ID.fullmatch(value):
            out[key] = value
        else:
            out[key] = {"free_text": True}
    return out


def _query_string(request) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


@auditor_only
def search(request):
    form, filters = _form(request)
    context = {"form": form, "actions": sorted(action_labels().items()), "object_types": SearchForm.object_types(),
               "query": _query_string(request), "alerts": alerts.recent(auditor=request.user)}
    if filters is None:
        # Bad input: the page comes back with the input kept and a Chinese message (400).
        return render(request, "audit/search.html", context, status=400)
    page = Paginator(selectors.search(filters, request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    ledger.append(VIEW, actor=request.user, object_type="ledger", object_id="search",
                  detail={"filters": logged_filters(filters), "page": page.number})
    context.update(page=page, rows=selectors.rows(page.object_list))
    return render(request, "audit/search.html", context)


@auditor_only
def event(request, entry_id: int):
    row = selectors.entry(entry_id, request.user)  # another agency's entry: as one that does not exist
    if row is None:
        if Entry.objects.filter(pk=entry_id).exists():
            refusals.record_denied(request, "entry", entry_id)
        raise Http404
    ledger.append(VIEW, actor=request.user, object_type="entry", object_id=entry_id)
    leaf = bytes(row["entry"].leaf)
    try:
        pretty = json.dumps(json.loads(leaf.decode("utf-8")), ensure_ascii=False, indent=2, sort_keys=True)
    except ValueError:
        pretty = ""
    return render(request, "audit/event.html", {
        "row": row, "canonical": leaf.decode("utf-8", errors="replace"), "pretty": pretty,
        "object_type_label": object_type_label(row["object_type"])})


def _export(request, fmt: str):
    form, filters = _form(request)
    if filters is None:
        return render(request, "audit/search.html", {
            "form": form, "actions": sorted(action_labels().items()),
            "object_types": SearchForm.object_types(), "query": _query_string(request)}, status=400)
    qs = selectors.search(filters, request.user)
    count = qs.count()
    detail = {"format": fmt, "filters": logged_filters(filters), "rows": count}
    if count > max_export_rows():
        ledger.append(DENIED, actor=request.user, object_type="ledger", object_id="export", detail=detail)
        message = f"查询结果共{count}条，超过导出上限{max_export_rows()}条，请缩小查询范围后再导出。"
        return render(request, "web/error.html", {"title": "无法导出", "lines": [message]}, status=400)
    # The export is logged before a byte leaves: an interrupted download is still on record.
    ledger.append(EXPORT, actor=request.user, object_type="ledger", object_id="export", detail=detail)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(selectors.iter_rows(qs)),
                                         content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.xlsx_bytes(selectors.iter_rows(qs)),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response


@auditor_only
def export_csv(request):
    return _export(request, "csv")


@auditor_only
def export_xlsx(request):
    return _export(request, "xlsx")
