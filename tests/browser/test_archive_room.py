"""档案 in a real browser (issue 19 items 4 and 6): the archivist's /archive/ on a laptop and on a phone —
待归档 with its due date, the shelves —, a court's judgement added to an archived case from the case page
on the phone, and an imported package's page (卷内目录, 四性检测报告). No Content-Security-Policy
violation, nothing wider than the screen."""
from playwright.sync_api import expect

from liuhen.testing.archive import PDF, archived, in_archive_stage
from liuhen.testing.browser import log_in
from liuhen.testing.cases import archivist


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _watch(p, csp):
    p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)


def test_the_room_a_supplement_and_an_imported_package(live_server, live_world, page, mobile_page, screenshot_dir,
                                                      tmp_path):
    from liuhen.archive.package import export
    from liuhen.archive.services import import_package
    from liuhen.ledger.signing import vkeys

    world = live_world
    keeper = archivist(world)
    closed = archived(world)
    waiting = in_archive_stage(world)
    export(world.officer, closed.number, tmp_path / "bag")
    pkg = import_package(keeper, tmp_path / "bag", "".join(k + "\n" for k in vkeys()))
    base = live_server.url
    csp = []
    _watch(page, csp)
    _watch(mobile_page, csp)

    log_in(page, base, keeper.username)
    page.goto(f"{base}/archive/")
    expect(page.locator(f"#pending-{waiting.pk}")).to_contain_text("剩 30 日")
    expect(page.locator("#archive-shelves")).to_contain_text("行政处罚")
    page.screenshot(path=str(screenshot_dir / "archive-room-desktop.png"), full_page=True)
    page.goto(f"{base}/archive/imported/{pkg.pk}/")
    expect(page.locator("#imported-report")).to_contain_text("OK   security.trace")
    page.screenshot(path=str(screenshot_dir / "archive-imported-desktop.png"), full_page=True)

    log_in(mobile_page, base, keeper.username)
    mobile_page.goto(f"{base}/archive/")
    expect(mobile_page.locator("#archive-pending")).to_contain_text(waiting.number)
    _fits(mobile_page)
    mobile_page.screenshot(path=str(screenshot_dir / "archive-room-phone.png"), full_page=True)
    mobile_page.goto(f"{base}/archive/imported/{pkg.pk}/")
    _fits(mobile_page)
    mobile_page.screenshot(path=str(screenshot_dir / "archive-imported-phone.png"), full_page=True)

    mobile_page.goto(f"{base}/cases/{closed.pk}/#archive-supplements")
    card = mobile_page.locator("#archive-supplements")
    card.locator("#supplement-add summary").click()
    form = card.locator("#supplement-form")
    form.get_by_label("题名").fill("本溪市平山区人民法院行政判决书")
    form.get_by_label("类别").select_option("法院判决")
    form.get_by_label("说明").fill("当事人起诉，法院判决维持原处罚决定。")
    form.locator('input[type="file"]').set_input_files(
        files=[{"name": "判决书.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    form.get_by_role("button", name="登记").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("已登记补充材料")
    expect(mobile_page.locator("#supplement-list")).to_contain_text("本溪市平山区人民法院行政判决书")
    _fits(mobile_page)
    mobile_page.locator("#archive-supplements").screenshot(path=str(screenshot_dir / "archive-supplements-phone.png"))
    assert csp == []
