"""`liuhen verify` holds uploads and their ends to what the log recorded: an upload moved to another
device or given another declared hash by SQL, an end's result or confirmation changed, an end
inserted or deleted."""
import datetime

import pytest
from django.utils import timezone

from liuhen.footage import vocabulary as v
from liuhen.footage.models import Upload, UploadEnd
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.footage import video
from liuhen.testing.ingest import NUMBER, iso_utc, signed_out_camera
from liuhen.testing.tampering import drop_append_only, found, sql
from liuhen.testing.uploads import Api, station, staging  # noqa: F401  (staging: the fixture)

pytestmark = pytest.mark.usefixtures("fresh_home", "staging")


@pytest.fixture
def uploaded(verified_world, tmp_path):
    world = verified_world
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    when = timezone.now() + datetime.timedelta(seconds=5)
    data = video(tmp_path / "v.mp4", 0.5, creation_time=iso_utc(when)).read_bytes()
    assert api.upload("VID_0001.MP4", data, NUMBER).json()["status"] == "new"
    api.declare("VID_0002.MP4", b"x" * 10, NUMBER)  # unfinished
    api.declare("../bad", b"x", NUMBER)  # refused: a read about the holding area
    api.confirm(["0" * 64])
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world, Upload.objects.get(name="VID_0001.MP4"), UploadEnd.objects.get()


def test_upload_declared_hash_changed_by_sql(uploaded):
    world, up, end = uploaded
    drop_append_only(Upload._meta.db_table)
    sql("UPDATE footage_upload SET sha256 = %s WHERE id = %s", ["0" * 64, up.pk])
    f = found(verify_log(), "altered", f"footage_upload:{up.pk}", Entry.objects.get(action=v.UPLOAD,
                                                                                  object_id=str(up.pk)))
    assert f.code == v.E017


def test_upload_end_result_changed_and_deleted_by_sql(uploaded):
    world, up, end = uploaded
    drop_append_only(UploadEnd._meta.db_table)
    sql("UPDATE footage_uploadend SET confirmed = %s, status = 'duplicate' WHERE id = %s", [False, end.pk])
    assert found(verify_log(), "altered", f"footage_upload_end:{end.pk}").code == v.E020
    sql("DELETE FROM footage_uploadend WHERE id = %s", [end.pk])
    assert found(verify_log(), "deleted", f"footage_upload_end:{end.pk}").code == v.E022


def test_upload_end_inserted_by_sql(uploaded):
    world, up, end = uploaded
    other = Upload.objects.get(name="VID_0002.MP4")
    sql("INSERT INTO footage_uploadend (upload_id, status, sha256, reason, confirmed, ended_at) "
        "VALUES (%s, 'new', '', '', %s, %s)", [other.pk, True, timezone.now()])
    new = UploadEnd.objects.get(upload=other)
    assert found(verify_log(), "inserted", f"footage_upload_end:{new.pk}").code == v.E021
    sql("INSERT INTO footage_upload (key, agency_id, ingest_id, device_id, name, relative_path, size, sha256, "
        "created_at) SELECT 'k' || substr(key, 2), agency_id, ingest_id, device_id, name, relative_path, size, sha256, "
        "created_at FROM footage_upload WHERE id = %s", [other.pk])
    added = Upload.objects.exclude(pk__in=[up.pk, other.pk]).get()
    assert found(verify_log(), "inserted", f"footage_upload:{added.pk}").code == v.E018
