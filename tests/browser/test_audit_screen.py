"""The audit administrator's screen in a real browser, on a laptop and on a phone; and the forced
password change after an administrator's reset."""
import re

from playwright.sync_api import expect
from liuhen.testing.browser import log_in
from liuhen.testing.otp import pass_second_factor


def login(page, base, username, password):
    log_in(page, base, username, password, wait=False)


def admin_login(page, base, username, password):
    """An administrator: the password, then the second factor (liuhen/accounts/otp.py)."""
    log_in(page, base, username, password)
    pass_second_factor(page, username)
    expect(page).not_to_have_url(re.compile(r"/account/otp/"))


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_auditor_searches_opens_and_exports(live_server, live_world, page, mobile_page, screenshot_dir):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role
    from liuhen.testing.accounts import audit_admin, security_admin

    w = live_world
    audit_admin(w)
    security = security_admin(w)
    user = acc.create_user(w.sysadmin, username="xinren", full_name="新人", password="Liuhen-new-2026-x",
                           agency=w.agency, unit=w.unit)
    acc.grant_role(security, user, Role.OFFICER)
    base = live_server.url

    admin_login(page, base, "shenji", w.PASSWORD)
    page.get_by_role("link", name="审计日志").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("审计日志")
    page.get_by_label("操作", exact=True).fill("accounts.*")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("table.list")).to_contain_text("授予角色")
    expect(page.locator("table.list")).to_contain_text("安全管理员甲")
    page.screenshot(path=screenshot_dir / "audit-search.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.locator("table.list a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("日志条目")
    expect(page.locator("#canonical")).to_contain_text('"action":"')
    page.screenshot(path=screenshot_dir / "audit-event.png", full_page=True)

    admin_login(mobile_page, base, "shenji", w.PASSWORD)
    mobile_page.goto(f"{base}/audit/?action=accounts.*")
    expect(mobile_page.locator("table.list")).to_contain_text("授予角色")
    assert fits_the_screen(mobile_page)
    mobile_page.screenshot(path=screenshot_dir / "audit-search-mobile.png")  # the first screen
    mobile_page.locator("table.list tr").nth(1).scroll_into_view_if_needed()
    mobile_page.screenshot(path=screenshot_dir / "audit-results-mobile.png")


def test_password_reset_by_an_administrator_is_changed_at_login(live_server, live_world, page, screenshot_dir):
    from liuhen.testing.accounts import reset_and_release

    # Reset by the system administrator, released by the security administrator (三员分立).
    reset_and_release(live_world, live_world.officer, "Set-by-admin-2026")
    base = live_server.url
    login(page, base, "zhang", "Set-by-admin-2026")
    expect(page).to_have_url(re.compile(r"/account/password/$"))
    expect(page.get_by_role("alert")).to_contain_text("您的密码由管理员设置或重置")
    page.screenshot(path=screenshot_dir / "password-change.png", full_page=True)
    page.goto(f"{base}/cases/")
    expect(page).to_have_url(re.compile(r"/account/password/$"))
    page.locator("#id_old_password").fill("Set-by-admin-2026")
    page.locator("#id_new_password1").fill("My-own-secret-2026")
    page.locator("#id_new_password2").fill("My-own-secret-2026")
    page.get_by_role("button", name="修改密码").click()
    expect(page).to_have_url(re.compile(r"/oversight/todo/$"))  # 我的待办, the first page
    expect(page.get_by_text("密码已修改")).to_be_visible()


def test_person_form_for_each_administrator_in_chinese(live_server, live_world, page, screenshot_dir):
    from liuhen.testing.accounts import security_admin

    security_admin(live_world)
    base = live_server.url
    officer = live_world.officer3.pk
    admin_login(page, base, "anquan", live_world.PASSWORD)
    page.goto(f"{base}/admin/accounts/user/{officer}/change/")
    expect(page.get_by_label("执法人员")).to_be_checked()
    expect(page.get_by_label("承办机构负责人")).not_to_be_checked()
    page.screenshot(path=screenshot_dir / "admin-person-security.png", full_page=True)
    page.context.clear_cookies()
    admin_login(page, base, "sys", live_world.PASSWORD)
    page.goto(f"{base}/admin/accounts/user/{officer}/change/")
    expect(page.locator(".field-roles_display")).to_contain_text("执法人员")
    page.screenshot(path=screenshot_dir / "admin-person-system.png", full_page=True)
