"""The audit administrator's read-only screen over the ledger (issue 12 §4.2)."""
import csv
import io
import json

import pytest
from django.db import transaction
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.ledger import services as ledger
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.accounts import audit_admin, security_admin
from liuhen.testing.otp import login_verified

URL = "/audit/"


@pytest.fixture
def auditor(world):
    return audit_admin(world)


@pytest.fixture
def acts(world):
    """Some administrative acts to find: an account, its role, a password reset, a login."""
    security = security_admin(world)
    user = acc.create_user(world.sysadmin, username="xinren", full_name="新人", password="Liuhen-new-2026-x",
                           agency=world.agency, unit=world.unit)
    acc.grant_role(security, user, Role.OFFICER)
    acc.reset_password(world.sysadmin, world.officer2, "Liuhen-reset-2026-x")
    return {"user": user, "security": security}


def get(client, who, url=URL, **params):
    login_verified(client, who)
    return client.get(url, params)


@pytest.mark.parametrize("who", ["officer", "sysadmin", "agency_head", "security"])
def test_nobody_but_the_auditor_sees_it_and_the_refusal_is_logged(client, world, who):
    actor = security_admin(world) if who == "security" else getattr(world, who)
    for url in (URL, f"{URL}entry/1/", f"{URL}export.csv", f"{URL}export.xlsx"):
        resp = get(client, actor, url)
        assert resp.status_code == 403
        assert "只有审计管理员可以查看审计日志" in resp.content.decode()
    denied = Entry.objects.filter(action="access.denied", actor_id=actor.pk)
    assert denied.count() == 4
    assert not Entry.objects.filter(action__startswith="audit.").exists()


def test_anonymous_is_sent_to_login(client, db):
    resp = client.get(URL)
    assert resp.status_code == 302 and resp["Location"].startswith("/login/")


def test_nothing_can_be_changed_there(client, world, auditor):
    login_verified(client, auditor)
    for url in (URL, f"{URL}entry/1/", f"{URL}export.csv"):
        assert client.post(url, {"action": "x"}).status_code == 405
    from django.contrib import admin

    assert not admin.site.is_registered(Entry)


def test_viewing_is_logged_with_the_search(client, world, auditor, acts):
    resp = get(client, auditor, action="accounts.role_grant")
    assert resp.status_code == 200
    view = Entry.objects.filter(action="audit.view").latest("id")
    assert view.actor_id == auditor.pk
    assert event_of(view)["detail"] == {"filters": {"action": "accounts.role_grant"}, "page": 1}


def _rows(resp):
    return resp.context["rows"]


def test_search_by_person_object_action_and_time(client, world, auditor, acts):
    user, security = acts["user"], acts["security"]
    # by person: login name, full name or id
    for who in ("sys", "系统管理员", str(world.sysadmin.pk)):
        rows = _rows(get(client, auditor, actor=who))
        assert rows and {r["actor_id"] for r in rows} == {world.sysadmin.pk}
        assert {"accounts.user_create", "accounts.password_reset"} <= {r["action"] for r in rows}
    # the system itself
    assert {r["actor_id"] for r in _rows(get(client, auditor, actor="系统"))} == {None}
    # by object
    rows = _rows(get(client, auditor, object_type="user", object_id=str(user.pk)))
    assert [r["action"] for r in rows] == ["accounts.role_grant", "accounts.user_create"]  # newest first
    grant = rows[0]
    assert grant["action_label"] == "授予角色" and grant["actor_id"] == security.pk
    assert grant["actor_name"] == "安全管理员甲" and grant["detail"] == {"role": "officer", "username": "xinren"}
    # by action, exact and by prefix
    assert {r["action"] for r in _rows(get(client, auditor, action="accounts.password_reset"))} == \
        {"accounts.password_reset"}
    prefixed = {r["action"] for r in _rows(get(client, auditor, action="accounts.*"))}
    assert {"accounts.user_create", "accounts.role_grant", "accounts.password_reset"} <= prefixed
    # by time: today has them, yesterday has none
    today = timezone.localdate()
    assert _rows(get(client, auditor, date_from=today.isoformat(), date_to=today.isoformat(), actor="sys"))
    yesterday = (today - timezone.timedelta(days=1)).isoformat()
    resp = get(client, auditor, date_to=yesterday)
    assert resp.status_code == 200 and _rows(resp) == []
    assert "没有符合条件的日志条目" in resp.content.decode()
    # nobody by that name: nothing, not everything
    assert _rows(get(client, auditor, actor="nobody")) == []


def test_bad_input_is_a_chinese_400_and_keeps_what_was_typed(client, world, auditor):
    resp = get(client, auditor, date_from="2026-13-40", actor="sys")
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "请输入有效的日期" in page and 'value="sys"' in page
    resp = get(client, auditor, date_from="2026-12-02", date_to="2026-12-01")
    assert resp.status_code == 400 and "截止日期不能早于起始日期" in resp.content.decode()


def test_paginated(client, world, auditor):
    with transaction.atomic():
        for i in range(120):
            ledger.append("test.write", object_type="probe", object_id=i)
    first = get(client, auditor, object_type="probe")
    assert len(_rows(first)) == 50 and first.context["page"].paginator.count == 120
    assert _rows(first)[0]["object_id"] == "119"
    page = first.content.decode()
    assert "下一页" in page and "?object_type=probe&page=2" in page
    last = get(client, auditor, object_type="probe", page=3)
    assert [r["object_id"] for r in _rows(last)] == [str(i) for i in range(19, -1, -1)]


def test_an_event_opened_shows_its_canonical_json_leaf_index_and_hash(client, world, auditor, acts):
    from liuhen.ledger.storage import integrate_all

    integrate_all()
    entry = Entry.objects.get(action="accounts.role_grant", object_id=str(acts["user"].pk))
    resp = get(client, auditor, f"{URL}entry/{entry.pk}/")
    assert resp.status_code == 200
    page = resp.content.decode()
    assert bytes(entry.leaf).decode("utf-8").replace('"', "&quot;") in page  # the exact bytes
    assert entry.leaf_hash in page
    assert f"<dd>{entry.sequenced.seq}</dd>" in page
    assert "授予角色" in page
    opened = Entry.objects.filter(action="audit.view", object_type="entry").latest("id")
    assert opened.object_id == str(entry.pk) and opened.actor_id == auditor.pk
    assert get(client, auditor, f"{URL}entry/999999/").status_code == 404


def test_csv_export_is_the_search_and_is_logged(client, world, auditor, acts):
    resp = get(client, auditor, f"{URL}export.csv", action="accounts.*", actor="sys")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    assert "attachment" in resp["Content-Disposition"]
    text = b"".join(resp.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["条目号", "叶序号", "时间", "操作", "操作代码"]
    expected = list(Entry.objects.filter(action__startswith="accounts.", actor_id=world.sysadmin.pk).order_by("-id"))
    assert [int(r[0]) for r in body] == [e.pk for e in expected]
    by_id = {int(r[0]): dict(zip(header, r)) for r in body}
    reset = Entry.objects.get(action="accounts.password_reset")
    row = by_id[reset.pk]
    assert row["操作"] == "管理员重置密码" and row["操作人用户名"] == "sys" and row["操作人角色"] == "系统管理员"
    assert row["叶哈希"] == reset.leaf_hash
    assert json.loads(row["详情"]) == event_of(reset)["detail"]
    export = Entry.objects.get(action="audit.export")
    assert export.actor_id == auditor.pk
    assert event_of(export)["detail"] == {"format": "csv",
                                          "filters": {"action": "accounts.*", "actor_ids": [world.sysadmin.pk]},
                                          "rows": len(expected)}


def test_excel_export_parses_back_and_is_logged(client, world, auditor, acts):
    from openpyxl import load_workbook

    resp = get(client, auditor, f"{URL}export.xlsx", object_type="user", object_id=str(acts["user"].pk))
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.content), read_only=True)
    rows = list(wb["审计日志"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert [r[header.index("操作代码")] for r in body] == ["accounts.role_grant", "accounts.user_create"]
    assert body[0][header.index("操作")] == "授予角色"
    assert body[0][header.index("操作人姓名")] == "安全管理员甲"
    assert event_of(Entry.objects.get(action="audit.export"))["detail"]["format"] == "xlsx"


def test_exports_keep_formulas_as_text(client, world, auditor):
    """A login name typed by anyone ends up in the export: it must not run as a formula."""
    client.post("/login/", {"username": "=HYPERLINK(\"http://x\")", "password": "whatever-123456"})
    resp = get(client, auditor, f"{URL}export.csv", action="auth.login_failed")
    text = b"".join(resp.streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in text
    from openpyxl import load_workbook

    resp = get(client, auditor, f"{URL}export.xlsx", action="auth.login_failed")
    wb = load_workbook(io.BytesIO(resp.content))
    ws = wb["审计日志"]
    col = [c.value for c in ws[1]].index("对象编号") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_export_over_the_limit_is_refused_and_logged(client, world, auditor, settings):
    settings.LIUHEN_AUDIT_EXPORT_MAX_ROWS = 3
    resp = get(client, auditor, f"{URL}export.csv")
    assert resp.status_code == 400 and "超过导出上限" in resp.content.decode()
    assert Entry.objects.filter(action="audit.denied", actor_id=auditor.pk).exists()
    assert not Entry.objects.filter(action="audit.export").exists()


def test_the_auditor_has_the_link_others_do_not(client, world, auditor):
    login_verified(client, auditor)
    page = client.get(URL).content.decode()
    assert 'href="/audit/"' in page and "审计日志" in page
    login_verified(client, world.officer)
    assert 'href="/audit/"' not in client.get("/cases/").content.decode()


def test_unknown_actions_fall_back_to_their_code(client, world, auditor):
    with transaction.atomic():
        ledger.append("future.thing", object_type="probe", object_id=1)
    [row] = _rows(get(client, auditor, object_type="probe"))
    assert row["action_label"] == "future.thing"
