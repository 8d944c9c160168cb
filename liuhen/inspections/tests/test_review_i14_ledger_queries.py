"""Review of issue 14 (inspections): the 抽检台账 (page and Excel export) reads every round of the
agency with its items and findings; selectors.ledger calls items_of once per round (two queries
each), so the page's queries grow with the number of rounds — an N+1 over the agency's history. Now
read in bulk: the same number of queries for one round or six."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liuhen.inspections import selectors, services
from liuhen.testing.devices import camera
from liuhen.testing.inspections import supervisor

pytestmark = pytest.mark.usefixtures("fresh_home")


def _queries(agency_id) -> int:
    with CaptureQueriesContext(connection) as ctx:
        selectors.failure_counts(selectors.ledger(agency_id))
    return len(ctx.captured_queries)


def test_the_ledger_reads_in_a_fixed_number_of_queries(world):
    insp = supervisor(world)
    for n in range(3):
        camera(world, number=f"JL-Q{n}")
    today = timezone.localdate()
    services.draw_round(insp, kind="device", period_from=today, period_to=today, size=1)
    few = _queries(world.agency.pk)
    for _ in range(5):
        services.draw_round(insp, kind="device", period_from=today, period_to=today, size=1)
    assert _queries(world.agency.pk) == few
