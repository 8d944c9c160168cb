"""The 403 handler's ledger event carries a code, never the exception's message (review of issue 12,
item 12): a message may name a person; refusals.py promises events hold no message text. The page
still shows the Chinese message."""
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.accounts import security_admin
from liuhen.testing.otp import login_verified

MESSAGE = "只有审计管理员可以查看审计日志。"


def test_access_denied_holds_a_code_not_the_message(client, world):
    login_verified(client, world.officer)
    resp = client.get("/audit/")
    assert resp.status_code == 403 and MESSAGE in resp.content.decode()
    entry = Entry.objects.filter(action="access.denied").latest("id")
    detail = event_of(entry)["detail"]
    assert MESSAGE.encode() not in bytes(entry.leaf) and "message" not in detail
    assert detail == {"method": "GET", "path": "/audit/", "status": 403, "code": "permission_denied"}
    assert entry.actor_id == world.officer.pk


def test_a_403_without_a_message_has_the_default_page_and_code(client, world):
    login_verified(client, security_admin(world))
    resp = client.get("/admin/accounts/user/add/")  # Django's own PermissionDenied, no message
    assert resp.status_code == 403
    entry = Entry.objects.filter(action="access.denied").latest("id")
    assert event_of(entry)["detail"]["code"] == "permission_denied"
