"""The demo's calendar: on which days its ordinary work happens (工作日).

Working days are those of the State Council's schedule as `chinesecalendar` knows it (public holidays
off, adjusted weekends worked). For a year it does not know (it raises for 2027 and later) the demo
falls back to Monday–Friday: the demo only needs plausible days for its history, it computes no
deadline (deadlines are the workdays app's, which never guesses).
"""
import datetime
import functools

import chinese_calendar


@functools.cache
def is_workday(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package has no schedule for
        return day.weekday() < 5


def on_or_before(day: datetime.date) -> datetime.date:
    """`day` if it is a working day, else the last working day before it."""
    while not is_workday(day):
        day -= datetime.timedelta(days=1)
    return day


def after(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day` (n = 0: `day` itself, whatever it is)."""
    while n > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def back(today: datetime.date, days: int) -> datetime.date:
    """`days` calendar days before `today`, moved back to a working day."""
    return on_or_before(today - datetime.timedelta(days=days))
