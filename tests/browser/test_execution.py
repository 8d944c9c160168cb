"""执行 in a real browser (issue 18 item 2): on a phone the officer finds the fine overdue on the case page
with the late fine computed (not charged), records the party's payment with the photo of the bank slip;
on a laptop the agency head approves the party's application to defer the rest. No Content-Security-
Policy violation, nothing wider than the screen."""
import datetime

from django.utils import timezone
from playwright.sync_api import expect

from liuhen.execution import services
from liuhen.execution.models import DeferralDecision, Payment
from liuhen.testing.browser import log_in
from liuhen.testing.execution import PNG, fined_case


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _watch(p, csp):
    p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)


def test_the_officer_records_a_payment_and_the_head_approves_a_deferral(live_server, live_world, page, mobile_page,
                                                                     screenshot_dir):
    world = live_world
    case = fined_case(world, fine=5000, served_days_ago=20)  # due 5 days ago
    base = live_server.url
    csp = []
    _watch(page, csp)
    _watch(mobile_page, csp)

    log_in(mobile_page, base, world.officer.username)
    mobile_page.goto(f"{base}/cases/{case.pk}/#execution")
    card = mobile_page.locator("#execution")
    expect(card.locator("#execution-status")).to_have_text("已逾期")
    expect(card.locator("#execution-late-fine")).to_contain_text("750.00 元")
    expect(card).to_contain_text("加处罚款（计算值，未收取）")
    form = card.locator("#payment-form")
    form.get_by_label("缴款金额（元）").fill("2000")
    form.get_by_label("缴款日期").fill(timezone.localdate().isoformat())
    form.get_by_label("缴款方式").select_option("银行缴款")
    form.locator('input[type="file"]').set_input_files(
        files=[{"name": "缴款书.png", "mimeType": "image/png", "buffer": PNG}])
    card.screenshot(path=str(screenshot_dir / "execution-form-phone.png"))
    _fits(mobile_page)
    form.get_by_role("button", name="登记缴款").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("已登记缴款 2,000.00 元")
    card = mobile_page.locator("#execution")
    expect(card.locator("#execution-balance")).to_contain_text("3,000.00")
    expect(card.locator("#execution-payments")).to_contain_text("缴款凭证")
    assert Payment.objects.get(case=case).amount_fen == 200_000
    card.screenshot(path=str(screenshot_dir / "execution-phone.png"))
    _fits(mobile_page)

    req = services.request_deferral(world.officer, case, kind="延期", reason="当事人经营困难，申请延期一个月缴纳余款。",
                                    new_due_on=timezone.localdate() + datetime.timedelta(days=30))
    log_in(page, base, world.agency_head.username)
    page.goto(f"{base}/cases/{case.pk}/#execution")
    card = page.locator("#execution")
    expect(card.locator("#execution-status")).to_have_text("延期（分期）审批中")
    decision = card.locator("#deferral-decision-form")
    decision.get_by_label("批准", exact=True).check()
    decision.get_by_label("意见（不予批准时必填）").fill("情况属实，同意延期。")
    page.screenshot(path=str(screenshot_dir / "execution-decide-desktop.png"), full_page=True)
    decision.get_by_role("button", name="审批").click()
    expect(page.locator(".msg-success")).to_contain_text("已批准延期缴纳")
    card = page.locator("#execution")
    expect(card.locator("#execution-status")).to_have_text("待缴纳")
    expect(card.locator("#execution-due")).to_contain_text(req.new_due_on.isoformat())
    assert DeferralDecision.objects.get(request=req).approved
    card.screenshot(path=str(screenshot_dir / "execution-desktop.png"))
    _fits(page)
    assert csp == []
