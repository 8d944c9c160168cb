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
