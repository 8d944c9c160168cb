"""双公示 export (liuhen.publicity.export): the rows of the published decisions, and the CSV, Excel and
JSON files made of them — opened back with the readers a credit platform uses."""
import csv
import io
import json

import pytest

from liuhen.publicity import export, redact, services
from liuhen.testing.cases import CREDIT_CODE, PERSON_ID
from liuhen.testing.publicity_workflow_scene import fined, scene_fixture, world_of


# A world whose one entry is `fined`'s published decision (export_scene): built once per run and copied in.
scene = scene_fixture("scene", "export_scene")


@pytest.fixture
def world(request, db):
    return world_of(request)


@pytest.fixture
def published(scene):
    return scene.fined


def test_a_published_decision_is_one_row_with_every_column(world, published):
    case, entry, version = published
    rows = export.rows(world.agency)
    assert len(rows) == 1
    row = rows[0]
    assert tuple(row) == export.COLUMNS
    assert row["公示编号"] == entry.number and row["公示网址"].endswith(f"/public/decisions/{entry.number}/")
    assert row["决定书文号"] == version.summary["决定书文号"] and row["决定书文号"]
    assert row["处罚类别"] == "罚款" and row["行政相对人类别"] == "自然人"
    assert row["处罚决定日期"] == version.summary["决定日期"]
    assert row["数据来源单位"] == world.agency.name and row["处罚机关"] == version.summary["处罚机关"] != ""
    assert row["暂扣或吊销证照名称及编号"] == "" and row["处罚有效期"] == "2099-12-31"
    assert row["违法事实"] == version.summary["违法事实"] and "倾倒建筑垃圾" in row["违法事实"]


def test_no_id_number_or_phone_in_any_cell(world, published):
    row = export.rows(world.agency)[0]
    for key, value in row.items():
        assert redact.leaks(value) == [], key
    flat = "".join(row.values())
    assert "210502199003071234" not in flat and PERSON_ID not in flat and "1234-5678" not in flat
    assert "胜利路12号" not in flat  # the address after 住址 in the facts


def test_fines_are_in_wan_yuan_with_six_decimals(world, published):
    row = export.rows(world.agency)[0]
    assert row["罚款金额（万元）"] == "0.500000"
    assert row["没收违法所得、没收非法财物的金额（万元）"] == "1.234500"
    assert export.wan("") == "" and export.wan("1") == "0.000100" and export.wan("abc") == ""


def test_an_organisation_gives_its_credit_code_and_representative(world):
    from liuhen.cases import services as cases

    case = world.open_case()
    cases.add_party(world.officer, case, kind="organisation", name="本溪市某建材有限公司", id_number=CREDIT_CODE,
                    legal_representative="赵六")
    fined(world, case)
    row = export.rows(world.agency)[0]
    assert row["统一社会信用代码"] == CREDIT_CODE and row["法定代表人"] == "赵六"
    assert row["行政相对人类别"] == "法人及非法人组织、自然人"  # the organisation, then 王五 (to_investigation's)
    assert PERSON_ID not in row["统一社会信用代码"]  # the person's ID number is not a credit code


def test_withdrawn_is_not_in_the_default_export(world, published):
    _, entry, _ = published
    services.withdraw(world.agency_head, entry, "行政复议决定撤销原处罚决定")
    assert export.rows(world.agency) == []
    ended = export.rows(world.agency, include_ended=True)
    assert len(ended) == 1 and ended[0][export.STATE] == "已撤回"
    assert "行政复议决定撤销原处罚决定" in ended[0]["备注"]
    assert list(ended[0])[-1] == export.STATE


def test_the_year_is_the_decision_date(world, published):
    _, _, version = published
    year = int(version.summary["决定日期"][:4])
    assert len(export.rows(world.agency, year=year)) == 1
    assert export.rows(world.agency, year=year - 1) == []


def test_csv_opens_back_with_bom_crlf_and_header(world, published):
    data = export.as_csv(export.rows(world.agency))
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert table[0] == list(export.COLUMNS) and len(table) == 2
    assert dict(zip(table[0], table[1]))["罚款金额（万元）"] == "0.500000"


def test_csv_guards_formulas():
    rows = [{**dict.fromkeys(export.COLUMNS, ""), "行政相对人名称": "=HYPERLINK(\"http://x\")",
             "违法事实": "+1", "处罚依据": "-2", "处罚内容": "@SUM(A1)", "备注": "正常"}]
    table = list(csv.reader(io.StringIO(export.as_csv(rows).decode("utf-8-sig"), newline="")))
    got = dict(zip(table[0], table[1]))
    assert got["行政相对人名称"] == "'=HYPERLINK(\"http://x\")"
    assert (got["违法事实"], got["处罚依据"], got["处罚内容"], got["备注"]) == ("'+1", "'-2", "'@SUM(A1)", "正常")


def test_an_empty_export_still_has_its_header():
    table = list(csv.reader(io.StringIO(export.as_csv([]).decode("utf-8-sig"), newline="")))
    assert table == [list(export.COLUMNS)]


def test_xlsx_opens_back_with_openpyxl(world, published):
    from openpyxl import load_workbook

    rows = export.rows(world.agency)
    rows[0]["备注"] = "=1+1"
    wb = load_workbook(io.BytesIO(export.as_xlsx(rows)))
    ws = wb["行政处罚"]
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == list(export.COLUMNS) and ws["A1"].font.b
    got = dict(zip(values[0], values[1]))
    assert got["公示编号"] == rows[0]["公示编号"] and got["罚款金额（万元）"] == "0.500000"
    assert ws.cell(row=2, column=len(export.COLUMNS)).data_type == "s" and got["备注"] == "=1+1"
    assert ws.column_dimensions["G"].width == 60  # 违法事实


def test_json_parses_with_its_envelope(world, published):
    rows = export.rows(world.agency)
    data = json.loads(export.as_json(rows, agency=world.agency).decode("utf-8"))
    assert data["数据来源单位"] == world.agency.name and data["记录数"] == 1 and data["导出时间"]
    assert data["记录"] == rows
    assert "倾倒" in export.as_json(rows, agency=world.agency).decode("utf-8")  # ensure_ascii off


def test_the_last_guard_empties_a_cell_that_still_looks_personal(world, published):
    """A summary that slipped past the approval's check (e.g. written before the finder knew a pattern):
    the cell stays out of the export and 备注 says so."""
    from types import SimpleNamespace

    _, entry, version = published
    slipped = SimpleNamespace(summary={**version.summary, "违法事实": "当事人电话13812345678"}, reason="")
    row = export._row(entry, slipped, "live", world.agency, "http://x", False)
    assert row["违法事实"] == "" and "违法事实含疑似个人信息，未导出" in row["备注"]
    assert all(redact.leaks(value) == [] for value in row.values())
