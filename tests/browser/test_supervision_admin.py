"""上级监督 in the configuration admin (issue 21 §4): the agency's system administrator, past the second
factor, reads who supervises the agency — on a laptop and a phone; nothing there edits it.
README screenshot: supervision-admin.png (LIUHEN_UPDATE_SCREENSHOTS=1)."""

from playwright.sync_api import expect

from liuhen.testing.browser import log_in
from liuhen.testing.otp import pass_second_factor


def test_the_system_administrator_reads_the_agencys_supervisions(live_server, live_world, page, mobile_page,
                                                                  screenshot_dir):
    from liuhen.accounts import services as acc

    justice = acc.create_agency(None, name="测试市司法局", short_name="市司")
    acc.grant_supervision(None, justice, live_world.agency, basis="市政府确定的行政执法监督关系")
    for p, name in ((page, "supervision-admin.png"), (mobile_page, "supervision-admin-mobile.png")):
        log_in(p, live_server.url, "sys", heading=None)
        pass_second_factor(p, "sys")
        p.goto(f"{live_server.url}/admin/accounts/supervision/")
        row = p.locator("#result_list tbody tr").first
        expect(row).to_contain_text("测试市司法局")
        expect(row).to_contain_text(live_world.agency.name)
        expect(row).to_contain_text("有效")
        expect(p.locator("a[href$='/admin/accounts/supervision/add/']")).to_have_count(0)  # the CLI declares
        p.screenshot(path=str(screenshot_dir / name), full_page=True)
