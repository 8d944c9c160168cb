"""`liuhen verify` holds the copy rows to what the log recorded: an item slipped into a request, a
refusal turned into an approval, a package's SHA-256 or a handover's receiver changed by SQL, a row
deleted or inserted — each named with its code (copies.E001–E012)."""
import pytest
from django.utils import timezone

from liuhen.copies import vocabulary as v
from liuhen.copies.models import CopyApproval, CopyHandover, CopyPackage, CopyRequest
from liuhen.ledger.models import Entry
from liuhen.ledger.verify import verify_log
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def copied(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in with its keys and files (liuhen.testing.demo): copied_scene
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.copies:copied_scene", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    return restore_scene(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)


def test_an_item_slipped_into_a_request(copied):
    world, c, row, *_ = copied
    drop_append_only(CopyRequest._meta.db_table)
    sql("UPDATE copies_copyrequest SET item_ids = %s WHERE id = %s", [f"[{c.items[0].pk}, {c.items[1].pk}]", row.pk])
    f = found(verify_log(), "altered", f"copy_request:{row.pk}", Entry.objects.get(action=v.REQUEST,
                                                                                    object_id=str(row.pk)))
    assert f.code == v.E001


def test_a_request_case_number_altered(copied):
    """The case number a request carries (案件编号, what a package's manifest shows the court) is in its
    logged state: changed by SQL, verify names the request."""
    world, c, row, *_ = copied
    assert row.case_number == c.case.number and row.case_number
    drop_append_only(CopyRequest._meta.db_table)
    sql("UPDATE copies_copyrequest SET case_number = %s WHERE id = %s", ["测水罚〔2026〕999号", row.pk])
    assert found(verify_log(), "altered", f"copy_request:{row.pk}").code == v.E001


def test_a_refusal_turned_into_an_approval_and_an_approval_inserted(copied):
    world, c, row, package, handover, pending = copied
    approval = row.approval
    drop_append_only(CopyApproval._meta.db_table)
    sql("UPDATE copies_copyapproval SET opinion = %s WHERE id = %s", ["同意（改）", approval.pk])
    assert found(verify_log(), "altered", f"copy_approval:{approval.pk}").code == v.E004
    # An approval nobody gave, for the pending request.
    sql("INSERT INTO copies_copyapproval (request_id, approved, opinion, decided_by_id, decided_at)"
        " VALUES (%s, %s, %s, %s, %s)", [pending.pk, True, "同意", world.agency_head.pk, timezone.now()])
    forged = CopyApproval.objects.get(request=pending)
    assert found(verify_log(), "inserted", f"copy_approval:{forged.pk}").code == v.E005


def test_a_package_hash_changed_and_a_handover_deleted(copied):
    world, c, row, package, handover, pending = copied
    drop_append_only(CopyPackage._meta.db_table, CopyHandover._meta.db_table)
    sql("UPDATE copies_copypackage SET manifest_sha256 = %s WHERE id = %s", ["0" * 64, package.pk])
    sql("DELETE FROM copies_copyhandover WHERE id = %s", [handover.pk])
    report = verify_log()
    assert found(report, "altered", f"copy_package:{package.pk}").code == v.E007
    assert found(report, "deleted", f"copy_handover:{handover.pk}").code == v.E012


def test_a_handover_receiver_changed(copied):
    world, c, row, package, handover, pending = copied
    drop_append_only(CopyHandover._meta.db_table)
    sql("UPDATE copies_copyhandover SET receiver_person = %s WHERE id = %s", ["李某", handover.pk])
    assert found(verify_log(), "altered", f"copy_handover:{handover.pk}").code == v.E010


def test_rows_deleted_and_inserted(copied):
    world, c, row, package, handover, pending = copied
    drop_append_only(CopyRequest._meta.db_table)
    sql("DELETE FROM copies_copyrequest WHERE id = %s", [pending.pk])
    sql("INSERT INTO copies_copyrequest (agency_id, case_id, item_ids, receiver_kind, receiver_name, purpose,"
        " court_case_number, requested_by_id, requested_at, case_number) SELECT agency_id, case_id, item_ids,"
        " receiver_kind, '某检察院', purpose, court_case_number, requested_by_id, requested_at, case_number"
        " FROM copies_copyrequest WHERE id = %s",
        [row.pk])
    forged = CopyRequest.objects.get(receiver_name="某检察院")
    report = verify_log()
    assert found(report, "deleted", f"copy_request:{pending.pk}").code == v.E003
    assert found(report, "inserted", f"copy_request:{forged.pk}").code == v.E002


def test_package_inserted_and_deleted(copied):
    world, c, row, package, handover, pending = copied
    sql("INSERT INTO copies_copypackage (request_id, made_by_id, made_at, path, manifest_sha256, files, size,"
        " checkpoint_size, checkpoint_root) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [pending.pk, world.archivist.pk, timezone.now(), "x", "1" * 64, 1, 1, 1, "2" * 64])
    forged = CopyPackage.objects.get(request=pending)
    assert found(verify_log(), "inserted", f"copy_package:{forged.pk}").code == v.E008
    drop_append_only(CopyPackage._meta.db_table, CopyHandover._meta.db_table)
    sql("DELETE FROM copies_copyhandover WHERE id = %s", [handover.pk])
    sql("DELETE FROM copies_copypackage WHERE id = %s", [package.pk])
    assert found(verify_log(), "deleted", f"copy_package:{package.pk}").code == v.E009


def test_handover_inserted_and_approval_deleted(copied):
    world, c, row, package, handover, pending = copied
    drop_append_only(CopyHandover._meta.db_table, CopyApproval._meta.db_table, CopyPackage._meta.db_table)
    sql("DELETE FROM copies_copyhandover WHERE id = %s", [handover.pk])
    sql("INSERT INTO copies_copyhandover (package_id, receiver_person, receiver_org, handed_on, method, package_sha256,"
        " note, recorded_by_id, recorded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [package.pk, "某人", "某单位", timezone.localdate(), "post", package.manifest_sha256, "", world.archivist.pk,
         timezone.now()])
    forged = CopyHandover.objects.get(package=package)
    report = verify_log()
    assert found(report, "inserted", f"copy_handover:{forged.pk}").code == v.E011
    sql("DELETE FROM copies_copyhandover WHERE id = %s", [forged.pk])
    sql("DELETE FROM copies_copypackage WHERE id = %s", [package.pk])
    sql("DELETE FROM copies_copyapproval WHERE id = %s", [row.approval.pk])
    assert found(verify_log(), "deleted", f"copy_approval:{row.approval.pk}").code == v.E006


def test_every_code_is_listed_once():
    listed = [getattr(v, f"E{n:03d}") for n in range(1, 13)]
    assert len(set(listed)) == 12 and all(c.startswith("copies.E") for c in listed)
    assert {c for kinds in v.STATE_CODES.values() for c in kinds.values()} == set(listed)
    assert v.READ_ACTIONS <= set(v.ACTION_LABELS)
    from liuhen.ledger.vocabulary import is_read

    assert all(is_read(a) for a in v.READ_ACTIONS)
