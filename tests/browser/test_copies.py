"""Evidence copies in a real browser (证据复制, LW-D 13, LW-D 15): the officer goes from the player
to 申请证据复制 and asks for a court copy; the 机关负责人 approves it; the 档案管理员 makes the package,
downloads its .zip and records the handover. On a laptop and a phone: no Content-Security-Policy
violation, nothing wider than the screen."""
import io
import zipfile

from playwright.sync_api import expect

from liuhen.copies.models import CopyPackage, CopyRequest
from liuhen.testing.browser import log_in
from liuhen.testing.copies import case_with_footage


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _as(browser, base, username):
    """A desktop page of its own (own cookies) logged in as `username`."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20000)
    p = context.new_page()
    log_in(p, base, username)
    return p


def test_a_court_copy_from_the_player_to_the_handover(live_server, live_world, browser, page, mobile_page,
                                                       screenshot_dir, tmp_path):
    world = live_world
    c = case_with_footage(world, tmp_path)
    item = c.items[0]
    base = live_server.url
    csp = []
    for p in (page, mobile_page):
        p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)

    log_in(page, base, world.officer.username)
    page.goto(f"{base}/footage/{item.pk}/")
    expect(page.locator("a", has_text="下载")).to_have_count(0)
    page.get_by_role("link", name="申请证据复制").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申请证据复制")
    expect(page.get_by_label(item.name, exact=False)).to_be_checked()
    page.get_by_label("接收机关类别").select_option("court")
    page.locator("#id_receiver_name").fill("测试市平山区人民法院")
    page.get_by_label("案号").fill("（2026）辽0502行审12号")
    page.get_by_label("用途").fill("行政非诉执行审查举证")
    page.screenshot(path=str(screenshot_dir / "copies-new.png"), full_page=True)
    page.get_by_role("button", name="提交申请").click()
    row = CopyRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"证据复制申请 第 {row.pk} 号")
    expect(page.locator(".badge", has_text="待审批")).to_be_visible()

    officer_page, page = page, _as(browser, base, world.agency_head.username)
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{base}/copies/{row.pk}/")
    page.get_by_label("批准", exact=True).check()
    page.get_by_label("意见").fill("同意，由档案室统一复制。")
    page.get_by_role("button", name="提交审批").click()
    expect(page.locator(".badge", has_text="已批准，待制作")).to_be_visible()

    page.context.close()
    page = _as(browser, base, world.archivist.username)
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{base}/copies/{row.pk}/")
    page.get_by_role("button", name="制作复制包").click()
    expect(page.locator(".badge", has_text="已制作，待移交")).to_be_visible()
    package = CopyPackage.objects.get()
    expect(page.locator("dd.mono", has_text=package.manifest_sha256).first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载复制包（.zip）").click()
    names = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())).namelist()
    assert f"证据复制包-{row.pk}/manifest.json" in names
    page.locator("#id_receiver_person").fill("王法官")
    page.get_by_label("接收单位").fill("测试市平山区人民法院")
    page.get_by_label("移交方式").select_option("in_person")
    page.get_by_role("button", name="登记移交").click()
    expect(page.locator(".badge", has_text="已移交")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "copies-detail.png"), full_page=True)
    _fits(page)
    page.goto(f"{base}/copies/")
    expect(page.get_by_role("link", name=f"第 {row.pk} 号")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "copies-list.png"), full_page=True)

    log_in(mobile_page, base, world.archivist.username)
    for url, name in ((f"/copies/{row.pk}/", "copies-detail-phone"), ("/copies/", "copies-list-phone")):
        mobile_page.goto(base + url)
        mobile_page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)
        _fits(mobile_page)
    page.context.close()
    officer_page.set_viewport_size({"width": 390, "height": 844})
    officer_page.goto(f"{base}/copies/new/{c.case.pk}/")
    _fits(officer_page)
    assert csp == []
