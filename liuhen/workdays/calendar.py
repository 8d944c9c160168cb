"""The working-day calendar (工作日历) every deadline of Liuhen counts on (SPEC §7).

A day is a working day (工作日) unless the State Council's notice for its year gives it off
(放假), and a weekend day is one when the notice makes it an adjusted working day (调休上班). A
year's notice comes from a loaded schedule (models.YearSchedule, the latest load of the year wins)
or else from the `chinesecalendar` library, which knows 2004 up to its release. **A year neither
knows is unknown**: every function here answers None for it, never a Monday-to-Friday guess — a
deadline computed from a guess would be wrong exactly around the holidays where it matters.

Periods count as Chinese law counts them: day 1 of a period in working days is the first working
day *strictly after* the start date (the day of the act does not count; cf. 行政处罚法 art. 85 and
民法典 art. 201: 开始的当日不计入).

Fast: the findings scan calls this for every case. Each year is built once per process into a
sorted list of the ordinals of its working days; a load in this process clears the cache at once,
and a load by another process is noticed within a second (at most one `max(id)` query a second).
"""
from __future__ import annotations

import datetime
import threading
import time
from bisect import bisect_right
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from django.conf import settings

HOURS, DAYS, WORKING_DAYS = "h", "d", "wd"  # the units of liuhen/profiles/spec.py's Period
UNITS = (HOURS, DAYS, WORKING_DAYS)
REFRESH_SECONDS = 1.0
LIBRARY = "library"

_LIB_MIN = min(chinese_calendar.constants.holidays).year
_LIB_MAX = max(chinese_calendar.constants.holidays).year


class _Year:
    """One known year: the ordinals of its working days, sorted, and as a set."""

    __slots__ = ("year", "ordinals", "workdays", "source", "first", "last")

    def __init__(self, year: int, ordinals: list[int], source):
        self.year = year
        self.ordinals = ordinals
        self.workdays = frozenset(ordinals)
        self.source = source  # a YearSchedule id, or LIBRARY
        self.first = datetime.date(year, 1, 1).toordinal()
        self.last = datetime.date(year, 12, 31).toordinal()


_lock = threading.Lock()
_years: dict[int, _Year | None] = {}
_known: list[int] | None = None
_stamp: object = ()      # the newest YearSchedule id when the cache was filled (() = never looked)
_checked = -1e18         # time.monotonic() of the last look
# The outermost atomic block a load of this process was written in, until it commits (on_commit
# clears the cache) — or ends otherwise: then it was rolled back, and what the cache read inside it
# never happened. Tests roll every test's transaction back; without this a year loaded by one test
# would stay cached for the next test of the worker, for up to a second.
_pending: object = None


def clear_cache() -> None:
    """Forget every year (a schedule was loaded, or a test rolled one back); the next call reads again."""
    global _known, _checked, _stamp, _pending
    with _lock:
        _years.clear()
        _known = None
        _checked = -1e18
        _stamp = ()
        _pending = None


def loaded_in_transaction() -> None:
    """A schedule was just written in the current transaction (services.load_schedule): read again
    now, and once more when the transaction is over, whichever way it ends."""
    global _pending
    from django.db import transaction

    clear_cache()
    blocks = transaction.get_connection().atomic_blocks
    _pending = blocks[0] if blocks else None
    transaction.on_commit(clear_cache)


def _fresh() -> None:
    """At most once a second: has anyone loaded a schedule since the cache was filled?"""
    global _checked, _stamp, _known
    if _pending is not None:
        from django.db import connection

        blocks = connection.atomic_blocks
        if not blocks or blocks[0] is not _pending:  # the load's transaction is over (rolled back)
            clear_cache()
    now = time.monotonic()
    if now - _checked < REFRESH_SECONDS:
        return
    from .models import YearSchedule

    newest = YearSchedule.objects.order_by("-id").values_list("id", flat=True).first()
    with _lock:
        _checked = now
        if newest != _stamp:
            _years.clear()
            _known = None
            _stamp = newest


def _library_year(year: int) -> _Year | None:
    if not _LIB_MIN <= year <= _LIB_MAX:
        return None
    day, end, out = datetime.date(year, 1, 1), datetime.date(year, 12, 31), []
    while day <= end:
        if chinese_calendar.is_workday(day):
            out.append(day.toordinal())
        day += datetime.timedelta(days=1)
    return _Year(year, out, LIBRARY)


def working_ordinals(year: int, holidays: list[dict], workdays: list[str]) -> list[int]:
    """The working days of `year` (ordinals, sorted) under a notice's holidays and adjusted workdays."""
    off = set()
    for h in holidays:
        day, end = datetime.date.fromisoformat(h["from"]), datetime.date.fromisoformat(h["to"])
        while day <= end:
            off.add(day)
            day += datetime.timedelta(days=1)
    extra = {datetime.date.fromisoformat(d) for d in workdays}
    day, end, out = datetime.date(year, 1, 1), datetime.date(year, 12, 31), []
    while day <= end:
        if day in extra or (day.weekday() < 5 and day not in off):
            out.append(day.toordinal())
        day += datetime.timedelta(days=1)
    return out


def _build(year: int) -> _Year | None:
    from .models import YearSchedule

    row = (YearSchedule.objects.filter(year=year).order_by("-id")
           .values_list("id", "holidays", "workdays").first())
    if row is not None:
        pk, holidays, workdays = row
        return _Year(year, working_ordinals(year, holidays, workdays), pk)
    return _library_year(year)


def _year(year: int) -> _Year | None:
    try:
        return _years[year]
    except KeyError:
        pass
    built = _build(year)
    with _lock:
        _years[year] = built
    return built


# ---- the API ------------------------------------------------------------------------------------


def source(year: int):
    """Where `year` comes from: a YearSchedule id, "library" (chinesecalendar), or None (unknown)."""
    _fresh()
    y = _year(year)
    return None if y is None else y.source


def known(year: int) -> bool:
    """Does the calendar know `year` (a loaded schedule or the library)?"""
    _fresh()
    return _year(year) is not None


def known_years() -> list[int]:
    """Every year the calendar knows, ascending."""
    global _known
    _fresh()
    if _known is None:
        from .models import YearSchedule

        loaded = set(YearSchedule.objects.values_list("year", flat=True).distinct())
        _known = sorted(loaded | set(range(_LIB_MIN, _LIB_MAX + 1)))
    return list(_known)


def is_workday(d: datetime.date) -> bool | None:
    """Is `d` a working day? None when its year is unknown."""
    _fresh()
    y = _year(d.year)
    return None if y is None else d.toordinal() in y.workdays


def _check_amount(n) -> int:
    if type(n) is int and n >= 0:  # noqa: E721 — the common case first (bool is no amount)
        return n
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"期限的数量应为非负整数，而不是 {n!r}")
    return n


def add_working_days(start: datetime.date, n: int) -> datetime.date | None:
    """The n-th working day after `start` (day 1 is the first working day strictly after it); `start`
    itself for n = 0. None when a day it needs is in a year the calendar does not know."""
    n = _check_amount(n)
    if n == 0:
        return start
    _fresh()
    o, year = start.toordinal(), start.year
    y = _year(year)
    if y is not None:  # the common case: the n-th working day is in the start's own year
        i = bisect_right(y.ordinals, o) + n - 1
        if i < len(y.ordinals):
            return datetime.date.fromordinal(y.ordinals[i])
    while year <= datetime.MAXYEAR - 1:
        last = datetime.date(year, 12, 31).toordinal()
        if o < last:  # some day of this year lies after `start`: the year must be known
            y = _year(year)
            if y is None:
                return None
            i = bisect_right(y.ordinals, o)
            available = len(y.ordinals) - i
            if n <= available:
                return datetime.date.fromordinal(y.ordinals[i + n - 1])
            n -= available
            o = last
        year += 1
    return None


def working_days_between(a: datetime.date, b: datetime.date) -> int | None:
    """How many working days lie after `a` up to and including `b` (so add_working_days(a, n) == b
    gives n when b is a working day); negative when b is before a; None when a day between them is
    in an unknown year."""
    if b < a:
        n = working_days_between(b, a)
        return None if n is None else -n
    _fresh()
    lo, hi, count = a.toordinal(), b.toordinal(), 0
    for year in range(a.year, b.year + 1):
        first, last = datetime.date(year, 1, 1).toordinal(), datetime.date(year, 12, 31).toordinal()
        low, high = max(lo, first - 1), min(hi, last)
        if high <= low:
            continue
        y = _year(year)
        if y is None:
            return None
        count += bisect_right(y.ordinals, high) - bisect_right(y.ordinals, low)
    return count


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def agency_zone() -> ZoneInfo:
    """The agency's time zone (settings.TIME_ZONE): days begin and end there."""
    return _zone(settings.TIME_ZONE)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of `day` in the agency's zone: an act on that day is in time."""
    return _end_of_day(day, settings.TIME_ZONE)


@lru_cache(maxsize=8192)
def _end_of_day(day: datetime.date, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=_zone(zone))


def due(start: datetime.datetime, amount: int, unit: str) -> datetime.datetime | None:
    """When a period that begins at `start` ends (Period of liuhen/profiles/spec.py):

    - "h"  (小时): `amount` hours after `start`;
    - "d"  (日): the end of the `amount`-th calendar day after the start's date;
    - "wd" (工作日): the end of the `amount`-th working day after the start's date — None when the
      calendar does not know a year it needs.

    Dates are taken in the agency's zone (settings.TIME_ZONE); a naive `start` is read in it."""
    amount = _check_amount(amount)
    if unit == HOURS:
        return start + datetime.timedelta(hours=amount)
    name = settings.TIME_ZONE
    local = start.date() if start.tzinfo is None else start.astimezone(_zone(name)).date()
    if unit == DAYS:
        return _end_of_day(local + datetime.timedelta(days=amount), name)
    if unit == WORKING_DAYS:
        day = add_working_days(local, amount)
        return None if day is None else _end_of_day(day, name)
    raise ValueError(f"未知的期限单位“{unit}”（可用：h 小时、d 日、wd 工作日）")
