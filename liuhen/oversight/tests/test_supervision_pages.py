"""执法监督 (issue 15 item 6): findings by unit, officer, kind, severity and month — every count the
length of the list shown and exported; case lists with dates, clocks and search; statistics of
cases and the on-time rate per deadline; access for the 监督人员, 机关负责人, 法制审核人员 and a
承办机构负责人 (own unit), refused and recorded for others; bad filters a Chinese 400, recorded;
every look a read in the ledger; charts as accessible inline SVG."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.ledger.models import Entry
from liuhen.oversight import pages_vocabulary as v
from liuhen.oversight import stats
from liuhen.oversight.forms import FindingFilterForm, StatsFilterForm
from liuhen.testing.cases import add_person
from liuhen.testing.oversight import OTHER_CODE, TEST_CODE, clock, open_finding, person, resolve_finding, supervisor
from liuhen.testing.records import event
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.usefixtures("fresh_home")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def scene(world):
    """Three findings on a case of 水政监察大队 (张明's; one resolved since), one warning on 孙丽's
    case of 水资源科, one found 8 months ago (outside the default period)."""
    mine = world.open_case()
    theirs = world.open_case(officer=world.outsider, officers=[], on_site=False)
    a, _ = open_finding(mine, officer=world.officer, message="缺少询问笔录")
    b, _ = open_finding(mine, officer=world.officer, message="缺少送达回证")
    c, _ = open_finding(mine, officer=world.officer2, code=OTHER_CODE, message="缺少权利告知")
    resolve_finding(b)
    open_finding(theirs, officer=world.outsider, severity="warning", message="音像记录逾期存储")
    open_finding(mine, officer=world.officer, at=timezone.now() - 240 * DAY, message="很早以前的问题")
    return world, mine, theirs


def data(user, **params):
    form = FindingFilterForm(params, user=user)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def as_dict(tallies):
    return {t.label: (t.found, t.open) for t in tallies}


def test_counts_by_unit_officer_code_severity_and_month_match_the_findings(scene):
    world, mine, theirs = scene
    boss = supervisor(world)
    fs = stats.finding_stats(boss, data(boss))
    assert (fs.total.found, fs.total.open, fs.total.resolved) == (4, 3, 1)  # the old one is outside the period
    assert len(fs.rows) == 4 and sum(r.open for r in fs.rows) == 3
    assert as_dict(fs.by_unit) == {"水政监察大队": (3, 2), "水资源科": (1, 1)}
    assert as_dict(fs.by_officer) == {"张明": (2, 1), "李强": (1, 1), "孙丽": (1, 1)}
    assert {t.key: (t.found, t.open) for t in fs.by_code} == {TEST_CODE: (3, 2), OTHER_CODE: (1, 1)}
    assert as_dict(fs.by_severity) == {"错误": (3, 2), "提示": (1, 1)}
    this_month = timezone.localdate().strftime("%Y-%m")
    (month,) = [t for t in fs.by_month if t.key == this_month]
    assert (month.found, month.open, month.resolved_in_month) == (4, 3, 1)
    assert len(fs.by_month) == 6 and sum(t.found for t in fs.by_month) == 4
    # Filters narrow every table alike.
    fs = stats.finding_stats(boss, data(boss, severity="warning"))
    assert fs.total.found == 1 and as_dict(fs.by_unit) == {"水政监察大队": (0, 0), "水资源科": (1, 1)}
    fs = stats.finding_stats(boss, data(boss, officer=str(world.officer.pk), status="open"))
    assert [r.event.message for r in fs.rows] == ["缺少询问笔录"]
    fs = stats.finding_stats(boss, data(boss, code=OTHER_CODE))
    assert [r.event.message for r in fs.rows] == ["缺少权利告知"]
    old = timezone.localdate() - 240 * DAY
    fs = stats.finding_stats(boss, data(boss, start=old.strftime("%Y-%m")))
    assert fs.total.found == 5


def test_unit_head_sees_their_unit_only(scene, client):
    world, mine, theirs = scene
    fs = stats.finding_stats(world.unit_head, data(world.unit_head))
    assert as_dict(fs.by_unit) == {"水政监察大队": (3, 2)} and fs.total.found == 3
    login_verified(client, world.unit_head)
    response = client.get(reverse("oversight:index"), {"unit": world.other_unit.pk})
    assert response.status_code == 400 and "不在您的监督范围内" in response.content.decode()
    response = client.get(reverse("oversight:cases"))
    assert theirs.number not in response.content.decode() and mine.number in response.content.decode()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER, Role.UNIT_HEAD])
def test_who_may_look_and_each_look_is_a_read(scene, client, role):
    world = scene[0]
    user = person(world, f"p_{role}", [role], unit=world.unit)
    login_verified(client, user)
    for name in ("oversight:index", "oversight:cases", "oversight:stats"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    pages = [event(e)["detail"]["page"] for e in Entry.objects.filter(action=v.VIEW, actor_id=user.pk).order_by("id")]
    assert pages == ["findings", "cases", "stats"]


@pytest.mark.parametrize("who", ["officer", "sysadmin", "archivist"])
def test_others_are_refused_and_the_refusal_recorded(scene, client, who):
    from liuhen.testing.oversight import archivist

    world = scene[0]
    user = archivist(world) if who == "archivist" else getattr(world, who)
    login_verified(client, user)
    for name in ("oversight:index", "oversight:cases", "oversight:stats", "oversight:export_findings",
                 "oversight:export_stats"):
        response = client.get(reverse(name))
        assert response.status_code == 403 and "执法监督" in response.content.decode()
    assert Entry.objects.filter(action="access.denied", actor_id=user.pk).count() == 5
    assert not Entry.objects.filter(action__in=[v.VIEW, v.EXPORT], actor_id=user.pk).exists()


@pytest.mark.parametrize("params, message", [
    ({"start": "2026-13"}, "月份“2026-13”无效"),
    ({"start": "yesterday"}, "无效"),
    ({"start": "2026-10", "end": "2026-01"}, "起始月份不能晚于截止月份"),
    ({"start": "2020-01", "end": "2026-01"}, "最长 36 个月"),
    ({"severity": "fatal"}, "严重程度无效"),
    ({"status": "x"}, "整改情况无效"),
    ({"unit": "abc"}, "科室"),
    ({"unit": "999999"}, "不在您的监督范围内"),
    ({"officer": "999999"}, "执法人员"),
    ({"code": "<script>"}, "问题类型无效"),
])
def test_bad_filters_are_a_chinese_400_recorded(scene, client, params, message):
    world = scene[0]
    boss = supervisor(world)
    login_verified(client, boss)
    for name in ("oversight:index", "oversight:export_findings"):
        response = client.get(reverse(name), params)
        assert response.status_code == 400, (name, params)
        assert message in response.content.decode()
    assert Entry.objects.filter(action=v.REFUSED, actor_id=boss.pk).count() == 2
    assert not Entry.objects.filter(action__in=[v.VIEW, v.EXPORT], actor_id=boss.pk).exists()


@pytest.mark.parametrize("name, params, message", [
    ("oversight:cases", {"stage": "nowhere"}, "阶段无效"),
    ("oversight:cases", {"clock": "late"}, "期限筛选无效"),
    ("oversight:cases", {"kind": "x"}, "执法类别无效"),
    ("oversight:cases", {"q": "a\x00b"}, "空字符"),
    ("oversight:cases", {"q": "a\x07b"}, "搜索内容"),
    ("oversight:stats", {"end": "99999-01"}, "无效"),
])
def test_bad_case_and_stats_filters(scene, client, name, params, message):
    boss = supervisor(scene[0])
    login_verified(client, boss)
    response = client.get(reverse(name), params)
    assert response.status_code == 400 and message in response.content.decode()
    assert Entry.objects.filter(action=v.REFUSED, actor_id=boss.pk).exists()


def test_case_list_dates_clocks_and_search_by_number_cause_and_party(scene, client):
    world, mine, theirs = scene
    add_person(world, theirs, actor=world.outsider, name="清河渔业合作社", kind="organisation",
               id_number="91350100M000100Y43")
    clock(mine, deadline="service", label="决定书送达", due_in=-DAY)
    clock(mine, deadline="archive", label="立卷归档", due_in=3 * DAY)
    boss = supervisor(world)
    login_verified(client, boss)
    html = client.get(reverse("oversight:cases")).content.decode()
    assert mine.number in html and theirs.number in html and "逾期 1" in html and "进行中 1" in html
    assert timezone.localtime(mine.created_at).strftime("%Y-%m-%d") in html
    for q, found in (("清河渔业", theirs), ("91350100M000100Y43", theirs), (mine.number, mine)):
        html = client.get(reverse("oversight:cases"), {"q": q}).content.decode()
        other = theirs if found is mine else mine
        assert found.number in html and other.number not in html, q
    entry = Entry.objects.filter(action=v.VIEW, actor_id=boss.pk).latest("id")
    assert event(entry)["detail"]["q"] == "text"  # a typed name is never in the log
    assert "清河" not in bytes(Entry.objects.filter(actor_id=boss.pk).latest("id").leaf).decode()
    html = client.get(reverse("oversight:cases"), {"clock": "overdue"}).content.decode()
    assert mine.number in html and theirs.number not in html


def test_case_statistics_and_on_time_rate(scene):
    world, mine, theirs = scene
    now = timezone.now()
    clock(mine, deadline="service", label="决定书送达", due_at=now - DAY, met_at=now - 2 * DAY)  # on time
    clock(theirs, deadline="service", label="决定书送达", due_at=now - 3 * DAY, met_at=now - DAY)  # late
    clock(mine, deadline="service", label="决定书送达", due_in=-DAY)  # overdue
    clock(theirs, deadline="service", label="决定书送达", due_in=DAY)  # running
    clock(mine, deadline="publicity", label="公示", unknown=True)
    boss = supervisor(world)
    form = StatsFilterForm({}, user=boss)
    assert form.is_valid()
    cs = stats.case_stats(boss, form.cleaned_data)
    assert cs.total == 2 and dict(cs.by_kind)["行政处罚"] == 2 and dict(cs.by_stage)["程序启动"] == 2
    assert sum(a for _, a, _ in cs.by_month) == 2
    service = next(o for o in cs.on_time if o.deadline == "service")
    assert (service.met, service.met_late, service.overdue, service.running) == (1, 1, 1, 1)
    assert service.rate_label == "33.3%"
    publicity = next(o for o in cs.on_time if o.deadline == "publicity")
    assert publicity.unknown == 1 and publicity.rate_label == "—"


def test_charts_are_accessible_svg_with_the_numbers_as_text(scene, client):
    boss = supervisor(scene[0])
    login_verified(client, boss)
    html = client.get(reverse("oversight:index")).content.decode()
    assert html.count("<svg") == 2 and 'role="img"' in html and "<title id=\"chart-by-unit-title\">" in html
    assert "水政监察大队：发现3件，未整改2件" in html  # the description reads every number
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    html = client.get(reverse("oversight:stats")).content.decode()
    assert html.count("<svg") == 2 and "行政处罚：案件2件" in html
