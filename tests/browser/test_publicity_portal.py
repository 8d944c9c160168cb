"""行政执法公示 in a real browser, as a member of the public opens it on a laptop (1280) and a phone (390,
no horizontal scrolling): the home page → 处罚决定 → a decision (摘要 first, the text with the redactions,
the check of the served document) → a comment, thanked; the skip link reached by the keyboard puts the
focus on the main content; the certificate lookup. No Content-Security-Policy violation on any page."""
import re

from playwright.sync_api import expect

from liuhen.publicity import services
from liuhen.testing.publicity import FACTS_WITH_PEOPLE, issued_decision, publish, published_content


def _look(p, name, screenshot_dir):
    p.screenshot(path=str(screenshot_dir / name), full_page=True)
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name


def _portal(world):
    world.agency.address, world.agency.phone = "测试市滨河路8号", "024-12345678"
    world.agency.save()
    published_content(world, "agency", title="机关职能", summary={"主要职责": "负责本市水行政执法和水政监察"})
    published_content(world, "matter")
    published_content(world, "channel", title="投诉举报渠道", summary={"市民热线": "12345", "受理时间": "工作日 9:00—17:00"})
    case, _doc = issued_decision(world, facts=FACTS_WITH_PEOPLE)
    draft = services.draft_decision(world.officer, case)
    return publish(world, services.add_redaction(world.officer, draft, "李四", "person_name"))


def test_a_visitor_reads_a_decision_and_comments(live_server, live_world, page, mobile_page, screenshot_dir):
    version = _portal(live_world)
    number = version.summary["决定书文号"]
    for p, suffix in ((page, "desktop"), (mobile_page, "phone")):
        csp = []
        p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
        p.goto(f"{live_server.url}/public/")
        expect(p.get_by_role("heading", level=1)).to_have_text(live_world.agency.name)
        _look(p, f"portal-home-{suffix}.png", screenshot_dir)

        # the keyboard: the first Tab reaches the skip link, which puts the focus on the main content
        p.keyboard.press("Tab")
        expect(p.get_by_role("link", name="跳到正文")).to_be_focused()
        p.keyboard.press("Enter")
        expect(p.locator("main#main")).to_be_focused()

        p.get_by_role("navigation", name="公示栏目").get_by_role("link", name="处罚决定").click()
        expect(p.get_by_role("heading", level=1)).to_have_text("行政处罚决定")
        expect(p.get_by_role("link", name="处罚决定")).to_have_attribute("aria-current", "page")
        _look(p, f"portal-decisions-{suffix}.png", screenshot_dir)

        p.get_by_role("link", name=number).click()
        expect(p.get_by_role("heading", level=1)).to_contain_text("行政处罚决定书")
        expect(p.get_by_role("status")).to_contain_text("公示中")
        expect(p.get_by_role("row", name=re.compile("决定书文号"))).to_contain_text(number)
        expect(p.locator(".portal-decision")).to_contain_text("[身份证号码已隐去]")
        expect(p.locator("body")).not_to_contain_text("210502199003071234")
        expect(p.get_by_role("link", name=re.compile("验真页"))).to_have_attribute("href", f"/v/{version.document.token}")
        _look(p, f"portal-decision-{suffix}.png", screenshot_dir)

        p.get_by_role("radio", name="纠错").check()
        p.get_by_label("意见内容（最多2000字）").fill("决定书中的违法行为发生时间应为二〇二六年九月。")
        p.get_by_label("联系方式（选填，用于答复）").fill("024-87654321")
        p.get_by_role("button", name="提交").click()
        expect(p.get_by_role("heading", level=1)).to_have_text("感谢您的意见")
        expect(p.get_by_role("status")).to_contain_text("纠错")
        _look(p, f"portal-comment-{suffix}.png", screenshot_dir)
        assert csp == []


def test_a_visitor_checks_an_officers_certificate(live_server, live_world, page, mobile_page, screenshot_dir):
    number = live_world.officer.certificates.get().number
    for p, suffix in ((page, "desktop"), (mobile_page, "phone")):
        csp = []
        p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
        p.goto(f"{live_server.url}/public/officers/")
        expect(p.get_by_role("table", name="执法人员名单")).to_contain_text(live_world.officer.full_name)
        p.get_by_label("执法证号").fill(number)
        p.get_by_label("执法证号").press("Enter")
        expect(p.get_by_role("status")).to_contain_text("有效")
        expect(p.get_by_role("status")).to_contain_text(live_world.officer.full_name)
        _look(p, f"portal-officers-{suffix}.png", screenshot_dir)
        p.get_by_label("执法证号").fill("14<>")
        p.get_by_label("执法证号").press("Enter")
        expect(p.get_by_role("alert")).to_contain_text("执法证号格式不正确")
        assert csp == []
