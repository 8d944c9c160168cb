"""扫码验真 in a real browser, as a party opens it from the QR code on a phone: no login, the status
in words and colour, the inclusion proof; the issued PDF uploaded → 逐字节一致, a tampered copy →
不一致 with both hashes. Then the same document revoked. On a phone (390 wide, no horizontal
scrolling) and a laptop (1280), with no Content-Security-Policy violation."""
from playwright.sync_api import expect

from liuhen.documents import services
from liuhen.ledger.storage import integrate_all
from liuhen.testing.documents_verify import issued, stored, tampered


def _look(p, name, screenshot_dir):
    p.screenshot(path=str(screenshot_dir / name), full_page=True)
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_party_checks_a_document_on_a_phone(live_server, live_world, page, mobile_page, screenshot_dir, tmp_path):
    world = live_world
    doc = issued(world)
    integrate_all()
    good = tmp_path / "决定书.pdf"
    good.write_bytes(stored(doc.pdf_sha256))
    bad = tmp_path / "改过的.pdf"
    bad.write_bytes(tampered(good.read_bytes()))
    link = f"{live_server.url}/v/{doc.token}"
    for p, suffix in ((mobile_page, "phone"), (page, "desktop")):
        csp = []
        p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
        p.goto(link)
        expect(p.get_by_role("heading", level=1)).to_have_text("询问笔录")
        expect(p.get_by_role("status")).to_contain_text("有效")
        expect(p.locator("#proof")).to_contain_text("验证通过")
        expect(p.get_by_text(doc.number.text).first).to_be_visible()
        _look(p, f"verify-valid-{suffix}.png", screenshot_dir)

        p.get_by_label("选择收到的文书 PDF 文件").set_input_files(str(good))
        p.get_by_role("button", name="比对", exact=True).click()
        expect(p.locator("#check").get_by_role("alert")).to_contain_text("与签发文书逐字节一致")
        _look(p, f"verify-match-{suffix}.png", screenshot_dir)

        p.get_by_label("选择收到的文书 PDF 文件").set_input_files(str(bad))
        p.get_by_role("button", name="比对", exact=True).click()
        expect(p.locator("#check").get_by_role("alert")).to_contain_text("与签发文书不一致")
        expect(p.locator("#check")).to_contain_text(doc.pdf_sha256)
        _look(p, f"verify-mismatch-{suffix}.png", screenshot_dir)
        assert csp == []

    services.revoke_document(world.agency_head, doc, "经行政复议决定撤销")
    for p, suffix in ((mobile_page, "phone"), (page, "desktop")):
        p.goto(link)
        expect(p.get_by_role("status")).to_contain_text("已撤销")
        expect(p.get_by_text("经行政复议决定撤销")).to_be_visible()
        _look(p, f"verify-revoked-{suffix}.png", screenshot_dir)
