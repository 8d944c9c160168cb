"""Bad input on the portal: each refused with a Chinese message and its 4xx, nothing written but the
refusal's own line in the ledger (publicity.refused: the act and its code, never what was typed)."""
import pytest

from liuhen.ledger.models import Entry as LedgerEntry
from liuhen.ledger.services import event_of
from liuhen.publicity import services
from liuhen.publicity import vocabulary as v
from liuhen.publicity.models import Comment
from liuhen.testing.publicity_pages_scene import scene_fixture

pytestmark = pytest.mark.django_db

# Scenes built once per run and restored for each test that starts from one (liuhen.testing.demo): a world with
# published_decision(world); one with issued_decision(world) drafted by the officer.
published = scene_fixture("published", "published_scene")
drafted = scene_fixture("drafted", "drafted_scene")

GOOD = {"kind": "error", "text": "决定书中的违法行为发生时间有误。", "name": "", "contact": ""}


def _refusals():
    return [event_of(e)["detail"] for e in LedgerEntry.objects.filter(action=v.REFUSED).order_by("id")]


@pytest.fixture
def decision(published):
    return published.entry  # testing.publicity.published_decision(world), restored


def _comment(client, entry, **data):
    return client.post(f"/public/decisions/{entry.number}/comment/", {**GOOD, **data})


def test_a_good_comment_is_taken_and_thanked(decision, client):
    r = _comment(client, decision, contact="13912345678")
    assert r.status_code == 200
    page = r.content.decode()
    assert "感谢您的意见" in page and "答复" in page and "13912345678" not in page
    row = Comment.objects.get()
    assert (row.entry_id, row.kind, row.text, row.contact) == (decision.pk, "error", GOOD["text"], "13912345678")
    assert LedgerEntry.objects.filter(action=v.COMMENT).count() == 1


@pytest.mark.parametrize("data,message,code", [
    ({"text": ""}, "请填写意见内容", "required"),
    ({"text": "   \n  "}, "请填写意见内容", "required"),
    ({"text": "长" * 2001}, "最多2000个字符", "max_length"),
    ({"text": "有控制字符\x07在此"}, "意见内容", "control_character"),
    ({"text": "反向\u202e文字"}, "意见内容", "control_character"),
    ({"name": "张\x00三"}, "", None),
    ({"contact": "1" * 101}, "联系方式", "max_length"),
    ({"kind": "praise"}, "请选择意见类别", "invalid_choice"),
    ({"kind": ""}, "请选择意见类别", "required"),
])
def test_bad_comments_are_refused_with_the_form_kept(decision, client, data, message, code):
    r = _comment(client, decision, **data)
    assert r.status_code == 400
    page = r.content.decode()
    assert 'role="alert"' in page and message in page
    assert 'name="text"' in page  # the form is there again …
    if data.get("text", "").strip() and "\x07" not in data["text"] and "\u202e" not in data["text"]:
        assert data["text"][:50] in page  # … with what was typed
    assert not Comment.objects.exists() and not LedgerEntry.objects.filter(action=v.COMMENT).exists()
    refused = _refusals()[-1]
    assert refused["act"] == "comment" and refused["status"] == 400 and refused["entry"] == decision.number
    if code:
        assert refused["codes"] == [code]
    assert GOOD["text"] not in str(refused) and (data.get("text") or "\uffff") not in str(refused)


def test_a_comment_on_a_withdrawn_decision_is_refused(published, decision, client):
    world = published.world
    services.withdraw(world.agency_head, decision, "经行政复议撤销")
    r = _comment(client, decision)
    assert r.status_code == 400 and "未在公示" in r.content.decode()
    assert not Comment.objects.exists()
    assert _refusals()[-1]["codes"] == ["not_live"]


def test_a_comment_on_an_unknown_or_unpublished_entry_is_404(drafted, client):
    draft = drafted.version  # issued_decision(world), then services.draft_decision(world.officer, case)
    for number in ("2026-9999", draft.entry.number):
        assert client.post(f"/public/decisions/{number}/comment/", GOOD).status_code == 404
    assert not Comment.objects.exists()
    assert [r["codes"] for r in _refusals()[-2:]] == [["unknown"], ["unknown"]]


def test_a_comment_needs_the_csrf_token(decision):
    from django.test import Client

    r = Client(enforce_csrf_checks=True).post(f"/public/decisions/{decision.number}/comment/", GOOD)
    assert r.status_code == 403 and not Comment.objects.exists()


def test_a_comment_body_too_large_is_refused_before_it_is_read(decision, client):
    r = client.post(f"/public/decisions/{decision.number}/comment/", {**GOOD, "text": "长" * 40000})
    assert r.status_code == 413 and not Comment.objects.exists()
    assert _refusals()[-1]["codes"] == ["too_large"]


def test_the_comment_url_takes_only_post(decision, client):
    assert client.get(f"/public/decisions/{decision.number}/comment/").status_code == 405


@pytest.mark.parametrize("number,message", [
    ("12", "执法证号格式不正确"),
    ("1" * 41, "执法证号格式不正确"),
    ("1" * 61, "执法证号最多40个字符"),
    ("1401<script>", "执法证号格式不正确"),
    ("1401\x00001", ""),
    ("1401 0000 01", "执法证号格式不正确"),
    ("", "请输入执法证号"),
])
def test_a_malformed_certificate_number_is_400(world, client, number, message):
    r = client.get("/public/officers/", {"number": number})
    assert r.status_code == 400
    page = r.content.decode()
    assert message in page and 'role="alert"' in page and "<script>" not in page
    assert not LedgerEntry.objects.filter(action=v.LOOKUP).exists()
    refused = _refusals()[-1]
    assert refused["act"] == "lookup" and refused["status"] == 400
    assert len(number) < 4 or number not in str(refused)


@pytest.mark.parametrize("params,message", [
    ({"year": "abc"}, "年度应为四位数字"),
    ({"year": "1999"}, "年度不能早于2000年"),
    ({"year": "9999"}, "年度不能晚于今年"),
    ({"penalty": "死刑"}, "处罚类别不正确"),
    ({"q": "长" * 51}, "最多50个字符"),
    ({"q": "某\x00公司"}, ""),
    ({"page": "0"}, "页码应为正整数"),
    ({"page": "x"}, "页码应为正整数"),
])
def test_bad_decision_filters_are_400(world, client, params, message):
    r = client.get("/public/decisions/", params)
    assert r.status_code == 400
    page = r.content.decode()
    assert 'role="alert"' in page and message in page
    assert _refusals()[-1]["act"] == "search"


def test_a_page_past_the_last_is_404_and_recorded(world, client):
    assert client.get("/public/decisions/", {"page": "5"}).status_code == 404
    assert client.get("/public/officers/", {"page": "5"}).status_code == 404
    assert client.get("/public/officers/", {"page": "-1"}).status_code == 400
    assert [r["codes"] for r in _refusals()] == [["no_page"], ["no_page"], ["page"]]


@pytest.mark.parametrize("token,message", [
    ("", "请输入文书上的验真码"),
    ("abc/../x", "验真码格式不正确"),
    ("a" * 17, "验真码格式不正确"),
    ("<script>", "验真码格式不正确"),
])
def test_a_malformed_token_is_400(world, client, token, message):
    r = client.get("/public/verify/", {"token": token})
    assert r.status_code == 400 and message in r.content.decode()
    assert _refusals()[-1]["act"] == "verify"


def test_unknown_numbers_are_404_and_recorded(world, client):
    for url in ("/public/decisions/2026-0404/", "/public/matters/2026-0404/", "/public/benchmarks/x/",
                "/public/statistics/2001/"):
        r = client.get(url)
        assert r.status_code == 404 and "未找到" in r.content.decode(), url
    assert len(_refusals()) == 4
