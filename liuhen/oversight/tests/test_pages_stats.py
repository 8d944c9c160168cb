"""执法监督 at province scale: every count of the findings and case statistics is an aggregate in the
database — the same numbers as counting the loaded rows one by one in Python (the pages' former
way, kept here as the reference) on generated data over several units, officers, kinds and months
(times on both sides of local midnight at a month's end: months are the agency's); the findings page
fetches only the rows it lists."""
import datetime
import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.oversight import selectors, stats
from liuhen.oversight.finding_models import Clock, Finding, FindingEvent
from liuhen.oversight.forms import CaseFilterForm, FindingFilterForm, StatsFilterForm, add_months
from liuhen.testing.oversight import OTHER_CODE, TEST_CODE, clock, supervisor
from liuhen.workdays import calendar

pytestmark = pytest.mark.usefixtures("fresh_home")
CODES = (TEST_CODE, OTHER_CODE, "oversight.T903")


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=calendar.agency_zone())


@pytest.fixture
def history(world):
    """Three units' cases; 160 findings opened and resolved (some reopened with another officer, kind
    or severity) over seven months, many within an hour of a month's local midnight."""
    third = acc.create_unit(None, world.agency, name="水土保持科")
    wu = acc.create_user(None, username="wu", full_name="吴刚", password=world.PASSWORD, agency=world.agency,
                         unit=third, roles=[Role.OFFICER])
    today = timezone.localdate()
    acc.issue_certificate(None, wu, number="14019999", valid_from=today - datetime.timedelta(days=365),
                          valid_until=today + datetime.timedelta(days=365))
    cases = [(world.open_case(), [world.officer, world.officer2, None]),
             (world.open_case(officer=world.outsider, officers=[], on_site=False), [world.outsider, None]),
             (world.open_case(officer=wu, officers=[], on_site=False), [wu])]
    rnd = random.Random(15)
    first = add_months(today.replace(day=1), -6)
    times = []
    for _ in range(160):
        m = add_months(first, rnd.randrange(7))
        if rnd.random() < 0.4:  # around local midnight at the month's start
            t = local(m, 0, 30) - datetime.timedelta(minutes=rnd.choice([0, 45, 90]))
        else:
            t = local(m, 9) + datetime.timedelta(days=rnd.randrange(27), minutes=rnd.randrange(600))
        times.append(min(t, timezone.now() - datetime.timedelta(minutes=1)))
    state = {}
    for at in sorted(times):
        case, officers = rnd.choice(cases)
        key = f"k{rnd.randrange(12)}"
        row = dict(case=case, agency_id=case.agency_id, unit_id=case.unit_id, key=key, stage=case.stage,
                   article="LQ 20", message=f"问题 {key}", fix="整改")
        if (case.pk, key) in state:
            f = state.pop((case.pk, key))
            FindingEvent.objects.create(event="resolved", at=at, code=f.code, severity=f.severity,
                                        officer=f.officer, **row)
            f.delete()
        else:
            fields = dict(code=rnd.choice(CODES), severity=rnd.choice(["error", "error", "warning"]),
                          officer=rnd.choice(officers))
            state[(case.pk, key)] = Finding.objects.create(opened_at=at, **fields, **row)
            FindingEvent.objects.create(event="opened", at=at, **fields, **row)
    return world, third


def data(form_class, user, **params):
    form = form_class(params, user=user)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def reference(user, d):
    """The findings counted the former way: every event loaded, its state found in Python."""
    events = [e for e in FindingEvent.objects.filter(stats._event_filters(user, d), event="opened")
              .filter(stats.period_q("at", d["first"], d["last"])).order_by("-at", "-id")]
    current = set(Finding.objects.values_list("case_id", "key"))
    latest = {}
    for e in events:
        latest.setdefault((e.case_id, e.key), e.pk)
    rows = [(e, (e.case_id, e.key) in current and latest[(e.case_id, e.key)] == e.pk) for e in events]
    if d.get("status") == "open":
        rows = [r for r in rows if r[1]]
    elif d.get("status") == "resolved":
        rows = [r for r in rows if not r[1]]

    def month(at):
        return at.astimezone(calendar.agency_zone()).strftime("%Y-%m")

    def tally(key):
        found, open_ = Counter(key(e) for e, _ in rows), Counter(key(e) for e, o in rows if o)
        return {k: (n, open_[k]) for k, n in found.items()}

    resolved = Counter(month(at) for at in FindingEvent.objects.filter(stats._event_filters(user, d), event="resolved")
                       .filter(stats.period_q("at", d["first"], d["last"])).values_list("at", flat=True))
    return {"rows": [(e.pk, o) for e, o in rows], "total": (len(rows), sum(o for _, o in rows)),
            "unit": tally(lambda e: e.unit_id), "officer": tally(lambda e: e.officer_id or stats.NONE),
            "code": tally(lambda e: e.code), "severity": tally(lambda e: e.severity),
            "month": tally(lambda e: month(e.at)), "resolved": dict(resolved)}


def nonzero(tallies):
    return {t.key: (t.found, t.open) for t in tallies if t.found}


@pytest.mark.parametrize("params", [
    {}, {"status": "open"}, {"status": "resolved"}, {"severity": "warning"}, {"code": OTHER_CODE},
    {"officer": "officer"}, {"unit": "third"}, {"start": "-6"}, {"start": "-6", "end": "-2", "status": "open"},
])
def test_finding_aggregates_equal_a_python_count(history, params):
    world, third = history
    boss = supervisor(world)
    today = timezone.localdate()
    params = dict(params)
    for name in ("start", "end"):
        if name in params:
            params[name] = add_months(today.replace(day=1), int(params[name])).strftime("%Y-%m")
    if params.get("officer"):
        params["officer"] = str(world.officer.pk)
    if params.get("unit"):
        params["unit"] = str(third.pk)
    d = data(FindingFilterForm, boss, **params)
    ref = reference(boss, d)
    fs = stats.finding_stats(boss, d)
    assert ref["total"][0] > 0
    assert (fs.total.found, fs.total.open) == ref["total"] and len(fs.rows) == ref["total"][0]
    assert [(r.event.pk, r.open) for r in fs.rows] == ref["rows"]
    assert [(r.event.pk, r.open) for r in fs.rows[:7]] == ref["rows"][:7]
    assert nonzero(fs.by_unit) == ref["unit"] and nonzero(fs.by_officer) == ref["officer"]
    assert nonzero(fs.by_code) == ref["code"] and nonzero(fs.by_severity) == ref["severity"]
    assert {t.key: (t.found, t.open) for t in fs.by_month if t.found} == ref["month"]
    assert {t.key: t.resolved_in_month for t in fs.by_month if t.resolved_in_month} == ref["resolved"]
    assert [t.key for t in fs.by_month] == [m.strftime("%Y-%m") for m in d["months"]]
    # Every unit in scope is listed, found or not; the officers and kinds most found first.
    assert {t.label for t in fs.by_unit} >= ({"水土保持科"} if params.get("unit") else {"水政监察大队", "水资源科", "水土保持科"})
    assert [t.found for t in fs.by_officer] == sorted((t.found for t in fs.by_officer), reverse=True)
    labels = {t.key: t.label for t in fs.by_officer}
    assert labels.get(stats.NONE, "未归属执法人员") == "未归属执法人员"
    assert labels.get(world.officer.pk, "张明") == "张明"


def test_unit_head_aggregates_are_their_units(history):
    world, _ = history
    d = data(FindingFilterForm, world.unit_head)
    ref = reference(world.unit_head, d)
    fs = stats.finding_stats(world.unit_head, d)
    assert nonzero(fs.by_unit) == ref["unit"] and set(ref["unit"]) == {world.unit.pk}
    assert (fs.total.found, fs.total.open) == ref["total"]


def test_findings_page_fetches_only_the_rows_it_lists(history, client):
    """The page lists the newest 200 findings: the query that reads findings' contents is limited to
    the rows listed, whatever the total; every count is an aggregate."""
    world, _ = history
    boss = supervisor(world)
    client.force_login(boss)
    d = data(FindingFilterForm, boss, start=add_months(timezone.localdate().replace(day=1), -6).strftime("%Y-%m"))
    total = reference(boss, d)["total"][0]
    assert total > 40
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("oversight:index"), {"start": d["first"].strftime("%Y-%m")}).content.decode()
    assert f"共发现 {total} 个问题" in html
    reads = [q["sql"] for q in ctx.captured_queries if '"oversight_findingevent"."message"' in q["sql"]]
    assert len(reads) == 1 and reads[0].rstrip().endswith("LIMIT 200"), reads


def test_case_statistics_equal_a_python_count(history):
    """Cases opened and archived per local month (also just after local midnight on a month's first
    day), by stage, and the on-time counts of generated clocks, against counting them in Python."""
    from liuhen.cases.models import Case

    world, _ = history
    boss = supervisor(world)
    today = timezone.localdate()
    cases = list(Case.objects.order_by("pk"))
    rnd = random.Random(30)
    extra = [world.open_case() for _ in range(5)]
    for i, c in enumerate(cases + extra):
        m = add_months(today.replace(day=1), -rnd.randrange(5))
        created = local(m, 0, 20) if i % 2 else local(m, 10)
        archived = created + datetime.timedelta(days=rnd.randrange(40)) if i % 3 == 0 else None
        if archived and archived > timezone.now():
            archived = None
        Case.objects.filter(pk=c.pk).update(created_at=created, archived_at=archived)
    now = timezone.now()
    for c in cases + extra:
        for j in range(6):
            due = now + datetime.timedelta(hours=rnd.randrange(-300, 300))
            met = None if j % 3 == 0 else due + datetime.timedelta(hours=rnd.randrange(-50, 50))
            deadline = rnd.choice(["service", "archive"])
            clock(c, deadline=deadline, label={"service": "决定书送达", "archive": "立卷归档"}[deadline], due_at=due, met_at=met,
                  started_at=now - datetime.timedelta(days=rnd.randrange(100)), unknown=j == 5)
    d = data(StatsFilterForm, boss)
    cs = stats.case_stats(boss, d, now)

    opened = [c for c in Case.objects.filter(agency=world.agency) if d["first"] <= timezone.localdate(c.created_at) <= d["last"]]
    assert cs.total == len(opened) == 8
    assert dict(cs.by_stage)["已归档"] == sum(1 for c in opened if c.archived_at)
    zone = calendar.agency_zone()
    months = Counter(c.created_at.astimezone(zone).strftime("%Y-%m") for c in opened)
    closed = Counter(c.archived_at.astimezone(zone).strftime("%Y-%m") for c in Case.objects.filter(archived_at__isnull=False)
                     if d["first"] <= timezone.localdate(c.archived_at) <= d["last"])
    assert [(a, b) for _, a, b in cs.by_month] == [(months[m.strftime("%Y-%m")], closed[m.strftime("%Y-%m")])
                                                   for m in d["months"]]
    expected = {}
    for c in Clock.objects.filter(stats.period_q("started_at", d["first"], d["last"])).order_by("deadline", "pk"):
        row = expected.setdefault(c.deadline, Counter())
        status = selectors.clock_view(c, now).status
        row[{selectors.DUE_SOON: selectors.RUNNING}.get(status, status)] += 1
    got = {o.deadline: Counter({k: n for k, n in (("met", o.met), ("met_late", o.met_late), ("overdue", o.overdue),
                                                  ("running", o.running), ("unknown", o.unknown)) if n})
           for o in cs.on_time}
    assert got == expected and sum(sum(r.values()) for r in got.values()) > 20
    assert [(o.deadline, o.label) for o in cs.on_time] == [("archive", "立卷归档"), ("service", "决定书送达")]


def test_case_list_clock_filter_looks_past_the_list_limit(world, monkeypatch):
    """案件列表 filtered by clocks finds an overdue case however many newer cases there are: the
    filter is applied before the list's limit."""
    monkeypatch.setattr(stats, "MAX_CASES", 3)
    boss = supervisor(world)
    late = world.open_case()
    clock(late, due_in=-datetime.timedelta(hours=5))
    for _ in range(4):
        clock(world.open_case(), due_in=datetime.timedelta(days=3))
    rows = stats.case_rows(boss, data(CaseFilterForm, boss, clock="overdue"))
    assert [r.case.pk for r in rows] == [late.pk] and rows[0].overdue == 1
    assert len(stats.case_rows(boss, data(CaseFilterForm, boss, clock="running"))) == 3
    assert stats.case_rows(boss, data(CaseFilterForm, boss, clock="unknown")) == []
