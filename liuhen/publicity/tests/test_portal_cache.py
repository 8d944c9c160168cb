"""The portal's kept pages (publicity.portal_cache): served again without being made again, and never
older than the last write they reflect."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liuhen.ledger.models import Entry as LedgerEntry
from liuhen.publicity import portal_cache, services
from liuhen.publicity import vocabulary as v
from liuhen.testing.publicity import published_content, published_decision
from liuhen.testing.publicity_pages_scene import scene_fixture

pytestmark = pytest.mark.django_db

published = scene_fixture("published", "published_scene")
LISTS = ("/public/", "/public/decisions/", "/public/decisions/?year=2026", "/public/matters/")


def _get(client, url):
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(seen)


@pytest.mark.parametrize("url", LISTS)
def test_a_page_asked_again_is_the_same_bytes_for_two_queries(published, client, url):
    made, made_queries = _get(client, url)
    again, queries = _get(client, url)
    assert again == made
    assert queries == 2 < made_queries  # the agency and the watermark: nothing of the page is made again


def test_a_withdrawn_decision_leaves_the_kept_list_at_once(published, client):
    world, entry = published.world, published.entry
    assert entry.number in _get(client, "/public/decisions/")[0]
    assert entry.number in _get(client, "/public/")[0]
    services.withdraw(world.agency_head, entry, "经行政复议决定撤销原处罚决定")
    assert entry.number not in _get(client, "/public/decisions/")[0]
    assert entry.number not in _get(client, "/public/")[0]


def test_a_new_publication_and_a_renamed_agency_show_at_once(published, client):
    world = published.world
    before = _get(client, "/public/decisions/")[0]
    _case, entry, _version = published_decision(world)
    assert entry.number not in before and entry.number in _get(client, "/public/decisions/")[0]
    matters = _get(client, "/public/matters/")[0]
    published_content(world, "matter", title="取水许可")
    assert "取水许可" not in matters and "取水许可" in _get(client, "/public/matters/")[0]
    world.agency.name = "本溪市水利局"
    world.agency.save()
    assert "本溪市水利局" in _get(client, "/public/decisions/")[0]


def test_the_query_is_part_of_the_key(published, client):
    entry = published.entry
    year = int(published.version.summary["决定日期"][:4])
    assert entry.number in _get(client, f"/public/decisions/?year={year}")[0]
    assert entry.number not in _get(client, f"/public/decisions/?year={year - 1}")[0]
    assert entry.number in _get(client, f"/public/decisions/?year={year}")[0]


def test_a_refused_filter_is_answered_and_recorded_every_time(published, client):
    def refusals():
        return LedgerEntry.objects.filter(action=v.REFUSED).count()

    before = refusals()
    for n in (1, 2):
        assert client.get("/public/decisions/", {"year": "abc"}).status_code == 400
        assert refusals() == before + n


def test_the_watermark_moves_with_each_publicity_table(published):
    world, entry = published.world, published.entry
    marks = [portal_cache.watermark()]
    services.withdraw(world.agency_head, entry, "撤回")  # a step
    marks.append(portal_cache.watermark())
    published_content(world, "channel", title="监督电话")  # an entry, a version, its steps
    marks.append(portal_cache.watermark())
    assert len(set(marks)) == 3
    assert all(len(m) == 6 and "None" not in m for m in marks)
