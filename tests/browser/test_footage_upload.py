"""An officer uploads footage in a real browser (/footage/upload/): two ffmpeg-made files with one
progress bar each, the results in Chinese, the files then in the holding area; a chunk request that
fails once is retried from the server's offset; after a page reload the same file resumes. On a
laptop and a phone, with no Content-Security-Policy violation."""
import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from liuhen.footage.models import FootageItem, Upload, UploadEnd
from liuhen.testing.footage import video
from liuhen.testing.ingest import NUMBER, iso_utc, signed_out_camera
from liuhen.testing.browser import log_in


def _videos(tmp_path, *names):
    when = timezone.now() + datetime.timedelta(seconds=5)
    return [video(tmp_path / n, 0.8 + 0.3 * i, creation_time=iso_utc(when)) for i, n in enumerate(names)]


def _csp(page):
    seen = []
    page.on("console", lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None)
    return seen


def test_officer_uploads_two_files_and_sees_them_in_the_holding_area(live_server, live_world, page, tmp_path,
                                                                     settings, screenshot_dir):
    settings.LIUHEN_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.LIUHEN_UPLOAD_CHUNK_MAX_BYTES = 16 * 1024  # several chunks per file
    signed_out_camera(live_world)
    files = _videos(tmp_path, "VID_0001.MP4", "VID_0002.MP4")
    csp = _csp(page)
    log_in(page, live_server.url, live_world.officer.username)
    page.goto(f"{live_server.url}/footage/")
    page.get_by_role("link", name="上传音像记录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("上传音像记录")
    expect(page.get_by_label("设备")).to_have_value(NUMBER)
    page.get_by_label("文件").set_input_files([str(f) for f in files])
    page.get_by_role("button", name="开始上传").click()
    for f in files:
        row = page.locator(f"li[data-file='{f.name}']")
        expect(row).to_have_attribute("data-status", "new", timeout=30_000)
        expect(row).to_contain_text("新入库")
        expect(row).to_contain_text("已确认")
        assert row.locator("progress").evaluate("p => p.value === p.max")
    expect(page.locator("#upload-overall-bar")).to_be_visible()
    assert page.locator("#upload-overall-bar").evaluate("p => p.value === p.max")
    page.screenshot(path=str(screenshot_dir / "footage-upload.png"), full_page=True)
    assert {i.name for i in FootageItem.objects.all()} == {"VID_0001.MP4", "VID_0002.MP4"}
    assert len({i.ingest_id for i in FootageItem.objects.all()}) == 1  # one batch
    page.get_by_role("link", name="返回暂存区").click()
    for f in files:
        expect(page.get_by_text(f.name)).to_be_visible()
    assert csp == []


def test_an_aborted_chunk_is_retried_and_a_reload_resumes(live_server, live_world, mobile_page, tmp_path, settings,
                                                          screenshot_dir):
    page = mobile_page
    settings.LIUHEN_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.LIUHEN_UPLOAD_CHUNK_MAX_BYTES = 8 * 1024
    signed_out_camera(live_world)
    first, second = _videos(tmp_path, "VID_0003.MP4", "VID_0004.MP4")
    csp = _csp(page)
    log_in(page, live_server.url, live_world.officer.username)
    page.goto(f"{live_server.url}/footage/upload/")

    # The first chunk request is cut off once: the file still arrives whole.
    aborted = []

    def abort_first_patch(route):
        if route.request.method == "PATCH" and not aborted:
            aborted.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/api/footage/uploads/.*"), abort_first_patch)
    page.get_by_label("文件").set_input_files(str(first))
    page.get_by_role("button", name="开始上传").click()
    row = page.locator(f"li[data-file='{first.name}']")
    expect(row).to_have_attribute("data-status", "new", timeout=30_000)
    expect(row).to_contain_text("已确认")
    assert len(aborted) == 1
    assert UploadEnd.objects.get(upload__name=first.name).status == "new"
    page.unroute(re.compile(r".*/api/footage/uploads/.*"))

    # The connection goes away after the first chunk of the second file; the page is reloaded and
    # the same file chosen again: it resumes where the server got to, the upload declared once.
    passed = []

    def one_chunk_then_nothing(route):
        if route.request.method == "PATCH":
            if passed:
                route.abort("internetdisconnected")
                return
            passed.append(route.request.url)
        route.continue_()

    page.route(re.compile(r".*/api/footage/uploads/.*"), one_chunk_then_nothing)
    page.get_by_label("文件").set_input_files(str(second))
    page.get_by_role("button", name="开始上传").click()
    expect(page.locator(f"li[data-file='{second.name}'] .status")).to_contain_text("网络中断", timeout=15_000)
    up = Upload.objects.get(name=second.name)
    assert not UploadEnd.objects.filter(upload=up).exists()
    stored = "Object.keys(localStorage).filter(k => k.startsWith('liuhen:upload:')).map(k => localStorage.getItem(k))"
    assert page.evaluate(stored) == [up.key]  # kept by name, size and lastModified for the reload
    page.unroute(re.compile(r".*/api/footage/uploads/.*"))
    page.reload()
    page.get_by_label("文件").set_input_files(str(second))
    page.get_by_role("button", name="开始上传").click()
    row = page.locator(f"li[data-file='{second.name}']")
    expect(row).to_have_attribute("data-status", "new", timeout=30_000)
    expect(row).to_contain_text("新入库")
    assert Upload.objects.filter(name=second.name).count() == 1  # resumed, not declared anew
    assert page.evaluate(stored) == []  # ended: forgotten
    assert UploadEnd.objects.get(upload=up).confirmed
    page.screenshot(path=str(screenshot_dir / "footage-upload-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert csp == []
