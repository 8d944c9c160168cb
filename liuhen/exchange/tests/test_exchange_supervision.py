"""A supervising platform's API access (issue 21 §1, §4; 上级监督): a county 司法局's client holding
supervised:read reads, with `agency=`, the cases, decisions, 双公示 and figures of the agencies its
agency supervises now — and nothing of an agency it does not or no longer supervises, nor does the
supervised agency's client read its supervisor; every refusal a 403 in Chinese and an exchange.refused
event, every read an exchange.call event naming the agency read; writes never take `agency=`."""
import io
import json

import pytest
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.exchange import services
from liuhen.exchange import vocabulary as v
from liuhen.exchange.models import ReceivedOfficer
from liuhen.ledger.models import Entry

READS = sorted(v.READ_SCOPES)
COUNTY_CODE = "11210500MB0000001X"


def events(action):
    return [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=action).order_by("pk")]


def get(client, token, path, **params):
    return client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {token}")


def body_of(answer) -> str:
    return b"".join(answer.streaming_content).decode() if answer.streaming else answer.content.decode()


@pytest.fixture
def county(world):
    """The county 司法局 (统一社会信用代码 COUNTY_CODE) supervising the world's agency (文号简称 测水)."""
    agency = acc.create_agency(None, name="测试县司法局", short_name="县司", credit_code=COUNTY_CODE)
    supervision = acc.grant_supervision(None, agency, world.agency, basis="县人民政府行政执法监督办法")
    return agency, supervision


def supervisor_token(agency, scopes=(*READS, v.SUPERVISED_READ), name="县执法监督平台"):
    return services.add_client(None, agency=agency, name=name, scopes=list(scopes), days=30)[1]


def test_a_supervisors_client_reads_the_supervised_agencys_data(world, client, county):
    from liuhen.testing.publicity import published_decision

    agency, _ = county
    case, entry, _ = published_decision(world)
    token = supervisor_token(agency)
    code = world.agency.short_name
    own = get(client, token, "/api/v1/cases").json()
    assert own["count"] == 0  # without agency=: the county's own cases
    cases = get(client, token, "/api/v1/cases", agency=code).json()
    assert [c["number"] for c in cases["items"]] == [case.number]
    decisions = get(client, token, "/api/v1/decisions", agency=code).json()
    assert [(d["case_number"], d["status"]) for d in decisions["items"]] == [(case.number, "valid")]
    rows = get(client, token, "/api/v1/publicity", agency=code).json()
    assert [r["公示编号"] for r in rows["items"]] == [entry.number]
    year = timezone.localdate().year
    figures = get(client, token, f"/api/v1/statistics/{year}", agency=code).json()
    assert figures["decisions"] == 1 and figures["fines"] == 5000
    assert get(client, token, f"/api/v1/statistics/{year}").json()["decisions"] == 0
    # The bulk exports the same.
    lines = body_of(get(client, token, "/api/v1/decisions", agency=code, format="ndjson")).splitlines()
    assert [json.loads(line)["case_number"] for line in lines] == [case.number]
    assert case.number in body_of(get(client, token, "/api/v1/cases", agency=code, format="csv"))
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(get(client, token, "/api/v1/publicity", agency=code, format="xlsx").content))
    assert entry.number in [c.value for row in book.active.iter_rows() for c in row]
    # Each read's event names the agency read; no refusal.
    calls = [(e["detail"]["route"].split("/")[3], e["detail"]["agency"]) for e in events(v.CALL)]
    mine, theirs = agency.pk, world.agency.pk
    assert calls == [("cases", mine), ("cases", theirs), ("decisions", theirs), ("publicity", theirs),
                     ("statistics", theirs), ("statistics", mine), ("decisions", theirs), ("cases", theirs),
                     ("publicity", theirs)]
    assert not events(v.REFUSED)


def test_the_code_may_be_the_credit_code_and_an_agency_may_name_itself(world, client, county):
    agency, _ = county
    world.agency.credit_code = "11210500MB0000002Y"
    world.agency.save(update_fields=["credit_code"])
    world.open_case()
    token = supervisor_token(agency)
    assert get(client, token, "/api/v1/cases", agency="11210500MB0000002Y").json()["count"] == 1
    assert get(client, token, "/api/v1/cases", agency=COUNTY_CODE).json()["count"] == 0
    # A client without supervised:read still names its own agency.
    narrow = supervisor_token(agency, scopes=["cases:read"], name="县本级平台")
    assert get(client, narrow, "/api/v1/cases", agency="县司").status_code == 200


def refused(answer, code: str) -> bool:
    detail = answer.json()["detail"]
    return answer.status_code == 403 and f"无权读取执法机关“{code}”" in detail and "supervised:read" in detail


def test_an_agency_not_supervised_now_is_refused_and_recorded(world, client, county):
    from liuhen.testing.agencies import OtherAgency

    agency, supervision = county
    world.open_case()
    other = OtherAgency("另一市城管局", "另城", "lc_", "LC")
    other.open_case()
    token = supervisor_token(agency)
    narrow = supervisor_token(agency, scopes=READS, name="县平台（无监督读取）")
    answers = [
        (get(client, token, "/api/v1/cases", agency="另城"), "另城"),  # an agency it never supervised
        (get(client, token, "/api/v1/cases", agency="不存在"), "不存在"),  # none: the same answer
        (get(client, narrow, "/api/v1/cases", agency="测水"), "测水"),  # supervised, but not this token's scope
        (get(client, token, "/api/v1/decisions", agency="另城", format="ndjson"), "另城"),
        (get(client, token, "/api/v1/publicity", agency="另城", format="csv"), "另城"),
        (get(client, token, f"/api/v1/statistics/{timezone.localdate().year}", agency="另城"), "另城"),
    ]
    assert get(client, token, "/api/v1/cases", agency="测水").json()["count"] == 1
    acc.end_supervision(None, supervision, reason="机构改革，监督关系调整")
    answers.append((get(client, token, "/api/v1/cases", agency="测水"), "测水"))  # no longer supervised
    answers.append((get(client, token, "/api/v1/cases", agency="测水", format="xlsx"), "测水"))
    for answer, code in answers:
        assert refused(answer, code), (code, answer.status_code, answer.content[:200])
    refusals = events(v.REFUSED)
    assert [(e["detail"]["code"], e["detail"]["status"], e["detail"]["agency"]) for e in refusals] == [
        ("agency", 403, code) for _, code in answers]
    assert [e["detail"]["agency"] for e in events(v.CALL)] == [world.agency.pk]  # the one allowed read


def test_the_supervised_agencys_client_cannot_read_its_supervisor(world, client, county):
    agency, _ = county
    _, token = services.add_client(None, agency=world.agency, name="测水平台", scopes=sorted(v.SCOPES), days=30)
    for code in ("县司", COUNTY_CODE):
        assert refused(get(client, token, "/api/v1/cases", agency=code), code)
    assert get(client, token, "/api/v1/cases", agency="测水").status_code == 200


def test_writes_act_for_the_clients_own_agency_only(world, client, county):
    agency, _ = county
    token = supervisor_token(agency, scopes=(v.OFFICERS_WRITE, v.SUPERVISED_READ, *READS))
    officer = {"officer_id": "XS-1", "name": "周明", "unit": ""}
    answer = client.post("/api/v1/officers?agency=测水", json.dumps(officer), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 400 and "agency" in answer.json()["detail"]
    assert not ReceivedOfficer.objects.exists()
    assert [e["detail"]["code"] for e in events(v.REFUSED)] == [v.UNKNOWN_FIELD]
    answer = client.post("/api/v1/officers", json.dumps(officer), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 201, answer.content
    assert ReceivedOfficer.objects.get().agency == agency and ReceivedOfficer.objects.get().user.agency == agency


def test_the_openapi_document_describes_agency_on_the_reads_only(client):
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/v1/cases", "/api/v1/decisions", "/api/v1/publicity", "/api/v1/statistics/{year}"):
        [param] = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "agency"]
        assert param["in"] == "query" and not param.get("required") and "监督" in param["description"]
    for path in ("/api/v1/matters", "/api/v1/officers", "/api/v1/certificates"):
        assert all(p["name"] != "agency" for p in spec["paths"][path]["post"].get("parameters", []))
    assert "supervised:read" in spec["info"]["description"] and "agency=" in spec["info"]["description"]
