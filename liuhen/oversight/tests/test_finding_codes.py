"""One test per finding code: each builds a case through the services (the `world`) so that the
check finds its problem — and fails if that check is removed from checks.CHECKS."""
import datetime

import pytest
from django.utils import timezone

from liuhen.oversight import vocabulary as v
from liuhen.profiles.spec import Applies, DeadlineSpec, MajorCriterion, Period
from liuhen.records import services as rec
from liuhen.records.models import SignerRole
from liuhen.testing.cases import complete, make_record, sign_all, to_archive_stage, to_decision, to_investigation
from liuhen.testing.findings import clocks, codes, found, profile_with, with_rule

DAY = datetime.timedelta(days=1)


def _of(case, code, **kw):
    return [f for f in found(case, **kw) if f.code == code]


def test_every_code_has_a_chinese_title():
    assert all(v.CODES[c] for c in v.DEADLINE_CODES.values())
    assert len(set(v.CODES)) == len(v.CODES) == 20


def test_F001_missing_record_in_the_current_stage_is_a_warning(world):
    case = to_investigation(world)
    rows = _of(case, v.MISSING_RECORD)
    assert {f.stage for f in rows} == {"investigation"} and {f.severity for f in rows} == {"warning"}
    assert any("权利告知书" in f.message for f in rows) and all(f.article and f.fix for f in rows)
    complete(world, case, "rights_notice")
    complete(world, case, "inquiry_record")
    assert v.MISSING_RECORD not in codes(case)


def test_F001_a_record_voided_after_its_stage_was_left_is_an_error(world):
    case = to_decision(world)
    notice = case.records.get(record_type__code="rights_notice")
    rec.void_record(world.officer, notice, "误作废测试")
    rows = [f for f in _of(case, v.MISSING_RECORD) if f.stage == "investigation"]
    assert len(rows) == 1 and rows[0].severity == "error" and "权利告知书" in rows[0].message


def test_F002_an_unsigned_record_left_behind_in_a_passed_stage(world):
    case = to_investigation(world)
    loose = make_record(world, case, "inquiry_record")  # an inquiry nobody signed
    complete(world, case, "rights_notice")
    complete(world, case, "inquiry_record")
    from liuhen.cases import services as cases

    case = cases.advance(world.officer, case)
    rows = _of(case, v.MISSING_SIGNATURE)
    assert [f.subject_id for f in rows] == [str(loose.pk)] and rows[0].severity == "error"
    assert "执法人员签字" in rows[0].message


def test_F003_a_party_refusal_not_confirmed_by_two_officers(world):
    case = to_investigation(world)
    notice = make_record(world, case, "rights_notice")
    rec.sign_as_officer(world.officer, notice)
    rec.sign_as_officer(world.officer2, notice)
    sig = rec.record_other_signature(world.officer, notice, role=SignerRole.PARTY, signer_name="王五", refused=True,
                                     reason="不认可")
    rows = _of(case, v.REFUSAL_UNCONFIRMED)
    assert len(rows) == 1 and rows[0].article == "LQ 17"
    assert sig.confirmations.count() == 1  # the recording officer's: one is not two
    rec.confirm_refusal(world.officer2, sig)
    assert v.REFUSAL_UNCONFIRMED not in codes(case)


def test_F004_fewer_officers_than_the_profile_asks_for_on_site(world):
    case = world.open_case()
    assert v.TOO_FEW_OFFICERS not in codes(case)  # two officers: LC 10 met
    three = with_rule(profile_with(case), "on_site_officers", 3)
    rows = _of(case, v.TOO_FEW_OFFICERS, profile=three)
    assert len(rows) == 1 and "应有3名以上" in rows[0].message


def test_F005_an_officer_signing_without_a_certificate_valid_that_day(world):
    from liuhen.accounts.models import Certificate

    case = to_investigation(world)
    assert v.OFFICER_UNCERTIFIED not in codes(case)
    # The certificate's validity, as the register now says, starts after the day he signed.
    Certificate.objects.filter(holder=world.officer).update(valid_from=timezone.localdate() + DAY)
    rows = _of(case, v.OFFICER_UNCERTIFIED)
    assert rows and {f.officer_id for f in rows} == {world.officer.pk} and rows[0].article == "LC 10"


def test_F006_a_required_av_act_without_footage_or_an_approved_reason(world):
    from liuhen.testing.avrules import not_suitable

    case = to_investigation(world)
    act = complete(world, case, "inspection_record")
    rows = _of(case, v.AV_MISSING)
    assert [f.subject_id for f in rows] == [str(act.pk)] and "现场检查" in rows[0].message
    not_suitable(world, act, approve=False)
    assert "尚未签字批准" in _of(case, v.AV_MISSING)[0].message
    not_suitable(world, act)
    assert v.AV_MISSING not in codes(case)


@pytest.mark.usefixtures("fresh_home")
def test_F007_footage_of_an_act_stored_late(world, tmp_path):
    from liuhen.testing.avrules import camera, clip, link

    case = to_investigation(world)
    act = complete(world, case, "inspection_record")
    camera(world)
    item = clip(tmp_path, recorded=timezone.now() - 30 * datetime.timedelta(hours=1))
    link(world, item, act)
    rows = _of(case, v.AV_LATE)
    assert [f.subject_id for f in rows] == [str(item.pk)] and "逾期存储" in rows[0].message
    assert v.AV_MISSING not in codes(case)  # the act has its footage: late, not missing


@pytest.mark.usefixtures("fresh_home")
def test_F017_footage_whose_lateness_cannot_be_judged(world, tmp_path):
    from liuhen.footage.models import FootageItem
    from liuhen.testing.avrules import camera, link
    from liuhen.testing.footage import video
    from liuhen.testing.ingest import ingest

    case = to_investigation(world)
    act = complete(world, case, "inspection_record")
    camera(world)
    folder = tmp_path / "notime"
    folder.mkdir()
    video(folder / "clip.mp4", 0.5)
    assert ingest(str(folder), "--device", "JL00001").code == 0
    link(world, FootageItem.objects.get(name="clip.mp4"), act)
    rows = _of(case, v.AV_UNDETERMINABLE)
    assert len(rows) == 1 and rows[0].severity == "warning"


def test_F008_an_emergency_start_not_approved_within_24_hours(world):
    case = world.open_case(start_mode="emergency")
    make_record(world, case, "emergency_start_approval")  # drafted, no leader's signature
    assert v.EMERGENCY_NOT_BACKFILLED not in codes(case)  # the 24 hours run
    later = case.created_at + datetime.timedelta(hours=25)
    rows = _of(case, v.EMERGENCY_NOT_BACKFILLED, now=later)
    assert len(rows) == 1 and rows[0].article == "LC 8, LQ 8" and "已逾期" in rows[0].message


def test_F009_a_decision_without_a_rights_notice_before_it(world):
    case = to_decision(world)
    rec.void_record(world.officer, case.records.get(record_type__code="rights_notice"), "测试")
    assert v.RIGHTS_NOTICE_MISSING not in codes(case)  # no decision yet
    make_record(world, case, "decision")
    rows = _of(case, v.RIGHTS_NOTICE_MISSING)
    assert len(rows) == 1 and rows[0].article == "LC 11"


def test_F010_a_major_decision_without_legal_review(world):
    # The gate holds a major case's decision (legalreview.gates): F010 finds one completed where the
    # profile the case is checked against calls it major (its penalty, proposed in the 处理意见).
    from liuhen.testing.legalreview import major_case

    case = major_case(world, penalty={"penalty_kind": "警告", "fine_amount": ""})
    sign_all(world, case.records.get(record_type__code="decision"))
    major = profile_with(case, major=(MajorCriterion("warn", "警告", "penalty_kind", "in", ("warning",), "LW-L 7"),))
    rows = _of(case, v.LEGAL_REVIEW_MISSING, profile=major)
    assert len(rows) == 1 and "警告" in rows[0].message
    assert v.LEGAL_REVIEW_MISSING not in codes(case)  # a warning is not major by the base profile
    complete(world, case, "legal_review_record")  # older data: a review record without a 送审
    assert v.LEGAL_REVIEW_MISSING not in codes(case, profile=major)


def test_F011_legal_review_overdue(world):
    case = to_decision(world)
    make_record(world, case, "legal_review_record")
    assert v.LEGAL_REVIEW_OVERDUE not in codes(case)
    rows = _of(case, v.LEGAL_REVIEW_OVERDUE, now=timezone.now() + 30 * DAY)
    assert len(rows) == 1 and rows[0].article == "LW-L 16"


def test_F012_service_late(world):
    case = to_decision(world)
    complete(world, case, "handling_opinion")
    complete(world, case, "leader_approval")
    decision = complete(world, case, "decision")
    # 行政处罚法 61, 85: seven working days from the decision.
    from liuhen.workdays import calendar

    due = calendar.due(decision.signatures.order_by("signed_at").last().signed_at, 7, "wd")
    assert v.SERVICE_LATE not in codes(case, now=due - datetime.timedelta(hours=1))
    rows = _of(case, v.SERVICE_LATE, now=due + DAY)
    assert len(rows) == 1 and rows[0].article == "行政处罚法 61, 85"


def test_F013_archive_late(world):
    case = to_archive_stage(world)
    assert v.ARCHIVE_LATE not in codes(case, now=timezone.now() + 29 * DAY)
    rows = _of(case, v.ARCHIVE_LATE, now=timezone.now() + 31 * DAY)
    assert len(rows) == 1 and rows[0].article == "BX 11, LC 31, LQ 28"


def test_F014_publicity_overdue_is_an_error(world):
    case = to_archive_stage(world)
    rows = _of(case, v.PUBLICITY_OVERDUE, now=timezone.now() + 40 * DAY)
    assert len(rows) == 1 and rows[0].severity == "error" and rows[0].article == "LW-P 8, 行政处罚法 48"


def test_F019_a_revoked_decision_not_withdrawn_from_the_portal(world):
    from liuhen.documents.services import revoke_document
    from liuhen.publicity import services as publicity
    from liuhen.testing.publicity import published_decision

    case, entry, version = published_decision(world)
    revoke_document(world.agency_head, version.document, "经行政复议决定撤销")
    assert v.WITHDRAWAL_LATE not in codes(case)
    due = clocks(case)["withdrawal"].due_at  # 3 working days (行政处罚法 48, 85)
    rows = _of(case, v.WITHDRAWAL_LATE, now=due + DAY)
    assert len(rows) == 1 and rows[0].article == "行政处罚法 48, 85"
    publicity.withdraw(world.agency_head, entry, "该决定已经行政复议决定撤销")
    assert v.WITHDRAWAL_LATE not in codes(case, now=due + DAY)


def test_F020_a_changed_decision_not_republished(world):
    from liuhen.documents.services import issue_document
    from liuhen.testing.documents import decision
    from liuhen.testing.publicity import published_decision

    case, _entry, version = published_decision(world)
    remade = sign_all(world, decision(world, case, content="罚款人民币叁仟元整。"))
    issue_document(world.agency_head, remade, replaces=version.document, reason="变更处罚内容")
    assert v.REPUBLICATION_LATE not in codes(case)
    due = clocks(case)["republication"].due_at  # 10 working days (LW-P 11)
    rows = _of(case, v.REPUBLICATION_LATE, now=due + DAY)
    assert len(rows) == 1 and rows[0].severity == "error"


def test_F015_another_deadline_overdue(world):
    case = to_investigation(world)
    rows = _of(case, v.DEADLINE_OVERDUE, now=timezone.now() + 100 * DAY)
    assert [f.subject_id for f in rows] == ["handling_limit"]


def test_F018_a_deadline_in_a_year_the_calendar_does_not_know_is_unknown(world):
    case = world.open_case()
    far = DeadlineSpec("far", "远期期限", "LW-L 16", "case.started", Period.parse("1000wd"), ("case.archived",),
                       Applies())
    profile = profile_with(case, deadlines=(far,))
    rows = _of(case, v.DEADLINE_UNKNOWN, profile=profile)
    assert len(rows) == 1 and rows[0].severity == "warning" and "无法计算" in rows[0].message
