"""Set-based reads of records for many cases at once (read-only; for the oversight app's scan).

`selectors.state_of` builds one record's state from its ORM rows; a scan of 100 000 cases cannot
afford model instances for two million records. `record_facts(case_ids, case_rows)` reads the same
rows as plain tuples in a fixed number of queries and applies the same rule — the record's pinned
rule (`selectors.rule_of`'s three cases), distinct officers' signatures, the party's signature or
a refusal confirmed by two officers (LQ 17), each capacity signed by a holder of its roles and not
refused (不同意 / 退回) — so that `complete` and `missing` equal `state_of`'s (tested on the demo
and `world` data: liuhen/oversight/tests/test_bulk_equivalence.py).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from . import rules
from .models import Outcome, Record, RecordTypeVersion, RefusalConfirmation, RecordVersion, Signature, SignerRole
from .selectors import CAPACITY_ROLES, MIN_REFUSAL_CONFIRMATIONS


@dataclass
class SignatureFact:
    id: int
    role: str
    signer_id: int | None
    outcome: str
    decision: str
    signer_role: str
    signed_at: datetime.datetime
    confirmations: list = field(default_factory=list)  # [(officer_id, confirmed_at)]


@dataclass
class RecordFact:
    """What the checks need of one record (执法记录), without its content unless asked for."""

    id: int
    case_id: int
    serial: int
    code: str
    name: str
    stage: str
    created_at: datetime.datetime
    voided: bool
    rule: rules.SignatureRule
    signatures: list[SignatureFact]
    missing: list[str] = field(default_factory=list)
    refusals: list[SignatureFact] = field(default_factory=list)  # capacity signatures 不同意 / 退回
    completed_at: datetime.datetime | None = None  # when the last needed signature came (if complete)
    content: dict | None = None  # the latest version's content (only for the codes asked for)
    content_at: datetime.datetime | None = None  # when that version was written

    @property
    def complete(self) -> bool:
        return not self.voided and not self.missing

    @property
    def pending_party_refusal(self) -> bool:
        """A party's refusal to sign that does not yet stand: fewer than two officers confirmed it (LQ 17)."""
        return "当事人拒签须两名执法人员确认" in self.missing


def _groups_of(user_ids) -> dict[int, set[str]]:
    from django.contrib.auth import get_user_model

    through = get_user_model().groups.through
    out: dict[int, set[str]] = {}
    for uid, name in through.objects.filter(user_id__in=user_ids).values_list("user_id", "group__name"):
        out.setdefault(uid, set()).add(name)
    return out


def _chunks(ids, n=900):
    ids = list(ids)
    for i in range(0, len(ids), n):
        yield ids[i:i + n]


def record_facts(case_ids, case_rows: dict[int, tuple[str, str]], *, content_codes=frozenset()
                 ) -> dict[int, list[RecordFact]]:
    """{case id: [RecordFact in serial order]} for `case_ids`. `case_rows`: {case id: (kind,
    procedure)} (for records made before rules were pinned). `content_codes`: record types whose
    latest content is loaded too (the AV acts and their notes, decisions). A handful of queries
    per 900 cases, whatever the number of records."""
    out: dict[int, list[RecordFact]] = {}
    by_id: dict[int, RecordFact] = {}
    pending_old: list[tuple[RecordFact, int | None, int, dict]] = []
    for chunk in _chunks(case_ids):
        rows = (Record.objects.filter(case_id__in=chunk)
                .values_list("id", "case_id", "serial", "record_type_id", "record_type__code", "record_type__name",
                             "stage", "created_at", "void__id", "rule", "type_version_id",
                             "type_version__signature_rule", "record_type__signature_rule")
                .order_by("case_id", "serial"))
        for (rid, cid, serial, type_id, code, name, stage, created, void_id, rule_json, tv_id, tv_rule,
             type_rule) in rows:
            f = RecordFact(rid, cid, serial, code, name, stage, created, void_id is not None, rules.SignatureRule(),
                           [])
            if rule_json is not None:
                f.rule = rules.SignatureRule.from_json(rule_json)
            elif tv_id is not None:
                kind, procedure = case_rows[cid]
                f.rule = rules.effective_rule(tv_rule, kind, procedure, code, overrides=rules.ISSUE_12_OVERRIDES)
            else:
                pending_old.append((f, type_id, 0, type_rule))
            out.setdefault(cid, []).append(f)
            by_id[rid] = f
    if pending_old:
        # Made before rules were pinned: their type's version 1, no override (selectors.rule_of).
        ones = dict(RecordTypeVersion.objects.filter(record_type_id__in={p[1] for p in pending_old}, number=1)
                    .values_list("record_type_id", "signature_rule"))
        for f, type_id, _, type_rule in pending_old:
            f.rule = rules.SignatureRule.from_json(ones.get(type_id, type_rule))
    if not by_id:
        return out
    sigs: dict[int, SignatureFact] = {}
    refused_party: list[int] = []
    for chunk in _chunks(case_ids):
        for sid, rid, role, signer_id, outcome, decision, signer_role, signed_at in (
                Signature.objects.filter(record__case_id__in=chunk)
                .values_list("id", "record_id", "role", "signer_id", "outcome", "decision", "signer_role",
                             "signed_at").order_by("id")):
            s = SignatureFact(sid, role, signer_id, outcome, decision, signer_role, signed_at)
            sigs[sid] = s
            by_id[rid].signatures.append(s)
            if role == SignerRole.PARTY and outcome == Outcome.REFUSED:
                refused_party.append(sid)
    for chunk in _chunks(refused_party):
        for sid, officer_id, at in (RefusalConfirmation.objects.filter(signature_id__in=chunk)
                                    .values_list("signature_id", "officer_id", "confirmed_at").order_by("id")):
            sigs[sid].confirmations.append((officer_id, at))
    # Signatures made before the role signed as was stored count by their signer's roles (counts_in_capacity).
    old_capacity = {s.signer_id for s in sigs.values()
                    if s.signer_id and not s.signer_role and s.role in CAPACITY_ROLES}
    groups = _groups_of(old_capacity) if old_capacity else {}
    for f in by_id.values():
        _judge(f, groups)
    if content_codes:
        wanted = [f.id for f in by_id.values() if f.code in content_codes]
        latest: dict[int, int] = {}
        for chunk in _chunks(wanted):
            for rid, number, content, at in (RecordVersion.objects.filter(record_id__in=chunk)
                                             .values_list("record_id", "number", "content", "created_at")):
                if number > latest.get(rid, 0):
                    latest[rid] = number
                    by_id[rid].content, by_id[rid].content_at = content, at
    return out


def _judge(f: RecordFact, groups: dict[int, set[str]]) -> None:
    """selectors.state_of's rule on plain facts, plus when the record became complete."""
    rule, sigs = f.rule, f.signatures
    missing, times = [], []
    officers: dict[int, datetime.datetime] = {}
    for s in sigs:
        if s.role == SignerRole.OFFICER and s.outcome == Outcome.SIGNED and s.signer_id not in officers:
            officers[s.signer_id] = s.signed_at
    if len(officers) < rule.officers:
        missing.append(f"执法人员签字（还差{rule.officers - len(officers)}人）")
    elif rule.officers:
        times.append(sorted(officers.values())[rule.officers - 1])
    if rule.party:
        ok_times = []
        for s in sigs:
            if s.role != SignerRole.PARTY:
                continue
            if s.outcome == Outcome.SIGNED:
                ok_times.append(s.signed_at)
            elif len(s.confirmations) >= MIN_REFUSAL_CONFIRMATIONS:
                ok_times.append(sorted(at for _, at in s.confirmations)[MIN_REFUSAL_CONFIRMATIONS - 1])
        if not ok_times:
            pending = any(s.role == SignerRole.PARTY and s.outcome == Outcome.REFUSED for s in sigs)
            missing.append("当事人拒签须两名执法人员确认" if pending else "当事人签字")
        else:
            times.append(min(ok_times))
    for capacity in CAPACITY_ROLES:
        if not rule.requires(capacity):
            continue
        roles = {str(r) for r in rule.roles_for(capacity)}
        label = rule.capacity_label(capacity)
        theirs = [s for s in sigs if s.role == capacity and s.outcome == Outcome.SIGNED and s.signer_id
                  and (s.signer_role in roles if s.signer_role else bool(groups.get(s.signer_id, set()) & roles))]
        refused = [s for s in theirs if s.decision in rules.REFUSING]
        f.refusals.extend(refused)
        if refused:
            missing.append(f"{label}同意（现为“{refused[0].decision}”）")
        elif not theirs:
            missing.append(f"{label}签字")
        else:
            times.append(min(s.signed_at for s in theirs))
    f.missing = missing
    if not f.voided and not missing:
        f.completed_at = max(times) if times else f.created_at
