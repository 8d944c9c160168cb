"""The API's OpenAPI docs (/api/docs) render in a real browser under the Content-Security-Policy:
Swagger UI from django-ninja's own static files, the footage upload endpoints listed."""
from playwright.sync_api import expect


def test_api_docs_render(live_server, page, screenshot_dir):
    csp = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/api/docs")
    expect(page.get_by_text("留痕 接口").first).to_be_visible()
    expect(page.get_by_text("/api/footage/uploads/{key}/complete").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "api-docs.png"), full_page=False)
    assert csp == []
