"""双公示 — the agency's published penalty decisions as the record set the credit platforms (信用中国 and
the provincial credit-sharing platforms) take in: one row per decision, in the columns of the national
行政处罚 data standard as this project lists them, exported as CSV, Excel or JSON.

Every value is the published one — the live version's summary (摘要), already redacted and checked by
redact.leaks before it went online — never the text as served: a natural person's ID number, phone or
address is NEVER exported (the 统一社会信用代码 column holds only organisations' codes, text.decision_summary),
and each free-text cell passes redact.leaks once more here (the last guard: a cell that fails is emptied
and said in 备注). Amounts are in 万元, as the platforms read them (the summary holds 元).
"""
from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from liuhen.cases.models import PartyKind
from liuhen.cases.selectors import current_parties
from liuhen.documents.services import public_url
from liuhen.ledger import services as ledger

from . import redact
from . import selectors as s
from . import vocabulary as v
from .models import Entry, EntryKind

FORMATS = ("csv", "xlsx", "json")
COLUMNS = ("行政相对人名称", "行政相对人类别", "统一社会信用代码", "法定代表人", "决定书文号", "违法行为类型", "违法事实",
           "处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）",
           "暂扣或吊销证照名称及编号", "处罚决定日期", "处罚有效期", "公示截止期", "处罚机关", "处罚机关统一社会信用代码",
           "数据来源单位", "数据来源单位统一社会信用代码", "公示编号", "公示网址", "备注")
STATE = "状态"  # the last column, with include_ended
# The free-text columns the last guard reads (the codes and dates are built, not typed).
_TEXT = ("行政相对人名称", "法定代表人", "违法行为类型", "违法事实", "处罚依据", "处罚内容", "暂扣或吊销证照名称及编号")
# 行政相对人类别 (the data standard's three classes; 个体工商户 is not told apart from a person in our parties).
_PARTY_CLASS = {PartyKind.PERSON: "自然人", PartyKind.ORGANISATION: "法人及非法人组织"}
# The data standard reads 2099-12-31 as 长期: a penalty whose effect has no end date.
_LONG_TERM = "2099-12-31"
_WAN = Decimal(10000)
_MICRO = Decimal("0.000001")


def wan(yuan) -> str:
    """元 → 万元 with six decimals ("5000" → "0.500000"); "" when there is no amount."""
    text = str(yuan or "").strip().replace(",", "")
    if not text:
        return ""
    try:
        return str((Decimal(text) / _WAN).quantize(_MICRO))
    except InvalidOperation:
        return ""


def _party_class(case) -> str:
    kinds = dict.fromkeys(_PARTY_CLASS.get(p.kind, "") for p in current_parties(case))
    return "、".join(k for k in kinds if k)


def _shown(entry: Entry, include_ended: bool):
    """(the version the row is made of, its status) — the live version; with include_ended the last
    published version of an entry withdrawn, expired or removed early. (None, _) otherwise."""
    state = s.status(entry)
    if state == s.LIVE:
        return s.live_version(entry), state
    if include_ended and state in (s.WITHDRAWN, s.EXPIRED, s.REMOVED):
        return s.published_versions(entry)[-1], state
    return None, state


def _remarks(version, state: str, entry: Entry) -> list[str]:
    out = [version.reason] if version.reason else []
    if state in (s.WITHDRAWN, s.REMOVED):
        end = s.end_step(entry)
        if end is not None and end.reason:
            out.append(f"{s.STATUS_LABELS[state]}：{end.reason}")
    return out


def _row(entry: Entry, version, state: str, agency, base: str, include_ended: bool) -> dict:
    sm = version.summary
    row = {
        "行政相对人名称": sm.get("当事人", ""),
        "行政相对人类别": _party_class(entry.case),
        "统一社会信用代码": sm.get("统一社会信用代码", ""),  # organisations' only: never a person's ID number
        "法定代表人": sm.get("法定代表人", ""),
        "决定书文号": sm.get("决定书文号", ""),
        "违法行为类型": sm.get("违法行为类型", ""),
        "违法事实": sm.get("违法事实", ""),
        "处罚依据": sm.get("处罚依据", ""),
        "处罚类别": sm.get("处罚类别", ""),
        "处罚内容": sm.get("处罚内容", ""),
        "罚款金额（万元）": wan(sm.get("罚款金额（元）")),
        "没收违法所得、没收非法财物的金额（万元）": wan(sm.get("没收金额（元）")),
        "暂扣或吊销证照名称及编号": sm.get("暂扣或吊销证照名称及编号", ""),
        "处罚决定日期": sm.get("决定日期", ""),
        "处罚有效期": sm.get("处罚有效期", "") or _LONG_TERM,
        "公示截止期": sm.get("公示截止期", ""),
        "处罚机关": sm.get("处罚机关", ""),
        "处罚机关统一社会信用代码": sm.get("处罚机关统一社会信用代码", ""),
        "数据来源单位": agency.name,
        "数据来源单位统一社会信用代码": agency.credit_code,
        "公示编号": entry.number,
        "公示网址": f"{base}/public/decisions/{entry.number}/",
        "备注": "",
    }
    remarks = _remarks(version, state, entry)
    for key in _TEXT:
        if redact.leaks(row[key]):  # the last guard: approval checked it; a cell that still fails stays out
            row[key] = ""
            remarks.append(f"{key}含疑似个人信息，未导出")
    row["备注"] = "；".join(remarks)
    if include_ended:
        row[STATE] = s.STATUS_LABELS[state]
    return row


def rows(agency, *, year: int | None = None, include_ended: bool = False) -> list[dict]:
    """The 双公示 rows of `agency`'s published decisions, by 公示编号: each decision entry's live version
    (with `include_ended`, also the last published version of those withdrawn, expired or removed, and
    a 状态 column); `year`: the decisions dated in that year. Keys in COLUMNS' order (+ 状态).
    A natural person's ID number is never exported (see the module's docstring)."""
    base = public_url()
    out = []
    entries = Entry.objects.filter(agency=agency, kind=EntryKind.DECISION).select_related("case").order_by("number")
    for entry in entries:
        version, state = _shown(entry, include_ended)
        if version is None:
            continue
        if year is not None and not str(version.summary.get("决定日期", "")).startswith(f"{year}-"):
            continue
        out.append(_row(entry, version, state, agency, base, include_ended))
    return out


def _header(rows_: list[dict]) -> list[str]:
    return list(rows_[0]) if rows_ else list(COLUMNS)


# A cell starting with one of these is a formula to a spreadsheet (CSV injection, OWASP): a party's name
# or a fact typed by someone could run in the credit platform's Excel — a leading quote keeps it text.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value) -> str:
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(_FORMULA) else value


def as_csv(rows_: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads the Chinese), CRLF line ends, a header row."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    header = _header(rows_)
    writer.writerow(header)
    for row in rows_:
        writer.writerow([_csv_safe(row.get(k)) for k in header])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _width(header: str) -> int:
    wide = {"违法事实": 60, "处罚依据": 40, "处罚内容": 40, "公示网址": 48, "备注": 30, "行政相对人名称": 28}
    return wide.get(header, max(12, min(30, len(header) * 2 + 2)))


def as_xlsx(rows_: list[dict]) -> bytes:
    """An Excel workbook (openpyxl, write-only): one sheet, the header row bold, columns sized; every
    text cell written as text — never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("行政处罚")
    header = _header(rows_)
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width(name)
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    for row in rows_:
        cells = []
        for name in header:
            cell = WriteOnlyCell(ws, value=str(row.get(name) or ""))
            cell.data_type = "s"  # text stays text: never a formula
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def as_json(rows_: list[dict], *, agency, at: datetime.datetime | None = None) -> bytes:
    """UTF-8 JSON: {"导出时间", "数据来源单位", "数据来源单位统一社会信用代码", "记录数", "记录": [row, …]}."""
    at = timezone.localtime(at or timezone.now())
    envelope = {"导出时间": at.isoformat(timespec="seconds"), "数据来源单位": agency.name,
                "数据来源单位统一社会信用代码": agency.credit_code, "记录数": len(rows_), "记录": rows_}
    return json.dumps(envelope, ensure_ascii=False, indent=1).encode("utf-8")


def render(fmt: str, rows_: list[dict], *, agency) -> bytes:
    if fmt == "csv":
        return as_csv(rows_)
    if fmt == "xlsx":
        return as_xlsx(rows_)
    if fmt == "json":
        return as_json(rows_, agency=agency)
    raise ValueError(fmt)


def log_export(actor, agency, *, fmt: str, count: int, year: int | None, sha256: str, channel: str) -> None:
    """The export in the ledger (a read: publicity.export): the agency, the format, how many rows, the
    year asked and the file's SHA-256 — no row's content. `actor` None for a script (the CLI)."""
    ledger.append(v.EXPORT, actor=actor, object_type=agency.ledger_object_type, object_id=agency.pk,
                  detail={"format": fmt, "count": count, "year": year, "sha256": sha256, "channel": channel})
