"""补充材料: files added to a signed record as a ledgered addition (issue 12 §2)."""
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liuhen.ledger.core.canonical import content_sha256
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.tampering import drop_append_only, found, sql
from liuhen.ledger.verify import verify_log
from liuhen.media import store
from liuhen.records import selectors, services
from liuhen.records.ledger_checks import keyed_sha256
from liuhen.records.models import Signature, Supplement
from liuhen.testing.records import INSPECTION, investigating, rtype, signed_inspection

pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no checkpoint or tile from another tree

PHOTO, SCAN = b"\xff\xd8photo of the signed paper" * 10, b"%PDF-1.4 later document" * 10


def add(world, record, note="签字纸质件照片"):
    return services.add_supplement(world.officer, record, [(io.BytesIO(PHOTO), "纸质件.jpg", "image/jpeg"),
                                                          (io.BytesIO(SCAN), "补充说明.pdf", "application/pdf")], note)


def test_supplement_leaves_the_signed_version_untouched(world):
    record = signed_inspection(world, files=[("现场.jpg", b"original")])
    digests = list(Signature.objects.filter(record=record).values_list("digest", flat=True))
    sup = add(world, record)
    assert [(f.filename, f.blob_id, f.blob.size) for f in sup.files.all()] == [
        ("纸质件.jpg", hashlib.sha256(PHOTO).hexdigest(), len(PHOTO)),
        ("补充说明.pdf", hashlib.sha256(SCAN).hexdigest(), len(SCAN))]
    assert all(store.verify(f.blob_id) for f in sup.files.all())
    st = selectors.record_with_state(record.pk)
    assert st.complete and st.latest.number == 1 and record.attachments.count() == 1
    assert list(Signature.objects.filter(record=record).values_list("digest", flat=True)) == digests
    e = event_of(Entry.objects.get(action="record.supplement", object_id=str(record.pk)))
    assert sorted(e["blobs"]) == sorted([hashlib.sha256(PHOTO).hexdigest(), hashlib.sha256(SCAN).hexdigest()])
    assert e["detail"]["note_keyed"] == keyed_sha256("note", "签字纸质件照片")
    assert "签字纸质件照片" not in str(e)  # the note's hash, not its text
    assert "纸质件.jpg" not in str(e) and "补充说明.pdf" not in str(e)  # nor the file names (review §7)
    assert verify_log().ok


def test_supplement_only_on_a_signed_live_record(world):
    case = investigating(world)
    draft = services.create_record(world.officer, case, rtype("inspection_record"), dict(INSPECTION))
    with pytest.raises(ValidationError, match="尚未签字，请直接上传附件"):
        add(world, draft)
    record = signed_inspection(world, case)
    with pytest.raises(ValidationError, match="请选择要补充的文件"):
        services.add_supplement(world.officer, record, [])
    with pytest.raises(ValidationError, match="路径"):
        services.add_supplement(world.officer, record, [(io.BytesIO(b"x"), "../etc/passwd", "")])
    services.void_record(world.officer, record, "重做")
    with pytest.raises(ValidationError, match="已作废"):
        add(world, record)
    assert not Supplement.objects.exists()


def test_supplement_page_several_files_and_the_camera(client, world):
    record = signed_inspection(world)
    client.force_login(world.officer)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert 'type="file" name="files" id="id_supplement_files" multiple' in page
    assert 'accept="image/*,video/*,application/pdf" capture="environment"' in page
    response = client.post(reverse("records:supplement", args=[record.pk]), {
        "files": [SimpleUploadedFile("纸质件.jpg", PHOTO, "image/jpeg"),
                  SimpleUploadedFile("补充说明.pdf", SCAN, "application/pdf")],
        "note": "签字纸质件照片"})
    assert response.status_code == 302
    sup = Supplement.objects.get(record=record)
    assert sup.files.count() == 2 and sup.note == "签字纸质件照片" and sup.added_by == world.officer
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    section = page[page.index('id="supplements"'):page.index('id="signatures"')]
    assert "纸质件.jpg" in section and "补充说明.pdf" in section and "签字纸质件照片" in section
    f = sup.files.get(filename="纸质件.jpg")
    response = client.get(reverse("records:supplement_download", args=[f.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PHOTO
    assert Entry.objects.filter(action="record.download", object_id=str(record.pk)).exists()
    client.force_login(world.officer3)  # sees the case, does not work on it
    assert client.post(reverse("records:supplement", args=[record.pk]),
                       {"files": [SimpleUploadedFile("x.jpg", b"x")]}).status_code == 403


# ---- verify ---------------------------------------------------------------------------------------

@pytest.fixture
def supplemented(verified_world):
    record = signed_inspection(verified_world)
    sup = add(verified_world, record)
    assert verify_log().ok
    drop_append_only("records_supplement", "records_supplementfile")
    return record, sup


@pytest.mark.parametrize("table, column, value", [
    ("records_supplement", "note", "改过的说明"),
    ("records_supplement", "added_at", "2020-01-01 00:00:00"),
    ("records_supplementfile", "filename", "别的.jpg"),
])
def test_altered_supplement_is_found(supplemented, table, column, value):
    record, sup = supplemented
    key = "id" if table == "records_supplement" else "supplement_id"
    assert sql(f"UPDATE {table} SET {column} = %s WHERE {key} = %s", [value, sup.pk]) >= 1
    f = found(verify_log(), "altered", f"record:{record.pk} supplement:{sup.pk}")
    assert f.code == "records.E027"


def test_deleted_file_and_inserted_supplement_are_found(supplemented, verified_world):
    record, sup = supplemented
    sql("DELETE FROM records_supplementfile WHERE id = %s", [sup.files.first().pk])
    assert found(verify_log(), "altered", f"record:{record.pk} supplement:{sup.pk}").code == "records.E027"
    other = Supplement(record=record, note="", added_by=verified_world.officer)
    other.save()
    assert found(verify_log(), "inserted", f"record:{record.pk} supplement:{other.pk}").code == "records.E029"
    sql("DELETE FROM records_supplementfile WHERE supplement_id = %s", [sup.pk])
    sql("DELETE FROM records_supplement WHERE id = %s", [sup.pk])
    assert found(verify_log(), "deleted", f"record:{record.pk}").code == "records.E026"


def test_replaced_blob_of_a_supplement_is_found(supplemented):
    record, sup = supplemented
    f = sup.files.first()
    store.path_for(f.blob_id).write_bytes(b"something else")
    assert found(verify_log(), "altered", f"record:{record.pk} supplement:{sup.pk}").code == "records.E028"


def test_blob_size_changed_is_found(supplemented):
    record, sup = supplemented
    f = sup.files.first()
    drop_append_only("media_blob")
    sql("UPDATE media_blob SET size = size + 1 WHERE sha256 = %s", [f.blob_id])
    assert found(verify_log(), "altered", f"record:{record.pk} supplement:{sup.pk}").code == "records.E027"
