"""`liuhen verify` holds revocations and replacements to what the log recorded: one altered (its
reason, its kind), inserted (a valid document shown revoked on its public page without a trace) or
deleted (a revoked document shown valid again) behind the log's back is named with its code
(documents.E010–E012)."""
import pytest
from django.utils import timezone

from liuhen.documents import vocabulary as v
from liuhen.documents.models import DocumentStatus, DocumentWithdrawal
from liuhen.ledger.models import Entry
from liuhen.ledger.verify import verify_log
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")

TABLE = DocumentWithdrawal._meta.db_table


@pytest.fixture
def withdrawn(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in with its keys and files (liuhen.testing.demo): withdrawn_scene
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.documents_verify:withdrawn_scene", tmp_path_factory,
                              django_db_blocker, replay_changes=True)
    return restore_scene(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)


def test_a_revocations_reason_altered(withdrawn):
    world, revocation, *_ = withdrawn
    drop_append_only(TABLE)
    sql(f"UPDATE {TABLE} SET reason = %s WHERE id = %s", ["（改）", revocation.pk])
    f = found(verify_log(), "altered", f"document_withdrawal:{revocation.pk}",
              Entry.objects.get(action=v.REVOKE, object_id=str(revocation.pk)))
    assert f.code == v.E010


def test_a_replacement_turned_into_a_revocation(withdrawn):
    world, revocation, replacement, second, valid = withdrawn
    drop_append_only(TABLE)
    sql(f"UPDATE {TABLE} SET kind = 'revoked', replacement_id = NULL WHERE id = %s", [replacement.pk])
    assert replacement.document.status == DocumentStatus.REVOKED  # what the public page would now say
    f = found(verify_log(), "altered", f"document_withdrawal:{replacement.pk}",
              Entry.objects.get(action=v.REPLACE, object_id=str(replacement.pk)))
    assert f.code == v.E010


def test_a_revocation_deleted(withdrawn):
    world, revocation, *_ = withdrawn
    drop_append_only(TABLE)
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [revocation.pk])
    assert revocation.document.status == DocumentStatus.VALID  # shown valid again…
    assert found(verify_log(), "deleted", f"document_withdrawal:{revocation.pk}").code == v.E012  # …and reported


def test_a_revocation_inserted(withdrawn):
    world, revocation, replacement, second, valid = withdrawn
    sql(f"INSERT INTO {TABLE} (document_id, kind, reason, replacement_id, withdrawn_by_id, withdrawn_at)"
        " VALUES (%s, %s, %s, %s, %s, %s)", [valid.pk, "revoked", "伪造的撤销", None, world.agency_head.pk, timezone.now()])
    forged = DocumentWithdrawal.objects.get(document=valid)
    assert valid.status == DocumentStatus.REVOKED
    assert found(verify_log(), "inserted", f"document_withdrawal:{forged.pk}").code == v.E011
