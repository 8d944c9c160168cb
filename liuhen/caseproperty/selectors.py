"""Reads of caseproperty (涉案财物): each item with where it is kept and its state — 在库, 待审批, 待处理
(approved, the result not yet recorded), 已处理 — the requests of a case, who may approve, the agency's
list; and the term of each 查封、扣押 (行政强制法 25) as a due date the oversight clocks read."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from liuhen.cases import access
from liuhen.common import memo
from liuhen.profiles import selectors as profiles
from liuhen.records import content_dates
from liuhen.records.duedates import DueDate, views_of_states
from liuhen.records.selectors import involved, states_for_case

from .models import Custody, Handling, HandlingApproval, HandlingRequest, Item, Kind, Source

DECISION_CODE = "decision"
RECORD_CODE = "confiscated_property"
RELEASE_CODE = "seizure_release"  # 解除查封扣押决定书 (行政强制法 28): released before any decision
SEIZURE_CODE = "seizure_record"
EXTENSION_CODE = "seizure_extension"
PRESERVATION_CODE = "evidence_preservation_list"

# 行政强制法 24 (查封、扣押 with its 清单) and 行政处罚法 56 (先行登记保存 with its 清单): the record that lists it.
SOURCE_RECORDS = {Source.SEALED: SEIZURE_CODE, Source.SEIZED: SEIZURE_CODE, Source.PRESERVED: PRESERVATION_CODE}
# 行政强制法 27, 行政处罚法 74: sold, destroyed or paid to the treasury only as the decision (没收) says.
AFTER_DECISION = frozenset({Kind.AUCTION, Kind.DESTROY, Kind.TREASURY})

HELD, PENDING, APPROVED, HANDLED = "held", "pending", "approved", "handled"
STATE_LABELS = {HELD: "在库", PENDING: "待审批", APPROVED: "待处理", HANDLED: "已处理"}
STATE_BADGES = {HELD: "badge-current", PENDING: "badge-warn", APPROVED: "badge-warn", HANDLED: "badge-done"}


def yuan(amount_fen: int) -> str:
    """分 shown as 元 with 角分 (12345 → "123.45")."""
    sign = "-" if amount_fen < 0 else ""
    whole, cents = divmod(abs(int(amount_fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


@dataclass
class ItemView:
    """An item with its latest custody and its state: the request that is open on it or handled it."""

    item: Item
    custody: Custody | None
    state: str = HELD
    request: HandlingRequest | None = None

    @property
    def state_label(self) -> str:
        label = STATE_LABELS[self.state]
        return f"{label}（{self.request.kind}）" if self.request is not None else label

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]


def _requests(case_ids) -> list[HandlingRequest]:
    return list(HandlingRequest.objects.filter(case_id__in=case_ids)
                .select_related("approval__decided_by", "handling__record", "requested_by", "handling__recorded_by")
                .order_by("id"))


def approval_of(req: HandlingRequest) -> HandlingApproval | None:
    try:
        return req.approval
    except HandlingApproval.DoesNotExist:
        return None


def handling_of(req: HandlingRequest) -> Handling | None:
    try:
        return req.handling
    except Handling.DoesNotExist:
        return None


def request_state(req: HandlingRequest) -> str | None:
    """PENDING, APPROVED (the result awaited), HANDLED, or None for a refused request."""
    if handling_of(req) is not None:
        return HANDLED
    approval = approval_of(req)
    if approval is None:
        return PENDING
    return APPROVED if approval.approved else None


def item_states(requests) -> dict[int, tuple[str, HandlingRequest]]:
    """{item id: (state, request)} of the items a request names and did not refuse; a handled item
    stays handled (services refuse to ask again)."""
    out: dict[int, tuple[str, HandlingRequest]] = {}
    for req in requests:
        state = request_state(req)
        if state is None:
            continue
        for item_id in req.item_ids:
            if out.get(item_id, (None,))[0] != HANDLED:
                out[item_id] = (state, req)
    return out


def _views(items, requests) -> list[ItemView]:
    states = item_states(requests)
    out = []
    for item in items:
        custody = item.custody.all()
        state, req = states.get(item.pk, (HELD, None))
        out.append(ItemView(item, custody[len(custody) - 1] if custody else None, state, req))
    return out


def _items(qs):
    return (qs.select_related("case", "source_record__record_type", "registered_by")
            .prefetch_related(Prefetch("custody", queryset=Custody.objects.order_by("from_at", "id")))
            .order_by("id"))


def _case_requests(case) -> list[HandlingRequest]:
    """The case's handling requests, read once per reading request (common.memo): the case page's
    items and its requests both ask."""
    return memo.remember(("caseproperty.requests", case.pk), lambda: _requests([case.pk]))


def items(case) -> list[ItemView]:
    return _views(_items(Item.objects.filter(case=case)), _case_requests(case))


def item_view(item: Item) -> ItemView:
    return next(v for v in items(item.case) if v.item.pk == item.pk)


def requests(case) -> list[HandlingRequest]:
    return list(_case_requests(case))


def _done(case):
    return [st for st in states_for_case(case) if st.complete and not st.voided]


def decision_complete(case) -> bool:
    """Is there a complete 决定书 in the case (行政强制法 27: 没收 by the decision)?"""
    return any(st.record.record_type.code == DECISION_CODE for st in _done(case))


def source_records(case) -> list:
    """The case's complete 查封扣押现场笔录 and 证据登记保存清单: what an item may be listed from."""
    codes = set(SOURCE_RECORDS.values())
    return [st.record for st in _done(case) if st.record.record_type.code in codes]


def may_decide(user, case, req: HandlingRequest | None = None) -> bool:
    """A role the profile names (case_property.approve_roles) who may see the case and did not work on it
    — never the requester."""
    roles = profiles.profile_for_case(case).case_property.approve_roles
    if req is not None and req.requested_by_id == user.pk:
        return False
    # Of the case's agency: a supervising agency's 监督人员 reads the case, never approves on it.
    return (user.has_role(*roles) and user.agency_id == case.agency_id and access.can_view(user, case)
            and not involved(user, case))


def awaiting_decision(user) -> list[HandlingRequest]:
    """The handling requests `user` may approve (may_decide) with no decision yet, oldest first — for 我的待办."""
    from liuhen.records.selectors import involved_cases

    if not user.is_authenticated:
        return []
    reqs = list(HandlingRequest.objects.filter(approval__isnull=True, case__in=access.visible_cases(user))
                .exclude(requested_by=user).select_related("case", "requested_by").order_by("id"))
    worked = involved_cases(user, {r.case_id for r in reqs})
    return [r for r in reqs if r.case_id not in worked
            and user.has_role(*profiles.profile_for_case(r.case).case_property.approve_roles)]


def photo_blobs(shas: set[str]) -> set[str]:
    """Of `shas`, those an item's photo or a handling's proof stores (media.purge asks before deleting)."""
    return (set(Item.objects.filter(photo_id__in=shas).values_list("photo_id", flat=True))
            | set(Handling.objects.filter(voucher_id__in=shas).values_list("voucher_id", flat=True)))


# ---- 涉案财物台账: the agency's list ----------------------------------------------------------------------

LIST_LIMIT = 500


def listing(user, *, state: str = "", source: str = "") -> list[ItemView]:
    """The items of the cases `user` may see, newest first, filtered by state and source (at most
    LIST_LIMIT shown)."""
    qs = Item.objects.filter(case__in=access.visible_cases(user))
    if source:
        qs = qs.filter(source=source)
    # An item's state is derived from its requests, not stored: read newest first, a page at a time,
    # until LIST_LIMIT items in the state asked for are found or the items run out.
    shown: list[ItemView] = []
    below = None
    while len(shown) < LIST_LIMIT:
        page = qs if below is None else qs.filter(id__lt=below)
        found = list(_items(page).order_by("-id")[:LIST_LIMIT])
        if not found:
            break
        views = _views(found, _requests({i.case_id for i in found}))
        shown.extend(v for v in views if not state or v.state == state)
        below = found[-1].id
    return shown[:LIST_LIMIT]


# ---- 查封、扣押的期限 (行政强制法 25): a due source for records.duedates ----------------------------------

def _aware(value, fallback):
    """A record's datetime field as an aware time (records.content_dates), or `fallback`."""
    return content_dates.moment(value) or fallback


def _days(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def seizure_due_dates(records, profile, *, served_at=None, now=None) -> list[DueDate]:
    """For each complete 查封扣押现场笔录: the term from its time, profile.case_property.seizure_days
    (行政强制法 25: 不得超过三十日), plus the days of one complete 延长查封扣押期限审批表 completed within the
    term (at most seizure_extension_days: 延长期限不得超过三十日); met by a complete 决定书, 罚没物品处理记录
    or 解除查封扣押决定书 (行政强制法 28) completed after the seizure began. Pure: no query."""
    spec = profile.case_property
    done = [r for r in records if r.complete and not r.voided and r.completed_at is not None]
    out = []
    for r in done:
        if r.code != SEIZURE_CODE:
            continue
        started = _aware((r.content or {}).get("time"), r.completed_at)
        due = started + datetime.timedelta(days=spec.seizure_days)
        period = f"查封扣押{spec.seizure_days}日"  # ≤ 20 characters: oversight's Clock.period
        extension = next((e for e in done if e.code == EXTENSION_CODE and started <= e.completed_at <= due), None)
        if extension is not None:
            days = min(_days((extension.content or {}).get("days")), spec.seizure_extension_days)
            if days:
                due += datetime.timedelta(days=days)
                period += f"，延长{days}日"
        ends = [e.completed_at for e in done if e.code in (DECISION_CODE, RECORD_CODE, RELEASE_CODE)
                and e.completed_at >= started]
        out.append(DueDate(key=f"caseproperty:seizure:{r.id}", label="查封扣押期限", article="行政强制法 25",
                           started_at=started, due_at=due, met_at=min(ends) if ends else None, period=period,
                           subject_kind="record", subject_id=str(r.id)))
    return out


def seizure_terms(case, now=None) -> list[DueDate]:
    """The case's seizure terms, for its card (the same DueDates the oversight clocks read)."""
    states = [st for st in states_for_case(case) if st.record.record_type.code in
              {SEIZURE_CODE, EXTENSION_CODE, DECISION_CODE, RECORD_CODE, RELEASE_CODE}]
    return seizure_due_dates(views_of_states(states), profiles.profile_for_case(case), now=now)
