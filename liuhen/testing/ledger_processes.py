"""Child processes on a database of their own, for the ledger's crash and concurrency tests.

The writers (liuhen/ledger/tests/ledger_writer.py) and the integrator (`liuhen integrator`) are
real processes, so they need a database they can all open. pytest-django's test database will not
do (on SQLite it lives in the test process's memory), so each test gets a database of its own,
migrated once per run (by the first pytest-xdist worker that asks) by `liuhen migrate` in a subprocess
and then copied:
- SQLite (the default run): a file in a temporary directory, WAL mode as in production;
- PostgreSQL (`scripts/with-postgres.sh`, DATABASE_URL set): a database created on the same server
  (CREATE DATABASE … TEMPLATE …), dropped afterwards.
The children get DATABASE_URL and LIUHEN_HOME in their environment.

Test modules use the fixtures by importing them: `from liuhen.testing.ledger_processes import
child_env, template  # noqa: F401`.
"""
import contextlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
LIUHEN = Path(sys.executable).parent / "liuhen"

def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _pg_admin(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _with_db_name(url: str, name: str) -> str:
    return urlsplit(url)._replace(path="/" + name).geturl()


def _env(home: Path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIUHEN_", "DATABASE_URL", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="liuhen.settings", LIUHEN_HOME=str(home), DATABASE_URL=database_url,
               PYTHONDONTWRITEBYTECODE="1")
    return env


class Children:
    """Starts the child processes of one test, all on that test's database and home."""

    def __init__(self, env, home, procs):
        self.env, self.home, self.procs = env, home, procs

    def spawn(self, *args, stderr=subprocess.PIPE) -> subprocess.Popen:
        p = subprocess.Popen(list(args), env=self.env, cwd=REPO, stdout=subprocess.PIPE, stderr=stderr,
                             text=True, bufsize=1)
        self.procs.append(p)
        return p

    def writer(self, *args) -> subprocess.Popen:
        return self.spawn(sys.executable, "-m", "liuhen.ledger.tests.ledger_writer", "write", *args)

    def integrator(self) -> subprocess.Popen:
        # The real integrator command, polling every 10 ms; its stderr is kept for the report.
        return self.spawn(str(LIUHEN), "integrator", "--interval", "0.01")

    def run(self, *args, timeout=60) -> subprocess.CompletedProcess:
        return subprocess.run(list(args), env=self.env, cwd=REPO, capture_output=True, text=True, timeout=timeout)

    def query(self, sql: str) -> list[tuple]:
        """Rows of one read of the children's database, from this process: no Django, no child (a
        child imports Django and the project: seconds, where a test polls)."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            import sqlite3

            db = sqlite3.connect(f"file:{url.removeprefix('sqlite:///')}?mode=ro", uri=True, timeout=30)
            try:
                return db.execute(sql).fetchall()
            finally:
                db.close()
        import psycopg

        with psycopg.connect(url) as db:
            return db.execute(sql).fetchall()

    def published_size(self) -> int | None:
        """The size in the checkpoint the log published (the file a witness copies), if any."""
        path = self.home / "checkpoints" / "checkpoint"
        return int(path.read_text(encoding="utf-8").split("\n")[1]) if path.exists() else None

    def dump(self) -> dict:
        r = self.run(sys.executable, "-m", "liuhen.ledger.tests.ledger_writer", "dump")
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)


@pytest.fixture(scope="session")
def template(tmp_path_factory, django_db_setup):
    """A migrated database the tests copy: ("sqlite", file) or ("postgresql", (server url, name)).
    One for the whole run: the copy of the test database the run's workers started from
    (liuhen.testing.dbsetup: migrated, with the seed every test sees — `liuhen migrate` in a child
    cost ~40 s of one worker a pass); without one (--reuse-db), migrated by the first pytest-xdist
    worker that asks, under a lock, the others wait and copy it: on SQLite a file, on PostgreSQL a
    template database, dropped by the last worker that used it."""
    import fcntl

    from liuhen.testing import dbsetup

    root = tmp_path_factory.getbasetemp()
    if root.name.startswith("popen-gw"):  # the parent is the run's, shared by its workers
        root = root.parent
    pg = _postgres_url()
    made = dbsetup.migrated_copy(root)
    if made is not None and made[0] == "sqlite":
        yield made
        return
    if made is not None and pg:  # kept by dbsetup while any worker of the pass runs
        yield "postgresql", (pg, made[1])
        return
    base = root / ("ledger-procs-template-pg" if pg else "ledger-procs-template")
    base.mkdir(exist_ok=True)

    @contextlib.contextmanager
    def locked():
        with open(base / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    if pg:
        named, users = base / "name", base / "users"
        with locked():
            if not named.exists():
                name = f"liuhen_procs_tmpl_{uuid.uuid4().hex[:10]}"
                with _pg_admin(pg) as admin:
                    admin.execute(f'CREATE DATABASE "{name}"')
                try:
                    _migrate(base / "template-home", _with_db_name(pg, name))
                except BaseException:
                    with _pg_admin(pg) as admin:
                        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    raise
                named.write_text(name)
            name = named.read_text()
            users.write_text(str(int(users.read_text() if users.exists() else 0) + 1))
        try:
            yield "postgresql", (pg, name)
        finally:
            with locked():
                left = int(users.read_text()) - 1
                users.write_text(str(left))
                if left == 0:  # the last worker using it: a later one would migrate another
                    named.unlink()
                    with _pg_admin(pg) as admin:
                        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    path = base / "template.sqlite3"
    with locked():
        if not (base / "done").exists():
            for old in base.glob("template.sqlite3*"):
                old.unlink()
            _migrate(base / "template-home", f"sqlite:///{path}")
            (base / "done").touch()
    yield "sqlite", path


def _migrate(home: Path, url: str) -> None:
    subprocess.run([str(LIUHEN), "migrate", "-v", "0"], env=_env(home, url), cwd=REPO, check=True,
                   capture_output=True, timeout=300)


@contextlib.contextmanager
def instance(template, directory: Path):
    """Children on a fresh copy of the migrated database, with a fresh home under `directory`; the
    database is dropped and any child still running killed on leaving. child_env is one per test;
    a module-scoped fixture takes one for the tests that only read what its children built."""
    kind, where = template
    home = directory / "home"
    home.mkdir()
    if kind == "postgresql":
        server, tmpl = where
        name = f"liuhen_procs_{uuid.uuid4().hex[:12]}"
        with _pg_admin(server) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{tmpl}"')
        url = _with_db_name(server, name)
    else:
        path = directory / "liuhen.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            if Path(str(where) + suffix).exists():
                shutil.copyfile(str(where) + suffix, str(path) + suffix)
        url = f"sqlite:///{path}"
    assert connection.vendor == kind  # the children use the same kind of database as this run
    procs: list[subprocess.Popen] = []
    try:
        yield Children(_env(home, url), home, procs)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait(timeout=30)
            for stream in (p.stdout, p.stderr):
                if stream:
                    stream.close()
        if kind == "postgresql":
            with _pg_admin(server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def child_env(template, tmp_path):
    """The environment for child processes: a fresh copy of the migrated database, a fresh home."""
    with instance(template, tmp_path) as children:
        yield children
