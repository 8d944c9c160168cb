"""`liuhen verify` tells a purged blob (its bytes deleted with a media.purge row and event: a line
of information, exit 0) from a blob gone without one (missing: footage.E004). A purge row inserted
behind the log's back is itself a finding (media.E003), an altered one media.E002, and a deleted
one makes its blob missing again (media.E004 and footage.E004)."""
import io

import pytest
from django.core.management import call_command

from liuhen.footage import vocabulary as fv
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.media import store
from liuhen.media import vocabulary as mv
from liuhen.media.models import BlobPurge
from liuhen.testing.media import remove_raw, store_backend  # noqa: F401  (fixture)
from liuhen.testing.demo import put_scene_files
from liuhen.testing.retention import purge
from liuhen.testing.snapshots import restored
from liuhen.testing.tampering import drop_append_only, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def purged(db, fresh_home, tmp_path, tmp_path_factory, django_db_blocker, store_backend):  # noqa: F811
    # The world verifying clean, the two clips, the notice, the hold and the removal: built once per
    # run (liuhen.testing.purge_scene) and copied in with its keys, its files put into the store
    # under test; the purge runs here, on that store.
    files = tmp_path / "scene-blobs"
    _world, gone, kept = restored("liuhen.testing.purge_scene:removed_scene", fresh_home, files, tmp_path_factory,
                                  django_db_blocker)
    put_scene_files(files)
    assert purge().code == 0
    assert not store.exists(gone.blob_id) and store.exists(kept.blob_id)
    integrate_all()
    return gone, kept, store_backend


def verify_cli():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_a_purged_blob_is_reported_as_purged_not_missing(purged):
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    code, out, _ = verify_cli()
    assert code == 0 and "1 个存储文件已按保存期限清除" in out and "通过" in out


def test_a_blob_gone_without_a_purge_is_missing(purged):
    gone, kept, backend = purged
    remove_raw(backend, kept.blob_id)
    report = verify_log()
    missing = [f for f in report.findings if f.code == fv.E004]
    assert [f.object for f in missing] == [f"footage:{kept.pk} blob:{kept.blob_id}"]
    assert verify_cli()[0] == 1


def test_a_purge_row_inserted_by_sql_is_a_finding(purged):
    gone, kept, backend = purged
    remove_raw(backend, kept.blob_id)  # the bytes deleted, and a purge row forged to cover it
    sql("INSERT INTO media_blobpurge (blob_id, size, reason, purged_at) VALUES (%s, %s, %s, %s)",
        [kept.blob_id, kept.size, "伪造", "2026-01-01 00:00:00+00:00"])
    report = verify_log()
    inserted = [f for f in report.findings if f.code == mv.E003]
    assert [f.object for f in inserted] == [f"media_purge:{kept.blob_id}"] and inserted[0].kind == "inserted"


def test_a_purge_row_deleted_makes_the_blob_missing_again(purged):
    gone, kept, backend = purged
    drop_append_only(BlobPurge._meta.db_table)
    sql("DELETE FROM media_blobpurge WHERE blob_id = %s", [gone.blob_id])
    report = verify_log()
    codes = {f.code for f in report.findings}
    assert {mv.E004, fv.E004} <= codes
    assert [f.object for f in report.findings if f.code == fv.E004] == [f"footage:{gone.pk} blob:{gone.blob_id}"]


def test_a_purge_row_altered_is_a_finding(purged):
    gone, kept, backend = purged
    drop_append_only(BlobPurge._meta.db_table)
    sql("UPDATE media_blobpurge SET reason = %s WHERE blob_id = %s", ["改过的依据", gone.blob_id])
    report = verify_log()
    assert [f.kind for f in report.findings if f.code == mv.E002] == ["altered"]


def test_store_delete_is_idempotent(purged):
    gone, kept, backend = purged
    assert store.delete(gone.blob_id) is False  # already gone: no error
    with pytest.raises(ValueError):
        store.delete("not-a-sha")


def test_the_bundle_and_its_offline_verifier_take_a_purged_blob_as_purged(purged, tmp_path):
    from liuhen.ledger.core.bundle import verify_bundle
    from liuhen.ledger.exports import export_bundle

    gone, kept, backend = purged
    summary = export_bundle(tmp_path / "bundle")
    assert summary["problems"] == []
    problems = verify_bundle(tmp_path / "bundle")
    # The purged file is not missing (a media.purge leaf names it); footage still present is not in
    # a bundle today (no exporter copies footage), and the verifier still says so.
    assert not [p for p in problems if gone.blob_id in p]
    assert [p for p in problems if kept.blob_id in p]
