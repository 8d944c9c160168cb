"""Lockout per client address (issue 12 §6): one address trying many usernames is locked out,
counted from the failed-login events' request context (REMOTE_ADDR as the ledger recorded it)."""
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.20"


def _login(client, username, password, address):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_one_address_trying_many_usernames_is_locked_out(client, world, settings):
    settings.LIUHEN_LOGIN_MAX_FAILURES = 5
    settings.LIUHEN_LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    for name in ("zhang", "li", "wang"):  # one try each: no username reaches its own limit
        assert "用户名或密码不正确" in _login(client, name, "Common-pass-123", ATTACKER).content.decode()
    # The fourth failure from the address reaches its limit, and says so.
    assert "本机登录失败次数过多" in _login(client, "zhao", "Common-pass-123", ATTACKER).content.decode()
    resp = _login(client, "chen", world.PASSWORD, ATTACKER)  # the right password, from that address
    assert resp.status_code == 200
    assert "本机登录失败次数过多" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    refused = Entry.objects.filter(action="auth.login_failed").latest("id")
    assert event_of(refused)["detail"] == {"username": "chen"}
    assert event_of(refused)["request"]["ip"] == ATTACKER
    # Another address is not affected, nor are the usernames tried.
    assert _login(client, "zhang", world.PASSWORD, OFFICE).status_code == 302


def test_address_limit_is_configurable_and_can_be_off(client, world, settings):
    settings.LIUHEN_LOGIN_MAX_FAILURES_PER_ADDRESS = 0  # off
    for name in ("zhang", "li", "wang", "zhao", "sun", "fa"):
        _login(client, name, "Common-pass-123", ATTACKER)
    assert _login(client, "chen", world.PASSWORD, ATTACKER).status_code == 302


def test_address_failures_outside_the_window_do_not_count(client, world, settings):
    settings.LIUHEN_LOGIN_MAX_FAILURES_PER_ADDRESS = 2
    settings.LIUHEN_LOGIN_LOCK_MINUTES = 0
    for name in ("zhang", "li", "wang"):
        _login(client, name, "Common-pass-123", ATTACKER)
    assert _login(client, "chen", world.PASSWORD, ATTACKER).status_code == 302
