"""The PostgreSQL pass of `make test` (`pytest --db-only`) leaves out only the tests that cannot
reach a database: every test that reaches one runs on both backends."""
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
