"""Reads of 行政强制执行 (行政强制法 35-40, 53-54): where a case's compulsory execution stands.

`enforcement_of` is one pure function over the case's records (records.duedates.RecordView, in serial
order) and the dates it cannot read from them (when the decision and each 催告书 were served): the
content checks, the gate, the case page's card and the due source all read the same answer.
`for_case` reads those inputs for one case.
"""
from __future__ import annotations

import calendar as months
import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from liuhen.profiles.spec import ENFORCEMENT_MEASURE_CODES
from liuhen.records import content_dates
from liuhen.records.catalog import STATEMENT_CONCLUSIONS

REMINDER, STATEMENT, DECISION, MEASURE, COURT, SUSPENSION, TERMINATION = (
    "reminder_notice", "enforcement_statement", "enforcement_decision", "enforcement_measure",
    "court_enforcement", "enforcement_suspension", "enforcement_termination")
CODES = (REMINDER, STATEMENT, DECISION, MEASURE, COURT, SUSPENSION, TERMINATION)
RECHECK, PERFORMANCE = "rectification_check", "performance_record"
ADOPTED = STATEMENT_CONCLUSIONS[0]  # 采纳: 行政强制法 36, 成立的，应当采纳
NOT_RECTIFIED = frozenset({"未改正", "部分改正"})  # catalog.RECHECK_OUTCOMES: the obligation not performed
ACCEPTED, COURT_DONE = "已受理", "执行完毕"

NOT_STARTED, REMINDED, TO_DECIDE, DECIDED, CARRIED_OUT, AT_COURT, SUSPENDED, TERMINATED, DONE = (
    "未启动", "已催告", "待决定", "已决定", "已实施", "已申请法院", "中止", "终结", "执行完毕")


day, moment = content_dates.day, content_dates.moment  # a record's date / time fields (records.content_dates)


def add_months(d: datetime.date, n: int) -> datetime.date:
    """`d` + `n` months, the day clamped to the month's end (期间以月计算: 民法典 200-203)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return datetime.date(year, month, min(d.day, months.monthrange(year, month)[1]))


def measure_code(content: dict | None) -> str:
    """The ENFORCEMENT_MEASURES code of a record's 强制执行方式 ("" when blank or unknown)."""
    return ENFORCEMENT_MEASURE_CODES.get((content or {}).get("measure_kind") or "", "")


def _after(days: int, d: datetime.date | None) -> datetime.date | None:
    return d + datetime.timedelta(days=days) if d is not None else None


@dataclass(frozen=True)
class Suspension:
    """A 中止执行 (行政强制法 39) from `suspended_on`, until `resumed_on` (None: not resumed)."""

    suspended_on: datetime.date
    resumed_on: datetime.date | None

    def covers(self, d: datetime.date) -> bool:
        return self.suspended_on <= d and (self.resumed_on is None or d < self.resumed_on)


@dataclass
class Enforcement:
    """A case's compulsory execution on `today` (all dates are the agency's calendar days)."""

    today: datetime.date
    served_on: datetime.date | None = None        # the decision enforced, served (delivery)
    unrectified: bool = False                      # a complete 整改复查 said 未改正 / 部分改正
    reminder: object = None                        # the latest complete 催告书 (RecordView)
    reminder_served_on: datetime.date | None = None
    statements: list = field(default_factory=list)     # 陈述申辩复核 after the reminder (complete)
    statement_open: bool = False                   # one not complete yet (art. 36: reviewed first)
    decisions: list = field(default_factory=list)      # complete 强制执行决定书, in order
    decision_open: object = None                   # one awaiting its signatures
    measures: dict = field(default_factory=dict)       # {decision id: its complete 实施记录}
    courts: list = field(default_factory=list)         # complete 申请法院强制执行记录
    suspensions: list = field(default_factory=list)    # Suspension
    termination: object = None                    # a complete 终结执行记录
    ends: list = field(default_factory=list)           # records that end the court window (after the reminder)
    remedy_end: datetime.date | None = None        # the last day to apply for review or to sue
    court_from: datetime.date | None = None
    court_to: datetime.date | None = None
    earliest_decision: datetime.date | None = None
    earliest_court: datetime.date | None = None
    missing: list = field(default_factory=list)
    after_reminder: frozenset = frozenset()        # ids of the records made after the reminder

    # ---- derived ------------------------------------------------------------------------------------

    @property
    def reminder_deadline(self) -> datetime.date | None:
        return day((self.reminder.content or {}).get("deadline")) if self.reminder is not None else None

    @property
    def reminder_issued_on(self) -> datetime.date | None:
        if self.reminder is None:
            return None
        content = self.reminder.content or {}
        return day(content.get("issued_on")) or timezone.localdate(self.reminder.created_at)

    @property
    def adopted(self) -> bool:
        """A statement after the reminder adopted in full: no decision follows that 催告 (行政强制法 36)."""
        return any((s.content or {}).get("adopted") == ADOPTED for s in self.statements)

    def suspended_at(self, d: datetime.date) -> Suspension | None:
        return next((s for s in self.suspensions if s.covers(d)), None)

    @property
    def suspended(self) -> Suspension | None:
        return self.suspended_at(self.today)

    @property
    def waiting(self) -> list:
        """Complete decisions with no 实施记录 yet."""
        return [d for d in self.decisions if d.id not in self.measures]

    @property
    def decisions_after_reminder(self) -> list:
        return [d for d in self.decisions if self.reminder is not None and d.id in self.after_reminder]

    @property
    def court(self):
        """The latest complete court record (its outcome is the application's state)."""
        return self.courts[-1] if self.courts else None

    @property
    def court_outcome(self) -> str:
        return ((self.court.content or {}).get("outcome") or "") if self.court is not None else ""

    @property
    def court_pending(self) -> bool:
        """Applied, and the court has not ruled or, having accepted it, given no later result."""
        return self.court is not None and self.court_outcome in ("", ACCEPTED)

    @property
    def stage(self) -> str:
        if self.termination is not None:
            return TERMINATED
        if self.court_outcome == COURT_DONE:
            return DONE
        if self.suspended is not None:
            return SUSPENDED
        if self.court is not None:
            return AT_COURT
        if self.decisions and not self.waiting:
            return CARRIED_OUT
        if self.decisions:
            return DECIDED
        if self.reminder is not None:
            deadline = self.reminder_deadline
            return TO_DECIDE if deadline is not None and self.today > deadline else REMINDED
        return NOT_STARTED


def _suspensions(views) -> list[Suspension]:
    """Each 中止 by its date; a later record of the same date (e.g. with its 恢复执行日期) replaces it."""
    by_date: dict = {}
    for r in views:
        content = r.content or {}
        start = day(content.get("suspended_on"))
        if start is not None:
            by_date[start] = Suspension(start, day(content.get("resumed_on")))
    return sorted(by_date.values(), key=lambda s: s.suspended_on)


def enforcement_of(records, spec, *, served_at=None, reminders_served=None, today=None) -> Enforcement:
    """The case's enforcement from its records (RecordView, serial order) under the profile's
    ExecutionSpec `spec`; `served_at`: when the decision counts as served (delivery), or None;
    `reminders_served`: {催告书 record id: when it counts as served}; `today`: the agency's day."""
    today = today or timezone.localdate()
    live = [r for r in records if not r.voided]
    done = [r for r in live if r.complete]
    e = Enforcement(today=today, served_on=timezone.localdate(served_at) if served_at is not None else None)
    # The latest re-check speaks: 部分改正 then, after a second order, 已按期改正 leaves nothing to enforce.
    rechecks = [r for r in done if r.code == RECHECK]
    e.unrectified = bool(rechecks) and (rechecks[-1].content or {}).get("outcome") in NOT_RECTIFIED
    reminders = [r for r in done if r.code == REMINDER]
    e.reminder = reminders[-1] if reminders else None
    position = {r.id: i for i, r in enumerate(live)}
    start = position[e.reminder.id] if e.reminder is not None else len(live)
    after = live[start + 1:]
    e.after_reminder = frozenset(r.id for r in after)
    if e.reminder is not None:
        served = (reminders_served or {}).get(e.reminder.id)
        e.reminder_served_on = timezone.localdate(served) if served is not None else None
    e.statements = [r for r in after if r.code == STATEMENT and r.complete]
    e.statement_open = any(r.code == STATEMENT and not r.complete for r in after)
    e.decisions = [r for r in done if r.code == DECISION]
    e.decision_open = next((r for r in live if r.code == DECISION and not r.complete), None)
    for d in e.decisions:
        kind = measure_code(d.content)
        found = next((m for m in live[position[d.id] + 1:]
                      if m.code == MEASURE and m.complete and measure_code(m.content) == kind), None)
        if found is not None:
            e.measures[d.id] = found
    e.courts = [r for r in done if r.code == COURT]
    e.suspensions = _suspensions(r for r in done if r.code == SUSPENSION)
    e.termination = next((r for r in done if r.code == TERMINATION), None)
    e.ends = [r for r in after if r.complete and r.code in (COURT, TERMINATION, PERFORMANCE)]
    _windows(e, spec)
    e.missing = _missing(e, spec)
    return e


def _windows(e: Enforcement, spec) -> None:
    """The dates: the remedy deadlines from service — 行政复议法 20 (appeal_days), 行政诉讼法 46
    (lawsuit_months), the later of them — and the court window of 行政强制法 53 after them; a decision
    the day after the 催告's deadline (37); a court application court_wait_days after the 催告 was served (54)."""
    if e.served_on is not None:
        e.remedy_end = max(_after(spec.appeal_days, e.served_on), add_months(e.served_on, spec.lawsuit_months))
        e.court_from = e.remedy_end + datetime.timedelta(days=1)
        e.court_to = add_months(e.remedy_end, spec.court_months)
    if e.reminder is None:
        return
    if e.reminder_deadline is not None:
        e.earliest_decision = e.reminder_deadline + datetime.timedelta(days=1)
    if e.reminder_served_on is not None and e.court_from is not None:
        e.earliest_court = max(e.court_from, _after(spec.court_wait_days + 1, e.reminder_served_on))


def _missing(e: Enforcement, spec) -> list[str]:
    """What keeps the next step, in Chinese with the article."""
    if e.termination is not None or e.court_outcome == COURT_DONE:
        return []
    out = []
    if e.served_on is None:
        out.append("行政处罚决定书尚未送达（行政处罚法 61）")
    if e.reminder is None:
        out.append("尚未制作完成催告书：强制执行前应当书面催告当事人履行义务（行政强制法 35、54）")
        return out
    if e.reminder_served_on is None:
        out.append("催告书尚未送达（签发后以送达回证送达，行政强制法 35、54）")
    if e.statement_open:
        out.append("当事人的陈述、申辩尚未复核完毕（行政强制法 36）")
    if e.adopted:
        out.append("当事人的陈述、申辩已被采纳，不得依该催告作出强制执行决定（行政强制法 36）")
    if e.suspended is not None:
        out.append(f"执行已于{e.suspended.suspended_on:%Y-%m-%d}中止，尚未恢复执行（行政强制法 39）")
    if e.decision_open is not None:
        out.append("强制执行决定书尚未签字或负责人尚未批准（行政强制法 37）")
    for d in e.waiting:
        out.append(f"{(d.content or {}).get('decided_on', '')}作出的强制执行决定（{(d.content or {}).get('measure_kind', '')}）"
                   "尚未实施（行政强制法 37）")
    if e.court_pending:
        out.append("已申请人民法院强制执行，法院尚未作出裁定或执行结果（行政强制法 57-58）")
    return out


def for_case(case, *, exclude=None, today=None) -> Enforcement:
    """The enforcement of one case, read from the database; `exclude`: a record id left out (the one
    being revised or signed, checked against the others)."""
    from liuhen.delivery import selectors as delivery
    from liuhen.profiles.selectors import profile_for_case
    from liuhen.records.duedates import views_of_states
    from liuhen.records.selectors import states_for_case

    states = [st for st in states_for_case(case) if st.record.pk != exclude]
    served = {item.record.pk: item.served.served_at for item in delivery.documents_to_serve(case)
              if item.record is not None and item.record.record_type.code == REMINDER and item.served is not None}
    return enforcement_of(views_of_states(states), profile_for_case(case).execution,
                          served_at=delivery.served_at(case), reminders_served=served, today=today)
