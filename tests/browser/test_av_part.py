"""The case page's 音像记录 part in a real browser, on a laptop and a phone: an inspection with
footage (late, its written time off, a break noted and one not), a sampling with an approved
不适宜音像记录说明, a hearing with nothing — and the stage's blockers naming each act and article."""
import datetime

from django.utils import timezone
from playwright.sync_api import expect

from liuhen.avrules import services
from liuhen.testing.avrules import camera, clip, link, not_suitable, record
from liuhen.testing.cases import complete, to_investigation
from liuhen.testing.browser import log_in


def test_case_page_av_part(live_server, live_world, page, mobile_page, screenshot_dir, tmp_path):
    world = live_world
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    start = (timezone.now() - datetime.timedelta(hours=26)).replace(second=0, microsecond=0)
    inspection = record(world, case, "inspection_record", {"time": timezone.localtime(
        start + datetime.timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M")})
    camera(world)
    a = clip(tmp_path, recorded=start, seconds=2)
    b = clip(tmp_path, recorded=start + datetime.timedelta(minutes=3), seconds=2)
    c = clip(tmp_path, recorded=start + datetime.timedelta(minutes=9), seconds=2)
    for item in (a, b, c):
        link(world, item, inspection)
    services.note_interruption(world.officer, inspection, a, b, "设备电量不足，更换电池后继续录制")
    sampling = complete(world, case, "sampling_notice")
    not_suitable(world, sampling, reason="抽样现场为企业生产车间，涉及商业秘密")
    complete(world, case, "hearing_record")
    base = live_server.url
    for p in (page, mobile_page):
        csp = []
        p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
        log_in(p, base, world.officer.username)
        p.goto(f"{base}/cases/{case.pk}/")
        part = p.locator("#av-investigation")
        expect(part).to_contain_text("本阶段应音像记录：现场检查（勘验）、抽样取证、举行听证、查封扣押")
        expect(part).to_contain_text("已有音像（3项）")
        expect(part).to_contain_text("已批准不适宜说明")
        expect(part.get_by_text("缺少", exact=True)).to_be_visible()
        expect(part).to_contain_text("逾期存储")
        expect(part).to_contain_text("时间不一致")
        expect(part).to_contain_text("已说明（设备电量不足，更换电池后继续录制）")
        expect(part).to_contain_text("缺少中断原因说明（LQ 22）")
        expect(p.locator(".blockers")).to_contain_text("举行听证（听证笔录第")
        suffix = "-phone" if p is mobile_page else ""
        part.screenshot(path=str(screenshot_dir / f"case-av{suffix}.png"))
        p.screenshot(path=str(screenshot_dir / f"case-av-page{suffix}.png"), full_page=True)
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert csp == []
    # The officer notes the second break's reason from the part itself: it is explained.
    part = page.locator("#av-investigation")
    part.get_by_label("中断原因").fill("当事人阻挠，暂停录制后恢复")
    part.get_by_role("button", name="记录中断原因").click()
    expect(page.get_by_text("已记录音像记录中断说明")).to_be_visible()
    expect(page.locator("#av-investigation")).to_contain_text("已说明（当事人阻挠，暂停录制后恢复）")
    expect(page.locator(".blockers")).not_to_contain_text("LQ 22")
    # 外出执法申报 (AS 12), linked from the part.
    page.locator("#av-investigation").get_by_role("link", name="外出执法申报").click()
    page.get_by_label("外出地点").fill("县北部山区水库")
    page.get_by_label("外出事由").fill("连续开展汛前检查")
    now = timezone.localtime()
    page.get_by_label("外出时间").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("预计返回时间").fill((now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="申报").click()
    expect(page.get_by_text("已申报外出执法")).to_be_visible()
    expect(page.locator(".trail")).to_contain_text("县北部山区水库")
    page.screenshot(path=str(screenshot_dir / "field-trips.png"), full_page=True)
