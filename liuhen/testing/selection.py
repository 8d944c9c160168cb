"""Which tests reach a database: the second pass of `make test` (PostgreSQL, `pytest --db-only`)
runs only those; the others ran in the first pass (SQLite) and would learn nothing new there."""
import functools
from pathlib import Path

# pytest-django's database fixtures (a class- or module-scoped fixture that loads data asks for
# django_db_setup), the live server, and the child processes of liuhen/testing/ledger_processes.py,
# which get a database of their own on the same server.
DB_FIXTURES = frozenset({"django_db_setup", "_django_db_helper", "db", "transactional_db",
                         "django_db_reset_sequences", "django_db_serialized_rollback", "live_server",
                         "child_env", "template"})


def reaches_a_database(item) -> bool:
    if DB_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("django_db"):
        return True
    # A module that starts processes (a `liuhen` command, the WSGI app) may hand them DATABASE_URL:
    # kept whole, whatever its tests ask for.
    return _starts_processes(str(item.fspath))


@functools.cache
def _starts_processes(path: str) -> bool:
    path = Path(path)
    return path.suffix != ".py" or "subprocess" in path.read_text(encoding="utf-8")
