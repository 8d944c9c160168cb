"""Scenes built once per test run and copied into each test database that reads them: the demo
(loaded by `liuhen demo` itself), and any other scene a module names (`scene_snapshot`,
`restore_scene`: a world with archived case files for the 案卷评查 tests…).

A build takes 15-25 s (ffmpeg, the services, the ledger); half a dozen test modules read the demo
and would each build it. `demo_snapshot` builds it once per run — the first pytest-xdist worker to
ask builds it under a file lock, the others wait and read the result — in a transaction that is
rolled back, and keeps what the build added: every new row of every table (as the database stored
it: ciphertexts, hashes and timestamps unchanged), the summary `build_demo()` returned (with what
the command printed), and the home (keys) and blob directory the build wrote to.
`restore_demo(...)` inserts those rows into the current database and copies the home and blobs to
directories of the caller's, so each module still has a demo of its own, which its tests may
change (their changes roll back as before).

The restore is exact or not done: it checks that the database holds the same rows before the demo
(migrations' seed data) as the one the demo was built on; the rows the build changed (the log's
state row and pending queue, moved on by an integration) are replayed by primary key; if the
snapshot does not fit, `restore_demo` builds the demo itself (slower, never wrong). What the process
cached of rows by id (parsed profiles, the working-day calendar) is forgotten after each restore and
rollback (`forget_process_caches`): the restored rows did not pass through the services that keep
those caches right. The snapshot belongs to one
day (the demo's dates are relative to today): a run crossing midnight builds a new one.
"""
import contextlib
import fcntl
import hashlib
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _plain(value):
    # psycopg gives bytea as memoryview: bytes compare, hash and pickle
    return bytes(value) if isinstance(value, memoryview) else value


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _read(table: str) -> tuple[list[str], list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        columns = [d[0] for d in cursor.description]
        return columns, [tuple(_plain(v) for v in row) for row in cursor.fetchall()]


def _state() -> dict[str, tuple[list[str], list[tuple]]]:
    return {table: _read(table) for table in _tables()}


def _fingerprint(state) -> str:
    h = hashlib.sha256()
    for table in sorted(state):
        columns, rows = state[table]
        h.update(repr((table, columns, sorted(map(repr, rows)))).encode())
    return h.hexdigest()


@dataclass
class Snapshot:
    """What one build of a scene added: rows per table, what the builder returned (pickled: each
    restore gets objects of its own), and its home and blob directories."""

    day: str
    vendor: str
    before: dict  # the rows of the database the scene was built on (the migrations' seed)
    rows: dict[str, tuple[list[str], list[tuple]]] | None  # None: the build changed seed rows
    pickled_summary: bytes
    home: Path
    blob_dir: Path
    builder: str  # "module:function", to build the scene where the snapshot does not fit
    # {table: (primary key column, [its values])}: rows there before the build that it changed or
    # removed (the ledger's state row an integration moves on): deleted before `rows` go in
    gone: dict | None = None

    @property
    def summary(self):
        return pickle.loads(self.pickled_summary)


def _builder(path: str):
    import importlib

    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def _build(where: Path, builder: str, replay_changes: bool = False) -> Snapshot:
    from liuhen.ledger import storage

    home, blob_dir = where / "home", where / "blobs"
    home.mkdir(parents=True, exist_ok=True)
    storage._cache.clear()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER, LIUHEN_BLOB_DIR=blob_dir, LIUHEN_HOME=home):
        with transaction.atomic():
            before = _state()
            summary = pickle.dumps(_builder(builder)(where))
            after = _state()
            transaction.set_rollback(True)
    forget_process_caches()  # what the build cached of its rows is gone with the rollback
    rows, gone = {}, {}
    for table, (columns, after_rows) in after.items():
        old_columns, old_rows = before.get(table, (columns, []))
        if old_columns != columns:
            rows = None  # a table's columns changed: a plain insert cannot reproduce that
            break
        now = set(after_rows)
        went = [r for r in old_rows if r not in now]
        if went and not replay_changes:
            rows = None  # a seed row changed or went, and this scene does not replay changes
            break
        if went:  # changed or removed by the build: deleted by primary key, the new version inserted
            with connection.cursor() as cursor:
                pk = connection.introspection.get_primary_key_column(cursor, table)
            if pk is None:
                rows = None
                break
            at = columns.index(pk)
            gone[table] = (pk, [r[at] for r in went])
        old = set(old_rows)
        new = [r for r in after_rows if r not in old]
        if new:
            rows[table] = (columns, new)
    return Snapshot(day=str(timezone.localdate()), vendor=connection.vendor, before=before,
                    rows=rows, pickled_summary=summary, home=home, blob_dir=blob_dir, builder=builder,
                    gone=gone if rows is not None else None)


_loaded: dict[Path, Snapshot] = {}  # this worker's snapshots, read from disk once


def scene_snapshot(builder: str, tmp_path_factory, django_db_blocker, *, replay_changes: bool = False,
                   variant: str = "") -> Snapshot:
    """The run's snapshot of the scene `builder` ("module:function", called with a directory of
    its own for files it needs, returning what the tests need of the scene — picklable): built by
    the first worker that asks (under a lock), then read from disk. `replay_changes`: the build may
    change rows that were there before it (the log's state row after an integration), replayed by
    primary key; otherwise such a build is not copied but built in each test. `variant`: a name for
    what else the build depends on (settings), one snapshot each."""
    # the base temp directory's parent is shared by all xdist workers of the run (and is the run's own)
    root = tmp_path_factory.getbasetemp()
    if root.name.startswith("popen-gw"):
        root = root.parent
    where = root / f"scene-{builder.replace(':', '.')}-{connection.vendor}-{timezone.localdate()}{variant and '-'}{variant}"
    if where in _loaded:
        return _loaded[where]
    where.mkdir(exist_ok=True)
    with open(where / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            pickled = where / "snapshot.pickle"
            if pickled.exists():
                snapshot = _loaded[where] = pickle.loads(pickled.read_bytes())
                return snapshot
            with django_db_blocker.unblock():
                snapshot = _loaded[where] = _build(where, builder, replay_changes)
            tmp = where / "snapshot.pickle.tmp"
            tmp.write_bytes(pickle.dumps(snapshot))
            tmp.rename(pickled)
            return snapshot
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _insert(rows) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, (columns, values) in rows.items():
            sql = (f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) "
                   f"VALUES ({', '.join(['%s'] * len(columns))})")
            cursor.executemany(sql, values)
    _sequences_past(rows)


_serials: dict[str, tuple[str, str] | None] = {}  # table → (its generated key, that key's sequence)


def _sequences_past(rows) -> None:
    """PostgreSQL: the sequences behind the ids just inserted move past them (SQLite's own counter
    does it, in the transaction). Forward only: a sequence is not transactional — set back to the
    scene's ids inside a transaction that is rolled back (a seed put back after a flush left the
    committed seed under higher ids), it stayed behind the committed rows, and the worker's later
    tests failed on duplicate ids of the log. One statement for all the tables (a restore a test)."""
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    moves = []
    with connection.cursor() as cursor:
        for table in rows:
            if table not in _serials:
                pk = connection.introspection.get_primary_key_column(cursor, table)
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [qn(table), pk])
                sequence = cursor.fetchone()[0]
                # None: not a generated id (a natural key, a one-to-one's)
                _serials[table] = (pk, sequence) if sequence is not None else None
            if _serials[table] is None:
                continue
            pk, sequence = _serials[table]
            moves.append(f"SELECT setval('{sequence}', top, true) FROM (SELECT max({qn(pk)}) AS top FROM {qn(table)}) m, "
                         f"{sequence} s WHERE top IS NOT NULL AND (top > s.last_value OR (top = s.last_value AND NOT s.is_called))")
        if moves:
            cursor.execute(" UNION ALL ".join(moves))


def _delete(gone) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, (pk, values) in gone.items():
            for i in range(0, len(values), 500):
                part = values[i:i + 500]
                cursor.execute(f"DELETE FROM {qn(table)} WHERE {qn(pk)} IN ({', '.join(['%s'] * len(part))})", part)


def _same_seed(before) -> bool:
    """The database holds the rows the demo was built on — or is made to: a flush by an earlier
    transactional test of this worker re-creates the seed (content types, permissions, the record
    catalogue) under other ids; those tables get the snapshot's seed rows back (in the caller's
    transaction). False when that cannot be done (an append-only table refuses the DELETE)."""
    from django.contrib.contenttypes.models import ContentType

    now = _state()
    if _fingerprint(now) == _fingerprint(before):
        return True
    if set(now) != set(before):
        _misfit(f"tables differ: {sorted(set(now) ^ set(before))}")
        return False
    differ = [t for t in now if _fingerprint({t: now[t]}) != _fingerprint({t: before[t]})]
    if any(now[t][0] != before[t][0] for t in differ):
        _misfit(f"columns differ: {[t for t in differ if now[t][0] != before[t][0]]}")
        return False  # a table's columns differ
    changed = {t: before[t] for t in differ}
    qn = connection.ops.quote_name

    class _StillDiffers(Exception):
        pass

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # The seed of an append-only table (the record catalogue's versions) is emptied the way
            # Django's flush empties it: SQLite's DELETE trigger lets a flush through
            # (liuhen.common.db.sqlite3), PostgreSQL's row triggers do not see a TRUNCATE.
            if connection.vendor == "sqlite":
                connection.liuhen_flushing = True
                try:
                    for table in changed:
                        cursor.execute(f"DELETE FROM {qn(table)}")
                finally:
                    connection.liuhen_flushing = False
            else:
                cursor.execute(f"TRUNCATE {', '.join(qn(t) for t in changed)} CASCADE")
            _insert({t: v for t, v in changed.items() if v[1]})
            # PostgreSQL's CASCADE empties the seed tables that refer to those (the log's pending
            # queue): theirs go back too (Django's foreign keys there are deferred to the commit)
            after = _state()
            _insert({t: before[t] for t in after if t not in changed and not after[t][1] and before[t][1]})
            if _fingerprint(_state()) != _fingerprint(before):
                raise _StillDiffers  # rolled back: the database is left as it was found
    except _StillDiffers:
        _misfit(f"the seed of {sorted(changed)} was put back but still differs (left as it was)")
        return False
    except Exception as exc:
        _misfit(f"the seed of {sorted(changed)} could not be put back: {exc}")
        return False
    finally:
        ContentType.objects.clear_cache()
    return True


# The seed (the rows `migrate` leaves: content types, permissions, the record catalogue, the log's
# state) of this worker's test database as set up (`keep_seed`, from conftest's django_db_setup). A
# transactional test's flush empties every table and post_migrate seeds them again under other ids;
# `_put_back_after_flush` then puts this seed back, committed, so the next test's database holds it again.
# While `_seed_intact`, a restore whose snapshot was built on this seed skips comparing the whole
# database with it (a SELECT of each of ~130 tables per restore: the `world` fixture restores once a test).
_canonical: dict | None = None
_canonical_fingerprint = ""
_canonical_counts: dict[str, int] = {}
_seed_intact = False
_built_on_canonical: dict[int, bool] = {}  # id(snapshot.before) → built on the canonical seed


def keep_seed() -> None:
    """Called once the worker's test database is set up (outside any test): its seed, as it is now, is
    what every later flush is followed by."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    global _canonical, _canonical_fingerprint, _seed_intact
    _canonical = _state()
    _canonical_fingerprint = _fingerprint(_canonical)
    _canonical_counts.update({table: len(rows) for table, (columns, rows) in _canonical.items()})
    _seed_intact = True
    # post_migrate goes to each app with models in turn: after the last one's, every app's seed is back
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    post_migrate.connect(_put_back_after_flush, sender=last, dispatch_uid="liuhen-testing-seed")


def _put_back_after_flush(using="default", **kwargs) -> None:
    global _seed_intact
    if _canonical is None or using != "default":
        return
    if connection.in_atomic_block:  # a migrate or flush a test ran in its own transaction
        _seed_intact = False
        return
    _seed_intact = _same_seed(_canonical)
    forget_process_caches()


def _counts() -> dict[str, int]:
    """The rows of each table, in one query."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT %s, count(*) FROM {qn(table)}" for table in _canonical_counts),
                       list(_canonical_counts))
        return dict(cursor.fetchall())


def seed_untouched() -> bool:
    """The database holds the seed it was set up with and nothing else, as far as one query tells (no
    flush left it otherwise, and every table holds as many rows): what the current test's fixtures
    wrote so far (an emptied log, an agency of their own) is not overwritten by a restore's put-back."""
    return _seed_intact and _counts() == _canonical_counts


def built_on_seed(snapshot: Snapshot) -> bool:
    """The scene was built on the seed this worker's database was set up with."""
    key = id(snapshot.before)
    if key not in _built_on_canonical:
        _built_on_canonical[key] = _canonical is not None and _fingerprint(snapshot.before) == _canonical_fingerprint
    return _built_on_canonical[key]


def _seed_fits(snapshot: Snapshot) -> bool:
    """The database holds the seed the scene was built on (made to, if need be: `_same_seed`)."""
    if built_on_seed(snapshot) and seed_untouched():
        return True
    return _same_seed(snapshot.before)


def _misfit(reason: str) -> None:
    """Why a snapshot did not fit (the scene is then built in place: slower, never wrong) — on
    stderr, which pytest shows with a failing test."""
    import sys

    print(f"scene snapshot does not fit: {reason}", file=sys.stderr)


class DemoSummary(dict):
    """What `build_demo()` returned, and (`output`) what `liuhen demo` printed as it loaded it."""

    output = ""


def _demo(where):
    """The demo as `liuhen demo` loads it into an empty database: built, its events integrated under
    a signed checkpoint — the command's first run, whose output test_command_loads_once reads."""
    import io

    from django.core.management import call_command

    from liuhen.demo.management.commands.demo import Command

    command, out = Command(), io.StringIO()
    call_command(command, stdout=out)
    summary = DemoSummary(command.summary)
    summary.output = out.getvalue()
    return summary


def demo_snapshot(tmp_path_factory, django_db_blocker) -> Snapshot:
    """The run's snapshot of the demo, loaded by `liuhen demo`. Its build changes rows that were there
    before it (the log's state row and pending queue, which `integrate_all` moves on), replayed by
    primary key."""
    return scene_snapshot("liuhen.testing.demo:_demo", tmp_path_factory, django_db_blocker, replay_changes=True)


def forget_process_caches() -> None:
    """Forget what this process cached of database rows by their ids. A service that writes such a
    row refreshes its cache (a profile version's parsed profile, a year's working days); a restore
    inserts the rows behind the services' backs, and a rolled-back demo takes them away again, so
    that an id may stand for other rows than those cached — by an earlier test of the worker or by
    the live server's thread of this one. The cause of a wrong 执法规则配置 page once the demo was
    restored: its profile version got the id of a version an earlier test had loaded and rolled
    back, and `profiles.selectors.profile_of_version_id` answered with that one's parsed profile."""
    from django.contrib.contenttypes.models import ContentType

    from liuhen.ledger import storage
    from liuhen.profiles import selectors as profiles
    from liuhen.workdays import calendar

    ContentType.objects.clear_cache()
    storage._cache.clear()
    profiles._BY_VERSION.clear()
    calendar.clear_cache()


def restore_scene(snapshot: Snapshot, home: Path, blob_dir: Path, *, forget: bool = True, seed_checked: bool = False):
    """The scene in the current database (inside the caller's transaction, or committed when there
    is none), its keys in `home` and its files in `blob_dir` (both copied, so that the scene's tests
    may write there); returns what the builder returned (objects of this call's own). Builds the
    scene when the snapshot does not fit. `forget=False`: the process's caches of rows by id are kept
    — for a scene that writes none of the rows they cache (profiles, the calendar, content types).
    `seed_checked`: the caller found `built_on_seed(snapshot)` and `seed_untouched()` just now."""
    from liuhen.ledger import storage

    storage._cache.clear()
    with override_settings(LIUHEN_HOME=home, LIUHEN_BLOB_DIR=blob_dir), transaction.atomic():
        fits = (snapshot.rows is not None and snapshot.vendor == connection.vendor
                and snapshot.day == str(timezone.localdate()) and (seed_checked or _seed_fits(snapshot)))
        global last_restore_fitted
        last_restore_fitted = fits
        if not fits:  # built here, in a home of its own: the snapshot's keys and checkpoints stay out
            files = blob_dir.parent / "scene-files"
            files.mkdir(parents=True, exist_ok=True)
            return _builder(snapshot.builder)(files)
        shutil.copytree(snapshot.home, home, dirs_exist_ok=True)
        if snapshot.blob_dir.exists():
            shutil.copytree(snapshot.blob_dir, blob_dir, dirs_exist_ok=True)
        _delete(snapshot.gone or {})
        _insert(snapshot.rows)
    if forget:
        forget_process_caches()
    return snapshot.summary


def put_scene_files(directory: Path) -> int:
    """Put the files a scene's build stored on local disk (its blob directory, restored into
    `directory`) into the store the settings name now — S3 too — through the store's own `put`,
    each under its name; returns how many."""
    from django.conf import settings

    from liuhen.media import store

    count = 0
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        if path.relative_to(directory).parts[0] == "tmp":
            continue
        with open(path, "rb") as f:
            blob = store.put(f, max_bytes=max(path.stat().st_size, settings.LIUHEN_MAX_UPLOAD_BYTES))
        assert blob.sha256 == path.name, f"{path} holds {blob.sha256}"
        count += 1
    return count


last_restore_fitted: bool | None = None  # whether the last restore_scene copied its snapshot in (tests)

restore_demo = restore_scene  # the demo's summary: a DemoSummary


@contextlib.contextmanager
def demo_in_transaction(snapshot: Snapshot, home: Path, blob_dir: Path, django_db_blocker):
    """For a class- or module-scoped fixture: the demo restored in a transaction rolled back at the end,
    its home and blob directory the settings' until then (as a fixture building the demo would have it)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER, LIUHEN_HOME=home,
                                                        LIUHEN_BLOB_DIR=blob_dir):
        with transaction.atomic():
            yield restore_scene(snapshot, home, blob_dir)
            transaction.set_rollback(True)
    forget_process_caches()  # ids the restore brought are gone with the rollback


@contextlib.contextmanager
def the_demo(tmp_path_factory, django_db_blocker):
    """For a class- or module-scoped fixture: the run's one demo build restored into a home and blob
    directory of its own (demo_in_transaction); yields (summary, blob_dir, home)."""
    snapshot = demo_snapshot(tmp_path_factory, django_db_blocker)
    blob_dir, home = tmp_path_factory.mktemp("demo") / "blobs", tmp_path_factory.mktemp("home")
    with demo_in_transaction(snapshot, home, blob_dir, django_db_blocker) as summary:
        yield summary, blob_dir, home


def in_the_demo(settings, demo_data):
    """For a test's fixture: the settings pointed at the restored demo's files; returns its summary."""
    summary, blob_dir, home = demo_data
    settings.LIUHEN_BLOB_DIR, settings.LIUHEN_HOME = blob_dir, home
    settings.PASSWORD_HASHERS = FAST_HASHER
    return summary
