"""POST /api/v1/officers and /certificates (issue 21 §1): officers and their 执法证 received from the
provincial platform — created, changed through accounts.services, idempotent on the platform's id and
the certificate number; bad input refused in Chinese, nothing written, each refusal recorded; the log
verifies clean after it all."""
import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.accounts import vocabulary as av
from liuhen.accounts.models import Certificate, User
from liuhen.accounts.roles import Role
from liuhen.accounts.services import require_valid_certificate
from liuhen.exchange import services
from liuhen.exchange import vocabulary as v
from liuhen.exchange.models import ReceivedOfficer
from liuhen.ledger.models import Entry

TODAY = timezone.localdate()
OFFICER = {"officer_id": "LN-210001", "name": "周明", "unit": "水政监察大队"}
CERT = {"officer_id": "LN-210001", "number": "辽21000001", "valid_from": str(TODAY - datetime.timedelta(days=30)),
        "valid_until": str(TODAY + datetime.timedelta(days=700)), "issued_by": "辽宁省人民政府"}


def events(action):
    return [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=action).order_by("pk")]


def writes():
    """The ledger's events other than the API's own trace of calls and refusals."""
    return Entry.objects.exclude(action__in=[v.CALL, v.REFUSED, "web.refused"]).count()


def post(client, token, path, body, content_type="application/json"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body, ensure_ascii=False)
    return client.post(f"/api/v1/{path}", data, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def platform(world):
    return services.add_client(None, agency=world.agency, name="省执法平台", scopes=[v.OFFICERS_WRITE], days=30)


def test_an_officer_is_created_once_then_changed_through_the_services(world, client, platform):
    api_client, token = platform
    first = post(client, token, "officers", OFFICER)
    assert first.status_code == 201, first.json()
    assert first.json() == {"officer_id": "LN-210001", "username": f"zf{world.agency.pk}-LN-210001",
                            "result": "created", "changed": []}
    user = User.objects.get(username=first.json()["username"])
    assert user.full_name == "周明" and user.agency == world.agency and user.unit == world.unit
    assert user.role_codes() == {str(Role.OFFICER)} and user.is_active
    assert ReceivedOfficer.objects.get().user == user and ReceivedOfficer.objects.get().client == api_client
    # Nobody knows the generated password: no password logs in (the administrator sets one).
    assert not client.login(username=user.username, password="")
    assert events(av.USER_CREATE)[-1]["request"]["channel"] == "api"
    assert events(v.OFFICER_RECEIVE)[0]["detail"]["user"] == user.pk

    before = writes()
    again = post(client, token, "officers", OFFICER)
    assert again.status_code == 200 and again.json()["result"] == "unchanged" and again.json()["changed"] == []
    assert writes() == before and ReceivedOfficer.objects.count() == 1

    moved = post(client, token, "officers", {**OFFICER, "name": "周明远", "unit": "水资源科", "active": False})
    assert moved.status_code == 200 and moved.json()["result"] == "updated"
    assert moved.json()["changed"] == ["full_name", "unit", "is_active"]
    user.refresh_from_db()
    assert (user.full_name, user.unit, user.is_active) == ("周明远", world.other_unit, False)
    change = events(av.USER_CHANGE)[-1]
    assert change["detail"]["changed"] == ["full_name", "unit", "is_active"] and change["content_sha256"]
    assert "周明" not in json.dumps(change, ensure_ascii=False)  # the name is personal data: never in the log
    calls = [e["detail"] for e in events(v.CALL)]
    assert [(c["status"], c["result"]) for c in calls] == [(201, "created"), (200, "unchanged"), (200, "updated")]
    assert User.objects.filter(username__startswith="zf").count() == 1


def test_a_certificate_is_issued_changed_and_revoked_idempotently(world, client, platform):
    _, token = platform
    assert post(client, token, "officers", OFFICER).status_code == 201
    user = ReceivedOfficer.objects.get().user
    made = post(client, token, "certificates", CERT)
    assert made.status_code == 201 and made.json()["result"] == "created", made.json()
    assert require_valid_certificate(user).number == "辽21000001"
    before = writes()
    same = post(client, token, "certificates", CERT)
    assert same.status_code == 200 and same.json()["result"] == "unchanged" and writes() == before
    later = str(TODAY + datetime.timedelta(days=900))
    moved = post(client, token, "certificates", {**CERT, "valid_until": later})
    assert moved.json() == {"number": "辽21000001", "officer_id": "LN-210001", "result": "updated",
                            "changed": ["valid_until"]}
    assert Certificate.objects.get(number="辽21000001").valid_until.isoformat() == later
    assert events(av.CERTIFICATE_CHANGE)[-1]["detail"]["valid_until"] == later
    revoked = post(client, token, "certificates", {**CERT, "valid_until": later, "revoked": True})
    assert revoked.json()["result"] == "updated" and revoked.json()["changed"] == ["revoked"]
    with pytest.raises(ValidationError, match="已注销"):
        require_valid_certificate(user)
    assert len(events(av.CERTIFICATE_REVOKE)) == 1
    before = writes()
    assert post(client, token, "certificates", {**CERT, "revoked": True}).json()["result"] == "unchanged"
    back = post(client, token, "certificates", CERT)
    assert back.status_code == 400 and "不能恢复" in back.json()["detail"]
    assert writes() == before and Certificate.objects.get(number="辽21000001").revoked


def test_refused_certificates_unknown_officer_or_someone_elses_number(world, client, platform):
    _, token = platform
    post(client, token, "officers", OFFICER)
    before, certs = writes(), Certificate.objects.count()
    unknown = post(client, token, "certificates", {**CERT, "officer_id": "LN-999"})
    theirs = post(client, token, "certificates", {**CERT, "number": world.officer.certificates.get().number})
    backwards = post(client, token, "certificates", {**CERT, "valid_until": str(TODAY - datetime.timedelta(days=60))})
    no_unit = post(client, token, "officers", {**OFFICER, "officer_id": "LN-2", "unit": "不存在的大队"})
    assert [a.status_code for a in (unknown, theirs, backwards, no_unit)] == [400, 400, 400, 400]
    assert "尚未报送" in unknown.json()["detail"] and "其他人员" in theirs.json()["detail"]
    assert "有效期止" in backwards.json()["detail"] and "不存在" in no_unit.json()["detail"]
    assert writes() == before and Certificate.objects.count() == certs and ReceivedOfficer.objects.count() == 1
    assert [e["detail"]["codes"] for e in events(v.REFUSED)] == [
        ["officer_unknown"], ["certificate_holder"], ["certificate_dates"], ["unit_unknown"]]


def test_bad_input_4xx_nothing_written_each_recorded(world, client, platform, settings):
    _, token = platform
    _, reader = services.add_client(None, agency=world.agency, name="只读", scopes=[v.CASES_READ], days=30)
    old, expired = services.add_client(None, agency=world.agency, name="过期", scopes=[v.OFFICERS_WRITE], days=1)
    settings.LIUHEN_API_MAX_BODY_BYTES = 2000
    users, certs, before = User.objects.count(), Certificate.objects.count(), writes()
    answers = {
        "missing token": client.post("/api/v1/officers", json.dumps(OFFICER), content_type="application/json"),
        "no scope": post(client, reader, "officers", OFFICER),
        "malformed": post(client, token, "officers", '{"officer_id": "x",'),
        "not an object": post(client, token, "certificates", '["x"]'),
        "unknown field": post(client, token, "officers", {**OFFICER, "password": "x"}),
        "wrong type": post(client, token, "officers", {**OFFICER, "active": "maybe"}),
        "bad date": post(client, token, "certificates", {**CERT, "valid_from": "昨天"}),
        "bad id": post(client, token, "officers", {**OFFICER, "officer_id": "周/1"}),
        "control character": post(client, token, "officers", {**OFFICER, "name": "周\u202e明"}),
        "huge": post(client, token, "officers", {**OFFICER, "name": "周" * 3000}),
    }
    from unittest import mock  # the clock only: the expiry is compared with now
    with mock.patch("liuhen.exchange.services.timezone.now",
                    return_value=timezone.now() + datetime.timedelta(days=2)):
        answers["expired token"] = post(client, expired, "officers", OFFICER)
    status = {k: a.status_code for k, a in answers.items()}
    assert status == {"missing token": 401, "no scope": 403, "malformed": 400, "not an object": 400,
                      "unknown field": 400, "wrong type": 400, "bad date": 400, "bad id": 400,
                      "control character": 400, "huge": 413, "expired token": 401}, status
    for name, a in answers.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in a.json()["detail"]), (name, a.json())
    assert (User.objects.count(), Certificate.objects.count(), writes()) == (users, certs, before)
    assert not ReceivedOfficer.objects.exists() and not events(v.CALL)
    assert [e["detail"]["code"] for e in events(v.REFUSED)] == [
        "missing", "scope", "malformed", "malformed", "invalid", "too_large", "expired"]
    assert events(v.REFUSED)[-1]["object"]["id"] == str(old.pk)
    assert len(events("web.refused")) == 4  # unknown field, wrong type, bad date, bad id: the schema's


def test_received_officers_and_certificates_verify_clean(verified_world, client):
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log

    _, token = services.add_client(None, agency=verified_world.agency, name="省平台", scopes=[v.OFFICERS_WRITE],
                                   days=30)
    post(client, token, "officers", OFFICER)
    post(client, token, "certificates", CERT)
    post(client, token, "officers", {**OFFICER, "unit": "", "active": False})
    post(client, token, "certificates", {**CERT, "issued_by": "辽宁省司法厅", "revoked": True})
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def test_the_account_services_refuse_anyone_but_the_system_administrator(world):
    from liuhen.accounts import services as accounts

    cert = world.officer2.certificates.get()
    for act, call in (
        ("user_change", lambda: accounts.change_person(world.officer, world.officer2, full_name="李", unit=None,
                                                       is_active=False)),
        ("certificate_change", lambda: accounts.change_certificate(world.officer, cert, valid_from=cert.valid_from,
                                                                   valid_until=cert.valid_until, issued_by="x")),
        ("certificate_revoke", lambda: accounts.revoke_certificate(world.officer, cert)),
    ):
        with pytest.raises(PermissionDenied, match="系统管理员"):
            call()
        assert events(av.DENIED)[-1]["detail"]["act"] == act
    world.officer2.refresh_from_db()
    cert.refresh_from_db()
    assert world.officer2.is_active and cert.issued_by != "x" and not cert.revoked
    assert accounts.change_person(world.sysadmin, world.officer2, full_name=world.officer2.full_name,
                                  unit=world.officer2.unit, is_active=True) == []
