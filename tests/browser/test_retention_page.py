"""保存期限 in a real browser: the agency head sees each file's class, date and reason, filters the
files due for purge, opens one and places a legal hold with its reason; the list then says so. On a
laptop and on a phone (no horizontal scrolling), with no Content-Security-Policy violation."""
from playwright.sync_api import expect

from liuhen.testing.browser import log_in
from liuhen.testing.retention import Shelf, ago, run_at


def test_agency_head_holds_a_file_due_for_purge(live_server, live_world, page, mobile_page, screenshot_dir,
                                                tmp_path):
    shelf = Shelf(live_world, tmp_path)
    due = shelf.clip(ago(days=200))
    shelf.clip(ago(days=3))
    run_at(ago(days=1))  # announced: its six months end within 30 days
    base = live_server.url
    for p, suffix in ((mobile_page, "-phone"), (page, "")):  # the phone only looks; the laptop holds
        csp = []
        p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
        log_in(p, base, live_world.agency_head.username)
        p.goto(f"{base}/retention/")
        expect(p.get_by_role("heading", level=1)).to_have_text("保存期限")
        expect(p.get_by_text("已公告待清理")).to_be_visible()
        p.get_by_label("状态").select_option(label="待清理")
        p.get_by_role("button", name="筛选").click()
        expect(p.get_by_role("link", name=due.name)).to_be_visible()
        p.screenshot(path=str(screenshot_dir / f"retention-list{suffix}.png"), full_page=True)
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        if p is page:
            p.get_by_role("link", name=due.name).click()
            p.locator("#holds").get_by_label("理由").fill("当事人已申请行政复议")
            p.get_by_role("button", name="法律保全").click()
            expect(p.get_by_role("alert")).to_contain_text("已决定法律保全")
            expect(p.locator("#holds")).to_contain_text("当事人已申请行政复议")
            p.screenshot(path=str(screenshot_dir / "retention-item.png"), full_page=True)
        else:
            p.goto(f"{base}/retention/notices/")
            expect(p.get_by_role("heading", level=1)).to_have_text("待清理公告")
            p.screenshot(path=str(screenshot_dir / "retention-notices-phone.png"), full_page=True)
            assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert csp == []
