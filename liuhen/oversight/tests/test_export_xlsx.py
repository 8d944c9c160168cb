"""Excel exports of 执法监督 (openpyxl): the findings with the page's filters applied and the
statistics of cases, with Chinese headers; every export a read event with the workbook's SHA-256;
text never becomes a formula; refused (403, recorded) for roles without access."""
import datetime
import hashlib
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liuhen.ledger.models import Entry
from liuhen.oversight import pages_vocabulary as v
from liuhen.oversight.export import FINDING_HEADER
from liuhen.testing.oversight import OTHER_CODE, clock, open_finding, resolve_finding, supervisor
from liuhen.testing.records import event
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.usefixtures("fresh_home")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def scene(world):
    case = world.open_case()
    open_finding(case, officer=world.officer, message="缺少询问笔录")
    gone, _ = open_finding(case, officer=world.officer2, code=OTHER_CODE, severity="warning", message="=1+2 公式不执行")
    resolve_finding(gone)
    now = timezone.now()
    clock(case, deadline="service", label="决定书送达", due_at=now - datetime.timedelta(days=1),
          met_at=now - datetime.timedelta(days=2))
    return world, case


def workbook(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="oversight-')
    return load_workbook(io.BytesIO(response.content))


def test_findings_workbook_holds_the_rows_with_chinese_headers(scene, client):
    world, case = scene
    boss = supervisor(world)
    login_verified(client, boss)
    response = client.get(reverse("oversight:export_findings"))
    wb = workbook(response)
    assert wb.sheetnames == ["问题清单", "分类统计", "按月统计", "筛选条件"]
    rows = list(wb["问题清单"].iter_rows(values_only=True))
    assert list(rows[0]) == FINDING_HEADER
    body = {r[10]: r for r in rows[1:]}
    assert set(body) == {"缺少询问笔录", "=1+2 公式不执行"}
    first = body["缺少询问笔录"]
    assert (first[1], first[2], first[3], first[4], first[7], first[12]) == (
        case.number, case.title, "水政监察大队", "张明", "错误", "未整改")
    assert body["=1+2 公式不执行"][12] == "已整改"
    cell = next(c for c in wb["问题清单"]["K"] if c.value == "=1+2 公式不执行")
    assert cell.data_type == "s"  # text, not a formula
    tallies = list(wb["分类统计"].iter_rows(values_only=True))
    assert ("科室", "水政监察大队", 2, 1, 1) in tallies and ("合计", "全部", 2, 1, 1) in tallies
    entry = Entry.objects.filter(action=v.EXPORT, actor_id=boss.pk).latest("id")
    detail = event(entry)["detail"]
    assert detail["what"] == "findings" and detail["rows"] == 2
    assert detail["sha256"] == hashlib.sha256(response.content).hexdigest()


def test_filters_apply_to_the_export(scene, client):
    world, case = scene
    login_verified(client, supervisor(world))
    wb = workbook(client.get(reverse("oversight:export_findings"), {"severity": "error"}))
    rows = list(wb["问题清单"].iter_rows(values_only=True))[1:]
    assert [r[10] for r in rows] == ["缺少询问笔录"]
    conditions = dict(wb["筛选条件"].iter_rows(values_only=True))
    assert conditions["严重程度"] == "错误" and "至" in conditions["期间"]
    entry = Entry.objects.filter(action=v.EXPORT).latest("id")
    assert event(entry)["detail"]["severity"] == "error"


def test_statistics_workbook(scene, client):
    world, case = scene
    login_verified(client, world.agency_head)
    wb = workbook(client.get(reverse("oversight:export_stats")))
    assert wb.sheetnames == ["案件统计", "按月统计", "期限按期率", "筛选条件"]
    counts = list(wb["案件统计"].iter_rows(values_only=True))
    assert ("执法类别", "行政处罚", 1) in counts and ("合计", "期间立案", 1) in counts
    rates = list(wb["期限按期率"].iter_rows(values_only=True))
    assert rates[0][0] == "期限" and ("决定书送达", "行政处罚法 61", 1, 0, 0, 0, 0, 100) in rates
    assert event(Entry.objects.filter(action=v.EXPORT).latest("id"))["detail"]["what"] == "stats"


def test_unit_head_exports_their_unit_only(scene, client):
    world, case = scene
    theirs = world.open_case(officer=world.outsider, officers=[], on_site=False)
    open_finding(theirs, officer=world.outsider, message="另一科室的问题")
    login_verified(client, world.unit_head)
    rows = list(workbook(client.get(reverse("oversight:export_findings")))["问题清单"].iter_rows(values_only=True))
    assert "另一科室的问题" not in {r[10] for r in rows}
    login_verified(client, supervisor(world))
    rows = list(workbook(client.get(reverse("oversight:export_findings")))["问题清单"].iter_rows(values_only=True))
    assert "另一科室的问题" in {r[10] for r in rows}


@pytest.mark.parametrize("who", ["officer", "officer2", "sysadmin"])
def test_export_refused_without_access_and_recorded(scene, client, who):
    world, case = scene
    user = getattr(world, who)
    login_verified(client, user)
    for name in ("oversight:export_findings", "oversight:export_stats"):
        response = client.get(reverse(name))
        assert response.status_code == 403 and response["Content-Type"].startswith("text/html")
    assert Entry.objects.filter(action="access.denied", actor_id=user.pk).count() == 2
    assert not Entry.objects.filter(action=v.EXPORT).exists()


def test_export_needs_login(client):
    response = client.get(reverse("oversight:export_findings"))
    assert response.status_code == 302 and "/login" in response["Location"]
