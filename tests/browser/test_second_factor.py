"""An administrator's second factor on a phone (issue 21 §2): after the password the enrol page
(QR code and key) fits the screen, the first code binds the authenticator and opens the
configuration admin; the next login asks for the code."""
import re

from playwright.sync_api import expect

from liuhen.testing.browser import log_in
from liuhen.testing.otp import pass_second_factor


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_administrator_enrols_and_logs_in_on_a_phone(live_server, live_world, mobile_page, screenshot_dir):
    w, page, base = live_world, mobile_page, live_server.url
    log_in(page, base, w.sysadmin.username, heading="绑定验证器")
    expect(page).to_have_url(re.compile(r"/account/otp/enrol/"))
    expect(page.locator(".qr svg")).to_be_visible()
    assert fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "otp-enrol-mobile.png", full_page=True)
    pass_second_factor(page, w.sysadmin.username)
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.context.clear_cookies()  # a new login on the same phone
    log_in(page, base, w.sysadmin.username, heading="双因素验证")
    assert fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "otp-verify-mobile.png", full_page=True)
    pass_second_factor(page, w.sysadmin.username)
    expect(page).to_have_url(re.compile(r"/admin/$"))
