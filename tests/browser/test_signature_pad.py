"""The signature pad (签名笔迹, issue 16 §5) in a real browser: at phone width the officer opens the
party's signature form, the party draws on the canvas, the form is sent, and the record's signature
list shows the mark — the PNG the canvas made, stored with its hash. Screenshots of the record page
with the pad (phone 390 px, desktop 1280 px) go to the harness's screenshot folder (the README's
with `make screenshots`)."""
from playwright.sync_api import expect

from liuhen.testing.browser import log_in

def _signed_inspection(world):
    from liuhen.records import services
    from liuhen.testing.records import INSPECTION, investigating, rtype

    case = investigating(world)
    record = services.create_record(world.officer, case, rtype("inspection_record"), dict(INSPECTION))
    services.sign_as_officer(world.officer, record)
    return record


def _draw(page, canvas, strokes):
    """Strokes drawn with the mouse, as fractions of the canvas's box (in the viewport)."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=6)
        page.mouse.up()


def _open_form(page, base, record):
    page.goto(f"{base}/records/{record.pk}/")
    page.get_by_text("记录当事人/见证人签字或拒签").click()
    canvas = page.locator("#id_signature_canvas")
    expect(canvas).to_be_visible()
    return canvas


def test_a_party_signs_on_the_pad_at_phone_width(live_server, live_world, mobile_page, page, screenshot_dir):
    from liuhen.records.models import Signature
    from liuhen.testing.records import PARTY

    shots = screenshot_dir
    base, world = live_server.url, live_world
    record = _signed_inspection(world)
    phone = mobile_page
    log_in(phone, base, world.officer.username)
    canvas = _open_form(phone, base, record)
    box = canvas.bounding_box()
    assert box["width"] <= 390 and box["width"] > 250  # the pad fits the phone's width
    phone.get_by_label("姓名").fill(PARTY)
    _draw(phone, canvas, [[(0.1, 0.6), (0.25, 0.2), (0.4, 0.7), (0.55, 0.25), (0.7, 0.65)],
                          [(0.15, 0.85), (0.85, 0.8)]])
    expect(phone.locator("[data-signature-status]")).to_have_text("已签写")
    canvas.scroll_into_view_if_needed()
    phone.screenshot(path=shots / "marks-pad-phone.png", full_page=False)

    # 清除 empties the pad; a blank pad sends no mark
    phone.get_by_role("button", name="清除").click()
    expect(phone.locator("[data-signature-status]")).to_have_text("尚未签写")
    _draw(phone, canvas, [[(0.1, 0.5), (0.3, 0.3), (0.5, 0.6), (0.8, 0.3)]])
    phone.get_by_role("button", name="记录", exact=True).click()
    expect(phone.locator(".msg-success")).to_contain_text("已记录签字")

    sig = Signature.objects.get(record=record, role="party")
    assert sig.mark_kind == "canvas" and sig.mark_id
    mark = phone.locator("img.signature-mark")
    expect(mark).to_be_visible()
    # The canvas's PNG, served: waited for (a loaded machine serves the image after the page is shown).
    phone.wait_for_function("() => { const i = document.querySelector('img.signature-mark');"
                            " return i && i.complete && i.naturalWidth > 250; }")
    expect(phone.get_by_text("手写板签名 · SHA-256")).to_be_visible()
    mark.scroll_into_view_if_needed()
    phone.screenshot(path=shots / "marks-list-phone.png", full_page=False)

    # The same page on a desktop: the pad beside the other fields, the signed mark in the list.
    log_in(page, base, world.officer.username)
    _open_form(page, base, record)
    page.locator("#signatures").scroll_into_view_if_needed()
    page.screenshot(path=shots / "marks-pad-desktop.png", full_page=True)
