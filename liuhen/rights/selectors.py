"""Reads of the party's rights before a penalty decision (当事人的陈述、申辩和听证权利): where the current
pass through 审查决定 stands — the 行政处罚告知书, the waiting period, the hearing window, the hearing —
and from when the decision may be made.

Only the records made since the case last entered 审查决定 count (cases.selectors.stage_entries): a
case sent back for more investigation is told again before it is decided.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from liuhen.cases.models import Kind, PartyKind, Procedure, Stage
from liuhen.cases.selectors import stage_entries
from liuhen.profiles import selectors as profiles
from liuhen.profiles.spec import PENALTY_CODES, PENALTY_LABELS, PENALTY_RANK
from liuhen.records.selectors import states_for_case
from liuhen.workdays.calendar import due

NOTICE, STATEMENT, WAIVER, REQUEST, HEARING_NOTICE, TRANSCRIPT, REPORT, DECISION = (
    "penalty_notice", "statement_hearing", "rights_waiver", "hearing_request", "hearing_notice",
    "hearing_transcript", "hearing_report", "decision")
NO_PENALTY = "no_penalty"
# The choices of 放弃陈述申辩、听证权利声明 (records.catalog) → the rights they give up.
WAIVES_STATEMENT = frozenset({"陈述、申辩", "陈述、申辩和听证"})
WAIVES_HEARING = frozenset({"听证", "陈述、申辩和听证"})
CALENDAR_UNKNOWN = "工作日历尚未载入期限所在年度的放假安排，无法计算期限，请系统管理员载入（行政处罚法 85）。"


def applies(case) -> bool:
    """Do the rights before the decision apply to the case: a penalty under the general procedure
    (a 简易程序 penalty is told and decided on the spot, 行政处罚法 51-52)."""
    return case.kind == Kind.PENALTY and case.procedure == Procedure.GENERAL


def when(content: dict, name: str) -> datetime.datetime | None:
    """A datetime field of a record's content, aware (a naive one is read in the agency's zone)."""
    value = (content or {}).get(name)
    if not value:
        return None
    at = datetime.datetime.fromisoformat(str(value))
    return at if timezone.is_aware(at) else timezone.make_aware(at)


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class Penalty:
    """The penalty a notice intends or a decision imposes (行政处罚法 9): its kind's code and amounts."""

    kind: str
    fine: int
    confiscation: int

    @classmethod
    def of(cls, content: dict) -> "Penalty":
        content = content or {}
        return cls(PENALTY_CODES.get(content.get("penalty_kind") or "", ""), _int(content.get("fine_amount")),
                   _int(content.get("confiscation_amount")))

    @property
    def label(self) -> str:
        return PENALTY_LABELS.get(self.kind, "未写明")

    def heavier_than(self, other: "Penalty") -> list[str]:
        """How this penalty is heavier than `other`, in Chinese; empty when it is not."""
        out = []
        if self.kind and other.kind and PENALTY_RANK[self.kind] > PENALTY_RANK[other.kind]:
            out.append(f"处罚种类“{self.label}”重于告知的“{other.label}”")
        if self.fine > other.fine:
            out.append(f"罚款{self.fine}元多于告知的{other.fine}元")
        if self.confiscation > other.confiscation:
            out.append(f"没收金额{self.confiscation}元多于告知的{other.confiscation}元")
        return out


def current_states(case) -> list:
    """The case's records of 审查决定 made since the case last entered it, not voided."""
    since = stage_entries(case).get(Stage.DECISION)
    return [s for s in states_for_case(case, Stage.DECISION)
            if not s.voided and (since is None or s.record.created_at >= since)]


def _of(states, code: str, *, complete=True) -> list:
    return [s for s in states if s.record.record_type.code == code and (s.complete or not complete)]


def carries_hearing(case, penalty: Penalty) -> bool:
    """Does the penalty carry the right to a hearing (行政处罚法 63): a kind the profile names, or a
    较大数额 fine — or confiscation (63 第一款第二项: 没收较大数额违法所得、较大价值非法财物, held to
    the same figure) — for a party of the case's kind."""
    spec = profiles.profile_for_case(case).rights
    if penalty.kind in spec.hearing_penalties:
        return True
    kinds = {p.kind for p in case.parties.all() if p.is_current}
    limits = [spec.hearing_fine_person] if PartyKind.PERSON in kinds else []
    limits += [spec.hearing_fine_organisation] if PartyKind.ORGANISATION in kinds else []
    return any(max(penalty.fine, penalty.confiscation) >= limit for limit in limits)


@dataclass
class Rights:
    """Where the party's rights stand in the current pass through 审查决定."""

    applies: bool
    notice: object = None  # RecordState of the latest complete 行政处罚告知书
    notified_at: datetime.datetime | None = None
    penalty: Penalty | None = None
    statement_due: datetime.datetime | None = None
    hearing_right: bool = False
    hearing_due: datetime.datetime | None = None
    request: object = None  # RecordState of the complete 听证申请记录 after the notice
    requested_at: datetime.datetime | None = None
    hearing_notice: object = None
    hearing_at: datetime.datetime | None = None
    hearing_notice_in_time: bool | None = None
    transcript_complete: bool = False
    report_complete: bool = False
    statement_waived: bool = False
    hearing_waived: bool = False
    open_statements: list = field(default_factory=list)  # 陈述申辩笔录 not yet complete (answered, signed)
    statements: int = 0

    @property
    def hearing_requested(self) -> bool:
        return self.request is not None and not self.hearing_waived

    def may_decide_from(self) -> datetime.datetime | None:
        """The first instant after every waiting period the party has not waived (None: no notice,
        or a period the calendar cannot count)."""
        if self.notice is None:
            return None
        ends = [] if self.statement_waived else [self.statement_due]
        if self.hearing_right and not self.hearing_waived and self.request is None:
            ends.append(self.hearing_due)
        if any(e is None for e in ends):
            return None
        return max(ends) + datetime.timedelta(microseconds=1) if ends else self.notified_at

    def problems(self, now: datetime.datetime | None = None) -> list[str]:
        """Why a penalty decision may not be made now, in Chinese with the article; empty when it may."""
        if not self.applies:
            return []
        if self.notice is None:
            return ["作出行政处罚决定之前，应当制作并送达行政处罚告知书，告知拟作出的处罚内容及事实、理由、依据，"
                    "以及陈述、申辩、要求听证等权利（行政处罚法 44）。"]
        now = now or timezone.now()
        out = []
        start = self.may_decide_from()
        if start is None:
            out.append(CALENDAR_UNKNOWN)
        elif now < start:
            local = timezone.localtime(start - datetime.timedelta(microseconds=1)).strftime("%Y-%m-%d %H:%M")
            out.append(f"当事人陈述、申辩或者申请听证的期限至 {local} 届满，期满前（当事人放弃的除外）不得作出处罚决定"
                       "（行政处罚法 44、64）。")
        if self.open_statements:
            out.append(f"尚有{len(self.open_statements)}份陈述申辩笔录未完成复核和签字：对当事人的陈述、申辩应当进行复核并答复"
                       "（行政处罚法 45）。")
        if self.hearing_requested and not self.report_complete:
            out.append("当事人已申请听证：听证结束并制作听证报告后，方可作出决定（行政处罚法 64、65）。")
        return out


def rights_of(case, states=None) -> Rights:
    if not applies(case):
        return Rights(applies=False)
    states = states if states is not None else current_states(case)
    notices = _of(states, NOTICE)
    r = Rights(applies=True)
    statements = _of(states, STATEMENT, complete=False)
    r.statements, r.open_statements = len(statements), [s for s in statements if not s.complete]
    if not notices:
        return r
    spec = profiles.profile_for_case(case).rights
    r.notice = notices[-1]
    content = r.notice.latest.content
    r.notified_at, r.penalty = when(content, "notified_at"), Penalty.of(content)
    r.statement_due = _due(r.notified_at, spec.statement_period)
    r.hearing_right = carries_hearing(case, r.penalty)
    if r.hearing_right:
        r.hearing_due = _due(r.notified_at, spec.hearing_request_period)
    requests = [s for s in _of(states, REQUEST) if _after(s, "requested_at", r.notified_at)]
    if requests:
        r.request, r.requested_at = requests[-1], when(requests[-1].latest.content, "requested_at")
    for w in _of(states, WAIVER):
        at, waived = when(w.latest.content, "waived_at"), w.latest.content.get("waived")
        if at is None or r.notified_at is None or at < r.notified_at:
            continue  # a right is given up after it was told, not before (行政处罚法 44)
        r.statement_waived |= waived in WAIVES_STATEMENT
        # A waiver after the request withdraws it (行政处罚法 64 第一款第九项: 撤回听证).
        r.hearing_waived |= waived in WAIVES_HEARING and (r.requested_at is None or at >= r.requested_at)
    _hearing(r, states, spec)
    return r


def _after(state, name: str, start) -> bool:
    at = when(state.latest.content, name)
    return at is not None and start is not None and at >= start


def _due(start, period) -> datetime.datetime | None:
    return None if start is None else due(start, period.amount, period.unit)


def hearing_notice_problem(notified_at, hearing_at, period) -> str:
    """Why a hearing on `hearing_at` is notified too late on `notified_at` (行政处罚法 64: 举行听证的
    七日前通知, working days by art. 85): the hearing's day is at least the period's last day after
    the notice's; "" when it is in time."""
    if notified_at is None or hearing_at is None:
        return ""  # the schema requires both
    end = _due(notified_at, period)
    if end is None:
        return CALENDAR_UNKNOWN
    if timezone.localdate(hearing_at) < timezone.localdate(end):
        return (f"听证通知书应当在举行听证的{period.label}前送达当事人：{timezone.localtime(notified_at):%Y-%m-%d}送达的，"
                f"听证最早于{timezone.localdate(end):%Y-%m-%d}举行（行政处罚法 64、85）。")
    return ""


def _hearing(r: Rights, states, spec) -> None:
    if r.request is None:
        return
    notices = [s for s in _of(states, HEARING_NOTICE) if _after(s, "notified_at", r.requested_at)]
    if notices:
        r.hearing_notice = notices[-1]
        content = r.hearing_notice.latest.content
        r.hearing_at = when(content, "hearing_at")
        r.hearing_notice_in_time = not hearing_notice_problem(when(content, "notified_at"), r.hearing_at,
                                                              spec.hearing_notice_period)
    r.transcript_complete = bool(_of(states, TRANSCRIPT))
    r.report_complete = bool(_of(states, REPORT))


def decision_problems(record, state=None) -> list[str]:
    """Why the 决定书 `record` (at its latest version) may not be made now, in Chinese; empty when it
    may: a penalty case's decision that imposes a penalty waits for the party's rights, and is not
    heavier than the notice (行政处罚法 44-45, 63-65)."""
    from liuhen.records.selectors import record_with_state

    case = record.case
    if not applies(case):
        return []
    state = state or record_with_state(record.pk)
    penalty = Penalty.of(state.latest.content)
    if penalty.kind == NO_PENALTY:
        return []
    rights = rights_of(case)
    out = rights.problems()
    if rights.notice is not None:
        out += heavier_problem(penalty, rights.penalty)
    return out


def heavier_problem(penalty: Penalty, notified: Penalty) -> list[str]:
    heavier = penalty.heavier_than(notified)
    if not heavier:
        return []
    return [f"{'，'.join(heavier)}：不得因当事人陈述、申辩而给予更重的处罚；拟加重处罚的，应当重新制作行政处罚告知书并"
            "重新告知（行政处罚法 45）。"]
