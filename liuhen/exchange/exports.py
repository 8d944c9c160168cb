"""Bulk exports over the API (批量导出): the cases, decisions and 双公示 lists as CSV or Excel, with
Chinese column names. CSV is streamed (UTF-8 with a byte-order mark so that Excel reads the Chinese,
CRLF line ends); Excel is built by openpyxl's write-only workbook from the same batches of rows. A
cell that a spreadsheet would read as a formula is kept text (CSV injection: a leading quote in CSV,
a text cell in Excel)."""
import csv
import io

CASE_COLUMNS = {"number": "案件编号", "title": "案由", "kind": "执法类别", "procedure": "程序", "stage": "阶段",
                "opened_on": "立案日期", "closed_on": "结案日期", "archived_on": "归档日期"}
DECISION_COLUMNS = {"number": "文号", "case_number": "案件编号", "penalty_kind": "处罚类别",
                    "fine_amount": "罚款金额（元）", "decided_on": "决定日期", "status": "状态",
                    "status_at": "状态变更时间", "status_reason": "作废、撤销或替换理由", "replaced_by": "替换文书文号"}

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    return "" if value is None else str(value)


def _csv_cell(value) -> str:
    value = _text(value)
    return "'" + value if value.startswith(_FORMULA) else value


def _csv_line(cells) -> str:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerow(cells)
    return buf.getvalue()


def csv_lines(columns: dict[str, str], batches):
    """The header line (with the byte-order mark), then one line a row, as `batches` are read."""
    yield "\ufeff" + _csv_line(columns.values())
    for batch in batches:
        for row in batch:
            yield _csv_line(_csv_cell(row.get(key)) for key in columns)


def xlsx_bytes(sheet: str, columns: dict[str, str], batches) -> bytes:
    """One sheet: the header row bold, then the rows; every cell written as text, never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    bold = Font(bold=True)

    def cell(value, font=None):
        c = WriteOnlyCell(ws, value=_text(value))
        c.data_type = "s"
        if font is not None:
            c.font = font
        return c

    ws.append([cell(label, bold) for label in columns.values()])
    for batch in batches:
        for row in batch:
            ws.append([cell(row.get(key)) for key in columns])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
