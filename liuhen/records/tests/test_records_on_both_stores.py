"""Records' files on either blob store backend (local disk, S3 on SeaweedFS): downloads stream them,
the offline bundle copies them through the store, and `liuhen verify` names a flipped byte or a
lost object in either."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from liuhen.ledger.core import bundle
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.media import store
from liuhen.records import services
from liuhen.records import vocabulary as V
from liuhen.records.models import RecordType
from liuhen.testing.data import INSPECTION
from liuhen.testing.ledger import findings_of
from liuhen.testing.media import flip_byte, read_raw, remove_raw, store_backend  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_home")

PHOTO = "现场照片".encode() + bytes(range(256)) * 40


@pytest.fixture
def attached(world, store_backend):
    case = world.to_investigation(world.open_case())
    record = services.create_record(world.officer, case, RecordType.objects.get(code="inspection_record"),
                                    dict(INSPECTION))
    att = services.attach(world.officer, record, io.BytesIO(PHOTO), "现场照片.jpg", "image/jpeg")
    assert read_raw(store_backend, att.blob_id) == PHOTO  # really in the chosen backend
    return record, att


def test_download_streams_the_file_from_the_store(client, world, attached):
    record, att = attached
    client.force_login(world.officer)
    response = client.get(reverse("records:download", args=[att.pk]))
    assert response.status_code == 200
    assert int(response["Content-Length"]) == len(PHOTO)
    assert b"".join(response.streaming_content) == PHOTO


def test_verify_names_a_flipped_byte_and_a_lost_object(world, attached, store_backend):
    record, att = attached
    integrate_all()
    assert verify_log().ok
    flip_byte(store_backend, att.blob_id)
    report = verify_log()
    [f] = findings_of(report, "altered", f"record:{record.pk} attachment:{att.pk}")
    assert f.code == V.E012 and att.blob_id[:12] in f.message and "现场照片.jpg" in f.message
    remove_raw(store_backend, att.blob_id)
    [f] = findings_of(verify_log(), "altered", f"record:{record.pk} attachment:{att.pk}")
    assert f.code == V.E012


def test_bundle_copies_files_through_the_store_and_names_a_lost_one(world, attached, store_backend, tmp_path):
    record, att = attached
    path = tmp_path / "bundle"
    call_command("export_bundle", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert (path / "blobs" / att.blob_id).read_bytes() == PHOTO
    assert bundle.verify_bundle(path) == []
    remove_raw(store_backend, att.blob_id)
    lost = tmp_path / "bundle-lost"
    err = io.StringIO()
    with pytest.raises(CommandError, match="不完整"):
        call_command("export_bundle", str(lost), stdout=io.StringIO(), stderr=err)
    assert f"blobs/{att.blob_id}" in err.getvalue() and not (lost / "blobs" / att.blob_id).exists()
    assert not store.exists(att.blob_id)
