"""The configuration admin is Chinese throughout (issue 12 §4): no raw role codes, no English
labels or help texts — even for a browser that asks for English."""
import html
import re

import pytest
from django.contrib import admin

from liuhen.accounts.roles import Role
from liuhen.testing.accounts import security_admin
from liuhen.testing.otp import login_verified


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<script.*?</script>|<style.*?</style>|<!--.*?-->", "", page)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", page))


def english_words(page: str, allowed=()) -> set[str]:
    """Runs of Latin letters of four or more in what a person reads, minus login names and codes."""
    words = set(re.findall(r"[A-Za-z]{4,}", visible_text(page)))
    return words - set(allowed)


@pytest.fixture
def pages(world):
    security = security_admin(world)
    officer = world.officer.pk
    return [
        (world.sysadmin, ["/admin/", "/admin/accounts/", "/admin/accounts/user/", f"/admin/accounts/user/{officer}/change/",
                          "/admin/accounts/user/add/", f"/admin/accounts/user/{officer}/password/",
                          "/admin/accounts/certificate/", "/admin/accounts/certificate/add/",
                          "/admin/accounts/agency/", "/admin/accounts/unit/add/"]),
        (security, ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{officer}/change/",
                    "/admin/accounts/user/?role=officer"]),
    ]


def test_no_english_even_for_an_english_browser(client, world, pages):
    logins = {"zhang", "sys", "anquan", "chen", "wang", "zhao", "liu"}
    for actor, urls in pages:
        login_verified(client, actor)
        for url in urls:
            resp = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
            assert resp.status_code == 200, url
            page = resp.content.decode()
            # The password's summary shows parts of its random salt and hash (letters by chance).
            from liuhen.accounts.models import User

            stored = User.objects.get(pk=world.officer.pk).password
            assert {w for w in english_words(page, logins) if w not in stored} == set(), url
            assert "保存" in page or "增加" in page or "站点管理" in page or "修改" in page, url


def test_roles_shown_by_their_chinese_names(client, world):
    security = security_admin(world)
    login_verified(client, security)
    page = client.get(f"/admin/accounts/user/{world.officer3.pk}/change/").content.decode()
    for role in Role:
        assert f"> {role.label}</label>" in page or f">{role.label}</label>" in page or role.label in page, role
    text = visible_text(page)
    for role in Role:
        assert role.value not in text.split(), role.value  # never the code
    listing = visible_text(client.get("/admin/accounts/user/").content.decode())
    assert "执法人员" in listing and "officer" not in listing
    login_verified(client, world.sysadmin)
    shown = visible_text(client.get(f"/admin/accounts/user/{world.officer3.pk}/change/").content.decode())
    assert "执法人员" in shown and "officer" not in shown


def test_help_texts_are_chinese(client, world):
    login_verified(client, world.sysadmin)
    page = visible_text(client.get(f"/admin/accounts/user/{world.officer3.pk}/change/").content.decode())
    assert "登录用的名称" in page and "取消勾选即停用该账号" in page and "密码不以明文保存" in page
    for english in ("Required.", "Designates", "Raw passwords", "letters, digits", "superuser", "groups"):
        assert english not in page
    add = visible_text(client.get("/admin/accounts/user/add/").content.decode())
    assert "本人首次登录时必须修改" in add
    assert admin.site.site_header == "留痕 系统配置" and "留痕" in admin.site.site_title
