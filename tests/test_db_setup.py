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
