"""Reads of cases: stage history, parties, grants and the emergency-start clock.

Nothing here writes, and nothing here knows of records: what the records app knows about a case
(is a document signed, and since when) comes through the registries in gates.py."""
import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from liuhen.common import crypto

from .models import STAGE_ORDER, AccessGrant, Case, Party, Stage
from .requirements import REDONE_ON_REENTRY, SKIPPED_ON_CLOSURE, is_emergency
from .rules import EMERGENCY_APPROVAL_HOURS, rule_of


def stage_entries(case: Case) -> dict[str, datetime.datetime]:
    """When the case last entered each stage it has been in: the `at` of the latest StageTransition
    to that stage (立案 for 程序启动). After send_back the case enters 调查取证 and then 审查决定
    again, and the records of the earlier pass no longer count. Read once per case page
    (pages.one_reading): its gates, timeline and clocks ask for it several times."""
    from .pages import page_cache

    cache = page_cache(case)
    if cache is not None and "stage_entries" in cache:
        return dict(cache["stage_entries"])
    entered = {}
    for to_stage, at in case.transitions.exclude(to_stage="").order_by("id").values_list("to_stage", "at"):
        entered[to_stage] = at
    if cache is not None:
        cache["stage_entries"] = dict(entered)
    return entered


def counting_since(stage: str, entered: dict) -> datetime.datetime | None:
    """From when a stage's records count towards its requirements: since the case last entered
    it for a stage redone on re-entry (REDONE_ON_REENTRY), otherwise all of them."""
    return entered.get(stage) if stage in REDONE_ON_REENTRY else None


def closed_at_start(entered: dict) -> bool:
    """Did the case go from 程序启动 straight to 归档管理 (不予受理 / 不予立案, services.close_at_start)?"""
    return Stage.ARCHIVE in entered and not any(s in entered for s in SKIPPED_ON_CLOSURE)


def stage_status(case: Case, stage: str, entered: dict) -> str:
    """done, current, todo — or skipped (未进行) for a stage the case passed without entering it."""
    i, current = STAGE_ORDER.index(Stage(stage)), case.stage_index
    if i < current or case.is_archived:
        return "done" if stage in entered else "skipped"
    return "current" if i == current else "todo"


def current_parties(case: Case):
    """The parties as they stand: each party's latest version (corrections supersede)."""
    return case.parties.filter(superseded_by__isnull=True)


# What a correction may change, as the history shows it: (label, value of a version). ID number and
# phone stay masked here as everywhere else on the page (the full ones only on a logged reveal).
_PARTY_SHOWN = (
    ("类型", lambda p: p.get_kind_display()),
    ("姓名/名称", lambda p: p.name),
    ("证件号", lambda p: p.masked_id),
    ("法定代表人/负责人", lambda p: p.legal_representative),
    ("电话", lambda p: p.masked_phone),
    ("地址", lambda p: p.address),
)


def party_history(party: Party) -> list[Party]:
    """The earlier versions of a party, newest first (what each correction replaced). Each carries
    `changed`: "label：value before" for what the next correction changed, so the history says what
    was corrected and not only that something was."""
    out, p = [], party
    while p.supersedes_id:
        newer, p = p, p.supersedes
        p.changed = [f"{label}：{shown(p) or '（空）'}" for label, shown in _PARTY_SHOWN if shown(p) != shown(newer)]
        out.append(p)
    return out


def find_parties_by_id_number(id_number: str):
    """Exact search on an encrypted column, through its blind index."""
    return Party.objects.filter(id_index=crypto.blind_index(id_number))


def grants_for_case(case: Case):
    return case.grants.select_related("user", "granted_by", "revocation__revoked_by").order_by("-id")


def active_grant_q(user, now=None, prefix: str = "") -> Q:
    """The grants to `user` honoured at `now`: inside their window, not revoked."""
    now = now or timezone.now()
    return Q(**{f"{prefix}user": user, f"{prefix}valid_from__lte": now, f"{prefix}valid_until__gt": now,
                f"{prefix}revocation__isnull": True})


def active_grant_scopes(user, case: Case, now=None) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(AccessGrant.objects.filter(active_grant_q(user, now), case=case).values_list("scope", flat=True))


def cases_worked_on(user, case_ids) -> set[int]:
    """The cases among `case_ids` in which `user` did the work the approvals check: opened the
    case, is one of its officers, registered or corrected a party, or holds or held a grant to work
    on it (调阅授权, scope work). One query. Apps above add what they know (records: authors of
    records; records.selectors.involved_cases)."""
    from .access import WORK
    from .models import CaseOfficer

    case_ids = set(case_ids)
    if not case_ids:
        return set()
    q = (Q(created_by=user) | Q(pk__in=CaseOfficer.objects.filter(officer=user).values("case_id"))
         | Q(pk__in=Party.objects.filter(added_by=user).values("case_id"))
         | Q(pk__in=AccessGrant.objects.filter(user=user, scope=WORK).values("case_id")))
    return set(Case.objects.filter(pk__in=case_ids).filter(q).values_list("pk", flat=True))


def visible_cases(user):
    """The cases `user` may see, as a queryset (for lists): see access.py."""
    from . import access

    return access.visible_cases(user)


# ---- 紧急先行启动: the 24-hour clock (LC 8, LQ 8) ------------------------------------------------

@dataclass(frozen=True)
class EmergencyClock:
    """补批时限: the approval is due `hours` after the case was opened (its recorded start)."""

    started_at: datetime.datetime
    deadline: datetime.datetime
    approved_at: datetime.datetime | None
    now: datetime.datetime

    @property
    def approved(self) -> bool:
        return self.approved_at is not None

    @property
    def late(self) -> bool:
        """Approved after the deadline (超期补批) — allowed, but stays marked."""
        return self.approved_at is not None and self.approved_at > self.deadline

    @property
    def overdue(self) -> bool:
        """Past the deadline and still not approved."""
        return self.approved_at is None and self.now > self.deadline

    @property
    def hours_left(self) -> int:
        return max(0, int((self.deadline - self.now).total_seconds() // 3600))

    @property
    def hours_over(self) -> int:
        end = self.approved_at or self.now
        return max(0, int((end - self.deadline).total_seconds() // 3600))

    @property
    def label(self) -> str:
        if self.late:
            return f"超期补批（超期 {self.hours_over} 小时）"
        if self.approved:
            return "已按时补批"
        if self.overdue:
            return f"已超期 {self.hours_over} 小时，尚未补批"
        return f"剩余 {self.hours_left} 小时"


def emergency_clock(case: Case, now=None) -> EmergencyClock | None:
    """The clock of an emergency start, or None for any other start. The approval time is when a
    not-voided 紧急先行启动补批表 became complete (its leader's signature), as the records app says."""
    from . import gates

    if not is_emergency(case):
        return None
    deadline = case.created_at + datetime.timedelta(hours=rule_of(case, EMERGENCY_APPROVAL_HOURS).value)
    return EmergencyClock(started_at=case.created_at, deadline=deadline,
                          approved_at=gates.completed_at(case, "emergency_start_approval"),
                          now=now or timezone.now())


def late_emergency_approvals(cases=None, now=None) -> list[tuple[Case, EmergencyClock]]:
    """Emergency starts approved late (超期补批) or overdue and still unapproved, for supervision."""
    qs = (cases if cases is not None else Case.objects.all()).filter(start_mode="emergency", procedure="general")
    out = []
    for case in qs.order_by("id"):
        clock = emergency_clock(case, now)
        if clock and (clock.late or clock.overdue):
            out.append((case, clock))
    return out


# ---- case ids by party and by 案由 (for the lists of apps above: footage) -------------------------

def case_ids_with_party(cases, text: str) -> list[int]:
    """The ids of `cases` (a queryset, e.g. the user's visible cases) with a party — any version,
    corrections included — whose name contains `text`, or whose ID number / 统一社会信用代码 is
    `text` exactly (through the blind index: the column is encrypted)."""
    text = (text or "").strip()
    if not text:
        return []
    q = Q(name__icontains=text) | Q(id_index=crypto.blind_index(text.upper()))
    return sorted(set(cases.filter(pk__in=Party.objects.filter(q).values("case_id")).values_list("pk", flat=True)))


def case_ids_with_cause(cases, text: str) -> list[int]:
    """The ids of `cases` whose 案由 (the case's title) contains `text`."""
    text = (text or "").strip()
    if not text:
        return []
    return sorted(set(cases.filter(title__icontains=text).values_list("pk", flat=True)))
