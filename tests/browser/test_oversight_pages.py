"""我的待办, 提醒 and 执法监督 in a real browser, on a laptop and on a phone (no horizontal scrolling,
no Content-Security-Policy violation): the officer's list with a record to sign, a refusal to confirm
and an overdue deadline in red; the notices marked as seen; the supervisor's charts, case list and
statistics. Screenshots: todo-*.png, supervision-*.png."""
import datetime

from django.utils import timezone
from playwright.sync_api import expect

from liuhen.records import services as rec
from liuhen.records.models import SignerRole
from liuhen.testing.browser import log_in
from liuhen.testing.cases import make_record, to_investigation
from liuhen.testing.oversight import OTHER_CODE, clock, open_finding, resolve_finding, supervisor

DAY = datetime.timedelta(days=1)


def _scene(world):
    case = to_investigation(world)
    make_record(world, case, "inspection_record", by=world.officer2)
    inquiry = make_record(world, case, "inquiry_record")
    rec.sign_as_officer(world.officer, inquiry)
    rec.record_other_signature(world.officer2, inquiry, role=SignerRole.PARTY, signer_name="王五", refused=True,
                               reason="拒绝签字")
    clock(case, deadline="service", label="决定书送达", article="行政处罚法 61", due_in=-DAY)
    clock(case, deadline="archive", label="立卷归档", article="BX 11, LC 31, LQ 28", due_in=2 * DAY)
    other = world.open_case(officer=world.outsider, officers=[], on_site=False, title="河道内违法采砂")
    now = timezone.now()
    for i, (c, officer, severity, message, code) in enumerate([
            (case, world.officer, "error", "询问笔录缺少当事人签字或两名执法人员确认的拒签", "oversight.F003"),
            (case, world.officer2, "warning", "音像记录逾期存储", "oversight.F007"),
            (other, world.outsider, "error", "程序启动尚缺少已完成的程序启动审批表", "oversight.F001"),
            (other, world.outsider, "error", "作出决定前未告知权利", OTHER_CODE)]):
        f, _ = open_finding(c, officer=officer, severity=severity, message=message, code=code,
                            at=now - datetime.timedelta(days=35 * (i % 3)))
        if i == 3:
            resolve_finding(f)
    return case


def _watch(p):
    csp = []
    p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    return csp


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_officer_todo_and_notices(live_server, live_world, page, mobile_page, screenshot_dir):
    case = _scene(live_world)
    base = live_server.url
    for p, suffix in ((mobile_page, "-phone"), (page, "")):
        csp = _watch(p)
        log_in(p, base, live_world.officer.username)
        p.goto(f"{base}/oversight/todo/")
        expect(p.get_by_role("heading", level=1)).to_contain_text("我的待办")
        expect(p.locator("#todo-sign")).to_contain_text("现场检查")
        expect(p.locator("#todo-refusals")).to_contain_text("当事人拒绝签字")
        expect(p.locator("#todo-deadlines .overdue")).to_contain_text("决定书送达")
        expect(p.locator("#todo-deadlines")).to_contain_text("立卷归档")
        p.screenshot(path=str(screenshot_dir / f"todo-officer{suffix}.png"), full_page=True)
        _fits(p)
        if p is page:
            p.locator("main").get_by_role("link", name="提醒").click()  # the page's own button (the badge is in the navigation)
            expect(p.get_by_role("heading", level=1)).to_contain_text("提醒")
            expect(p.get_by_text("询问笔录缺少当事人签字")).to_be_visible()
            p.screenshot(path=str(screenshot_dir / "todo-notices.png"), full_page=True)
            p.get_by_role("button", name="全部标记为已读").click()
            expect(p.get_by_text("没有新的提醒。")).to_be_visible()
            p.goto(f"{base}/oversight/todo/")
            p.locator("#todo-refusals").get_by_role("link").first.click()
            expect(p).to_have_url(f"{base}/records/{case.records.get(record_type__code='inquiry_record').pk}/")
        assert csp == []


def test_supervisor_overview(live_server, live_world, page, mobile_page, screenshot_dir):
    _scene(live_world)
    boss = supervisor(live_world)
    base = live_server.url
    for p, suffix in ((mobile_page, "-phone"), (page, "")):
        csp = _watch(p)
        log_in(p, base, boss.username)
        p.goto(f"{base}/oversight/")
        expect(p.get_by_role("heading", level=1)).to_have_text("执法监督")
        expect(p.get_by_role("img", name="各科室发现的问题")).to_be_visible()
        expect(p.get_by_role("img", name="每月发现与整改的问题")).to_be_visible()
        # On the phone: the first screen (the charts below the filters), as it is read there.
        p.get_by_text("共发现").scroll_into_view_if_needed()
        p.screenshot(path=str(screenshot_dir / f"supervision-findings{suffix}.png"), full_page=p is page)
        _fits(p)
        p.get_by_label("严重程度").select_option(label="错误")
        p.get_by_role("button", name="查询").click()
        expect(p.locator("table.findings")).not_to_contain_text("音像记录逾期存储")
        p.get_by_role("link", name="案件与期限").click()
        expect(p.get_by_role("heading", level=1)).to_have_text("案件与期限")
        p.get_by_label("案件编号、案由或当事人").fill("采砂")
        p.get_by_role("button", name="查询").click()
        expect(p.locator("table.list")).to_contain_text("河道内违法采砂")
        expect(p.locator("table.list")).not_to_contain_text("未经许可取水")
        p.goto(f"{base}/oversight/cases/")
        expect(p.get_by_text("逾期 1")).to_be_visible()
        p.screenshot(path=str(screenshot_dir / f"supervision-cases{suffix}.png"), full_page=p is page)
        _fits(p)
        p.get_by_role("link", name="案件统计").click()
        expect(p.get_by_role("img", name="每月立案与归档的案件")).to_be_visible()
        p.screenshot(path=str(screenshot_dir / f"supervision-stats{suffix}.png"), full_page=p is page)
        _fits(p)
        if p is page:
            with p.expect_download() as dl:
                p.get_by_role("link", name="导出 Excel").click()
            assert dl.value.suggested_filename.startswith("oversight-stats-")
        assert csp == []
