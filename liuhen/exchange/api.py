"""The exchange API (数据交换接口) for supervision and provincial platforms, mounted by
liuhen/web/api.py at /api/v1/. Every call carries a client's bearer token (auth.py) and is an
exchange.call event (client, route, status, count of items).

    GET  /api/v1/cases?since=&page=&page_size=     cases:read       the agency's cases (no party's data)
    GET  /api/v1/decisions?since=&page=&page_size= decisions:read   the issued 决定书
    GET  /api/v1/publicity?year=                   publicity:read   the 双公示 rows (publicity.export)
    GET  /api/v1/statistics/{year}                 statistics:read  the year's figures (publicity.statistics)
    POST /api/v1/matters                           matters:write    an 执法事项 from the provincial platform →
                                                                    a draft 事前公开 entry (waits for review)
    POST /api/v1/officers                          officers:write   an 执法人员 from the provincial platform
    POST /api/v1/certificates                      officers:write   an 执法证 of a received officer

`format=` on the first three: json (paged), or every item — ndjson (one JSON object a line) and csv
streamed, xlsx (Excel) built from the same batches. `agency=` on the four reads (上级监督): another
agency's 统一社会信用代码 or 文号简称 — allowed to a client holding supervised:read when its agency
supervises that agency now (accounts.Supervision not ended), else 403 and an exchange.refused event;
each read's exchange.call event names the agency read. The writes act for the client's agency only."""
import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from ninja.errors import HttpError
from pydantic import ConfigDict, Field, field_validator

from liuhen.ledger.refusals import error_codes
from liuhen.publicity import export as publicity_export
from liuhen.publicity import services as publicity_services
from liuhen.publicity import statistics

from . import exports, officers, selectors, services
from . import vocabulary as v
from .auth import ClientRate, ClientToken

router = Router(tags=["数据交换"], throttle=[ClientRate()])

FORMATS = ("json", "ndjson", "csv", "xlsx")
FORMAT_PATTERN = f"^({'|'.join(FORMATS)})$"
FORMAT_HELP = "json（分页）；ndjson、csv、xlsx（全部条目：逐行 JSON、CSV、Excel）"
MAX_PAGE_SIZE = 500


def _description() -> str:
    scopes = "\n".join(f"  - `{code}`：{label}" for code, label in v.SCOPES.items())
    return ("行政执法全过程记录系统的接口（OpenAPI 3）。三类调用方：\n\n"
            "- **对接平台**（省级执法平台、监督平台、信用平台）：`Authorization: Bearer <令牌>` 调用 `/api/v1/`；"
            "令牌由系统管理员以 `liuhen api client add 名称 --scopes … --days N` 生成，只显示一次，可停用；"
            "每个令牌只有登记时授予的权限范围：\n" + scopes + "\n"
            "- **采集站**（执法记录仪的采集工作站）：`Authorization: Bearer <令牌>` 调用 `/api/footage/`；"
            "令牌由 `liuhen device station add` 生成。\n"
            "- **浏览器**：以登录会话调用 `/api/footage/`，写操作须带 X-CSRFToken。\n\n"
            "**上级监督**：监督机关（如县司法局）的令牌若含 `supervised:read`，读取接口可带 `agency=`"
            "（被监督机关的统一社会信用代码或文号简称），读取其现正监督的机关的数据；"
            "不带时读取本机关的。写入接口只为本机关报送。\n\n"
            "令牌缺失、无效、过期或已停用：401；权限范围不含该接口，或 `agency=` 不是本机关或其现正监督的机关：403；"
            "JSON 无效、字段未知或类型不符：400；"
            "请求体过大：413；调用过于频繁：429（见 Retry-After）。每次调用和每次拒绝都记入留痕日志。")


DESCRIPTION = _description()


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


AGENCY_HELP = ("执法机关的统一社会信用代码或文号简称：本机关（默认）或本机关现正监督的机关"
               "（令牌须含 supervised:read）")


class Read(Strict):
    agency: str | None = Field(None, max_length=40, pattern=r"^[^\x00-\x1f\x7f]*$", description=AGENCY_HELP)


class Listing(Read):
    since: datetime.datetime | None = Field(None, description="只返回此时间（ISO 8601）以来新增或变化的")
    page: int = Field(1, ge=1, le=1_000_000, description="页码，从 1 起")
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数（至多 {MAX_PAGE_SIZE}）")
    format: str = Field("json", pattern=FORMAT_PATTERN, description=FORMAT_HELP)

    @field_validator("since")
    @classmethod
    def _in_utc(cls, value: datetime.datetime | None) -> datetime.datetime | None:
        """In UTC (no offset given: Beijing time): ISO 8601 allows offsets up to ±24 h, PostgreSQL
        only up to ±16 h, and a moment is the same in UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.get_current_timezone())
        try:
            return value.astimezone(datetime.timezone.utc)
        except (OverflowError, ValueError):
            raise ValueError("时间超出范围") from None


class CaseOut(Schema):
    number: str = Field(..., description="案件编号")
    title: str = Field(..., description="案由")
    kind: str = Field(..., description="执法类别")
    procedure: str = Field(..., description="程序")
    stage: str = Field(..., description="阶段")
    opened_on: str | None = Field(..., description="立案日期")
    closed_on: str | None = Field(..., description="结案日期（进入归档管理阶段）")
    archived_on: str | None = Field(..., description="归档日期")


class DecisionOut(Schema):
    number: str = Field(..., description="文号")
    case_number: str = Field(..., description="案件编号")
    penalty_kind: str = Field(..., description="处罚类别")
    fine_amount: int | None = Field(..., description="罚款金额（元）")
    decided_on: str | None = Field(..., description="决定日期")
    status: str = Field(..., description="valid 有效 / voided 作废 / revoked 撤销 / replaced 被替代")
    status_at: str | None = Field(..., description="作废、撤销或被替代的时间（有效时为空）")
    status_reason: str = Field(..., description="作废、撤销或替换的理由（含个人信息时不予提供）")
    replaced_by: str = Field(..., description="替代文书的文号（被替代时）")


class CasePage(Schema):
    count: int
    page: int
    pages: int
    items: list[CaseOut]


class DecisionPage(Schema):
    count: int
    page: int
    pages: int
    items: list[DecisionOut]


class PublicityQuery(Read):
    year: int | None = Field(None, ge=2000, le=2100, description="只返回决定日期在该年度的")
    format: str = Field("json", pattern=FORMAT_PATTERN, description=FORMAT_HELP)


PUBLICITY_COLUMNS = {c: c for c in publicity_export.COLUMNS}


class PublicityOut(Schema):
    count: int
    items: list[dict[str, str]] = Field(..., description="双公示（行政处罚）信息，列名同导出表")


class ErrorOut(Schema):
    detail: str
    code: str = ""


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut, 429: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


class MatterIn(Strict):
    """执法事项 as the provincial platform sends it (LW-P 7: 事前公开 of the matters the agency handles)."""

    name: str = Field(..., min_length=1, max_length=300, description="事项名称")
    basis: str = Field(..., min_length=1, max_length=2000, description="法规依据")
    conditions: str = Field("", max_length=2000, description="办理条件")
    procedure: str = Field("", max_length=2000, description="办理程序")
    time_limit: str = Field("", max_length=200, description="办理时限")
    code: str = Field("", max_length=100, description="省级平台的事项编码")
    body: str = Field("", max_length=50000, description="公示内容（正文）")


class MatterOut(Schema):
    entry: str = Field(..., description="公示编号")
    version: int
    status: str = Field(..., description="draft：公示稿，待审核、批准后发布")


SUMMARY = (("name", "事项名称"), ("code", "事项编码"), ("basis", "法规依据"), ("conditions", "办理条件"),
           ("procedure", "办理程序"), ("time_limit", "办理时限"))


def _known_only(request: HttpRequest, schema) -> None:
    """A query parameter the route does not know is refused (400), not ignored: a platform's typo
    (pagesize for page_size) would otherwise read as a different question."""
    unknown = sorted(set(request.GET) - set(schema.model_fields))
    if unknown:
        services.refuse(v.UNKNOWN_FIELD, client=request.auth, route=request.path, status=400)
        raise HttpError(400, f"未知的查询参数：{'、'.join(u[:40] for u in unknown[:10])}。")


def _agency(request: HttpRequest, code: str | None):
    """The agency a read call reads (selectors.readable_agency); another one → 403, recorded."""
    agency = selectors.readable_agency(request.auth, code)
    if agency is None:
        services.refuse(v.AGENCY, client=request.auth, route=request.path, status=403, agency=code[:40])
        raise HttpError(403, f"该令牌无权读取执法机关“{code[:40]}”的数据：只能读取本机关，或持“supervised:read”"
                             f"权限时读取本机关现正监督的机关。")
    return agency


def _bulk(request: HttpRequest, agency, fmt: str, count: int, batches, columns: dict[str, str], name: str):
    """Every one of `count` items, read as `batches` (lists of rows): NDJSON and CSV streamed while they
    are read, Excel built from them. `columns`: the Chinese column names of CSV and Excel."""
    services.log_call(request.auth, route=request.path, count=count, agency=agency.pk, format=fmt)
    if fmt == "ndjson":
        lines = (json.dumps(r, ensure_ascii=False, default=str) + "\n" for batch in batches for r in batch)
        return StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    filename = f"{name}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        answer = StreamingHttpResponse(exports.csv_lines(columns, batches), content_type=exports.CSV_TYPE)
    else:
        answer = HttpResponse(exports.xlsx_bytes(name, columns, batches), content_type=exports.XLSX_TYPE)
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    return answer


def _batches(pages: Paginator, to_rows):
    for number in pages.page_range:
        yield to_rows(pages.page(number))


def _listing(request: HttpRequest, q: Listing, read, to_rows, columns: dict[str, str], name: str):
    """`read(agency, since)`: the query of the agency `q.agency` names (the client's own by default)."""
    _known_only(request, Listing)
    agency = _agency(request, q.agency)
    qs = read(agency, q.since)
    if q.format != "json":  # everything, read a page of MAX_PAGE_SIZE at a time while it is sent
        everything = Paginator(qs, MAX_PAGE_SIZE)
        return _bulk(request, agency, q.format, everything.count, _batches(everything, to_rows), columns, name)
    pages = Paginator(qs, q.page_size)
    page = pages.page(q.page) if q.page <= pages.num_pages else []
    items = to_rows(page)
    services.log_call(request.auth, route=request.path, count=len(items), agency=agency.pk, page=q.page)
    return {"count": pages.count, "page": q.page, "pages": pages.num_pages, "items": items}


@router.get("/cases", response={200: CasePage, **ERRORS}, auth=ClientToken(v.CASES_READ),
            summary="案件", description="案件编号、案由、执法类别、程序、阶段、立案/结案/归档日期；不含当事人信息。")
def cases(request, q: Query[Listing]):
    return _listing(request, q, selectors.cases, selectors.case_rows, exports.CASE_COLUMNS, "cases")


@router.get("/decisions", response={200: DecisionPage, **ERRORS}, auth=ClientToken(v.DECISIONS_READ),
            summary="行政处罚决定书（已签发）",
            description="`since=`：此后签发的，以及此后作废、撤销或被替代的（带新状态、时间和理由）。")
def decisions(request, q: Query[Listing]):
    return _listing(request, q, selectors.decisions, selectors.decision_rows, exports.DECISION_COLUMNS, "decisions")


@router.get("/publicity", response={200: PublicityOut, **ERRORS}, auth=ClientToken(v.PUBLICITY_READ),
            summary="双公示信息（行政处罚）")
def publicity(request, q: Query[PublicityQuery]):
    _known_only(request, PublicityQuery)
    agency = _agency(request, q.agency)
    rows = [{k: str(val) for k, val in r.items()} for r in publicity_export.rows(agency, year=q.year)]
    if q.format != "json":
        return _bulk(request, agency, q.format, len(rows), [rows], PUBLICITY_COLUMNS, "publicity")
    services.log_call(request.auth, route=request.path, count=len(rows), agency=agency.pk)
    return {"count": len(rows), "items": rows}


@router.get("/statistics/{year}", response={200: dict, **ERRORS}, auth=ClientToken(v.STATISTICS_READ),
            summary="年度行政执法数据")
def annual_statistics(request, q: Query[Read], year: int = Path(..., ge=2000, le=2100, description="统计年度")):
    _known_only(request, Read)
    if not 2000 <= year <= timezone.localdate().year:
        services.refuse("year", client=request.auth, route=request.path, status=400)
        raise HttpError(400, f"统计年度应在 2000 至 {timezone.localdate().year} 之间。")
    agency = _agency(request, q.agency)
    figures = statistics.annual(agency, year)
    services.log_call(request.auth, route=request.path, count=1, agency=agency.pk)
    return figures


@router.post("/matters", response={201: MatterOut, **ERRORS}, auth=ClientToken(v.MATTERS_WRITE),
             summary="报送执法事项（生成事前公开草稿）")
def matters(request, data: MatterIn):
    _known_only(request, Strict)  # no `agency=`: a client writes for its own agency only
    client = request.auth
    summary = {label: getattr(data, key) for key, label in SUMMARY if getattr(data, key)}
    try:
        if client.account_id is None:
            raise PermissionDenied("该对接平台没有报送账号，请重新登记。")
        version = publicity_services.draft_content(client.account, "matter", title=data.name, summary=summary, body=data.body)
    except (ValidationError, PermissionDenied) as exc:
        status = 403 if isinstance(exc, PermissionDenied) else 400
        services.refuse(v.INVALID, client=client, route=request.path, status=status, codes=error_codes(exc)[:10])
        raise HttpError(status, "；".join(getattr(exc, "messages", None) or [str(exc)])) from None
    services.log_call(client, route=request.path, status=201, count=1, entry=version.entry.number)
    return Status(201, {"entry": version.entry.number, "version": version.n, "status": "draft"})


class OfficerIn(Strict):
    """执法人员 as the provincial platform has them now (the whole record: a second identical call changes
    nothing)."""

    officer_id: str = Field(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$",
                            description="省级平台的人员编号（在本机关内唯一）")
    name: str = Field(..., min_length=1, max_length=50, description="姓名")
    unit: str = Field("", max_length=100, description="执法机构（本机关已有的名称；空：不属于任何执法机构）")
    active: bool = Field(True, description="在岗；false：调离或离岗，账号停用")


class OfficerOut(Schema):
    officer_id: str
    username: str = Field(..., description="本系统的登录名（密码由系统管理员设置后方可登录）")
    result: str = Field(..., description="created 新建 / updated 已变更 / unchanged 无变化")
    changed: list[str] = Field(..., description="变更的字段")


class CertificateIn(Strict):
    """执法证 of an officer the platform sent (by its 执法证号: a second identical call changes nothing)."""

    officer_id: str = Field(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$",
                            description="持证人的平台人员编号（须先报送该人员）")
    number: str = Field(..., min_length=1, max_length=40, description="执法证号")
    valid_from: datetime.date = Field(..., description="有效期起")
    valid_until: datetime.date = Field(..., description="有效期止")
    issued_by: str = Field("", max_length=100, description="发证机关")
    revoked: bool = Field(False, description="已注销（注销后不能恢复）")


class CertificateOut(Schema):
    number: str
    officer_id: str
    result: str = Field(..., description="created 新建 / updated 已变更 / unchanged 无变化")
    changed: list[str] = Field(..., description="变更的字段")


def _received(request: HttpRequest, receive, **data):
    """Run a receiving service; its refusal (nothing written) answered 400/409 and recorded. No query
    parameter (no `agency=`): a client writes for its own agency only."""
    _known_only(request, Strict)
    try:
        return receive(request.auth, **data)
    except (ValidationError, IntegrityError) as exc:
        status = 400 if isinstance(exc, ValidationError) else 409
        services.refuse(v.INVALID, client=request.auth, route=request.path, status=status, codes=error_codes(exc)[:10])
        message = "；".join(exc.messages) if status == 400 else "同一条目正由另一调用报送，请稍后重试。"
        raise HttpError(status, message) from None


@router.post("/officers", response={200: OfficerOut, 201: OfficerOut, **WRITE_ERRORS},
             auth=ClientToken(v.OFFICERS_WRITE), summary="报送执法人员（新建或变更账号）")
def receive_officer(request, data: OfficerIn):
    result, row, changed = _received(request, officers.receive_officer, **data.model_dump())
    status = 201 if result == officers.CREATED else 200
    services.log_call(request.auth, route=request.path, status=status, count=1, result=result,
                      officer_id=data.officer_id, user=row.user_id, changed=changed)
    return Status(status, {"officer_id": data.officer_id, "username": row.user.username, "result": result,
                           "changed": changed})


@router.post("/certificates", response={200: CertificateOut, 201: CertificateOut, **WRITE_ERRORS},
             auth=ClientToken(v.OFFICERS_WRITE), summary="报送执法证（新建、变更或注销）")
def receive_certificate(request, data: CertificateIn):
    result, cert, changed = _received(request, officers.receive_certificate, **data.model_dump())
    status = 201 if result == officers.CREATED else 200
    services.log_call(request.auth, route=request.path, status=status, count=1, result=result,
                      certificate=cert.pk, changed=changed)
    return Status(status, {"number": cert.number, "officer_id": data.officer_id, "result": result,
                           "changed": changed})
