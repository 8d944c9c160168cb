"""重大执法决定法制审核 in a real browser (issue 17): the 法制审核人员 opens 法制审核 from the navigation,
finds the submission in 待审核 with its due date, answers the eight review points, agrees and signs;
the officer sees the passed review on the case page. On a laptop and a phone: no Content-Security-
Policy violation, nothing wider than the screen."""
from playwright.sync_api import expect

from liuhen.legalreview.models import Review
from liuhen.legalreview.selectors import REVIEW_POINTS
from liuhen.testing.browser import log_in
from liuhen.testing.legalreview import qualify, submitted


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _watch(p, csp):
    p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)


def test_the_reviewer_reviews_point_by_point_and_agrees(live_server, live_world, browser, page, mobile_page,
                                                      screenshot_dir):
    world = live_world
    sub = submitted(world)
    qualify(world)
    base = live_server.url
    csp = []
    _watch(page, csp)
    _watch(mobile_page, csp)

    # On the phone first: the review form fits the screen, each point with its three choices.
    log_in(mobile_page, base, world.reviewer.username)
    mobile_page.goto(f"{base}/legalreview/{sub.pk}/")
    expect(mobile_page.locator("#review-form")).to_be_visible()
    mobile_page.locator('input[name="verdict_facts"][value="存在问题"]').check()
    mobile_page.locator("#id_note_facts").fill("现场检查笔录未附照片")
    mobile_page.screenshot(path=str(screenshot_dir / "legal-review-form-phone.png"), full_page=True)
    _fits(mobile_page)

    log_in(page, base, world.reviewer.username)
    page.get_by_role("navigation").get_by_role("link", name="法制审核").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("法制审核")
    awaiting = page.locator("#awaiting")
    expect(awaiting.get_by_role("link", name=sub.case.number)).to_be_visible()
    expect(awaiting.locator(".badge", has_text="审核中")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "legal-review-list-desktop.png"), full_page=True)
    awaiting.get_by_role("link", name="审核").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("法制审核")
    expect(page.locator("#review-package")).to_contain_text("调查终结报告")
    for pid, _label in REVIEW_POINTS:
        page.locator(f'input[name="verdict_{pid}"][value="符合规定"]').check()
    page.get_by_label("审核结论").select_option("同意")
    page.get_by_label("审核意见").fill("事实清楚，证据确凿，适用法律正确，程序合法，同意。")
    page.screenshot(path=str(screenshot_dir / "legal-review-desktop.png"), full_page=True)
    _fits(page)
    page.get_by_role("button", name="出具审核意见并签名").click()
    expect(page.locator(".msg-success")).to_contain_text("已出具法制审核意见：同意")
    expect(page.locator(".badge", has_text="法制审核通过")).to_be_visible()
    review = Review.objects.get(submission=sub)
    assert review.outcome == "同意" and {p["verdict"] for p in review.points} == {"符合规定"}
    page.screenshot(path=str(screenshot_dir / "legal-review-done-desktop.png"), full_page=True)

    mobile_page.goto(f"{base}/legalreview/{sub.pk}/")
    expect(mobile_page.locator(".badge", has_text="法制审核通过")).to_be_visible()
    mobile_page.screenshot(path=str(screenshot_dir / "legal-review-phone.png"), full_page=True)
    _fits(mobile_page)

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    officer = context.new_page()
    _watch(officer, csp)
    log_in(officer, base, world.officer.username)
    officer.goto(f"{base}/cases/{sub.case_id}/#legal-review")
    part = officer.locator("#legal-review")
    expect(part.locator("#legal-review-status")).to_have_text("法制审核通过")
    expect(part.locator(".review-points")).to_contain_text("执法文书完备、规范")
    part.screenshot(path=str(screenshot_dir / "legal-review-case-phone.png"))
    _fits(officer)
    officer.wait_for_load_state("networkidle")
    context.close()
    assert csp == []


def test_the_officer_assesses_and_submits_on_a_phone(live_server, live_world, mobile_page, screenshot_dir):
    from liuhen.legalreview.models import Assessment, Submission
    from liuhen.testing.legalreview import major_case

    world = live_world
    case = major_case(world)
    base = live_server.url
    csp = []
    _watch(mobile_page, csp)
    log_in(mobile_page, base, world.officer.username)
    mobile_page.goto(f"{base}/cases/{case.pk}/#legal-review")
    part = mobile_page.locator("#legal-review")
    expect(part.locator("#legal-review-status")).to_have_text("尚未送法制审核")
    expect(part.locator("#legal-review-package")).to_contain_text("决定书（草稿）")
    part.get_by_label("属于重大执法决定", exact=True).check()
    part.screenshot(path=str(screenshot_dir / "legal-review-assess-phone.png"))
    _fits(mobile_page)
    part.get_by_role("button", name="确认认定").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("已认定：属于重大执法决定")
    assert Assessment.objects.get(case=case).major
    part = mobile_page.locator("#legal-review")
    part.get_by_label("送审说明").fill("拟责令停产停业，请审核。")
    part.get_by_role("button", name="送法制审核").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("已送法制审核")
    expect(mobile_page.locator("#legal-review-status")).to_have_text("法制审核中")
    assert Submission.objects.filter(case=case).count() == 1
    mobile_page.locator("#legal-review").screenshot(path=str(screenshot_dir / "legal-review-submitted-phone.png"))
    _fits(mobile_page)
    assert csp == []
