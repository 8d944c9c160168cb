"""The working-day calendar against the State Council's 2025 and 2026 notices (国办发明电〔2024〕12号,
国办发明电〔2025〕7号): their holidays and adjusted working weekends, the day-1 rule, periods across
the Spring Festival, and a year nobody told us — unknown, never Monday to Friday."""
import datetime

import chinese_calendar
import pytest

from liuhen.testing.workdays import FICTIONAL_2038, clean_calendar, schedule_text  # noqa: F401
from liuhen.workdays import calendar, services
from liuhen.workdays.models import YearSchedule
from liuhen.workdays.schedule import parse

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_calendar")]


def days(a, b):
    return [a + datetime.timedelta(i) for i in range((b - a).days + 1)]


@pytest.fixture(params=["library", "loaded"])
def source(request):
    """Each fact holds whether the year comes from chinesecalendar or from the shipped files."""
    if request.param == "loaded":
        for year in (2025, 2026):
            services.load_schedule(None, schedule_text(year))
        assert calendar.source(2025) != calendar.LIBRARY and calendar.source(2026) != calendar.LIBRARY
    else:
        assert calendar.source(2025) == calendar.LIBRARY
    return request.param


def test_the_shipped_files_agree_with_chinesecalendar_day_by_day():
    for year in (2025, 2026):
        sched = parse(schedule_text(year))
        assert sched.year == year and sched.notice == f"国务院办公厅关于{year}年部分节假日安排的通知"
        ords = set(calendar.working_ordinals(year, sched.holidays_json(), sched.workdays_json()))
        for d in days(D(year, 1, 1), D(year, 12, 31)):
            assert (d.toordinal() in ords) == chinese_calendar.is_workday(d), d
    assert parse(schedule_text(2025)).number == "国办发明电〔2024〕12号"
    assert parse(schedule_text(2026)).number == "国办发明电〔2025〕7号"


def test_2025_notice(source):
    # 春节: 1月28日至2月4日放假；1月26日（周日）、2月8日（周六）上班
    assert calendar.is_workday(D(2025, 1, 26)) is True and D(2025, 1, 26).weekday() == 6
    assert calendar.is_workday(D(2025, 2, 8)) is True and D(2025, 2, 8).weekday() == 5
    assert not any(calendar.is_workday(d) for d in days(D(2025, 1, 28), D(2025, 2, 4)))
    # 元旦 1月1日（周三）; 清明 4月4日–6日; 劳动节 5月1日–5日, 4月27日（周日）上班; 端午 5月31日–6月2日
    assert calendar.is_workday(D(2025, 1, 1)) is False and calendar.is_workday(D(2025, 1, 2)) is True
    assert not any(calendar.is_workday(d) for d in days(D(2025, 4, 4), D(2025, 4, 6)))
    assert not any(calendar.is_workday(d) for d in days(D(2025, 5, 1), D(2025, 5, 5)))
    assert calendar.is_workday(D(2025, 4, 27)) is True
    assert not any(calendar.is_workday(d) for d in days(D(2025, 5, 31), D(2025, 6, 2)))
    # 国庆节、中秋节: 10月1日至8日放假；9月28日（周日）、10月11日（周六）上班
    assert not any(calendar.is_workday(d) for d in days(D(2025, 10, 1), D(2025, 10, 8)))
    assert calendar.is_workday(D(2025, 9, 28)) is True and calendar.is_workday(D(2025, 10, 11)) is True
    assert calendar.is_workday(D(2025, 10, 12)) is False  # an ordinary Sunday
    assert calendar.working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 248


def test_2026_notice(source):
    # 元旦: 1月1日至3日放假，1月4日（周日）上班
    assert not any(calendar.is_workday(d) for d in days(D(2026, 1, 1), D(2026, 1, 3)))
    assert calendar.is_workday(D(2026, 1, 4)) is True
    # 春节: 2月15日至23日放假；2月14日（周六）、2月28日（周六）上班
    assert not any(calendar.is_workday(d) for d in days(D(2026, 2, 15), D(2026, 2, 23)))
    assert calendar.is_workday(D(2026, 2, 14)) is True and calendar.is_workday(D(2026, 2, 28)) is True
    # 清明 4月4日–6日; 劳动节 5月1日–5日, 5月9日（周六）上班; 端午 6月19日–21日; 中秋 9月25日–27日
    assert not any(calendar.is_workday(d) for d in days(D(2026, 4, 4), D(2026, 4, 6)))
    assert not any(calendar.is_workday(d) for d in days(D(2026, 5, 1), D(2026, 5, 5)))
    assert calendar.is_workday(D(2026, 5, 9)) is True
    assert not any(calendar.is_workday(d) for d in days(D(2026, 6, 19), D(2026, 6, 21)))
    assert not any(calendar.is_workday(d) for d in days(D(2026, 9, 25), D(2026, 9, 27)))
    # 国庆节: 10月1日至7日放假；9月20日（周日）、10月10日（周六）上班
    assert not any(calendar.is_workday(d) for d in days(D(2026, 10, 1), D(2026, 10, 7)))
    assert calendar.is_workday(D(2026, 10, 8)) is True
    assert calendar.is_workday(D(2026, 9, 20)) is True and calendar.is_workday(D(2026, 10, 10)) is True


def test_day_one_is_the_first_working_day_strictly_after_the_start(source):
    friday = D(2026, 3, 13)
    assert friday.weekday() == 4
    assert calendar.add_working_days(friday, 1) == D(2026, 3, 16)  # Monday, not Friday itself
    assert calendar.add_working_days(D(2026, 3, 14), 1) == D(2026, 3, 16)  # from a Saturday
    assert calendar.add_working_days(D(2026, 3, 16), 1) == D(2026, 3, 17)  # a working day does not count itself
    assert calendar.add_working_days(friday, 0) == friday
    assert calendar.working_days_between(friday, D(2026, 3, 16)) == 1
    assert calendar.working_days_between(friday, friday) == 0


def test_periods_across_the_spring_festival(source):
    # 2025: Friday 24 January; Sunday 26th is an adjusted working day; 28 Jan–4 Feb off
    assert calendar.add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert calendar.add_working_days(D(2025, 1, 24), 2) == D(2025, 1, 27)
    assert calendar.add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)
    assert calendar.add_working_days(D(2025, 1, 27), 10) == D(2025, 2, 17)  # 2/5-7, Sat 2/8, 2/10-14, 2/17
    # 2026: a legal review (LW-L 16: 10 working days) started on Friday 13 February
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)  # the adjusted Saturday
    # 2/14, 2/24–27, Sat 2/28, 3/2–5: ten working days end on Thursday 5 March
    assert calendar.add_working_days(D(2026, 2, 13), 10) == D(2026, 3, 5)
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 3, 5)) == 10
    assert calendar.working_days_between(D(2026, 3, 5), D(2026, 2, 13)) == -10
    # Monday–Friday counting would have said 27 February: wrong by six days
    # across the turn of a year: 2025-12-31 (Wed) + 1 → 2026-01-05 (1–3 off, Sunday 4th works)
    assert calendar.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)
    assert calendar.add_working_days(D(2025, 12, 31), 2) == D(2026, 1, 5)


def test_a_year_nobody_told_us_is_unknown():
    assert not calendar.known(2038) and 2038 not in calendar.known_years()
    assert calendar.is_workday(D(2038, 1, 4)) is None  # a Monday: still unknown, never guessed
    assert calendar.is_workday(D(2003, 6, 2)) is None  # before the library's data too
    assert calendar.add_working_days(D(2026, 12, 28), 3) == D(2026, 12, 31)
    assert calendar.working_days_between(D(2026, 12, 1), D(2026, 12, 31)) == 22
    assert calendar.add_working_days(D(2038, 3, 1), 0) == D(2038, 3, 1)
    # the last known year (2026's notice, or the test seed's fictional next year) runs into an unknown one
    last = max(calendar.known_years())
    assert not calendar.known(last + 1)
    assert calendar.add_working_days(D(last, 12, 31), 1) is None
    assert calendar.working_days_between(D(last, 12, 1), D(last + 1, 1, 5)) is None
    start = datetime.datetime(last, 12, 28, 10, 0, tzinfo=calendar.agency_zone())
    assert calendar.due(start, 10, "wd") is None
    assert calendar.due(start, 10, "d") == calendar.end_of_day(D(last + 1, 1, 7))  # calendar days: known
    assert calendar.due(start, 24, "h") == start + datetime.timedelta(hours=24)


def test_a_loaded_2038_makes_it_known_and_a_later_load_supersedes():
    assert calendar.add_working_days(D(2038, 1, 1), 1) is None
    first = services.load_schedule(None, FICTIONAL_2038, reason="测试")
    assert calendar.known(2038) and 2038 in calendar.known_years() and calendar.source(2038) == first.pk
    assert calendar.add_working_days(D(2038, 1, 1), 1) == D(2038, 1, 4)
    assert calendar.is_workday(D(2038, 2, 13)) is True  # the fictional adjusted Saturday
    assert calendar.add_working_days(D(2038, 2, 5), 1) == D(2038, 2, 13)
    second = services.load_schedule(None, FICTIONAL_2038.replace("workdays: [2038-02-13]", "workdays: []"))
    assert calendar.source(2038) == second.pk and calendar.is_workday(D(2038, 2, 13)) is False
    assert list(YearSchedule.objects.filter(year=2038).values_list("pk", flat=True).order_by("pk")) == [first.pk,
                                                                                                         second.pk]


def test_a_loaded_year_wins_over_the_library():
    moved = schedule_text(2026).replace("workdays:\n", "workdays:\n  - 2026-03-14   # 测试\n")
    services.load_schedule(None, moved)
    assert calendar.is_workday(D(2026, 3, 14)) is True
    assert chinese_calendar.is_workday(D(2026, 3, 14)) is False


def test_another_process_load_is_noticed_after_the_refresh_interval():
    assert calendar.is_workday(D(2038, 1, 4)) is None  # cached: 2038 unknown
    sched = parse(FICTIONAL_2038)
    # A row written by another process: this process's cache was not told.
    YearSchedule.objects.create(year=2038, notice=sched.notice, number=sched.number, holidays=sched.holidays_json(),
                                workdays=sched.workdays_json(), sha256=sched.sha256, text=sched.text)
    assert calendar.is_workday(D(2038, 1, 4)) is None  # within the interval: the cache answers
    calendar._checked -= calendar.REFRESH_SECONDS + 1  # the interval has passed (no sleeping in tests)
    assert calendar.is_workday(D(2038, 1, 4)) is True
    assert 2038 in calendar.known_years()


def test_due_in_the_agency_zone(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    zone = calendar.agency_zone()
    # 2026-02-13 17:30 UTC is already Saturday 14th 01:30 in Beijing: counting starts from the 14th
    start = datetime.datetime(2026, 2, 13, 17, 30, tzinfo=datetime.timezone.utc)
    assert calendar.due(start, 1, "wd") == datetime.datetime(2026, 2, 24, 23, 59, 59, 999999, tzinfo=zone)
    assert calendar.due(start, 7, "d") == datetime.datetime(2026, 2, 21, 23, 59, 59, 999999, tzinfo=zone)
    assert calendar.due(start, 24, "h") == datetime.datetime(2026, 2, 14, 17, 30, tzinfo=datetime.timezone.utc)
    naive = datetime.datetime(2026, 2, 13, 9, 0)
    assert calendar.due(naive, 1, "wd").date() == D(2026, 2, 14)
    with pytest.raises(ValueError):
        calendar.due(start, 1, "w")
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 1, 5), -1)


def test_many_calls_read_the_database_once_per_year(django_assert_max_num_queries):
    calendar.is_workday(D(2026, 1, 5))
    calendar.is_workday(D(2025, 1, 5))
    with django_assert_max_num_queries(0):
        for i in range(2000):
            calendar.add_working_days(D(2025, 1, 1) + datetime.timedelta(i % 700), 10)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_load_is_forgotten_at_once():
    from django.db import transaction

    class Undo(Exception):
        pass

    with pytest.raises(Undo):
        with transaction.atomic():
            services.load_schedule(None, FICTIONAL_2038)
            assert calendar.known(2038)  # the loading transaction sees it
            raise Undo
    # no second has passed: the cache knows the load's transaction is over
    assert not calendar.known(2038) and calendar.is_workday(D(2038, 1, 4)) is None
    services.load_schedule(None, FICTIONAL_2038)  # committed: on_commit clears, and it is known
    assert calendar.known(2038) and calendar._pending is None
