"""A wrong old password on the owner's password form (review of issue 12, item 6) is a refusal: a
4xx, a ledger event, and a guess counted by the lockout per user and per address — a stolen session
cannot try passwords without limit; at the limit the account is locked as by failed logins and the
session ends."""
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of

FORM = "/account/password/"
NEW = "Another-pass-2026x"
ADDRESS = "203.0.113.7"


def guess(client, old, address=ADDRESS):
    return client.post(FORM, {"old_password": old, "new_password1": NEW, "new_password2": NEW},
                       REMOTE_ADDR=address)


def test_a_wrong_old_password_is_a_logged_refusal(client, world):
    client.force_login(world.officer)
    resp = guess(client, "wrong")
    assert resp.status_code == 400
    assert "旧密码" in resp.content.decode() or "原密码" in resp.content.decode()
    entry = Entry.objects.filter(action="accounts.old_password.refused").get()
    event = event_of(entry)
    assert entry.actor_id == world.officer.pk and (entry.object_type, entry.object_id) == ("login", "zhang")
    assert event["detail"]["status"] == 400 and "password_incorrect" in event["detail"]["codes"]
    assert event["request"]["ip"] == ADDRESS
    assert b"wrong" not in bytes(entry.leaf) and NEW.encode() not in bytes(entry.leaf)


def test_other_refusals_of_the_form_are_logged_and_not_counted(client, world):
    client.force_login(world.officer)
    resp = client.post(FORM, {"old_password": world.PASSWORD, "new_password1": NEW, "new_password2": NEW + "y"})
    assert resp.status_code == 400
    entry = Entry.objects.filter(action="accounts.refused").get()
    assert "password_mismatch" in event_of(entry)["detail"]["codes"]
    assert not Entry.objects.filter(action="accounts.old_password.refused").exists()


def test_guesses_lock_the_account_like_failed_logins(client, world, settings):
    settings.LIUHEN_LOGIN_MAX_FAILURES = 3
    client.force_login(world.officer)
    assert guess(client, "wrong-1").status_code == 400
    assert guess(client, "wrong-2").status_code == 400
    resp = guess(client, "wrong-3")  # the limit: locked, and the session ends
    assert resp.status_code == 403 and "账号已暂时锁定" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    # The right password does not log in either until the window has passed.
    resp = client.post("/login/", {"username": "zhang", "password": world.PASSWORD}, REMOTE_ADDR="198.51.100.1")
    assert resp.status_code == 200 and "账号已暂时锁定" in resp.content.decode()
    assert not world.officer.__class__.objects.get(pk=world.officer.pk).check_password(NEW)


def test_a_locked_account_cannot_use_the_form(client, world, settings):
    settings.LIUHEN_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        client.post("/login/", {"username": "zhang", "password": "wrong"}, REMOTE_ADDR="198.51.100.1")
    client.force_login(world.officer)  # a session from before the lock
    resp = client.post(FORM, {"old_password": world.PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert resp.status_code == 403
    assert not world.officer.__class__.objects.get(pk=world.officer.pk).check_password(NEW)


def test_guesses_count_per_address(client, world, settings):
    settings.LIUHEN_LOGIN_MAX_FAILURES = 50
    settings.LIUHEN_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    client.force_login(world.officer)
    guess(client, "wrong-1")
    guess(client, "wrong-2")
    client.force_login(world.officer2)
    resp = guess(client, "wrong-3")
    assert resp.status_code == 403 and "本机登录失败次数过多" in resp.content.decode()
    # That address cannot log in anyone, another address can.
    resp = client.post("/login/", {"username": "li", "password": world.PASSWORD}, REMOTE_ADDR=ADDRESS)
    assert resp.status_code == 200
    resp = client.post("/login/", {"username": "li", "password": world.PASSWORD}, REMOTE_ADDR="198.51.100.1")
    assert resp.status_code == 302
