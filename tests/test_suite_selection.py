"""The PostgreSQL pass of `make test` (`pytest --db-only`) leaves out only the tests that cannot
reach the pass's database (none, or one of their own: own_stack): every test that reaches it runs on
both backends."""
import types

import pytest

from liuhen.testing.selection import reaches_a_database

# the word is not written out: this module itself must not look like one that starts processes
PROCESSES = "sub" + "process"


def test_a_test_without_a_database_runs_in_the_first_pass_only(request):
    assert not reaches_a_database(request.node)


def test_a_test_with_the_database_runs_on_both(db, request):
    assert reaches_a_database(request.node)


def test_a_transactional_test_runs_on_both(transactional_db, request):
    assert reaches_a_database(request.node)


@pytest.mark.django_db
def test_a_marked_test_runs_on_both(request):
    assert reaches_a_database(request.node)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    return "a module's data, loaded once"


def test_a_test_on_a_module_fixture_with_data_runs_on_both(loaded, request):
    assert reaches_a_database(request.node)


def test_a_module_that_starts_processes_runs_whole_on_both(tmp_path):
    module = tmp_path / "test_cli.py"
    module.write_text(f"import {PROCESSES}\n\ndef test_cli():\n    pass\n")
    plain = tmp_path / "test_plain.py"
    plain.write_text("def test_plain():\n    pass\n")

    def item(path):
        return types.SimpleNamespace(fixturenames=["settings", "tmp_path"], fspath=path,
                                     get_closest_marker=lambda name: None)

    assert reaches_a_database(item(module))
    assert not reaches_a_database(item(plain))


@pytest.mark.own_stack
def test_a_test_starting_its_own_postgresql_runs_in_the_first_pass_only(db, request):
    """The production stack's test (liuhen/ops/tests/test_prod_stack.py) starts a PostgreSQL of its
    own whatever the pass's database: it runs once, in the SQLite pass."""
    assert not reaches_a_database(request.node)


def test_the_pages_only_guard_passes_a_page_and_fails_a_write(client, world):
    """What keeps a test marked pages_only (left out of the PostgreSQL pass) to a page's HTML:
    a page opened after logging in passes, a case opened through the services does not."""
    from liuhen.testing.cases import to_investigation
    from liuhen.testing.pages_only import watch

    with watch() as problems:
        client.force_login(world.officer)
        assert client.get("/cases/new/").status_code == 200
    assert problems == []
    with watch() as problems:
        to_investigation(world)
    assert any(p.startswith("writes cases_case:") for p in problems), problems
    assert any(p.startswith("logs case.create ") for p in problems), problems


def test_the_pages_only_guard_fails_a_date_query(world):
    from liuhen.ledger.models import Entry
    from liuhen.testing.pages_only import watch

    with watch() as problems:
        assert list(Entry.objects.dates("created_at", "month"))
    assert [p for p in problems if p.startswith("a date or JSON query")], problems
