"""Record services: schema validation, versions, signatures, refusals (LQ 17), voids, attachments.

Everything runs against the real test database and a real blob directory (conftest).
"""
import hashlib
import io
import json
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.cases import services as cases
from liuhen.cases.models import Case, CaseOfficer
from liuhen.cases.validators import id_check_char
from liuhen.ledger.core.canonical import content_sha256
from liuhen.ledger.models import Entry
from liuhen.ledger.subjects import plain
from liuhen.media import store
from liuhen.media.models import Blob
from liuhen.records import selectors, services
from liuhen.records.ledger_checks import keyed_sha256
from liuhen.records.models import (
    Attachment, Outcome, Record, RecordType, RecordVersion, RecordVoid, RefusalConfirmation, Signature, SignerRole,
)
from liuhen.testing.data import INSPECTION

PARTY_NAME = "王某"




def rtype(code):
    return RecordType.objects.get(code=code)


def party_id():
    first17 = "11010519491231002"
    return first17 + id_check_char(first17)


def add_party(world, case, name=PARTY_NAME):
    return cases.add_party(world.officer, case, kind="person", name=name, id_number=party_id())


def investigating(world, **kw):
    """A case with its party, moved to 调查取证 (where an inspection record belongs)."""
    case = world.open_case(**kw)
    add_party(world, case)
    return world.to_investigation(case)


def new_inspection(world, case=None, data=None):
    case = case or investigating(world)
    return services.create_record(world.officer, case, rtype("inspection_record"), dict(data or INSPECTION))


def counts():
    return Record.objects.count(), RecordVersion.objects.count(), Entry.objects.count()


def refresh(record):
    return Record.objects.get(pk=record.pk)


def messages_of(excinfo):
    return " ".join(excinfo.value.messages)


# ---- create_record: the schema decides ---------------------------------------------------


def test_create_stores_content_as_json_with_iso_dates_and_its_hash(world):
    case = investigating(world)
    record = new_inspection(world, case)
    v = RecordVersion.objects.get(record=record)
    assert v.number == 1 and v.reason == "" and v.author == world.officer
    assert v.content == {
        "time": "2026-03-02T09:30+08:00",  # Asia/Shanghai, offset kept
        "place": "某村三号取水口",
        "certificates_shown": True,
        "present": "村委会主任",
        "findings": "现场发现一台水泵正在取水，未见取水许可证。",
    }
    assert v.content_sha256 == content_sha256(v.content)
    assert len(v.content_sha256) == 64
    from django.db import connection
    with connection.cursor() as cur:  # the column holds JSON text, dates as ISO 8601 strings
        cur.execute("SELECT content FROM records_recordversion WHERE id = %s", [v.pk])
        raw = cur.fetchone()[0]
    assert json.loads(raw) == v.content and '"2026-03-02T09:30+08:00"' in raw
    # serial 1 is the 程序启动审批表 that took the case to 调查取证
    assert record.serial == 2 and record.stage == "investigation" and record.created_by == world.officer
    second = new_inspection(world, case)
    assert second.serial == 3
    entry = Entry.objects.filter(action="record.create", object_id=str(record.pk)).get()
    assert entry.object_type == "record" and entry.object_version == 1
    assert entry.actor_id == world.officer.pk


def test_create_date_field_stored_as_iso_date(world):
    case = world.open_case()
    record = services.create_record(world.officer, case, rtype("correction_notice"), {
        "matter": "取水许可申请", "materials_missing": "水资源论证报告", "deadline": "2026-04-01"})
    assert record.versions.get().content == {
        "matter": "取水许可申请", "materials_missing": "水资源论证报告", "deadline": "2026-04-01"}


@pytest.mark.parametrize("data, label", [
    ({k: v for k, v in INSPECTION.items() if k != "findings"}, "检查情况"),
    ({**INSPECTION, "place": ""}, "地点"),
    ({**INSPECTION, "certificates_shown": False}, "已出示执法证件"),
    ({k: v for k, v in INSPECTION.items() if k != "certificates_shown"}, "已出示执法证件"),
    ({**INSPECTION, "certificates_shown": "false"}, "已出示执法证件"),
    ({**INSPECTION, "time": "昨天上午"}, "时间"),
])
def test_create_refuses_invalid_content_and_writes_nothing(world, data, label):
    case = investigating(world)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        new_inspection(world, case, data)
    msgs = exc.value.messages
    assert any(m.startswith(f"{label}：") for m in msgs), msgs
    assert counts() == before


def test_create_refuses_impossible_date(world):
    case = world.open_case()
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.create_record(world.officer, case, rtype("correction_notice"), {
            "matter": "取水许可申请", "materials_missing": "论证报告", "deadline": "2026-02-30"})
    assert any(m.startswith("补正期限：") for m in exc.value.messages)
    assert counts() == before


def test_create_refused_for_officer_not_on_case(world):
    case = investigating(world)
    before = counts()
    with pytest.raises(PermissionDenied):
        services.create_record(world.outsider, case, rtype("inspection_record"), dict(INSPECTION))
    assert counts() == before


# ---- revise_record -------------------------------------------------------------------------


def test_revise_appends_version_two_and_keeps_version_one(world):
    record = new_inspection(world)
    v1 = record.versions.get()
    v1_content, v1_hash = dict(v1.content), v1.content_sha256
    v2 = services.revise_record(world.officer2, record, {**INSPECTION, "place": "某村四号取水口"}, "  地点笔误  ")
    assert v2.number == 2 and v2.reason == "地点笔误" and v2.author == world.officer2
    assert v2.content["place"] == "某村四号取水口"
    assert v2.content_sha256 == content_sha256(v2.content) != v1_hash
    again = RecordVersion.objects.get(pk=v1.pk)
    assert again.content == v1_content and again.content_sha256 == v1_hash and again.number == 1
    assert list(record.versions.values_list("number", flat=True)) == [1, 2]
    assert selectors.record_with_state(record.pk).latest.number == 2
    e = Entry.objects.get(action="record.version", object_id=str(record.pk))
    assert e.object_version == 2


def test_revise_requires_a_reason(world):
    record = new_inspection(world)
    before = counts()
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError) as exc:
            services.revise_record(world.officer, record, {**INSPECTION, "place": "别处"}, reason)
        assert "修改记录必须填写修改理由。" in exc.value.messages
    assert counts() == before


def test_revise_with_identical_content_refused(world):
    record = new_inspection(world)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.revise_record(world.officer, record, dict(INSPECTION), "再保存一次")
    assert exc.value.messages == ["内容没有变化。"]
    assert counts() == before


def test_revise_validates_against_schema(world):
    record = new_inspection(world)
    with pytest.raises(ValidationError) as exc:
        services.revise_record(world.officer, record, {**INSPECTION, "findings": ""}, "删掉检查情况")
    assert any(m.startswith("检查情况：") for m in exc.value.messages)
    assert record.versions.count() == 1


# ---- signing locks -------------------------------------------------------------------------


def test_officer_signature_locks_content_and_attachments(world):
    record = new_inspection(world)
    sig = services.sign_as_officer(world.officer, record)
    assert sig.role == SignerRole.OFFICER and sig.signer == world.officer and sig.signer_name == "张明"
    assert sig.outcome == Outcome.SIGNED and sig.version.number == 1 and len(sig.digest) == 64
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.revise_record(world.officer, refresh(record), {**INSPECTION, "place": "别处"}, "改地点")
    assert exc.value.messages == ["该记录已签字，不能修改；如有错误请作废后重新制作。"]
    with pytest.raises(ValidationError) as exc:
        services.attach(world.officer, refresh(record), io.BytesIO(b"photo"), "photo.jpg")
    assert exc.value.messages == ["该记录已签字，不能修改；如有错误请作废后重新制作。"]
    assert counts() == before
    assert Attachment.objects.count() == 0 and Blob.objects.count() == 0
    st = selectors.record_with_state(record.pk)
    assert st.locked and st.status_label == "签字中"
    assert st.missing == ["执法人员签字（还差1人）", "当事人签字"]


def test_same_officer_cannot_sign_twice(world):
    record = new_inspection(world)
    services.sign_as_officer(world.officer, record)
    with pytest.raises(ValidationError) as exc:
        services.sign_as_officer(world.officer, record)
    assert exc.value.messages == ["您已在该记录上签字。"]
    assert Signature.objects.filter(record=record).count() == 1


def test_officer_not_assigned_cannot_sign(world):
    record = new_inspection(world)
    for user in (world.officer3, world.outsider):  # same unit but not on the case; other unit
        with pytest.raises(PermissionDenied):
            services.sign_as_officer(user, record)
    assert not Signature.objects.filter(record=record).exists()


def test_officer_with_expired_certificate_cannot_sign(world):
    case = investigating(world)
    # 赵刚 was named on the case while his certificate was valid; it has expired since.
    CaseOfficer.objects.create(case=case, officer=world.expired, certificate_number="1401000004",
                               assigned_by=world.officer)
    record = new_inspection(world, case)
    with pytest.raises(ValidationError) as exc:
        services.sign_as_officer(world.expired, record)
    assert "过期" in messages_of(exc) and "赵刚" in messages_of(exc)
    assert not Signature.objects.filter(record=record).exists()


def test_leader_signature_requires_a_leader_role(world):
    case = world.open_case()
    record = services.create_record(world.officer, case, rtype("start_approval"), {
        "reason": "群众举报未经许可取水", "party": PARTY_NAME, "handler_opinion": "建议立案调查"})
    with pytest.raises(PermissionDenied):
        services.sign_as_leader(world.officer, record)
    assert not Signature.objects.filter(record=record).exists()
    services.sign_as_officer(world.officer, record)
    assert selectors.record_with_state(record.pk).missing == ["负责人签字"]
    sig = services.sign_as_leader(world.unit_head, record)
    assert sig.role == SignerRole.LEADER and sig.signer == world.unit_head
    st = selectors.record_with_state(record.pk)
    assert st.complete and st.status_label == "已完成"
    assert "start_approval" in selectors.complete_type_codes(case, "start")
    with pytest.raises(ValidationError) as exc:
        services.sign_as_leader(world.unit_head, record)
    assert exc.value.messages == ["您已在该记录上签字。"]


def test_agency_head_may_sign_as_leader(world):
    case = world.open_case()
    record = services.create_record(world.officer, case, rtype("start_approval"), {
        "reason": "群众举报未经许可取水", "party": PARTY_NAME, "handler_opinion": "建议立案调查"})
    services.sign_as_officer(world.officer, record)
    services.sign_as_leader(world.agency_head, record)
    assert selectors.record_with_state(record.pk).complete


# ---- refusal to sign (LQ 17) ---------------------------------------------------------------


def test_party_refusal_needs_a_reason(world):
    case = investigating(world)
    record = new_inspection(world, case)
    with pytest.raises(ValidationError) as exc:
        services.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name=PARTY_NAME,
                                        refused=True, reason="  ")
    assert exc.value.messages == ["记录拒绝签字必须写明拒签事由。"]
    assert not Signature.objects.filter(record=record).exists()


def test_refusal_stands_only_after_a_second_officer_confirms(world):
    case = investigating(world)
    record = new_inspection(world, case)
    services.sign_as_officer(world.officer, record)
    services.sign_as_officer(world.officer2, record)
    refusal = services.record_other_signature(world.officer, record, role=SignerRole.PARTY,
                                              signer_name=PARTY_NAME, refused=True, reason="当事人拒绝签字")
    assert refusal.outcome == Outcome.REFUSED and refusal.signer is None and refusal.recorded_by == world.officer
    assert refusal.refusal_reason == "当事人拒绝签字"
    assert list(refusal.confirmations.values_list("officer__username", flat=True)) == ["zhang"]
    st = selectors.record_with_state(record.pk)
    assert not st.complete and st.missing == ["当事人拒签须两名执法人员确认"]
    assert "inspection_record" not in selectors.complete_type_codes(case, "investigation")

    with pytest.raises(ValidationError) as exc:
        services.confirm_refusal(world.officer, refusal)
    assert exc.value.messages == ["您已确认过该拒签记录。"]
    with pytest.raises(PermissionDenied):
        services.confirm_refusal(world.officer3, refusal)  # not on the case
    assert RefusalConfirmation.objects.filter(signature=refusal).count() == 1

    services.confirm_refusal(world.officer2, refusal)
    st = selectors.record_with_state(record.pk)
    assert st.complete and st.missing == [] and st.status_label == "已完成"
    assert selectors.complete_type_codes(case, "investigation") == {"inspection_record"}
    with pytest.raises(ValidationError):
        services.confirm_refusal(world.officer2, refusal)
    assert RefusalConfirmation.objects.filter(signature=refusal).count() == 2


def test_confirming_a_plain_signature_is_refused(world):
    case = investigating(world)
    record = new_inspection(world, case)
    sig = services.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name=PARTY_NAME)
    with pytest.raises(ValidationError) as exc:
        services.confirm_refusal(world.officer2, sig)
    assert exc.value.messages == ["这不是拒绝签字记录。"]


def test_party_signature_with_a_name_not_on_the_case_refused(world):
    case = investigating(world)
    record = new_inspection(world, case)
    with pytest.raises(ValidationError) as exc:
        services.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name="李某")
    assert exc.value.messages == ["“李某”不是本案当事人。"]
    assert not Signature.objects.filter(record=record).exists()
    # a witness is not a party: any name is recorded
    sig = services.record_other_signature(world.officer, record, role=SignerRole.WITNESS, signer_name="李某")
    assert sig.role == SignerRole.WITNESS and sig.signer_name == "李某"


def test_party_signature_completes_with_two_officers(world):
    case = investigating(world)
    record = new_inspection(world, case)
    services.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name=f" {PARTY_NAME} ")
    assert selectors.record_with_state(record.pk).missing == ["执法人员签字（还差2人）"]
    services.sign_as_officer(world.officer, record)
    services.sign_as_officer(world.officer2, record)
    assert selectors.record_with_state(record.pk).complete


def test_officer_with_expired_certificate_cannot_confirm_a_refusal(world):
    case = investigating(world)
    CaseOfficer.objects.create(case=case, officer=world.expired, certificate_number="1401000004",
                               assigned_by=world.officer)
    record = new_inspection(world, case)
    refusal = services.record_other_signature(world.officer, record, role=SignerRole.PARTY,
                                              signer_name=PARTY_NAME, refused=True, reason="拒绝签字")
    with pytest.raises(ValidationError):
        services.confirm_refusal(world.expired, refusal)
    assert refusal.confirmations.count() == 1


# ---- void ----------------------------------------------------------------------------------


def _complete_start_approval(world, case):
    record = services.create_record(world.officer, case, rtype("start_approval"), {
        "reason": "群众举报", "party": PARTY_NAME, "handler_opinion": "建议立案"})
    services.sign_as_officer(world.officer, record)
    services.sign_as_leader(world.unit_head, record)
    return record


def test_void_requires_a_reason(world):
    record = new_inspection(world)
    for reason in ("", "  "):
        with pytest.raises(ValidationError) as exc:
            services.void_record(world.officer, record, reason)
        assert exc.value.messages == ["作废记录必须填写理由。"]
    assert not RecordVoid.objects.exists()


def test_voided_record_stays_marked_and_no_longer_counts(world):
    case = world.open_case()
    record = _complete_start_approval(world, case)
    assert selectors.complete_type_codes(case, "start") == {"start_approval"}
    void = services.void_record(world.officer, record, "  当事人名称有误  ")
    assert void.reason == "当事人名称有误" and void.actor == world.officer
    assert Record.objects.filter(pk=record.pk).exists()
    assert RecordVersion.objects.filter(record=record).count() == 1
    assert Signature.objects.filter(record=record).count() == 2
    st = selectors.record_with_state(record.pk)
    assert st.voided and not st.complete and st.status_label == "已作废"
    assert selectors.complete_type_codes(case, "start") == set()
    assert ("start_approval", "acceptance_notice") in cases.missing_requirements(case)
    assert Entry.objects.filter(action="record.void", object_id=str(record.pk)).count() == 1


def test_void_twice_refused(world):
    record = new_inspection(world)
    services.void_record(world.officer, record, "重复制作")
    with pytest.raises(ValidationError) as exc:
        services.void_record(world.officer2, refresh(record), "再次作废")
    assert exc.value.messages == ["该记录已作废。"]
    assert RecordVoid.objects.filter(record=record).count() == 1


def test_voided_record_cannot_be_signed_revised_or_attached(world):
    case = investigating(world)
    record = new_inspection(world, case)
    services.void_record(world.officer, record, "重复制作")
    record = refresh(record)
    with pytest.raises(ValidationError) as exc:
        services.sign_as_officer(world.officer, record)
    assert exc.value.messages == ["该记录已作废，不能签字。"]
    with pytest.raises(ValidationError):
        services.sign_as_leader(world.unit_head, record)
    with pytest.raises(ValidationError):
        services.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name=PARTY_NAME)
    with pytest.raises(ValidationError) as exc:
        services.revise_record(world.officer, record, {**INSPECTION, "place": "别处"}, "改")
    assert exc.value.messages == ["该记录已作废，不能修改。"]
    with pytest.raises(ValidationError):
        services.attach(world.officer, record, io.BytesIO(b"x"), "x.txt")
    assert not Signature.objects.filter(record=record).exists() and not Attachment.objects.exists()


# ---- attachments ---------------------------------------------------------------------------


def test_attach_stores_content_addressed_file(world):
    record = new_inspection(world)
    data = "现场照片".encode() + os.urandom(64)
    sha = hashlib.sha256(data).hexdigest()
    att = services.attach(world.officer, record, io.BytesIO(data), "现场照片1.jpg", "image/jpeg")
    assert att.filename == "现场照片1.jpg" and att.content_type == "image/jpeg" and att.uploaded_by == world.officer
    assert att.blob_id == sha and att.blob.size == len(data)
    path = store.path_for(sha)
    assert path.exists() and path.read_bytes() == data
    assert store.verify(sha)
    entry = Entry.objects.get(action="record.attach", object_id=str(record.pk))
    from liuhen.ledger.services import event_of
    assert event_of(entry)["blobs"] == [sha]
    assert event_of(entry)["detail"] == {"attachment": att.pk, "filename_sha256": keyed_sha256("filename", "现场照片1.jpg"),
                                         "content_type": "image/jpeg", "size": len(data),
                                         "at": plain(att.uploaded_at)}


def test_same_content_twice_is_one_blob(world):
    record = new_inspection(world)
    a = services.attach(world.officer, record, io.BytesIO(b"same bytes"), "a.txt")
    b = services.attach(world.officer, record, io.BytesIO(b"same bytes"), "b.txt")
    assert a.blob_id == b.blob_id and Blob.objects.count() == 1
    assert Attachment.objects.filter(record=record).count() == 2
    files = [p for p in store.path_for(a.blob_id).parent.iterdir()]
    assert files == [store.path_for(a.blob_id)]


def test_attach_empty_file_refused_without_trace(world, settings):
    record = new_inspection(world)
    entries = Entry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.attach(world.officer, record, io.BytesIO(b""), "empty.txt")
    assert "文件为空" in messages_of(exc)
    assert not Attachment.objects.exists() and not Blob.objects.exists()
    assert Entry.objects.count() == entries
    tmp = settings.LIUHEN_BLOB_DIR / "tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b.txt", "..\\x.txt", "..", "/abs.txt", "c:\\x.txt"])
def test_attach_refuses_names_that_try_a_path(world, settings, name):
    record = new_inspection(world)
    with pytest.raises(ValidationError) as exc:
        services.attach(world.officer, record, io.BytesIO(b"content"), name)
    assert "路径" in messages_of(exc)
    assert not Attachment.objects.exists() and not Blob.objects.exists()
    assert not settings.LIUHEN_BLOB_DIR.exists() or not any(p.is_file() for p in settings.LIUHEN_BLOB_DIR.rglob("*"))


def test_attach_refused_for_officer_not_on_case(world):
    record = new_inspection(world)
    with pytest.raises(PermissionDenied):
        services.attach(world.outsider, record, io.BytesIO(b"content"), "a.txt")
    assert not Attachment.objects.exists()


def test_signature_digest_covers_attachments(world):
    """The signed digest changes with the attachments present when signing."""
    case = investigating(world)
    r1 = new_inspection(world, case)
    r2 = new_inspection(world, case)
    services.attach(world.officer, r2, io.BytesIO(b"evidence"), "e.txt")
    s1 = services.sign_as_officer(world.officer, r1)
    s2 = services.sign_as_officer(world.officer, r2)
    assert s1.digest != s2.digest
    assert s1.version.content_sha256 == s2.version.content_sha256


def test_long_file_name_is_shortened_keeping_its_extension(world):
    record = new_inspection(world)
    att = services.attach(world.officer, record, io.BytesIO(b"x"), "现" * 300 + ".pdf")
    assert len(att.filename) == 200 and att.filename.endswith(".pdf") and att.filename.startswith("现现")


@pytest.mark.parametrize("name", ["a\x07b.txt", "a\nb.txt", "bad\x00.txt", "   "])
def test_attach_refuses_control_characters_and_blank_names(world, name):
    record = new_inspection(world)
    with pytest.raises(ValidationError):
        services.attach(world.officer, record, io.BytesIO(b"x"), name)
    assert not Attachment.objects.exists()


# ---- a record read through the selectors (prefetched) is as locked as a fresh one ------------


def test_signed_record_cannot_be_revised_through_a_selector_instance(world):
    record = new_inspection(world)
    st = selectors.record_with_state(record.pk)  # what a list page or an API handler holds
    services.sign_as_officer(world.officer, st.record)
    with pytest.raises(ValidationError):
        services.revise_record(world.officer, st.record, {**INSPECTION, "place": "别处"}, "签字后改地点")
    assert RecordVersion.objects.filter(record=record).count() == 1


def test_signed_record_cannot_get_attachments_through_a_selector_instance(world):
    record = new_inspection(world)
    st = selectors.record_with_state(record.pk)
    services.sign_as_officer(world.officer, st.record)
    with pytest.raises(ValidationError):
        services.attach(world.officer, st.record, io.BytesIO(b"added after signing"), "late.txt")
    assert not Attachment.objects.filter(record=record).exists()


def test_officer_with_expired_certificate_cannot_record_a_refusal(world):
    case = investigating(world)
    CaseOfficer.objects.create(case=case, officer=world.expired, certificate_number="1401000004",
                               assigned_by=world.officer)
    record = new_inspection(world, case)
    with pytest.raises(ValidationError):
        services.record_other_signature(world.expired, record, role=SignerRole.PARTY, signer_name=PARTY_NAME,
                                        refused=True, reason="拒绝签字")
    assert not Signature.objects.filter(record=record).exists()


# ---- more schema field types ---------------------------------------------------------------


def test_choice_and_integer_fields(world):
    case = investigating(world)
    seizure = {"time": "2026-03-02 10:00", "place": "仓库", "measure": "扣押", "items": "水泵一台", "basis": "水法"}
    r = services.create_record(world.officer, case, rtype("seizure_record"), seizure)
    assert r.versions.get().content["measure"] == "扣押"
    assert r.versions.get().content["time"] == "2026-03-02T10:00+08:00"
    with pytest.raises(ValidationError) as exc:
        services.create_record(world.officer, case, rtype("seizure_record"), {**seizure, "measure": "没收"})
    assert any(m.startswith("措施：") for m in exc.value.messages)
    # The stage machine's last stage, set directly: reaching it is tested in cases.
    Case.objects.filter(pk=case.pk).update(stage="archive")
    archive = {"file_count": "12", "av_count": "3", "archived_on": "2026-05-01", "archivist": "档案员"}
    r = services.create_record(world.officer, case, rtype("archive_register"), archive)
    assert r.versions.get().content == {"file_count": 12, "av_count": 3, "archived_on": "2026-05-01",
                                         "archivist": "档案员"}
    for bad in ("-1", "十二"):
        with pytest.raises(ValidationError) as exc:
            services.create_record(world.officer, case, rtype("archive_register"), {**archive, "file_count": bad})
        assert any(m.startswith("卷内文件数：") for m in exc.value.messages)
    assert Record.objects.filter(case=case).exclude(record_type__code="start_approval").count() == 2


def test_inactive_record_type_refused(world):
    case = investigating(world)
    rt = rtype("expert_opinion")
    rt.active = False
    rt.save()
    with pytest.raises(ValidationError) as exc:
        services.create_record(world.officer, case, rt, {"institution": "某鉴定所", "subject": "水量",
                                                          "opinion": "超量"})
    assert exc.value.messages == ["该记录类型已停用。"]
    assert not Record.objects.filter(record_type=rt).exists()


# ---- archived cases ------------------------------------------------------------------------


def _archive(case):
    from django.utils import timezone

    from liuhen.cases.models import Case

    # The stage machine's end state, set directly: reaching it through five stages is tested in cases.
    Case.objects.filter(pk=case.pk).update(archived_at=timezone.now())


def test_records_of_an_archived_case_cannot_change(world):
    case = investigating(world)
    record = new_inspection(world, case)
    _archive(case)
    record = refresh(record)
    for call in (
        lambda: services.sign_as_officer(world.officer, record),
        lambda: services.sign_as_leader(world.unit_head, record),
        lambda: services.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name=PARTY_NAME),
        lambda: services.revise_record(world.officer, record, {**INSPECTION, "place": "别处"}, "改"),
        lambda: services.attach(world.officer, record, io.BytesIO(b"x"), "x.txt"),
        lambda: services.void_record(world.officer, record, "作废"),
    ):
        with pytest.raises(PermissionDenied) as exc:
            call()
        assert str(exc.value) == "案件已归档，不能再修改。"
    assert not Signature.objects.filter(record=record).exists() and not RecordVoid.objects.exists()
    assert RecordVersion.objects.filter(record=record).count() == 1


@pytest.mark.parametrize("op", ["sign", "revise", "void"])
def test_case_archived_after_the_record_was_loaded_blocks_changes(world, op):
    case = investigating(world)
    record = new_inspection(world, case)
    loaded = Record.objects.select_related("case").get(pk=record.pk)  # as a view loads it
    _archive(case)  # a concurrent request archives the case before this one writes
    with pytest.raises(PermissionDenied):
        if op == "sign":
            services.sign_as_officer(world.officer, loaded)
        elif op == "revise":
            services.revise_record(world.officer, loaded, {**INSPECTION, "place": "别处"}, "改")
        else:
            services.void_record(world.officer, loaded, "作废")
