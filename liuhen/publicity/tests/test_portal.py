"""The public portal's pages (/public/, no login): each page and what it shows, only live versions (never a
draft, a returned version or a withdrawn text), the decisions' filters and paging, the certificate lookup
and its log line, the way to the verification page. Everything made through the services."""
import datetime
import hashlib
import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from liuhen.ledger.models import Entry as LedgerEntry
from liuhen.ledger.services import event_of
from liuhen.publicity import portal_cache
from liuhen.publicity import portal_selectors as ps
from liuhen.publicity import selectors as s
from liuhen.publicity import services
from liuhen.publicity import vocabulary as v
from liuhen.testing.publicity import published_content, published_decision
from liuhen.testing.publicity_pages_scene import criticised_decision, scene_fixture

pytestmark = pytest.mark.django_db

# Scenes built once per run and restored for each test that starts from one (liuhen.testing.demo): a world with
# published_decision(world); one with _two_decisions(world); one with issued_decision(world) drafted by the officer.
published = scene_fixture("published", "published_scene")
drafted = scene_fixture("drafted", "drafted_scene")
two_decisions = scene_fixture("two_decisions", "two_decisions_scene")


def _text(response) -> str:
    return response.content.decode()


def _events(action):
    return [event_of(e) for e in LedgerEntry.objects.filter(action=action).order_by("id")]


def test_home_shows_the_agency_the_sections_and_the_latest_decision(published, client):
    world, entry, version = published.world, published.entry, published.version
    r = client.get("/public/")
    assert r.status_code == 200
    page = _text(r)
    assert world.agency.name in page and 'lang="zh-Hans"' in page
    for _key, label, _note in (("", "执法事项", ""), ("", "执法人员", ""), ("", "处罚决定", ""), ("", "文书验真", "")):
        assert label in page
    assert reverse("public:decision", args=[entry.number]) in page and version.title in page
    assert 'name="q"' in page and 'href="#main"' in page and 'id="main"' in page


def test_agency_page_shows_the_agency_its_units_and_its_live_entry(world, client):
    world.agency.address, world.agency.phone, world.agency.credit_code = "测试市中山路1号", "024-12345678", "11210500MB0000000X"
    world.agency.save()
    published_content(world, "agency", title="机关职能", summary={"主要职责": "负责本市水行政执法"}, body="内设机构见下。")
    page = _text(client.get("/public/agency/"))
    for want in ("测试市中山路1号", "024-12345678", "11210500MB0000000X", "水政监察大队", "水资源科", "机关职能",
                 "负责本市水行政执法", "内设机构见下。"):
        assert want in page


def test_matters_list_and_detail_show_the_live_matter(world, client):
    version = published_content(world, "matter")
    page = _text(client.get("/public/matters/"))
    assert "河道管理范围内建设项目许可" in page and "20个工作日" in page
    detail = client.get(f"/public/matters/{version.entry.number}/")
    assert detail.status_code == 200
    for want in ("《中华人民共和国水法》第三十八条", "符合防洪要求", "申请—受理—审查—决定", "20个工作日"):
        assert want in _text(detail)


def test_channels_benchmarks_and_statistics(world, client):
    published_content(world, "channel", title="投诉举报电话", summary={"电话": "12345", "受理时间": "工作日"})
    bench = published_content(world, "benchmark", title="河道采砂裁量基准", summary={"情节": "较轻"}, body="罚款一万元以下")
    last_year = datetime.date.today().year - 1
    published_content(world, "statistics", title=f"{last_year}年度行政执法数据", summary={"行政处罚（件）": "12"},
                      year=last_year)
    assert "投诉举报电话" in _text(client.get("/public/channels/"))
    assert "河道采砂裁量基准" in _text(client.get("/public/benchmarks/"))
    assert "罚款一万元以下" in _text(client.get(f"/public/benchmarks/{bench.entry.number}/"))
    assert f"/public/statistics/{last_year}/" in _text(client.get("/public/statistics/"))
    year_page = client.get(f"/public/statistics/{last_year}/")
    assert year_page.status_code == 200 and "行政处罚（件）" in _text(year_page)
    assert client.get(f"/public/statistics/{last_year - 1}/").status_code == 404


def test_a_draft_or_a_returned_version_is_never_shown(drafted, client):
    world = drafted.world  # with a decision issued and drafted (the scene's), used below
    draft = services.draft_content(world.officer, "matter", title="尚未审核的事项", summary={"事项名称": "草稿"})
    returned = services.draft_content(world.officer, "benchmark", title="退回的基准", summary={"情节": "退回"})
    services.review(world.reviewer, returned, passed=False, opinion="依据不全")
    assert "尚未审核的事项" not in _text(client.get("/public/matters/"))
    assert "退回的基准" not in _text(client.get("/public/benchmarks/"))
    assert client.get(f"/public/matters/{draft.entry.number}/").status_code == 404
    assert client.get(f"/public/benchmarks/{returned.entry.number}/").status_code == 404
    # a reviewed but not approved decision: not on the list, not at its number
    from liuhen.testing.publicity import reviewed

    version = reviewed(world, drafted.version)  # issued_decision(world), services.draft_decision(world.officer, case)
    assert client.get(f"/public/decisions/{version.entry.number}/").status_code == 404
    assert version.entry.number not in _text(client.get("/public/decisions/"))
    refused = _events(v.REFUSED)
    assert refused and refused[-1]["detail"]["codes"] == ["unknown"]


def test_a_matter_of_another_kind_is_not_served_under_this_kind(world, client):
    bench = published_content(world, "benchmark", title="基准")
    assert client.get(f"/public/matters/{bench.entry.number}/").status_code == 404


def test_the_decision_page(world, client):
    from liuhen.testing.publicity import FACTS_WITH_PEOPLE

    _case, entry, version = published_decision(world, facts=FACTS_WITH_PEOPLE)
    r = client.get(f"/public/decisions/{entry.number}/")
    assert r.status_code == 200
    page = _text(r)
    # the summary first, in its order: 文号, 当事人, 违法行为类型, 处罚内容, 机关, 日期
    heads = [page.index(f"<th scope=\"row\">{label}</th>") for label in
             ("决定书文号", "当事人", "违法行为类型", "处罚内容", "处罚机关", "决定日期")]
    assert heads == sorted(heads) and heads[-1] < page.index("决定书全文")
    assert "事实和理由" in page and "公示中" in page
    # what was removed: its category and how many, never the text
    assert "身份证号码" in page and "210502199003071234" not in page and "138-1234-5678" not in page
    counts = re.findall(r'data-label="处数">(\d+)<', page)
    assert sum(int(n) for n in counts) == len(version.redactions)
    # the served document's check
    doc = version.document
    assert version.source_sha256 in page and doc.number.text in page
    assert f'href="/v/{doc.token}"' in page
    assert client.get(f"/v/{doc.token}").status_code == 200
    # the comment form
    assert f'action="/public/decisions/{entry.number}/comment/#comment"' in page and "csrfmiddlewaretoken" in page


def test_a_correction_is_listed_with_its_reason(published, client):
    from liuhen.testing.publicity import publish

    world, entry, version = published.world, published.entry, published.version
    corrected = services.revise(world.officer, entry, reason="更正违法行为类型的表述",
                                summary={**version.summary, "违法行为类型": "未经许可在河道管理范围内倾倒"})
    publish(world, corrected)
    page = _text(client.get(f"/public/decisions/{entry.number}/"))
    assert "更正记录" in page and "更正违法行为类型的表述" in page
    assert "未经许可在河道管理范围内倾倒" in page


def test_a_withdrawn_decision_shows_its_reason_and_no_text(published, client):
    world, entry, version = published.world, published.entry, published.version
    services.withdraw(world.agency_head, entry, "经行政复议决定撤销原处罚决定")
    r = client.get(f"/public/decisions/{entry.number}/")
    assert r.status_code == 200
    page = _text(r)
    assert "已撤回" in page and "经行政复议决定撤销原处罚决定" in page
    assert "决定书全文" not in page and "责令停止违法行为" not in page and version.source_sha256 not in page
    assert entry.number not in _text(client.get("/public/decisions/"))
    assert 'name="text"' not in page  # no comment form on a text no one can read


def test_an_expired_decision_shows_the_notice_and_no_text(published, client, monkeypatch):
    entry, version = published.entry, published.version
    later = version.public_until + datetime.timedelta(days=1)
    monkeypatch.setattr(s, "today", lambda: later)
    page = _text(client.get(f"/public/decisions/{entry.number}/"))
    assert "公示期满" in page and "责令停止违法行为" not in page
    assert entry.number not in _text(client.get("/public/decisions/"))
    monkeypatch.setattr(s, "today", lambda: version.public_until)  # the last day is still public
    assert "责令停止违法行为" in _text(client.get(f"/public/decisions/{entry.number}/"))


def _two_decisions(world):
    """A decision on 王五; a 通报批评 of 王五 and 本溪某建材有限公司 (an organisation): the scene two_decisions."""
    first = published_decision(world)
    return first, criticised_decision(world)


def test_decisions_filter_by_penalty_year_and_party(two_decisions, client):
    (_c1, e1, v1), (_c2, e2, v2) = two_decisions.decisions  # _two_decisions(world)
    assert v1.summary["处罚类别"] != v2.summary["处罚类别"]
    page = _text(client.get("/public/decisions/", {"penalty": v2.summary["处罚类别"]}))
    assert f"/public/decisions/{e2.number}/" in page and f"/public/decisions/{e1.number}/" not in page
    year = int(v1.summary["决定日期"][:4])
    page = _text(client.get("/public/decisions/", {"year": year}))
    assert f"/public/decisions/{e1.number}/" in page and f"/public/decisions/{e2.number}/" in page
    assert f"/public/decisions/{e1.number}/" not in _text(client.get("/public/decisions/", {"year": year - 1}))
    assert "本溪某建材有限公司" in v2.summary["当事人"]
    page = _text(client.get("/public/decisions/", {"q": "某建材"}))
    assert f"/public/decisions/{e2.number}/" in page and f"/public/decisions/{e1.number}/" not in page
    page = _text(client.get("/public/decisions/", {"q": "没有这个单位"}))
    assert f"/public/decisions/{e1.number}/" not in page and "没有符合条件" in page


def test_decisions_are_paged_with_a_bounded_number_of_queries(two_decisions, client, monkeypatch,
                                                             django_assert_max_num_queries):
    monkeypatch.setattr(ps, "PAGE_SIZE", 1)
    (_c1, e1, _v1), (_c2, e2, _v2) = two_decisions.decisions  # _two_decisions(world)
    first = _text(client.get("/public/decisions/"))
    assert f"/public/decisions/{e2.number}/" in first and f"/public/decisions/{e1.number}/" not in first
    assert "page=2" in first and "共 2 页" in first
    second = _text(client.get("/public/decisions/", {"page": 2}))
    assert f"/public/decisions/{e1.number}/" in second
    assert client.get("/public/decisions/", {"page": 3}).status_code == 404
    monkeypatch.setattr(ps, "PAGE_SIZE", 20)
    caches[portal_cache.CACHE].clear()  # the page made again, not served as kept (publicity.portal_cache)
    with django_assert_max_num_queries(8):  # the years, the count, the page of entries, the page of versions
        client.get("/public/decisions/")


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def test_no_query_per_row(published, client):
    """One more decision, matter or officer on a list costs no more query."""
    world = published.world  # published_decision(world)
    published_content(world, "matter")
    before = {url: _queries(client, url) for url in ("/public/", "/public/decisions/", "/public/matters/",
                                                    "/public/officers/")}
    _two_decisions(world)
    published_content(world, "matter", title="取水许可")
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    newcomer = acc.create_user(None, username="qian", full_name="钱七", password=world.PASSWORD, agency=world.agency,
                               unit=world.unit, roles=[Role.OFFICER])
    acc.issue_certificate(None, newcomer, number="1401999999", valid_from=datetime.date.today(),
                          valid_until=datetime.date.today() + datetime.timedelta(days=30), issued_by="测试市人民政府")
    after = {url: _queries(client, url) for url in before}
    assert after == before
    assert len(ps.decisions(world.agency)) == 3 and "钱七" in _text(client.get("/public/officers/"))


def test_the_officers_page_lists_valid_certificates_and_no_personal_data(world, client):
    world.officer.phone = "13912345678"
    world.officer.save(update_fields=["phone"])
    page = _text(client.get("/public/officers/"))
    assert "张明" in page and world.officer.certificates.get().number in page
    assert "赵刚" not in page  # expired yesterday
    assert "13912345678" not in page and "zhang" not in page


@pytest.mark.parametrize("who,state,word", [("officer", "valid", "有效"), ("expired", "expired", "已过期")])
def test_the_certificate_lookup(world, client, who, state, word):
    person = getattr(world, who)
    number = person.certificates.get().number
    r = client.get("/public/officers/", {"number": f" {number} "})
    assert r.status_code == 200
    page = _text(r)
    assert f'data-state="{state}"' in page and word in page and person.full_name in page
    event = _events(v.LOOKUP)[-1]
    assert event["detail"] == {"number_sha256": hashlib.sha256(number.encode()).hexdigest(), "state": state}
    assert number not in str(event)


def test_the_certificate_lookup_of_an_unknown_number(world, client):
    page = _text(client.get("/public/officers/", {"number": "14019999999"}))
    assert "未查到" in page and 'data-state="unknown"' in page
    assert _events(v.LOOKUP)[-1]["detail"]["state"] == "unknown"


def test_full_width_digits_are_looked_up_as_typed_on_a_phone(world, client):
    number = world.officer.certificates.get().number
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert 'data-state="valid"' in _text(client.get("/public/officers/", {"number": wide}))


def test_verify_redirects_a_token_to_the_verification_page(published, client):
    version = published.version
    token = version.document.token
    assert client.get("/public/verify/").status_code == 200
    r = client.get("/public/verify/", {"token": f" {token} "})
    assert r.status_code == 302 and r["Location"] == f"/v/{token}"


def test_pages_are_public_and_carry_no_inline_script_or_style(published, client):
    entry = published.entry
    for url in ("/public/", "/public/agency/", "/public/matters/", "/public/officers/", "/public/channels/",
                "/public/benchmarks/", "/public/decisions/", f"/public/decisions/{entry.number}/",
                "/public/statistics/", "/public/verify/"):
        r = client.get(url)
        assert r.status_code == 200, url
        page = _text(r)
        assert "<script" not in page and "style=" not in page and "<style" not in page, url
        assert "<header" in page and "<nav" in page and "<main" in page and "<footer" in page, url
        assert "/logout/" not in page and "登录" not in page, url


def test_summary_rows_are_in_reading_order_whatever_the_database_keeps():
    """jsonb (PostgreSQL) returns keys by length: the portal puts the 摘要 back in its order."""
    stored = {"公示截止期": "2029-12-02", "当事人": "王五", "决定书文号": "测水罚〔2026〕第1号", "备注": "无", "处罚内容": "罚款",
              "空": ""}
    assert [label for label, _ in s.summary_rows(stored)] == ["决定书文号", "当事人", "处罚内容", "公示截止期", "备注"]
