"""Reads of records: derived state (draft, signed, complete, void) and stage timelines."""
from dataclasses import dataclass, field

from liuhen.accounts.roles import LEADER_ROLES, Role
from liuhen.cases.models import STAGE_ORDER, Stage

from . import rules
from .models import Outcome, Record, RecordType, RecordTypeVersion, SignerRole

MIN_REFUSAL_CONFIRMATIONS = 2  # LQ 17: a refusal to sign is confirmed by two or more officers

# Who may sign in a capacity other than case officer, and the signature-rule key that asks for it —
# at most; a record's rule may narrow it (rules.SignatureRule.roles_for: a penalty's approval by the
# 机关负责人 only).
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
    rule: rules.SignatureRule = rules.SignatureRule()  # the rule the record was made under
    fields: list = field(default_factory=list)  # the fields it was made with
    refusals: list = field(default_factory=list)  # capacity signatures saying 不同意 / 退回

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
        if self.refusals:
            # A 负责人 said 退回 or 不同意: the officer must see it on the case page, not "签字中".
            return "已退回" if self.refusals[0].decision == rules.RETURN else "未获同意"
        if self.complete:
            return "已完成"
        return "签字中" if self.locked else "草稿"


def _prefetched(qs):
    return qs.select_related("record_type", "type_version", "void", "created_by", "case").prefetch_related(
        "versions", "signatures__confirmations", "signatures__signer__groups", "attachments")


def pinned_version(record: Record) -> RecordTypeVersion | None:
    """The RecordTypeVersion the record was made under (version 1 for a record made before rules
    were pinned, whose `type_version` is empty)."""
    if record.type_version_id is not None:
        return record.type_version
    return RecordTypeVersion.objects.filter(record_type_id=record.record_type_id, number=1).first()


def rule_of(record: Record) -> rules.SignatureRule:
    """Who must sign `record`: the rule of its type as pinned when it was made, with the overrides
    of its case's kind and procedure (rules.OVERRIDES)."""
    tv = pinned_version(record)
    base = tv.signature_rule if tv is not None else record.record_type.signature_rule
    return rules.effective_rule(base, record.case.kind, record.case.procedure, record.record_type.code)


def state_of(record: Record) -> RecordState:
    versions = list(record.versions.all())
    latest = versions[-1]
    sigs = list(record.signatures.all())
    voided = hasattr(record, "void")  # reverse one-to-one: False when there is no RecordVoid
    tv = pinned_version(record)
    fields = tv.fields if tv is not None else record.record_type.fields
    rule = rule_of(record)
    missing = []
    officer_signers = {s.signer_id for s in sigs if s.role == SignerRole.OFFICER and s.outcome == Outcome.SIGNED}
    need_officers = rule.officers
    if len(officer_signers) < need_officers:
        missing.append(f"执法人员签字（还差{need_officers - len(officer_signers)}人）")
    if rule.party:
        party_ok = any(
            s.role == SignerRole.PARTY and (
                s.outcome == Outcome.SIGNED or len(s.confirmations.all()) >= MIN_REFUSAL_CONFIRMATIONS)
            for s in sigs)
        if not party_ok:
            pending_refusal = any(s.role == SignerRole.PARTY and s.outcome == Outcome.REFUSED for s in sigs)
            missing.append("当事人拒签须两名执法人员确认" if pending_refusal else "当事人签字")
    lacking, refusals = set(), []
    for capacity in CAPACITY_ROLES:
        if not rule.requires(capacity):
            continue
        roles = {str(r) for r in rule.roles_for(capacity)}
        label = rule.capacity_label(capacity)
        theirs = [s for s in sigs if s.role == capacity and s.outcome == Outcome.SIGNED and s.signer_id
                  and {g.name for g in s.signer.groups.all()} & roles]
        refused = [s for s in theirs if s.decision in rules.REFUSING]
        refusals.extend(refused)
        if refused:
            # A 负责人 who says 不同意 or 退回 has not approved: the record does not count.
            lacking.add(capacity)
            missing.append(f"{label}同意（现为“{refused[0].decision}”）")
        elif not theirs:
            lacking.add(capacity)
            missing.append(f"{label}签字")
    return RecordState(record=record, latest=latest, voided=voided, locked=bool(sigs), missing=missing,
                       lacking=frozenset(lacking), rule=rule, fields=fields, refusals=refusals)


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
            "requirements": [{"names": type_names(r, names), "codes": list(r), "met": bool(set(r) & done),
                              "basis": r.basis}
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
    # Types any of whose rules (or an override) asks for a capacity the user holds.
    overridden = {o.record_type for o in rules.OVERRIDES}
    types = {tv.record_type_id for tv in RecordTypeVersion.objects.select_related("record_type")
             if tv.record_type.code in overridden
             or any(rules.SignatureRule.from_json(tv.signature_rule).requires(c) for c in mine)}
    qs = Record.objects.filter(case__in=visible_cases(user).filter(archived_at__isnull=True),
                               record_type_id__in=types, void__isnull=True).order_by("-created_at")[:200]
    out = []
    for st in map(state_of, _prefetched(qs)):
        if any(signable_capacity(user, st, c) for c in st.lacking & mine):
            out.append(st)
    return out[:50]


def involved(user, case) -> bool:
    """Is `user` on the case — one of its officers, or the person who opened it? Nobody reviews or
    approves their own case (issue §2): the 法制审核 and the 负责人's approval are checks on the
    officers' work (LW-L 15, 行政处罚法 57-58)."""
    return case.created_by_id == user.pk or case.officers.filter(officer=user).exists()


# Capacities in which someone on the case may not sign anywhere in it.
INDEPENDENT_CAPACITIES = frozenset({SignerRole.LEADER, SignerRole.REVIEWER})


def signable_capacity(user, state: RecordState, capacity) -> bool:
    """May `user` sign `state`'s record in `capacity` now — what sign_in_capacity will accept?"""
    record, rule = state.record, state.rule
    if state.voided or record.case.is_archived or not rule.requires(capacity):
        return False
    if not user.has_role(*rule.roles_for(capacity)):
        return False
    mine = {s.role for s in record.signatures.all() if s.signer_id == user.pk}
    if capacity in mine or (capacity == SignerRole.LEADER and SignerRole.OFFICER in mine):
        return False
    if any(s.role == capacity for s in state.refusals):
        return False
    return not (capacity in INDEPENDENT_CAPACITIES and involved(user, record.case))


def next_signers(state: RecordState) -> list[dict]:
    """Who may give each signature `state` still lacks (待谁签批): per capacity its label and the
    people the services would accept — right role for the record's rule, able to see the case, not
    on the case (INDEPENDENT_CAPACITIES), not signed yet. Empty where a 负责人 refused: then the record
    is voided and made again, nobody signs it."""
    from django.contrib.auth import get_user_model

    from liuhen.cases.access import can_view

    case = state.record.case
    out = []
    for capacity in CAPACITY_ROLES:
        if capacity not in state.lacking or any(s.role == capacity for s in state.refusals):
            continue
        roles = [str(r) for r in state.rule.roles_for(capacity)]
        candidates = (get_user_model().objects.filter(is_active=True, agency_id=case.agency_id, groups__name__in=roles)
                      .distinct().prefetch_related("groups").order_by("username"))
        people = [u for u in candidates if signable_capacity(u, state, capacity) and can_view(u, case)]
        out.append({"label": state.rule.capacity_label(capacity),
                    "people": [f"{u.display_name}（{'、'.join(u.role_labels())}）" for u in people]})
    return out
