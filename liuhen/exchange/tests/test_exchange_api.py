"""The exchange API (issue 21 §1): clients with scopes and expiry, every call and every refusal in the
ledger, the per-minute rate limit, the reads of cases, decisions, 双公示 and statistics, bad input."""
import datetime
import json

import pytest
from django.utils import timezone

from liuhen.exchange import services
from liuhen.exchange import vocabulary as v
from liuhen.exchange.models import ApiClient, CallCount
from liuhen.ledger.models import Entry
from liuhen.testing.commands import run_command

ALL = sorted(v.SCOPES)


def events(action):
    return [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=action).order_by("pk")]


def call(client, path, token, **headers):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}", **headers)


@pytest.fixture
def token(world):
    return services.add_client(None, agency=world.agency, name="省监督平台", scopes=ALL, days=30)[1]


def test_cli_adds_lists_revokes_and_keeps_only_the_digest(world, client):
    run = run_command("api", "client", "add", "省平台", "--scopes", "cases:read,decisions:read", "--days", "10")
    assert run.code == 0, run.err
    token = run.out.strip().splitlines()[-1]
    row = ApiClient.objects.get()
    assert row.scopes == ["cases:read", "decisions:read"] and row.token_sha256 == services.token_digest(token)
    assert 9 <= (row.expires_at - timezone.now()).days <= 10
    assert token not in json.dumps([json.loads(bytes(e.leaf)) for e in Entry.objects.all()])
    assert call(client, "/api/v1/cases", token).status_code == 200
    listed = run_command("api", "client", "list", "--json").report
    assert listed["clients"][0]["name"] == "省平台" and listed["clients"][0]["revoked"] is False
    assert run_command("api", "client", "revoke", "省平台").code == 0
    answer = call(client, "/api/v1/cases", token)
    assert answer.status_code == 401 and "停用" in answer.json()["detail"]
    for args, message in ((("client", "add", "x", "--scopes", "cases:write"), "权限范围"),
                          (("client", "add", "y", "--scopes", ""), "权限范围"),
                          (("client", "add", "z", "--scopes", "cases:read", "--days", "0"), "有效天数"),
                          (("client", "add", "省平台", "--scopes", "cases:read"), "已登记"),
                          (("client", "revoke", "省平台"), "已停用"), (("client", "revoke", "无"), "未登记")):
        bad = run_command("api", *args)
        assert bad.code == 2 and message in bad.err, (args, bad.err)
    assert ApiClient.objects.count() == 1


def test_refusals_401_403_each_in_the_ledger_never_the_token(world, client):
    _, narrow = services.add_client(None, agency=world.agency, name="窄", scopes=["cases:read"], days=5)
    old, expired = services.add_client(None, agency=world.agency, name="过期", scopes=ALL, days=1)
    later = timezone.now() + datetime.timedelta(days=2)
    answers = {
        "missing": client.get("/api/v1/cases"),
        "unknown": call(client, "/api/v1/cases", "lhx_not-a-token"),
        "basic": client.get("/api/v1/cases", HTTP_AUTHORIZATION="Basic abc"),
        "scope": call(client, "/api/v1/decisions", narrow),
    }
    from unittest import mock  # the clock only: the expiry is compared with now
    with mock.patch("liuhen.exchange.services.timezone.now", return_value=later):
        answers["expired"] = call(client, "/api/v1/cases", expired)
    assert {k: a.status_code for k, a in answers.items()} == {
        "missing": 401, "unknown": 401, "basic": 401, "scope": 403, "expired": 401}
    assert "缺少" in answers["missing"].json()["detail"] and "过期" in answers["expired"].json()["detail"]
    assert "读取处罚决定" in answers["scope"].json()["detail"]
    codes = [e["detail"]["code"] for e in events(v.REFUSED)]
    assert codes == ["missing", "unknown", "unknown", "scope", "expired"]
    assert events(v.REFUSED)[4]["object"] == {"type": "api_client", "id": str(old.pk), "version": None}
    leaves = json.dumps([json.loads(bytes(e.leaf)) for e in Entry.objects.all()])
    assert narrow not in leaves and expired not in leaves and not events(v.CALL)


def test_cases_paged_and_since_without_party_data_each_call_logged(world, client, token):
    first = world.open_case()
    world.to_investigation(first)
    second = world.open_case()
    page = call(client, "/api/v1/cases?page_size=1", token).json()
    assert page["count"] == 2 and page["pages"] == 2 and [c["number"] for c in page["items"]] == [first.number]
    item = page["items"][0]
    assert set(item) == {"number", "title", "kind", "procedure", "stage", "opened_on", "closed_on", "archived_on"}
    assert item["stage"] == "调查取证" and item["opened_on"] == timezone.localdate().isoformat()
    assert "王建国" not in json.dumps(page, ensure_ascii=False) and "11010519491231002X" not in json.dumps(page)
    assert call(client, "/api/v1/cases?page=2&page_size=1", token).json()["items"][0]["number"] == second.number
    future = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert call(client, "/api/v1/cases", token, QUERY_STRING="") .json()["count"] == 2
    none = client.get("/api/v1/cases", {"since": future}, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert none["count"] == 0 and none["items"] == []
    # An offset PostgreSQL would not take (ISO 8601 allows ±24 h): the same moment in UTC.
    far = client.get("/api/v1/cases", {"since": "2000-01-01T00:00:00-20:34"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert far.json()["count"] == 2
    calls = events(v.CALL)
    assert [(c["detail"]["route"], c["detail"]["status"], c["detail"]["count"]) for c in calls] == [
        ("/api/v1/cases", 200, 1), ("/api/v1/cases", 200, 1), ("/api/v1/cases", 200, 2), ("/api/v1/cases", 200, 0),
        ("/api/v1/cases", 200, 2)]
    assert calls[0]["request"]["channel"] == "api"


def test_ndjson_streams_every_item(world, client, token):
    for _ in range(3):
        world.open_case()
    answer = call(client, "/api/v1/cases?format=ndjson&page_size=1", token)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(answer.streaming_content).decode().splitlines()
    assert len(lines) == 3 and all(json.loads(line)["number"] for line in lines)
    assert events(v.CALL)[-1]["detail"] == {"route": "/api/v1/cases", "status": 200, "count": 3,
                                            "agency": world.agency.pk, "format": "ndjson"}


def test_decisions_publicity_and_statistics(world, client, token):
    from liuhen.testing.publicity import published_decision

    case, entry, _ = published_decision(world)
    decisions = call(client, "/api/v1/decisions", token).json()
    assert decisions["count"] == 1
    d = decisions["items"][0]
    assert d["case_number"] == case.number and d["status"] == "valid" and d["fine_amount"] == 5000 and d["number"]
    rows = call(client, "/api/v1/publicity", token).json()
    assert rows["count"] == 1 and rows["items"][0]["公示编号"] == entry.number
    year = timezone.localdate().year
    figures = call(client, f"/api/v1/statistics/{year}", token).json()
    assert figures["year"] == year and figures["decisions"] == 1 and figures["fines"] == 5000
    early, later = call(client, "/api/v1/statistics/1999", token), call(client, f"/api/v1/statistics/{year + 1}", token)
    assert early.status_code == 400 and "year" in early.json()["detail"]  # the schema's range: 2000–2100
    assert later.status_code == 400 and "统计年度" in later.json()["detail"]  # a year not yet begun
    assert [e["detail"]["code"] for e in events(v.REFUSED)] == ["year"]
    for route, key, value in (("decisions", "case_number", case.number), ("publicity", "公示编号", entry.number)):
        lines = b"".join(call(client, f"/api/v1/{route}?format=ndjson", token).streaming_content).splitlines()
        assert [json.loads(line)[key] for line in lines] == [value]
    assert [(e["detail"]["route"].split("/")[3], e["detail"]["count"]) for e in events(v.CALL)] == [
        ("decisions", 1), ("publicity", 1), ("statistics", 1), ("decisions", 1), ("publicity", 1)]


def test_only_the_clients_agency(world, client, token):
    from liuhen.accounts.models import Agency

    world.open_case()
    other = Agency.objects.create(name="另一执法机关", short_name="另")
    _, theirs = services.add_client(None, agency=other, name="省监督平台", scopes=ALL, days=30)
    assert call(client, "/api/v1/cases", token).json()["count"] == 1
    assert call(client, "/api/v1/cases", theirs).json()["count"] == 0


def test_rate_limit_429_with_retry_after_counted_in_the_database(world, client, token, settings):
    settings.LIUHEN_API_CALLS_PER_MINUTE = 3
    answers = [call(client, "/api/v1/cases", token) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60 and "频繁" in answers[-1].json()["detail"]
    assert CallCount.objects.get().n == 4
    assert [e["detail"]["code"] for e in events(v.REFUSED)] == ["rate_limited"]
    assert len(events(v.CALL)) == 3
    # The next minute starts a new count.
    api_client = ApiClient.objects.get()
    n, left = services.count_call(api_client, timezone.now() + datetime.timedelta(minutes=1))
    assert n == 1 and 1 <= left <= 60


def test_bad_input_4xx_in_chinese_nothing_written_each_recorded(world, client, token, settings):
    world.open_case()
    settings.LIUHEN_API_MAX_BODY_BYTES = 1000
    answers = {
        "wrong type": call(client, "/api/v1/cases?page=abc", token),
        "out of range": call(client, "/api/v1/cases?page_size=100000", token),
        "unknown format": call(client, "/api/v1/cases?format=xml", token),
        "bad since": call(client, "/api/v1/cases?since=yesterday", token),
        "since overflows": call(client, "/api/v1/cases?since=0001-01-01T00:00:00%2B05:00", token),
        "year not int": call(client, "/api/v1/statistics/abc", token),
        "unknown field": call(client, "/api/v1/cases?pagesize=5", token),
        "huge body": client.generic("GET", "/api/v1/cases", "x" * 5000, content_type="application/json",
                                    HTTP_AUTHORIZATION=f"Bearer {token}"),
    }
    status = {k: a.status_code for k, a in answers.items()}
    assert status == {"wrong type": 400, "out of range": 400, "unknown format": 400, "bad since": 400,
                      "since overflows": 400, "year not int": 400, "unknown field": 400,
                      "huge body": 413}, status
    for name, a in answers.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in a.json()["detail"]), (name, a.json())
    assert not events(v.CALL)
    assert len(Entry.objects.filter(action="web.refused")) == 6
    assert [e["detail"]["code"] for e in events(v.REFUSED)] == ["unknown_field", "too_large"]
    # Only the rate limit's counter moved (seven calls answered 400 count as calls; the 413 was refused first).
    assert CallCount.objects.get().n == 7


def test_the_openapi_description_names_every_client_kind_and_scope(client):
    info = client.get("/api/openapi.json").json()["info"]
    for words in ("对接平台", "采集站", "浏览器", "liuhen api client add", "liuhen device station add", "401", "429"):
        assert words in info["description"], words
    for scope, label in v.SCOPES.items():
        assert f"`{scope}`：{label}" in info["description"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
