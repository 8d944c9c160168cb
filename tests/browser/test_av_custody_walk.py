"""Issue 14 as its users meet it, on the demo agency: the 设备管理员's device history and registry,
the officer's 我的设备, the 监督人员's supervision page and 抽检台账, the 机关负责人 and the 档案管理员
on a court copy — each page on a laptop and on a phone, its screenshot for the README.

One test, one demo load (about 20 s): the pages are read, not written, so the roles share it."""
import pytest
from playwright.sync_api import expect

from liuhen.copies.models import CopyHandover, CopyRequest
from liuhen.footage.models import FootageItem
from liuhen.retention.models import LegalHold, LongTermGround
from liuhen.demo.builder import DEMO_PASSWORD
from liuhen.devices.models import Device
from liuhen.inspections.models import Round
from liuhen.ledger.storage import integrate_all
from liuhen.testing.browser import log_in
from liuhen.testing.demo import demo_snapshot, restore_demo


@pytest.fixture
def demo(transactional_db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # The equipment ratio is the demo agency's profile (devices:, liuhen/demo/agency_rules.py): the
    # registry shows its card without a setting (LIUHEN_DEVICES is retired, issue 15).
    # `liuhen demo` from the run's one build (liuhen/testing/demo.py), committed for the live server;
    # as the command does, the demo's events go into the tree under a signed checkpoint
    restore_demo(demo_snapshot(tmp_path_factory, django_db_blocker), fresh_home, settings.LIUHEN_BLOB_DIR)
    integrate_all()


def _shoot(p, screenshot_dir, name, phone):
    p.screenshot(path=str(screenshot_dir / f"{name}{'-phone' if phone else ''}.png"), full_page=True)


def test_each_role_sees_footage_kept_and_given_out(live_server, demo, page, mobile_page, screenshot_dir):
    base = live_server.url
    repaired = Device.objects.get(number="JL-006")
    scrapped = Device.objects.get(number="JL-007")
    handed = CopyHandover.objects.select_related("package__request").first().package.request
    pending = CopyRequest.objects.exclude(pk=handed.pk).first()
    closed_round = Round.objects.filter(kind="footage").first()
    removed = FootageItem.objects.get(name="DSJ_0031.MP4")  # demo/retention.py: in its recovery period
    decided = LongTermGround.objects.get(kind="important").case
    held = LegalHold.objects.get().case
    for p in (page, mobile_page):
        phone = p is mobile_page
        # 设备管理员: the registry (the first page) with the notice of files announced for purge, the
        # ratio card and overdue checks; the retention list; a repaired device's life.
        log_in(p, base, "majun", DEMO_PASSWORD)
        expect(p.get_by_role("heading", level=1)).to_have_text("音像记录设备")
        expect(p.locator("#retention-notices")).to_contain_text("已公告待清理")
        expect(p.get_by_text("配备比例").first).to_be_visible()
        expect(p.get_by_text("逾期").first).to_be_visible()
        _shoot(p, screenshot_dir, "device-registry", phone)
        p.goto(f"{base}/devices/{repaired.pk}/")
        expect(p.get_by_role("heading", level=1)).to_contain_text("JL-006")
        for step in ("故障报告", "送修", "修复返回", "定期检查保养"):  # its life, in the history
            expect(p.locator("strong", has_text=step).first).to_be_visible()
        _shoot(p, screenshot_dir, "device-history", phone)
        p.goto(f"{base}/devices/{scrapped.pk}/")
        expect(p.locator("strong", has_text="报废").first).to_be_visible()
        p.goto(f"{base}/retention/")
        expect(p.get_by_role("heading", level=1)).to_have_text("保存期限")
        for label in ("原始音像资料", "证据", "长期保存"):
            expect(p.locator("main")).to_contain_text(label)
        _shoot(p, screenshot_dir, "retention-index", phone)
        p.goto(f"{base}/retention/notices/")
        expect(p.get_by_role("heading", level=1)).to_have_text("待清理公告")
        _shoot(p, screenshot_dir, "retention-notices", phone)
        p.goto(f"{base}/footage/{removed.pk}/")  # removed, not yet purged: no player, restorable
        expect(p.locator("main")).to_contain_text("已移除")
        expect(p.locator("video")).to_have_count(0)
        _shoot(p, screenshot_dir, "footage-removed", phone)
        p.context.clear_cookies()

        # 执法人员: the devices they hold, with 报告故障.
        log_in(p, base, "zhangming", DEMO_PASSWORD)
        p.goto(f"{base}/devices/mine/")
        expect(p.get_by_role("heading", level=1)).to_have_text("我领用的设备")
        expect(p.get_by_role("link", name="我的设备")).to_be_visible()
        p.context.clear_cookies()

        # 监督人员: supervision by unit and by officer, the rounds and the 抽检台账.
        log_in(p, base, "hezhiyuan", DEMO_PASSWORD)
        p.goto(f"{base}/av/supervision/")
        expect(p.get_by_role("heading", level=1)).to_have_text("音像记录监督")
        _shoot(p, screenshot_dir, "av-supervision", phone)
        p.goto(f"{base}/av/supervision/?by=officer")
        expect(p.get_by_text("张明").first).to_be_visible()
        p.goto(f"{base}/inspections/{closed_round.pk}/")
        expect(p.get_by_role("heading", level=1)).to_contain_text(f"第 {closed_round.pk} 轮抽检")
        p.get_by_role("button", name="重新抽取核对").click()
        expect(p.get_by_text("一致").first).to_be_visible()
        _shoot(p, screenshot_dir, "inspections-round", phone)
        p.goto(f"{base}/inspections/ledger/")
        expect(p.get_by_role("heading", level=1)).to_have_text("抽检台账")
        expect(p.locator("main")).to_contain_text("开场用语完整")  # the demo round's failed check
        _shoot(p, screenshot_dir, "inspections-ledger", phone)
        p.context.clear_cookies()

        # 机关负责人: the request waiting for approval; 档案管理员: the copy handed to the court.
        log_in(p, base, "liujianguo", DEMO_PASSWORD)
        p.goto(f"{base}/copies/{pending.pk}/")
        expect(p.get_by_role("heading", level=1)).to_have_text(f"证据复制申请 第 {pending.pk} 号")
        expect(p.get_by_role("button", name="提交审批")).to_be_visible()
        p.goto(f"{base}/retention/case/{decided.pk}/")  # long-term by the head's decision (LW-D 12(三))
        expect(p.locator("main")).to_contain_text("长期保存")
        _shoot(p, screenshot_dir, "retention-case", phone)
        p.goto(f"{base}/retention/case/{held.pk}/")  # frozen by the legal reviewer: nothing purged
        expect(p.locator("main")).to_contain_text("法律保全")
        p.context.clear_cookies()
        log_in(p, base, "wuxiulan", DEMO_PASSWORD)
        p.goto(f"{base}/copies/{handed.pk}/")
        expect(p.get_by_text("本溪市平山区人民法院").first).to_be_visible()
        expect(p.get_by_text("赵立群").first).to_be_visible()
        _shoot(p, screenshot_dir, "copies-handover", phone)
        p.context.clear_cookies()
