"""上级监督 (issue 21 §4): one agency supervises another — declared only by the platform's system
administrator (or the system), never oneself, never twice, never in a cycle; every declaration, end
and refusal in the ledger; a supervision row slipped in or an end taken out by SQL is found by verify."""
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.accounts import services as acc
from liuhen.accounts import vocabulary as v
from liuhen.accounts.models import Supervision, SupervisionEnd
from liuhen.accounts.roles import Role
from liuhen.accounts.selectors import supervised_agency_ids
from liuhen.ledger.models import Entry
from liuhen.testing.commands import run_command

BASIS = "县政府确定的行政执法监督关系"


def events(action):
    return [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=action).order_by("pk")]


@pytest.fixture
def agencies(db):
    names = (("市司法局", "市司"), ("县水务局", "县水"), ("县交通局", "县交"))
    return [acc.create_agency(None, name=n, short_name=s) for n, s in names]


@pytest.fixture
def platform_admin(db):
    """The platform's system administrator: of no agency."""
    return acc.create_user(None, username="pingtai", full_name="平台管理员", password="Liuhen-test-2026",
                           agency=None, roles=[Role.SYSTEM_ADMIN])


def test_declared_and_ended_by_the_platform_administrator_each_in_the_ledger(agencies, platform_admin):
    p, c, _ = agencies
    row = acc.grant_supervision(platform_admin, p, c, basis=BASIS)
    assert supervised_agency_ids(p.pk) == {c.pk} and supervised_agency_ids(c.pk) == set()
    [granted] = events(v.SUPERVISION_GRANT)
    assert granted["detail"] == {"supervisor": p.pk, "supervised": c.pk}
    assert granted["content_sha256"] == row.ledger_digest() and granted["actor"]["id"] == platform_admin.pk
    end = acc.end_supervision(platform_admin, row, reason="机构调整")
    assert supervised_agency_ids(p.pk) == set()
    assert events(v.SUPERVISION_END)[0]["content_sha256"] == end.ledger_digest()
    # Ended once; declared again, a new row (the old one and its end stay).
    with pytest.raises(ValidationError):
        acc.end_supervision(platform_admin, row, reason="再次终止")
    acc.grant_supervision(platform_admin, p, c, basis=BASIS)
    assert Supervision.objects.count() == 2 and supervised_agency_ids(p.pk) == {c.pk}


def test_not_oneself_not_twice_no_cycle_a_basis(agencies):
    p, c, d = agencies
    acc.grant_supervision(None, p, c, basis=BASIS)
    acc.grant_supervision(None, c, d, basis=BASIS)
    cases = [((p, p, BASIS), "self"), ((p, c, BASIS), "duplicate"), ((c, p, BASIS), "cycle"),
             ((d, p, BASIS), "cycle"), ((d, c, BASIS), "cycle"), ((p, d, " "), "no_basis")]
    for (sup, sub, basis), code in cases:
        with pytest.raises(ValidationError) as exc:
            acc.grant_supervision(None, sup, sub, basis=basis)
        assert exc.value.error_list[0].code == code, (sup.name, sub.name)
    # Not passed down a chain: the city sees the county water bureau, not the one it supervises.
    assert supervised_agency_ids(p.pk) == {c.pk}
    assert Supervision.objects.count() == 2


def test_an_agencys_own_administrators_may_not_declare_and_the_refusal_is_recorded(agencies, platform_admin):
    p, c, _ = agencies
    own_sys = acc.create_user(None, username="xsys", full_name="县系统管理员", password="Liuhen-test-2026",
                              agency=c, roles=[Role.SYSTEM_ADMIN])
    head = acc.create_user(None, username="xhead", full_name="司法局长", password="Liuhen-test-2026",
                           agency=p, roles=[Role.AGENCY_HEAD])
    for actor in (own_sys, head):
        with pytest.raises(PermissionDenied):
            acc.grant_supervision(actor, p, c, basis=BASIS)
    row = acc.grant_supervision(platform_admin, p, c, basis=BASIS)
    with pytest.raises(PermissionDenied):
        acc.end_supervision(own_sys, row, reason="不想被监督")
    refused = [e["detail"]["act"] for e in events(v.DENIED)]
    assert refused == ["supervision_grant", "supervision_grant", "supervision_end"]
    assert Supervision.objects.count() == 1 and not SupervisionEnd.objects.exists()


def test_cli_declares_lists_and_ends(agencies, platform_admin):
    p, c, _ = agencies
    run = run_command("agency", "supervise", "市司", "县水务局", "--basis", BASIS)
    assert run.code == 0, run.err
    row = Supervision.objects.get()
    listed = run_command("agency", "list", "--json").report
    assert listed["supervisions"] == [{"id": row.pk, "supervisor": "市司法局", "supervised": "县水务局",
                                       "basis": BASIS, "since": row.granted_at.isoformat(), "ended": False}]
    assert {a["short_name"] for a in listed["agencies"]} == {"市司", "县水", "县交"}
    for args, message in ((("supervise", "市司", "县水", "--basis", BASIS), "已在监督"),
                          (("supervise", "县水", "市司", "--basis", BASIS), "不能成环"),
                          (("supervise", "市司", "无此局", "--basis", BASIS), "不存在"),
                          (("supervise", "市司", "县交"), "监督依据"),
                          (("end-supervision", "99"), "不存在"),
                          (("end-supervision", str(row.pk)), "终止理由")):
        bad = run_command("agency", *args)
        assert bad.code == 2 and message in bad.err, (args, bad.err)
    own = acc.create_user(None, username="xsys", full_name="县系统管理员", password="Liuhen-test-2026",
                          agency=c, roles=[Role.SYSTEM_ADMIN])
    bad = run_command("agency", "--as", own.username, "end-supervision", str(row.pk), "--reason", "调整")
    assert bad.code == 2 and "平台系统管理员" in bad.err
    run = run_command("agency", "--as", platform_admin.username, "end-supervision", str(row.pk), "--reason", "调整")
    assert run.code == 0, run.err
    assert run_command("agency", "list", "--json").report["supervisions"][0]["ended"] is True


def test_cli_adds_an_agency_and_a_unit(db):
    assert run_command("agency", "add", "县林业局", "--short-name", "县林").code == 0
    assert run_command("agency", "unit", "县林", "森林公安科").code == 0
    report = run_command("agency", "list", "--json").report
    assert report["agencies"] == [{"id": report["agencies"][0]["id"], "name": "县林业局", "short_name": "县林",
                                   "units": 1, "people": 0}]
    assert run_command("agency", "add", "县林业局", "--short-name", "县林").code == 2  # the name is unique


@pytest.mark.usefixtures("fresh_home")
def test_verify_finds_a_supervision_slipped_in_or_an_end_taken_out(agencies):
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.testing.tampering import drop_append_only, sql

    p, c, d = agencies
    ended = acc.grant_supervision(None, p, d, basis=BASIS)
    end = acc.end_supervision(None, ended, reason="调整")
    integrate_all()
    assert verify_log().ok
    drop_append_only("accounts_supervisionend")
    sql("INSERT INTO accounts_supervision (supervisor_id, supervised_id, basis, granted_at) "
        "VALUES (%s, %s, %s, CURRENT_TIMESTAMP)", [p.pk, c.pk, "伪造"])
    sql("DELETE FROM accounts_supervisionend WHERE id = %s", [end.pk])
    slipped = Supervision.objects.get(basis="伪造")
    report = verify_log()
    found = {(f.object, f.code) for f in report.findings}
    assert (f"supervision:{slipped.pk}", v.E017) in found
    assert (f"supervision_end:{end.pk}", v.E021) in found


def test_the_configuration_admin_lists_supervisions_to_read_only(agencies, platform_admin):
    # Listed for the platform (all) and an agency's system administrator (their agency's); never edited
    # there — a declaration goes through the service and the ledger.
    from django.test import Client

    from liuhen.testing.otp import login_verified

    p, c, t = agencies
    kept = acc.grant_supervision(platform_admin, p, c, basis=BASIS)
    ended = acc.grant_supervision(platform_admin, p, t, basis="另一依据")
    acc.end_supervision(platform_admin, ended, reason="监督关系调整")
    client = Client()
    login_verified(client, platform_admin)
    page = client.get("/admin/accounts/supervision/").content.decode()
    assert "县水务局" in page and "县交通局" in page and "已终止" in page and "监督关系调整" in page and "有效" in page
    assert client.get("/admin/accounts/supervision/add/").status_code == 403
    assert client.post(f"/admin/accounts/supervision/{kept.pk}/change/", {"basis": "改"}).status_code == 403
    assert Supervision.objects.get(pk=kept.pk).basis == BASIS
    t_admin = acc.create_user(None, username="t_sys", full_name="交通局系统管理员", password="Liuhen-test-2026",
                              agency=t, roles=[Role.SYSTEM_ADMIN])
    login_verified(client, t_admin)
    page = client.get("/admin/accounts/supervision/").content.decode()
    assert "县交通局" in page and "县水务局" not in page  # only the supervisions its agency is part of
