"""The resumable upload API (/api/footage/): a docking station declares a file, sends it in chunks at
the server's offset, resumes after an interruption without re-sending what arrived, and gets the
same per-file result as `liuhen ingest --json` plus `confirmed` — on both store backends."""
import datetime
import json

import pytest
from django.utils import timezone

from liuhen.devices import services as dev
from liuhen.devices import vocabulary as dv
from liuhen.footage import uploads
from liuhen.footage import vocabulary as v
from liuhen.footage.models import FootageItem, Ingest, Upload, UploadEnd
from liuhen.ledger.models import Entry
from liuhen.media import store
from liuhen.media.models import Blob
from liuhen.testing.footage import video
from liuhen.testing.ingest import NUMBER, dump, ingest, iso_utc, signed_out_camera
from liuhen.testing.media import store_backend  # noqa: F401  (the fixture)
from liuhen.testing.uploads import Api, sha, staging, station  # noqa: F401  (staging: the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staging")]

CAMERA_PATH = "DCIM/100MEDIA/VID_0001.MP4"


def _video(tmp_path, name="v.mp4", seconds=1.0, size="320x240") -> bytes:
    when = timezone.now() + datetime.timedelta(seconds=5)
    return video(tmp_path / name, seconds, creation_time=iso_utc(when), size=size).read_bytes()


def _events(action):
    return [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=action).order_by("pk")]


def test_declare_interrupt_resume_complete(world, tmp_path, store_backend, staging):
    signed_out_camera(world)
    _, token = station(world)
    data = _video(tmp_path, size="640x480")
    assert len(data) > 4 * 4096
    api = Api(token)
    r = api.declare(CAMERA_PATH, data, NUMBER, device_time=timezone.now().isoformat())
    assert r.status_code == 201, r.content
    up = r.json()
    key = up["id"]
    assert up["offset"] == 0 and up["state"] == "uploading" and up["size"] == len(data)
    assert r["Location"] == f"/api/footage/uploads/{key}" and r["Upload-Offset"] == "0"
    half = len(data) // 2
    assert api.chunk(key, 0, data[:4096]).json()["offset"] == 4096
    assert api.chunk(key, 4096, data[4096:half]).json()["offset"] == half
    # The partial waits in the staging folder, never as footage.
    assert (staging / Upload.objects.get().key / "data").stat().st_size == half
    assert FootageItem.objects.count() == 0 and Blob.objects.count() == 0

    # The dock's connection dropped; a new client (same station) asks how far it got.
    again = Api(token)
    head = again.state(key, "head")
    assert head.status_code == 200 and head["Upload-Offset"] == str(half) and head["Upload-Length"] == str(len(data))
    assert again.state(key).json()["offset"] == half
    # Declaring the same file again gives the same upload back, to resume (200, not a new one).
    same = again.declare(CAMERA_PATH, data, NUMBER)
    assert same.status_code == 200 and same.json()["id"] == key and same.json()["offset"] == half
    # A chunk at another offset is refused with the right one; nothing is written.
    wrong = again.chunk(key, 0, data[:100])
    assert wrong.status_code == 409 and wrong.json()["offset"] == half and wrong["Upload-Offset"] == str(half)
    assert "偏移量不符" in wrong.json()["detail"]
    done = again.send(key, data, start=half, step=4096)
    assert done.status_code == 200, done.content
    result = done.json()
    assert result["status"] == "new" and result["confirmed"] is True and result["reason"] == ""
    assert result["sha256"] == sha(data) and result["name"] == "VID_0001.MP4" and result["state"] == "ended"
    assert result["relative_path"] == CAMERA_PATH and result["offset"] == len(data)
    # Taken in by the one pipeline: attributed to the holder, stored, re-hashed.
    item = FootageItem.objects.get()
    assert item.officer == world.officer and item.relative_path == CAMERA_PATH and item.ingested_by is None
    assert item.blob_id == sha(data) and store.verify(item.blob_id) and item.kind == "video"
    assert item.ingest.source == "dock" and item.ingest.clock_flag == "ok"
    assert UploadEnd.objects.get().item == item and not (staging / key).exists()
    # The last chunk sent again (its answer lost): the same result, nothing twice.
    assert again.chunk(key, len(data), b"").json()["status"] == "new"
    assert again.state(key).json()["status"] == "new"
    # The same file again: a duplicate, confirmed as well.
    dup = api.upload(CAMERA_PATH, data, NUMBER, step=65536).json()
    assert dup["status"] == "duplicate" and dup["confirmed"] is True and dup["sha256"] == sha(data)
    assert FootageItem.objects.count() == 1
    ups = _events(v.UPLOAD)
    assert len(ups) == 2 and ups[0]["actor"] is None and ups[0]["detail"]["station"] == Upload.objects.first().station_id
    assert ups[0]["request"]["channel"] == "api"
    assert [e["detail"]["status"] for e in _events(v.UPLOAD_END)] == ["new", "duplicate"]
    # The dock's confirmation before it wipes the camera.
    c = api.confirm([sha(data), "0" * 64, "not-a-hash"]).json()["files"]
    assert [(f["stored"], f["confirmed"]) for f in c] == [(True, True), (False, False), (False, False)]
    assert c[2]["reason"]


def test_wrong_final_hash_discards_the_file(world, tmp_path, staging):
    signed_out_camera(world)
    _, token = station(world)
    data = _video(tmp_path)
    api = Api(token)
    r = api.declare(CAMERA_PATH, data, NUMBER, sha256=sha(data + b"x"))
    key = r.json()["id"]
    done = api.send(key, data, step=len(data))
    assert done.status_code == 422
    body = done.json()
    assert body["status"] == "mismatch" and body["confirmed"] is False and "SHA-256 不符" in body["reason"]
    assert body["sha256"] == sha(data)  # what arrived, for the dock's log
    assert FootageItem.objects.count() == 0 and Blob.objects.count() == 0 and not (staging / key).exists()
    assert api.chunk(key, 0, data[:10]).status_code == 409  # ended: declare it anew


def test_bad_revoked_and_rotated_tokens_are_refused_and_logged(world, tmp_path):
    _, admin = signed_out_camera(world)
    st, token = station(world)
    data = b"x" * 10
    for headers in ({"Authorization": "Bearer lhs_wrong"}, {"Authorization": "Basic abc"}, {}):
        api = Api()
        api.headers = headers
        r = api.declare("A.MP4", data, NUMBER)
        assert r.status_code == 401 and ("令牌" in r.json()["detail"] or "未登录" in r.json()["detail"])
    assert Upload.objects.count() == 0
    refused = _events(dv.STATION_REFUSED)
    assert [e["detail"]["reason"] for e in refused] == ["unknown", "missing"]
    assert all("lhs_wrong" not in json.dumps(e) for e in refused)  # no part of a token is logged
    dev.revoke_station(admin, st)
    r = Api(token).declare("A.MP4", data, NUMBER)
    assert r.status_code == 401 and r.json()["detail"] == "采集站令牌无效或已停用。"
    last = _events(dv.STATION_REFUSED)[-1]
    assert last["object"] == {"type": "dock_station", "id": str(st.pk), "version": None}
    assert last["detail"]["reason"] == "revoked"
    new = dev.rotate_station_token(admin, st)
    assert new != token
    assert Api(token).declare("A.MP4", data, NUMBER).status_code == 401
    assert Api(new).declare("A.MP4", data, NUMBER).status_code == 201


@pytest.mark.parametrize("path", ["../VID.MP4", "DCIM/../../VID.MP4", "/etc/VID.MP4", "..\\..\\VID.MP4",
                                  "C:\\DCIM\\VID.MP4", "VID\x00.MP4", "DCIM//VID.MP4"])
def test_unsafe_names_are_refused_in_chinese_and_logged(world, path):
    signed_out_camera(world)
    _, token = station(world)
    r = Api(token).declare(path, b"data", NUMBER)
    assert r.status_code == 400, r.content
    assert "拒收" in r.json()["detail"] or "文件名" in r.json()["detail"]
    assert Upload.objects.count() == 0 and Ingest.objects.count() == 0
    (ev,) = _events(v.UPLOAD_REFUSED)
    assert ev["detail"]["status"] == 400 and ev["detail"]["station"] and path not in json.dumps(ev)


def test_unknown_device_and_another_agencys_device_are_404(world):
    from liuhen.accounts import services as acc

    signed_out_camera(world)
    _, token = station(world)
    other = acc.create_agency(None, name="邻市水务局", short_name="邻水")
    dev.add_device(None, agency=other, number="OTHER-1", model_name="X")
    _, other_token = dev.add_station(None, agency=other, number="CJZ-9")
    for number in ("NOPE-404", "OTHER-1"):
        r = Api(token).declare("A.MP4", b"data", number)
        assert r.status_code == 404 and "未登记" in r.json()["detail"]
    # The other agency's station does not reach this agency's camera either.
    assert Api(other_token).declare("A.MP4", b"data", NUMBER).status_code == 404
    assert [e["detail"]["codes"] for e in _events(v.UPLOAD_REFUSED)] == [["unknown_device"]] * 3
    # Nor another station's upload, nor a made-up one.
    key = Api(token).declare("A.MP4", b"data", NUMBER).json()["id"]
    assert Api(other_token).state(key).status_code == 404
    _, token2 = station(world, "CJZ-02")
    assert Api(token2).chunk(key, 0, b"data").status_code == 404
    assert Api(token).state("f" * 32).status_code == 404


def test_text_file_named_mp4_is_rejected_like_the_cli(world, tmp_path):
    signed_out_camera(world)
    _, token = station(world)
    data = "这不是视频\n".encode()
    r = Api(token).upload("DCIM/100MEDIA/NOTES.MP4", data, NUMBER)
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == "rejected" and body["confirmed"] is False and body["reason"]
    assert FootageItem.objects.count() == 0
    root = dump(tmp_path)
    (root / "DCIM" / "100MEDIA" / "NOTES.MP4").write_bytes(data)
    (cli,) = ingest(str(root), "--device", NUMBER, "--json").report["files"]
    assert cli["status"] == "rejected" and cli["reason"] == body["reason"]


def test_sidecar_follows_its_video(world, tmp_path):
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    first = api.upload(CAMERA_PATH, _video(tmp_path), NUMBER).json()
    assert first["status"] == "new"
    side = api.upload("DCIM/100MEDIA/VID_0001.NMEA", b"$GPGGA,093000.00,3954.0,N\n", NUMBER,
                      ingest=first["ingest"]).json()
    assert side["status"] == "new"
    nmea = FootageItem.objects.get(name="VID_0001.NMEA")
    assert nmea.video_id == first["item"] and nmea.kind == "sidecar" and nmea.ingest_id == first["ingest"]
    # A batch of another device or another sender is refused.
    assert api.declare("X.MP4", b"x", NUMBER, ingest=first["ingest"] + 999).status_code == 400


def test_chunk_limits(world, tmp_path, settings):
    signed_out_camera(world)
    _, token = station(world)
    settings.LIUHEN_UPLOAD_CHUNK_MAX_BYTES = 1024
    api = Api(token)
    key = api.declare("A.MP4", b"y" * 3000, NUMBER).json()["id"]
    big = api.chunk(key, 0, b"y" * 1025)
    assert big.status_code == 413 and "分块不能超过" in big.json()["detail"]
    assert api.state(key).json()["offset"] == 0
    assert api.chunk(key, 0, b"y" * 1024).json()["offset"] == 1024
    assert api.chunk(key, 1024, b"y" * 1024).json()["offset"] == 2048
    last = api.chunk(key, 2048, b"y" * 952)  # all in: not a video, rejected by the pipeline
    assert last.status_code == 422 and last.json()["status"] == "rejected"
    settings.LIUHEN_FOOTAGE_MAX_BYTES = 100
    too_large = api.declare("B.MP4", b"z" * 101, NUMBER)
    assert too_large.status_code == 413 and "上限" in too_large.json()["detail"]
    assert api.declare("C.MP4", b"", NUMBER).status_code == 400
    assert api.declare("C.MP4", b"abc", NUMBER, sha256="xyz").status_code == 400
    # Malformed requests: a Chinese JSON error, nothing declared.
    for body in ("{}", "not json", json.dumps({"name": "A.MP4", "size": "many", "sha256": "0" * 64, "device": NUMBER})):
        r = api.client.post("/api/footage/uploads", body, content_type="application/json", headers=api.headers)
        assert r.status_code == 400 and ("请求参数无效" in r.json()["detail"] or "JSON" in r.json()["detail"])
    assert Upload.objects.count() == 1


def test_a_chunk_is_streamed_to_disk_not_read_into_memory(world, settings):
    """Django refuses to hold in memory a body over DATA_UPLOAD_MAX_MEMORY_SIZE: a chunk four
    times that size still goes through, so nothing read it whole."""
    signed_out_camera(world)
    _, token = station(world)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    api = Api(token)
    key = api.declare("A.MP4", b"y" * 40000, NUMBER).json()["id"]
    r = api.chunk(key, 0, b"y" * 16384)
    assert r.status_code == 200 and r.json()["offset"] == 16384


def test_chunk_past_the_declared_size_is_refused(world):
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    key = api.declare("A.MP4", b"y" * 100, NUMBER).json()["id"]
    r = api.chunk(key, 0, b"y" * 101)
    assert r.status_code == 400 and r.json()["offset"] == 0


def test_unfinished_uploads_expire(world, tmp_path, staging, settings):
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    data = _video(tmp_path)
    stale = api.declare(CAMERA_PATH, data, NUMBER).json()["id"]
    api.chunk(stale, 0, data[:1000])
    fresh = api.declare("DCIM/100MEDIA/VID_0002.MP4", data, NUMBER).json()["id"]
    assert uploads.expire_stale() == 0  # neither is old yet
    settings.LIUHEN_UPLOAD_EXPIRE_HOURS = 1
    later = timezone.now() + datetime.timedelta(hours=2)
    assert uploads.expire_stale(now=later) == 2
    assert not (staging / stale).exists() and not (staging / fresh).exists()
    body = api.state(stale).json()
    assert body["status"] == "expired" and body["state"] == "ended" and "小时未完成" in body["reason"]
    assert api.chunk(stale, 1000, data[1000:2000]).status_code == 409
    assert uploads.expire_stale(now=later) == 0  # each ends once
    assert [e["detail"]["status"] for e in _events(v.UPLOAD_END)] == ["expired", "expired"]
    # Declared anew, it starts from zero.
    r = api.declare(CAMERA_PATH, data, NUMBER)
    assert r.status_code == 201 and r.json()["offset"] == 0


def test_the_expiry_command(world, staging, settings):
    import io

    from django.core.management import call_command

    signed_out_camera(world)
    _, token = station(world)
    key = Api(token).declare("A.MP4", b"y" * 100, NUMBER).json()["id"]
    out = io.StringIO()
    call_command("expire_uploads", stdout=out)
    assert "已清除 0 个" in out.getvalue() and (staging / key).exists()
    settings.LIUHEN_UPLOAD_EXPIRE_HOURS = 0
    call_command("expire_uploads", stdout=out)
    assert "已清除 1 个" in out.getvalue() and not (staging / key).exists()
    assert UploadEnd.objects.get().status == "expired"


def test_recent_bytes_keep_an_old_upload_alive(world, staging, settings):
    import os

    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    key = api.declare("A.MP4", b"y" * 100, NUMBER).json()["id"]
    settings.LIUHEN_UPLOAD_EXPIRE_HOURS = 1
    now = timezone.now()
    # Two hours on, the upload started more than an hour ago, but a chunk came half an hour ago.
    recent = (now + datetime.timedelta(minutes=90)).timestamp()
    os.utime(staging / key / "data", (recent, recent))
    assert uploads.expire_stale(now=now + datetime.timedelta(hours=2)) == 0
    assert (staging / key).exists() and api.state(key).json()["state"] == "uploading"
    # An hour after that chunk with nothing more: cleared.
    assert uploads.expire_stale(now=now + datetime.timedelta(minutes=151)) == 1
    assert api.state(key).json()["status"] == "expired"


def test_openapi_schema_and_docs_are_served(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    paths = schema["paths"]
    assert {"/api/footage/uploads", "/api/footage/uploads/{key}", "/api/footage/uploads/{key}/complete",
            "/api/footage/confirm"} <= set(paths)
    assert {"get", "head", "patch"} <= set(paths["/api/footage/uploads/{key}"])
    assert "application/offset+octet-stream" in paths["/api/footage/uploads/{key}"]["patch"]["requestBody"]["content"]
    assert "StationToken" in schema["components"]["securitySchemes"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
