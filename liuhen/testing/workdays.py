"""Helpers of the working-day calendar's tests: the shipped schedule files, a clearly fictional
2027 file, and a fixture that leaves no year cached from a test's rolled-back load."""
import pathlib

import pytest

SCHEDULES = pathlib.Path(__file__).resolve().parent.parent / "workdays" / "schedules"

# NOT a State Council notice: a made-up 2027 for tests only (no 2027 notice exists yet).
FICTIONAL_2027 = """\
# 测试用虚构数据，不是国务院办公厅的通知
year: 2027
notice: 测试用虚构的2027年放假安排（非真实通知）
number: 测试〔2027〕1号
holidays:
  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
  - {name: 春节, from: 2027-02-06, to: 2027-02-12}
workdays: [2027-02-13]
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


@pytest.fixture
def calendar_ahead(db, clean_calendar):
    """The working-day calendar knows every year of the next 60 days (the longest working-day period
    of the profiles, 10 + 10 working days, with margin): a year the library and the shipped notices
    do not cover gets a fictional test schedule (rolled back with the test). So a test of a
    working-day clock started today means the same in December as in June, and in 2027."""
    import datetime

    from liuhen.workdays import services

    today = datetime.date.today()
    for year in range(today.year, (today + datetime.timedelta(days=60)).year + 1):
        if not clean_calendar.known(year):
            services.load_schedule(None, fictional_text(year), reason="测试")
    yield clean_calendar
