"""An upload while the S3 store is down, in a real browser: the Chinese 507 page, the typed note
back in a form that posts again, nothing added to the record, no Content-Security-Policy
violation. Screenshots (desktop and phone) go to test-artifacts/web/."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from liuhen.records.models import Supplement
from liuhen.testing.records import signed_inspection
from liuhen.testing.seaweedfs import own_seaweedfs  # noqa: F401  (fixture)
from liuhen.testing.world import World

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
NOTE = "签字纸质件照片（当事人补签）"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_supplement_while_the_store_is_down(live_server, live_world, browser, own_seaweedfs, device):
    record = signed_inspection(live_world)
    own_seaweedfs.stop()
    viewport = {"width": 1280, "height": 900} if device == "desktop" else {"width": 390, "height": 844}
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("用户名").fill("zhang")
        page.get_by_label("密码").fill(World.PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        page.goto(f"{live_server.url}/records/{record.pk}/")
        page.locator("#id_supplement_files").set_input_files(
            [{"name": "纸质件.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8 photo of the paper" * 50}])
        page.get_by_label("说明").fill(NOTE)
        page.get_by_role("button", name="补充材料").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("文件未保存")
        expect(page.get_by_role("alert")).to_contain_text("存储空间不足或存储服务不可用，文件未保存，请稍后重试。")
        expect(page.get_by_label("说明")).to_have_value(NOTE)
        expect(page.locator("form.retry-form input:not([type=hidden])")).to_have_count(2)  # 说明, one file chooser
        expect(page.get_by_role("button", name="重新提交")).to_be_visible()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"storage-507-{device}.png", full_page=True)
        assert not Supplement.objects.exists()
        assert violations == []
    finally:
        context.close()
