"""The demo's calendar: on which days its ordinary work happens (工作日).

One calendar: the working-day calendar every deadline counts on (`liuhen.workdays.calendar`: the
State Council's notices loaded, else `chinesecalendar`), so that the day the story puts a step on,
"the n-th working day after", is the day a deadline of n working days from there ends, and a
schedule loaded (the demo loads the 2025 and 2026 notices) moves both alike.

For a year that calendar does not know (no notice yet) it answers nothing and no deadline can end
in it, so nothing can disagree: the demo's history then takes Monday–Friday — it only needs
plausible days there, and computes no deadline with them.
"""
import datetime

from liuhen.workdays import calendar


def is_workday(day: datetime.date) -> bool:
    known = calendar.is_workday(day)
    return day.weekday() < 5 if known is None else known


def on_or_before(day: datetime.date) -> datetime.date:
    """`day` if it is a working day, else the last working day before it."""
    while not is_workday(day):
        day -= datetime.timedelta(days=1)
    return day


def after(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day` (n = 0: `day` itself, whatever it is) — the day a period of
    n working days from `day` ends (calendar.add_working_days)."""
    if n <= 0:
        return day
    end = calendar.add_working_days(day, n)
    if end is not None:
        return end
    while n > 0:  # into a year the calendar does not know
        day += datetime.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def back(today: datetime.date, days: int) -> datetime.date:
    """`days` calendar days before `today`, moved back to a working day."""
    return on_or_before(today - datetime.timedelta(days=days))
