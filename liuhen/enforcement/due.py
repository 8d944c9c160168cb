"""The deadlines compulsory execution sets (records.duedates, source "enforcement"; registered in ready()):

- `enforcement:court` 申请人民法院强制执行 (行政强制法 53): once a 催告书 is complete and no enforcement
  decision follows it, the agency applies to the court within court_months after the remedy deadlines
  (行政复议法 20, 行政诉讼法 46, from the decision's service). Started at the end of the remedy deadline,
  due at the end of the window; met by a complete court application, a termination or a 履行情况记录
  made after the 催告书.
- `enforcement:measure:<decision id>` 强制执行实施: a complete 强制执行决定书 is carried out within
  MEASURE_DAYS of its own 决定日期 (the law sets no period: the system's, a warning, not an error); met
  by its 实施记录 or a termination; no clock while execution is suspended (行政强制法 39).
"""
from __future__ import annotations

import datetime

from django.utils import timezone

from liuhen.records.duedates import DueDate
from liuhen.workdays.calendar import end_of_day

from . import selectors as s

MEASURE_DAYS = 30
CONTENT_CODES = frozenset(s.CODES)


def _met(records) -> datetime.datetime | None:
    times = [r.completed_at for r in records if r.completed_at is not None]
    return min(times) if times else None


def court_due(e: s.Enforcement, spec) -> DueDate | None:
    if e.reminder is None or e.court_to is None or e.decisions_after_reminder:
        return None
    return DueDate("enforcement:court", "申请人民法院强制执行", "行政强制法 53", end_of_day(e.remedy_end),
                   end_of_day(e.court_to), met_at=_met(e.ends),
                   period=f"复议诉讼期限届满后{spec.court_months}个月",  # ≤ 20: oversight Clock.period
                   subject_kind="record", subject_id=str(e.reminder.id))


def measure_dues(e: s.Enforcement) -> list[DueDate]:
    out = []
    for d in e.decisions:
        decided = s.day((d.content or {}).get("decided_on"))
        done = [m for m in [e.measures.get(d.id), e.termination] if m is not None]
        if decided is None or (not done and e.suspended is not None):
            continue
        out.append(DueDate(f"enforcement:measure:{d.id}", "强制执行实施", "行政强制法 37",
                           d.completed_at or timezone.make_aware(datetime.datetime.combine(decided, datetime.time())),
                           end_of_day(decided + datetime.timedelta(days=MEASURE_DAYS)), met_at=_met(done),
                           severity="warning", period=f"决定日期起{MEASURE_DAYS}日",
                           subject_kind="record", subject_id=str(d.id)))
    return out


def source(records, profile, *, served_at=None, now=None) -> list[DueDate]:
    """records.duedates source: no query (the oversight scan calls it for every case)."""
    now = now or timezone.now()
    if not any(r.code in s.CODES for r in records):
        return []
    e = s.enforcement_of(records, profile.execution, served_at=served_at, today=timezone.localdate(now))
    found = court_due(e, profile.execution)
    return ([found] if found is not None else []) + measure_dues(e)


def register() -> None:
    from liuhen.records.duedates import register_due_source

    register_due_source("enforcement", source, content_codes=CONTENT_CODES)
