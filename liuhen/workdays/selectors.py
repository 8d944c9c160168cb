"""Reads of the workdays app for people (the page, `liuhen workdays show`): a known year's holidays
and adjusted working weekends, where they come from, and the loads of a year. Deadlines use
calendar.py, never these."""
from __future__ import annotations

import calendar as pycalendar
import datetime
from dataclasses import dataclass, field

import chinese_calendar
from django.utils import timezone

from . import calendar
from .models import YearSchedule
from .schedule import WEEKDAYS

_CHINESE = {h.value: h.chinese for h in chinese_calendar.constants.Holiday}
# The library's short names, as the notices write them.
_NOTICE_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


@dataclass(frozen=True)
class HolidayRange:
    name: str
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """As the notices write it: 2月15日（周日）至23日（周一）."""
        first = f"{self.start.month}月{self.start.day}日（{weekday(self.start)}）"
        if self.end == self.start:
            return first
        end = f"{self.end.day}日" if self.end.month == self.start.month else f"{self.end.month}月{self.end.day}日"
        return f"{first}至{end}（{weekday(self.end)}）"


@dataclass
class YearView:
    """One known year as people read it."""

    year: int
    source: str                 # "library" or "schedule"
    schedule: YearSchedule | None
    holidays: list[HolidayRange]
    workdays: list[datetime.date]  # 调休上班
    working_days: int
    months: list = field(default_factory=list)

    @property
    def workday_labels(self) -> list[str]:
        return [f"{d.isoformat()}（{weekday(d)}）" for d in self.workdays]

    @property
    def source_label(self) -> str:
        if self.schedule is not None:
            return f"{self.schedule.notice}（{self.schedule.number}）"
        return f"chinesecalendar 库（{chinese_calendar.__version__}）内置的国务院放假安排"


def weekday(d: datetime.date) -> str:
    return f"周{WEEKDAYS[d.weekday()]}"


def _library(year: int) -> tuple[list[HolidayRange], list[datetime.date]]:
    days = sorted((d, _CHINESE.get(name, name)) for d, name in chinese_calendar.constants.holidays.items()
                  if d.year == year)
    ranges: list[HolidayRange] = []
    for d, name in days:
        name = _NOTICE_NAMES.get(name, name)
        last = ranges[-1] if ranges else None
        if last is not None and last.end + datetime.timedelta(days=1) == d:
            names = last.name.split("、")
            ranges[-1] = HolidayRange(last.name if name in names else f"{last.name}、{name}", last.start, d)
        else:
            ranges.append(HolidayRange(name, d, d))
    workdays = sorted(d for d in chinese_calendar.constants.workdays if d.year == year)
    return ranges, workdays


def year_view(year: int, *, months: bool = False) -> YearView | None:
    """The year as the calendar knows it, or None when it is unknown (未知)."""
    src = calendar.source(year)
    if src is None:
        return None
    if src == calendar.LIBRARY:
        holidays, workdays = _library(year)
        schedule = None
    else:
        schedule = YearSchedule.objects.select_related("loaded_by").get(pk=src)
        holidays = [HolidayRange(h["name"], datetime.date.fromisoformat(h["from"]),
                                 datetime.date.fromisoformat(h["to"])) for h in schedule.holidays]
        workdays = [datetime.date.fromisoformat(d) for d in schedule.workdays]
    count = calendar.working_days_between(datetime.date(year - 1, 12, 31), datetime.date(year, 12, 31))
    view = YearView(year, "library" if schedule is None else "schedule", schedule, holidays, workdays, count or 0)
    if months:
        view.months = month_grids(year, holidays, workdays)
    return view


def month_grids(year: int, holidays: list[HolidayRange], workdays: list[datetime.date]) -> list[dict]:
    """Twelve months as weeks of cells (Monday first) for the page: each day's kind —
    "holiday" (放假), "adjusted" (调休上班), "weekend" (休息日), "work" — and the holiday's name."""
    names = {}
    for h in holidays:
        d = h.start
        while d <= h.end:
            names[d] = h.name
            d += datetime.timedelta(days=1)
    extra = set(workdays)
    today = timezone.localdate()
    out = []
    cal = pycalendar.Calendar(firstweekday=0)
    for month in range(1, 13):
        rows = []
        for week in cal.monthdatescalendar(year, month):
            cells = []
            for d in week:
                if d.month != month:
                    cells.append(None)
                    continue
                if d in extra:
                    kind, title = "adjusted", "调休上班"
                elif d in names:
                    kind, title = "holiday", f"{names[d]}放假"
                elif d.weekday() >= 5:
                    kind, title = "weekend", "休息日"
                else:
                    kind, title = "work", "工作日"
                cells.append({"day": d.day, "date": d, "kind": kind, "title": title, "today": d == today})
            rows.append(cells)
        out.append({"month": month, "weeks": rows})
    return out


def loads(year: int | None = None) -> list[YearSchedule]:
    """The loads of a year (or of all years), newest first: the first of a year is in force."""
    qs = YearSchedule.objects.select_related("loaded_by").order_by("-year", "-id")
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs)


def known_years() -> list[dict]:
    """[{"year", "source": "library" | "schedule", "schedule": the row in force or None}], newest first."""
    rows = {}
    for row in YearSchedule.objects.select_related("loaded_by").order_by("year", "id"):
        rows[row.year] = row  # the last load of each year wins
    return [{"year": y, "source": "schedule" if y in rows else "library", "schedule": rows.get(y)}
            for y in sorted(calendar.known_years(), reverse=True)]


# The State Council's notice for a year comes out in October or November of the year before
# (国办发明电〔2024〕12号 on 2024-11-12, 国办发明电〔2025〕7号 on 2025-11-04): from November a
# calendar without next year has deadlines that already run into it (20 working days from early
# December), each shown as unknown until the notice is loaded.
NOTICE_DUE_MONTH = 11


def today() -> datetime.date:
    """The agency's today (the reminder's clock: a test moves it here, not the calendar's)."""
    return timezone.localdate()


def missing_notice(on: datetime.date | None = None) -> int | None:
    """The year whose holiday notice is wanted and not loaded, on the day `on` (default today):
    this year if unknown, else next year from November; None when nothing is missing."""
    on = on or today()
    if not calendar.known(on.year):
        return on.year
    if on.month >= NOTICE_DUE_MONTH and not calendar.known(on.year + 1):
        return on.year + 1
    return None
