"""Issue 15 as its users meet it, on the demo agency: the officer's 我的待办 (his first page), a case's
期限与问题 with met, late and overdue clocks, the agency's 执法规则 (记录事项清单) and the 工作日历; the
监督人员's 执法监督, the 案卷评查 round and a scored file with its deductions; the unit head's answer
to the round — each page on a laptop and on a phone (no sideways scrolling, no Content-Security-Policy
violation), its screenshot for the README.

One test, one demo load: the pages are read, not written, so the roles share it."""
import pytest
from playwright.sync_api import expect

from liuhen.demo.builder import DEMO_PASSWORD
from liuhen.evaluation.models import Answer, Round
from liuhen.ledger.storage import integrate_all
from liuhen.oversight.finding_models import Clock, ClockStatus
from liuhen.testing.browser import log_in
from liuhen.testing.demo import demo_snapshot, restore_demo


@pytest.fixture
def demo(transactional_db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # `liuhen demo` from the run's one build (liuhen/testing/demo.py), committed for the live server;
    # as the command does, the demo's events go into the tree under a signed checkpoint
    restore_demo(demo_snapshot(tmp_path_factory, django_db_blocker), fresh_home, settings.LIUHEN_BLOB_DIR)
    integrate_all()


def _shoot(p, screenshot_dir, name, phone):
    p.screenshot(path=str(screenshot_dir / f"{name}{'-phone' if phone else ''}.png"), full_page=True)


def _watch(p):
    csp = []
    p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    return csp


def _fits(p):
    # Against the viewport, not window.innerWidth: a phone's browser widens its layout viewport to
    # content that overflows (innerWidth then grows with it, and the page is shown zoomed out).
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= p.viewport_size["width"], f"{p.url} is {width} px wide on a {p.viewport_size['width']} px screen"


def _images_shown(p):
    """Each picture of the page scrolled to (they load lazily) and shown: a full-page screenshot would
    otherwise show grey boxes where a user scrolling down sees the posters."""
    for img in p.locator("main img").all():
        img.scroll_into_view_if_needed()
        expect(img).to_have_js_property("complete", True)
        expect(img).not_to_have_js_property("naturalWidth", 0)
    p.evaluate("window.scrollTo(0, 0)")


def _clocked_case():
    """张明's case with an overdue clock and the most clocks still shown (the page lists the clocks
    not yet met; the demo's dates make some late)."""
    cases = {}
    for c in Clock.objects.filter(case__officers__officer__username="zhangming").select_related("case"):
        cases.setdefault(c.case, []).append(c.status)
    overdue = [case for case, statuses in cases.items() if ClockStatus.OVERDUE in statuses]
    assert overdue, "the demo gives 张明 no overdue deadline"
    shown = (ClockStatus.RUNNING, ClockStatus.DUE_SOON, ClockStatus.OVERDUE, ClockStatus.UNKNOWN)
    return max(overdue, key=lambda case: (sum(s in shown for s in cases[case]), len(cases[case]), -case.pk))


def test_each_role_meets_deadlines_findings_and_evaluation(live_server, demo, page, mobile_page, screenshot_dir):
    base = live_server.url
    case = _clocked_case()
    round_ = Round.objects.get()  # the demo's one round
    answer = Answer.objects.select_related("answered_by", "score", "case").get(round=round_)
    objected = answer.case  # the scored file with two deductions (卷内目录、送达), answered by its unit's head
    assert answer.score.total < 100
    for p in (page, mobile_page):
        phone = p is mobile_page
        csp = _watch(p)

        # 执法人员: 我的待办 is where the login lands; a case's clocks; the agency's rules; the calendar.
        log_in(p, base, "zhangming", DEMO_PASSWORD)
        expect(p).to_have_url(f"{base}/oversight/todo/")
        expect(p.get_by_role("heading", level=1)).to_contain_text("我的待办")
        expect(p.locator("#todo-deadlines")).to_contain_text("决定书送达")
        expect(p.locator("#todo-deadlines .overdue").first).to_be_visible()
        _fits(p)
        _shoot(p, screenshot_dir, "todo-officer", phone)
        p.goto(f"{base}/cases/{case.pk}/")
        expect(p.get_by_role("heading", level=1)).to_contain_text(case.title)
        clocks = p.locator("#case-clocks")
        expect(clocks.get_by_role("heading", level=2)).to_have_text("期限与问题")
        expect(clocks.locator("tr.overdue").first).to_contain_text("已逾期")
        expect(clocks.locator("ul.findings li").first).to_contain_text("依据")
        expect(clocks.locator('tr.overdue td[data-label="到期"]')).to_have_count(1)  # labelled when stacked on a phone
        _fits(p)
        _images_shown(p)
        if phone:
            _shoot(p, screenshot_dir, "case-clocks", phone)
        else:  # on a laptop the card is the last of the left column, far down the page: shown alone
            clocks.screenshot(path=str(screenshot_dir / "case-clocks.png"))
        p.goto(f"{base}/profiles/")
        expect(p.get_by_role("heading", level=1)).to_have_text("执法规则配置 · 记录事项清单")
        expect(p.get_by_role("heading", name="各阶段须完成的文书")).to_be_visible()
        expect(p.locator("main")).to_contain_text("BX 4")
        expect(p.locator("main")).to_contain_text("依申请、举报投诉")  # a rule's codes in Chinese, not a Python tuple
        expect(p.locator("#publicity")).to_contain_text("通报批评：3个月；其他：3年")  # the 公示 section in words
        expect(p.locator("main")).not_to_contain_text("('application'")
        _fits(p)
        _shoot(p, screenshot_dir, "profiles-index", phone)
        p.goto(f"{base}/workdays/?year=2026")
        expect(p.get_by_role("heading", level=1)).to_have_text("工作日历 · 2026 年")
        expect(p.locator("main")).to_contain_text("春节")
        expect(p.get_by_role("heading", name="调休上班")).to_be_visible()
        _fits(p)
        _shoot(p, screenshot_dir, "workdays-2026", phone)
        p.context.clear_cookies()

        # 监督人员: findings by unit, officer, kind, severity and month; the round; a scored file.
        log_in(p, base, "hezhiyuan", DEMO_PASSWORD)
        p.goto(f"{base}/oversight/")
        expect(p.get_by_role("heading", level=1)).to_have_text("执法监督")
        for heading in ("按科室", "按执法人员", "按问题类型", "按严重程度", "按月份"):
            expect(p.get_by_role("heading", name=heading)).to_be_visible()
        expect(p.locator("main table").first).to_contain_text("水政监察支队")  # the 按科室 table
        _fits(p)
        _shoot(p, screenshot_dir, "supervision-findings", phone)
        p.goto(f"{base}/evaluation/{round_.pk}/")
        expect(p.get_by_role("heading", level=1)).to_have_text(f"{round_.period_to.year}年度行政执法案卷评查")
        expect(p.locator("main")).to_contain_text(f"已评 {len(round_.sample) - 1} / {len(round_.sample)} 份")
        expect(p.locator("table.eval-files")).to_contain_text(objected.number)
        expect(p.locator("table.eval-files")).to_contain_text("异议")
        _fits(p)
        _shoot(p, screenshot_dir, "evaluation-round", phone)
        p.goto(f"{base}/evaluation/{round_.pk}/files/{objected.pk}/")
        expect(p.get_by_role("heading", level=1)).to_contain_text(objected.number)
        expect(p.locator("main")).to_contain_text("卷内目录未逐页编号")
        # each deduction against its item: the 送达 note on the 送达与执行 item, not on another
        expect(p.locator("main li", has_text="送达回证未注明送达时间")).to_contain_text("送达与执行记录齐全")
        expect(p.locator("main li", has_text="卷内目录未逐页编号")).to_contain_text("卷内目录")
        expect(p.get_by_role("heading", name="整改反馈")).to_be_visible()
        expect(p.locator("main")).to_contain_text("维持扣分")
        _fits(p)
        _shoot(p, screenshot_dir, "evaluation-score", phone)
        p.context.clear_cookies()

        # 承办机构负责人 of the objected file's unit: the round's result for the unit, with his answer.
        log_in(p, base, answer.answered_by.username, DEMO_PASSWORD)
        p.goto(f"{base}/evaluation/unit/")
        expect(p.get_by_role("heading", level=1)).to_have_text("本机构案卷评查结果")
        expect(p.locator("main")).to_contain_text(objected.number)
        expect(p.locator("main")).to_contain_text(str(answer.score.total))
        expect(p.locator("main")).to_contain_text("送达回证已由受送达人签署日期")
        expect(p.locator("main")).to_contain_text("整改：已对卷内目录逐页编号")
        expect(p.locator("main")).not_to_contain_text("。；")  # the answer's reason and 整改 each on its line
        _fits(p)
        _shoot(p, screenshot_dir, "evaluation-unit", phone)
        p.context.clear_cookies()
        assert csp == [], csp
