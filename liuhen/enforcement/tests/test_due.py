"""The state of compulsory execution as one pure function over RecordViews, and the deadlines it sets
(records.duedates source "enforcement"): the court window of 行政强制法 53 after the remedy deadlines,
each decision's 实施; the oversight scan turns an overdue court window into a finding."""
import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from liuhen.enforcement import due
from liuhen.enforcement import selectors as s
from liuhen.testing.enforcement import ago, decision, made, reminder, served_case, workday_ago
from liuhen.profiles.spec import ExecutionSpec
from liuhen.records import duedates
from liuhen.records.duedates import RecordView
from liuhen.workdays.calendar import end_of_day

SPEC = ExecutionSpec()
SERVED = timezone.make_aware(datetime.datetime(2026, 1, 10, 10, 0))
TODAY = datetime.date(2026, 9, 1)
AT = timezone.make_aware(datetime.datetime(2026, 8, 1, 9, 0))


def view(id, code, complete=True, voided=False, **content):
    return RecordView(id, code, voided, complete, AT if complete else None, AT, content)


def state(*records, reminders=None, today=TODAY):
    return s.enforcement_of(list(records), SPEC, served_at=SERVED, reminders_served=reminders or {}, today=today)


# ---- the pure state ------------------------------------------------------------------------------

def test_the_dates_from_service():
    e = state()
    # 行政诉讼法 46: six months from 2026-01-10 (later than 行政复议法 20's sixty days); 行政强制法 53: three months
    assert e.remedy_end == datetime.date(2026, 7, 10)
    assert (e.court_from, e.court_to) == (datetime.date(2026, 7, 11), datetime.date(2026, 10, 10))
    assert e.stage == s.NOT_STARTED and e.missing[0].startswith("尚未制作完成催告书")


def test_month_ends_are_clamped():
    assert s.add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert s.add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_the_earliest_decision_and_court_dates():
    r = view(1, s.REMINDER, issued_on="2026-08-01", deadline="2026-08-11")
    e = state(r, reminders={1: timezone.make_aware(datetime.datetime(2026, 8, 3, 10, 0))})
    assert e.earliest_decision == datetime.date(2026, 8, 12)
    assert e.earliest_court == datetime.date(2026, 8, 14)  # 送达 8-03, ten days, the 11th day
    assert e.stage == s.TO_DECIDE and e.missing == []
    assert state(r, today=datetime.date(2026, 8, 5)).stage == s.REMINDED
    assert "催告书尚未送达" in "".join(state(r).missing)


def test_the_stages_in_order():
    r = view(1, s.REMINDER, deadline="2026-08-11")
    d = view(2, s.DECISION, decided_on="2026-08-12", measure_kind="加处罚款或者滞纳金")
    m = view(3, s.MEASURE, measure_kind="加处罚款或者滞纳金", time="2026-08-13T10:00")
    assert state(r, d).stage == s.DECIDED and [x.id for x in state(r, d).waiting] == [2]
    assert state(r, d, m).stage == s.CARRIED_OUT
    other = view(3, s.MEASURE, measure_kind="划拨存款、汇款", time="2026-08-13T10:00")
    assert state(r, d, other).stage == s.DECIDED  # a measure of another way is not this decision's
    c = view(4, s.COURT, applied_on="2026-08-20", outcome="")
    assert state(r, c).stage == s.AT_COURT and state(r, c).court_pending
    assert state(r, c, view(5, s.COURT, applied_on="2026-08-20", outcome="执行完毕")).stage == s.DONE
    p = view(6, s.SUSPENSION, suspended_on="2026-08-20", resumed_on="")
    assert state(r, c, p).stage == s.SUSPENDED
    assert state(r, c, p, view(7, s.SUSPENSION, suspended_on="2026-08-20", resumed_on="2026-08-25")).stage == s.AT_COURT
    assert state(r, c, p, view(8, s.TERMINATION, ended_on="2026-08-30")).stage == s.TERMINATED
    assert state(view(1, s.REMINDER, voided=True, deadline="2026-08-11")).stage == s.NOT_STARTED


# ---- the due source (pure) -----------------------------------------------------------------------

def test_the_court_window_is_a_due_date_until_applied():
    profile = SimpleNamespace(execution=SPEC)  # the source reads only the execution section
    r = view(1, s.REMINDER, deadline="2026-08-11")
    [court] = due.source([r], profile, served_at=SERVED, now=AT)
    assert (court.key, court.label, court.article) == ("enforcement:court", "申请人民法院强制执行", "行政强制法 53")
    assert court.started_at == end_of_day(datetime.date(2026, 7, 10))
    assert court.due_at == end_of_day(datetime.date(2026, 10, 10)) and court.met_at is None
    assert court.period == "复议诉讼期限届满后3个月"  # oversight Clock.period holds 20 characters
    applied = view(2, s.COURT, applied_on="2026-08-20")
    assert due.source([r, applied], profile, served_at=SERVED, now=AT)[0].met_at == AT
    assert due.source([r, view(2, s.PERFORMANCE)], profile, served_at=SERVED, now=AT)[0].met_at == AT
    assert due.source([r], profile, served_at=None, now=AT) == []  # no service, no window
    assert due.source([view(2, s.COURT, complete=False)], profile, served_at=SERVED, now=AT) == []  # no 催告书


def test_a_decision_replaces_the_court_window_with_its_measure_clock():
    profile = SimpleNamespace(execution=SPEC)  # the source reads only the execution section
    r = view(1, s.REMINDER, deadline="2026-08-11")
    d = view(2, s.DECISION, decided_on="2026-08-12", measure_kind="加处罚款或者滞纳金")
    [measure] = due.source([r, d], profile, served_at=SERVED, now=AT)
    assert measure.key == "enforcement:measure:2" and measure.severity == "warning"
    assert measure.due_at == end_of_day(datetime.date(2026, 9, 11))  # MEASURE_DAYS after the 决定日期
    m = view(3, s.MEASURE, measure_kind="加处罚款或者滞纳金", time="2026-08-13T10:00")
    assert due.source([r, d, m], profile, served_at=SERVED, now=AT)[0].met_at == AT
    paused = view(3, s.SUSPENSION, suspended_on="2026-08-13", resumed_on="")
    assert due.source([r, d, paused], profile, served_at=SERVED, now=AT + datetime.timedelta(days=20)) == []


# ---- with the database: the page's views and the oversight scan ----------------------------------

@pytest.mark.usefixtures("fresh_home")
def test_the_registered_source_reads_the_case(world):
    from liuhen.profiles.selectors import profile_for_case
    from liuhen.records.selectors import states_for_case

    case = served_case(world)
    record = reminder(world, case)
    assert {"reminder_notice", "court_enforcement"} <= duedates.content_codes()
    found = [d for d in duedates.due_dates(duedates.views_of_states(states_for_case(case)), profile_for_case(case),
                                           served_at=timezone.now() - datetime.timedelta(days=200))
             if d.key.startswith("enforcement:")]
    assert [(d.key, d.subject_id) for d in found] == [("enforcement:court", str(record.pk))]


@pytest.mark.usefixtures("fresh_home")
def test_an_overdue_court_window_is_a_finding_until_terminated(world):
    from liuhen.oversight.engine import recheck_case
    from liuhen.oversight.finding_models import Clock, Finding

    case = served_case(world, served_days_ago=300)  # the window closed about 25 days ago
    reminder(world, case)
    recheck_case(case)
    finding = Finding.objects.get(case=case, key="clock:enforcement:court")
    assert finding.article == "行政强制法 53" and finding.message.startswith("申请人民法院强制执行已逾期")
    assert Clock.objects.filter(case=case, key="enforcement:court").exists()
    made(world, case, "enforcement_termination", ended_on=ago(0))
    recheck_case(case)
    # met late: a termination after the window still says the window was missed
    assert "逾期完成" in Finding.objects.get(case=case, key="clock:enforcement:court").message


@pytest.mark.usefixtures("fresh_home")
def test_a_decision_not_carried_out_is_a_warning(world):
    from liuhen.oversight.engine import recheck_case
    from liuhen.oversight.finding_models import Finding

    case = served_case(world, served_days_ago=300)
    reminder(world, case, issued_days_ago=60)
    record = decision(world, case, decided_days_ago=45)
    recheck_case(case)
    finding = Finding.objects.get(case=case, key=f"clock:enforcement:measure:{record.pk}")
    assert finding.severity == "warning" and "强制执行实施已逾期" in finding.message
    assert not Finding.objects.filter(case=case, key="clock:enforcement:court").exists()  # the decision covers it
    made(world, case, "enforcement_measure", measure_kind="加处罚款或者滞纳金", time=workday_ago(1))
    recheck_case(case)
    assert "逾期完成" in Finding.objects.get(case=case, key=f"clock:enforcement:measure:{record.pk}").message
