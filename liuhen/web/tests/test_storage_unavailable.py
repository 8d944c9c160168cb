"""Uploads when the store cannot keep the file: a full disk (a real 1 MiB tmpfs) and the S3 service
stopped (a SeaweedFS of the test's own). The answer is the Chinese 507 page — never a 500 —
nothing of the refused upload is visible on the record, what was typed comes back in a form that
posts again, and the refusal is in the ledger. A download while the S3 service is down: 503."""
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.media.models import Blob
from liuhen.records.models import Attachment, Supplement, SupplementFile
from liuhen.testing.media import small_disk  # noqa: F401  (fixture)
from liuhen.testing.records import signed_inspection
from liuhen.testing.seaweedfs import own_seaweedfs  # noqa: F401  (fixture)
from liuhen.testing.web import inspection_record

MiB = 1024 * 1024
MESSAGE = "存储空间不足或存储服务不可用，文件未保存，请稍后重试。"
NOTE = "签字纸质件照片（当事人王建国，2026年12月1日补签）"




def refusals_with(status: int) -> list[dict]:
    """The web.refused events (as logged) of answers with this status."""
    events = [event_of(e) | {"actor_id": e.actor_id} for e in Entry.objects.filter(action="web.refused").order_by("pk")]
    return [ev for ev in events if ev["detail"].get("status") == status]


def assert_507_page(response):
    assert response.status_code == 507
    page = response.content.decode()
    assert MESSAGE in page and "文件未保存" in page and "重新提交" in page
    assert response["Retry-After"] == "60"
    return page


def test_full_disk_supplement_is_a_507_with_the_note_kept(client, world, small_disk):
    record = signed_inspection(world)
    blobs_before = Blob.objects.count()
    client.force_login(world.officer)
    url = reverse("records:supplement", args=[record.pk])
    response = client.post(url, {"note": NOTE, "files": [
        SimpleUploadedFile("纸质件.jpg", os.urandom(2 * MiB), "image/jpeg")]},
        HTTP_REFERER=f"http://testserver{reverse('records:detail', args=[record.pk])}")
    page = assert_507_page(response)
    # what was typed, back in a form that posts to the same place; the file to be chosen again
    assert f'value="{NOTE}"' in page and f'action="{url}"' in page
    assert 'type="file" name="files"' in page
    # nothing partial: no supplement, no file row, no new blob row, no temporary file left on the disk
    assert not Supplement.objects.exists() and not SupplementFile.objects.exists()
    assert Blob.objects.count() == blobs_before
    assert [p for p in small_disk.rglob("*") if p.is_file()] == []
    [refusal] = refusals_with(507)
    assert refusal["actor_id"] == world.officer.pk and refusal["detail"]["codes"] == ["storage_full"]
    # the record page shows no supplement either
    detail = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "纸质件.jpg" not in detail


def test_s3_down_attach_is_a_507_and_a_download_a_503(client, world, own_seaweedfs):
    record = inspection_record(world)
    client.force_login(world.officer)
    kept = client.post(reverse("records:attach", args=[record.pk]),
                       {"file": SimpleUploadedFile("现场.jpg", b"stored while the service was up", "image/jpeg")})
    assert kept.status_code == 302
    att = Attachment.objects.get()
    own_seaweedfs.stop()

    response = client.post(reverse("records:attach", args=[record.pk]),
                           {"file": SimpleUploadedFile("第二张.jpg", b"while it is down", "image/jpeg")})
    page = assert_507_page(response)
    assert 'type="file" name="file"' in page
    assert list(Attachment.objects.all()) == [att]
    [refusal] = refusals_with(507)
    assert refusal["detail"]["codes"] == ["storage_unavailable"]

    response = client.get(reverse("records:download", args=[att.pk]))
    assert response.status_code == 503 and "存储服务暂时不可用" in response.content.decode()
    assert len(refusals_with(503)) == 1


def test_s3_down_supplement_keeps_every_field(client, world, own_seaweedfs):
    record = signed_inspection(world)
    own_seaweedfs.stop()
    client.force_login(world.officer)
    long_note = NOTE + "\n第二行：另附补充说明。"
    response = client.post(reverse("records:supplement", args=[record.pk]), {
        "note": long_note, "files": [SimpleUploadedFile("a.jpg", b"first", "image/jpeg"),
                                     SimpleUploadedFile("b.pdf", b"second", "application/pdf")]})
    page = assert_507_page(response)
    assert f">{long_note}</textarea>" in page  # a note of two lines comes back in a text area
    assert 'type="file" name="files" id="retry-file-1" multiple' in page
    assert not Supplement.objects.exists() and not SupplementFile.objects.exists()
