"""档案利用 in a real browser (issue 19 item 5): on a phone the case's own officer, who no longer sees the
archived case, fills a 调用单 by its number — a record and one of the case's clips; on a laptop the agency
head approves it from 待审批; back on the phone the slip says until when, the case opens, the watermarked
查阅件 is there and the clip plays. The archivist's class page on the phone, and a party's request to copy
(a record and a clip) entered there, approved, the copy made: its cover sheet, the record's watermarked PDF
and the clip as recorded. No Content-Security-Policy violation, nothing wider than the screen."""
from playwright.sync_api import expect

from liuhen.retrieval.models import RetrievalRequest
from liuhen.testing.browser import log_in
from liuhen.testing.retrieval import PERSON_ID, archived_with_footage, archivist


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _watch(p, csp):
    p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)


def test_a_slip_asked_on_the_phone_approved_on_the_laptop(live_server, live_world, page, mobile_page, screenshot_dir,
                                                           tmp_path):
    world = live_world
    case, (clip, other_clip), unlinked, _foreign = archived_with_footage(world, tmp_path)
    keeper = archivist(world)
    base = live_server.url
    csp = []
    _watch(page, csp)
    _watch(mobile_page, csp)

    log_in(mobile_page, base, world.officer.username)
    assert mobile_page.goto(f"{base}/cases/{case.pk}/").status == 404  # archived: no longer the officer's to read
    mobile_page.goto(f"{base}/retrieval/")
    expect(mobile_page.get_by_role("heading", level=1)).to_have_text("档案调阅")
    mobile_page.get_by_label("案件编号").fill(case.number)
    mobile_page.get_by_role("button", name="下一步：填写调用单").click()
    form = mobile_page.locator("#retrieval-new")
    form.get_by_label("调阅用途").fill("复查同类违法取水案件的处罚幅度")
    form.get_by_label("期限（天）").fill("5")
    form.locator('input[name="records"]').first.check()
    footage = form.locator("#retrieval-footage")
    expect(footage).to_contain_text("A.MP4")
    expect(footage).to_contain_text("B.MP4")
    expect(footage).not_to_contain_text(unlinked.name)
    footage.get_by_text("B.MP4").click()
    mobile_page.screenshot(path=str(screenshot_dir / "retrieval-new-phone.png"), full_page=True)
    _fits(mobile_page)
    form.get_by_role("button", name="提交调用单").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("已提交调用单")
    expect(mobile_page.locator("#retrieval-state")).to_have_text("待审批")
    req = RetrievalRequest.objects.get()
    assert req.footage_ids == [other_clip.pk] and len(req.record_ids) == 1
    expect(mobile_page.locator("#retrieval-sha")).to_contain_text(req.file_sha256)
    expect(mobile_page.locator("#retrieval-scope-footage")).to_contain_text("B.MP4")
    _fits(mobile_page)

    log_in(page, base, world.agency_head.username)
    page.goto(f"{base}/oversight/todo/")
    expect(page.get_by_text(f"本机关调阅调用单 {req.number}")).to_be_visible()
    page.goto(f"{base}/retrieval/approvals/")
    page.screenshot(path=str(screenshot_dir / "retrieval-approvals-desktop.png"), full_page=True)
    page.get_by_role("link", name=req.number).click()
    decide = page.locator("#retrieval-decide")
    decide.get_by_label("批准", exact=True).check()
    page.screenshot(path=str(screenshot_dir / "retrieval-detail-desktop.png"), full_page=True)
    decide.get_by_role("button", name="提交审批").click()
    expect(page.locator(".msg-success")).to_contain_text("已批准调用单")

    mobile_page.goto(f"{base}/retrieval/")
    expect(mobile_page.locator("#retrieval-list")).to_contain_text("已批准（至")
    mobile_page.screenshot(path=str(screenshot_dir / "retrieval-index-phone.png"), full_page=True)
    _fits(mobile_page)
    mobile_page.get_by_role("link", name=req.number).click()
    expect(mobile_page.get_by_role("link", name="查阅件（带水印）")).to_be_visible()
    expect(mobile_page.locator("#retrieval-scope-footage").get_by_role("link", name="播放")).to_be_visible()
    mobile_page.screenshot(path=str(screenshot_dir / "retrieval-detail-phone.png"), full_page=True)
    assert mobile_page.goto(f"{base}/cases/{case.pk}/").status == 200  # the grant opens it

    mobile_page.context.clear_cookies()  # the archivist on the same phone
    log_in(mobile_page, base, keeper.username)
    mobile_page.goto(f"{base}/retrieval/case/{case.pk}/classes/")
    expect(mobile_page.locator("#retrieval-classes")).to_be_visible()
    mobile_page.screenshot(path=str(screenshot_dir / "retrieval-classes-phone.png"), full_page=True)
    _fits(mobile_page)

    # A party's request to copy, entered by the archivist, approved by the head, copied with the watermark.
    mobile_page.goto(f"{base}/retrieval/")
    find = mobile_page.locator("#retrieval-find")
    find.get_by_label("案件编号").fill(case.number)
    find.get_by_label("类别").select_option("party")
    mobile_page.get_by_role("button", name="下一步：填写调用单").click()
    form = mobile_page.locator("#retrieval-new")
    form.get_by_label("查阅人姓名").fill("王建国")
    form.get_by_label("查阅人身份证号码").fill(PERSON_ID)
    form.get_by_label("调阅用途").fill("申请行政复议")
    form.get_by_label("方式").select_option("copy")
    form.locator('input[name="records"]').nth(5).check()
    form.locator("#retrieval-footage").get_by_text("A.MP4").click()
    _fits(mobile_page)
    form.get_by_role("button", name="提交调用单").click()
    expect(mobile_page.locator("#retrieval-state")).to_have_text("待审批")
    party = RetrievalRequest.objects.get(kind="party")
    page.goto(f"{base}/retrieval/{party.pk}/")
    page.locator("#retrieval-decide").get_by_label("批准", exact=True).check()
    page.locator("#retrieval-decide").get_by_role("button", name="提交审批").click()
    expect(page.locator("#retrieval-state")).to_contain_text("已批准")
    mobile_page.reload()
    mobile_page.locator("#retrieval-copy").get_by_role("button", name="制作复制件").click()
    expect(mobile_page.locator(".msg-success")).to_contain_text("清单及材料 1 件（每页带水印），音像记录 1 件（按原始文件）")
    sheet, record, copied = party.copy.items.order_by("id")
    assert sheet.is_cover and record.record_id and copied.footage_id == clip.pk
    for item in (sheet, record):
        expect(mobile_page.locator("#retrieval-copy")).to_contain_text(item.blob_id)
    expect(mobile_page.locator("#retrieval-copy")).to_contain_text(clip.blob_id)
    mobile_page.screenshot(path=str(screenshot_dir / "retrieval-copy-phone.png"), full_page=True)
    _fits(mobile_page)
    page.goto(f"{base}/retrieval/")
    page.screenshot(path=str(screenshot_dir / "retrieval-index-desktop.png"), full_page=True)
    assert csp == []
