"""The helpers domain checkers stream their rows with (ledger.subjects)."""
import pytest

from liuhen.accounts.models import Unit
from liuhen.ledger.subjects import logged_rows, unlogged_ids


@pytest.mark.django_db
def test_logged_rows_pairs_every_named_object_with_its_row_across_chunks(world):
    units = list(Unit.objects.order_by("pk"))
    gone = str(max(u.pk for u in units) + 100)
    # Ids as a forged leaf might carry them: not a number, full-width digits, a row that is gone.
    events = {str(units[0].pk): ["e0"], "abc": ["e1"], "１２": ["e2"], gone: ["e3"], str(units[1].pk): ["e4"]}
    got = list(logged_rows(Unit.objects.all(), events, chunk=2))
    assert [oid for oid, _, _ in got] == list(events)  # each named object once, in the log's order
    rows = {oid: row for oid, row, _ in got}
    assert rows[str(units[0].pk)] == units[0] and rows[str(units[1].pk)] == units[1]
    assert rows["abc"] is rows["１２"] is rows[gone] is None
    assert [evs for _, _, evs in got] == [["e0"], ["e1"], ["e2"], ["e3"], ["e4"]]


@pytest.mark.django_db
def test_unlogged_ids_are_the_rows_the_log_does_not_name(world):
    units = [str(pk) for pk in Unit.objects.order_by("pk").values_list("pk", flat=True)]
    assert len(units) >= 2
    assert list(unlogged_ids(Unit, {units[0]: []})) == units[1:]
    assert list(unlogged_ids(Unit, {u: [] for u in units})) == []
