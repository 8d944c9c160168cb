"""What the browser tests share (they may not import one another): logging in through the real
login page."""
import re

from playwright.sync_api import expect

from .world import World


def fill_login(page, username: str, password: str = World.PASSWORD) -> None:
    """The login form of the page at hand, filled and sent."""
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def log_in(page, base: str, username: str, password: str = World.PASSWORD, *, heading: str | None = None,
           wait: bool = True) -> None:
    """Open `base`/login/ and log in; then (with `wait`) the page has left the login page and its
    heading is shown, `heading` if given."""
    page.goto(f"{base}/login/")
    fill_login(page, username, password)
    if wait:  # the login page has a heading too: first be past it
        expect(page).not_to_have_url(re.compile(r"/login/"))
    if heading is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    elif wait:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
