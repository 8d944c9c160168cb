"""The defects the independent review of issue 12 found in the records app (/tmp/review12.md §1-11),
each with the test that showed it; the numbers are the review's."""
import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.cases import services as cases
from liuhen.ledger.core.canonical import content_sha256
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.records import rules, selectors, services
from liuhen.records.ledger_checks import keyed_sha256
from liuhen.records.models import RecordTypeVersion, Signature, SignerRole
from liuhen.testing.cases import add_person, complete, fill, make_record, to_decision, to_investigation
from liuhen.testing.records import (
    APPROVAL, INSPECTION, legacy_attachment, legacy_capacity_signature, legacy_record, legacy_supplement, rtype,
    signed_inspection,
)
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no checkpoint or tile from another tree


def certify(user, number):
    today = timezone.localdate()
    acc.issue_certificate(None, user, number=number, valid_from=today - datetime.timedelta(days=1),
                          valid_until=today + datetime.timedelta(days=100))


def window():
    now = timezone.now()
    return {"valid_from": now - datetime.timedelta(minutes=1), "valid_until": now + datetime.timedelta(hours=1)}


def started(world):
    case = world.open_case()
    add_person(world, case)
    return case


# ---- §1: a rule changed in the database is refused, not laundered into a logged version ---------------

def test_a_type_changed_behind_the_log_is_refused_not_turned_into_a_logged_rule(verified_world, client):
    world = verified_world
    case = started(world)
    rt = rtype("start_approval")
    versions = list(RecordTypeVersion.objects.values_list("pk", flat=True))
    sql("UPDATE records_recordtype SET signature_rule = %s WHERE id = %s", [json.dumps({"officers": 1}), rt.pk])
    with pytest.raises(ValidationError, match="与系统记载的版本不一致"):
        make_record(world, case, "start_approval")
    client.force_login(world.officer)
    resp = client.post(f"/records/new/{case.pk}/?type=start_approval", {"type": "start_approval", **APPROVAL})
    assert resp.status_code == 400 and "与系统记载的版本不一致" in resp.content.decode()
    assert Entry.objects.filter(action="records.refused", object_id=str(case.pk)).exists()
    assert not case.records.exists()
    assert list(RecordTypeVersion.objects.values_list("pk", flat=True)) == versions  # nothing logged as a rule
    integrate_all()
    assert [f.object for f in verify_log().findings] == [f"recordtype:{rt.pk}"]


# ---- §2: nobody approves their own case ------------------------------------------------------------

def test_a_unit_head_who_drafted_the_approval_cannot_approve_it(world):
    certify(world.unit_head, "14018888")
    case = started(world)
    record = make_record(world, case, "start_approval", by=world.unit_head)
    services.sign_as_officer(world.officer, record)
    assert not selectors.signable_capacity(world.unit_head, selectors.record_with_state(record.pk), SignerRole.LEADER)
    with pytest.raises(PermissionDenied, match="不能在本案中以负责人身份签字"):
        services.sign_as_leader(world.unit_head, record)


def test_a_unit_head_who_registered_the_party_cannot_approve(world):
    certify(world.unit_head, "14018888")
    case = world.open_case()
    add_person(world, case, actor=world.unit_head)
    record = make_record(world, case, "start_approval")
    services.sign_as_officer(world.officer, record)
    with pytest.raises(PermissionDenied, match="不能在本案中以负责人身份签字"):
        services.sign_as_leader(world.unit_head, record)


def test_a_work_grant_makes_its_holder_one_who_worked_on_the_case(world):
    case = to_decision(world)
    cases.grant_access(world.unit_head, case, world.agency_head, scope="work", reason="协助办理", **window())
    record = make_record(world, case, "leader_approval")
    with pytest.raises(PermissionDenied, match="不能在本案中以负责人身份签字"):
        services.sign_as_leader(world.agency_head, record)


def test_who_approved_in_a_case_neither_joins_it_nor_signs_as_its_officer(world):
    both = acc.create_user(None, username="both", full_name="双角色", password=world.PASSWORD, agency=world.agency,
                           unit=world.unit, roles=[Role.OFFICER, Role.AGENCY_HEAD])
    certify(both, "14019999")
    case = to_decision(world)
    approval = make_record(world, case, "leader_approval")
    services.sign_as_leader(both, approval)
    with pytest.raises(ValidationError, match="不能再担任本案承办人员"):
        cases.assign_officer(world.unit_head, case, both)
    # An assignment made before the check existed (as assign_officer wrote it then) does not let them sign.
    with transaction.atomic():
        cases._assign(world.unit_head, case, both, is_lead=False)
    record = make_record(world, case, "handling_opinion", by=world.officer)
    with pytest.raises(PermissionDenied, match="不能再以执法人员身份签字"):
        services.sign_as_officer(both, record)


# ---- §3: a unit head signs only for their own unit ---------------------------------------------------

def test_the_head_of_another_unit_cannot_sign_as_unit_head(world):
    other_head = acc.create_user(None, username="oh", full_name="别队长", password=world.PASSWORD,
                                 agency=world.agency, unit=world.other_unit, roles=[Role.UNIT_HEAD])
    case = started(world)
    record = make_record(world, case, "start_approval")
    services.sign_as_officer(world.officer, record)
    cases.grant_access(world.agency_head, case, other_head, scope="view", reason="调阅", **window())
    assert not selectors.signable_capacity(other_head, selectors.record_with_state(record.pk), SignerRole.LEADER)
    assert record.pk not in [st.record.pk for st in selectors.awaiting_my_signature(other_head)]
    with pytest.raises(PermissionDenied, match="不是本案承办机构的负责人"):
        services.sign_as_leader(other_head, record)
    sig = services.sign_as_leader(world.agency_head, record)  # the agency head signs across units
    assert Signature.objects.get(pk=sig.pk).signer_role == "agency_head"
    assert selectors.record_with_state(record.pk).complete


# ---- §5: rules are not retroactive: overrides pinned, the role signed as stored --------------------

def test_a_changed_override_does_not_reach_back(world, monkeypatch):
    case = to_decision(world)
    monkeypatch.setattr(rules, "OVERRIDES", ())  # as before issue 12: a unit head approves
    before = make_record(world, case, "leader_approval")
    services.sign_as_leader(world.unit_head, before)
    assert selectors.record_with_state(before.pk).complete
    monkeypatch.undo()  # the override (行政处罚法 art. 57) comes in
    after = make_record(world, case, "leader_approval")
    assert selectors.record_with_state(before.pk).complete  # made under the old rule: stays approved
    assert selectors.record_with_state(after.pk).rule.leader == rules.LEADER_AGENCY
    monkeypatch.setattr(rules, "OVERRIDES", ())  # and removing the override does not loosen it either
    assert selectors.record_with_state(after.pk).rule.leader == rules.LEADER_AGENCY


def test_a_record_made_before_issue_12_keeps_the_rule_it_was_made_under(verified_world):
    world = verified_world
    case = to_decision(world)
    record = legacy_record(world, case, "leader_approval", fill(rtype("leader_approval")))
    assert selectors.record_with_state(record.pk).rule.leader == rules.LEADER_ANY  # no override then
    services.sign_as_leader(world.unit_head, record)
    assert selectors.record_with_state(record.pk).complete
    integrate_all()
    assert verify_log().ok, [str(f) for f in verify_log().findings]


def test_a_record_made_under_issue_12_before_the_rule_was_pinned_keeps_its_overrides(world, monkeypatch):
    case = to_decision(world)
    record = make_record(world, case, "leader_approval")
    drop_append_only("records_record")
    sql("UPDATE records_record SET rule = NULL WHERE id = %s", [record.pk])  # as migration 0005 left it
    monkeypatch.setattr(rules, "OVERRIDES", ())
    assert selectors.record_with_state(record.pk).rule.leader == rules.LEADER_AGENCY


def test_a_revoked_role_does_not_unsign_an_approval(world):
    case = to_decision(world)
    record = complete(world, case, "leader_approval")
    assert Signature.objects.get(record=record, role="leader").signer_role == "agency_head"
    acc.revoke_role(None, world.agency_head, Role.AGENCY_HEAD)  # retires, moves post
    assert selectors.record_with_state(record.pk).complete


def test_a_revoked_role_does_not_hide_a_refusal(world):
    deputy = acc.create_user(None, username="fu", full_name="副局长", password=world.PASSWORD, agency=world.agency,
                             roles=[Role.AGENCY_HEAD])
    case = to_decision(world)
    record = make_record(world, case, "leader_approval")
    services.sign_as_leader(world.agency_head, record, decision="不同意", opinion="证据不足")
    acc.revoke_role(None, world.agency_head, Role.AGENCY_HEAD)
    st = selectors.record_with_state(record.pk)
    assert not st.complete and [s.decision for s in st.refusals] == ["不同意"]
    with pytest.raises(ValidationError, match="不同意"):
        services.sign_as_leader(deputy, record)


def test_verify_finds_a_changed_signer_role_or_pinned_rule(verified_world):
    world = verified_world
    record = complete(world, started(world), "start_approval")
    sig = Signature.objects.get(record=record, role="leader")
    assert sig.signer_role == "unit_head"
    integrate_all()
    assert verify_log().ok
    drop_append_only("records_signature")
    sql("UPDATE records_signature SET signer_role = 'agency_head' WHERE id = %s", [sig.pk])
    report = verify_log()
    assert found(report, "altered", f"record:{record.pk} signature:{sig.pk}").code == "records.E016"
    # …and the summary the findings scan reads now counts a signature as 机关负责人 that it does not hold.
    assert {f.code for f in report.findings if f.object == f"record:{record.pk}"} == {"records.E033"}
    from liuhen.records.summary import refresh

    refresh([record.pk])
    drop_append_only("records_record")
    sql("UPDATE records_record SET rule = %s WHERE id = %s", [json.dumps({"officers": 1}), record.pk])
    f = found(verify_log(), "altered", f"record:{record.pk}")
    assert f.code == "records.E003" and "适用的签字要求" in f.message


def test_an_upgraded_database_verifies_clean_and_its_old_rows_keep_their_schemes(verified_world):
    world = verified_world
    case = started(world)
    old = legacy_record(world, case, "start_approval", dict(APPROVAL))
    services.sign_as_officer(world.officer, old)
    sig = legacy_capacity_signature(old, world.unit_head, SignerRole.LEADER, opinion="同意立案")
    sup = legacy_supplement(old, world.officer, "纸质件", "李四签字.jpg", b"paper")
    draft = legacy_record(world, case, "inspection_record", {**INSPECTION, "time": "2026-03-02T09:30+08:00"})
    att = legacy_attachment(draft, world.officer, "张三身份证.jpg", b"id card")
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    assert selectors.record_with_state(old.pk).complete  # judged by its signer's roles, as it was then
    # A role written into an old signature behind the log's back: its scheme 3 has none.
    drop_append_only("records_signature")
    sql("UPDATE records_signature SET signer_role = 'agency_head' WHERE id = %s", [sig.pk])
    assert found(verify_log(), "altered", f"record:{old.pk} signature:{sig.pk}").code == "records.E016"
    # Old events keep names in clear, and verify still compares them.
    drop_append_only("records_attachment")
    sql("UPDATE records_attachment SET filename = %s WHERE id = %s", ["王五身份证.jpg", att.pk])
    assert found(verify_log(), "altered", f"record:{draft.pk} attachment:{att.pk}").code == "records.E011"
    drop_append_only("records_supplement")
    sql("UPDATE records_supplement SET note = %s WHERE id = %s", ["改过的说明", sup.pk])
    assert found(verify_log(), "altered", f"record:{old.pk} supplement:{sup.pk}").code == "records.E027"


# ---- §6: a refused POST of a new record is recorded --------------------------------------------------

def test_a_new_record_refused_for_want_of_a_certificate_is_recorded(world, client):
    case = started(world)
    client.force_login(world.unit_head)  # works on the unit's cases, holds no 执法证
    resp = client.post(f"/records/new/{case.pk}/?type=start_approval", {"type": "start_approval", **APPROVAL})
    assert resp.status_code == 403 and not case.records.exists()
    [e] = [event_of(e) for e in Entry.objects.filter(action="records.refused", object_id=str(case.pk))]
    assert e["actor"]["id"] == world.unit_head.pk and e["detail"]["status"] == 403


# ---- §7: names and short texts leave the log ---------------------------------------------------------

def test_file_names_and_notes_are_logged_as_keyed_hashes_and_verified(verified_world):
    world = verified_world
    record = signed_inspection(world, files=[("张三身份证.jpg", b"id card")])
    sup = services.add_supplement(world.officer, record, [(io.BytesIO(b"paper"), "李四签字.jpg", "image/jpeg")],
                                  "李四补签")
    leaves = b"".join(bytes(e.leaf) for e in Entry.objects.filter(object_type="record"))
    for secret in ("张三身份证", "李四签字", "李四补签"):
        assert secret.encode() not in leaves and json.dumps(secret).encode() not in leaves
    integrate_all()
    assert verify_log().ok
    att = record.attachments.get()
    drop_append_only("records_attachment")
    sql("UPDATE records_attachment SET filename = %s WHERE id = %s", ["王五身份证.jpg", att.pk])
    assert found(verify_log(), "altered", f"record:{record.pk} attachment:{att.pk}").code == "records.E011"
    sf = sup.files.get()
    drop_append_only("records_supplementfile")
    sql("UPDATE records_supplementfile SET filename = %s WHERE id = %s", ["王五.jpg", sf.pk])
    assert found(verify_log(), "altered", f"record:{record.pk} supplement:{sup.pk}").code == "records.E027"


def test_the_opinion_hash_is_keyed(world):
    record = make_record(world, started(world), "start_approval")
    sig = services.sign_as_leader(world.unit_head, record, opinion="同意")
    [d] = [event_of(e)["detail"] for e in Entry.objects.filter(action="record.sign", object_id=str(record.pk))]
    assert d["signature"] == sig.pk and d["opinion_sha256"] == keyed_sha256("opinion", "同意")
    assert d["opinion_sha256"] != content_sha256({"opinion": "同意"})  # guessable from a list of short opinions


# ---- §8: signed text passes the text checks in the services ------------------------------------------

@pytest.mark.parametrize("opinion", ["同意\u202e。见附件", "同意\x07"])
def test_an_opinion_with_control_characters_is_refused(world, opinion):
    record = make_record(world, to_decision(world), "legal_review_record")
    outcome = selectors.record_with_state(record.pk).rule.reviewer_decisions[0]
    with pytest.raises(ValidationError, match="控制字符"):
        services.sign_in_capacity(world.reviewer, record, SignerRole.REVIEWER, decision=outcome, opinion=opinion)
    assert not Signature.objects.filter(record=record).exists()
    services.sign_in_capacity(world.reviewer, record, SignerRole.REVIEWER, decision=outcome, opinion="第一行\n第二行")


def test_an_opinion_with_a_bidi_override_is_a_refused_page(world, client):
    record = make_record(world, to_decision(world), "legal_review_record")
    client.force_login(world.reviewer)
    resp = client.post(f"/records/{record.pk}/sign/", {"as": "reviewer", "decision": "同意", "opinion": "同意\u202e。"})
    assert resp.status_code == 409 and not Signature.objects.filter(record=record).exists()
    assert Entry.objects.filter(action="records.refused", object_id=str(record.pk)).exists()


def test_a_supplement_note_and_file_names_pass_the_text_checks(world):
    record = signed_inspection(world)
    with pytest.raises(ValidationError, match="控制字符"):
        services.add_supplement(world.officer, record, [(io.BytesIO(b"x"), "纸质件.jpg", "image/jpeg")], "说明\x01")
    for name in ("合同\u202egpj.exe", "照片\u2066.jpg", "a\x7f.jpg"):
        with pytest.raises(ValidationError, match="控制字符"):
            services.clean_filename(name)
    with pytest.raises(ValidationError, match="控制字符"):
        services.add_supplement(world.officer, record, [(io.BytesIO(b"x"), "合同\u202egpj.exe", "")], "")
    assert not record.supplements.exists()


# ---- §9-11: queries that do not grow with the records ------------------------------------------------

def queries(fn) -> list[dict]:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return ctx.captured_queries


def test_the_case_page_reads_records_made_before_the_upgrade_in_constant_queries(world, client):
    case = to_investigation(world)
    client.force_login(world.officer)
    # A first look fills the process's caches (the working-day calendar the 提醒 badge counts with):
    # what is compared is what each further look costs.
    client.get(f"/cases/{case.pk}/")
    counts = []
    for n in (2, 6):
        while case.records.filter(type_version__isnull=True).count() < n:
            legacy_record(world, case, "inspection_record", {**INSPECTION, "time": "2026-03-02T09:30+08:00"})
        # a look may fill a process-wide cache once more (seen after other tests of the worker:
        # 62 then 63, on either size): each size's cheapest of three looks is compared
        counts.append(min(len(queries(lambda: client.get(f"/cases/{case.pk}/"))) for _ in range(3)))
    assert counts[0] == counts[1], counts


def test_awaiting_my_signature_does_not_grow_with_the_records(world):
    counts = []
    for n in (3, 6):
        while len(selectors.awaiting_my_signature(world.unit_head)) < n:
            record = make_record(world, started(world), "start_approval")
            services.sign_as_officer(world.officer, record)
        counts.append(len(queries(lambda: selectors.awaiting_my_signature(world.unit_head))))
    assert counts[0] == counts[1], counts


def test_the_case_page_reads_the_records_once(world, client):
    case = world.open_case(start_mode="emergency", kind="coercion", title="河道阻水障碍物紧急清除")
    add_person(world, case)
    complete(world, case, "emergency_start_approval")
    case = cases.advance(world.officer, case)
    complete(world, case, "inspection_record")
    client.force_login(world.officer)
    reads = [q["sql"] for q in queries(lambda: client.get(f"/cases/{case.pk}/"))
             if q["sql"].lstrip().upper().startswith("SELECT") and 'FROM "records_record"' in q["sql"]]
    assert len(reads) == 1, reads


def test_the_record_page_offers_no_officer_signature_to_who_approved_in_the_case(world, client):
    both = acc.create_user(None, username="both", full_name="双角色", password=world.PASSWORD, agency=world.agency,
                           unit=world.unit, roles=[Role.OFFICER, Role.AGENCY_HEAD])
    certify(both, "14019999")
    case = to_decision(world)
    services.sign_as_leader(both, make_record(world, case, "leader_approval"))
    with transaction.atomic():
        cases._assign(world.unit_head, case, both, is_lead=False)  # as assign_officer allowed before
    record = make_record(world, case, "handling_opinion")
    client.force_login(both)
    resp = client.get(f"/records/{record.pk}/")
    assert resp.status_code == 200 and not resp.context["can_sign_officer"]


def test_my_cases_for_the_agency_head_does_not_grow_with_records_made_before_the_upgrade(world, client):
    client.force_login(world.agency_head)
    counts = []
    for n in (3, 6):
        while len(selectors.awaiting_my_signature(world.agency_head)) < n:
            record = legacy_record(world, started(world), "start_approval", dict(APPROVAL))
            services.sign_as_officer(world.officer, record)
        # Not counted: what a page asks at most once a while (the session's idle timeout saved once a
        # minute, accounts.sessions) — asked here. (The calendar's look for new years: conftest._steady_calendar.)
        client.get("/cases/")
        counts.append(len(queries(lambda: client.get("/cases/"))))
    assert counts[0] == counts[1], counts
