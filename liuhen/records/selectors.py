"""Reads of records: derived state (draft, signed, complete, void) and stage timelines."""
from dataclasses import dataclass, field

from liuhen.accounts.roles import LEADER_ROLES, Role
from liuhen.cases.models import STAGE_ORDER, Stage
from liuhen.common import memo

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


def _state_relations():
    """What a record's state reads: its versions, its signatures with their signers (their roles,
    who confirmed a refusal), its attachments."""
    from django.db.models import Prefetch

    from .models import Signature

    return ("versions", Prefetch("signatures", queryset=Signature.objects.select_related("signer")),
            "signatures__confirmations", "signatures__signer__groups", "attachments")


def _shown_relations():
    """The state's relations with what the record's page shows beside them (the versions' authors,
    the signers and recorders, who confirmed a refusal, the attachments' uploaders and sizes): read
    with the state, not again by the page. Only for that page: the people read along cost a states-only
    read of a case's records (the gates, the case page) about a third more CPU."""
    from django.db.models import Prefetch

    from .models import Attachment, RecordVersion, Signature

    return (Prefetch("versions", queryset=RecordVersion.objects.select_related("author")),
            Prefetch("signatures", queryset=Signature.objects.select_related("signer", "recorded_by")),
            "signatures__confirmations__officer", "signatures__signer__groups",
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by", "blob")))


SELECTED = ("record_type", "type_version", "void", "created_by", "case")  # read with a record for its state


def _prefetched(qs):
    return qs.select_related(*SELECTED).prefetch_related(*_state_relations())


def pinned_version(record: Record, version_ones: dict | None = None) -> RecordTypeVersion | None:
    """The RecordTypeVersion the record was made under (version 1 for a record made before rules
    were pinned, whose `type_version` is empty). `version_ones`: the types' versions 1 by type id,
    read once for many records (version_ones()), so a page of old records costs one query."""
    if record.type_version_id is not None:
        return record.type_version
    if version_ones is not None and record.record_type_id in version_ones:
        return version_ones[record.record_type_id]
    return RecordTypeVersion.objects.filter(record_type_id=record.record_type_id, number=1).first()


def version_ones(records) -> dict:
    """The version 1 of the types of those `records` that pin no version, by type id: one query
    (issue 12 review §9: not one per record made before the upgrade)."""
    ids = {r.record_type_id for r in records if r.type_version_id is None}
    if not ids:
        return {}
    return {tv.record_type_id: tv for tv in RecordTypeVersion.objects.filter(record_type_id__in=ids, number=1)}


def rule_of(record: Record, tv: RecordTypeVersion | None = None) -> rules.SignatureRule:
    """Who must sign `record`: the rule in force when it was made, never a later one (issue 12
    review §5 — 行政处罚法 art. 57's override applies to records made under it, not backwards).

    - made since the rule is pinned on the record (Record.rule): that rule;
    - made under issue 12 before that (a pinned type version, no Record.rule): the version's rule
      with the overrides issue 12 shipped (rules.ISSUE_12_OVERRIDES);
    - made before issue 12 (no pinned version): its type's version 1, with no override — a unit
      head's approval counted then.
    """
    if record.rule is not None:
        return rules.SignatureRule.from_json(record.rule)
    tv = tv if tv is not None else pinned_version(record)
    base = tv.signature_rule if tv is not None else record.record_type.signature_rule
    if record.type_version_id is None:
        return rules.SignatureRule.from_json(base)
    return rules.effective_rule(base, record.case.kind, record.case.procedure, record.record_type.code,
                                overrides=rules.ISSUE_12_OVERRIDES)


def counts_in_capacity(sig, roles) -> bool:
    """Does the signature count as one by a holder of `roles`? By the role its signer signed as
    (Signature.signer_role), not the roles they hold today (issue 12 review §5: a revoked role does
    not unsign an approval, nor hide a 不同意). A signature made before the role was stored (digest
    scheme 2-3) is judged by its signer's current roles, as it was then."""
    if sig.signer_role:
        return sig.signer_role in roles
    return bool(sig.signer_id and {g.name for g in sig.signer.groups.all()} & roles)


def state_of(record: Record, version_ones: dict | None = None) -> RecordState:
    versions = list(record.versions.all())
    latest = versions[-1]
    sigs = list(record.signatures.all())
    voided = hasattr(record, "void")  # reverse one-to-one: False when there is no RecordVoid
    tv = pinned_version(record, version_ones)
    fields = tv.fields if tv is not None else record.record_type.fields
    rule = rule_of(record, tv)
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
                  and counts_in_capacity(s, roles)]
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


def states_of(qs) -> list[RecordState]:
    """The states of the records of `qs`, in a number of queries that does not grow with them."""
    records = list(_prefetched(qs))
    ones = version_ones(records)
    return [state_of(r, ones) for r in records]


def states_for_case(case, stage: str | None = None, since=None) -> list[RecordState]:
    """The states of the case's records (of `stage`, written after `since`). While the case page is
    built (cases.pages.one_reading) they are read once and shared by the gates, the emergency clock
    and the timeline (issue 12 review §11)."""
    from liuhen.cases.pages import page_cache

    cache = page_cache(case)
    if cache is None:
        qs = Record.objects.filter(case=case)
        if stage:
            qs = qs.filter(stage=stage)
        if since is not None:
            qs = qs.filter(created_at__gt=since)
        return states_of(qs.order_by("serial"))
    if "record_states" not in cache:
        cache["record_states"] = states_of(Record.objects.filter(case=case).order_by("serial"))
    return [st for st in cache["record_states"] if (not stage or st.record.stage == stage)
            and (since is None or st.record.created_at > since)]


def record_with_state(pk: int) -> RecordState:
    return state_of(_prefetched(Record.objects.filter(pk=pk)).get())


def loaded_with_state(record: Record) -> RecordState:
    """The state of a record already read with `select_related(*SELECTED)`: its relations read onto it
    (the record page, which read the record to check access)."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([record], *_shown_relations())
    return state_of(record)


def complete_type_codes(case, stage: str, since=None) -> set[str]:
    """The types of the complete records of `stage`; with `since` (a datetime, see
    cases.selectors.stage_entries), only of those written after it."""
    return {s.record.record_type.code for s in states_for_case(case, stage, since) if s.complete}


def counts_for_stage(state: RecordState, since) -> bool:
    """Does a complete record count towards its stage's requirements (written since the case last
    entered that stage)?"""
    return state.complete and (since is None or state.record.created_at > since)


def type_rows() -> list[tuple[int, str, str, str]]:
    """Every record type as (pk, code, stage, name): the gates, the timeline, the audio-video part
    and the oversight card each name types; read once per reading request (common.memo)."""
    return memo.remember(type_rows,
                         lambda: list(RecordType.objects.values_list("pk", "code", "stage", "name")))


def type_name_map() -> dict[str, str]:
    return {code: name for _pk, code, _stage, name in type_rows()}


def type_names(codes, names: dict | None = None) -> list[str]:
    if names is None:
        names = type_name_map()
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
    names = type_name_map()  # one query for every requirement
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
    holds — 负责人, 法制审核人员, 档案管理员 (待我签批). In a number of queries that does not grow
    with the records (issue 12 review §10)."""
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
    states = states_of(qs)
    on_cases = involved_cases(user, {st.record.case_id for st in states})
    out = []
    for st in states:
        if any(signable_capacity(user, st, c, involved_in=on_cases) for c in st.lacking & mine):
            out.append(st)
    return out[:50]


def involved_cases(user, case_ids) -> set[int]:
    """The cases among `case_ids` that `user` worked on: opened, was an officer of, held a work
    grant on, registered a party in (cases.selectors.cases_worked_on), or wrote a record of — made
    or revised it, attached or added material to it, signed it as an officer or recorded a
    signature, voided it. Two queries, however many cases.

    Nobody reviews or approves their own case (issue 12 §2; review §2): the 法制审核 and the
    负责人's approval are checks on the work of those who did it (LW-L 15, 行政处罚法 57-58)."""
    from django.db.models import Q

    from liuhen.cases.selectors import cases_worked_on

    from .models import Attachment, RecordVersion, RecordVoid, Signature, Supplement

    case_ids = set(case_ids)
    if not case_ids or not user.is_authenticated:
        return set()
    found = cases_worked_on(user, case_ids)
    rest = case_ids - found
    if rest:
        as_worker = (Q(created_by=user)
                     | Q(pk__in=RecordVersion.objects.filter(author=user).values("record_id"))
                     | Q(pk__in=Attachment.objects.filter(uploaded_by=user).values("record_id"))
                     | Q(pk__in=Supplement.objects.filter(added_by=user).values("record_id"))
                     | Q(pk__in=RecordVoid.objects.filter(actor=user).values("record_id"))
                     | Q(pk__in=Signature.objects.filter(recorded_by=user).exclude(
                         role__in=INDEPENDENT_CAPACITIES | {SignerRole.ARCHIVIST}).values("record_id")))
        found |= set(Record.objects.filter(case_id__in=rest).filter(as_worker)
                     .values_list("case_id", flat=True).distinct())
    return found


def with_files(record_ids) -> set[int]:
    """Of `record_ids`, the records holding a file: an attachment (附件, before signing) or a file of a
    补充材料 (after): a photo taken once the record was signed still documents it. Two queries a batch,
    each record asked once per reading request (the service part and the oversight checks of a case
    page ask of the same records, common.memo)."""
    from liuhen.common.batches import in_batches

    from .models import Attachment, SupplementFile

    def read(ids) -> dict:
        out: set[int] = set()
        for chunk in in_batches(ids):
            out |= set(Attachment.objects.filter(record_id__in=chunk).values_list("record_id", flat=True))
            out |= set(SupplementFile.objects.filter(supplement__record_id__in=chunk)
                       .values_list("supplement__record_id", flat=True))
        return {rid: True for rid in out}

    return {rid for rid, held in memo.remember_each("records: with_files", record_ids, read).items() if held}


def involved(user, case) -> bool:
    """Is `user` one of those who worked on the case (involved_cases)?"""
    return case.pk in involved_cases(user, [case.pk])


def approved_in_case(user, case) -> bool:
    """Has `user` signed anywhere in the case as 负责人 or 法制审核人员? Then they may not work on it
    as an officer (issue 12 review §2): who approved or reviewed the case cannot become its officer."""
    from .models import Signature

    return Signature.objects.filter(record__case_id=case.pk, signer=user,
                                    role__in=INDEPENDENT_CAPACITIES).exists()


# Capacities in which someone on the case may not sign anywhere in it.
INDEPENDENT_CAPACITIES = frozenset({SignerRole.LEADER, SignerRole.REVIEWER})

_SIGNING_ORDER = (Role.AGENCY_HEAD, Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.ARCHIVIST)


def signing_role(user, case, rule: rules.SignatureRule, capacity) -> str | None:
    """The role `user` signs `capacity` as on a record of `case` under `rule` — the agency head's
    first — or None if they hold none that counts. A 承办机构负责人 is the head of the unit handling
    the case: a unit head signs only for a case of their own unit; the 机关负责人 signs across units
    (issue 12 review §3)."""
    allowed = {str(r) for r in rule.roles_for(capacity)} & user.role_codes()
    if user.unit_id != case.unit_id:
        allowed.discard(str(Role.UNIT_HEAD))
    return next((str(r) for r in _SIGNING_ORDER if str(r) in allowed), None)


def signable_capacity(user, state: RecordState, capacity, *, involved_in: set | None = None) -> bool:
    """May `user` sign `state`'s record in `capacity` now — what sign_in_capacity will accept?
    `involved_in`: involved_cases() for many records at once."""
    record, rule = state.record, state.rule
    if state.voided or record.case.is_archived or not rule.requires(capacity):
        return False
    if signing_role(user, record.case, rule, capacity) is None:
        return False
    mine = {s.role for s in record.signatures.all() if s.signer_id == user.pk}
    if capacity in mine or (capacity == SignerRole.LEADER and SignerRole.OFFICER in mine):
        return False
    if any(s.role == capacity for s in state.refusals):
        return False
    if capacity not in INDEPENDENT_CAPACITIES:
        return True
    on_case = record.case_id in involved_in if involved_in is not None else involved(user, record.case)
    return not on_case


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


def signer_names(case, roles=(SignerRole.PARTY, SignerRole.WITNESS, SignerRole.OTHER)) -> list[str]:
    """The names of the people who signed (or refused) the case's records in `roles` — by default those
    in front of the officers (当事人, 见证人, 其他人员): the natural persons a public text must not name."""
    from .models import Signature

    return list(dict.fromkeys(Signature.objects.filter(record__case=case, role__in=roles).order_by("id")
                              .values_list("signer_name", flat=True)))
