"""Reads of records: derived state (draft, signed, complete, void) and stage timelines."""
from dataclasses import dataclass, field

from liuhen.accounts.roles import LEADER_ROLES, Role
from liuhen.cases.models import STAGE_ORDER, Stage

from .models import Outcome, Record, RecordType, SignerRole

MIN_REFUSAL_CONFIRMATIONS = 2  # LQ 17: a refusal to sign is confirmed by two or more officers

# Who may sign in a capacity other than case officer, and the signature-rule key that asks for it.
CAPACITY_ROLES = {
    SignerRole.LEADER: LEADER_ROLES,
    SignerRole.REVIEWER: frozenset({Role.LEGAL_REVIEWER}),
    SignerRole.ARCHIVIST: frozenset({Role.ARCHIVIST}),
}


@dataclass
class RecordState:
    record: Record
    latest: object  # RecordVersion
    voided: bool
    locked: bool  # any signature or refusal on it: content can no longer change
    missing: list[str] = field(default_factory=list)  # signatures still needed, in Chinese
    lacking: frozenset = frozenset()  # capacities (SignerRole) whose signature is still missing

    @property
    def needs_leader(self) -> bool:
        return SignerRole.LEADER in self.lacking

    @property
    def complete(self) -> bool:
        return not self.voided and not self.missing

    @property
    def status_label(self) -> str:
        if self.voided:
            return "已作废"
        if self.complete:
            return "已完成"
        return "签字中" if self.locked else "草稿"


def _prefetched(qs):
    return qs.select_related("record_type", "void", "created_by").prefetch_related(
        "versions", "signatures__confirmations", "signatures__signer__groups", "attachments")


def state_of(record: Record) -> RecordState:
    versions = list(record.versions.all())
    latest = versions[-1]
    sigs = list(record.signatures.all())
    voided = hasattr(record, "void")  # reverse one-to-one: False when there is no RecordVoid
    rule = record.record_type.signature_rule or {}
    missing = []
    officer_signers = {s.signer_id for s in sigs if s.role == SignerRole.OFFICER and s.outcome == Outcome.SIGNED}
    need_officers = int(rule.get("officers", 0))
    if len(officer_signers) < need_officers:
        missing.append(f"执法人员签字（还差{need_officers - len(officer_signers)}人）")
    if rule.get("party"):
        party_ok = any(
            s.role == SignerRole.PARTY and (
                s.outcome == Outcome.SIGNED or len(s.confirmations.all()) >= MIN_REFUSAL_CONFIRMATIONS)
            for s in sigs)
        if not party_ok:
            pending_refusal = any(s.role == SignerRole.PARTY and s.outcome == Outcome.REFUSED for s in sigs)
            missing.append("当事人拒签须两名执法人员确认" if pending_refusal else "当事人签字")
    lacking = set()
    for capacity, roles in CAPACITY_ROLES.items():
        if not rule.get(str(capacity)):
            continue
        ok = any(s.role == capacity and s.outcome == Outcome.SIGNED
                 and {g.name for g in s.signer.groups.all()} & {str(r) for r in roles}
                 for s in sigs if s.signer_id)
        if not ok:
            lacking.add(capacity)
            missing.append(f"{capacity.label}签字")
    return RecordState(record=record, latest=latest, voided=voided, locked=bool(sigs), missing=missing,
                       lacking=frozenset(lacking))


def states_for_case(case, stage: str | None = None, since=None) -> list[RecordState]:
    qs = Record.objects.filter(case=case)
    if stage:
        qs = qs.filter(stage=stage)
    if since is not None:
        qs = qs.filter(created_at__gt=since)
    return [state_of(r) for r in _prefetched(qs.order_by("serial"))]


def record_with_state(pk: int) -> RecordState:
    return state_of(_prefetched(Record.objects.filter(pk=pk)).get())


def complete_type_codes(case, stage: str, since=None) -> set[str]:
    """The types of the complete records of `stage`; with `since` (a datetime, see
    cases.selectors.stage_entries), only of those written after it."""
    return {s.record.record_type.code for s in states_for_case(case, stage, since) if s.complete}


def counts_for_stage(state: RecordState, since) -> bool:
    """Does a complete record count towards its stage's requirements (written since the case last
    entered that stage)?"""
    return state.complete and (since is None or state.record.created_at > since)


def type_names(codes, names: dict | None = None) -> list[str]:
    if names is None:
        names = dict(RecordType.objects.filter(code__in=codes).values_list("code", "name"))
    return [names.get(c, c) for c in codes]


def types_for_stage(stage: str):
    return RecordType.objects.filter(active=True, stage=stage)


def timeline(case) -> list[dict]:
    """The five stages with their records, for the case page. A requirement is ticked by the
    same rule as the record gate (records/gates.py: counting_since); a stage the case passed
    without entering it (closed at its start) is "skipped"."""
    from liuhen.cases.requirements import stage_requirements
    from liuhen.cases.selectors import closed_at_start, counting_since, stage_entries, stage_status

    by_stage = {s: [] for s in STAGE_ORDER}
    for st in states_for_case(case):
        by_stage[Stage(st.record.stage)].append(st)
    names = dict(RecordType.objects.values_list("code", "name"))  # one query for every requirement
    entered = stage_entries(case)
    out = []
    for i, stage in enumerate(STAGE_ORDER):
        since = counting_since(stage, entered)
        done = {st.record.record_type.code for st in by_stage[stage] if counts_for_stage(st, since)}
        reqs = stage_requirements(case, stage, closed=closed_at_start(entered))
        out.append({
            "stage": stage, "label": stage.label, "index": i + 1,
            "status": stage_status(case, stage, entered),
            "states": by_stage[stage],
            "requirements": [{"names": type_names(r, names), "met": bool(set(r) & done), "basis": r.basis}
                             for r in reqs],
        })
    return out


def awaiting_my_signature(user) -> list[RecordState]:
    """Records in the user's visible open cases still lacking a signature in a capacity the user
    holds — 负责人, 法制审核人员, 档案管理员 (待我签批)."""
    from liuhen.cases.access import visible_cases

    if not user.is_authenticated:
        return []
    mine = {c for c, roles in CAPACITY_ROLES.items() if user.has_role(*roles)}
    if not mine:
        return []
    types = [t.pk for t in RecordType.objects.all() if any((t.signature_rule or {}).get(str(c)) for c in mine)]
    qs = Record.objects.filter(case__in=visible_cases(user).filter(archived_at__isnull=True),
                               record_type_id__in=types, void__isnull=True).order_by("-created_at")[:200]
    return [st for st in map(state_of, _prefetched(qs.select_related("case"))) if st.lacking & mine][:50]
