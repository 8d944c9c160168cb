"""The crawler (issue 20, "Bad input"): from /public/, every /public/ and /v/ link found is followed; each
answers 200, and no page holds an ID or phone number (redact.leaks) nor the party's ID number, phone or
address, nor the name of the witness removed by hand before the review — while a draft of the same facts,
a withdrawn decision and a comment with a phone number exist."""
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

import pytest

from liuhen.publicity import redact, services
from liuhen.testing.cases import PERSON_ID
from liuhen.testing.publicity import FACTS_WITH_PEOPLE, issued_decision, publish, published_content

pytestmark = pytest.mark.django_db

PRIVATE = ("210502199003071234", "138-1234-5678", "13812345678", "本溪市平山区胜利路12号3单元501室", "胜利路12号",
           "李四", PERSON_ID, "本溪市平山区1号")
MAX_PAGES = 200


class _Page(HTMLParser):
    """The links of a page and its text as a reader gets it (tags dropped, attributes' values kept:
    a number in a title or a value is on the page too)."""

    def __init__(self):
        super().__init__()
        self.links, self.text = [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "href" and value:
                self.links.append(value)
            elif name in ("value", "title", "alt", "aria-label", "content", "placeholder") and value:
                self.text.append(value)

    def handle_data(self, data):
        self.text.append(data)


def _ours(url: str) -> bool:
    return url.startswith("/public/") or url.startswith("/v/")


def crawl(client, start="/public/"):
    """{url: text} of every page reached from `start` through /public/ and /v/ links."""
    seen, queue, pages = {start}, [start], {}
    while queue:
        url = queue.pop(0)
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        parser = _Page()
        parser.feed(r.content.decode())
        pages[url] = "\n".join(parser.text)
        for href in parser.links:
            link = urldefrag(urljoin(url, href)).url
            if _ours(link) and link not in seen:
                seen.add(link)
                queue.append(link)
        assert len(seen) <= MAX_PAGES, "the portal links without end"
    return pages


@pytest.fixture
def portal(world):
    """A decision made with FACTS_WITH_PEOPLE, the witness removed by hand before the review, published and
    commented on; a second one published then withdrawn; a third only drafted; every 事前公开 kind."""
    world.agency.phone = "024-12345678"
    world.agency.save()
    case, _doc = issued_decision(world, facts=FACTS_WITH_PEOPLE)
    draft = services.draft_decision(world.officer, case)
    version = publish(world, services.add_redaction(world.officer, draft, "李四", "person_name"))
    services.comment(version.entry, kind="comment", text="请联系我 13912345678", name="赵六", contact="13912345678")
    withdrawn_case, _ = issued_decision(world, facts=FACTS_WITH_PEOPLE)
    withdrawn = publish(world, services.add_redaction(world.officer, services.draft_decision(world.officer, withdrawn_case),
                                                      "李四", "person_name"))
    services.withdraw(world.agency_head, withdrawn.entry, "经行政复议决定撤销")
    drafted_case, _ = issued_decision(world, facts=FACTS_WITH_PEOPLE)
    services.draft_decision(world.officer, drafted_case)
    published_content(world, "agency", title="机关职能", summary={"主要职责": "水行政执法"})
    published_content(world, "matter")
    published_content(world, "channel", title="投诉举报", summary={"投诉电话": "12345（市民热线）"})
    published_content(world, "benchmark", title="河道采砂裁量基准", summary={"情节": "较轻"})
    published_content(world, "statistics", title="年度执法数据", summary={"行政处罚（件）": "3"}, year=2025)
    return world, version, withdrawn


def test_every_public_page_answers_and_holds_no_personal_data(portal, client):
    world, version, withdrawn = portal
    assert "李四" in version.source and "李四" not in version.body  # the hand-made redaction is in force
    pages = crawl(client)
    for must in ("/public/", "/public/agency/", "/public/matters/", "/public/officers/", "/public/channels/",
                 "/public/benchmarks/", "/public/decisions/", f"/public/decisions/{version.entry.number}/",
                 "/public/statistics/", "/public/statistics/2025/", "/public/verify/", f"/v/{version.document.token}"):
        assert must in pages, must
    assert f"/public/decisions/{withdrawn.entry.number}/" not in pages  # no longer listed
    problems = {}
    for url, text in pages.items():
        found = [p for p in PRIVATE if p in text] + redact.leaks(text, allow=(world.agency.phone,))
        if found:
            problems[url] = found
    assert problems == {}
    assert "13912345678" not in "".join(pages.values()) and "赵六" not in "".join(pages.values())


def test_the_withdrawn_decisions_page_holds_no_text_either(portal, client):
    _world, _version, withdrawn = portal
    url = f"/public/decisions/{withdrawn.entry.number}/"
    pages = crawl(client, url)
    assert "已撤回" in pages[url]
    for text in pages.values():
        assert not [p for p in PRIVATE if p in text] and "倾倒建筑垃圾" not in pages[url]


def test_the_crawler_finds_what_was_not_removed(world, client):
    """The crawl's check can fail: the same decision published without removing the witness by hand shows
    李四 — the finder knows only the names the case holds."""
    from liuhen.testing.publicity import published_decision

    _case, entry, _version = published_decision(world, facts=FACTS_WITH_PEOPLE)
    pages = crawl(client)
    found = {url for url, text in pages.items() if "李四" in text}
    assert f"/public/decisions/{entry.number}/" in found
