"""Cases: numbering, officers and certificates, parties with encrypted IDs, stage guard, access."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.models import Agency, Unit
from liuhen.accounts.roles import Role
from liuhen.cases import access
from liuhen.cases import services as cases
from liuhen.cases.models import Case, CaseNumberCounter, CaseOfficer, Party, Stage, StageTransition
from liuhen.common import crypto
from liuhen.common.append_only import AppendOnlyError
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.avrules import cover_acts
from liuhen.testing.cases import (  # noqa: F401 — some are used by name in this module's tests
    PERSON_ID, add_person, archivist, complete, fill, to_archive_stage, to_archived, to_decision, to_investigation,
)
from liuhen.testing.records import approver

CREDIT_CODE = "91350100M000100Y43"


def today():
    return timezone.localdate()  # at each use, not at import: a run may cross midnight


YEAR = timezone.localdate().year




def case_entries(case, action=None):
    qs = Entry.objects.filter(object_type="case", object_id=str(case.pk)).order_by("id")
    return list(qs.filter(action=action) if action else qs)


# ---- open_case ------------------------------------------------------------------------------

def test_open_case_numbers_per_agency_and_year(world):
    first = world.open_case()
    second = world.open_case(kind="inspection", title="取水口检查")
    third = world.open_case(kind="licensing", on_site=False, officers=[])
    assert first.number == f"测水罚〔{YEAR}〕1号"
    assert second.number == f"测水检〔{YEAR}〕2号"
    assert third.number == f"测水许〔{YEAR}〕3号"
    assert [c.seq for c in (first, second, third)] == [1, 2, 3]
    assert CaseNumberCounter.objects.get(agency=world.agency, year=YEAR).last == 3

    other = Agency.objects.create(name="另一县水务局", short_name="另水")
    unit = Unit.objects.create(agency=other, name="监察队")
    officer = acc.create_user(None, username="other", full_name="外局人员", password=world.PASSWORD, agency=other,
                              unit=unit, roles=[Role.OFFICER])
    acc.issue_certificate(None, officer, number="OTHER-1", valid_from=today(), valid_until=today())
    theirs = cases.open_case(officer, title="河道采砂", kind="coercion", procedure="general",
                             start_mode="complaint", on_site=False, officers=[])
    assert theirs.number == f"另水强〔{YEAR}〕1号"
    assert world.open_case().number == f"测水罚〔{YEAR}〕4号"


def test_open_case_records_team_stage_and_ledger(world):
    case = world.open_case(summary="  某公司未经许可取水  ")
    assert case.stage == Stage.START and not case.is_archived
    assert case.unit == world.unit and case.agency == world.agency and case.created_by == world.officer
    assert case.summary == "某公司未经许可取水"
    team = list(case.officers.order_by("-is_lead", "id").values_list("officer__username", "is_lead",
                                                                      "certificate_number"))
    assert team == [("zhang", True, "1401000001"), ("li", False, "1401000002")]
    [st] = case.transitions.all()
    assert (st.from_stage, st.to_stage, st.note, st.actor_id) == ("", "start", "立案", world.officer.pk)
    actions = [e.action for e in case_entries(case)]
    assert actions == ["case.create", "case.officer_assign", "case.officer_assign"]
    create = event_of(case_entries(case, "case.create")[0])
    assert create["content_sha256"] == cases.content_sha256(cases.case_snapshot(case))
    # The 立案 transition is logged with the creation, by its row's pk.
    assert create["detail"] == {"transition": st.pk, "from": "", "to": "start", "note": "立案",
                                "actor": world.officer.pk, "at": st.at.isoformat(timespec="microseconds"),
                                "created_at": case.created_at.isoformat(timespec="microseconds")}
    # Each assignment names its CaseOfficer row, the officer, the certificate and the lead flag.
    links = list(case.officers.order_by("id"))
    assigned = [event_of(e)["detail"] for e in case_entries(case, "case.officer_assign")]
    assert [(d["case_officer"], d["officer"], d["username"], d["certificate"], d["lead"], d["assigned_by"])
            for d in assigned] == [(co.pk, co.officer_id, co.officer.username, co.certificate_number, co.is_lead,
                                    world.officer.pk) for co in links]
    assert [d["officer"] for d in assigned] == [world.officer.pk, world.officer2.pk]


def test_case_snapshot_covers_agency_creator_and_archive_time(world):
    case = world.open_case()
    snap = cases.case_snapshot(case)
    assert (snap["agency"], snap["created_by"], snap["archived_at"]) == (world.agency.pk, world.officer.pk, None)
    case.archived_at = timezone.now()
    assert cases.case_snapshot(case)["archived_at"] == case.archived_at.isoformat(timespec="microseconds")
    assert cases.case_snapshot(Case.objects.get(pk=case.pk))["archived_at"] is None


def test_on_site_case_with_one_officer_refused(world):
    with pytest.raises(ValidationError) as exc:
        world.open_case(officers=[])
    assert exc.value.messages == ["现场执法应有两名以上执法人员，请再指定承办人员。"]
    # Naming oneself again does not make two officers.
    with pytest.raises(ValidationError, match="两名以上"):
        world.open_case(officers=[world.officer])
    assert Case.objects.count() == 0


def test_off_site_case_with_one_officer_allowed(world):
    case = world.open_case(on_site=False, officers=[])
    assert list(case.officers.values_list("officer__username", flat=True)) == ["zhang"]


def test_blank_title_refused(world):
    with pytest.raises(ValidationError, match="请填写案由"):
        world.open_case(title="   ")


@pytest.mark.parametrize("who", ["expired_named", "expired_actor"])
def test_officer_with_expired_certificate_leaves_nothing_behind(world, who):
    entries_before = Entry.objects.count()
    with pytest.raises(ValidationError) as exc:
        if who == "expired_named":
            world.open_case(officers=[world.officer2, world.expired])
        else:
            world.open_case(officer=world.expired, officers=[world.officer2])
    msg = exc.value.messages[0]
    assert "赵刚的执法证" in msg and "过期" in msg
    assert Case.objects.count() == 0
    assert CaseOfficer.objects.count() == 0
    assert StageTransition.objects.count() == 0
    assert Entry.objects.count() == entries_before
    assert not CaseNumberCounter.objects.filter(last__gt=0).exists()
    # The number was not used up: the next case is number 1.
    assert world.open_case().number == f"测水罚〔{YEAR}〕1号"


def test_officer_of_another_agency_cannot_be_named(world):
    other = Agency.objects.create(name="另一局", short_name="另")
    stranger = acc.create_user(None, username="stranger", full_name="外人", password=world.PASSWORD, agency=other,
                               roles=[Role.OFFICER])
    acc.issue_certificate(None, stranger, number="S-1", valid_from=today(), valid_until=today())
    with pytest.raises(ValidationError, match="外人不是本机关的执法人员"):
        world.open_case(officers=[stranger])
    assert Case.objects.count() == 0


def test_open_case_refuses_non_officer_in_team(world):
    acc.issue_certificate(None, world.sysadmin, number="SYS-1", valid_from=today(), valid_until=today())
    with pytest.raises(ValidationError):
        world.open_case(officers=[world.officer2, world.sysadmin])
    assert not CaseOfficer.objects.filter(officer=world.sysadmin).exists()


@pytest.mark.parametrize("who", ["sysadmin", "agency_head", "reviewer"])
def test_admins_and_non_officers_cannot_open_cases(world, who):
    with pytest.raises(PermissionDenied) as exc:
        world.open_case(officer=getattr(world, who))
    assert "只有执法人员或承办机构负责人可以立案" in str(exc.value)
    assert Case.objects.count() == 0


def test_unit_head_opens_case_without_being_on_the_team(world):
    case = world.open_case(officer=world.unit_head, officers=[world.officer, world.officer2])
    assert case.created_by == world.unit_head
    assert list(case.officers.values_list("officer__username", "is_lead")) == [("zhang", True), ("li", False)]


def test_cannot_open_case_in_another_unit(world):
    with pytest.raises(PermissionDenied, match="只能在本人所属的执法机构立案"):
        world.open_case(unit=world.other_unit)


# ---- parties ----------------------------------------------------------------------------------

def _raw_party(party_id):
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone, address, id_index FROM cases_party WHERE id = %s", [party_id])
        return cur.fetchone()


def test_person_party_encrypted_at_rest_with_blind_index(world):
    case = world.open_case()
    party = add_person(world, case, id_number="110105 19491231 002x")
    raw_id, raw_phone, raw_address, raw_index = _raw_party(party.pk)
    assert raw_id.startswith("intl:") and PERSON_ID not in raw_id and "19491231" not in raw_id
    assert "13812345678" not in raw_phone and "平山区" not in raw_address
    assert crypto.decrypt(raw_id) == PERSON_ID  # stored normalised
    assert raw_index == crypto.blind_index(PERSON_ID)
    fresh = Party.objects.get(pk=party.pk)
    assert (fresh.id_number, fresh.phone, fresh.address) == (PERSON_ID, "13812345678", "本溪市平山区1号")
    for query in (PERSON_ID, "11010519491231002x", " 110105 1949 1231 002X "):
        assert list(cases.find_parties_by_id_number(query)) == [fresh]
    assert not cases.find_parties_by_id_number("110105194912310011").exists()


def test_party_add_ledger_keeps_no_personal_data(world):
    case = world.open_case()
    party = add_person(world, case)
    entry = case_entries(case, "case.party_add")[0]
    leaf = bytes(entry.leaf)
    for secret in (PERSON_ID, "13812345678", "平山区"):
        assert secret.encode() not in leaf
    ev = event_of(entry)
    # Who added it is the event's actor; when, and which version it corrects (none), its detail.
    assert ev["detail"] == {"party": party.pk, "at": party.added_at.isoformat(timespec="microseconds"),
                            "supersedes": None}
    assert ev["actor"]["id"] == world.officer.pk
    assert ev["content_sha256"] == cases.content_sha256(cases.party_snapshot(party))


def test_masked_id_masks_persons_not_organisations(world):
    case = world.open_case()
    person = add_person(world, case)
    org = cases.add_party(world.officer, case, kind="organisation", name="某某水务有限公司",
                          id_number="91350100m000100y43", legal_representative="赵六")
    assert person.masked_id == "110105********002X"
    assert person.masked_phone == "138****5678"
    assert org.masked_id == CREDIT_CODE
    assert Party.objects.get(pk=org.pk).id_number == CREDIT_CODE
    assert list(cases.find_parties_by_id_number(CREDIT_CODE.lower())) == [org]


@pytest.mark.parametrize("kind,id_number,message", [
    ("person", "110105194912310021", "身份证号码校验位不正确"),
    ("person", "1101051949123100", "身份证号码应为18位"),
    ("person", "110105194902310025", "出生日期无效"),
    ("organisation", "91350100M000100Y44", "统一社会信用代码校验位不正确"),
    ("organisation", "91350100O000100Y43", "不含I、O、Z、S、V"),
    ("robot", PERSON_ID, "当事人类型无效"),
])
def test_add_party_validates_numbers(world, kind, id_number, message):
    case = world.open_case()
    before = Entry.objects.count()
    with pytest.raises(ValidationError) as exc:
        cases.add_party(world.officer, case, kind=kind, name="某人", id_number=id_number)
    assert message in exc.value.messages[0]
    assert Party.objects.count() == 0
    assert Entry.objects.count() == before


def test_add_party_requires_name(world):
    case = world.open_case()
    with pytest.raises(ValidationError, match="请填写当事人姓名或名称"):
        add_person(world, case, name="  ")


def test_add_party_requires_work_access(world):
    case = world.open_case()
    for outsider in (world.outsider, world.officer3, world.agency_head):
        with pytest.raises(PermissionDenied):
            add_person(world, case, actor=outsider)
    assert Party.objects.count() == 0


def test_party_rows_are_append_only(world):
    party = add_person(world, world.open_case())
    party.name = "改名"
    with pytest.raises(AppendOnlyError):
        party.save()
    with pytest.raises(AppendOnlyError):
        Party.objects.filter(pk=party.pk).update(name="改名")
    assert Party.objects.get(pk=party.pk).name == "王五"


def test_parties_still_found_after_crypto_suite_switch(world, settings):
    settings.LIUHEN_CRYPTO = "intl"
    party = add_person(world, world.open_case())
    settings.LIUHEN_CRYPTO = "gm"
    assert Party.objects.get(pk=party.pk).id_number == PERSON_ID  # still decrypts
    assert list(cases.find_parties_by_id_number(PERSON_ID)) == [party]


# ---- stage transitions --------------------------------------------------------------------

def test_advance_refused_while_records_missing(world):
    case = world.open_case()
    assert cases.transition_blockers(case) == ["缺少已签字的程序启动审批表或受理通知书", "尚未登记当事人"]
    with pytest.raises(ValidationError) as exc:
        cases.advance(world.officer, case)
    msgs = exc.value.messages
    assert msgs[0] == "当前阶段尚不能结束："
    assert any("程序启动审批表" in m for m in msgs)
    assert "尚未登记当事人" in msgs
    case.refresh_from_db()
    assert case.stage == Stage.START
    assert case.transitions.count() == 1
    assert not case_entries(case, "case.transition")


def test_incomplete_start_approval_does_not_count(world):
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType

    case = world.open_case()
    add_person(world, case)
    rt = RecordType.objects.get(code="start_approval")
    record = rec.create_record(world.officer, case, rt, fill(rt))
    rec.sign_as_officer(world.officer, record)  # no leader signature yet
    assert cases.transition_blockers(case) == ["缺少已签字的程序启动审批表或受理通知书"]
    with pytest.raises(ValidationError, match="程序启动审批表"):
        cases.advance(world.officer, case)
    rec.sign_as_leader(world.unit_head, record)
    assert cases.transition_blockers(case) == []
    assert cases.advance(world.officer, case).stage == Stage.INVESTIGATION


def test_advance_after_complete_start_approval(world):
    case = world.open_case()
    add_person(world, case)
    complete(world, case, "start_approval")
    assert cases.missing_requirements(case) == []
    case = cases.advance(world.officer, case, note="批准立案调查")
    assert case.stage == Stage.INVESTIGATION
    assert Case.objects.get(pk=case.pk).stage == Stage.INVESTIGATION
    moves = [(t.from_stage, t.to_stage, t.note, t.actor_id) for t in case.transitions.all()]
    assert moves == [("", "start", "立案", world.officer.pk), ("start", "investigation", "批准立案调查", world.officer.pk)]
    [entry] = case_entries(case, "case.transition")
    assert entry.actor_id == world.officer.pk
    ev = event_of(entry)
    st = case.transitions.last()
    assert ev["detail"] == {"transition": st.pk, "from": "start", "to": "investigation", "note": "批准立案调查",
                            "actor": world.officer.pk, "at": st.at.isoformat(timespec="microseconds")}
    assert ev["content_sha256"] == cases.content_sha256(cases.case_snapshot(case))
    # The next stage has its own requirements.
    assert [m for m in cases.missing_requirements(case)] == [
        ("rights_notice",), ("inquiry_record", "inspection_record", "evidence_request_notice", "sampling_notice")]


def test_inspection_case_needs_no_party(world):
    case = world.open_case(kind="inspection")
    assert "尚未登记当事人" not in cases.transition_blockers(case)


def test_on_site_case_blocked_when_an_officer_certificate_lapses(world):
    case = world.open_case()
    add_person(world, case)
    complete(world, case, "start_approval")
    cert = world.officer2.certificates.get()
    cert.revoked = True
    cert.save()
    assert cases.transition_blockers(case) == ["现场执法应有两名以上持有效执法证的承办人员"]
    with pytest.raises(ValidationError):
        cases.advance(world.officer, case)


def test_advance_requires_work_access(world):
    case = world.open_case()
    add_person(world, case)
    complete(world, case, "start_approval")
    for user in (world.outsider, world.officer3, world.agency_head, world.sysadmin):
        with pytest.raises(PermissionDenied):
            cases.advance(user, case)
    assert Case.objects.get(pk=case.pk).stage == Stage.START
    # The unit head may move the case.
    assert cases.advance(world.unit_head, case).stage == Stage.INVESTIGATION


def test_send_back_only_from_decision(world):
    case = to_investigation(world)
    with pytest.raises(ValidationError) as exc:
        cases.send_back(world.officer, case, "需要补充调查")
    assert exc.value.messages == ["只有审查决定阶段可以退回补充调查。"]
    assert Case.objects.get(pk=case.pk).stage == Stage.INVESTIGATION


def test_send_back_requires_reason(world):
    case = to_decision(world)
    assert case.stage == Stage.DECISION
    with pytest.raises(ValidationError) as exc:
        cases.send_back(world.officer, case, "   ")
    assert exc.value.messages == ["退回补充调查必须说明理由。"]
    assert Case.objects.get(pk=case.pk).stage == Stage.DECISION


def test_send_back_from_decision(world):
    case = to_decision(world)
    n_entries = len(case_entries(case, "case.transition"))
    case = cases.send_back(world.officer, case, "  法制审核要求补充现场勘验  ")
    assert case.stage == Stage.INVESTIGATION
    last = case.transitions.last()
    assert (last.from_stage, last.to_stage, last.note) == ("decision", "investigation", "法制审核要求补充现场勘验")
    entries = case_entries(case, "case.transition")
    assert len(entries) == n_entries + 1
    assert event_of(entries[-1])["detail"] == {
        "transition": last.pk, "from": "decision", "to": "investigation", "note": "法制审核要求补充现场勘验",
        "actor": world.officer.pk, "at": last.at.isoformat(timespec="microseconds")}


def test_send_back_by_outsider_refused(world):
    case = to_decision(world)
    with pytest.raises(PermissionDenied):
        cases.send_back(world.outsider, case, "理由")
    assert Case.objects.get(pk=case.pk).stage == Stage.DECISION


def test_full_run_to_archive_then_no_more_work(world):
    case = to_archived(world)
    assert case.is_archived
    assert Case.objects.get(pk=case.pk).archived_at is not None
    moves = [(t.from_stage, t.to_stage) for t in case.transitions.all()]
    assert moves == [("", "start"), ("start", "investigation"), ("investigation", "decision"),
                     ("decision", "service"), ("service", "archive"), ("archive", "")]
    last = event_of(case_entries(case, "case.transition")[-1])
    assert last["detail"]["to"] == "archived" and last["detail"]["transition"] == case.transitions.last().pk
    assert last["content_sha256"] == cases.content_sha256(cases.case_snapshot(Case.objects.get(pk=case.pk)))
    assert cases.transition_blockers(case) == ["案件已归档。"]

    from liuhen.records import services as rec
    from liuhen.records.models import RecordType

    rt = RecordType.objects.get(code="performance_record")
    for attempt in (
        lambda: cases.advance(world.officer, case),
        lambda: cases.send_back(world.officer, case, "理由"),
        lambda: add_person(world, case),
        lambda: cases.assign_officer(world.unit_head, case, world.officer3),
        lambda: rec.create_record(world.officer, case, rt, fill(rt)),
    ):
        with pytest.raises(PermissionDenied) as exc:
            attempt()
        assert "案件已归档" in str(exc.value)
    assert case.parties.count() == 1
    with pytest.raises(PermissionDenied, match="案件已归档"):
        access.check_work(world.unit_head, case)
    # LW-D 15: its own officer now retrieves it with an approved 调用单 (liuhen.retrieval); the head reads it by duty.
    with pytest.raises(PermissionDenied, match="调用单"):
        access.check_view(world.officer, case)
    assert access.can_view(world.agency_head, case)


def test_archive_stage_requires_closing_report_and_archive_register(world):
    """BX 11, LC 31, LQ 28: no archiving straight after 送达执行."""
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType

    case = to_archive_stage(world)
    assert cases.missing_requirements(case) == [("archive_register",), ("closing_report",)]
    assert cases.transition_blockers(case) == ["缺少已签字的归档登记表", "缺少已签字的结案报告"]
    with pytest.raises(ValidationError, match="归档登记表"):
        cases.advance(world.officer, case, note="归档")
    # A closing report the leader has not signed does not count; nor an archive register without
    # the archivist's signature.
    rt = RecordType.objects.get(code="closing_report")
    report = rec.create_record(world.officer, case, rt, fill(rt))
    rec.sign_as_officer(world.officer, report)
    rt = RecordType.objects.get(code="archive_register")
    register = rec.create_record(world.officer, case, rt, fill(rt))
    rec.sign_as_officer(world.officer, register)
    assert cases.missing_requirements(case) == [("archive_register",), ("closing_report",)]
    with pytest.raises(ValidationError):
        cases.advance(world.officer, case)
    rec.sign_as_leader(world.unit_head, report)
    assert cases.transition_blockers(case) == ["缺少已签字的归档登记表"]
    rec.sign_in_capacity(archivist(world), register, "archivist")
    assert cases.transition_blockers(case) == []
    case = cases.advance(world.officer, case, note="归档")
    assert case.is_archived and Case.objects.get(pk=case.pk).is_archived


def test_simplified_case_archives_with_the_archive_register(world):
    case = world.open_case(procedure="simplified", title="河道内倾倒垃圾")
    add_person(world, case)
    case = cases.advance(world.officer, case)
    complete(world, case, "inspection_record")
    cover_acts(world, case)  # the inspection's AV: an approved 不适宜音像记录说明 (the AV gate)
    case = cases.advance(world.officer, case)
    complete(world, case, "decision")
    case = cases.advance(world.officer, case)
    complete(world, case, "service_receipt")
    case = cases.advance(world.officer, case)
    assert case.stage == Stage.ARCHIVE
    assert cases.transition_blockers(case) == ["缺少已签字的归档登记表"]
    with pytest.raises(ValidationError):
        cases.advance(world.officer, case)
    complete(world, case, "archive_register")
    assert cases.advance(world.officer, case).is_archived  # no closing report asked of a simplified case


def test_add_party_checks_the_case_as_it_is_now(world):
    """The view loaded the case, then someone archived it: the party is refused all the same."""
    case = to_archive_stage(world)
    stale = Case.objects.get(pk=case.pk)  # what the view holds
    complete(world, case, "closing_report")
    complete(world, case, "archive_register")
    cases.advance(world.officer, case, note="归档")
    assert not stale.is_archived
    before = Entry.objects.count()
    with pytest.raises(PermissionDenied, match="案件已归档"):
        add_person(world, stale, name="赵六")
    with pytest.raises(PermissionDenied, match="案件已归档"):
        cases.assign_officer(world.unit_head, stale, world.officer3)
    assert not Party.objects.filter(name="赵六").exists()
    assert not CaseOfficer.objects.filter(case=case, officer=world.officer3).exists()
    assert Entry.objects.count() == before


# ---- assign_officer -------------------------------------------------------------------------

def test_assign_officer(world):
    case = world.open_case()
    link = cases.assign_officer(world.unit_head, case, world.outsider)
    assert link.certificate_number == world.outsider.certificates.get().number
    assert not link.is_lead and link.assigned_by == world.unit_head
    with pytest.raises(ValidationError, match="已是承办人员"):
        cases.assign_officer(world.unit_head, case, world.outsider)
    with pytest.raises(ValidationError, match="执法证"):
        cases.assign_officer(world.unit_head, case, world.expired)
    with pytest.raises(ValidationError, match="不是本机关的执法人员"):
        cases.assign_officer(world.unit_head, case, world.reviewer)
    assert case.officers.count() == 3


# ---- access -----------------------------------------------------------------------------------

def test_access_matrix(world):
    case = world.open_case()
    expect = {
        # user: (can_view, can_work)
        "officer": (True, True), "officer2": (True, True), "officer3": (True, False),
        "outsider": (False, False), "unit_head": (True, True), "agency_head": (True, False),
        "reviewer": (True, False), "sysadmin": (False, False), "expired": (True, False),
    }
    got = {name: (access.can_view(getattr(world, name), case), access.can_work(getattr(world, name), case))
           for name in expect}
    assert got == expect


def test_check_view_message(world):
    case = world.open_case()
    with pytest.raises(PermissionDenied) as exc:
        access.check_view(world.outsider, case)
    assert str(exc.value) == "您无权查看该案件。"
    with pytest.raises(PermissionDenied) as exc:
        access.check_work(world.officer3, case)
    assert "无权办理" in str(exc.value)


def test_visible_cases(world):
    ours = world.open_case()
    theirs = cases.open_case(world.outsider, title="水资源费", kind="levy", procedure="general",
                             start_mode="ex_officio", on_site=False, officers=[])
    assert theirs.unit == world.other_unit
    assert set(access.visible_cases(world.officer)) == {ours}
    assert set(access.visible_cases(world.unit_head)) == {ours}
    assert set(access.visible_cases(world.outsider)) == {theirs}
    assert set(access.visible_cases(world.agency_head)) == {ours, theirs}
    assert set(access.visible_cases(world.reviewer)) == {ours, theirs}
    assert list(access.visible_cases(world.sysadmin)) == []
    # An officer of another unit named on a case sees that case too (once, not per join row).
    cases.assign_officer(world.unit_head, ours, world.outsider)
    assert access.can_view(world.outsider, ours)
    assert sorted(c.pk for c in access.visible_cases(world.outsider)) == sorted([ours.pk, theirs.pk])


def test_people_of_another_agency_see_nothing(world):
    case = world.open_case()
    other = Agency.objects.create(name="另一局", short_name="另")
    head = acc.create_user(None, username="otherhead", full_name="外局长", password=world.PASSWORD, agency=other,
                           roles=[Role.AGENCY_HEAD])
    assert not access.can_view(head, case)
    assert list(access.visible_cases(head)) == []


def test_case_cannot_be_deleted(world):
    case = world.open_case()
    with pytest.raises(PermissionError):
        case.delete()
    assert Case.objects.filter(pk=case.pk).exists()
