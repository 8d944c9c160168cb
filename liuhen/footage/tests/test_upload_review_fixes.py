"""The upload API after the review of issue 13 (branch i13-upfix): the guarantees around the six
fixed defects, beyond the review's own tests (test_review_i13_uploads.py) — each path part within
a file system's name limit, the sidecar pairing within its batch, confirmation for uploaders only
and bounded, a refused invalid request traced without its values, the exact upload key, the cap on
a sender's unfinished uploads, and a role withdrawn mid-upload."""
import json

import pytest

from liuhen.accounts import services as accounts
from liuhen.accounts.roles import Role
from liuhen.footage.models import FootageItem, Upload
from liuhen.ledger.models import Entry
from liuhen.testing.ingest import NUMBER, signed_out_camera
from liuhen.testing.uploads import Api, staging, station  # noqa: F401  (staging: the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staging")]

REFUSED = "footage.upload_refused"


def _leaf(entry) -> dict:
    return json.loads(bytes(entry.leaf))


def _last(action):
    return Entry.objects.filter(action=action).order_by("-pk").first()


def test_a_chinese_folder_name_over_255_bytes_is_refused_at_declaration_and_one_within_is_not(world):
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    data = b"z" * 100
    before = Entry.objects.filter(action=REFUSED).count()
    r = api.declare("DCIM/" + "录" * 86 + "/VID_0001.MP4", data, NUMBER)  # 86 characters, 258 bytes
    assert r.status_code == 400 and r.json()["code"] == "name_too_long", r.content
    assert "255 字节" in r.json()["detail"]
    assert Entry.objects.filter(action=REFUSED).count() == before + 1
    assert _leaf(_last(REFUSED))["detail"]["codes"] == ["name_too_long"]
    assert not Upload.objects.exists()
    r = api.declare("DCIM/" + "录" * 85 + "/VID_0001.MP4", data, NUMBER)  # 255 bytes: a name the disk takes
    assert r.status_code == 201, r.content
    assert api.declare("A" * 256 + ".MP4", data, NUMBER).status_code == 400  # the file's own name too


def test_a_sidecar_is_bound_only_within_its_batch_else_refused_as_an_orphan(world, tmp_path):
    import datetime

    from django.utils import timezone

    from liuhen.testing.footage import video
    from liuhen.testing.ingest import iso_utc

    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    when = timezone.now() + datetime.timedelta(seconds=5)
    clip = video(tmp_path / "v.mp4", 0.5, creation_time=iso_utc(when)).read_bytes()
    first = api.upload("DCIM/VID_0007.MP4", clip, NUMBER).json()
    nmea = b"$GPGGA,093000.00,3954.0,N\n"
    other = api.upload("DCIM/VID_0007.NMEA", nmea, NUMBER).json()  # no `ingest`: a batch of its own
    assert other["status"] == "rejected" and other["reason"] == "附属文件旁没有同名的音视频文件，拒收。", other
    assert not FootageItem.objects.filter(name="VID_0007.NMEA").exists()
    same = api.upload("DCIM/VID_0007.NMEA", nmea + b"\n", NUMBER, ingest=first["ingest"]).json()
    assert same["status"] == "new", same
    assert FootageItem.objects.get(name="VID_0007.NMEA").video_id == first["item"]


def test_confirm_is_for_stations_device_admins_and_officers_and_bounded(world, settings):
    _, device_admin = signed_out_camera(world)
    _, token = station(world)
    digest = "a" * 64
    assert Api(token).confirm([digest]).status_code == 200
    assert Api(user=world.officer).confirm([digest]).status_code == 200
    assert Api(user=device_admin).confirm([digest]).status_code == 200
    before = Entry.objects.filter(action=REFUSED).count()
    for colleague in (world.sysadmin, world.agency_head):
        r = Api(user=colleague).confirm([digest])
        assert r.status_code == 403 and r.json()["code"] == "forbidden" and "设备管理员" in r.json()["detail"]
    assert Entry.objects.filter(action=REFUSED).count() == before + 2
    before += 1
    settings.LIUHEN_CONFIRM_MAX = 3
    r = Api(token).confirm([digest] * 4)
    assert r.status_code == 400 and r.json()["code"] == "too_many" and "3" in r.json()["detail"]
    assert Entry.objects.filter(action=REFUSED).count() == before + 2
    files = Api(token).confirm([digest, digest, "b" * 64]).json()["files"]
    assert [f["sha256"] for f in files] == [digest, digest, "b" * 64] and not any(f["stored"] for f in files)


def test_an_invalid_request_is_traced_by_field_and_code_never_by_value(world):
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    before = Entry.objects.filter(action="web.refused").count()
    r = api.client.post("/api/footage/uploads", json.dumps({"name": "A.MP4", "size": "秘密数值"}),
                        content_type="application/json", headers=api.headers)
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert Entry.objects.filter(action="web.refused").count() == before + 1
    entry = _last("web.refused")
    detail = _leaf(entry)["detail"]
    assert detail["status"] == 400 and {"size", "sha256", "device"} <= set(detail["fields"])
    assert {"int_parsing", "missing"} <= set(detail["codes"]) and detail["station"]
    assert "秘密数值".encode() not in bytes(entry.leaf) and "秘密数值" not in json.dumps(detail, ensure_ascii=False)
    # A person's invalid request names the person.
    r = Api(user=world.officer).confirm("not a list")
    assert r.status_code == 400 and _last("web.refused").actor_id == world.officer.pk


def test_only_the_exact_key_finds_an_upload(world):
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    key = api.declare("DCIM/VID_0002.MP4", b"x" * 100, NUMBER).json()["id"]
    assert api.state(key).status_code == 200
    for wrong in (key[:-1], key.upper(), "0" + key, key + "0", key[:31] + "é"):
        assert api.state(wrong).status_code == 404, wrong


def test_one_sender_holds_at_most_so_many_unfinished_uploads(world, settings):
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    settings.LIUHEN_UPLOAD_MAX_OPEN = 2
    assert api.declare("DCIM/A1.MP4", b"1" * 10, NUMBER).status_code == 201
    assert api.declare("DCIM/A2.MP4", b"2" * 10, NUMBER).status_code == 201
    before = Entry.objects.filter(action=REFUSED).count()
    r = api.declare("DCIM/A3.MP4", b"3" * 10, NUMBER)
    assert r.status_code == 429 and r.json()["code"] == "too_many_open" and "未完成的上传过多" in r.json()["detail"]
    assert Entry.objects.filter(action=REFUSED).count() == before + 1
    assert api.declare("DCIM/A1.MP4", b"1" * 10, NUMBER).status_code == 200  # resuming one is not a new one
    _, other = station(world, number="CJZ-02")
    assert Api(other).declare("DCIM/A3.MP4", b"3" * 10, NUMBER).status_code == 201  # per sender
    done = api.declare("DCIM/A2.MP4", b"2" * 10, NUMBER).json()["id"]
    api.chunk(done, 0, b"2" * 10)  # ended (a rejected non-video): no longer unfinished
    assert api.declare("DCIM/A3.MP4", b"3" * 10, NUMBER).status_code == 201


def test_a_person_whose_role_was_withdrawn_mid_upload_sends_no_more(world):
    signed_out_camera(world)
    api = Api(user=world.officer)
    data = b"q" * 1000
    key = api.declare("DCIM/VID_0004.MP4", data, NUMBER).json()["id"]
    assert api.chunk(key, 0, data[:500]).status_code == 200
    accounts.revoke_role(None, world.officer, Role.OFFICER)
    before = Entry.objects.filter(action=REFUSED).count()
    r = api.chunk(key, 500, data[500:])
    assert r.status_code == 403 and r.json()["code"] == "forbidden", r.content
    assert api.complete(key).status_code == 403
    assert Entry.objects.filter(action=REFUSED).count() == before + 2
    assert not Upload.objects.filter(key=key, end__isnull=False).exists()


def test_an_upload_at_work_is_not_expired_under_it(world):
    """expire_stale takes the staged file's lock as complete() does: an upload a request is working
    on is left alone (expired at a later pass), and its end is recorded before its bytes go."""
    import datetime
    import fcntl

    from django.utils import timezone

    from liuhen.footage import uploads

    signed_out_camera(world)
    _, token = station(world)
    key = Api(token).declare("DCIM/VID_0005.MP4", b"e" * 100, NUMBER).json()["id"]
    upload = Upload.objects.get(key=key)
    later = timezone.now() + uploads.expire_after() + datetime.timedelta(hours=1)
    with open(uploads.staging_dir(upload) / "data", "r+b") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # a request at work on it
        assert uploads.expire_stale(now=later) == 0
        assert not Upload.objects.filter(key=key, end__isnull=False).exists()
    assert uploads.expire_stale(now=later) == 1
    assert Upload.objects.get(key=key).end.status == "expired" and not uploads.staging_dir(upload).exists()
    assert uploads.expire_stale(now=later) == 0
