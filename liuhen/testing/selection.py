"""Which tests reach the pass's database: the second pass of `make test` (PostgreSQL, `pytest
--db-only`) runs only those; the others — those that reach none, and those that start a database of
their own (own_stack) — ran in the first pass (SQLite) and would learn nothing new there."""
import functools
from pathlib import Path

# pytest-django's database fixtures (a class- or module-scoped fixture that loads data asks for
# django_db_setup), the live server, and the child processes of liuhen/testing/ledger_processes.py,
# which get a database of their own on the same server.
DB_FIXTURES = frozenset({"django_db_setup", "_django_db_helper", "db", "transactional_db",
                         "django_db_reset_sequences", "django_db_serialized_rollback", "live_server",
                         "child_env", "template"})


def reaches_a_database(item) -> bool:
    # A test that starts its own PostgreSQL (the own_stack marker: a whole production stack) never
    # reaches the pass's database: the SQLite pass ran it, the PostgreSQL pass would only repeat it.
    if item.get_closest_marker("own_stack"):
        return False
    if DB_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("django_db"):
        return True
    # A module that starts processes (a `liuhen` command, the WSGI app) may hand them DATABASE_URL:
    # kept whole, whatever its tests ask for.
    return _starts_processes(str(item.fspath))


@functools.cache
def _starts_processes(path: str) -> bool:
    path = Path(path)
    return path.suffix != ".py" or "subprocess" in path.read_text(encoding="utf-8")
