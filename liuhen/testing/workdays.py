"""Helpers of the working-day calendar's tests: the shipped schedule files, a clearly fictional
2038 file, a fixture that leaves no year cached from a test's rolled-back load, and the fictional
years of the test database's seed."""
import pathlib

import pytest

SCHEDULES = pathlib.Path(__file__).resolve().parent.parent / "workdays" / "schedules"

# NOT a State Council notice: a made-up year for the tests of loading one. 2038: a year nobody will
# cover for long (the test database's seed knows only up to next year: known_around_today), with
# the weekdays of 2027 (both start on a Friday, neither is a leap year).
FICTIONAL_2038 = """\
# 测试用虚构数据，不是国务院办公厅的通知
year: 2038
notice: 测试用虚构的2038年放假安排（非真实通知）
number: 测试〔2038〕1号
holidays:
  - {name: 元旦, from: 2038-01-01, to: 2038-01-03}
  - {name: 春节, from: 2038-02-06, to: 2038-02-12}
workdays: [2038-02-13]
"""


def schedule_text(year: int) -> str:
    return (SCHEDULES / f"{year}.yaml").read_text(encoding="utf-8")


@pytest.fixture
def clean_calendar():
    """The calendar's per-process cache emptied before and after: a load a test's transaction rolls
    back must not stay cached for the next test of the worker."""
    from liuhen.workdays import calendar

    calendar.clear_cache()
    yield calendar
    calendar.clear_cache()


def fictional_text(year: int) -> str:
    """A made-up schedule for `year` (only 元旦 off, no adjusted weekend), clearly marked as test
    data: for tests whose deadlines, counted from the real today, run into a year nobody has loaded."""
    return (f"# 测试用虚构数据，不是国务院办公厅的通知\nyear: {year}\n"
            f"notice: 测试用虚构的{year}年放假安排（非真实通知）\nnumber: 测试〔{year}〕1号\n"
            f"holidays:\n  - {{name: 元旦, from: {year}-01-01, to: {year}-01-01}}\nworkdays: []\n")


def known_around_today() -> list[int]:
    """The test database's seed (conftest.py's django_db_setup, before it is copied to the workers):
    every year from 60 days back to the end of next year is known — a year neither the library nor a
    shipped notice covers gets a fictional schedule (`fictional_text`, marked as test data). So a
    test of a working-day clock started today means the same in June, in December (a clock of 20
    working days runs into next year) and in a January before that year's notice is shipped; the
    product itself never guesses a year (workdays.calendar). The tests of an unknown year use 2038,
    which nothing covers (FICTIONAL_2038). Returns the years loaded."""
    import datetime

    from django.utils import timezone

    from liuhen.workdays import calendar, services

    calendar.clear_cache()
    today = timezone.localdate()  # the agency's today, as the clocks count (not the machine's)
    loaded = []
    for year in range((today - datetime.timedelta(days=60)).year, today.year + 2):
        if not calendar.known(year):
            services.load_schedule(None, fictional_text(year), reason="测试数据库：该年度尚无放假安排（虚构，仅供测试）")
            loaded.append(year)
    return loaded
