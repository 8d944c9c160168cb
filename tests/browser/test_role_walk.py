"""Each role's day in a real browser (issue 12 walk): the agency head signs a penalty's 负责人审批 with a
decision and an opinion; the case page of an emergency start shows its overdue clock; administrators
land on their own screens. On a laptop and on a phone, with no Content-Security-Policy violation.

README screenshots: sign-opinion.png, emergency-clock.png (LIUHEN_UPDATE_SCREENSHOTS=1).
"""
import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from liuhen.testing.browser import log_in
from liuhen.testing.otp import pass_second_factor


def csp_violations(page) -> list[str]:
    seen = []
    page.on("console", lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None)
    return seen


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def penalty_approval(world):
    """A general-procedure penalty in 审查决定 with its 负责人审批 drafted and signed by both officers."""
    from liuhen.records import services as records
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import fill, to_decision

    case = to_decision(world)
    rt = RecordType.objects.get(code="leader_approval")
    approval = records.create_record(world.officer, case, rt, fill(rt))
    return approval


def test_agency_head_signs_a_penalty_approval(live_server, live_world, page, mobile_page, screenshot_dir):
    base = live_server.url
    approval = penalty_approval(live_world)
    url = f"{base}/records/{approval.pk}/"

    # The unit head may not sign it, and is not offered a form; the page says who may.
    violations = csp_violations(page)
    log_in(page, base, "chen")
    page.goto(url)
    expect(page.locator(".blockers")).to_contain_text("机关负责人签字：可由 刘局长（机关负责人） 签署")
    expect(page.get_by_role("button", name=re.compile("负责人签字"))).to_have_count(0)
    page.context.clear_cookies()

    log_in(page, base, "liu")
    page.goto(f"{base}/cases/")  # the first page is 我的待办; 我的案件 keeps its 待我签批 card
    expect(page.locator(".card", has_text="待我签批")).to_contain_text("负责人审批")
    page.get_by_role("link", name="负责人审批").click()
    form = page.locator("form.sign-capacity")
    expect(form.get_by_role("heading")).to_have_text("机关负责人签署意见")
    # The decision is a fieldset styled by liuhen.css: no browser-default frame around it.
    assert form.locator("fieldset").evaluate("e => getComputedStyle(e).borderTopStyle") == "none"
    form.get_by_label("同意", exact=True).check()
    form.get_by_label("意见").fill("同意承办机构意见，依法给予罚款处罚。")
    form.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "sign-opinion.png", full_page=True)
    form.get_by_role("button", name="机关负责人签字").click()
    expect(page.locator(".msg-success")).to_contain_text("已签字（同意）")
    signatures = page.locator("#signatures")
    expect(signatures).to_contain_text("刘局长")
    expect(signatures).to_contain_text("意见：同意承办机构意见，依法给予罚款处罚。")
    expect(page.locator("h1 .badge")).to_have_text("已完成")
    assert violations == []

    # On a phone the signed record and its opinion fit the screen.
    log_in(mobile_page, base, "liu")
    mobile_page.goto(url)
    expect(mobile_page.locator("#signatures")).to_contain_text("同意承办机构意见")
    assert fits_the_screen(mobile_page)


def test_a_unit_head_sends_a_record_back_and_the_officer_sees_it(live_server, live_world, page, mobile_page):
    from liuhen.records import services as records
    from liuhen.records.models import RecordType

    base = live_server.url
    case = live_world.open_case()
    approval = records.create_record(live_world.officer, case, RecordType.objects.get(code="start_approval"), {
        "reason": "日常巡查发现违法嫌疑。", "party": "王建国", "handler_opinion": "建议立案调查。"})
    records.sign_as_officer(live_world.officer, approval)
    violations = csp_violations(page)
    log_in(page, base, "chen")
    page.goto(f"{base}/records/{approval.pk}/")
    form = page.locator("form.sign-capacity")
    form.get_by_label("退回", exact=True).check()
    form.get_by_label("意见").fill("启动理由不充分，请补充举报材料。")
    form.get_by_role("button", name="负责人签字").click()
    expect(page.locator(".msg-success")).to_contain_text("已签字（退回）")
    assert violations == []

    log_in(mobile_page, base, "zhang")
    mobile_page.goto(f"{base}/cases/{case.pk}/")
    expect(mobile_page.locator(".badge-bad", has_text="已退回")).to_be_visible()
    assert fits_the_screen(mobile_page)


def test_emergency_start_shows_its_overdue_clock(live_server, live_world, page, mobile_page, screenshot_dir):
    from liuhen.cases.models import Case
    from liuhen.testing.cases import add_person

    base = live_server.url
    case = live_world.open_case(start_mode="emergency", kind="coercion", title="河道阻水障碍物紧急清除")
    add_person(live_world, case)
    # Opened 30 hours ago and its 紧急先行启动补批表 still not approved (LC 8, LQ 8: within 24 hours).
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - datetime.timedelta(hours=30))
    violations = csp_violations(page)
    log_in(page, base, "zhang")
    page.goto(f"{base}/cases/{case.pk}/")
    clock = page.locator("#emergency-clock")
    expect(clock).to_contain_text("已超期 6 小时，尚未补批")
    expect(clock).to_have_class(re.compile(r"\boverdue\b"))
    page.screenshot(path=screenshot_dir / "emergency-clock.png", full_page=True)
    assert violations == []

    log_in(mobile_page, base, "zhang")
    mobile_page.goto(f"{base}/cases/{case.pk}/")
    expect(mobile_page.locator("#emergency-clock")).to_contain_text("已超期 6 小时")
    assert fits_the_screen(mobile_page)


def test_each_role_finds_its_own_screen(live_server, live_world, browser):
    """Each role in a browser context of its own (clearing cookies between two logins in one page
    raced with the first session's last request under load)."""
    base = live_server.url

    def as_(username):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
        page = context.new_page()
        log_in(page, base, username, heading=None)
        return context, page

    context, page = as_("sys")  # an administrator: the second factor first (a first login binds it)
    expect(page).to_have_url(re.compile(r"/account/otp/enrol/"))
    pass_second_factor(page, "sys")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    context.close()
    context, page = as_("fa")  # the legal reviewer: 我的待办 first; cases to read, none to open
    expect(page).to_have_url(re.compile(r"/oversight/todo/$"))
    page.goto(f"{base}/cases/")
    expect(page.get_by_role("link", name=re.compile("新建案件"))).to_have_count(0)
    context.close()
    context, page = as_("zhang")
    page.goto(f"{base}/cases/")
    expect(page.get_by_role("link", name="＋ 新建案件")).to_be_visible()
    context.close()


def test_case_list_keeps_numbers_and_kinds_on_one_line(live_server, live_world, page, mobile_page):
    base = live_server.url
    for _ in range(2):
        live_world.open_case(title="本溪市某某有限公司未经许可在河道管理范围内建设砂石料场并长期堆放物料")
    for p in (page, mobile_page):
        log_in(p, base, "zhang")
        p.goto(f"{base}/cases/")
        number = p.locator("td[data-label='编号'] a").first
        expect(number).to_be_visible()
        assert number.evaluate("e => e.getClientRects().length") == 1
        kind = p.locator("td[data-label='类别']").first
        assert kind.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
        assert fits_the_screen(p)
