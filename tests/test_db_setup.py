"""Each pytest-xdist worker's test database is one migrated in place or a copy of it
(liuhen/testing/dbsetup.py): whichever this worker got, it is fully migrated, its append-only
tables refuse an UPDATE, and the record catalog is synced."""
import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from liuhen.records.catalog import CATALOG
from liuhen.records.models import RecordType
from liuhen.testing.tampering import sql


def test_no_migration_is_left_to_apply(db):
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_the_append_only_triggers_are_there(db):
    from liuhen.ledger.models import Entry

    assert Entry.objects.exists()  # the catalog's sync logged its types at migrate
    with pytest.raises(DatabaseError), transaction.atomic():
        sql(f"UPDATE {Entry._meta.db_table} SET action = 'x'")


def test_the_record_catalog_is_synced(db):
    assert set(RecordType.objects.values_list("code", flat=True)) >= {e["code"] for e in CATALOG}


def test_the_first_worker_lets_the_others_copy_while_it_runs_its_tests(transactional_db, tmp_path):
    """The lock covers the migration and the copy, not the first worker's session: held until its
    last test (the setup's yield inside the lock), every other worker waited for the first to finish
    — the SQLite pass ran as one worker. (Outside a transaction: the copy is read as at set-up.)"""
    import fcntl

    from liuhen.testing import dbsetup

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite copy (PostgreSQL's template is made the same way, outside its tests)")
    with dbsetup._sqlite(lambda keepdb: "migrated", tmp_path) as cfg:  # as the first worker, in its session
        assert cfg == "migrated" and (tmp_path / "test-db-sqlite" / "migrated.sqlite3").exists()
        with open(tmp_path / "test-db-sqlite" / "lock", "w") as another_worker:
            fcntl.flock(another_worker, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError while held
            fcntl.flock(another_worker, fcntl.LOCK_UN)
