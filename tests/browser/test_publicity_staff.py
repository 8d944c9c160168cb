"""公示 by the staff in a real browser (issue 20 §2-§3): on a phone the officer finds the decision in the
workbench's 待公示 with its clock, drafts its publication, opens the served text with each redaction marked
and removes the witness the finder did not know; on a laptop the legal reviewer confirms the LW-P 9 items
(a first try without them is refused, the form kept) and the agency head approves: the entry is in 公示中
and on the portal. No Content-Security-Policy violation, nothing wider than the screen."""
from playwright.sync_api import expect

from liuhen.publicity.models import Version
from liuhen.testing.browser import log_in
from liuhen.testing.publicity import FACTS_WITH_PEOPLE, issued_decision


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _watch(p, csp):
    p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)


def test_drafted_on_the_phone_reviewed_and_approved_on_the_laptop(live_server, live_world, page, mobile_page,
                                                                  screenshot_dir):
    world = live_world
    case, doc = issued_decision(world, facts=FACTS_WITH_PEOPLE)
    base = live_server.url
    csp = []
    _watch(page, csp)
    _watch(mobile_page, csp)

    # The officer, on the phone: 待公示 with the clock, 拟定公示稿.
    log_in(mobile_page, base, world.officer.username)
    mobile_page.get_by_role("link", name="公示", exact=True).click()
    expect(mobile_page.get_by_role("heading", level=1)).to_have_text("公示工作台")
    todo = mobile_page.locator("#pub-to-publish")
    expect(todo).to_contain_text(case.number)
    expect(todo).to_contain_text("个工作日")
    mobile_page.screenshot(path=str(screenshot_dir / "publicity-workbench-phone.png"), full_page=True)
    _fits(mobile_page)
    todo.get_by_role("button", name="拟定公示稿").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("已拟定公示稿")
    expect(mobile_page.locator("#pub-state")).to_have_text("待审核")
    source = mobile_page.locator("#pub-source")
    expect(source.locator("mark").first).to_be_visible()
    expect(source).to_contain_text("〔身份证号码")
    expect(mobile_page.locator("#pub-body")).not_to_contain_text("210502199003071234")
    expect(mobile_page.locator("#pub-body")).to_contain_text("李四")  # a witness the finder did not know
    redact = mobile_page.locator("#pub-redact")
    redact.get_by_label("要隐去的内容").fill("李四")
    redact.get_by_label("类别").select_option("person_name")
    redact.get_by_role("button", name="隐去（生成新稿）").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("已隐去")
    expect(mobile_page.locator("#pub-body")).not_to_contain_text("李四")
    expect(mobile_page.locator("#pub-body")).to_contain_text("李某某")
    mobile_page.screenshot(path=str(screenshot_dir / "publicity-version-phone.png"), full_page=True)
    _fits(mobile_page)
    version = Version.objects.order_by("-n").first()
    assert version.n == 2

    # The legal reviewer, on the laptop: a pass without the items is refused, the form kept; then each item.
    log_in(page, base, world.reviewer.username)
    page.goto(f"{base}/publicity/")
    page.locator("#pub-to-review").get_by_role("link", name=version.title).click()
    review = page.locator("#pub-review")
    review.get_by_label("公开范围").check()
    review.get_by_label("通过").check()
    review.get_by_role("button", name="提交审核").click()
    expect(page.locator("#pub-review .form-errors")).to_contain_text("审核通过前须逐项确认")
    review = page.locator("#pub-review")
    expect(review.get_by_label("公开范围")).to_be_checked()
    for label in ("不涉及国家秘密", "不涉及商业秘密", "已去除个人隐私", "公开形式", "公开时限", "内容准确"):
        review.get_by_label(label).check()
    review.get_by_label("通过").check()
    page.screenshot(path=str(screenshot_dir / "publicity-version-desktop.png"), full_page=True)
    review.get_by_role("button", name="提交审核").click()
    expect(page.locator(".msg-success")).to_contain_text("审核通过")
    expect(page.locator("#pub-state")).to_have_text("待批准")

    # The agency head, on the laptop: 待批准 → 批准: published.
    page.context.clear_cookies()
    log_in(page, base, world.agency_head.username)
    page.goto(f"{base}/publicity/")
    page.locator("#pub-to-approve").get_by_role("link", name=version.title).click()
    approve = page.locator("#pub-approve")
    approve.get_by_label("通过").check()
    approve.get_by_label("批准意见（退回时必填）").fill("同意公示")
    approve.get_by_role("button", name="提交").click()
    expect(page.locator(".msg-success")).to_contain_text("已批准并发布")
    expect(page.locator("#pub-state")).to_have_text("已发布")
    page.goto(f"{base}/publicity/")
    live = page.locator("#pub-live")
    expect(live).to_contain_text(version.entry.number)
    page.screenshot(path=str(screenshot_dir / "publicity-workbench-desktop.png"), full_page=True)
    live.get_by_role("link", name=version.entry.number).click()
    expect(page.locator("#pub-status")).to_have_text("公示中")
    page.screenshot(path=str(screenshot_dir / "publicity-entry-desktop.png"), full_page=True)

    # The portal (once it is installed: its page may not exist yet on this branch).
    response = page.goto(f"{base}/public/decisions/{version.entry.number}/")
    if response.status == 200:
        expect(page.locator("body")).to_contain_text("李某某")
        expect(page.locator("body")).not_to_contain_text("210502199003071234")

    # Back on the phone: the case card says it is public.
    mobile_page.goto(f"{base}/cases/{case.pk}/")
    expect(mobile_page.locator("#case-publicity-status")).to_contain_text("公示中")
    mobile_page.goto(f"{base}/publicity/entries/{version.entry.number}/")
    mobile_page.screenshot(path=str(screenshot_dir / "publicity-entry-phone.png"), full_page=True)
    _fits(mobile_page)
    assert csp == []
