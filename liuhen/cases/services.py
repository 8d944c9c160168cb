"""Case writes: open a case, add parties and officers, move between stages.

Every row written here has its ledger event, and the event carries what `liuhen verify` needs to
match it back to the row (cases/ledger_checks.py): the case's snapshot hash, the Party, CaseOfficer
and StageTransition pks with what each row said when it was written.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.accounts.services import require_valid_certificate
from liuhen.common import crypto
from liuhen.ledger import services as ledger
from liuhen.ledger.core.canonical import content_sha256

from . import access
from .models import (
    KIND_ABBR, STAGE_ORDER, Case, CaseNumberCounter, CaseOfficer, Kind, Party, PartyKind, Stage,
    StageTransition,
)
from .requirements import REDONE_ON_REENTRY, requirements_for
from .validators import validate_credit_code, validate_id_number

MIN_ON_SITE_OFFICERS = 2  # LC 10, LQ 17: on-site acts by two or more certified officers


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
    if on_site and len(team) < MIN_ON_SITE_OFFICERS:
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
    )
    case.full_clean()
    case.save()
    # The 立案 transition is logged by the case's creation event itself.
    st = StageTransition.objects.create(case=case, from_stage="", to_stage=Stage.START, actor=actor, note="立案")
    ledger.append("case.create", actor=actor, object_type="case", object_id=case.pk,
                  content_sha256=content_sha256(case_snapshot(case)), detail=transition_detail(st))
    for i, officer in enumerate(team):
        _assign(actor, case, officer, is_lead=(i == 0))
    return case


def _assign(actor, case: Case, officer, *, is_lead: bool) -> CaseOfficer:
    cert = require_valid_certificate(officer)
    link = CaseOfficer.objects.create(case=case, officer=officer, is_lead=is_lead,
                                      certificate_number=cert.number, assigned_by=actor)
    ledger.append("case.officer_assign", actor=actor, object_type="case", object_id=case.pk,
                  detail=officer_detail(link))
    return link


@transaction.atomic
def assign_officer(actor, case: Case, officer) -> CaseOfficer:
    # The case as it is now, locked: not as the view loaded it (it may have been archived since).
    case = Case.objects.select_for_update().get(pk=case.pk)
    access.check_work(actor, case)
    if officer.agency_id != case.agency_id or not officer.has_role(Role.OFFICER):
        raise ValidationError(f"{officer.display_name}不是本机关的执法人员。")
    if case.officers.filter(officer=officer).exists():
        raise ValidationError(f"{officer.display_name}已是承办人员。")
    return _assign(actor, case, officer, is_lead=False)


@transaction.atomic
def add_party(actor, case: Case, *, kind: str, name: str, id_number: str, phone: str = "",
              address: str = "", legal_representative: str = "") -> Party:
    case = Case.objects.select_for_update().get(pk=case.pk)  # as in assign_officer
    access.check_work(actor, case)
    if not name.strip():
        raise ValidationError("请填写当事人姓名或名称。")
    if kind == PartyKind.PERSON:
        id_number = validate_id_number(id_number)
    elif kind == PartyKind.ORGANISATION:
        id_number = validate_credit_code(id_number)
    else:
        raise ValidationError("当事人类型无效。")
    party = Party(case=case, kind=kind, name=name.strip(), id_number=id_number,
                  id_index=crypto.blind_index(id_number), phone=phone.strip(), address=address.strip(),
                  legal_representative=legal_representative.strip(), added_by=actor)
    party.save()
    # The ledger keeps the hash of the party's data, never the personal data itself.
    ledger.append("case.party_add", actor=actor, object_type="case", object_id=case.pk,
                  content_sha256=content_sha256(party_snapshot(party)), detail={"party": party.pk})
    return party


def party_snapshot(party: Party) -> dict:
    return {"kind": party.kind, "name": party.name, "id_number": party.id_number, "phone": party.phone,
            "address": party.address, "legal_representative": party.legal_representative}


def find_parties_by_id_number(id_number: str):
    """Exact search on an encrypted column, through its blind index."""
    return Party.objects.filter(id_index=crypto.blind_index(id_number))


def stage_entries(case: Case) -> dict[str, datetime.datetime]:
    """When the case last entered each stage it has been in: the `at` of the latest StageTransition
    to that stage (立案 for 程序启动). After send_back the case enters 调查取证 and then 审查决定
    again, and the records of the earlier pass no longer count."""
    entered = {}
    for to_stage, at in case.transitions.exclude(to_stage="").order_by("id").values_list("to_stage", "at"):
        entered[to_stage] = at
    return entered


def counting_since(stage: str, entered: dict) -> datetime.datetime | None:
    """From when a stage's records count towards its requirements: since the case last entered
    it for a stage redone on re-entry (REDONE_ON_REENTRY), otherwise all of them."""
    return entered.get(stage) if stage in REDONE_ON_REENTRY else None


def missing_requirements(case: Case, stage: str | None = None,
                         entered: dict | None = None) -> list[tuple[str, ...]]:
    """The requirements of `stage` (default: the current one) not yet met by complete records —
    for a stage that is redone on re-entry, records written since the case last entered it."""
    from liuhen.records.selectors import complete_type_codes

    stage = stage or case.stage
    since = counting_since(stage, entered if entered is not None else stage_entries(case))
    done = complete_type_codes(case, stage, since=since)
    return [req for req in requirements_for(case.procedure, stage, case.kind) if not set(req) & done]


def transition_blockers(case: Case) -> list[str]:
    """Why the case cannot leave its current stage, in Chinese; empty when it can.

    Archiving (leaving 归档管理) also re-checks every earlier stage: a record voided after its stage
    was left (a signed 决定书 voided during 送达执行) must not be archived as if it stood."""
    from liuhen.records.selectors import type_names

    problems = []
    if case.is_archived:
        return ["案件已归档。"]
    entered = stage_entries(case)
    for req in missing_requirements(case, entered=entered):
        names = type_names(req)
        problems.append(f"缺少已签字的{'或'.join(names)}")
    if case.stage == Stage.ARCHIVE:
        for stage in STAGE_ORDER[:-1]:
            for req in missing_requirements(case, stage, entered=entered):
                problems.append(f"{Stage(stage).label}阶段缺少已签字的{'或'.join(type_names(req))}")
    if case.stage == Stage.START and case.on_site:
        valid = [co for co in case.officers.select_related("officer") if co.officer.certificate_on() is not None]
        if len(valid) < MIN_ON_SITE_OFFICERS:
            problems.append("现场执法应有两名以上持有效执法证的承办人员")
    if case.stage == Stage.START and not case.parties.exists() and case.kind != "inspection":
        problems.append("尚未登记当事人")
    return problems


@transaction.atomic
def advance(actor, case: Case, note: str = "") -> Case:
    """Move the case to its next stage, or archive it from the last; refused while blockers remain."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    access.check_work(actor, case)
    problems = transition_blockers(case)
    if problems:
        raise ValidationError(["当前阶段尚不能结束："] + problems)
    idx = case.stage_index
    before = case.stage
    if idx + 1 < len(STAGE_ORDER):
        case.stage = STAGE_ORDER[idx + 1]
        to = case.stage
        case.save(update_fields=["stage"])
    else:
        case.archived_at = timezone.now()
        to = ""
        case.save(update_fields=["archived_at"])
    st = StageTransition.objects.create(case=case, from_stage=before, to_stage=to, actor=actor, note=note[:500])
    ledger.append("case.transition", actor=actor, object_type="case", object_id=case.pk,
                  content_sha256=content_sha256(case_snapshot(case)), detail=transition_detail(st))
    return case


@transaction.atomic
def send_back(actor, case: Case, reason: str) -> Case:
    """From 审查决定 back to 调查取证 (e.g. the review asks for more investigation, LW-L 15)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    access.check_work(actor, case)
    if case.stage != Stage.DECISION:
        raise ValidationError("只有审查决定阶段可以退回补充调查。")
    if not reason.strip():
        raise ValidationError("退回补充调查必须说明理由。")
    case.stage = Stage.INVESTIGATION
    case.save(update_fields=["stage"])
    st = StageTransition.objects.create(case=case, from_stage=Stage.DECISION, to_stage=Stage.INVESTIGATION,
                                        actor=actor, note=reason.strip()[:500])
    ledger.append("case.transition", actor=actor, object_type="case", object_id=case.pk,
                  content_sha256=content_sha256(case_snapshot(case)), detail=transition_detail(st))
    return case


def log_view(actor, case: Case) -> None:
    ledger.append("case.view", actor=actor, object_type="case", object_id=case.pk)
