"""执法文书 in a real browser: the officer opens a complete 决定书, sees the 执法文书 panel, 签发 it and
gets its 文号, downloads the sealed PDF (byte for byte the stored one; its first page becomes the
README's picture of a rendered document); the agency head reads the 文号登记簿 and voids a number
with its reason. On a laptop and on a phone (no horizontal scrolling), no Content-Security-Policy
violation."""
import hashlib
import subprocess

from playwright.sync_api import expect

from liuhen.testing import documents as D
from liuhen.testing.browser import log_in


def test_officer_issues_a_decision_and_the_head_voids_a_number(live_server, live_world, page, mobile_page,
                                                               screenshot_dir, tmp_path):
    from liuhen.documents.models import IssuedDocument

    decision = D.signed_decision(live_world)
    base = live_server.url
    csp = []
    for p in (page, mobile_page):
        p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page, base, live_world.officer.username)
    page.goto(f"{base}/records/{decision.pk}/")
    panel = page.locator("#record-document")
    expect(panel.get_by_role("heading", name="执法文书")).to_be_visible()
    # Issuing renders and seals two PDFs (the first WeasyPrint run of a process loads the CJK fonts):
    # seconds on a loaded machine, more than the click's own wait.
    with page.expect_navigation(timeout=90_000):
        panel.get_by_role("button", name="签发（编号并加盖电子印章）").click(no_wait_after=True)
    expect(page.get_by_role("alert")).to_contain_text("已签发：")  # first the server's answer, then our read
    doc = IssuedDocument.objects.get(record=decision)
    expect(page.get_by_role("alert")).to_contain_text(f"已签发：{doc.number.text}")
    expect(panel).to_contain_text(doc.number.text)
    expect(panel.get_by_text("有效")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "document-record-part.png"), full_page=True)
    with page.expect_download() as download:
        panel.get_by_role("link", name="下载盖章文书").click()
    pdf = tmp_path / "issued.pdf"
    download.value.save_as(pdf)
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == doc.pdf_sha256
    # The README's picture of a rendered, sealed page (pdftoppm: what a printer would put on paper).
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(screenshot_dir / "document-decision")],
                   check=True)
    page.goto(f"{base}/documents/record/{decision.pk}/print/")
    expect(page.get_by_text(doc.number.text)).to_be_visible()

    log_in(mobile_page, base, live_world.officer.username)
    mobile_page.goto(f"{base}/records/{decision.pk}/")
    expect(mobile_page.locator("#record-document")).to_contain_text(doc.number.text)
    mobile_page.screenshot(path=str(screenshot_dir / "document-record-part-phone.png"), full_page=True)
    assert mobile_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.context.clear_cookies()
    log_in(page, base, live_world.agency_head.username)
    page.get_by_role("link", name="文号登记簿").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("文号登记簿")
    row = page.get_by_role("row").filter(has_text=doc.number.text)
    row.get_by_text("作废", exact=True).click()
    row.get_by_label("作废理由").fill("送达前发现当事人名称有误")
    row.get_by_role("button", name="作废文号").click()
    expect(page.get_by_role("alert")).to_contain_text("已作废")
    expect(page.get_by_role("row").filter(has_text=doc.number.text)).to_contain_text("送达前发现当事人名称有误")
    page.screenshot(path=str(screenshot_dir / "document-numbers.png"), full_page=True)
    mobile_page.context.clear_cookies()
    log_in(mobile_page, base, live_world.agency_head.username)
    mobile_page.goto(f"{base}/documents/numbers/")
    mobile_page.screenshot(path=str(screenshot_dir / "document-numbers-phone.png"), full_page=True)
    assert csp == []
