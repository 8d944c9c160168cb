"""Real-browser harness: headless Debian Chromium driven by Playwright against pytest-django's live server.

Every test in this folder is marked ``browser`` (``pytest -m "not browser"`` leaves them out).
The browser is never downloaded: Playwright drives /usr/bin/chromium (installed by scripts/bootstrap.sh).
"""
import os
import threading
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop registered as running on the main thread for as long as it
# is started; Django would then refuse ORM calls from the test itself (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# The README's screenshots are refreshed on request (LIUHEN_UPDATE_SCREENSHOTS=1, `make screenshots`);
# an ordinary run writes its screenshots under test-artifacts/ so that tests leave the tree clean.
_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = (_ROOT / "docs" / "screenshots" if os.environ.get("LIUHEN_UPDATE_SCREENSHOTS") == "1"
               else _ROOT / "test-artifacts" / "screenshots")
TIMEOUT_MS = 10_000  # a page of this app renders in well under a second; fail fast rather than hang
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (scripts/bootstrap.sh installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright):
    # The browser's own controls (date and file pickers) in Chinese, as the agency's users see them:
    # chromium takes its UI language from LANGUAGE (the zh-CN pack is Debian's chromium-l10n).
    env = {**os.environ, "LANGUAGE": "zh_CN:zh", "LC_ALL": "C.UTF-8"}  # UTF-8 file names (机井照片.png)
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                         args=[*CHROMIUM_ARGS, "--lang=zh-CN"], env=env)
    yield browser
    browser.close()


def _page(browser, **context_options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context, context.new_page()


def _settle(page) -> None:
    """Before the test's database is flushed: let the page's last requests finish on the live
    server. With in-memory SQLite the live server's threads share the test's connection, so a
    request still being handled (its read of a table, its re-check of a case on commit) when the
    flush starts makes the flush fail with "database table is locked" — and every later test of
    that worker with it."""
    try:
        page.wait_for_load_state("networkidle", timeout=5000)
    except Exception:  # a closed page or a page that never settles: nothing more to wait for
        pass
    try:
        # A page that polls (htmx `every Ns`: a footage item being processed) never settles: leaving it
        # for a blank page stops its timers, and its last request is answered before the blank loads.
        page.goto("about:blank", timeout=5000)
    except Exception:
        pass
    with _OneRequestAtATime.lock:  # the request being handled, if any, has finished
        pass


@pytest.fixture
def page(browser):
    """A desktop page in a fresh context (own cookies): 1280×900, zh-CN, Asia/Shanghai."""
    context, page = _page(browser, viewport={"width": 1280, "height": 900})
    yield page
    _settle(page)
    context.close()


@pytest.fixture
def mobile_page(browser):
    """A phone-sized page in a fresh context: 390×844, touch, mobile viewport meta honoured."""
    context, page = _page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield page
    _settle(page)
    context.close()


class _OneRequestAtATime:
    """The live server's WSGI application, handling one request at a time.

    With in-memory SQLite the live server's threads share the test's one connection: two requests
    at once (a video's range requests, a page and its htmx fragment) interleave their transactions
    on it — one releases the other's savepoint ("no such savepoint") and the session is lost.
    A request's body (a streamed file) is still sent outside the lock."""

    lock = threading.Lock()  # one live server per worker at a time: _settle waits on it too

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        with self.lock:
            return self.app(environ, start_response)


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, started once the test database exists (pytest-django's own may
    start first: it then finds no in-memory connection to hand its threads, and each request thread
    opens a connection of its own to the shared-cache database — "database table is locked" whenever
    two meet), its requests one at a time on the shared connection (_OneRequestAtATime)."""
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    if server.thread.connections_override:
        handler = server.thread.static_handler
        server.thread.static_handler = lambda app: _OneRequestAtATime(handler(app))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_world(transactional_db, fresh_home):
    """The root conftest's World, committed so the live server's thread sees it — in a home of its
    own: what these tests commit is integrated and published, and the next test's database starts
    a new log, which the last test's published checkpoint would (rightly) refuse."""
    from liuhen.testing.world import World

    return World()


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
