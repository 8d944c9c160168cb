"""The audit screen's own events name no person (review of issue 12, item 7): a search or an export
logs the people it was for by their ids (resolved from what was typed), never the typed text, and
no other free text that may name someone."""
import json

from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.accounts import audit_admin
from liuhen.testing.otp import login_verified


def _last(action):
    entry = Entry.objects.filter(action=action).latest("id")
    return entry, event_of(entry)["detail"]


def test_a_search_by_name_logs_the_ids_not_the_name(client, world):
    login_verified(client, audit_admin(world))
    assert client.get("/audit/", {"actor": "张明", "action": "accounts.*"}).status_code == 200
    entry, detail = _last("audit.view")
    assert "张明".encode() not in bytes(entry.leaf)
    assert detail["filters"] == {"actor_ids": [world.officer.pk], "action": "accounts.*"}
    client.get("/audit/", {"actor": "nobody-such"})
    entry, detail = _last("audit.view")
    assert detail["filters"] == {"actor_ids": []} and b"nobody-such" not in bytes(entry.leaf)
    client.get("/audit/", {"actor": "系统"})
    assert _last("audit.view")[1]["filters"] == {"actor": "system"}


def test_free_text_in_other_filters_is_not_logged(client, world):
    login_verified(client, audit_admin(world))
    client.get("/audit/", {"object_type": "party", "object_id": "王五", "action": "李四*",
                           "date_from": "2026-01-01"})
    entry, detail = _last("audit.view")
    leaf = bytes(entry.leaf).decode("utf-8")
    assert "王五" not in leaf and "李四" not in leaf
    assert detail["filters"]["object_type"] == "party" and detail["filters"]["date_from"] == "2026-01-01"
    assert detail["filters"]["object_id"] == {"free_text": True}
    # An id (digits, hex, a login name) is kept: it is what the auditor searched for.
    client.get("/audit/", {"object_type": "case", "object_id": "42"})
    assert _last("audit.view")[1]["filters"] == {"object_type": "case", "object_id": "42"}


def test_an_export_logs_ids_too(client, world, settings):
    auditor = audit_admin(world)
    login_verified(client, auditor)
    resp = client.get("/audit/export.csv", {"actor": "李强"})
    assert resp.status_code == 200
    b"".join(resp.streaming_content)
    entry, detail = _last("audit.export")
    assert "李强".encode() not in bytes(entry.leaf)
    assert detail["filters"] == {"actor_ids": [world.officer2.pk]} and detail["format"] == "csv"
    settings.LIUHEN_AUDIT_EXPORT_MAX_ROWS = 0  # the auditor's own export is a row: refused
    assert client.get("/audit/export.csv", {"actor": "审计管理员甲"}).status_code == 400
    entry, detail = _last("audit.denied")
    assert "审计管理员甲".encode() not in bytes(entry.leaf)
    assert json.loads(json.dumps(detail["filters"])) == {"actor_ids": [auditor.pk]}
