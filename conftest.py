"""Shared fixtures: a small agency with people in every role, built through the services."""
import pytest
from hypothesis import HealthCheck, settings as hypothesis_settings

from liuhen.testing.seaweedfs import seaweedfs  # noqa: F401  (a SeaweedFS S3 for the tests that ask)


# No test depends on the machine's speed: Hypothesis' clock (its deadline per example, its check
# that inputs are generated fast enough) failed tests on a loaded CI machine without a bug.
hypothesis_settings.register_profile("liuhen", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("liuhen")


def pytest_addoption(parser):
    parser.addoption("--db-only", action="store_true",
                     help="only the tests that reach a database (the second pass of `make test`, on "
                          "PostgreSQL: the others ran in the first pass and would learn nothing new)")


# The `pages_only` marker (pyproject.toml): the test's subject is a page's HTML — its template,
# labels, layout, what it shows of rows its fixtures wrote. `make test` leaves these out of the
# PostgreSQL pass (scripts/test.sh: -m "not browser and not pages_only"): the dialect changes nothing
# a template renders. A test goes there only if it does not test a write, a lock, raw SQL, a date or
# JSON query, or the ledger — those stay in the PostgreSQL pass. The guard holds it to that: while a
# marked test runs (its body; its fixtures may write), a statement that writes (beyond logging in and
# the ledger's read events), a date or JSON computation in SQL, or a ledger event other than a read
# or a login fails it (liuhen/testing/pages_only.py).
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    if item.get_closest_marker("pages_only") is None:
        yield
        return
    from liuhen.testing.pages_only import watch
    from liuhen.testing.selection import reaches_a_database

    if not reaches_a_database(item):
        yield
        return
    with watch() as problems:
        outcome = yield
    if outcome.excinfo is None and problems:
        outcome.force_exception(pytest.fail.Exception(
            "marked pages_only, but the test does what the PostgreSQL pass must see:\n" + "\n".join(problems[:10]),
            pytrace=False))


# --db-only keeps the tests that reach the pass's database (liuhen/testing/selection.py) — not those
# marked `own_stack` (pyproject.toml), which start a PostgreSQL of their own (the production stack)
# and ran in the SQLite pass.
def pytest_collection_modifyitems(config, items):
    if not config.getoption("db_only"):
        return
    from liuhen.testing.selection import reaches_a_database

    keep, drop = [], []
    for item in items:
        (keep if reaches_a_database(item) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_runtest_setup(item):
    """Before any fixture of the test is set up (a module's demo too): the ledger's tile cache is
    per process and valid for one database, and each test's database is another tree — a full tile
    cached by the last test in this worker (a demo has three) would give this one's proofs the wrong
    hashes."""
    from liuhen.ledger import storage

    storage._cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_use_migrations,
                    django_db_keepdb, django_db_createdb, django_db_modify_db_settings, tmp_path_factory):
    """pytest-django's, but a run migrates once: the first xdist worker migrates, the others start
    from a copy of its database (liuhen/testing/dbsetup.py). With --reuse-db or --nomigrations,
    pytest-django's own way."""
    import contextlib

    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from liuhen.testing import dbsetup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    keep = django_db_keepdb and not django_db_createdb

    def setup(keepdb):
        from liuhen.testing.workdays import known_around_today

        cfg = setup_databases(verbosity=request.config.option.verbose, interactive=False, aliases=aliases,
                              serialized_aliases=serialized_aliases, keepdb=keepdb or keep)
        known_around_today()  # part of the seed the workers copy (a no-op on a copy: already known)
        return cfg

    with contextlib.ExitStack() as stack:
        with django_db_blocker.unblock():
            if keep or not django_db_use_migrations:
                if not django_db_use_migrations:
                    _disable_migrations()
                cfg = setup(keep)
            else:
                cfg = stack.enter_context(dbsetup.test_databases(setup, dbsetup.run_root(tmp_path_factory)))
            from liuhen.testing import demo

            demo.keep_seed()  # put back after each flush: the scenes' restores need not compare it
        yield
        if not keep:
            with django_db_blocker.unblock():
                teardown_databases(cfg, verbosity=request.config.option.verbose)


@pytest.fixture(autouse=True)
def _liuhen_home(settings, tmp_path):
    """Each test stores its blobs in its own directory (keys stay under LIUHEN_HOME), and hashes
    passwords cheaply: the default hasher makes each `world` cost seconds."""
    settings.LIUHEN_BLOB_DIR = tmp_path / "blobs"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _steady_calendar(monkeypatch):
    """The working-day calendar asks the database for newly loaded years at most once a second
    (workdays.calendar.REFRESH_SECONDS): a test counting a page's queries would count that look or
    not by how fast the machine is. In tests the interval is an hour; a load in this process still
    clears the cache at once, and a test of another process's load moves the clock itself."""
    from liuhen.workdays import calendar

    monkeypatch.setattr(calendar, "REFRESH_SECONDS", 3600)


@pytest.fixture(autouse=True)
def _no_kept_portal_pages():
    """Each test starts with no portal page kept (publicity.portal_cache): a page one test made is never
    served to the next — its key would differ anyway, unless a test changes what the key does not hold
    (a monkeypatched page size)."""
    from django.core.cache import caches

    caches["portal"].clear()


@pytest.fixture
def fresh_home(settings, tmp_path):
    """A LIUHEN_HOME of the test's own: fresh signing, field and blind-index keys, and no full tile
    cached from another test's tree."""
    from liuhen.ledger import storage

    settings.LIUHEN_HOME = tmp_path / "home"
    storage._cache.clear()
    yield settings.LIUHEN_HOME
    storage._cache.clear()


@pytest.fixture
def world(db, settings, tmp_path_factory, django_db_blocker):
    """An agency, two units and one person per role (liuhen.testing.world.World): built once per run
    and copied into each test's database (liuhen.testing.world.restored_world)."""
    from liuhen.testing.world import restored_world

    return restored_world(settings, tmp_path_factory, django_db_blocker)


@pytest.fixture
def verified_world(fresh_home, world):
    """The world, integrated into the log and verifying clean: what a tamper test starts from —
    in a home of its own, so that no checkpoint another test published is held against its log."""
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log

    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world
