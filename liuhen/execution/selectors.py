"""Reads of execution (执行): the fine a decision imposed, when the decision was served, the due dates
(行政处罚法 67: 十五日; moved by an approved deferral or instalments, 66), what was paid, the balance, and
the additional late fine (加处罚款, 72) — computed for a day and shown, never stored or charged."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from liuhen.cases import access
from liuhen.cases.models import Stage
from liuhen.common import memo
from liuhen.profiles import selectors as profiles
from liuhen.records import content_dates
from liuhen.records.selectors import involved, states_for_case
from liuhen.delivery import selectors as delivery

from .models import DeferralDecision, DeferralKind, DeferralRequest, Payment, Towards

DECISION_CODE = "decision"


def fen(yuan) -> int:
    """A record's integer 元 as 分 (0 for blank or unreadable)."""
    try:
        return int(yuan or 0) * 100
    except (TypeError, ValueError):
        return 0


def yuan(amount_fen: int) -> str:
    """分 shown as 元 with 角分 (12345 → "123.45")."""
    sign = "-" if amount_fen < 0 else ""
    whole, cents = divmod(abs(int(amount_fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def _done(case):
    return [st for st in states_for_case(case) if st.complete and not st.voided]


def decision_of(case):
    """The case's complete 决定书 (the latest, if more than one), or None."""
    found = [st for st in _done(case) if st.record.record_type.code == DECISION_CODE]
    return found[-1] if found else None


def fine_of(case) -> int:
    """The fine the decision imposes, in 分 (0 without a decision or a fine)."""
    st = decision_of(case)
    return fen(st.latest.content.get("fine_amount")) if st is not None else 0


def confiscation_of(case) -> int:
    """The illegal gains the decision confiscates (没收违法所得、没收非法财物金额), in 分 (0: none)."""
    st = decision_of(case)
    return fen(st.latest.content.get("confiscation_amount")) if st is not None else 0


def decided_on(case) -> datetime.date | None:
    """The 决定日期 of the case's complete 决定书."""
    st = decision_of(case)
    return _day(st.latest.content.get("decided_on")) if st is not None else None


_day = content_dates.day  # a record's date or datetime field as the agency's day


def decision_served_on(case) -> datetime.date | None:
    """The day the decision was served (送达) with its method's proof — the delivery app's served time
    (mail: the day received; 公告送达: published + the profile's days) — from which 行政处罚法 67's days run."""
    served = delivery.served_at(case)
    return timezone.localtime(served).date() if served is not None else None


# ---- payments and deferrals ------------------------------------------------------------------------

def payments(case) -> list[Payment]:
    """The case's payments by date: read once per reading request (common.memo: the account and the
    page's list both ask)."""
    return list(memo.remember(("execution.payments", case.pk), lambda: list(
        Payment.objects.filter(case=case).select_related("recorded_by").order_by("paid_on", "id"))))


def voucher_blobs(shas: set[str]) -> set[str]:
    """Of `shas`, those a payment's voucher stores (media.purge asks before deleting bytes)."""
    return set(Payment.objects.filter(voucher_id__in=shas).values_list("voucher_id", flat=True))


def paid(case, towards=Towards.FINE) -> int:
    return sum(p.amount_fen for p in payments(case) if p.towards == towards)


def requests(case) -> list[DeferralRequest]:
    """The case's deferral and instalment requests, each with its decision (if any): read once per
    reading request (common.memo: the account, the schedule in force and the page's list ask)."""
    return list(memo.remember(("execution.requests", case.pk), lambda: list(
        DeferralRequest.objects.filter(case=case).select_related("requested_by", "decision__decided_by")
        .order_by("id"))))


def decision_on(req: DeferralRequest) -> DeferralDecision | None:
    return DeferralDecision.objects.filter(request=req).select_related("decided_by").first()


def _decided(req: DeferralRequest) -> DeferralDecision | None:
    return getattr(req, "decision", None)  # read with the request (requests()); None: not decided yet


def pending_request(case) -> DeferralRequest | None:
    return next((r for r in requests(case) if _decided(r) is None), None)


def _approved(case) -> list[DeferralDecision]:
    """The approved deferrals and instalments, in the order they were decided."""
    return sorted((d for d in map(_decided, requests(case)) if d is not None and d.approved), key=lambda d: d.pk)


def approved_deferral(case) -> DeferralDecision | None:
    """The latest approved deferral or instalments: its schedule is the one in force."""
    approved = _approved(case)
    return approved[-1] if approved else None


def instalments_of(req: DeferralRequest) -> list[tuple[datetime.date, int]]:
    return [(datetime.date.fromisoformat(i["due_on"]), int(i["amount_fen"])) for i in req.instalments]


def _after(first: datetime.date, fine: int, dec: DeferralDecision) -> list[tuple[datetime.date, int]]:
    """The schedule an approved deferral puts in force: what was paid by then stays due at the first
    date, the rest at the new date or in the approved instalments (行政处罚法 66)."""
    req = dec.request
    rest = ([(req.new_due_on, fine - dec.paid_fen)] if req.kind == DeferralKind.DEFER else instalments_of(req))
    return ([(first, dec.paid_fen)] if dec.paid_fen else []) + rest


def periods(case, *, fine: int | None = None, served: datetime.date | None = None) -> list[tuple]:
    """The schedules of the fine as they were put in force: [(in force after this day, or None from the
    start; [(due date, amount in 分)] summing to the fine)]. From service, the whole fine in
    payment_days calendar days (行政处罚法 67: 自收到行政处罚决定书之日起十五日内); then each approved
    deferral, in force from the day after its approval — a late fine that ran before it stays. Empty
    before service."""
    fine = fine_of(case) if fine is None else fine
    served = decision_served_on(case) if served is None else served
    if not fine or served is None:
        return []
    first = served + datetime.timedelta(days=profiles.profile_for_case(case).execution.payment_days)
    out = [(None, [(first, fine)])]
    for dec in _approved(case):
        out.append((timezone.localdate(dec.decided_at), _after(first, fine, dec)))
    return out


def schedule(case, **kw) -> list[tuple[datetime.date, int]]:
    """The schedule in force now: [(due date, amount in 分)]; empty before service."""
    found = periods(case, **kw)
    return found[-1][1] if found else []


def late_fine(in_force, fine_payments, on: datetime.date, percent: int, fine: int) -> int:
    """加处罚款 (行政处罚法 72: 到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得
    超出罚款的数额), in 分, for the days up to and including `on`: each day after a due date of the
    schedule then in force (`in_force`: periods()), `percent` of what had fallen due and was unpaid at
    the day's start (a payment stops it from the day after it is made: the day of payment counts),
    capped at the fine. Exact in 分, rounded down once."""
    if not in_force:
        return 0
    cap = fine * 100
    total = 0  # 分 × percent: divided by 100 once, at the end
    day = min(d for _start, sched in in_force for d, _ in sched) + datetime.timedelta(days=1)
    paid_by = sorted((p.paid_on, p.amount_fen) for p in fine_payments)
    while day <= on:
        sched = next(sc for start, sc in reversed(in_force) if start is None or start < day)
        paid_before = sum(a for d, a in paid_by if d < day)
        if paid_before >= fine:
            break  # all paid: nothing more accrues
        total += max(0, sum(a for d, a in sched if d < day) - paid_before) * percent
        if total >= cap:
            return fine
        day += datetime.timedelta(days=1)
    return total // 100


@dataclass
class Account:
    """The fine's account on a day: what the decision imposed and what stands."""

    fine: int = 0                     # 分
    served_on: datetime.date | None = None
    schedule: list = field(default_factory=list)
    paid: int = 0                     # of the fine
    late_paid: int = 0                # of the late fine
    late_fine: int = 0                # computed to `on`, not charged
    confiscation: int = 0             # 没收违法所得 the decision imposes, 分
    confiscation_paid: int = 0
    on: datetime.date | None = None
    due_on: datetime.date | None = None   # the next date a part of the fine falls due (unpaid)
    overdue_days: int = 0
    pending: DeferralRequest | None = None
    deferral: DeferralDecision | None = None

    @property
    def balance(self) -> int:
        return self.fine - self.paid

    @property
    def confiscation_balance(self) -> int:
        return self.confiscation - self.confiscation_paid

    @property
    def late_cap_left(self) -> int:
        """What may still be paid as late fine: the computed amount not yet paid."""
        return max(0, self.late_fine - self.late_paid)

    @property
    def status(self) -> str:
        if not self.fine:
            if not self.confiscation:
                return "无罚款"
            if self.confiscation_balance <= 0:
                return "没收违法所得已缴清"
            return "决定书未送达" if self.served_on is None else "待缴纳"
        if self.balance <= 0:
            return "罚款已缴清"
        if self.served_on is None:
            return "决定书未送达"
        if self.pending is not None:
            return "延期（分期）审批中"
        return "已逾期" if self.overdue_days else "待缴纳"


def account(case, on: datetime.date | None = None) -> Account:
    on = on or timezone.localdate()
    fine = fine_of(case)
    if not fine:
        taken = confiscation_of(case)
        return Account(on=on, confiscation=taken, confiscation_paid=paid(case, Towards.CONFISCATION) if taken else 0,
                       served_on=decision_served_on(case) if taken else None)
    served = decision_served_on(case)
    in_force = periods(case, fine=fine, served=served)
    sched = in_force[-1][1] if in_force else []
    fine_paid = [p for p in payments(case) if p.towards == Towards.FINE and p.paid_on <= on]
    acc = Account(fine=fine, served_on=served, schedule=sched, on=on, paid=paid(case), late_paid=paid(case, Towards.LATE_FINE),
                  pending=pending_request(case), deferral=approved_deferral(case), confiscation=confiscation_of(case),
                  confiscation_paid=paid(case, Towards.CONFISCATION))
    percent = profiles.profile_for_case(case).execution.late_fine_percent
    acc.late_fine = late_fine(in_force, fine_paid, on, percent, fine)
    cumulative = 0
    for due, amount in sched:
        cumulative += amount
        if cumulative > acc.paid:
            acc.due_on = due
            break
    if acc.due_on is not None and on > acc.due_on:
        acc.overdue_days = (on - acc.due_on).days
    return acc


def in_execution(case) -> bool:
    return case.stage == Stage.SERVICE and not case.is_archived


def may_decide(user, case) -> bool:
    """A head the profile names (行政处罚法 66: 经行政机关批准) who did not handle the case."""
    roles = profiles.profile_for_case(case).execution.deferral_roles
    # Of the case's agency: a supervising agency's 监督人员 reads the case, never approves on it.
    return (user.has_role(*roles) and user.agency_id == case.agency_id and access.can_view(user, case)
            and not involved(user, case))


def due_payments(user) -> list[dict]:
    """For 我的待办: the fines of the cases the user handles in 送达执行 not yet paid (due date, balance,
    computed late fine), and the deferral applications awaiting the user's decision. Each item:
    {"kind": "payment"|"deferral", "case", "account", "request"?}."""
    if not getattr(user, "is_authenticated", False):
        return []
    from liuhen.cases.models import Case

    items = []
    # The officer's own cases (no scan of every case a head may see), and the pending applications of the
    # agency (one query), each then held to who may decide it.
    for case in Case.objects.filter(officers__officer=user, stage=Stage.SERVICE, archived_at__isnull=True).order_by("id"):
        acc = account(case)
        if acc.fine and acc.balance > 0:
            items.append({"kind": "payment", "case": case, "account": acc})
    pending = (DeferralRequest.objects.filter(decision__isnull=True, case__agency_id=user.agency_id,
                                              case__stage=Stage.SERVICE, case__archived_at__isnull=True)
               .select_related("case").order_by("id"))
    seen = set()
    for req in pending:
        if req.case_id not in seen and may_decide(user, req.case):
            seen.add(req.case_id)
            items.append({"kind": "deferral", "case": req.case, "request": req})
    far = datetime.date.max
    items.sort(key=lambda i: (i["account"].due_on or far) if i["kind"] == "payment" else i["request"].requested_at.date())
    return items
