"""Review of issue 13 (playback, posters, Range): defects found by the adversarial review.

Each failed before its fix (then marked xfail, strict)."""
import pytest

from liuhen.footage import vocabulary as v
from liuhen.footage.models import FootageItem
from liuhen.ledger.models import Entry
from liuhen.testing.playback import ingested

pytestmark = pytest.mark.django_db


def content(resp) -> bytes:
    return b"".join(resp.streaming_content) if resp.streaming else resp.content


def test_a_photo_fetched_as_its_poster_is_a_logged_read(client, world, tmp_path, settings):
    settings.LIUHEN_POSTER_DIR = tmp_path / "posters"
    from liuhen.media import store

    items = ingested(world, tmp_path)
    pic = items["PIC.JPG"]
    client.force_login(world.device_admin)
    before = Entry.objects.filter(object_type=FootageItem.ledger_object_type, object_id=str(pic.pk),
                                  actor_id=world.device_admin.pk).count()
    resp = client.get(f"/footage/{pic.pk}/poster")  # no page, no list: straight to the bytes
    with store.open_blob(pic.blob_id) as f:
        assert content(resp) == f.read()  # the original photo, every byte of it
    after = Entry.objects.filter(object_type=FootageItem.ledger_object_type, object_id=str(pic.pk),
                                 actor_id=world.device_admin.pk).count()
    # Every read of case content is in the ledger: the full original left the server.
    assert after > before


def test_a_range_with_a_huge_number_is_not_a_server_error(client, world, tmp_path):
    from liuhen.testing.playback import only_video

    item = only_video(world, tmp_path, "RANGE.MP4")
    client.force_login(world.officer)
    client.raise_request_exception = False
    for header in ("bytes=" + "1" * 5000 + "-", "bytes=0-" + "9" * 5000, "bytes=-" + "9" * 5000):
        resp = client.get(f"/footage/{item.pk}/stream", HTTP_RANGE=header)
        assert resp.status_code in (200, 206, 416), (header[:12], resp.status_code)


def test_an_svg_is_not_served_as_an_active_document(client, world, tmp_path):
    from liuhen.testing.ingest import ingest
    from liuhen.testing.playback import camera_of

    camera_of(world, world.officer, "JL00001")
    root = tmp_path / "svgdump"
    root.mkdir()
    (root / "EVIL.SVG").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                   '<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>')
    assert ingest(str(root), "--device", "JL00001").code == 0
    item = FootageItem.objects.get(name="EVIL.SVG")
    client.force_login(world.device_admin)
    for url in (f"/footage/{item.pk}/stream", f"/footage/{item.pk}/poster"):
        resp = client.get(url)
        inline_svg = resp["Content-Type"].startswith("image/svg") and "attachment" not in resp.get(
            "Content-Disposition", "")
        # The poster may be our own placeholder picture (a static SVG), never the uploaded one.
        assert not (resp.status_code == 200 and inline_svg and b"document.cookie" in content(resp)), url
    # BX 11: a file no browser plays inline is not given out at all (no attachment either: that
    # would be a download of the original outside the copy request, LW-D 13).
    stream = client.get(f"/footage/{item.pk}/stream")
    assert stream.status_code == 403
    assert b"document.cookie" not in content(stream)
