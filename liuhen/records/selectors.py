"""Reads of records: derived state (draft, signed, complete, void) and stage timelines."""
from dataclasses import dataclass, field

from liuhen.accounts.roles import LEADER_ROLES
from liuhen.cases.models import STAGE_ORDER, Stage

from .models import Outcome, Record, RecordType, SignerRole

MIN_REFUSAL_CONFIRMATIONS = 2  # LQ 17: a refusal to sign is confirmed by two or more officers


@dataclass
class RecordState:
    record: Record
    latest: object  # RecordVersion
    voided: bool
    locked: bool  # any signature or refusal on it: content can no longer change
    missing: list[str] = field(default_factory=list)  # signatures still needed, in Chinese

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
    if rule.get("leader"):
        leader_ok = any(
            s.role == SignerRole.LEADER and s.outcome == Outcome.SIGNED
            and {g.name for g in s.signer.groups.all()} & {str(r) for r in LEADER_ROLES}
            for s in sigs if s.signer_id)
        if not leader_ok:
            missing.append("负责人签字")
    return RecordState(record=record, latest=latest, voided=voided, locked=bool(sigs), missing=missing)


def states_for_case(case, stage: str | None = None) -> list[RecordState]:
    qs = Record.objects.filter(case=case)
    if stage:
        qs = qs.filter(stage=stage)
    return [state_of(r) for r in _prefetched(qs.order_by("serial"))]


def record_with_state(pk: int) -> RecordState:
    return state_of(_prefetched(Record.objects.filter(pk=pk)).get())


def complete_type_codes(case, stage: str) -> set[str]:
    return {s.record.record_type.code for s in states_for_case(case, stage) if s.complete}


def type_names(codes) -> list[str]:
    names = dict(RecordType.objects.filter(code__in=codes).values_list("code", "name"))
    return [names.get(c, c) for c in codes]


def types_for_stage(stage: str):
    return RecordType.objects.filter(active=True, stage=stage)


def timeline(case) -> list[dict]:
    """The five stages with their records, for the case page."""
    from liuhen.cases.requirements import requirements_for

    by_stage = {s: [] for s in STAGE_ORDER}
    for st in states_for_case(case):
        by_stage[Stage(st.record.stage)].append(st)
    current = case.stage_index
    out = []
    for i, stage in enumerate(STAGE_ORDER):
        done = {st.record.record_type.code for st in by_stage[stage] if st.complete}
        reqs = requirements_for(case.procedure, stage)
        out.append({
            "stage": stage, "label": stage.label, "index": i + 1,
            "status": "done" if (i < current or case.is_archived) else ("current" if i == current else "todo"),
            "states": by_stage[stage],
            "requirements": [{"names": type_names(r), "met": bool(set(r) & done)} for r in reqs],
        })
    return out
