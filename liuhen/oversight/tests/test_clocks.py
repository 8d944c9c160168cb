"""Clocks: working-day counting (day 1 is the first working day strictly after the start date;
holidays and adjusted working weekends), an unknown year stays unknown, and the status of a clock."""
import datetime

import pytest

from django.utils import timezone

from liuhen.oversight import clocks
from liuhen.oversight.finding_models import ClockStatus
from liuhen.profiles.spec import Period

# the working-day calendar reads the loaded notices from the database
pytestmark = pytest.mark.django_db


def _local(*args):
    return timezone.make_aware(datetime.datetime(*args), timezone.get_fixed_timezone(480))


def _day(when):
    return timezone.localtime(when).date()


def test_working_days_skip_the_national_day_holiday_and_count_the_adjusted_saturday(settings):
    start = _local(2026, 9, 30, 15, 0)  # a Wednesday before 国庆节 (10-01 … 10-07 off)
    assert _day(clocks.due(start, Period.parse("1wd"))) == datetime.date(2026, 10, 8)
    # 2026-10-10 is a Saturday worked in exchange (调休上班): it counts.
    assert _day(clocks.due(start, Period.parse("3wd"))) == datetime.date(2026, 10, 10)
    assert _day(clocks.due(start, Period.parse("4wd"))) == datetime.date(2026, 10, 12)


def test_day_one_is_the_first_working_day_strictly_after_the_start_date():
    monday = _local(2026, 6, 1, 8, 0)
    assert _day(clocks.due(monday, Period.parse("1wd"))) == datetime.date(2026, 6, 2)
    friday = _local(2026, 6, 5, 23, 0)
    assert _day(clocks.due(friday, Period.parse("1wd"))) == datetime.date(2026, 6, 8)


def test_hours_and_calendar_days():
    start = _local(2026, 3, 1, 10, 0)
    assert clocks.due(start, Period.parse("24h")) == start + datetime.timedelta(hours=24)
    assert _day(clocks.due(start, Period.parse("7d"))) == datetime.date(2026, 3, 8)


def test_a_year_the_calendar_does_not_know_is_unknown_never_monday_to_friday():
    from liuhen.workdays import calendar

    last = max(calendar.known_years())  # the last year the calendar knows; the next one it does not
    late_december = _local(last, 12, 28, 9, 0)
    assert clocks.due(late_december, Period.parse("10wd")) is None
    # a period that ends inside the known year is computed
    assert clocks.due(_local(last, 12, 1, 9, 0), Period.parse("3wd")) is not None


def test_status():
    now = _local(2026, 6, 10, 12, 0)
    due = _local(2026, 6, 12, 23, 59)
    assert clocks.status_of(due, None, now) == ClockStatus.RUNNING
    assert clocks.status_of(due, None, now, soon_at=due - datetime.timedelta(days=3)) == ClockStatus.DUE_SOON
    assert clocks.status_of(due, None, due + datetime.timedelta(minutes=1)) == ClockStatus.OVERDUE
    assert clocks.status_of(due, due - datetime.timedelta(hours=1), now) == ClockStatus.MET
    assert clocks.status_of(due, due + datetime.timedelta(hours=1), now) == ClockStatus.MET_LATE
    assert clocks.status_of(None, None, now) == ClockStatus.UNKNOWN


def test_a_case_s_clocks_start_at_their_anchors_and_stop_at_their_ends(world):
    from liuhen.testing.cases import complete, to_decision
    from liuhen.testing.findings import clocks as case_clocks

    case = to_decision(world)
    found = case_clocks(case)
    assert "service" not in found  # no decision yet: its clock has not started
    assert found["handling_limit"].status == ClockStatus.RUNNING
    assert found["handling_limit"].started_at == case.created_at
    complete(world, case, "handling_opinion")
    complete(world, case, "leader_approval")
    decision = complete(world, case, "decision")
    found = case_clocks(case)
    assert found["handling_limit"].status == ClockStatus.MET
    service = found["service"]
    # 行政处罚法 61 and 85: seven days to serve, and that law's 七日 are working days.
    assert service.status == ClockStatus.RUNNING and service.article == "行政处罚法 61, 85"
    assert service.started_at == decision.signatures.order_by("signed_at").last().signed_at
    from liuhen.workdays import calendar

    assert service.due_at == calendar.due(service.started_at, 7, "wd")
    assert _day(service.due_at) >= _day(service.started_at) + datetime.timedelta(days=9)  # a weekend at least
