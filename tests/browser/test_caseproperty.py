"""涉案财物 in a real browser (issue 18 item 5): on a phone the officer registers the seized excavator from
the 查封扣押现场笔录 with its photo and the store it is kept in, then asks to return it; on a laptop the
agency head approves; back on the phone the officer records the return with the signed receipt. No
Content-Security-Policy violation, nothing wider than the screen."""
from django.utils import timezone
from playwright.sync_api import expect

from liuhen.caseproperty.models import Handling, HandlingApproval, Item
from liuhen.testing.caseproperty import PNG, seized_case
from liuhen.testing.browser import log_in


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _watch(p, csp):
    p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)


def test_an_item_registered_returned_with_approval(live_server, live_world, page, mobile_page, screenshot_dir):
    world = live_world
    case, seizure = seized_case(world)
    base = live_server.url
    csp = []
    _watch(page, csp)
    _watch(mobile_page, csp)

    log_in(mobile_page, base, world.officer.username)
    mobile_page.goto(f"{base}/cases/{case.pk}/#caseproperty")
    card = mobile_page.locator("#caseproperty")
    expect(card.locator("#caseproperty-terms")).to_contain_text("查封扣押期限")
    card.locator("#caseproperty-register summary").click()  # folded until asked for
    form = card.locator("#item-form")
    form.get_by_label("财物名称").fill("挖掘机")
    form.get_by_label("规格型号").fill("卡特 320D")
    form.get_by_label("数量").fill("1")
    form.get_by_label("计量单位").fill("台")
    form.locator("#id_item-source").select_option("扣押")
    form.get_by_label("来源记录（查封扣押现场笔录或证据登记保存清单）").select_option(str(seizure.pk))
    form.get_by_label("估价（元）").fill("180000")
    form.locator('input[type="file"]').set_input_files(
        files=[{"name": "挖掘机.png", "mimeType": "image/png", "buffer": PNG}])
    form.get_by_label("保管地点").fill("水务局罚没物品仓库")
    form.get_by_label("保管人").fill("李四")
    card.screenshot(path=str(screenshot_dir / "caseproperty-register-phone.png"))
    _fits(mobile_page)
    form.get_by_role("button", name="登记财物").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("已登记财物：挖掘机")
    it = Item.objects.get(case=case)
    card = mobile_page.locator("#caseproperty")
    expect(card.locator(f"#item-{it.pk}")).to_contain_text("水务局罚没物品仓库 · 李四")
    expect(card.locator(f"#item-{it.pk}")).to_contain_text("在库")

    card.locator("#caseproperty-request summary").click()
    request = card.locator("#request-form")
    request.get_by_label("挖掘机 1台").check()
    request.get_by_label("处理方式").select_option("退还")
    request.get_by_label("理由和依据").fill("经调查，挖掘机不属于违法所得，依行政强制法 28 退还。")
    request.get_by_role("button", name="提交申请").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("已申请退还，待审批")

    log_in(page, base, world.agency_head.username)
    page.goto(f"{base}/cases/{case.pk}/#caseproperty")
    decision = page.locator("#caseproperty .decision-form")
    decision.get_by_label("批准", exact=True).check()
    decision.get_by_label("意见（不予批准时必填）").fill("同意退还。")
    decision.get_by_role("button", name="审批").click()
    expect(page.locator(".msg-success")).to_contain_text("已批准退还")
    assert HandlingApproval.objects.get().approved
    _fits(page)

    mobile_page.reload()  # the officer's page, opened before the approval
    card = mobile_page.locator("#caseproperty")
    result = card.locator(".handling-form")
    result.get_by_label("处理日期").fill(timezone.localdate().isoformat())
    result.get_by_label("接收人（退还）").fill("王五")
    result.get_by_label("接收人与当事人的关系（退还）").fill("本人")
    result.locator('input[type="file"]').set_input_files(
        files=[{"name": "签收单.png", "mimeType": "image/png", "buffer": PNG}])
    result.get_by_role("button", name="登记处理结果").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("已登记退还结果")
    card = mobile_page.locator("#caseproperty")
    expect(card.locator(f"#item-{it.pk}")).to_contain_text("已处理（退还）")
    expect(card.locator("#caseproperty-requests")).to_contain_text("王五（本人）签收")
    assert Handling.objects.get().recipient == "王五"
    card.screenshot(path=str(screenshot_dir / "caseproperty-phone.png"))
    _fits(mobile_page)

    mobile_page.goto(f"{base}/property/")
    expect(mobile_page.locator("#caseproperty-list")).to_contain_text("挖掘机")
    mobile_page.screenshot(path=str(screenshot_dir / "caseproperty-list-phone.png"), full_page=True)
    _fits(mobile_page)
    assert csp == []
