"""The review's clock (LW-L 16: 十个工作日内审核完毕；经批准可延长十个工作日): from the submission, for the
period of the profile's deadline (`legal_review.deadline`, e.g. 10wd; 7wd elsewhere), plus its one
extension once approved (10wd; 3wd elsewhere); the time waiting for materials the reviewer asked for
counts as the profile says (`legal_review.materials_wait`):
- "suspend": the working days from a request to its answer are added (the clock stops while waiting);
- "restart": the period runs again from the last answer (补充材料之日起重新计算);
- "count": the waiting counts (the clock runs on).
Met when the review is signed. Read by the pages and by the oversight app's clocks and findings.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from liuhen.profiles import selectors as profiles
from liuhen.workdays import calendar

from .bulk import review_facts

RUNNING, PAUSED, OVERDUE, MET, MET_LATE, UNKNOWN = "running", "paused", "overdue", "met", "met_late", "unknown"
STATUS_LABELS = {RUNNING: "审核中", PAUSED: "等待补充材料（暂停计时）", OVERDUE: "已逾期", MET: "按期完成",
                 MET_LATE: "逾期完成", UNKNOWN: "无法计算（工作日历缺少该年度安排）"}


@dataclass(frozen=True)
class ReviewClock:
    started_at: datetime.datetime
    period: str  # "10个工作日"
    extension: str  # "10个工作日" once approved, else ""
    waited_days: int  # working days added for material waits (suspend)
    due_at: datetime.datetime | None
    met_at: datetime.datetime | None
    status: str
    article: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def extended(self) -> bool:
        return bool(self.extension)


def _local(at: datetime.datetime) -> datetime.date:
    return timezone.localtime(at).date()


@dataclass(frozen=True)
class Due:
    """What the rule says of a review's clock: its due time (None: the calendar lacks a year), whether
    it is paused (a request unanswered under "suspend" or "restart") and the working days added."""

    due_at: datetime.datetime | None
    paused: bool
    waited_days: int


def due_of(deadline, materials_wait: str, submitted_at, requests, *, extended: bool, reviewed_at=None,
           now: datetime.datetime) -> Due:
    """The one rule of the review's clock (the module's docstring), on plain facts — `requests`:
    (requested_at, answered_at or None) in order; `extended`: an extension was approved — so that the
    pages (clock_of) and the oversight scan (read in bulk) compute the same due time."""
    start, waited, paused = submitted_at, 0, False
    for requested, answered in requests:
        if answered is None:
            paused = True
        if materials_wait == "restart" and answered is not None:
            start = max(start, answered)
        elif materials_wait == "suspend":
            n = calendar.working_days_between(_local(requested), _local(answered or reviewed_at or now))
            if n is None:
                return Due(None, False, 0)
            waited += max(n, 0)
    # The waited working days extend the period itself; the extension is added after (its own unit).
    due_at = calendar.due(start, deadline.period.amount + waited, deadline.period.unit)
    if due_at is not None and extended and deadline.extension:
        due_at = calendar.due(due_at, deadline.extension.amount, deadline.extension.unit)
    return Due(due_at, paused and materials_wait != "count", waited)


def clock_from(rf, profile, now: datetime.datetime | None = None) -> ReviewClock | None:
    """The clock of a 送审 read in bulk (bulk.ReviewFacts) under its case's profile; None when the
    profile names no deadline."""
    now = now or timezone.now()
    spec = profile.legal_review
    deadline = profile.deadline(spec.deadline)
    if deadline is None:
        return None
    met_at = rf.reviewed_at
    extended = bool(deadline.extension) and rf.extended
    d = due_of(deadline, spec.materials_wait, rf.submitted_at, rf.requests, extended=extended, reviewed_at=met_at,
               now=now)
    if d.due_at is None:
        status = MET if met_at is not None else UNKNOWN
    elif met_at is not None:
        status = MET if met_at <= d.due_at else MET_LATE
    elif d.paused:
        status = PAUSED
    else:
        status = OVERDUE if now > d.due_at else RUNNING
    return ReviewClock(rf.submitted_at, deadline.period.label, deadline.extension.label if extended else "",
                       d.waited_days, d.due_at, met_at, status, deadline.article)


def clock_of(sub, now: datetime.datetime | None = None) -> ReviewClock | None:
    """The clock of one submission (models.Submission)."""
    rf = review_facts((), submission_ids=[sub.pk])[sub.case_id]
    return clock_from(rf, profiles.profile_for_case(sub.case), now)
