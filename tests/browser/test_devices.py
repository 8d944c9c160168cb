"""The 设备管理员's day in a real browser: lands on the device registry, registers a camera, signs it
out to an officer with the pre-use check (the device's clock typed in: a drift over the limit is
flagged), returns it. On a laptop and on a phone, with no Content-Security-Policy violation."""
import re

from django.utils import timezone
from playwright.sync_api import expect

from liuhen.testing.devices import camera, device_admin
from liuhen.testing.browser import log_in


def test_device_admin_signs_a_camera_out_and_back(live_server, live_world, page, mobile_page, screenshot_dir):
    admin = device_admin(live_world)
    camera(live_world, "JL-100")
    base = live_server.url
    for p, number in ((page, "JL-201"), (mobile_page, "JL-202")):
        csp = []
        p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
        log_in(p, base, admin.username)
        expect(p).to_have_url(re.compile(r"/devices/$"))
        expect(p.get_by_role("link", name="设备管理", exact=True)).to_be_visible()
        p.get_by_role("link", name="＋ 登记设备").click()
        p.get_by_label("设备编号").fill(number)
        p.get_by_label("型号").fill("DSJ-V9")
        p.get_by_role("button", name="登记").click()
        expect(p.get_by_role("heading", level=1)).to_contain_text(number)
        p.get_by_role("link", name="登记领用").click()
        p.get_by_label("领用人").select_option(label=f"张明（{live_world.officer.username}）")
        p.get_by_label("电量（%）").fill("90")
        p.get_by_label("剩余存储（GB）").fill("20")
        # The device shows a time 10 minutes behind the server: flagged.
        shown = timezone.localtime() - timezone.timedelta(minutes=10)
        p.get_by_label("设备显示的日期时间").fill(shown.strftime("%Y-%m-%dT%H:%M:%S"))
        p.get_by_role("button", name="登记领用").click()
        expect(p.get_by_role("alert")).to_contain_text("超过允许的")
        expect(p.get_by_text("领用中")).to_be_visible()
        p.screenshot(path=str(screenshot_dir / f"device-detail{'-phone' if p is mobile_page else ''}.png"),
                     full_page=True)
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        p.get_by_role("link", name="登记归还").click()
        p.get_by_label("电量（%）").fill("35")
        p.get_by_role("button", name="登记归还").click()
        expect(p.get_by_text("已归还").first).to_be_visible()
        p.get_by_role("link", name="设备列表").click()
        expect(p.locator("td[data-label='编号']", has_text="JL-100")).to_be_visible()
        p.screenshot(path=str(screenshot_dir / f"device-list{'-phone' if p is mobile_page else ''}.png"),
                     full_page=True)
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert csp == []
