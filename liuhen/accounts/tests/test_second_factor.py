"""The second factor (issue 21 §2, SPEC §9 等保 2.0 双因素): an administrator after the password is
sent to enrol an authenticator, later to enter its code; nowhere else — the configuration admin
included. Wrong, malformed and replayed codes are refused with a Chinese 400, logged, and counted by
the lockout. Enrolment and removal are ledger events. Optional for everyone else."""
import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from liuhen.accounts import lockout
from liuhen.accounts import vocabulary as v
from liuhen.ledger.models import Entry
from liuhen.testing.otp import code, device_for, login_verified, next_code
from liuhen.testing.world import World

ENROL = reverse("accounts:otp_enrol")
VERIFY = reverse("accounts:otp_verify")


def password_login(client, user):
    response = client.post("/login/", {"username": user.username, "password": World.PASSWORD})
    assert response.status_code == 302
    return response


def events(action, **kw):
    return Entry.objects.filter(action=action, **kw)


@pytest.mark.parametrize("path", ["/admin/", "/", "/account/", "/account/otp/remove/"])
def test_an_administrator_without_a_device_is_sent_to_enrol_from_every_page(client, world, path):
    password_login(client, world.sysadmin)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    assert client.get(path, headers={"HX-Request": "true"})["HX-Redirect"].startswith(ENROL)


def test_enrolment_shows_the_qr_code_and_the_first_code_confirms_it(client, world):
    password_login(client, world.sysadmin)
    page = client.get(ENROL + "?next=/admin/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "绑定验证器" in html and "须经双因素验证" in html
    device = TOTPDevice.objects.get(user=world.sysadmin, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/") and "secret=" in device.config_url
    response = client.post(ENROL, {"code": code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert events(v.OTP_DEVICE_ADD, object_id=str(world.sysadmin.pk), actor_id=world.sysadmin.pk).count() == 1
    assert client.get("/admin/").status_code == 200


def test_every_later_login_asks_for_the_code(client, world):
    device = device_for(world.sysadmin)
    password_login(client, world.sysadmin)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.get(ENROL)["Location"].startswith(VERIFY)  # the password alone cannot bind another phone
    assert client.post(reverse("accounts:otp_remove")).status_code == 302  # nor remove the device
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    response = client.post(VERIFY, {"code": code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert events(v.OTP_VERIFY, actor_id=world.sysadmin.pk).count() == 1


@pytest.mark.parametrize("typed", ["12ab56", "", "1234567"])
def test_a_malformed_code_is_a_chinese_400_and_a_counted_guess(client, world, typed):
    device_for(world.sysadmin)
    password_login(client, world.sysadmin)
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 400 and "验证码应为6位数字" in response.content.decode()
    assert events(v.OTP_FAILED, object_type="login", object_id=world.sysadmin.username).count() == 1
    assert client.get("/admin/").status_code == 302


def test_a_wrong_code_and_a_replayed_code_are_refused(client, world):
    device = device_for(world.sysadmin)
    password_login(client, world.sysadmin)
    right = code(device)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400 and "验证码不正确或已使用" in response.content.decode()
    assert client.post(VERIFY, {"code": right}).status_code == 302
    client.logout()
    password_login(client, world.sysadmin)
    response = client.post(VERIFY, {"code": right})  # the same code again: a replay
    assert response.status_code == 400
    assert events(v.OTP_FAILED, object_id=world.sysadmin.username).count() == 2


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, world, settings):
    settings.LIUHEN_LOGIN_MAX_FAILURES = 3
    device = device_for(world.sysadmin)
    password_login(client, world.sysadmin)
    assert client.post(VERIFY, {"code": "000000" if code(device) != "000000" else "111111"}).status_code == 400
    assert client.post(VERIFY, {"code": "abcdef"}).status_code == 400
    response = client.post(VERIFY, {"code": "12"})  # the third: locked, and the session ends
    assert response.status_code == 403 and "锁定" in response.content.decode()
    assert lockout.is_locked(world.sysadmin.username)
    assert "/login/" in client.get("/admin/")["Location"]  # logged out
    # the right password is now refused too (lockout.py)
    response = client.post("/login/", {"username": world.sysadmin.username, "password": World.PASSWORD})
    assert response.status_code == 200 and "锁定" in response.content.decode()


def test_optional_for_others_enrolled_from_the_account_page(client, world):
    password_login(client, world.officer)
    page = client.get("/account/").content.decode()
    assert "未绑定" in page and ENROL in page
    assert client.get("/cases/").status_code == 200  # no device: no second factor asked
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=world.officer, confirmed=False)
    assert client.post(ENROL, {"code": code(device)}).status_code == 302
    client.logout()
    password_login(client, world.officer)
    assert client.get("/cases/")["Location"].startswith(VERIFY)  # bound: asked at every login
    assert client.post(VERIFY, {"code": next_code(device)}).status_code == 302
    assert client.post(reverse("accounts:otp_remove")).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.officer).exists()
    assert events(v.OTP_DEVICE_REMOVE, object_id=str(world.officer.pk)).count() == 1
    response = client.post(reverse("accounts:otp_remove"))  # nothing left to remove
    assert response.status_code == 400 and events(v.REFUSED, actor_id=world.officer.pk).count() == 1


def test_a_force_login_session_of_an_administrator_is_not_verified(client, world):
    client.force_login(world.sysadmin)
    assert client.get("/admin/").status_code == 302
    login_verified(client, world.sysadmin)
    assert client.get("/admin/").status_code == 200
