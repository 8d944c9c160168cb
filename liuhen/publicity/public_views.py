"""The public portal (/public/, no login; LW-P 7-8, 行政处罚法 48): 事前公开 (the agency, its enforcement
matters, its officers, the supervision channels, the discretion benchmarks), 事中公示 (a certificate number
looked up), 事后公开 (the decisions and the year's statistics), and the way to the verification page.

Only live versions are shown (portal_selectors); a decision that was withdrawn or whose term ended shows
its notice, never its text. Nothing of the session is shown; no page is a read in the ledger except the
certificate lookup (publicity.lookup: a visitor's question about an officer). Every refused request — an
unknown number, a malformed filter, lookup or token, a comment that cannot be taken — is answered 4xx with
a Chinese message and recorded (publicity.refused: the act and its code, never what was typed).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from liuhen.ledger import services as ledger

from . import portal_cache
from . import portal_selectors as ps
from . import public_forms as forms
from . import services
from . import vocabulary as v
from .models import EntryKind

SECTIONS = (("agency", "机关信息", "机关职能、机构设置、地址和电话"),
            ("matters", "执法事项", "执法事项清单：依据、条件、程序、时限"),
            ("officers", "执法人员", "持证执法人员名单，执法证号查询"),
            ("channels", "监督投诉", "监督电话、投诉举报渠道"),
            ("benchmarks", "裁量基准", "行政处罚裁量基准"),
            ("decisions", "处罚决定", "行政处罚决定信息公开"),
            ("statistics", "执法数据", "年度行政执法数据"),
            ("verify", "文书验真", "核验收到的执法文书"))
COMMENT_BODY_MAX = 64 * 1024  # the comment form: 2 000 characters and four short fields


def _refused(act: str, code: str, status: int, entry=None, path: str = "") -> None:
    if entry is not None:
        ledger.append_public(v.REFUSED, entry.ledger_object_type, entry.pk,
                             {"act": act, "codes": [code], "status": status, "entry": entry.number})
    else:
        ledger.append_public(v.REFUSED, "path", path[:64], {"act": act, "codes": [code], "status": status})


def _page(request, template: str, section: str = "", status: int = 200, **context):
    return render(request, f"publicity/public/{template}",
                  {"agency": context.pop("agency", None) or ps.agency(), "sections": SECTIONS,
                   "section": section, **context}, status=status)


def _error(request, act: str, code: str, title: str, message: str, status: int, *, entry=None, section=""):
    _refused(act, code, status, entry, request.path)
    return _page(request, "error.html", section, status, title=title, message=message)


def _not_found(request, act: str, what: str, section: str):
    return _error(request, act, "unknown", f"未找到该{what}",
                  f"没有正在公示的该{what}：编号可能有误，或已撤回、公示期满。请从列表中查找。", 404, section=section)


def _agency(request):
    agency = ps.agency()
    if agency is None:
        _refused("view", "no_agency", 404, path=request.path)
    return agency


def _no_agency(request):
    return _page(request, "error.html", status=404, title="公示平台尚未开通", message="本系统尚未设置执法机关。")


@require_safe
@portal_cache.kept
def home(request):
    agency = _agency(request)
    if agency is None:
        return _no_agency(request)
    return _page(request, "home.html", agency=agency, latest=ps.latest_decisions(agency))


@require_safe
def agency_info(request):
    agency = _agency(request)
    if agency is None:
        return _no_agency(request)
    return _page(request, "agency.html", "agency", agency=agency, items=ps.live_items(agency, EntryKind.AGENCY),
                 units=ps.units(agency))


def _content_list(kind: str, section: str, title: str, *, detail: str = ""):
    @require_safe
    @portal_cache.kept
    def view(request):
        agency = _agency(request)
        if agency is None:
            return _no_agency(request)
        return _page(request, "entries.html", section, agency=agency, title=title, detail=detail,
                     items=ps.live_items(agency, kind))
    return view


def _content_detail(kind: str, section: str, title: str):
    @require_safe
    def view(request, number):
        item = ps.live_item(number, kind)
        if item is None:
            return _not_found(request, "view", title, section)
        return _page(request, "entry.html", section, agency=item.entry.agency, item=item, title=title,
                     back=reverse(f"public:{section}"))
    return view


matters = _content_list(EntryKind.MATTER, "matters", "执法事项", detail="public:matter")
matter = _content_detail(EntryKind.MATTER, "matters", "执法事项")
channels = _content_list(EntryKind.CHANNEL, "channels", "监督投诉渠道")
benchmarks = _content_list(EntryKind.BENCHMARK, "benchmarks", "裁量基准", detail="public:benchmark")
benchmark = _content_detail(EntryKind.BENCHMARK, "benchmarks", "裁量基准")
statistics = _content_list(EntryKind.STATISTICS, "statistics", "年度执法数据", detail="public:statistics_year")


@require_safe
@portal_cache.kept
def statistics_year(request, year: int):
    agency = _agency(request)
    if agency is None:
        return _no_agency(request)
    item = ps.statistics_item(agency, year)
    if item is None:
        return _not_found(request, "view", "年度执法数据", "statistics")
    return _page(request, "entry.html", "statistics", agency=agency, item=item, title="年度执法数据",
                 back=reverse("public:statistics"))


# ---- 执法人员 and 事中公示 -------------------------------------------------------------------------------


def _page_number(request, act: str, section: str):
    """(page, None) or (None, the 400 response) for ?page=."""
    raw = request.GET.get("page", "")
    if raw == "":
        return 1, None
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) < 10**6:
        return None, _error(request, act, "page", "页码无效", "页码应为正整数。", 400, section=section)
    return int(raw), None


@require_safe
def officers(request):
    """执法人员 with a certificate valid today; ?number= looks a certificate up (事中公示: what an officer
    shows in the field is backed here). The lookup is logged with the number's SHA-256, not the number:
    the box takes whatever a visitor types — a mistyped ID or phone number would otherwise stay in an
    append-only log for good (个人信息保护法 6); the certificate found is named by its id, and anyone
    holding a number can still find its lookups by hashing it."""
    agency = _agency(request)
    if agency is None:
        return _no_agency(request)
    n, refused = _page_number(request, "officers", "officers")
    if refused:
        return refused
    try:
        page = ps.officers(agency, n)
    except EmptyPage:
        return _error(request, "officers", "no_page", "没有该页", "没有该页，请返回第一页。", 404, section="officers")
    context = {"agency": agency, "page": page, "form": forms.LookupForm(), "result": None}
    if "number" not in request.GET:
        return _page(request, "officers.html", "officers", **context)
    form = forms.LookupForm(request.GET)
    if not form.is_valid():
        code, message = forms.first_error(form)
        _refused("lookup", code, 400, path=request.path)
        return _page(request, "officers.html", "officers", 400, **{**context, "form": form, "error": message})
    result = ps.lookup(agency, form.cleaned_data["number"])
    ledger.append_public(v.LOOKUP, "certificate", result.certificate.pk if result.certificate else "",
                         {"number_sha256": result.number_sha256, "state": result.state})
    return _page(request, "officers.html", "officers", **{**context, "form": form, "result": result})


# ---- 行政处罚决定 -------------------------------------------------------------------------------------


@require_safe
@portal_cache.kept
def decisions(request):
    agency = _agency(request)
    if agency is None:
        return _no_agency(request)
    form = forms.DecisionFilterForm(request.GET)
    context = {"agency": agency, "form": form, "years": ps.decision_years(agency), "penalties": ps.PENALTY_LABELS}
    if not form.is_valid():
        code, message = forms.first_error(form)
        _refused("search", code, 400, path=request.path)
        return _page(request, "decisions.html", "decisions", 400, error=message, page=None, items=[], **context)
    try:
        page, items = ps.decision_page(agency, form.filter(), form.cleaned_data.get("page") or 1)
    except EmptyPage:
        return _error(request, "search", "no_page", "没有该页", "没有该页，请返回第一页。", 404, section="decisions")
    query = {k: request.GET[k] for k in ("year", "penalty", "q") if request.GET.get(k)}
    return _page(request, "decisions.html", "decisions", page=page, items=items, filter=form.filter(),
                 query=query, **context)


def _decision(request, number: str, *, form=None, error: str = "", status: int = 200):
    got = ps.decision_page_of(number)
    if got is None:
        return _not_found(request, "view" if request.method == "GET" else "comment", "处罚决定", "decisions")
    document = ps.decision_document(got.version)
    return _page(request, "decision.html", "decisions", status, agency=got.entry.agency, got=got,
                 document=document, verify_url=reverse("document_verify", args=[document.token]) if document else "",
                 form=form or forms.CommentForm(), error=error)


@require_safe
def decision(request, number):
    return _decision(request, number)


@csrf_exempt  # CSRF is checked by _comment, once the body's size is known to be a comment's
@require_POST
def comment(request, number):
    """公众意见 (LW-P 12) on a live decision: refused with the form kept (400), or thanked."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        length = -1
    if length < 0:
        return _error(request, "comment", "no_length", "请求无效", "请求缺少长度信息，请使用浏览器重新提交。", 411,
                      section="decisions")
    if length > COMMENT_BODY_MAX:
        return _error(request, "comment", "too_large", "内容过长", "提交的内容过长，意见内容最多2000字。", 413,
                      section="decisions")
    return _comment(request, number)


@csrf_protect
def _comment(request, number):
    got = ps.decision_page_of(number)  # None: unknown, or never published — not public, as on its page
    if got is None:
        return _not_found(request, "comment", "处罚决定", "decisions")
    entry = got.entry
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        code, message = forms.first_error(form)
        _refused("comment", code, 400, entry)
        return _decision(request, number, form=form, error=message, status=400)
    d = form.cleaned_data
    try:
        row = services.comment(entry, kind=d["kind"], text=d["text"], name=d["name"], contact=d["contact"])
    except ValidationError as exc:
        code = exc.code or "invalid"
        _refused("comment", code, 400, entry)
        return _decision(request, number, form=form, error=exc.messages[0], status=400)
    return _page(request, "comment_done.html", "decisions", agency=entry.agency, entry=entry, row=row,
                 answered=bool(d["contact"]))


# The web edge (liuhen.web.middleware.BodyGuardMiddleware) sends an anonymous body to the login page
# unless the view takes one and refuses an oversized one itself, as `comment` does.
comment.polices_anonymous_body = True


# ---- 文书验真 ---------------------------------------------------------------------------------------------


@require_safe
def verify(request):
    """The token printed under a document's QR code → the documents app's verification page /v/<token>."""
    if "token" not in request.GET:
        return _page(request, "verify.html", "verify", form=forms.VerifyForm())
    form = forms.VerifyForm(request.GET)
    if not form.is_valid():
        code, message = forms.first_error(form)
        _refused("verify", code, 400, path=request.path)
        return _page(request, "verify.html", "verify", 400, form=form, error=message)
    return redirect("document_verify", form.cleaned_data["token"])
