"""A password reset takes two administrators (review of issue 12, item 4): the system administrator's
reset leaves the account unable to log in until the security administrator releases it — a
different person, who did not create or change that account the same day. Each step is a ledger
event; the owner still changes the password at the next login."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.accounts import services as acc
from liuhen.accounts.models import User
from liuhen.accounts.roles import Role
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.accounts import security_admin
from liuhen.testing.cases import add_person
from liuhen.testing.tampering import found, sql
from liuhen.testing.otp import login_verified

SET = "Sysadmin-knows-2026"
PENDING = "须经安全管理员确认"


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_the_system_administrator_alone_cannot_take_over_an_account(client, world):
    case = world.open_case()
    add_person(world, case)
    acc.reset_password(world.sysadmin, world.agency_head, SET)
    head = User.objects.get(pk=world.agency_head.pk)
    assert head.password_reset_pending and head.must_change_password
    resp = login(client, "liu", SET)
    assert resp.status_code == 200 and PENDING in resp.content.decode()
    assert "_auth_user_id" not in client.session
    assert not client.login(username="liu", password=SET)  # no path around the login form
    assert client.get(f"/cases/{case.pk}/").status_code == 302  # still sent to log in
    failed = Entry.objects.filter(action="auth.login_failed", object_id="liu")
    assert failed.exists()  # the auditor sees the attempt
    # A wrong password says nothing about the pending reset.
    assert PENDING not in login(client, "liu", "Not-the-one-2026").content.decode()


def test_the_security_administrator_releases_it_and_the_owner_must_change_it(client, world):
    security = security_admin(world)
    acc.reset_password(world.sysadmin, world.officer, SET)
    acc.release_password_reset(security, User.objects.get(pk=world.officer.pk))
    officer = User.objects.get(pk=world.officer.pk)
    assert not officer.password_reset_pending and officer.must_change_password
    entry = Entry.objects.get(action="accounts.password_reset_release")
    assert (entry.actor_id, entry.object_id) == (security.pk, str(officer.pk))
    assert event_of(entry)["content_sha256"] == officer.ledger_digest()
    reset = Entry.objects.get(action="accounts.password_reset")
    assert event_of(reset)["detail"]["pending_release"] is True
    assert login(client, "zhang", SET).status_code == 302
    assert client.get("/cases/")["Location"] == "/account/password/"  # the forced change stays


def test_who_may_release(world):
    security = security_admin(world)
    acc.reset_password(world.sysadmin, world.officer, SET)
    officer = User.objects.get(pk=world.officer.pk)
    with pytest.raises(PermissionDenied, match="只有安全管理员"):
        acc.release_password_reset(world.sysadmin, officer)  # the one who reset it
    with pytest.raises(PermissionDenied, match="只有安全管理员"):
        acc.release_password_reset(world.agency_head, officer)
    # A security administrator who changed the account today (as system administrator, before a
    # change of role) may not release it.
    sys_b = acc.create_user(None, username="xitong2", full_name="系统管理员乙", password=world.PASSWORD,
                            agency=world.agency, roles=[Role.SYSTEM_ADMIN])
    acc.reset_password(sys_b, world.officer2, SET)
    acc.revoke_role(security, sys_b, Role.SYSTEM_ADMIN)
    acc.grant_role(security, sys_b, Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError, match="今天创建或修改过该账号"):
        acc.release_password_reset(sys_b, User.objects.get(pk=world.officer2.pk))
    assert User.objects.get(pk=world.officer2.pk).password_reset_pending
    # Nobody releases their own account.
    acc.reset_password(world.sysadmin, security, SET)
    with pytest.raises(ValidationError, match="本人"):
        acc.release_password_reset(security, User.objects.get(pk=security.pk))
    denied = [event_of(e)["detail"]["act"] for e in Entry.objects.filter(action="accounts.denied")]
    assert denied.count("password_reset_release") == 4
    # Nothing to release.
    with pytest.raises(ValidationError, match="没有待确认"):
        acc.release_password_reset(security, User.objects.get(pk=world.officer3.pk))
    acc.release_password_reset(security, officer)
    assert not User.objects.get(pk=officer.pk).password_reset_pending


def test_the_system_itself_resets_without_a_second_person(world):
    acc.reset_password(None, world.officer, SET)  # the demo loader, a test
    assert not User.objects.get(pk=world.officer.pk).password_reset_pending


def test_a_logged_in_session_ends_with_the_reset(client, world):
    login_verified(client, world.officer)
    assert client.get("/cases/").status_code == 200
    acc.reset_password(world.sysadmin, world.officer, SET)
    assert client.get("/cases/").status_code == 302


def test_releasing_by_sql_is_reported(verified_world):
    w = verified_world
    acc.reset_password(w.sysadmin, w.officer, SET)
    integrate_all()
    sql("UPDATE accounts_user SET password_reset_pending = %s WHERE id = %s", [False, w.officer.pk])
    found(verify_log(), "altered", f"user:{w.officer.pk}")


def test_the_admin_lists_the_pending_reset_and_the_security_admin_releases_it(client, world):
    security = security_admin(world)
    acc.reset_password(world.sysadmin, world.officer, SET)
    login_verified(client, security)
    page = client.get("/admin/accounts/user/").content.decode()
    assert "密码重置待确认" in page and "确认密码重置" in page
    resp = client.post("/admin/accounts/user/", {"action": "release_password_reset",
                                                 "_selected_action": [world.officer.pk]})
    assert resp.status_code == 302
    assert not User.objects.get(pk=world.officer.pk).password_reset_pending
    assert Entry.objects.filter(action="accounts.password_reset_release", actor_id=security.pk).exists()
    # The system administrator has no such action.
    login_verified(client, world.sysadmin)
    assert "确认密码重置" not in client.get("/admin/accounts/user/").content.decode()
