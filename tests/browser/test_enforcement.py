"""强制执行 in a real browser (issue 18 item 4): on a phone the officer finds the 催告 period run on the
case page's 强制执行 card, opens the enforcement decision from its button, is refused a date before the
period ends (行政强制法 37) with the reason in Chinese, and saves it with a lawful date; the card then
shows it waiting for its leader. No Content-Security-Policy violation, nothing wider than the screen."""
import datetime

from django.utils import timezone
from playwright.sync_api import expect

from liuhen.enforcement import selectors as s
from liuhen.records.models import Record
from liuhen.testing.browser import log_in


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()


def test_the_officer_writes_the_enforcement_decision_from_the_card(live_server, live_world, mobile_page,
                                                                  screenshot_dir):
    from liuhen.testing.enforcement import reminder, served_case

    world, p, base = live_world, mobile_page, live_server.url
    case = served_case(world)
    reminder(world, case, issued_days_ago=40, days=10)  # its period ended 30 days ago
    csp = []
    p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)

    log_in(p, base, world.officer.username)
    p.goto(f"{base}/cases/{case.pk}/#enforcement")
    card = p.locator("#enforcement")
    expect(card.locator("#enforcement-stage")).to_have_text("待决定")
    expect(card.locator("#enforcement-steps")).to_contain_text(f"履行期限至{_day(30)}")
    expect(card.locator("#enforcement-earliest-decision")).to_have_text(_day(29))
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(screenshot_dir / "enforcement-card-phone.png"))
    _fits(p)

    card.get_by_role("link", name="＋ 强制执行决定书").click()
    p.get_by_label("强制执行方式").select_option("加处罚款或者滞纳金")
    p.get_by_label("强制执行的具体内容").fill("对当事人逾期不缴纳的罚款，每日按罚款数额的百分之三加处罚款。")
    p.get_by_label("依据").fill("《中华人民共和国行政处罚法》第七十二条第一款第一项")
    p.get_by_label("决定日期").fill(_day(31))
    p.get_by_role("button", name="保存").click()
    expect(p.locator("body")).to_contain_text("届满后当事人仍不履行的，方可作出强制执行决定")
    assert not Record.objects.filter(case=case, record_type__code="enforcement_decision").exists()
    p.screenshot(path=str(screenshot_dir / "enforcement-refused-phone.png"), full_page=True)
    _fits(p)

    p.get_by_label("决定日期").fill(_day(1))
    p.get_by_role("button", name="保存").click()
    expect(p.locator(".msg-success")).to_contain_text("已保存强制执行决定书")
    assert s.for_case(case).decision_open is not None

    p.goto(f"{base}/cases/{case.pk}/#enforcement")
    card = p.locator("#enforcement")
    expect(card.locator("#enforcement-missing")).to_contain_text("强制执行决定书尚未签字或负责人尚未批准")
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(screenshot_dir / "enforcement-decided-phone.png"))
    _fits(p)
    assert csp == []
