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
