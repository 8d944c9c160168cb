"""What a database superuser does to the rows behind Liuhen's back — shared by the tamper tests."""
from django.db import connection


def sql(query, params=()):
    with connection.cursor() as cur:
        cur.execute(query, params)
        return cur.rowcount


def drop_append_only(*tables):
    """First remove the triggers that refuse UPDATE and DELETE (common.append_only)."""
    for table in tables:
        if connection.vendor == "postgresql":
            sql(f'DROP TRIGGER "{table}_append_only" ON "{table}"')
        else:
            sql(f'DROP TRIGGER "{table}_no_update"')
            sql(f'DROP TRIGGER "{table}_no_delete"')


def empty_ledger():
    """Remove every row of the ledger's tables the way Django's flush does (TRUNCATE on PostgreSQL;
    DELETE past the append-only triggers on SQLite), for tests that build a tree from leaf 0.

    A migrated database's log is not empty: the catalog sync logs each record type it creates
    (records.catalog_sync), with the hash configured then — SHA-256 even where a test configures
    SM3. Inside a test's transaction the rows come back at its end; after a transactional test,
    Django's flush and the catalog sync at post_migrate put them back.
    """
    from django.apps import apps
    from django.core.management.color import no_style

    tables = [m._meta.db_table for m in apps.get_app_config("ledger").get_models()]
    if connection.vendor == "postgresql":
        # Rows written earlier in this transaction leave deferred foreign-key checks pending, and
        # PostgreSQL cannot TRUNCATE a table with pending trigger events: run the checks now.
        sql("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    from liuhen.ledger import identity

    identity.forget()  # the log's identity went with the rows: the next write records it again


def found(report, kind, obj, entry=None):
    """The one finding of this kind about `obj` — pointing at `entry` (and its leaf index), if given."""
    out = [f for f in report.findings if f.kind == kind and f.object == obj]
    assert len(out) == 1, f"expected one [{kind}] finding for {obj}; findings: {[str(f) for f in report.findings]}"
    if entry is not None:
        from liuhen.ledger.models import Sequenced

        assert (out[0].entry_id, out[0].seq) == (entry.pk, Sequenced.objects.get(entry_id=entry.pk).seq)
    return out[0]
