"""Two rules of the five-stage machine: a record is filed only in the stage the case is in, and a
stage's requirements are met only by records written since the case last entered it (re-checked
for every stage before archiving)."""
import pytest
from django.core.exceptions import ValidationError

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.cases import services as cases
from liuhen.cases.models import Case, Stage
from liuhen.records import selectors
from liuhen.records import services as records
from liuhen.records.models import Record, RecordType, SignerRole
from liuhen.testing.avrules import cover_acts
from liuhen.testing.records import approver

PARTY = "王建国"

DATA = {
    "rights_notice": {"rights": "陈述、申辩", "time": "2026-03-02T09:00", "place": "某村"},
    "inspection_record": {"time": "2026-03-02T09:30", "place": "某村三号取水口", "certificates_shown": True,
                          "findings": "正在取水"},
    "handling_opinion": {"facts": "未经许可取水", "basis": "水法第四十八条", "evidence": "检查笔录",
                         "discretion": "初次违法", "proposal": "罚款"},
    "leader_approval": {"opinion": "同意"},
    "decision": {"doc_number": "测水罚决〔2026〕1号", "facts": "未经许可取水", "basis": "水法第六十九条",
                 "content": "不予行政处罚（违法行为轻微并及时改正）", "remedy": "六十日内申请行政复议",
                 "decided_on": "2026-03-10", "penalty_kind": "不予行政处罚"},  # no 告知书 needed (liuhen.rights)
    "service_receipt": {"document": "行政处罚决定书", "method": "直接送达", "served_at": "2026-03-11T10:00",
                        "place": "某村", "receiver": PARTY, "receiver_relation": "本人"},
    "closing_report": {"summary": "已履行", "closed_on": "2026-04-01"},
    "archive_register": {"file_count": 9, "av_count": 0, "archived_on": "2026-04-02", "archivist": "档案员"},
}

STAGE_TYPES = {
    Stage.INVESTIGATION: ["rights_notice", "inspection_record"],
    Stage.DECISION: ["handling_opinion", "leader_approval", "decision"],
    Stage.SERVICE: ["service_receipt"],
    Stage.ARCHIVE: ["closing_report", "archive_register"],
}


def rtype(code):
    return RecordType.objects.get(code=code)


@pytest.fixture
def archivist(world):
    return acc.create_user(None, username="dang", full_name="档案员", password=world.PASSWORD,
                           agency=world.agency, unit=None, roles=[Role.ARCHIVIST])


def complete(world, case, code, archivist=None):
    """Create a record of `code` and sign it as its type asks."""
    rec = records.create_record(world.officer, case, rtype(code), dict(DATA[code]))
    rule = rec.record_type.signature_rule
    for officer in [world.officer, world.officer2][: rule.get("officers", 0)]:
        records.sign_as_officer(officer, rec)
    if rule.get("party"):
        records.record_other_signature(world.officer, rec, role=SignerRole.PARTY, signer_name=PARTY)
    if rule.get("leader"):
        records.sign_as_leader(approver(world, rec), rec)
    if rule.get("archivist"):
        records.sign_in_capacity(archivist, rec, SignerRole.ARCHIVIST)
    return rec


def finish(world, case, stage, archivist=None) -> Case:
    """Complete `stage` (the case's current one) and advance."""
    for code in STAGE_TYPES[stage]:
        complete(world, case, code, archivist)
    cover_acts(world, case)  # the inspection's AV: an approved 不适宜音像记录说明 (the AV gate)
    return cases.advance(world.officer, case)


def at_decision(world) -> Case:
    case = world.to_investigation(world.open_case())
    return finish(world, case, Stage.INVESTIGATION)


# ---- 1. a record is filed in the stage the case is in ------------------------------------------


def test_decision_record_at_start_is_refused(world):
    case = world.open_case()
    with pytest.raises(ValidationError) as exc:
        records.create_record(world.officer, case, rtype("decision"), dict(DATA["decision"]))
    assert exc.value.messages == ["决定书属于审查决定阶段，案件当前处于程序启动阶段。"]
    with pytest.raises(ValidationError) as exc:
        records.create_record(world.officer, case, rtype("inspection_record"), dict(DATA["inspection_record"]))
    assert exc.value.messages == ["现场检查(勘验)笔录属于调查取证阶段，案件当前处于程序启动阶段。"]
    assert not Record.objects.filter(case=case).exists()


def test_record_of_the_current_stage_is_accepted(world):
    case = world.open_case()
    rec = records.create_record(world.officer, case, rtype("start_approval"), {
        "reason": "巡查发现", "party": PARTY, "handler_opinion": "建议立案"})
    assert rec.stage == Stage.START
    case = world.to_investigation(case)
    assert case.stage == Stage.INVESTIGATION
    rec = records.create_record(world.officer, case, rtype("inspection_record"), dict(DATA["inspection_record"]))
    assert rec.stage == Stage.INVESTIGATION
    # …and a finished stage takes no more records
    with pytest.raises(ValidationError) as exc:
        records.create_record(world.officer, case, rtype("start_approval"), {
            "reason": "巡查发现", "party": PARTY, "handler_opinion": "建议立案"})
    assert exc.value.messages == ["程序启动审批表属于程序启动阶段，案件当前处于调查取证阶段。"]


# ---- 2. requirements count records written since the stage was last entered ---------------------


def test_after_send_back_the_old_decision_records_no_longer_count(world):
    case = at_decision(world)
    for code in STAGE_TYPES[Stage.DECISION]:
        complete(world, case, code)
    assert cases.missing_requirements(case) == []
    case = cases.send_back(world.officer, case, "证据不足，退回补充调查")

    # 调查取证 again: the investigation's records stay evidence (REDONE_ON_REENTRY is 审查决定 only)
    assert cases.missing_requirements(case) == []
    case = finish(world, case, Stage.INVESTIGATION)
    assert case.stage == Stage.DECISION

    assert cases.missing_requirements(case) == [("handling_opinion",), ("leader_approval",), ("decision",)]
    blockers = cases.transition_blockers(case)
    assert "缺少已签字的决定书" in blockers and "缺少已签字的处理意见" in blockers
    with pytest.raises(ValidationError):
        cases.advance(world.officer, case)
    # the case page ticks nothing in 审查决定, though the old records are still shown there
    decision = next(s for s in selectors.timeline(case) if s["stage"] == Stage.DECISION)
    assert [r["met"] for r in decision["requirements"]] == [False, False, False]
    assert len(decision["states"]) == 3

    for code in STAGE_TYPES[Stage.DECISION]:
        complete(world, case, code)
    assert cases.missing_requirements(case) == []
    decision = next(s for s in selectors.timeline(case) if s["stage"] == Stage.DECISION)
    assert [r["met"] for r in decision["requirements"]] == [True, True, True]
    assert cases.advance(world.officer, case).stage == Stage.SERVICE


def test_voided_decision_in_service_blocks_archiving(world, archivist):
    case = at_decision(world)
    for code in ("handling_opinion", "leader_approval"):
        complete(world, case, code)
    decision = complete(world, case, "decision")
    case = cases.advance(world.officer, case)
    assert case.stage == Stage.SERVICE
    records.void_record(world.officer, decision, "文号错误")  # the 决定书 is voided after its stage was left

    case = finish(world, case, Stage.SERVICE)
    for code in STAGE_TYPES[Stage.ARCHIVE]:
        complete(world, case, code, archivist)
    assert cases.missing_requirements(case) == []  # 归档管理's own records are complete
    blockers = cases.transition_blockers(case)
    assert blockers == ["审查决定阶段缺少已签字的决定书"]
    with pytest.raises(ValidationError) as exc:
        cases.advance(world.officer, case)
    assert "审查决定阶段缺少已签字的决定书" in exc.value.messages
    assert not Case.objects.get(pk=case.pk).is_archived
    timeline = {s["stage"]: s for s in selectors.timeline(case)}
    assert [r["met"] for r in timeline[Stage.DECISION]["requirements"]] == [True, True, False]


def test_complete_case_is_archived(world, archivist):
    case = at_decision(world)
    for stage in (Stage.DECISION, Stage.SERVICE, Stage.ARCHIVE):
        case = finish(world, case, stage, archivist)
    assert case.is_archived
