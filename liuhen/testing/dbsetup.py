"""The test databases of a pytest-xdist run, migrated once and copied (conftest.py's
`django_db_setup`).

Each worker used to migrate its own test database: 59 migrations rendered model state for several
seconds of CPU per worker and per pass, four at once on two cores. Now the first worker to ask
migrates as before (under a file lock in the run's temporary directory; the others wait), then
leaves a copy; every other worker starts from that copy. Django's test-database setup runs there
without its `migrate` (which, with nothing to apply, still loads and renders every migration's
state: the same seconds) but with the post_migrate signal `migrate` sends (the append-only
triggers, the record catalog's sync: idempotent, no new events). So every worker's database
holds the same rows as one migrated in place — the same seed the demo snapshot compares with
(liuhen/testing/demo.py).
- SQLite (the in-memory test database): the copy is a file written with SQLite's backup API and
  read back into the worker's shared in-memory database the same way.
- PostgreSQL: the copy is a template database (CREATE DATABASE … TEMPLATE …), dropped by the last
  worker that used it.
"""
import contextlib
import fcntl
import sqlite3
import uuid
from pathlib import Path

from django.db import connection


@contextlib.contextmanager
def _locked(base: Path):
    with open(base / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def run_root(tmp_path_factory) -> Path:
    """The temporary directory of the whole run, shared by its pytest-xdist workers."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if root.name.startswith("popen-gw") else root


@contextlib.contextmanager
def test_databases(setup, root: Path):
    """`setup(keepdb)` is Django's setup_databases with the caller's arguments; yields its old
    config for teardown_databases. Only the default database of SQLite or PostgreSQL is copied;
    anything else migrates as it always did."""
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(_memory_name()):
        with _sqlite(setup, root) as cfg:
            yield cfg
    elif connection.vendor == "postgresql":
        with _postgresql(setup, root) as cfg:
            yield cfg
    else:
        yield setup(False)


def _without_migrate(setup):
    """setup_databases(keepdb=True) on a copy of a migrated database: its `migrate` replaced by
    the post_migrate signal alone."""
    from unittest import mock

    from django.core import management
    from django.core.management.sql import emit_post_migrate_signal

    call_command = management.call_command  # what create_test_db imports when it runs

    def without_migrate(name, *args, **options):
        if name != "migrate":
            return call_command(name, *args, **options)
        emit_post_migrate_signal(max(options.get("verbosity", 1) - 1, 0), False, options["database"])

    with mock.patch.object(management, "call_command", without_migrate):
        return setup(True)


def _memory_name() -> str:
    return connection.creation._get_test_db_name()


@contextlib.contextmanager
def _sqlite(setup, root: Path):
    base = root / "test-db-sqlite"
    base.mkdir(exist_ok=True)
    copy = base / "migrated.sqlite3"
    # The lock covers the migration and the copy, never a worker's tests: held to the end of the
    # first worker's session (a yield inside it), it kept every other worker waiting until the first
    # had run all its tests — the SQLite pass ran as one worker, 8 → 12 minutes.
    with _locked(base):
        first = not copy.exists()
        if first:
            cfg = setup(False)
            tmp = base / "migrated.sqlite3.tmp"
            with contextlib.closing(sqlite3.connect(tmp)) as target:
                connection.ensure_connection()
                connection.connection.backup(target)
            tmp.rename(copy)
    if first:
        yield cfg
        return
    # The shared in-memory database lives while a connection holds it: this one until Django's
    # own has opened it (setup_databases), then Django's keeps it.
    keeper = sqlite3.connect(_memory_name(), uri=True)
    try:
        with contextlib.closing(sqlite3.connect(copy)) as source:
            source.backup(keeper)
        cfg = _without_migrate(setup)
    finally:
        keeper.close()
    yield cfg


def _pg_admin():
    import psycopg

    s = connection.settings_dict
    given = {"user": s["USER"], "password": s["PASSWORD"], "host": s["HOST"], "port": s["PORT"]}
    return psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in given.items() if v})


@contextlib.contextmanager
def _postgresql(setup, root: Path):
    base = root / "test-db-postgresql"
    base.mkdir(exist_ok=True)
    named, users = base / "name", base / "users"
    with _locked(base):
        if not named.exists():
            cfg = setup(False)
            template = f"liuhen_test_tmpl_{uuid.uuid4().hex[:10]}"
            own = connection.settings_dict["NAME"]
            connection.close()  # a template is copied only while nobody is connected to it
            with _pg_admin() as admin:
                admin.execute(f'CREATE DATABASE "{template}" TEMPLATE "{own}"')
            named.write_text(template)
        else:
            template = named.read_text()
            own = connection.creation._get_test_db_name()
            with _pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{own}" TEMPLATE "{template}"')
            cfg = _without_migrate(setup)
        users.write_text(str(int(users.read_text() if users.exists() else 0) + 1))
    try:
        yield cfg
    finally:
        with _locked(base):
            left = int(users.read_text()) - 1
            users.write_text(str(left))
            if left == 0:  # the last worker: a later one (none in this run) would migrate again
                named.unlink()
                with _pg_admin() as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


def migrated_copy(root: Path):
    """The run's migrated database as this module left it for the workers, for other uses of a
    migrated database (the child processes' template, liuhen.testing.ledger_processes): ("sqlite",
    file) or ("postgresql", template name); None when the run did not make one (--reuse-db, or a
    single database not copied)."""
    if connection.vendor == "sqlite":
        copy = root / "test-db-sqlite" / "migrated.sqlite3"
        return ("sqlite", copy) if copy.exists() else None
    named = root / "test-db-postgresql" / "name"
    if connection.vendor == "postgresql" and named.exists():
        return "postgresql", named.read_text()
    return None
