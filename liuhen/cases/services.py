"""Case writes: open a case, add and correct parties, assign officers, move between stages, close
a case at its start, grant and revoke access.

Every row written here has its ledger event, and the event carries what `liuhen verify` needs to
match it back to the row (cases/ledger_checks.py): the case's snapshot hash and creation time, the
Party, CaseOfficer, StageTransition, AccessGrant and revocation pks with what each row said when it
was written.
"""
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.roles import ADMIN_ROLES, Role
from liuhen.accounts.services import require_valid_certificate
from liuhen.common import crypto, text
from liuhen.ledger import services as ledger
from liuhen.ledger.core.canonical import content_sha256
from liuhen.profiles import selectors as profile_selectors

from . import access, gates, vocabulary as V
from .gates import missing_requirements, transition_blockers  # noqa: F401 — the services' API
from .models import (
    KIND_ABBR, STAGE_ORDER, AccessGrant, AccessGrantRevocation, Case, CaseNumberCounter, CaseOfficer, GrantScope,
    Kind, Party, PartyKind, Stage, StageTransition, StartMode,
)
from .rules import ON_SITE_OFFICERS, rule_of
from .selectors import counting_since, find_parties_by_id_number, stage_entries  # noqa: F401 — moved there
from .validators import validate_credit_code, validate_id_number

MIN_ON_SITE_OFFICERS = ON_SITE_OFFICERS.value  # LC 10, LQ 17 (rules.ON_SITE_OFFICERS)


def _next_number(agency, year: int) -> tuple[int, str]:
    counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(agency=agency, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{agency.short_name}{{abbr}}〔{year}〕{counter.last}号"


def _iso(at: datetime.datetime | None) -> str | None:
    """A timestamp as the log keeps it: UTC, to the microsecond (None stays None)."""
    return None if at is None else at.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")


def case_snapshot(case: Case) -> dict:
    return {
        "number": case.number, "title": case.title, "summary": case.summary, "kind": case.kind,
        "procedure": case.procedure,
        "start_mode": case.start_mode, "on_site": case.on_site, "agency": case.agency_id, "unit": case.unit_id,
        "created_by": case.created_by_id,
        "stage": case.stage, "archived": case.is_archived, "archived_at": _iso(case.archived_at),
    }


def transition_detail(st: StageTransition) -> dict:
    """What a transition's event says of its StageTransition row ("to" is "archived" on archiving)."""
    return {"transition": st.pk, "from": st.from_stage, "to": st.to_stage or "archived", "note": st.note,
            "actor": st.actor_id, "at": _iso(st.at)}


def officer_detail(link: CaseOfficer) -> dict:
    """What an assignment's event says of its CaseOfficer row."""
    return {"case_officer": link.pk, "officer": link.officer_id, "username": link.officer.username,
            "certificate": link.certificate_number, "lead": link.is_lead, "assigned_by": link.assigned_by_id,
            "at": _iso(link.assigned_at)}


@transaction.atomic
def open_case(actor, *, title: str, kind: str, procedure: str, start_mode: str, on_site: bool,
              officers, summary: str = "", unit=None) -> Case:
    """Open a case in the actor's unit with the actor as lead officer (if an officer) and the
    other named officers. Every officer must hold a valid certificate."""
    if not actor.has_role(Role.OFFICER, Role.UNIT_HEAD):
        raise PermissionDenied("只有执法人员或承办机构负责人可以立案。")
    unit = unit or actor.unit
    if unit is None or unit.agency_id != actor.agency_id:
        raise PermissionDenied("您没有所属执法机构，不能立案。")
    if unit.pk != actor.unit_id:
        raise PermissionDenied("只能在本人所属的执法机构立案。")
    if not title.strip():
        raise ValidationError("请填写案由。")
    team = list(dict.fromkeys(([actor] if actor.has_role(Role.OFFICER) else []) + list(officers)))
    if actor.has_role(Role.OFFICER):
        # Opening a case is an officer's act: the officer needs a valid 执法证 first (a unit head
        # opening a case for the unit is not on its team and acts as a leader).
        require_valid_certificate(actor)
    if on_site and len(team) < rule_of(actor.agency, ON_SITE_OFFICERS).value:
        raise ValidationError("现场执法应有两名以上执法人员，请再指定承办人员。")
    if not team:
        raise ValidationError("请至少指定一名承办人员。")
    for officer in team:
        if officer.agency_id != actor.agency_id or not officer.has_role(Role.OFFICER):
            raise ValidationError(f"{officer.display_name}不是本机关的执法人员。")
        require_valid_certificate(officer)

    year = timezone.localdate().year
    seq, pattern = _next_number(actor.agency, year)
    case = Case(
        agency=actor.agency, unit=unit, year=year, seq=seq,
        number=pattern.replace("{abbr}", KIND_ABBR[Kind(kind)]),
        title=title.strip(), summary=summary.strip(), kind=kind, procedure=procedure,
        start_mode=start_mode, on_site=on_site, created_by=actor,
        # The agency's profile version now: the case keeps it (a later load does not reach back).
        profile_version_id=profile_selectors.latest_version_id(actor.agency),
    )
    case.full_clean()
    case.save()
    # The 立案 transition is logged by the case's creation event itself.
    st = StageTransition.objects.create(case=case, from_stage="", to_stage=Stage.START, actor=actor, note="立案")
    # The creation time is logged too: the emergency start's 24-hour clock runs from it (LC 8).
    ledger.append(V.CASE_CREATE, actor=actor, object_type="case", object_id=case.pk,
                  content_sha256=content_sha256(case_snapshot(case)),
                  detail={**transition_detail(st), "created_at": _iso(case.created_at),
                          # The profile version it is held to (none loaded: not logged, the default).
                          **({"profile_version": case.profile_version_id} if case.profile_version_id else {})})
    for i, officer in enumerate(team):
        _assign(actor, case, officer, is_lead=(i == 0))
    return case


def _assign(actor, case: Case, officer, *, is_lead: bool) -> CaseOfficer:
    cert = require_valid_certificate(officer)
    link = CaseOfficer.objects.create(case=case, officer=officer, is_lead=is_lead,
                                      certificate_number=cert.number, assigned_by=actor)
    ledger.append(V.OFFICER_ASSIGN, actor=actor, object_type="case", object_id=case.pk,
                  detail=officer_detail(link))
    return link


def _require_certificate_to_act(actor, case: Case) -> None:
    """A write as an officer on a case needs a valid 执法证 (LC 10). The head of the case's unit
    acts as a leader (assigning the team, approving), not as an officer: no certificate needed."""
    if actor.has_role(Role.UNIT_HEAD) and actor.unit_id == case.unit_id and not access.is_assigned(actor, case):
        return
    require_valid_certificate(actor)


@transaction.atomic
def assign_officer(actor, case: Case, officer) -> CaseOfficer:
    # The case as it is now, locked: not as the view loaded it (it may have been archived since).
    case = Case.objects.select_for_update().get(pk=case.pk)
    access.check_work(actor, case)
    _require_certificate_to_act(actor, case)
    if officer.agency_id != case.agency_id or not officer.has_role(Role.OFFICER):
        raise ValidationError(f"{officer.display_name}不是本机关的执法人员。")
    if case.officers.filter(officer=officer).exists():
        raise ValidationError(f"{officer.display_name}已是承办人员。")
    if gates.approved_in_case(officer, case):
        # Nobody approves their own case (issue 12 §2): who approved or reviewed in it does not
        # join its team afterwards (行政处罚法 art. 57-58, LW-L 15: the approval checks the officers).
        raise ValidationError(f"{officer.display_name}已在本案中以负责人或法制审核人员身份签字，不能再担任本案承办人员。")
    return _assign(actor, case, officer, is_lead=False)


def _party_fields(kind: str, name: str, id_number: str, phone: str, address: str, legal_representative: str) -> dict:
    if not name.strip():
        raise ValidationError("请填写当事人姓名或名称。")
    if kind == PartyKind.PERSON:
        id_number = validate_id_number(id_number)
    elif kind == PartyKind.ORGANISATION:
        id_number = validate_credit_code(id_number)
    else:
        raise ValidationError("当事人类型无效。")
    return dict(kind=kind, name=name.strip(), id_number=id_number, id_index=crypto.blind_index(id_number),
                phone=phone.strip(), address=address.strip(), legal_representative=legal_representative.strip())


def party_detail(party: Party) -> dict:
    """What a party's event says of its row beyond the hash of its data: who added it (the
    event's actor), when, and which version it corrects."""
    return {"party": party.pk, "at": _iso(party.added_at), "supersedes": party.supersedes_id}


@transaction.atomic
def add_party(actor, case: Case, *, kind: str, name: str, id_number: str, phone: str = "",
              address: str = "", legal_representative: str = "") -> Party:
    case = Case.objects.select_for_update().get(pk=case.pk)  # as in assign_officer
    access.check_work(actor, case)
    require_valid_certificate(actor)  # registering a party is an officer's act (LC 10)
    party = Party(case=case, added_by=actor,
                  **_party_fields(kind, name, id_number, phone, address, legal_representative))
    party.save()
    # The ledger keeps the hash of the party's data, never the personal data itself.
    ledger.append(V.PARTY_ADD, actor=actor, object_type="case", object_id=case.pk,
                  content_sha256=content_sha256(party_snapshot(party)), detail=party_detail(party))
    return party


@transaction.atomic
def correct_party(actor, party: Party, *, reason: str, kind: str, name: str, id_number: str, phone: str = "",
                  address: str = "", legal_representative: str = "") -> Party:
    """更正当事人信息: a new version superseding `party`, with the reason; the old row stays and is
    shown in the party's history."""
    case = Case.objects.select_for_update().get(pk=party.case_id)
    access.check_work(actor, case)
    require_valid_certificate(actor)
    old = Party.objects.get(pk=party.pk)
    if not old.is_current:
        raise ValidationError("该当事人信息已被更正，请在最新版本上更正。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("更正当事人信息必须填写更正理由。")
    fields = _party_fields(kind, name, id_number, phone, address, legal_representative)
    if all(getattr(old, k) == v for k, v in fields.items()):
        raise ValidationError("当事人信息没有变化。")
    new = Party(case=case, added_by=actor, supersedes=old, correction_reason=reason[:500], **fields)
    new.save()
    ledger.append(V.PARTY_CORRECT, actor=actor, object_type="case", object_id=case.pk,
                  content_sha256=content_sha256(party_snapshot(new)), detail=party_detail(new))
    return new


def party_snapshot(party: Party) -> dict:
    snap = {"kind": party.kind, "name": party.name, "id_number": party.id_number, "phone": party.phone,
            "address": party.address, "legal_representative": party.legal_representative}
    if party.supersedes_id:  # a correction: its link and its reason are bound by the hash too
        snap.update(supersedes=party.supersedes_id, reason=party.correction_reason)
    return snap


def _move(actor, case: Case, to: str, note: str) -> Case:
    """Put the (locked) case in stage `to` ("" archives it), with its StageTransition and event."""
    before = case.stage
    if to:
        case.stage = to
        case.save(update_fields=["stage"])
    else:
        case.archived_at = timezone.now()
        case.save(update_fields=["archived_at"])
    st = StageTransition.objects.create(case=case, from_stage=before, to_stage=to, actor=actor, note=note[:500])
    ledger.append(V.CASE_TRANSITION, actor=actor, object_type="case", object_id=case.pk,
                  content_sha256=content_sha256(case_snapshot(case)), detail=transition_detail(st))
    return case


@transaction.atomic
def advance(actor, case: Case, note: str = "") -> Case:
    """Move the case to its next stage, or archive it from the last; refused while blockers remain."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    access.check_work(actor, case)
    _require_certificate_to_act(actor, case)
    problems = transition_blockers(case)
    if problems:
        raise ValidationError(["当前阶段尚不能结束："] + problems)
    idx = case.stage_index
    return _move(actor, case, STAGE_ORDER[idx + 1] if idx + 1 < len(STAGE_ORDER) else "", note)


@transaction.atomic
def close_at_start(actor, case: Case, note: str = "") -> Case:
    """结案于程序启动: a signed 不予受理决定书 (application) or 举报答复书 (real-name complaint not
    pursued) ends the case at its start (rules.CLOSE_AT_START: BX 5, LC 7, LC 9, LQ 8). The case
    goes straight to 归档管理 — investigation, decision and service are not gone through and show
    as 未进行 — and its archive requirements still apply (归档登记表 signed by the archivist)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    access.check_work(actor, case)
    _require_certificate_to_act(actor, case)
    problems = transition_blockers(case, closing=True)
    if problems:
        raise ValidationError(["不能在程序启动阶段结案："] + problems)
    # The note is part of the case's record: the text checks of every free text (issue 12 review §8).
    note = text.clean(note or "", "说明", multiline=True).strip()
    default = "不予受理" if case.start_mode == StartMode.APPLICATION else "经审查不予立案，已书面答复举报人"
    return _move(actor, case, Stage.ARCHIVE, note or default)


@transaction.atomic
def send_back(actor, case: Case, reason: str) -> Case:
    """From 审查决定 back to 调查取证 (e.g. the review asks for more investigation, LW-L 15)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    access.check_work(actor, case)
    _require_certificate_to_act(actor, case)
    if case.stage != Stage.DECISION:
        raise ValidationError("只有审查决定阶段可以退回补充调查。")
    if not reason.strip():
        raise ValidationError("退回补充调查必须说明理由。")
    return _move(actor, case, Stage.INVESTIGATION, reason.strip())


# ---- access grants (调阅授权) -------------------------------------------------------------------

def grant_snapshot(grant: AccessGrant) -> dict:
    return {"case": grant.case_id, "user": grant.user_id, "scope": grant.scope, "from": _iso(grant.valid_from),
            "until": _iso(grant.valid_until), "reason": grant.reason, "granted_by": grant.granted_by_id,
            "at": _iso(grant.granted_at)}


def grant_detail(grant: AccessGrant) -> dict:
    """What a grant's event says of its row (the reason only through the content hash)."""
    return {"grant": grant.pk, "user": grant.user_id, "scope": grant.scope, "from": _iso(grant.valid_from),
            "until": _iso(grant.valid_until), "granted_by": grant.granted_by_id, "at": _iso(grant.granted_at)}


def revocation_snapshot(rev: AccessGrantRevocation) -> dict:
    return {"grant": rev.grant_id, "reason": rev.reason, "revoked_by": rev.revoked_by_id, "at": _iso(rev.revoked_at)}


def revocation_detail(rev: AccessGrantRevocation) -> dict:
    return {"revocation": rev.pk, "grant": rev.grant_id, "revoked_by": rev.revoked_by_id, "at": _iso(rev.revoked_at)}


def _require_granter(actor, case: Case) -> None:
    if not access.may_grant(actor, case):
        raise PermissionDenied("只有机关负责人或本案承办机构负责人可以授予或撤销调阅权限。")


@transaction.atomic
def grant_access(actor, case: Case, user, *, scope: str, valid_from: datetime.datetime,
                 valid_until: datetime.datetime, reason: str) -> AccessGrant:
    """调阅授权: `user` may view (or work on) `case` from `valid_from` to `valid_until` only."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_granter(actor, case)
    if scope not in GrantScope.values:
        raise ValidationError("授权范围无效。")
    if user.pk == actor.pk:
        # Nobody grants themselves access (issue 12 review §2): an agency head who gave themselves
        # work on a case could draft its approval and approve it.
        raise ValidationError("不能向本人授予调阅权限。")
    if user.agency_id != case.agency_id or user.has_role(*ADMIN_ROLES) or not user.is_active:
        # 三员 see no case content, and a grant does not cross agencies.
        raise ValidationError(f"不能向{user.display_name}授予本案的调阅权限。")
    if valid_until <= valid_from:
        raise ValidationError("授权截止时间应晚于生效时间。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("授予调阅权限必须填写理由。")
    grant = AccessGrant.objects.create(case=case, user=user, scope=scope, valid_from=valid_from,
                                       valid_until=valid_until, reason=reason[:500], granted_by=actor)
    ledger.append(V.GRANT, actor=actor, object_type="case", object_id=case.pk,
                  content_sha256=content_sha256(grant_snapshot(grant)), detail=grant_detail(grant))
    return grant


@transaction.atomic
def revoke_grant(actor, grant: AccessGrant, reason: str) -> AccessGrantRevocation:
    case = Case.objects.select_for_update().get(pk=grant.case_id)
    _require_granter(actor, case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("撤销调阅权限必须填写理由。")
    if AccessGrantRevocation.objects.filter(grant_id=grant.pk).exists():
        raise ValidationError("该授权已撤销。")
    rev = AccessGrantRevocation.objects.create(grant_id=grant.pk, revoked_by=actor, reason=reason[:500])
    ledger.append(V.GRANT_REVOKE, actor=actor, object_type="case", object_id=case.pk,
                  content_sha256=content_sha256(revocation_snapshot(rev)), detail=revocation_detail(rev))
    return rev


# ---- reads that are logged ---------------------------------------------------------------------

def log_view(actor, case: Case) -> None:
    if page_reads_logged():
        ledger.append(V.CASE_VIEW, actor=actor, object_type="case", object_id=case.pk)


def page_reads_logged() -> bool:
    """Whether a page's read (the case page, the record page) is appended to the ledger: always, but in
    bench/load.py's comparison server (settings.LIUHEN_BENCH_SKIP_READ_EVENTS, bench-only)."""
    return not settings.LIUHEN_BENCH_SKIP_READ_EVENTS


@transaction.atomic
def log_party_reveal(actor, party: Party) -> None:
    """An officer saw a party's full ID number and phone: each reveal is a logged read. In its own
    transaction: the ledger lets only its generic read suffixes (view, download, …) be appended
    outside one, and the page must not show the numbers unless the entry committed."""
    ledger.append(V.PARTY_REVEAL, actor=actor, object_type="case", object_id=party.case_id,
                  detail={"party": party.pk})
