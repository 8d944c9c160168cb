"""安全告警 on the audit screen (issue 21 §2): computed from the ledger, newest first, each linked
to its event — failed logins per user and per address, an administrator's password reset, role
changes, authenticators bound or removed."""
import pytest
from django.test import Client
from django.urls import reverse

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.audit import alerts
from liuhen.ledger.models import Entry
from liuhen.testing.accounts import administrator, audit_admin, security_admin
from liuhen.testing.otp import login_verified

URL = reverse("audit:search")


def fail_logins(username, n, ip="10.0.0.7"):
    c = Client(REMOTE_ADDR=ip)
    for _ in range(n):
        c.post("/login/", {"username": username, "password": "wrong-password-1"})


def test_many_failed_logins_are_an_alert_per_user_and_per_address(world, settings):
    settings.LIUHEN_LOGIN_MAX_FAILURES = 3
    settings.LIUHEN_LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    fail_logins("zhang", 2, ip="10.0.0.8")
    assert not [a for a in alerts.recent() if a.kind == "登录失败过多"]  # two are not many
    fail_logins("zhang", 1, ip="10.0.0.8")
    fail_logins("li", 2, ip="10.0.0.8")
    found = [a for a in alerts.recent() if a.kind == "登录失败过多"]
    assert any("账号 zhang" in a.text for a in found)
    assert any("地址 10.0.0.8" in a.text for a in found)
    assert not any("账号 li" in a.text for a in found)


def test_administrator_events_are_listed_newest_first_with_links(client, world):
    security = security_admin(world)
    auditor = audit_admin(world)
    acc.reset_password(world.sysadmin, auditor, "Reset-by-sys-2026")  # an administrator's reset
    acc.reset_password(world.sysadmin, world.officer, "Reset-by-sys-2027")  # routine: no alert
    acc.release_password_reset(security, auditor.__class__.objects.get(pk=auditor.pk))
    acc.grant_role(security, world.officer2, Role.SUPERVISOR)
    reader = administrator(world, Role.AUDIT_ADMIN, "shenji2", "审计管理员乙")
    login_verified(client, reader)  # binds the reader's authenticator (a test device, no event)
    found = alerts.recent()
    kinds = [a.kind for a in found]
    assert "管理员账号密码被重置" in kinds and "授予角色" in kinds
    assert sum(k == "管理员账号密码被重置" for k in kinds) == 1  # the officer's reset is not an alert
    assert [a.at for a in found] == sorted((a.at for a in found), reverse=True)
    page = client.get(URL).content.decode()
    assert "安全告警" in page and "监督人员" in page
    grant = Entry.objects.filter(action="accounts.role_grant", object_id=str(world.officer2.pk)).latest("pk")
    assert reverse("audit:event", args=[grant.pk]) in page


def test_an_authenticator_bound_is_an_alert(world):
    client = Client()
    client.post("/login/", {"username": world.officer.username, "password": world.PASSWORD})
    client.get(reverse("accounts:otp_enrol"))
    from liuhen.testing.otp import code
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.post(reverse("accounts:otp_enrol"), {"code": code(TOTPDevice.objects.get(user=world.officer))})
    assert [a for a in alerts.recent() if a.kind == "绑定验证器" and world.officer.username in a.text]


@pytest.mark.parametrize("who", ["officer", "sysadmin"])
def test_only_the_auditor_sees_the_alerts(client, world, who):
    login_verified(client, getattr(world, who))
    assert client.get(URL).status_code == 403


def test_a_verify_run_that_finds_something_is_an_alert(world):
    from django.core.management import call_command
    from django.db import connection

    call_command("verify", stdout=open("/dev/null", "w"))  # a clean run: recorded, no alert
    runs = Entry.objects.filter(action="ledger.verified")
    assert runs.count() == 1 and not [a for a in alerts.recent() if a.kind == "日志核验发现问题"]
    with connection.cursor() as cur:  # behind the application's back: the officer's unit moved
        cur.execute("UPDATE accounts_user SET username = 'someone_else' WHERE id = %s", [world.officer.pk])
    with pytest.raises(SystemExit):
        call_command("verify", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
    found = [a for a in alerts.recent() if a.kind == "日志核验发现问题"]
    assert len(found) == 1 and "被修改" in found[0].text
    with pytest.raises(SystemExit):  # --no-record (a read-only replica): checked, not recorded
        call_command("verify", "--no-record", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
    assert runs.count() == 2
