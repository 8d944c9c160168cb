"""`liuhen verify` holds footage to what the log recorded: an item re-attributed by SQL, a link
deleted, a row inserted, and a byte flipped in a stored video — each named with its code."""
import os

import pytest

from liuhen.footage import vocabulary as v
from liuhen.footage.models import FootageItem, FootageLink, FootageUnlink
from liuhen.ledger.models import Entry
from liuhen.ledger.verify import verify_log
from liuhen.media import store
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def stored(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in with its keys and files (liuhen.testing.demo): tamper_scene
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.ingest:tamper_scene", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    return restore_scene(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)


def test_item_reattributed_by_sql(stored):
    world, a, *_ = stored
    drop_append_only(FootageItem._meta.db_table)
    sql("UPDATE footage_footageitem SET officer_id = %s WHERE id = %s", [world.officer3.pk, a.pk])
    f = found(verify_log(), "altered", f"footage:{a.pk}", Entry.objects.get(action=v.ADD, object_id=str(a.pk)))
    assert f.code == v.E001


def test_item_flags_cleared_by_sql(stored):
    world, a, *_ = stored
    drop_append_only(FootageItem._meta.db_table)
    sql("UPDATE footage_footageitem SET flags = %s, recorded_local = %s WHERE id = %s",
        ['["not_signed_out"]', "2020-01-01T00:00:00", a.pk])
    assert found(verify_log(), "altered", f"footage:{a.pk}").code == v.E001


def test_item_deleted_and_inserted_by_sql(stored):
    world, a, b, link, link2 = stored
    drop_append_only(FootageItem._meta.db_table, "footage_footagemark")
    sql("DELETE FROM footage_footagemark WHERE item_id = %s", [b.pk])
    sql("DELETE FROM footage_footageitem WHERE id = %s", [b.pk])
    report = verify_log()
    assert found(report, "deleted", f"footage:{b.pk}").code == v.E003
    assert [f for f in report.findings if f.code == v.E016]
    # A forged item in b's place: its blob is stored, but no event logged the row.
    sql("INSERT INTO footage_footageitem (agency_id, ingest_id, device_id, blob_id, name, relative_path, size, kind,"
        " facts, recorded_local, time_source, ingested_at, discrepancies, flags)"
        " SELECT agency_id, ingest_id, device_id, %s, 'X.MP4', relative_path, size, kind, facts, recorded_local,"
        " time_source, ingested_at, discrepancies, flags FROM footage_footageitem WHERE id = %s", [b.blob_id, a.pk])
    new = FootageItem.objects.get(name="X.MP4")
    assert found(verify_log(), "inserted", f"footage:{new.pk}").code == v.E002


def test_row_inserted_by_sql(stored):
    world, a, b, *_ = stored
    sql("INSERT INTO footage_footagemark (item_id, important, marked_by_id, marked_at)"
        " SELECT item_id, false, marked_by_id, marked_at FROM footage_footagemark WHERE item_id = %s", [b.pk])
    new = max(m.pk for m in b.marks.all())
    assert found(verify_log(), "inserted", f"footage_mark:{new}").code == v.E015


def test_link_deleted_and_unlink_deleted_by_sql(stored):
    world, a, b, link, link2 = stored
    drop_append_only(FootageLink._meta.db_table, FootageUnlink._meta.db_table)
    unl = FootageUnlink.objects.get(link=link)
    sql("DELETE FROM footage_footageunlink WHERE id = %s", [unl.pk])
    report = verify_log()
    assert found(report, "deleted", f"footage_unlink:{unl.pk}").code == v.E013
    sql("UPDATE footage_footagelink SET stage = 'decision' WHERE id = %s", [link2.pk])
    assert found(verify_log(), "altered", f"footage_link:{link2.pk}").code == v.E008


def test_blob_byte_flipped(stored):
    world, a, *_ = stored
    path = store.path_for(a.blob_id)
    os.chmod(path, 0o640)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    f = found(verify_log(), "altered", f"footage:{a.pk} blob:{a.blob_id}")
    assert f.code == v.E004 and "A.MP4" in f.message


def test_blob_gone(stored):
    world, a, b, *_ = stored
    os.unlink(store.path_for(b.blob_id))
    assert found(verify_log(), "altered", f"footage:{b.pk} blob:{b.blob_id}").code == v.E004
