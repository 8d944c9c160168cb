"""年度行政执法数据 (liuhen.publicity.statistics): the figures of a small world whose cases are known —
exact counts and sums — and the statistics entry drafted from them."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.cases.models import Case
from liuhen.ledger.models import Entry as LedgerEntry
from liuhen.publicity import statistics
from liuhen.publicity import vocabulary as v
from liuhen.publicity.models import Entry, EntryKind
from liuhen.testing.publicity_workflow_scene import scene_fixture, world_of

THIS_YEAR = timezone.localdate().year


# A world of known cases (publicity_workflow_scene.known_world, statistics_scene): built once per run and copied
# in.
scene = scene_fixture("scene", "statistics_scene")


@pytest.fixture
def world(request, db):
    return world_of(request)


@pytest.fixture
def figures(world, scene):
    return statistics.annual(world.agency, THIS_YEAR)


def test_cases_by_kind_and_procedure(figures):
    assert figures["cases"] == 5
    assert figures["cases_by_kind"]["行政处罚"] == 4 and figures["cases_by_kind"]["行政检查"] == 1
    assert sum(figures["cases_by_kind"].values()) == 5 and len(figures["cases_by_kind"]) == 9
    assert figures["cases_by_procedure"] == {"一般程序": 4, "简易程序": 1}


def test_decisions_by_penalty_fines_and_confiscations(figures):
    assert figures["decisions"] == 2
    assert figures["decisions_by_penalty"]["罚款"] == 1 and figures["decisions_by_penalty"]["警告"] == 1
    assert sum(figures["decisions_by_penalty"].values()) == 2
    assert figures["fines"] == 5000 and figures["confiscations"] == 300


def test_revocations_hearings_and_publicity(figures):
    assert (figures["revoked"], figures["replaced"]) == (1, 0)
    assert figures["hearings"] == 1 and figures["legal_reviews"] == 0
    assert (figures["published"], figures["withdrawn"]) == (1, 1)


def test_last_year_holds_only_its_own(world, scene):
    last = statistics.annual(world.agency, THIS_YEAR - 1)
    assert last["cases"] == 1 and last["cases_by_kind"]["行政处罚"] == 1
    assert (last["decisions"], last["fines"], last["revoked"], last["hearings"], last["published"]) == (0, 0, 0, 0, 0)


def test_a_legal_review_counts(world):
    from liuhen.testing.legalreview import passed

    passed(world)
    assert statistics.annual(world.agency, THIS_YEAR)["legal_reviews"] == 1


def test_flatten_and_table(figures):
    flat = statistics.flatten(figures)
    assert flat["立案总数"] == "5" and flat["立案·行政检查"] == "1" and flat["处罚决定·罚款"] == "1"
    assert flat["罚款总额（元）"] == "5000" and flat["撤回公示"] == "1" and "立案·行政许可" not in flat
    assert all(len(k) <= 40 and isinstance(val, str) for k, val in flat.items())
    body = statistics.table(figures)
    assert "立案总数：5" in body and "罚款总额（元）：5000" in body and "举行听证：1" in body


def test_draft_statistics_refuses_a_year_not_ended(world):
    before = LedgerEntry.objects.filter(action=v.REFUSED).count()
    with pytest.raises(ValidationError) as e:
        statistics.draft_statistics(world.officer, THIS_YEAR)
    assert "尚未结束" in e.value.messages[0]
    assert not Entry.objects.filter(kind=EntryKind.STATISTICS).exists()
    assert LedgerEntry.objects.filter(action=v.REFUSED).count() == before + 1


def test_draft_statistics_of_last_year(world):
    Case.objects.filter(pk=world.open_case().pk).update(
        created_at=timezone.make_aware(datetime.datetime(THIS_YEAR - 1, 6, 1, 9)))
    version = statistics.draft_statistics(world.officer, THIS_YEAR - 1)
    assert version.entry.kind == EntryKind.STATISTICS and version.entry.year == THIS_YEAR - 1
    assert version.title == f"{world.agency.name}{THIS_YEAR - 1}年度行政执法数据"
    assert version.summary["立案总数"] == "1" and "立案总数：1" in version.body
    with pytest.raises(ValidationError):  # one entry per year: a change is a correction of it
        statistics.draft_statistics(world.officer, THIS_YEAR - 1)
