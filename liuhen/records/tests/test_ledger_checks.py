"""What `liuhen verify` checks of the records app's rows, and what its events keep out of the log.

A small world is built through the services: an inspection record with two versions, an
attachment, two officers' signatures, a witness's signature and a party's refusal to sign (recorded
by one officer, not yet confirmed by a second); a start approval signed by an officer and a leader;
a voided record. It verifies clean. Each tamper test then plays a database superuser: the
append-only triggers are dropped and one field the application never changes is changed; verify
must name the object and the log entry it contradicts.
"""
import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.models import User
from liuhen.accounts.roles import Role
from liuhen.cases.models import Case, CaseOfficer
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.subjects import plain
from liuhen.ledger.verify import verify_log
from liuhen.records import selectors, services
from liuhen.records.ledger_checks import keyed_sha256, signature_digest
from liuhen.testing.records import (  # noqa: F401 — the scene's people and words, used by name in tests
    APPROVAL, REFUSAL_REASON, WITNESS, event, rtype, signed_event_detail,
)
from liuhen.testing.records import SCENE_PARTY as PARTY
from liuhen.records.models import Signature, SignerRole
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no tile cached from another tree


@pytest.fixture
def scene(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in with its keys (liuhen.testing.demo): records_scene
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.records:records_scene", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    return restore_scene(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)


def db_time(value):
    return connection.ops.adapt_datetimefield_value(value)



def record_findings(report):
    return [str(f) for f in report.findings if f.object.startswith("record:")]


# ---- 1. the record header -----------------------------------------------------------------------

def test_create_event_logs_the_header(scene):
    r = scene.record
    assert event(scene.entry("record.create"))["detail"] == {
        "case": scene.case.pk, "type": "inspection_record", "stage": r.stage, "serial": r.serial,
        "created_by": scene.world.officer.pk, "created_at": plain(r.created_at), "type_version": r.type_version_id,
        "rule": r.rule,
        "version_at": plain(scene.v1.created_at)}


def test_record_moved_to_another_case(scene):
    other = scene.world.open_case(title="另一案件")
    drop_append_only("records_record")
    assert sql("UPDATE records_record SET case_id = %s WHERE id = %s", [other.pk, scene.record.pk]) == 1
    f = found(verify_log(), "altered", f"record:{scene.record.pk}", scene.entry("record.create"))
    assert "所属案件" in f.message


@pytest.mark.parametrize("column, value, label", [
    ("record_type_id", lambda s: rtype("seizure_record").pk, "记录类型"),
    ("stage", lambda s: "decision", "阶段"),
    ("serial", lambda s: 77, "案内序号"),
    ("created_by_id", lambda s: s.world.officer2.pk, "制作人"),
])
def test_record_header_altered(scene, column, value, label):
    drop_append_only("records_record")
    assert sql(f"UPDATE records_record SET {column} = %s WHERE id = %s", [value(scene), scene.record.pk]) == 1
    f = found(verify_log(), "altered", f"record:{scene.record.pk}", scene.entry("record.create"))
    assert label in f.message


# ---- 2. fields outside the content: signatures ------------------------------------------------

@pytest.mark.parametrize("which, column, value", [
    ("officer_sig", "signer_name", lambda s: "李强"),  # a user's signature shown under another name
    ("leader_sig", "signer_name", lambda s: "刘局长"),
    ("witness_sig", "signer_name", lambda s: "张某"),
    ("witness_sig", "recorded_by_id", lambda s: s.world.officer.pk),
    ("refusal", "recorded_by_id", lambda s: s.world.officer2.pk),
    ("refusal", "refusal_reason", lambda s: "当事人无正当理由拒绝签字"),
    ("officer_sig", "signer_id", lambda s: s.world.officer3.pk),
    ("officer_sig", "signed_at", lambda s: db_time(timezone.now() - datetime.timedelta(days=1))),
])
def test_signature_field_altered(scene, which, column, value):
    sig = getattr(scene, which)
    drop_append_only("records_signature")
    assert sql(f"UPDATE records_signature SET {column} = %s WHERE id = %s", [value(scene), sig.pk]) == 1
    report = verify_log()
    found(report, "altered", f"record:{sig.record_id} signature:{sig.pk}", scene.sign_entry(sig))


def test_signature_with_digest_recomputed_by_the_attacker_is_still_found(scene):
    """Rewriting the row's digest to match its new fields does not help: the log holds the digest."""
    sig = scene.witness_sig
    drop_append_only("records_signature")
    sql("UPDATE records_signature SET signer_name = %s WHERE id = %s", ["张某", sig.pk])
    altered = Signature.objects.select_related("version").get(pk=sig.pk)
    digest = signature_digest(altered, [scene.attachment.blob_id])
    sql("UPDATE records_signature SET digest = %s WHERE id = %s", [digest, sig.pk])
    found(verify_log(), "altered", f"record:{sig.record_id} signature:{sig.pk}", scene.sign_entry(sig))


def test_signature_moved_to_another_record(scene):
    sig = scene.witness_sig
    drop_append_only("records_signature")
    sql("UPDATE records_signature SET record_id = %s WHERE id = %s", [scene.approval.pk, sig.pk])
    report = verify_log()
    found(report, "deleted", f"record:{scene.record.pk}", scene.sign_entry(sig))
    found(report, "inserted", f"record:{scene.approval.pk} signature:{sig.pk}")


def test_renaming_a_user_does_not_make_their_signatures_look_altered(scene):
    """Signatures bind the signer by id: a login renamed (or a name corrected) later changes none."""
    User.objects.filter(pk=scene.world.officer.pk).update(username="zhangming", full_name="张明明")
    User.objects.filter(pk=scene.world.unit_head.pk).update(username="chenduizhang")
    assert record_findings(verify_log()) == []


# ---- 2. attachments, versions, voids -----------------------------------------------------------

@pytest.mark.parametrize("column, value, label", [
    ("filename", lambda s: "无关文件.jpg", "文件名"),
    ("content_type", lambda s: "application/pdf", "文件类型"),
    ("uploaded_by_id", lambda s: s.world.officer2.pk, "上传人"),
])
def test_attachment_field_altered(scene, column, value, label):
    a = scene.attachment
    drop_append_only("records_attachment")
    assert sql(f"UPDATE records_attachment SET {column} = %s WHERE id = %s", [value(scene), a.pk]) == 1
    f = found(verify_log(), "altered", f"record:{scene.record.pk} attachment:{a.pk}", scene.entry("record.attach"))
    assert label in f.message


def test_attach_event_logs_the_attachment(scene):
    a = scene.attachment
    assert event(scene.entry("record.attach"))["detail"] == {
        "attachment": a.pk, "filename_sha256": keyed_sha256("filename", "现场照片.jpg"), "content_type": "image/jpeg", "size": 250,
        "at": plain(a.uploaded_at)}


@pytest.mark.parametrize("number, column, value", [
    (1, "author_id", lambda s: s.world.officer2.pk),
    (2, "author_id", lambda s: s.world.officer.pk),
    (2, "reason", lambda s: "当事人要求修改"),
    (1, "reason", lambda s: "事后补写的理由"),
])
def test_version_author_or_reason_altered(scene, number, column, value):
    v = getattr(scene, f"v{number}")
    drop_append_only("records_recordversion")
    assert sql(f"UPDATE records_recordversion SET {column} = %s WHERE id = %s", [value(scene), v.pk]) == 1
    ev = scene.entry("record.create") if number == 1 else scene.entry("record.version")
    f = found(verify_log(), "altered", f"record:{scene.record.pk} v{number}", ev)
    assert "作者、修改理由或时间" in f.message


@pytest.mark.parametrize("column, value", [
    ("reason", lambda s: "当事人要求作废"),
    ("actor_id", lambda s: s.world.officer2.pk),
])
def test_void_reason_or_actor_altered(scene, column, value):
    drop_append_only("records_recordvoid")
    assert sql(f"UPDATE records_recordvoid SET {column} = %s WHERE record_id = %s",
               [value(scene), scene.spare.pk]) == 1
    found(verify_log(), "altered", f"record:{scene.spare.pk} void", scene.entry("record.void", scene.spare))


# ---- 2. confirmations of a refusal (LQ 17) ----------------------------------------------------

def test_confirmation_inserted_behind_the_logs_back(scene):
    """A second confirmation is what makes a party's refusal stand: inserting one must not pass."""
    assert not selectors.record_with_state(scene.record.pk).complete
    sql("INSERT INTO records_refusalconfirmation (signature_id, officer_id, confirmed_at) VALUES (%s, %s, %s)",
        [scene.refusal.pk, scene.world.officer2.pk, db_time(timezone.now())])
    assert selectors.record_with_state(scene.record.pk).complete  # what the attacker wanted
    report = verify_log()
    f = found(report, "inserted", f"record:{scene.record.pk} signature:{scene.refusal.pk}")
    assert f.entry_id is None and f"#{scene.world.officer2.pk}" in f.message


def test_confirmation_logged_and_then_deleted(scene):
    conf = services.confirm_refusal(scene.world.officer2, scene.refusal)
    ev = scene.entry("record.refusal_confirm")
    assert event(ev)["detail"] == {"signature": scene.refusal.pk, "officer": scene.world.officer2.pk,
                                   "at": plain(conf.confirmed_at)}
    integrate_all()  # verify only reads: the confirmation's entry gets its leaf index from the integrator
    assert verify_log().ok
    drop_append_only("records_refusalconfirmation")
    assert sql("DELETE FROM records_refusalconfirmation WHERE id = %s", [conf.pk]) == 1
    found(verify_log(), "deleted", f"record:{scene.record.pk} signature:{scene.refusal.pk}", ev)


def test_recording_officers_confirmation_deleted(scene):
    drop_append_only("records_refusalconfirmation")
    assert sql("DELETE FROM records_refusalconfirmation WHERE signature_id = %s", [scene.refusal.pk]) == 1
    found(verify_log(), "deleted", f"record:{scene.record.pk} signature:{scene.refusal.pk}",
          scene.sign_entry(scene.refusal))


def test_confirmation_given_to_another_officer(scene):
    drop_append_only("records_refusalconfirmation")
    sql("UPDATE records_refusalconfirmation SET officer_id = %s WHERE signature_id = %s",
        [scene.world.officer3.pk, scene.refusal.pk])
    report = verify_log()
    obj = f"record:{scene.record.pk} signature:{scene.refusal.pk}"
    found(report, "inserted", obj)
    found(report, "deleted", obj, scene.sign_entry(scene.refusal))


# ---- 3. personal data stays out of the ledger's leaves ------------------------------------------

def test_sign_and_refuse_events_hold_ids_and_the_digest_only(scene):
    for sig in (scene.officer_sig, scene.witness_sig, scene.refusal, scene.leader_sig):
        e = event(scene.sign_entry(sig))
        assert signed_event_detail(e["detail"]) == {"signature": sig.pk, "role": sig.role, "digest": sig.digest}
        assert e["detail"]["scheme"] == 5 and e["detail"]["decision"] == sig.decision
    leaves = b"".join(bytes(e.leaf) for e in Entry.objects.filter(object_type="record"))
    for secret in (PARTY, WITNESS, REFUSAL_REASON):
        assert secret.encode() not in leaves
        assert json.dumps(secret).encode() not in leaves  # nor \u-escaped


def test_signature_digest_is_keyed(scene, settings, tmp_path):
    """Without the deployment's key the digest cannot be recomputed — so a party's short name
    cannot be found again from the logged digest by hashing candidate names."""
    sig = Signature.objects.select_related("version").get(pk=scene.witness_sig.pk)
    blobs = [scene.attachment.blob_id]
    assert signature_digest(sig, blobs) == sig.digest
    settings.LIUHEN_HOME = tmp_path / "elsewhere"
    assert signature_digest(sig, blobs) != sig.digest


# ---- 4. who may sign in a capacity --------------------------------------------------------------

def test_capacity_the_record_type_does_not_ask_for_is_refused(world):
    case = world.open_case()
    record = services.create_record(world.officer, case, rtype("start_approval"), dict(APPROVAL))
    entries = Entry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.sign_in_capacity(world.reviewer, record, SignerRole.REVIEWER)
    assert exc.value.messages == ["该记录不需要法制审核人员签字。"]
    # 法制审核意见 belongs to 审查决定: the stage is set directly (the way there is tested in cases).
    Case.objects.filter(pk=case.pk).update(stage="decision")
    review = services.create_record(world.officer, case, rtype("legal_review_record"), {
        "matter": "处理意见送审"})
    with pytest.raises(ValidationError) as exc:
        services.sign_in_capacity(world.unit_head, review, "leader")
    assert exc.value.messages == ["该记录不需要负责人签字。"]
    assert not Signature.objects.exists()
    assert Entry.objects.count() == entries + 1  # the second record's creation only
    assert not selectors.record_with_state(record.pk).locked  # the draft stays editable
    services.sign_in_capacity(world.reviewer, review, SignerRole.REVIEWER)
    assert selectors.record_with_state(review.pk).complete


@pytest.fixture
def officer_and_head(world):
    """A unit head who is also an officer, named on the case with a valid certificate."""
    today = timezone.localdate()
    user = acc.create_user(None, username="zhou", full_name="周副队长", password=world.PASSWORD,
                           agency=world.agency, unit=world.unit, roles=[Role.OFFICER, Role.UNIT_HEAD])
    acc.issue_certificate(None, user, number="1401009999", valid_from=today - datetime.timedelta(days=30),
                          valid_until=today + datetime.timedelta(days=365))
    case = world.open_case()
    CaseOfficer.objects.create(case=case, officer=user, certificate_number="1401009999", assigned_by=world.officer)
    record = services.create_record(world.officer, case, rtype("start_approval"), dict(APPROVAL))
    return user, record


def test_officer_cannot_approve_a_record_they_signed(officer_and_head):
    user, record = officer_and_head
    services.sign_as_officer(user, record)
    with pytest.raises(PermissionDenied) as exc:  # on the case: approves nothing in it (issue §2)
        services.sign_as_leader(user, record)
    assert "承办人员" in str(exc.value) and "负责人" in str(exc.value)
    assert list(Signature.objects.filter(record=record).values_list("role", flat=True)) == ["officer"]
    assert selectors.record_with_state(record.pk).needs_leader


def test_leader_cannot_then_sign_as_officer(world):
    """A unit head who approved a record and is named on the case afterwards signs it not as officer."""
    today = timezone.localdate()
    user = acc.create_user(None, username="zhou", full_name="周副队长", password=world.PASSWORD,
                           agency=world.agency, unit=world.unit, roles=[Role.OFFICER, Role.UNIT_HEAD])
    acc.issue_certificate(None, user, number="1401009999", valid_from=today - datetime.timedelta(days=30),
                          valid_until=today + datetime.timedelta(days=365))
    case = world.open_case()
    record = services.create_record(world.officer, case, rtype("start_approval"), dict(APPROVAL))
    services.sign_as_leader(user, record)
    CaseOfficer.objects.create(case=case, officer=user, certificate_number="1401009999", assigned_by=world.officer)
    with pytest.raises(ValidationError):
        services.sign_as_officer(user, record)
    assert list(Signature.objects.filter(record=record).values_list("role", flat=True)) == ["leader"]


def test_capacity_checks_come_after_the_role_check(world):
    case = world.open_case()
    record = services.create_record(world.officer, case, rtype("start_approval"), dict(APPROVAL))
    with pytest.raises(PermissionDenied):
        services.sign_in_capacity(world.officer, record, SignerRole.REVIEWER)
