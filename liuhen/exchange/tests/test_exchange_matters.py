"""POST /api/v1/matters (issue 21 §1): an 执法事项 from the provincial platform becomes a draft 事前公开
entry of the client's agency, made as the client's own account; bad bodies are refused in Chinese,
nothing written, each refusal in the ledger."""
import json

import pytest

from liuhen.accounts.roles import Role
from liuhen.exchange import services
from liuhen.exchange import vocabulary as v
from liuhen.ledger.models import Entry as LedgerEntry
from liuhen.publicity.models import Entry, Version

MATTER = {"name": "河道管理范围内建设项目许可", "basis": "《中华人民共和国水法》第三十八条", "conditions": "符合防洪要求",
          "procedure": "申请—受理—审查—决定", "time_limit": "20个工作日", "code": "LN-0001"}


def events(action):
    return [json.loads(bytes(e.leaf)) for e in LedgerEntry.objects.filter(action=action).order_by("pk")]


def post(client, token, body, content_type="application/json"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body, ensure_ascii=False)
    return client.post("/api/v1/matters", data, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def platform(world):
    return services.add_client(None, agency=world.agency, name="省执法平台", scopes=[v.MATTERS_WRITE], days=30)


def test_a_matter_becomes_a_draft_of_the_clients_agency(world, client, platform):
    api_client, token = platform
    account = api_client.account
    assert account.agency == world.agency and account.has_role(Role.OFFICER) and account.unit is None
    answer = post(client, token, MATTER)
    assert answer.status_code == 201, answer.json()
    out = answer.json()
    assert out["status"] == "draft" and out["version"] == 1
    entry = Entry.objects.get(number=out["entry"])
    assert entry.agency == world.agency and entry.kind == "matter" and entry.created_by == account
    version = Version.objects.get(entry=entry)
    assert version.title == MATTER["name"] and version.summary["法规依据"] == MATTER["basis"]
    assert version.summary["事项编码"] == "LN-0001"
    call = events(v.CALL)[-1]
    assert call["detail"] == {"route": "/api/v1/matters", "status": 201, "count": 1, "entry": entry.number}


def test_bad_bodies_refused_nothing_written_each_recorded(world, client, platform, settings):
    _, token = platform
    _, reader = services.add_client(None, agency=world.agency, name="只读", scopes=[v.CASES_READ], days=30)
    settings.LIUHEN_API_MAX_BODY_BYTES = 2000
    answers = {
        "malformed": post(client, token, '{"name": "x",'),
        "not an object": post(client, token, "[1, 2]"),
        "form body": post(client, token, "name=x", content_type="application/x-www-form-urlencoded"),
        "unknown field": post(client, token, {**MATTER, "owner": "x"}),
        "wrong type": post(client, token, {**MATTER, "name": 5}),
        "missing": post(client, token, {"name": "只有名称"}),
        "blank": post(client, token, {**MATTER, "name": "   "}),
        "huge": post(client, token, {**MATTER, "body": "很长" * 2000}),
        "no scope": post(client, reader, MATTER),
    }
    status = {k: a.status_code for k, a in answers.items()}
    assert status == {"malformed": 400, "not an object": 400, "form body": 400, "unknown field": 400,
                      "wrong type": 400, "missing": 400, "blank": 400, "huge": 413, "no scope": 403}, status
    for name, a in answers.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in a.json()["detail"]), (name, a.json())
    assert "JSON" in answers["malformed"].json()["detail"] and "owner" in answers["unknown field"].json()["detail"]
    assert not Entry.objects.exists() and not Version.objects.exists() and not events(v.CALL)
    assert [e["detail"]["code"] for e in events(v.REFUSED)] == [
        "malformed", "malformed", "malformed", "invalid", "too_large", "scope"]
    assert len(events("web.refused")) == 3  # unknown field, wrong type, missing: the schema's refusals
