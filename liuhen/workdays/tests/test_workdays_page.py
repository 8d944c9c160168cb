"""The calendar page /workdays/: everyone logged in sees the known years, a year's holidays and
adjusted working weekends and its month grids; the 系统管理员 uploads a schedule file; a refused
file is a 4xx page naming its lines, recorded in the ledger, and loses nothing."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liuhen.ledger.models import Entry
from liuhen.testing.workdays import FICTIONAL_2038, clean_calendar, fictional_text, schedule_text  # noqa: F401
from liuhen.testing.otp import login_verified
from liuhen.workdays import calendar, services
from liuhen.workdays import vocabulary as v
from liuhen.workdays.models import YearSchedule

pytestmark = pytest.mark.usefixtures("clean_calendar")
URL = reverse("workdays:index")
LOAD = reverse("workdays:load")


def upload(client, text, reason="国务院办公厅发布通知"):
    f = SimpleUploadedFile("schedule.yaml", text.encode("utf-8"), content_type="application/x-yaml")
    return client.post(LOAD, {"file": f, "reason": reason})


@pytest.mark.pages_only
def test_everyone_logged_in_sees_a_year(client, world):
    assert client.get(URL).status_code == 302  # not logged in: to the login page
    login_verified(client, world.officer)
    page = client.get(URL, {"year": "2026"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "春节" in html and "2月15日（周日）至23日（周一）" in html and "2026-02-14（周六）" in html and "2026-10-10" in html
    assert "全年工作日 <strong>248</strong> 天" in html
    assert 'class="wd-adjusted' in html and 'title="2026-02-14 调休上班"' in html
    assert 'title="2026-02-16 春节放假"' in html
    assert "载入放假安排" not in html  # the upload form is the 系统管理员's
    assert Entry.objects.filter(action=v.VIEW, actor_id=world.officer.pk).exists()
    page = client.get(URL, {"year": "2038"})
    assert page.status_code == 200 and "2038 年：未知" in page.content.decode()
    page = client.get(URL, {"year": "abc"})
    assert page.status_code == 400 and "年度“abc”无效" in page.content.decode()
    assert Entry.objects.filter(action=v.REFUSED, actor_id=world.officer.pk).exists()


def test_the_system_administrator_uploads_a_schedule(client, world):
    login_verified(client, world.sysadmin)
    assert "载入放假安排" in client.get(URL).content.decode()
    response = upload(client, FICTIONAL_2038)
    assert response.status_code == 302 and response["Location"].endswith("?year=2038")
    row = YearSchedule.objects.get(year=2038)
    assert row.loaded_by == world.sysadmin and row.reason == "国务院办公厅发布通知"
    assert calendar.known(2038)
    html = client.get(response["Location"]).content.decode()
    assert "测试〔2038〕1号" in html and "生效" in html and "已载入 2038 年放假安排" in html
    # A second, different load of the year supersedes the first; both stay listed.
    assert upload(client, FICTIONAL_2038.replace("workdays: [2038-02-13]", "workdays: []")).status_code == 302
    html = client.get(URL, {"year": "2038"}).content.decode()
    assert "已被取代" in html and YearSchedule.objects.filter(year=2038).count() == 2


def test_a_bad_file_is_refused_with_its_line_and_loses_nothing(client, world):
    login_verified(client, world.sysadmin)
    services_before = Entry.objects.filter(action=v.DENIED).count()
    bad = FICTIONAL_2038.replace("workdays: [2038-02-13]", "workdays: [2038-02-10]")
    response = upload(client, bad, reason="一个错误的文件")
    html = response.content.decode()
    assert response.status_code == 400
    assert "未载入，原有的工作日历不变" in html and "第 8 行：调休上班日 2038-02-10 是周三，不是周末" in html
    assert 'value="一个错误的文件"' in html  # what was typed comes back
    assert not YearSchedule.objects.filter(year=2038).exists() and not calendar.known(2038)
    assert Entry.objects.filter(action=v.DENIED).count() == services_before + 1
    response = upload(client, "year: [\n")
    assert response.status_code == 400 and "YAML 格式错误" in response.content.decode()
    # no file at all: the form refuses, recorded too
    response = client.post(LOAD, {"reason": "x"})
    assert response.status_code == 400 and "请选择放假安排文件" in response.content.decode()
    assert Entry.objects.filter(action=v.REFUSED, actor_id=world.sysadmin.pk).exists()
    # the same file as the one in force: 409
    assert upload(client, schedule_text(2026)).status_code == 302
    assert upload(client, schedule_text(2026)).status_code == 409


@pytest.mark.pages_only
def test_only_the_system_administrator_may_upload(client, world):
    for person in (world.officer, world.agency_head):
        login_verified(client, person)
        response = upload(client, FICTIONAL_2038)
        assert response.status_code == 403 and "只有系统管理员" in response.content.decode()
        assert Entry.objects.filter(action="access.denied", actor_id=person.pk).exists()
    assert not YearSchedule.objects.filter(year=2038).exists()
    login_verified(client, world.sysadmin)
    assert client.get(LOAD).status_code == 405


def test_a_missing_notice_is_wanted_from_november_and_for_an_unknown_year(db):
    from liuhen.workdays.selectors import missing_notice

    last = max(calendar.known_years())  # the test seed knows this year and next (known_around_today)
    assert missing_notice(datetime.date(last - 1, 10, 31)) is None
    assert missing_notice(datetime.date(last - 1, 11, 1)) is None  # next year known
    assert missing_notice(datetime.date(last, 10, 31)) is None  # too early to ask for the year after
    assert missing_notice(datetime.date(last, 11, 1)) == last + 1
    assert missing_notice(datetime.date(2038, 3, 2)) == 2038  # this year itself unknown
    assert missing_notice() is None  # today, on the seed


def test_the_first_page_reminds_of_a_missing_notice_and_the_administrator_may_load_it(client, world, monkeypatch):
    from liuhen.web.context import first_page_url
    from liuhen.workdays import selectors

    login_verified(client, world.sysadmin)
    home = first_page_url(world.sysadmin)
    assert 'id="workdays-missing-notice"' not in client.get(home).content.decode()
    last = max(calendar.known_years())
    monkeypatch.setattr(selectors, "today", lambda: datetime.date(last, 12, 4))
    html = client.get(home).content.decode()
    assert 'id="workdays-missing-notice"' in html and f"{last + 1} 年的国务院办公厅放假安排尚未载入" in html
    assert f'href="{URL}?year={last + 1}">载入放假安排</a>' in html
    assert 'id="workdays-missing-notice"' not in client.get(URL).content.decode()  # the first page only
    login_verified(client, world.officer)
    html = client.get(first_page_url(world.officer)).content.decode()
    assert f"{last + 1} 年的放假安排尚未载入系统" in html and "系统管理员载入后自动计算" in html
    assert "载入放假安排</a>" not in html
    services.load_schedule(None, fictional_text(last + 1), reason="测试")
    assert 'id="workdays-missing-notice"' not in client.get(first_page_url(world.officer)).content.decode()
