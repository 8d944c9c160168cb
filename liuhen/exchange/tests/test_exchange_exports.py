"""Bulk exports over the API (issue 21 §1): the cases, decisions and 双公示 lists as CSV (streamed) and
Excel, every item past the page size, Chinese column names, a formula kept text — read back by parsing
the bytes (csv, openpyxl); each export one exchange.call event with its format."""
import csv
import io
import json

import pytest
from openpyxl import load_workbook

from liuhen.exchange import services
from liuhen.exchange import vocabulary as v
from liuhen.ledger.models import Entry
from liuhen.publicity import export as publicity_export


@pytest.fixture
def token(world):
    return services.add_client(None, agency=world.agency, name="省监督平台", scopes=sorted(v.SCOPES), days=30)[1]


def get(client, token, path):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def csv_rows(answer) -> list[list[str]]:
    data = b"".join(answer.streaming_content)
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_rows(answer) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(answer.content), read_only=True).active
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


def calls():
    return [json.loads(bytes(e.leaf))["detail"] for e in Entry.objects.filter(action=v.CALL).order_by("pk")]


def test_cases_as_csv_and_excel_every_item_and_a_formula_kept_text(world, client, token):
    numbers = [world.open_case().number for _ in range(2)] + [world.open_case(title="=HYPERLINK(\"x\")").number]
    answer = get(client, token, "/api/v1/cases?format=csv&page_size=1")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert answer["Content-Disposition"].startswith('attachment; filename="cases-')
    header, *rows = csv_rows(answer)
    assert header == ["案件编号", "案由", "执法类别", "程序", "阶段", "立案日期", "结案日期", "归档日期"]
    assert [r[0] for r in rows] == numbers and rows[0][1] == "未经许可取水" and rows[0][4] == "程序启动"
    assert rows[2][1] == "'=HYPERLINK(\"x\")"  # a spreadsheet does not run it
    book = get(client, token, "/api/v1/cases?format=xlsx")
    assert book.status_code == 200 and book["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *rows = xlsx_rows(book)
    assert header[0] == "案件编号" and [r[0] for r in rows] == numbers
    cell = load_workbook(io.BytesIO(book.content)).active.cell(row=4, column=2)
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"  # text, not a formula
    assert [(c["count"], c["format"]) for c in calls()] == [(3, "csv"), (3, "xlsx")]


def test_decisions_and_publicity_as_csv_and_excel(world, client, token):
    from liuhen.testing.publicity import published_decision

    case, entry, _ = published_decision(world)
    header, row = csv_rows(get(client, token, "/api/v1/decisions?format=csv"))
    assert header == ["文号", "案件编号", "处罚类别", "罚款金额（元）", "决定日期", "状态", "状态变更时间",
                      "作废、撤销或替换理由", "替换文书文号"]
    assert row[1] == case.number and row[3] == "5000" and row[5] == "valid" and row[6:] == ["", "", ""]
    header, row = xlsx_rows(get(client, token, "/api/v1/decisions?format=xlsx"))
    assert header[1] == "案件编号" and row[1] == case.number
    header, row = csv_rows(get(client, token, "/api/v1/publicity?format=csv"))
    assert header == list(publicity_export.COLUMNS) and row[header.index("公示编号")] == entry.number
    assert row[header.index("罚款金额（万元）")] == "0.500000"
    header, row = xlsx_rows(get(client, token, "/api/v1/publicity?format=xlsx"))
    assert row[header.index("公示编号")] == entry.number
    assert [(c["route"], c["format"]) for c in calls()] == [
        ("/api/v1/decisions", "csv"), ("/api/v1/decisions", "xlsx"), ("/api/v1/publicity", "csv"),
        ("/api/v1/publicity", "xlsx")]


def test_an_empty_export_has_its_header_and_an_unknown_format_is_refused(world, client, token):
    header, *rows = csv_rows(get(client, token, "/api/v1/decisions?format=csv"))
    assert header[0] == "文号" and rows == []
    bad = get(client, token, "/api/v1/cases?format=pdf")
    assert bad.status_code == 400 and "format" in bad.json()["detail"]
    assert [c["format"] for c in calls()] == ["csv"]
