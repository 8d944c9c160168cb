"""The demo's inspections (liuhen/demo/inspections.py): a closed footage round with one failed
check (the opening words of LW-D 6 missing) and an open device round — both re-draw to the same
sample, and the demo's whole log verifies (liuhen/demo/tests)."""
import pytest

from liuhen.demo.builder import build_demo
from liuhen.inspections import services
from liuhen.inspections.models import Kind, Round, RoundClose
from liuhen.inspections.selectors import items_of


@pytest.mark.django_db
def test_demo_rounds(fresh_home):
    summary = build_demo()
    assert summary["inspection_rounds"] == 2
    footage_round = Round.objects.get(kind=Kind.FOOTAGE)
    device_round = Round.objects.get(kind=Kind.DEVICE)
    assert footage_round.drawn_by.username == "hezhiyuan" and RoundClose.objects.filter(round=footage_round).exists()
    items = items_of(footage_round)
    assert len(items) == 3 and all(i.finding is not None for i in items)
    failed = [c for i in items for c in i.finding.results if c["result"] == "fail"]
    assert [c["code"] for c in failed] == ["opening_words"] and "开场用语" in failed[0]["note"]
    assert not RoundClose.objects.filter(round=device_round).exists()
    assert [i.finding is not None for i in items_of(device_round)] == [True, False]
    assert services.redraw(footage_round).match and services.redraw(device_round).match
