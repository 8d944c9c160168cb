"""The web edge in a real browser: typed work survives an expired session; the Chinese error pages;
no Content-Security-Policy violation on the pages an officer uses.

Screenshots of each error page (desktop 1280×900 and phone 390×844) go to test-artifacts/web/.
"""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from liuhen.testing.web import case_in_investigation, inspection_record
from liuhen.testing.browser import fill_login, log_in

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
FORM_TITLE = "新增现场检查(勘验)笔录"
NOTICE = "已恢复您上次未提交的内容"


def login_form(page, username="zhang"):
    fill_login(page, username)


def login(page, base, username="zhang"):
    log_in(page, base, username)


def expire_session_on_the_server():
    """What 30 idle minutes do: the session is gone from the database."""
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def csp_violations(page) -> list[str]:
    seen = []
    page.on("console", lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None)
    return seen


# ---- typed work survives an expired session -------------------------------------------------


def test_new_record_text_survives_session_expiry(live_server, live_world, page):
    base = live_server.url
    case = case_in_investigation(live_world)
    violations = csp_violations(page)
    login(page, base)
    form_url = f"{base}/records/new/{case.pk}/?type=inspection_record"
    page.goto(form_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(FORM_TITLE)
    page.get_by_label("时间").fill("2026-03-02T09:30")
    page.get_by_label("地点").fill("测试市滨河路18号洗车店后院")
    page.get_by_label("已出示执法证件").check()
    findings = "后院有机井一眼，配潜水泵一台，正在抽水洗车；\n未见取水许可证，未安装计量设施。"
    page.get_by_label("检查情况").fill(findings)

    expire_session_on_the_server()
    page.get_by_role("button", name="保存").click()

    # sent to log in, not a 404, 405 or a CSRF page; then back on the form with what was typed
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    expect(page.get_by_text("请先登录，登录后将回到您刚才的页面。")).to_be_visible()
    shot(page, "session-expired-login-desktop")
    login_form(page)
    expect(page).to_have_url(form_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(FORM_TITLE)
    expect(page.get_by_role("status").filter(has_text=NOTICE)).to_be_visible()
    expect(page.get_by_label("地点")).to_have_value("测试市滨河路18号洗车店后院")
    expect(page.get_by_label("检查情况")).to_have_value(findings)
    expect(page.get_by_label("时间")).to_have_value("2026-03-02T09:30")
    expect(page.get_by_label("已出示执法证件")).to_be_checked()
    shot(page, "form-restored-desktop")

    page.get_by_role("button", name="保存").click()
    expect(page.locator(".msg-success")).to_contain_text("已保存现场检查(勘验)笔录")
    expect(page.locator(".card", has=page.get_by_role("heading", name="内容"))).to_contain_text("未安装计量设施")

    # saved: the same form opens empty again, with no notice
    page.goto(form_url)
    expect(page.get_by_label("地点")).to_have_value("")
    expect(page.get_by_text(NOTICE)).to_have_count(0)
    assert violations == []


def test_edit_reason_survives_a_deleted_session_cookie(live_server, live_world, page):
    base = live_server.url
    record = inspection_record(live_world)
    login(page, base)
    edit_url = f"{base}/records/{record.pk}/edit/"
    page.goto(edit_url)
    page.get_by_label("地点").fill("四号取水口")
    page.get_by_label("修改理由").fill("地点笔误，经现场核对更正")

    page.context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    login_form(page)
    expect(page).to_have_url(edit_url)
    expect(page.get_by_text(NOTICE)).to_be_visible()
    expect(page.get_by_label("地点")).to_have_value("四号取水口")
    expect(page.get_by_label("修改理由")).to_have_value("地点笔误，经现场核对更正")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".msg-success")).to_contain_text("已保存为新版本")


def test_new_case_text_survives_session_expiry(live_server, live_world, mobile_page):
    page = mobile_page
    base = live_server.url
    login(page, base)
    page.goto(f"{base}/cases/new/")
    page.get_by_label("案由").fill("未经许可擅自取用地下水")
    page.get_by_label("简要案情").fill("群众反映某洗车店自打机井取水。")
    page.get_by_label("李强").check()
    expire_session_on_the_server()
    page.get_by_role("button", name="立案").click()
    expect(page).to_have_url(re.compile(r"/login/\?next=/cases/new/"))
    login_form(page)
    expect(page.get_by_text(NOTICE)).to_be_visible()
    expect(page.get_by_label("案由")).to_have_value("未经许可擅自取用地下水")
    expect(page.get_by_label("简要案情")).to_have_value("群众反映某洗车店自打机井取水。")
    expect(page.get_by_label("李强")).to_be_checked()
    shot(page, "form-restored-phone")


def test_refused_void_reason_is_back_on_the_record_page(live_server, live_world, page):
    """A refusal page (4xx) keeps what was typed: back on the record page it is put back."""
    base = live_server.url
    record = inspection_record(live_world)
    login(page, base)
    page.goto(f"{base}/records/{record.pk}/")
    void_form = page.locator(f"form[action='/records/{record.pk}/void/']")
    void_form.locator("input[name=reason]").fill("\x07重复制作")  # a control character: refused
    void_form.get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("不能作废记录")
    expect(page.get_by_role("alert")).to_contain_text("控制字符")
    shot(page, "refused-desktop")
    page.get_by_role("link", name="返回").click()
    expect(void_form.locator("input[name=reason]")).to_have_value("\x07重复制作")
    expect(page.get_by_text(NOTICE)).to_be_visible()


# ---- the error pages --------------------------------------------------------------------------


@pytest.mark.parametrize("viewport, suffix", [({"width": 1280, "height": 900}, "desktop"),
                                              ({"width": 390, "height": 844}, "phone")])
def test_error_pages(live_server, live_world, browser, settings, tmp_path, viewport, suffix):
    settings.ROOT_URLCONF = "liuhen.testing.web_urls"  # has /boom/, a view that fails
    settings.LIUHEN_MAX_UPLOAD_BYTES = 1024
    base = live_server.url
    record = inspection_record(live_world)
    case = record.case
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport,
                                  is_mobile=suffix == "phone", has_touch=suffix == "phone")
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = csp_violations(page)
    try:
        login(page, base)

        page.goto(f"{base}/cases/{case.pk + 1000}/")  # 404 (and what another unit's case gives)
        expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
        shot(page, f"404-{suffix}")

        page.goto(f"{base}/cases/99999999999999999999999/")  # 400
        expect(page.get_by_role("heading", level=1)).to_have_text("请求无效")
        expect(page.get_by_role("alert")).to_contain_text("地址中的编号无效")
        shot(page, f"400-{suffix}")

        page.goto(f"{base}/cases/{case.pk}/advance/")  # 405: a POST-only address opened
        expect(page.get_by_role("heading", level=1)).to_have_text("不支持该操作方式")
        shot(page, f"405-{suffix}")

        page.goto(f"{base}/cases/{case.pk}/")
        page.get_by_role("button", name="进入下一阶段").evaluate("b => b.disabled = false")
        page.get_by_role("button", name="进入下一阶段").click()  # 409: the stage's guard refuses
        expect(page.get_by_role("heading", level=1)).to_have_text("不能进入下一阶段")
        shot(page, f"409-{suffix}")
        page.get_by_role("link", name="返回").click()
        expect(page).to_have_url(f"{base}/cases/{case.pk}/")

        page.goto(f"{base}/records/{record.pk}/")
        big = tmp_path / "扫描件.pdf"
        big.write_bytes(b"%PDF" + b"x" * 4096)
        page.locator("input[type=file][name=file]").set_input_files(big)
        page.get_by_role("button", name="上传附件").click()  # 413
        expect(page.get_by_role("heading", level=1)).to_have_text("文件过大")
        expect(page.get_by_role("alert")).to_contain_text("最大 1 KB")
        shot(page, f"413-{suffix}")

        page.goto(f"{base}/records/{record.pk}/")
        context.clear_cookies(name="csrftoken")  # a page from before the token: CSRF refuses the form
        page.get_by_role("button", name="执法人员签字").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("提交未被接受")
        shot(page, f"csrf-{suffix}")
        page.get_by_role("link", name="返回").click()
        expect(page).to_have_url(f"{base}/records/{record.pk}/")

        page.goto(f"{base}/boom/")  # 500
        expect(page.get_by_role("heading", level=1)).to_have_text("系统出错")
        shot(page, f"500-{suffix}")

        if suffix == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    assert violations == []


def test_no_csp_violation_on_an_officers_pages(live_server, live_world, page):
    base = live_server.url
    record = inspection_record(live_world)
    violations = csp_violations(page)
    login(page, base)
    page.goto(f"{base}/cases/")
    page.locator("select[name=stage]").select_option("investigation")  # data-autosubmit
    expect(page).to_have_url(re.compile(r"stage=investigation"))
    page.goto(f"{base}/cases/{record.case_id}/")
    expect(page.locator("aside.side-360")).to_be_visible()
    page.goto(f"{base}/records/{record.pk}/")
    from liuhen.ledger.storage import integrate_all

    integrate_all()  # what the integrator `make run` starts does: a proof request only reads
    page.get_by_role("button", name="验证（包含证明）").click()  # htmx swap under the policy
    expect(page.locator("#proof")).to_contain_text("验证通过")
    page.goto(f"{base}/admin/login/")
    assert violations == []
