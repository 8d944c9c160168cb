"""The stream behind the player (footage/playback.py `stream`): whole files, 206 ranges of each
form and 416, byte-exact on both store backends; one read event per playback, not per range."""
import pytest

from liuhen.footage import vocabulary as v
from liuhen.footage.playback import Unsatisfiable, parse_range
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.media import store
from liuhen.testing.media import store_backend  # noqa: F401  (fixture: local disk and S3)
from liuhen.testing.playback import ingested, only_video

pytestmark = pytest.mark.django_db


def body(resp) -> bytes:
    return b"".join(resp.streaming_content)


def stream_events(item):
    return list(Entry.objects.filter(action=v.STREAM, object_id=str(item.pk)).order_by("pk"))


def test_whole_file_and_every_range_form_byte_exact(client, world, tmp_path, store_backend):  # noqa: F811
    item = only_video(world, tmp_path, "RANGE.MP4", seconds=2.0)
    with store.open_blob(item.blob_id) as f:
        data = f.read()
    size = len(data)
    assert size == item.size > 3000
    client.force_login(world.officer)
    url = f"/footage/{item.pk}/stream"

    whole = client.get(url)
    assert whole.status_code == 200 and body(whole) == data
    assert whole["Accept-Ranges"] == "bytes" and whole["Content-Length"] == str(size)
    assert whole["Content-Type"] == "video/mp4" and whole["Content-Disposition"].startswith("inline")
    assert "no-store" in whole["Cache-Control"] and "Content-Range" not in whole

    for header, first, last in (("bytes=0-99", 0, 99), ("bytes=1000-", 1000, size - 1),
                                ("bytes=-500", size - 500, size - 1), (f"bytes=100-{size + 50}", 100, size - 1),
                                (f"bytes=-{size * 2}", 0, size - 1), ("bytes=7-7", 7, 7)):
        resp = client.get(url, HTTP_RANGE=header)
        assert resp.status_code == 206, header
        assert resp["Content-Range"] == f"bytes {first}-{last}/{size}", header
        assert resp["Content-Length"] == str(last - first + 1)
        assert body(resp) == data[first:last + 1], header

    for header in (f"bytes={size}-", f"bytes={size + 10}-{size + 20}", "bytes=-0"):
        resp = client.get(url, HTTP_RANGE=header)
        assert resp.status_code == 416, header
        assert resp["Content-Range"] == f"bytes */{size}"

    # A Range we do not serve (several ranges, another unit, nonsense) is ignored: the whole file.
    for header in ("bytes=0-1,5-9", "items=0-5", "bytes=9-3"):
        resp = client.get(url, HTTP_RANGE=header)
        assert resp.status_code == 200 and body(resp) == data, header
    # If-Range with another validator: the whole file; with ours (the SHA-256): the range.
    assert client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"').status_code == 200
    resp = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{item.blob_id}"')
    assert resp.status_code == 206 and body(resp) == data[:10]


def test_parse_range_edge_cases():
    assert parse_range("", 10) is None
    assert parse_range("bytes=0-", 10) == (0, 9)
    assert parse_range("bytes=-3", 10) == (7, 9)
    assert parse_range("bytes=9-100", 10) == (9, 9)
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=10-", 10)
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=-0", 10)


def test_one_read_event_per_playback_not_per_range_request(client, world, tmp_path):
    item = only_video(world, tmp_path, "LOG.MP4", seconds=2.0)
    client.force_login(world.officer)
    url = f"/footage/{item.pk}/stream"
    # What a player does: starts at 0, reads the index at the end, seeks twice.
    for header in ("bytes=0-", f"bytes={item.size - 800}-", "bytes=2000-", "bytes=5000-6000"):
        assert client.get(url, HTTP_RANGE=header).status_code == 206
    events = stream_events(item)
    assert len(events) == 1
    detail = event_of(events[0])["detail"]
    assert detail["item"] == item.pk and detail["start"] == 0 and detail["why"] == "start"
    assert event_of(events[0])["blobs"] == [item.blob_id]
    # Playing again from the start is another playback.
    client.get(url, HTTP_RANGE="bytes=0-")
    assert len(stream_events(item)) == 2

    # Another viewer (another session) that never asks for byte 0 is still logged, once.
    other = client.__class__()
    other.force_login(world.device_admin)
    for header in ("bytes=3000-", "bytes=4000-"):
        assert other.get(url, HTTP_RANGE=header).status_code == 206
    events = stream_events(item)
    assert len(events) == 3
    assert events[-1].actor_id == world.device_admin.pk and event_of(events[-1])["detail"]["why"] == "session"


def test_sidecar_is_a_text_download_and_logged(client, world, tmp_path):
    items = ingested(world, tmp_path)
    sidecar = items["VID.NMEA"]
    client.force_login(world.officer)
    resp = client.get(f"/footage/{sidecar.pk}/stream")
    assert resp.status_code == 200 and body(resp).startswith(b"$GPRMC")
    assert resp["Content-Type"].startswith("text/plain") and resp["Content-Disposition"].startswith("attachment")
    assert Entry.objects.filter(action=v.DOWNLOAD, object_id=str(sidecar.pk), actor_id=world.officer.pk).exists()


def test_photo_and_audio_types(client, world, tmp_path):
    items = ingested(world, tmp_path)
    client.force_login(world.device_admin)  # photo and audio have no recording time: 未归属
    assert client.get(f"/footage/{items['PIC.JPG'].pk}/stream")["Content-Type"] == "image/jpeg"
    assert client.get(f"/footage/{items['REC.WAV'].pk}/stream")["Content-Type"].startswith("audio/")


def test_stream_of_a_file_gone_from_the_store_is_a_chinese_error_not_a_500(client, world, tmp_path, store_backend):  # noqa: F811
    from liuhen.testing.media import remove_raw

    item = only_video(world, tmp_path, "GONE.MP4")
    remove_raw(store_backend, item.blob_id)
    client.force_login(world.officer)
    resp = client.get(f"/footage/{item.pk}/stream")
    assert resp.status_code == 503 and "存储中读取不到该文件" in resp.content.decode()


def test_head_sends_the_headers_and_logs_nothing(client, world, tmp_path):
    item = only_video(world, tmp_path, "HEAD.MP4")
    client.force_login(world.officer)
    resp = client.head(f"/footage/{item.pk}/stream", HTTP_RANGE="bytes=0-9")
    assert resp.status_code == 206 and resp["Content-Length"] == "10" and body(resp) == b""
    assert stream_events(item) == []
    assert client.post(f"/footage/{item.pk}/stream").status_code == 405
