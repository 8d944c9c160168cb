"""The current search as CSV or as an Excel workbook (openpyxl), for the audit administrator."""
import csv
import io
import json

from django.utils import timezone

HEADER = ["条目号", "叶序号", "时间", "操作", "操作代码", "操作人编号", "操作人用户名", "操作人姓名", "操作人角色",
          "对象类型", "对象编号", "对象版本", "内容摘要", "渠道", "IP地址", "请求编号", "详情", "叶哈希"]


def values(row: dict) -> list:
    return [row["id"], row["seq"], timezone.localtime(row["entry"].created_at).strftime("%Y-%m-%d %H:%M:%S"),
            row["action_label"], row["action"], row["actor_id"], row["actor_username"], row["actor_name"],
            row["actor_role_labels"], row["object_type"], row["object_id"], row["object_version"],
            row["content_sha256"], row["channel"], row["ip"], row["request_id"],
            json.dumps(row["detail"], ensure_ascii=False, sort_keys=True), row["leaf_hash"]]


# A cell starting with one of these is a formula to a spreadsheet (CSV injection): a username or an
# object id typed by someone could run in the auditor's Excel. OWASP: prefix a quote.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def csv_chunks(rows):
    """The CSV, as UTF-8 with a byte-order mark (so that Excel reads the Chinese), a row at a time."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for row in rows:
        yield writer.writerow([_csv_safe(v) for v in values(row)])


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    ws.append(HEADER)
    for row in rows:
        cells = []
        for value in values(row):
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: never a formula
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
