"""`liuhen verify` holds every retention row to what the log recorded: a hold deleted by SQL (the
footage unfrozen), a ground's kind changed, a notice inserted (a file "announced" behind the
custodians' backs), a removal deleted, a restoration altered — each named with its code."""
import pytest

from liuhen.ledger.verify import verify_log
from liuhen.retention import vocabulary as v
from liuhen.retention.models import LegalHold, LongTermGround, PurgeNotice, Removal, Restoration
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def rows(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in with its keys and files (liuhen.testing.demo): tamper_scene
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.retention:tamper_scene", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    return restore_scene(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)


def test_a_ground_altered(rows):
    drop_append_only(LongTermGround._meta.db_table)
    sql("UPDATE retention_longtermground SET kind = 'important' WHERE id = %s", [rows["obstruction"].pk])
    assert found(verify_log(), "altered", f"retention_ground:{rows['obstruction'].pk}").code == v.E001


def test_a_withdrawal_deleted_and_a_ground_inserted(rows):
    drop_append_only(LongTermGround._meta.db_table)
    sql("DELETE FROM retention_longtermground WHERE id = %s", [rows["withdrawal"].pk])
    assert found(verify_log(), "deleted", f"retention_ground:{rows['withdrawal'].pk}").code == v.E003
    sql("INSERT INTO retention_longtermground (agency_id, kind, case_id, item_id, reason, made_by_id, made_at)"
        " SELECT agency_id, 'important', case_id, item_id, reason, made_by_id, made_at FROM retention_longtermground"
        " WHERE id = %s", [rows["obstruction"].pk])
    new = LongTermGround.objects.order_by("-pk").first()
    assert found(verify_log(), "inserted", f"retention_ground:{new.pk}").code == v.E002


def test_a_hold_release_deleted_and_a_hold_altered(rows):
    drop_append_only(LegalHold._meta.db_table)
    sql("UPDATE retention_legalhold SET reason = 'x' WHERE id = %s", [rows["hold"].pk])
    assert found(verify_log(), "altered", f"retention_hold:{rows['hold'].pk}").code == v.E004
    sql("DELETE FROM retention_legalhold WHERE id = %s", [rows["release"].pk])
    assert found(verify_log(), "deleted", f"retention_hold:{rows['release'].pk}").code == v.E006


def test_a_hold_inserted(rows):
    sql("INSERT INTO retention_legalhold (agency_id, case_id, item_id, reason, made_by_id, made_at)"
        " SELECT agency_id, case_id, item_id, reason, made_by_id, made_at FROM retention_legalhold WHERE id = %s",
        [rows["hold"].pk])
    new = LegalHold.objects.order_by("-pk").first()
    assert found(verify_log(), "inserted", f"retention_hold:{new.pk}").code == v.E005


def test_notices_altered_inserted_deleted(rows):
    notice = rows["notice"]
    drop_append_only(PurgeNotice._meta.db_table, Removal._meta.db_table)
    sql("UPDATE retention_purgenotice SET announced_at = %s WHERE id = %s", ["2025-01-01 00:00:00+00:00", notice.pk])
    assert found(verify_log(), "altered", f"retention_notice:{notice.pk}").code == v.E007
    sql("INSERT INTO retention_purgenotice (item_id, due, retention_class, announced_at)"
        " SELECT item_id, '2020-01-01', retention_class, announced_at FROM retention_purgenotice WHERE id = %s",
        [notice.pk])
    new = PurgeNotice.objects.order_by("-pk").first()
    assert found(verify_log(), "inserted", f"retention_notice:{new.pk}").code == v.E008
    sql("DELETE FROM retention_purgenotice WHERE id = %s", [new.pk])
    assert not [f for f in verify_log().findings if f.code == v.E008]


def test_removals_and_restorations(rows):
    drop_append_only(Removal._meta.db_table, Restoration._meta.db_table)
    sql("UPDATE retention_removal SET recoverable_until = %s WHERE id = %s",
        ["2099-01-01 00:00:00+00:00", rows["removal"].pk])
    assert found(verify_log(), "altered", f"retention_removal:{rows['removal'].pk}").code == v.E010
    sql("UPDATE retention_restoration SET reason = 'x' WHERE id = %s", [rows["restoration"].pk])
    assert found(verify_log(), "altered", f"retention_restoration:{rows['restoration'].pk}").code == v.E013
    sql("DELETE FROM retention_restoration WHERE id = %s", [rows["restoration"].pk])
    assert found(verify_log(), "deleted", f"retention_restoration:{rows['restoration'].pk}").code == v.E015


def test_a_removal_deleted_and_one_inserted(rows):
    drop_append_only(Removal._meta.db_table)
    removal = rows["removal"]
    sql("INSERT INTO retention_removal (item_id, notice_id, due, recoverable_until, removed_at)"
        " SELECT item_id, notice_id, due, recoverable_until, removed_at FROM retention_removal WHERE id = %s",
        [removal.pk])
    new = Removal.objects.order_by("-pk").first()
    report = verify_log()
    assert found(report, "inserted", f"retention_removal:{new.pk}").code == v.E011
    sql("DELETE FROM retention_removal WHERE id = %s", [removal.pk])
    assert found(verify_log(), "deleted", f"retention_removal:{removal.pk}").code == v.E012


def test_a_restoration_inserted(rows):
    sql("INSERT INTO retention_restoration (removal_id, reason, restored_by_id, restored_at)"
        " SELECT %s, reason, restored_by_id, restored_at FROM retention_restoration WHERE id = %s",
        [rows["removal"].pk, rows["restoration"].pk])
    new = Restoration.objects.order_by("-pk").first()
    assert found(verify_log(), "inserted", f"retention_restoration:{new.pk}").code == v.E014
