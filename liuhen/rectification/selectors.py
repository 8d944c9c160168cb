"""The chain of 责令改正 orders of a case and their re-checks (行政处罚法 28; BX 10, LC 23), as pure functions
over `records.duedates.RecordView` lists: the case page reads `views_of_states(states_for_case(case))`,
the oversight scan its loaded facts — both through the same code, no query here.

A re-check (整改复查记录) names no record, only the 整改期限 it checks: it belongs to the latest order
written before it with that deadline (checks.py refuses any other re-check). An order's re-check is due
`profile.execution.recheck_days` working days after its deadline (BX 10, LC 23: 按期核查), at the end of
that day in the agency's zone.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from liuhen.records import content_dates
from liuhen.records.duedates import DueDate, RecordView
from liuhen.workdays import calendar

ORDER, CHECK = "rectification_order", "rectification_check"
CODES = frozenset({ORDER, CHECK})
CORRECTED = "已按期改正"
ARTICLE = "BX 10, LC 23"
LABEL = "整改复查"

# An order's status on the card and in the gate.
DRAFT, WAITING, DONE, AGAIN, OVERDUE = "draft", "waiting", "corrected", "again", "overdue"
STATUS_LABELS = {DRAFT: "待签字", WAITING: "待复查", DONE: "已改正", AGAIN: "待再次责令改正", OVERDUE: "逾期未复查"}


def day(content: dict | None, name: str) -> datetime.date | None:
    """A date field of a record's content, or None (records.content_dates)."""
    return content_dates.day((content or {}).get(name))


def moment(content: dict | None, name: str) -> datetime.datetime | None:
    """A datetime field of a record's content, aware (records.content_dates)."""
    return content_dates.moment((content or {}).get(name))


def recheck_day(deadline: datetime.date | None, recheck_days: int) -> datetime.date | None:
    """The last day of the re-check: `recheck_days` working days after the deadline (None: unknown year)."""
    return None if deadline is None else calendar.add_working_days(deadline, recheck_days)


@dataclass
class Order:
    """One 责令改正通知书 with its re-checks (the complete ones first met it; a draft is still writing)."""

    record: RecordView
    recheck_on: datetime.date | None  # the last day of the re-check
    checks: list[RecordView] = field(default_factory=list)
    later: bool = False  # a later order was written after this one
    serial: int = 0  # its number in the case (chain_of; the scan has none)

    @property
    def deadline(self) -> datetime.date | None:
        return day(self.record.content, "deadline")

    @property
    def issued_on(self) -> datetime.date | None:
        return day(self.record.content, "issued_on")

    @property
    def due_at(self) -> datetime.datetime | None:
        return None if self.recheck_on is None else calendar.end_of_day(self.recheck_on)

    @property
    def check(self) -> RecordView | None:
        """The re-check that counts: the first complete one."""
        return next((c for c in self.checks if c.complete), None)

    @property
    def draft_check(self) -> RecordView | None:
        return next((c for c in self.checks if not c.complete), None)

    @property
    def outcome(self) -> str:
        return (self.check.content or {}).get("outcome", "") if self.check is not None else ""

    @property
    def waiting(self) -> bool:
        """Complete and not yet re-checked: the re-check is owed (BX 10, LC 23)."""
        return self.record.complete and self.check is None

    def status(self, now: datetime.datetime) -> str:
        if not self.record.complete:
            return DRAFT
        if self.check is not None:
            return DONE if self.outcome == CORRECTED else AGAIN
        return OVERDUE if self.due_at is not None and now > self.due_at else WAITING

    def status_label(self, now: datetime.datetime) -> str:
        return STATUS_LABELS[self.status(now)]


def orders(records: list[RecordView], recheck_days: int) -> list[Order]:
    """The case's orders (not voided) in the order written, each with its re-checks (not voided)."""
    out: list[Order] = []
    for r in records:
        if r.voided or r.code not in CODES:
            continue
        if r.code == ORDER:
            if out:
                out[-1].later = True
            out.append(Order(r, recheck_day(day(r.content, "deadline"), recheck_days)))
            continue
        deadline = day(r.content, "deadline")
        owner = next((o for o in reversed(out) if o.deadline == deadline), None)
        if owner is not None:
            owner.checks.append(r)
    return out


def waiting(chain: list[Order]) -> list[Order]:
    """The complete orders still waiting for their re-check."""
    return [o for o in chain if o.waiting]


def period_text(recheck_days: int) -> str:
    return f"整改期限届满后{recheck_days}个工作日"


def due_dates(records, profile, *, served_at=None, now=None) -> list[DueDate]:
    """The records.duedates source "rectification": one DueDate per complete order — the re-check due by
    the end of the re-check day, met by the order's first complete re-check (BX 10, LC 23)."""
    days = profile.execution.recheck_days
    out = []
    for o in orders(records, days):
        if not o.record.complete or o.deadline is None:
            continue
        check = o.check
        out.append(DueDate(
            key=f"rectification:{o.record.id}", label=LABEL, article=ARTICLE,
            started_at=o.record.completed_at or o.record.created_at, due_at=o.due_at,
            met_at=(check.completed_at or check.created_at) if check is not None else None, period=period_text(days),
            subject_kind="record", subject_id=str(o.record.id)))
    return out


def chain_of(case, *, without=None) -> list[Order]:
    """The orders of one case (the page, the gate, the checks), with their serial numbers in the case;
    `without`: a record left out (the one being revised)."""
    from liuhen.profiles.selectors import profile_for_case
    from liuhen.records.duedates import views_of_states
    from liuhen.records.selectors import states_for_case

    states = [st for st in states_for_case(case) if without is None or st.record.pk != without.pk]
    chain = orders(views_of_states(states), profile_for_case(case).execution.recheck_days)
    serials = {st.record.pk: st.record.serial for st in states}
    for o in chain:
        o.serial = serials[o.record.id]
    return chain
