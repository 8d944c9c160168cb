"""Review of issue 14: a period at the edge of the calendar typed into a form — 9999-12-31 (the day
after does not exist) or 0001-01-01 (its midnight in Beijing is before year 1 in UTC) — is a Chinese
400, recorded in the ledger, not a 500: on the supervision page and its lists (avrules), and on the
inspection draw form (inspections)."""
import pytest

from liuhen.ledger.models import Entry
from liuhen.testing.inspections import supervisor

pytestmark = pytest.mark.usefixtures("fresh_home")

EDGES = [("9999-12-30", "9999-12-31"), ("0001-01-01", "0001-01-02")]


@pytest.mark.parametrize("start,end", EDGES)
@pytest.mark.parametrize("path", ["/av/supervision/", "/av/supervision/list/?what=files&"])
def test_supervision_period_at_the_calendars_edge(client, world, path, start, end):
    client.force_login(supervisor(world))
    before = Entry.objects.count()
    sep = "" if path.endswith("&") else "?"
    resp = client.get(f"{path}{sep}start={start}&end={end}")
    assert resp.status_code == 400, resp.status_code
    assert "日期" in resp.content.decode()
    assert Entry.objects.count() > before  # the refusal is in the ledger


@pytest.mark.parametrize("start,end", EDGES)
def test_inspection_draw_period_at_the_calendars_edge(client, world, start, end):
    client.force_login(supervisor(world))
    resp = client.post("/inspections/new/", {"kind": "footage", "unit": "", "period_from": start, "period_to": end,
                                              "size": "1", "percent": ""})
    assert resp.status_code == 400, resp.status_code
    assert "日期" in resp.content.decode()
