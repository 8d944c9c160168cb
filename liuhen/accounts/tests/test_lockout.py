"""Lockout after repeated failed logins (SPEC §9)."""
from liuhen.ledger.models import Entry


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_five_failures_lock_the_account_even_for_the_right_password(client, world, settings):
    settings.LIUHEN_LOGIN_MAX_FAILURES = 5
    for _ in range(4):
        assert "用户名或密码不正确" in _login(client, "zhang", "wrong-password").content.decode()
    # the fifth failure locks
    _login(client, "zhang", "wrong-password")
    resp = _login(client, "zhang", world.PASSWORD)
    assert resp.status_code == 200  # stays on the login page
    assert "账号已暂时锁定" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    failures = Entry.objects.filter(action="auth.login_failed", object_id="zhang").count()
    assert failures == 6  # the refused right password counts as a failure too
    # another user is not affected
    assert _login(client, "li", world.PASSWORD).status_code == 302


def test_failures_outside_the_window_do_not_count(client, world, settings):
    settings.LIUHEN_LOGIN_MAX_FAILURES = 2
    settings.LIUHEN_LOGIN_LOCK_MINUTES = 0  # the window is empty: nothing is recent enough
    for _ in range(3):
        _login(client, "zhang", "wrong-password")
    assert _login(client, "zhang", world.PASSWORD).status_code == 302
