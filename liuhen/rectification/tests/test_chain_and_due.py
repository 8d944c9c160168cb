"""The chain of orders and the "rectification" due source (records.duedates; BX 10, LC 23): pure functions
over RecordView lists — the re-check due `recheck_days` working days after the 整改期限 (the calendar's
holidays counted, an unknown year unknown), met by the first complete re-check — and what the oversight
engine makes of it: an overdue re-check is a deadline finding, a timely one none."""
import dataclasses
import datetime

import pytest
from django.utils import timezone

from liuhen.oversight import engine
from liuhen.oversight import vocabulary as ov
from liuhen.oversight.finding_models import Clock, Finding
from liuhen.profiles import loader
from liuhen.records.duedates import RecordView, due_dates
from liuhen.rectification import selectors as s
from liuhen.workdays.calendar import end_of_day

from liuhen.testing.rectification import order, recheck, service_case

BASE = loader.packaged("base")
T0 = datetime.datetime(2025, 9, 1, 9, 0, tzinfo=datetime.timezone.utc)


def view(id_, code, *, complete=True, voided=False, at=T0, **content):
    return RecordView(id_, code, voided, complete, at if complete else None, at, content)


def an_order(id_, deadline, **kw):
    return view(id_, s.ORDER, deadline=deadline, issued_on="2025-09-01", **kw)


def a_check(id_, deadline, outcome="未改正", **kw):
    return view(id_, s.CHECK, deadline=deadline, outcome=outcome, **kw)


def with_days(n):
    return dataclasses.replace(BASE, execution=dataclasses.replace(BASE.execution, recheck_days=n))


@pytest.mark.django_db
def test_the_re_check_is_due_five_working_days_after_the_deadline_holidays_counted():
    # 2025: 26 Sep is a Friday; 28 Sep (a Sunday) is worked, 1-8 Oct are the National Day holiday.
    [d] = due_dates([an_order(1, "2025-09-26")], BASE, now=T0)
    assert d.key == "rectification:1" and d.label == "整改复查" and d.article == "BX 10, LC 23"
    assert d.due_at == end_of_day(datetime.date(2025, 10, 10)) and d.met_at is None
    assert d.started_at == T0 and d.period == "整改期限届满后5个工作日"
    assert (d.subject_kind, d.subject_id) == ("record", "1")
    [d2] = due_dates([an_order(1, "2025-09-26")], with_days(1), now=T0)
    assert d2.due_at == end_of_day(datetime.date(2025, 9, 28)) and d2.period == "整改期限届满后1个工作日"


@pytest.mark.django_db
def test_a_year_the_calendar_does_not_know_gives_no_due_time():
    [d] = due_dates([an_order(1, "2100-03-01")], BASE, now=T0)
    assert d.due_at is None
    [o] = s.orders([an_order(1, "2100-03-01")], 5)
    assert o.recheck_on is None and o.status(T0) == s.WAITING


@pytest.mark.django_db
def test_met_by_the_first_complete_re_check_of_its_order():
    met = T0 + datetime.timedelta(days=30)
    records = [an_order(1, "2025-09-26"), a_check(2, "2025-09-26", complete=False),
               a_check(3, "2025-09-26", at=met), a_check(4, "2025-09-26", at=met + datetime.timedelta(days=1))]
    [d] = due_dates(records, BASE, now=T0)
    assert d.met_at == met


@pytest.mark.django_db
def test_only_complete_not_voided_orders_set_a_due_date():
    records = [an_order(1, "2025-09-26", voided=True), an_order(2, "2025-09-26", complete=False)]
    assert due_dates(records, BASE, now=T0) == []
    assert [o.status(T0) for o in s.orders(records, 5)] == [s.DRAFT]


@pytest.mark.django_db
def test_the_chain_pairs_each_re_check_with_its_order_and_tells_the_status():
    records = [an_order(1, "2025-09-10"), a_check(2, "2025-09-10", "部分改正"),
               an_order(3, "2025-09-26"), a_check(4, "2025-09-26", "已按期改正"),
               an_order(5, "2025-11-03"), a_check(6, "2025-09-10", voided=True)]
    chain = s.orders(records, 5)
    assert [(o.record.id, [c.id for c in o.checks]) for o in chain] == [(1, [2]), (3, [4]), (5, [])]
    later = datetime.datetime(2025, 11, 10, 23, 0, tzinfo=datetime.timezone.utc)  # 11-11 07:00 in Beijing
    assert [o.status_label(later) for o in chain] == ["待再次责令改正", "已改正", "逾期未复查"]
    assert chain[2].recheck_on == datetime.date(2025, 11, 10)
    assert chain[2].status(datetime.datetime(2025, 11, 10, 15, 0, tzinfo=datetime.timezone.utc)) == s.WAITING
    assert [o.waiting for o in chain] == [False, False, True] and s.waiting(chain) == [chain[2]]


# ---- the oversight engine ------------------------------------------------------------------------------

def test_an_overdue_re_check_is_a_deadline_finding_resolved_by_the_late_re_check(world):
    case = service_case(world)
    o = order(world, case, issued=-30, deadline=-20)  # due some 13 days ago
    engine.recheck_case(case)
    f = Finding.objects.get(case=case, key=f"clock:rectification:{o.pk}")
    assert f.code == ov.DEADLINE_OVERDUE and "整改复查已逾期" in f.message and f.article == "BX 10, LC 23"
    assert "整改期限届满后5个工作日" in f.message and f.due_at is not None and f.due_at < timezone.now()
    assert Clock.objects.get(case=case, key=f"rectification:{o.pk}").status == "overdue"
    recheck(world, case, deadline=-20)
    engine.recheck_case(case)
    assert Clock.objects.get(case=case, key=f"rectification:{o.pk}").status == "met_late"
    f = Finding.objects.get(case=case, key=f"clock:rectification:{o.pk}")
    assert "整改复查逾期完成" in f.message


def test_a_timely_re_check_leaves_no_finding(world):
    case = service_case(world)
    o = order(world, case, issued=-10, deadline=-2)
    engine.recheck_case(case)
    assert Clock.objects.get(case=case, key=f"rectification:{o.pk}").status in ("running", "due_soon")
    assert not Finding.objects.filter(case=case, key__startswith="clock:rectification").exists()
    recheck(world, case, deadline=-2, outcome="未改正")
    engine.recheck_case(case)
    assert Clock.objects.get(case=case, key=f"rectification:{o.pk}").status == "met"
    assert not Finding.objects.filter(case=case, key__startswith="clock:rectification").exists()


def test_the_overdue_re_check_is_on_the_officer_s_to_do_list(world):
    from liuhen.oversight.todo import deadline_items

    case = service_case(world)
    order(world, case, issued=-30, deadline=-20)
    engine.recheck_case(case)
    [item] = [i for i in deadline_items(world.officer) if i.title.startswith("整改复查")]
    assert item.title == "整改复查（整改期限届满后5个工作日）" and item.red and "BX 10, LC 23" in item.detail
    assert item.case == case
