"""Poster frames (封面帧): made by ffmpeg on first request, cached under LIUHEN_HOME/cache/posters,
served with the item's access rule; a photo is its own thumbnail; a broken or truncated video, a
recording with no picture or a file gone from the store get a placeholder — never a 500."""
import pytest

from liuhen.media import poster as posters
from liuhen.testing.media import read_raw, remove_raw, store_backend, write_raw  # noqa: F401
from liuhen.testing.playback import ingested, only_video

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def poster_dir(settings, tmp_path):
    """The poster cache of this test alone."""
    settings.LIUHEN_POSTER_DIR = tmp_path / "posters"
    return settings.LIUHEN_POSTER_DIR


def content(resp) -> bytes:
    return b"".join(resp.streaming_content) if resp.streaming else resp.content


def test_poster_made_once_cached_and_served(client, world, tmp_path, store_backend):  # noqa: F811
    item = only_video(world, tmp_path, "POSTER.MP4")
    cached = posters.cache_dir() / f"{item.blob_id}.jpg"
    assert not cached.exists()
    client.force_login(world.officer)
    resp = client.get(f"/footage/{item.pk}/poster")
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"
    data = content(resp)
    assert data.startswith(b"\xff\xd8") and cached.read_bytes() == data
    assert "no-store" in resp["Cache-Control"]
    assert not list(cached.parent.glob(".tmp-*")) and not list(cached.parent.glob(".src-*"))
    # The second request is served from the cache (not made again): what the cache holds is sent.
    cached.write_bytes(b"\xff\xd8cached")
    assert content(client.get(f"/footage/{item.pk}/poster")) == b"\xff\xd8cached"
    # The stored original is untouched.
    from liuhen.media import store

    assert store.verify(item.blob_id)


def test_broken_video_gets_a_placeholder_not_a_500(client, world, tmp_path, store_backend):  # noqa: F811
    item = only_video(world, tmp_path, "BROKEN.MP4", seconds=2.0)
    # The stored bytes cut off after 3 000 bytes (a tamperer, a disk fault): no frame can be made.
    write_raw(store_backend, item.blob_id, read_raw(store_backend, item.blob_id)[:3000])
    client.force_login(world.officer)
    resp = client.get(f"/footage/{item.pk}/poster")
    assert resp.status_code == 200 and resp["Content-Type"] == "image/svg+xml" and b"<svg" in content(resp)
    assert (posters.cache_dir() / f"{item.blob_id}.none").exists()  # not retried
    assert posters.cached_poster(item.blob_id) is None
    # The page and the lists still render, with the placeholder as the player's poster.
    assert client.get(f"/footage/{item.pk}/").status_code == 200
    assert client.get("/footage/list/").status_code == 200


def test_file_gone_from_the_store_gets_a_placeholder_and_is_not_remembered(client, world, tmp_path, store_backend):  # noqa: F811
    item = only_video(world, tmp_path, "GONE.MP4", seconds=1.5)
    cache = posters.cache_dir()
    remove_raw(store_backend, item.blob_id)
    client.force_login(world.officer)
    resp = client.get(f"/footage/{item.pk}/poster")
    assert resp.status_code == 200 and resp["Content-Type"] == "image/svg+xml"
    assert not (cache / f"{item.blob_id}.none").exists()  # the store may come back: tried again later


def test_photo_is_its_own_thumbnail_audio_a_placeholder(client, world, tmp_path):
    from liuhen.media import store

    items = ingested(world, tmp_path)
    client.force_login(world.device_admin)
    photo = client.get(f"/footage/{items['PIC.JPG'].pk}/poster")
    with store.open_blob(items["PIC.JPG"].blob_id) as f:
        assert content(photo) == f.read()
    assert photo["Content-Type"] == "image/jpeg"
    audio = client.get(f"/footage/{items['REC.WAV'].pk}/poster")
    assert audio["Content-Type"] == "image/svg+xml"
    assert "录音".encode() in audio.content and "无封面帧".encode() not in audio.content  # not a broken video


def test_the_holding_area_shows_each_items_poster(client, world, tmp_path):
    item = only_video(world, tmp_path, "HOLD.MP4")
    client.force_login(world.officer)
    html = client.get("/footage/").content.decode()
    assert f'src="/footage/{item.pk}/poster"' in html and f'href="/footage/{item.pk}/"' in html
    assert 'href="/footage/list/"' in html  # the way to the footage list


def test_the_posters_command_makes_what_is_missing(world, tmp_path):
    import io

    from django.core.management import call_command

    good = only_video(world, tmp_path, "CMD.MP4")
    items = ingested(world, tmp_path)  # a video, a photo, a recording: only the videos get posters
    out = io.StringIO()
    call_command("posters", stdout=out)
    assert "新生成 2 个，已有 0 个，无法生成 0 个" in out.getvalue()
    for it in (good, items["VID.MP4"]):
        assert (posters.cache_dir() / f"{it.blob_id}.jpg").read_bytes().startswith(b"\xff\xd8")
    out = io.StringIO()
    call_command("posters", stdout=out)
    assert "新生成 0 个，已有 2 个" in out.getvalue()
