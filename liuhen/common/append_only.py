"""Rows the law needs a trace of are written once and never updated or deleted (SPEC §4).

Changes are new rows (a version, a signature, a void). This base refuses, at the ORM level,
`save()` of an existing row, `delete()`, and `QuerySet.update()/delete()`. The database adds
triggers against UPDATE and DELETE — see `install_triggers()` — and the
ledger detects whatever a database superuser does anyway.
"""
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an append-only row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: update refused")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: delete refused")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: update refused")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: update refused")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} #{self.pk} is append-only: update refused")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} #{self.pk} is append-only: delete refused")


def install_triggers(connection, models_=None) -> list[str]:
    """Create (idempotently) the triggers that refuse UPDATE/DELETE on every append-only table.

    Run after each migrate (post_migrate), because SQLite drops a table's triggers whenever a
    migration rebuilds that table. Django's test flush must still empty the tables: PostgreSQL's
    flush uses TRUNCATE, which row triggers do not see; on SQLite the DELETE trigger lets only
    Django's flush through (see liuhen.common.db.sqlite3). Returns the tables covered.
    """
    from django.apps import apps

    if models_ is None:
        models_ = [m for m in apps.get_models() if issubclass(m, AppendOnlyModel)]
    tables = [m._meta.db_table for m in models_]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "CREATE OR REPLACE FUNCTION liuhen_append_only() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP; END; "
                "$$ LANGUAGE plpgsql;"
            )
        for table in tables:
            if table not in existing:
                continue
            if connection.vendor == "sqlite":
                cur.execute(
                    f'CREATE TRIGGER IF NOT EXISTS "{table}_no_update" BEFORE UPDATE ON "{table}" '
                    f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: update refused'); END;"
                )
                cur.execute(
                    f'CREATE TRIGGER IF NOT EXISTS "{table}_no_delete" BEFORE DELETE ON "{table}" '
                    f"WHEN liuhen_flushing() = 0 "
                    f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: delete refused'); END;"
                )
            elif connection.vendor == "postgresql":
                cur.execute(
                    f'CREATE OR REPLACE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE '
                    f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION liuhen_append_only();'
                )
    return tables


def lift_update_trigger(connection, table: str) -> None:
    """Drop the trigger that refuses UPDATE on `table` (on PostgreSQL, the one trigger refusing
    UPDATE and DELETE) for a data migration's single UPDATE that fills a new column — followed by a
    logged baseline of the wider state (ledger.subjects.adopt_wider_state). `install_triggers` puts
    it back: after every migrate (post_migrate), or called by the migration at once."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute(f'DROP TRIGGER IF EXISTS "{table}_no_update"')
        elif connection.vendor == "postgresql":
            cur.execute(f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"')
