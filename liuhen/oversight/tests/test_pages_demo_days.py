"""One calendar: the demo puts its steps on the working days the deadlines count on
(liuhen.workdays.calendar) — a schedule loaded moves both alike — and only in a year that calendar
does not know (where no deadline can end) does it take Monday to Friday."""
import datetime

import pytest

from liuhen.demo import days
from liuhen.testing.workdays import clean_calendar, fictional_text  # noqa: F401 — a fixture
from liuhen.workdays import services

DAY = datetime.timedelta(days=1)


@pytest.mark.pages_only
@pytest.mark.django_db
def test_demo_days_are_the_deadlines_working_days(clean_calendar):
    for start in (datetime.date(2025, 9, 26), datetime.date(2026, 1, 30), datetime.date(2026, 12, 20)):
        for i in range(60):
            day = start + i * DAY
            assert days.is_workday(day) == clean_calendar.is_workday(day), day
            for n in (1, 3, 10):
                assert days.after(day, n) == clean_calendar.add_working_days(day, n), (day, n)


@pytest.mark.django_db
def test_a_loaded_schedule_moves_the_demo_days_too(clean_calendar):
    """A notice loaded for 2026 that gives only 元旦 off (made up for the test): 1 October is then a
    working day for the deadlines and for the demo alike."""
    national_day = datetime.date(2026, 10, 1)
    assert days.is_workday(national_day) is False
    services.load_schedule(None, fictional_text(2026), reason="测试")
    assert clean_calendar.is_workday(national_day) is True
    assert days.is_workday(national_day) is True
    assert days.after(datetime.date(2026, 9, 30), 1) == national_day == clean_calendar.due(
        datetime.datetime(2026, 9, 30, 10, tzinfo=clean_calendar.agency_zone()), 1, "wd").date()
    assert days.on_or_before(datetime.date(2026, 10, 4)) == datetime.date(2026, 10, 2)


@pytest.mark.pages_only
@pytest.mark.django_db
def test_a_year_nobody_knows_is_monday_to_friday_for_the_demo_only(clean_calendar):
    year = max(clean_calendar.known_years()) + 1
    first = datetime.date(year, 1, 1)
    assert clean_calendar.is_workday(first) is None
    assert days.is_workday(first) == (first.weekday() < 5)
    friday = next(first + i * DAY for i in range(7) if (first + i * DAY).weekday() == 4)
    assert days.after(friday, 1) == friday + 3 * DAY
    last_known = datetime.date(year - 1, 12, 31)
    assert days.after(last_known, 2) == days.after(days.after(last_known, 1), 1)
