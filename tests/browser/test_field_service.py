"""Service in the field on a phone (issue 18 item 6; 行政处罚法 61, 民事诉讼法 89 and 95) in a real browser
at 390 px: the officer makes the 送达回证 of a 留置送达 through the record form, signs it, records the
party's refusal, a second officer confirms it (LQ 17) and the witness signs on the screen's pad; the case
page's 送达 card keeps asking for the photo/video record of the service until the body camera's clip is
linked. After a failed attempt the officer makes a 公告送达记录 and photographs the posted notice through
the record page's file input; the card stops asking for it. No Content-Security-Policy violation,
nothing wider than the phone's screen; screenshots of the pad and of the card before and after."""
import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from liuhen.profiles.selectors import profile_for_case
from liuhen.records.models import Attachment, Record, Signature
from liuhen.testing.avrules import camera, clip, link, not_suitable
from liuhen.testing.browser import log_in
from liuhen.testing.delivery import day, in_service, made
from liuhen.testing.execution import PNG

WITNESS, WITNESS_ROLE = "赵建国", "平山村村民委员会主任"
PARTY = "王五"  # the party liuhen.testing.cases.add_person gives the case
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth <= 390")


def _watch(p, csp):
    p.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)


def _draw(page, canvas, strokes):
    """Strokes drawn on the pad, as fractions of the canvas's box (in the viewport)."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=6)
        page.mouse.up()


def _field(p, label):
    """A record form's field by its label, exactly (a required one's label ends in *)."""
    return p.get_by_label(re.compile(rf"^{re.escape(label)}\*?$"))


def _card(p, base, case):
    p.goto(f"{base}/cases/{case.pk}/")  # not …/#case-delivery: on the same page, only a scroll, no reload
    card = p.locator("#case-delivery")
    card.scroll_into_view_if_needed()
    _fits(p)
    return card


def _notice_row(card):
    """The card's line of the 公告送达记录 (the returned mail has its own)."""
    return card.locator("dd", has_text="公告送达：")


def _new_record(p, base, case, type_name):
    """The case page's 新增记录 box of the current stage, on the phone."""
    p.goto(f"{base}/cases/{case.pk}/")
    p.get_by_label("记录类型").select_option(label=type_name)
    p.get_by_role("button", name="新增记录").click()
    expect(p.get_by_role("heading", level=1)).to_have_text(f"新增{type_name}")
    _fits(p)


def _other_signature(p, *, role, name, refused_reason=""):
    """The record page's 记录当事人/见证人签字或拒签 form opened and filled (not sent)."""
    form = p.locator("details", has_text="记录当事人/见证人签字或拒签")
    if form.get_attribute("open") is None:
        p.get_by_text("记录当事人/见证人签字或拒签").click()
    p.get_by_label("身份").select_option(label=role)
    p.get_by_label("姓名").fill(name)
    if refused_reason:
        p.get_by_label("结果").select_option(label="拒绝签字")
        p.get_by_label("拒签事由（拒签时必填）").fill(refused_reason)
    return p.locator("#id_signature_canvas")


def test_lien_service_with_the_witness_signing_on_the_phone(live_server, live_world, mobile_page, browser,
                                                           screenshot_dir, tmp_path):
    world, base, phone = live_world, live_server.url, mobile_page
    case = in_service(world)
    csp = []
    _watch(phone, csp)
    log_in(phone, base, world.officer.username)

    # 民事诉讼法 89: the refusal, its reason and date, the witness and who they are — typed on the phone.
    served = timezone.localtime() - datetime.timedelta(hours=1)
    _new_record(phone, base, case, "送达回证")
    _field(phone, "送达文书").fill("行政处罚决定书")
    phone.get_by_label("送达方式").select_option("留置送达")
    phone.get_by_label("送达时间").fill(served.strftime("%Y-%m-%dT%H:%M"))
    phone.get_by_label("送达地点").fill("本溪市平山区1号当事人住所")
    _field(phone, "受送达人").fill(PARTY)
    phone.get_by_label("见证人（留置送达）").fill(WITNESS)
    phone.get_by_label("见证人身份/单位（留置送达）").fill(WITNESS_ROLE)
    phone.get_by_label("拒收事由（留置送达）").fill("当事人拒绝接收决定书，称不服处罚")
    phone.get_by_label("拒收日期（留置送达）").fill(timezone.localdate().isoformat())
    _fits(phone)
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator(".msg-success")).to_contain_text("已保存送达回证")
    receipt = Record.objects.get(case=case, record_type__code="service_receipt")
    assert receipt.versions.get().content["witness"] == WITNESS

    phone.get_by_role("button", name="执法人员签字").click()
    expect(phone.locator(".msg-success")).to_contain_text("已签字")
    _other_signature(phone, role="当事人", name=PARTY, refused_reason="当事人拒绝在送达回证上签字")
    phone.get_by_role("button", name="记录", exact=True).click()
    expect(phone.locator(".msg-success")).to_contain_text("已记录拒绝签字，待第二名执法人员确认")
    expect(phone.locator("#signatures")).to_contain_text("（1/2）")

    # LQ 17: the second officer, on their own phone, confirms the refusal.
    context = browser.new_context(**PHONE)
    try:
        second = context.new_page()
        _watch(second, csp)
        log_in(second, base, world.officer2.username)
        second.goto(f"{base}/records/{receipt.pk}/")
        second.get_by_role("button", name="确认拒签").click()
        expect(second.locator(".msg-success")).to_contain_text("已确认拒签")
        expect(second.locator("#signatures")).to_contain_text("（2/2）")
        _fits(second)
        second.wait_for_load_state("networkidle")
    finally:
        context.close()

    # The witness signs on the screen (民事诉讼法 89: 见证人签名).
    phone.goto(f"{base}/records/{receipt.pk}/")
    canvas = _other_signature(phone, role="见证人", name=WITNESS)
    expect(canvas).to_be_visible()
    _draw(phone, canvas, [[(0.08, 0.55), (0.2, 0.25), (0.3, 0.7), (0.42, 0.3), (0.5, 0.65)],
                          [(0.55, 0.3), (0.7, 0.3), (0.62, 0.75)], [(0.75, 0.5), (0.92, 0.45)]])
    expect(phone.locator("[data-signature-status]")).to_have_text("已签写")
    _fits(phone)
    phone.locator("#signatures details").screenshot(path=str(screenshot_dir / "field-lien-witness-pad-phone.png"))
    phone.get_by_role("button", name="记录", exact=True).click()
    expect(phone.locator(".msg-success")).to_contain_text("已记录签字")
    sig = Signature.objects.get(record=receipt, role="witness")
    assert sig.signer_name == WITNESS and sig.mark_kind == "canvas" and sig.mark_id
    mark = phone.locator("img.signature-mark")
    expect(mark).to_have_attribute("alt", f"{WITNESS}的签名笔迹（手写板签名）")
    mark.scroll_into_view_if_needed()  # loading="lazy": fetched once near the viewport
    phone.wait_for_function("() => { const i = document.querySelector('img.signature-mark');"
                            " return i && i.complete && i.naturalWidth > 250; }")
    _fits(phone)
    phone.screenshot(path=str(screenshot_dir / "field-lien-witness-mark-phone.png"))

    # The receipt is complete, the witness there; the base profile (delivery.lien_proof witness_and_av)
    # still asks for the photo/video record of the service.
    assert profile_for_case(case).delivery.lien_proof == "witness_and_av"
    card = _card(phone, base, case)
    expect(card).to_contain_text(f"送达回证第{receipt.serial}号")
    expect(card).to_contain_text("留置送达：缺少拍照、录像记录")
    expect(card.locator(".badge")).to_have_text("待补证明")
    card.screenshot(path=str(screenshot_dir / "field-lien-card-before-phone.png"))

    # The body camera's clip of the service, ingested and linked to the receipt (liuhen.footage).
    camera(world)
    link(world, clip(tmp_path, recorded=timezone.now() - datetime.timedelta(minutes=55)), receipt)
    card = _card(phone, base, case)
    expect(card).to_contain_text(f"留置送达：{served:%Y-%m-%d %H:%M}送达")
    expect(card).not_to_contain_text("缺少")
    expect(card.locator(".badge")).to_have_text("已送达")
    card.screenshot(path=str(screenshot_dir / "field-lien-card-after-phone.png"))
    assert csp == []


def test_public_notice_with_the_photo_of_the_posted_notice_taken_on_the_phone(live_server, live_world,
                                                                             mobile_page, screenshot_dir):
    world, base, phone = live_world, live_server.url, mobile_page
    case = in_service(world)
    made(world, case, "mail_receipt", sent_on=day(12), received_on="")  # returned unclaimed: a failed attempt
    csp = []
    _watch(phone, csp)
    log_in(phone, base, world.officer.username)

    # 民事诉讼法 95: why no other way served, where and when it was posted.
    _new_record(phone, base, case, "公告送达记录")
    _field(phone, "送达文书").fill("行政处罚决定书")
    phone.get_by_label("无法以其他方式送达的原因").fill("邮寄送达被退回，当事人拒不到场领取")
    phone.get_by_label("公告媒介").fill("当事人住所门口及平山村公告栏张贴")
    phone.get_by_label("公告日期").fill(timezone.localdate().isoformat())
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator(".msg-success")).to_contain_text("已保存公告送达记录")
    notice = Record.objects.get(case=case, record_type__code="service_notice")

    card = _card(phone, base, case)
    expect(_notice_row(card)).to_have_text("公告送达：缺少执法人员签字（还差1人）、公告原件或照片（附件）、公告张贴的拍照、录像记录")
    card.screenshot(path=str(screenshot_dir / "field-notice-card-before-phone.png"))

    # The photo of the posted notice, from the phone, on the record page's 附件 input (before signing:
    # a signed record takes no attachment).
    phone.goto(f"{base}/records/{notice.pk}/")
    upload = phone.locator("#attachments input[type=file]")
    upload.set_input_files(files=[{"name": "公告张贴照片.png", "mimeType": "image/png", "buffer": PNG}])
    _fits(phone)
    phone.locator("#attachments").get_by_role("button", name="上传附件").click()
    expect(phone.locator(".msg-success")).to_contain_text("已上传附件：公告张贴照片.png")
    expect(phone.locator("#attachments")).to_contain_text("公告张贴照片.png")
    assert Attachment.objects.get(record=notice).filename == "公告张贴照片.png"
    phone.locator("#attachments").screenshot(path=str(screenshot_dir / "field-notice-attached-phone.png"))
    phone.get_by_role("button", name="执法人员签字").click()
    expect(phone.locator(".msg-success")).to_contain_text("已签字")

    card = _card(phone, base, case)
    expect(_notice_row(card)).to_have_text("公告送达：缺少公告张贴的拍照、录像记录")

    # The posting's AV: an approved 不适宜音像记录说明 (AS 8), as liuhen.testing.avrules.cover_acts makes.
    not_suitable(world, notice, reason="公告栏位于村民住宅院内，拍摄涉及他人隐私")
    ends = timezone.localdate() + datetime.timedelta(days=profile_for_case(case).delivery.public_notice_days)
    card = _card(phone, base, case)
    expect(_notice_row(card)).to_have_text(f"公告送达：{ends:%Y-%m-%d} 00:00起视为送达")
    expect(card.locator(".badge")).to_have_text("公告期未满")
    expect(card).to_contain_text(f"公告期至{ends:%Y-%m-%d}届满")
    card.screenshot(path=str(screenshot_dir / "field-notice-card-after-phone.png"))
    assert csp == []
