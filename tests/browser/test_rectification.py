"""责令改正 in a real browser (issue 18 item 3): on a phone the officer finds an order overdue for its
re-check on the case page, follows the card's button to the 整改复查记录 form, is refused in Chinese when the
整改期限 is not the order's, writes it right; once both officers have signed, the card shows 待再次责令改正
and offers the repeated order. No Content-Security-Policy violation, nothing wider than the screen."""
import datetime

from django.utils import timezone
from playwright.sync_api import expect

from liuhen.records.models import Record
from liuhen.testing.rectification import on, order, service_case
from liuhen.testing.browser import log_in
from liuhen.testing.cases import sign_all


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_officer_re_checks_an_order_from_the_card_on_a_phone(live_server, live_world, mobile_page,
                                                                 screenshot_dir):
    world = live_world
    case = service_case(world)
    first = order(world, case, issued=-30, deadline=-20)
    base = live_server.url
    csp = []
    mobile_page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)

    log_in(mobile_page, base, world.officer.username)
    mobile_page.goto(f"{base}/cases/{case.pk}/#rectification")
    card = mobile_page.locator("#rectification")
    row = card.locator(f"#rectification-order-{first.pk}")
    expect(row.locator(".rectification-status")).to_have_text("逾期未复查")
    expect(row.locator(".rectification-deadline")).to_have_text(on(-20).isoformat())
    expect(card).to_contain_text(f"整改期限填写 {on(-20).isoformat()}")
    card.screenshot(path=str(screenshot_dir / "rectification-overdue-phone.png"))
    _fits(mobile_page)

    card.locator("#rectification-next").click()
    expect(mobile_page.get_by_role("heading", level=1)).to_have_text("新增整改复查记录")
    at = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    mobile_page.get_by_label("整改期限").fill(on(-19).isoformat())  # not the order's
    mobile_page.get_by_label("复查结论").select_option("未改正")
    mobile_page.get_by_label("复查情况").fill("现场复查，取水设施仍在使用，未拆除。")
    mobile_page.get_by_label("时间").fill(at)
    mobile_page.get_by_label("地点").fill("本溪市平山区1号")
    mobile_page.get_by_role("button", name="保存").click()
    expect(mobile_page.locator("[role=alert]").first).to_contain_text("整改期限应当与待复查的责令改正通知书")
    _fits(mobile_page)
    mobile_page.get_by_label("整改期限").fill(on(-20).isoformat())
    mobile_page.get_by_role("button", name="保存").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("已保存整改复查记录")

    sign_all(world, Record.objects.get(case=case, record_type__code="rectification_check"))
    mobile_page.goto(f"{base}/cases/{case.pk}/#rectification")
    card = mobile_page.locator("#rectification")
    row = card.locator(f"#rectification-order-{first.pk}")
    expect(row.locator(".rectification-status")).to_have_text("待再次责令改正")
    expect(row.locator(".rectification-outcome")).to_have_text("未改正")
    expect(card.locator("#rectification-next")).to_have_text("再次责令改正")
    card.screenshot(path=str(screenshot_dir / "rectification-phone.png"))
    _fits(mobile_page)
    assert csp == []
