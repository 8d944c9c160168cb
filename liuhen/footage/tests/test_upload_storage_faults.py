"""An upload whose store fails at the end — a full disk (a real 1 MiB tmpfs) or the S3 service
(SeaweedFS) stopped — answers 507 with a Chinese message, keeps the staged bytes, stores nothing
and loses nothing stored before; once the store is back, the same upload completes."""
import datetime
import os

import pytest
from django.utils import timezone

from liuhen.footage.models import FootageItem, UploadEnd
from liuhen.media import store
from liuhen.media.models import Blob
from liuhen.testing.footage import video
from liuhen.testing.ingest import NUMBER, iso_utc, signed_out_camera
from liuhen.testing.media import small_disk  # noqa: F401  (fixture)
from liuhen.testing.seaweedfs import own_seaweedfs  # noqa: F401  (fixture)
from liuhen.testing.uploads import Api, sha, staging, station  # noqa: F401  (staging: the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staging")]


def _video(tmp_path, name, seconds, size) -> bytes:
    when = timezone.now() + datetime.timedelta(seconds=5)
    return video(tmp_path / name, seconds, creation_time=iso_utc(when), size=size).read_bytes()




def _fill(mnt) -> None:
    """Fill the disk to its last byte."""
    fd = os.open(mnt / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def _kept_bytes_and_507(api, key, data, staging):
    r = api.send(key, data, step=16384)
    assert r.status_code == 507, r.content
    body = r.json()
    assert "已收到的内容保留" in body["detail"] and body["code"] == "storage" and body["offset"] == len(data)
    state = api.state(key).json()
    assert state["state"] == "uploading" and state["offset"] == len(data)
    assert (staging / key / "data").read_bytes() == data
    assert not UploadEnd.objects.filter(upload__key=key).exists()


def test_full_disk_answers_507_and_the_upload_completes_later(world, tmp_path, small_disk, staging):
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    before = api.upload("DCIM/100MEDIA/VID_0001.MP4", _video(tmp_path, "a.mp4", 0.5, "160x120"), NUMBER).json()
    assert before["status"] == "new" and before["confirmed"]
    data = _video(tmp_path, "b.mp4", 2.0, "640x480")
    key = api.declare("DCIM/100MEDIA/VID_0002.MP4", data, NUMBER).json()["id"]
    _fill(small_disk)
    _kept_bytes_and_507(api, key, data, staging)
    # Nothing stored of it, nothing lost of what was stored before.
    assert list(Blob.objects.values_list("sha256", flat=True)) == [before["sha256"]]
    assert FootageItem.objects.count() == 1 and store.verify(before["sha256"])
    assert not store.exists(sha(data))
    # Room again: the same upload completes, no byte re-sent.
    (small_disk / "filler").unlink()
    done = api.complete(key)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "new" and done.json()["confirmed"] is True and done.json()["sha256"] == sha(data)
    assert not (staging / key).exists() and store.verify(sha(data))


def test_seaweedfs_down_answers_507_and_the_upload_resumes(world, tmp_path, own_seaweedfs, staging):
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    assert store.backend().name == "s3"
    before = api.upload("DCIM/100MEDIA/VID_0001.MP4", _video(tmp_path, "a.mp4", 0.5, "160x120"), NUMBER).json()
    assert before["status"] == "new" and before["confirmed"]
    data = _video(tmp_path, "b.mp4", 1.0, "320x240")
    key = api.declare("DCIM/100MEDIA/VID_0002.MP4", data, NUMBER).json()["id"]
    half = len(data) // 2
    assert api.chunk(key, 0, data[:half]).json()["offset"] == half
    own_seaweedfs.stop()
    r = api.chunk(key, half, data[half:])
    assert r.status_code == 507 and r.json()["detail"].startswith("对象存储")
    assert api.state(key).json()["offset"] == len(data)
    assert (staging / key / "data").read_bytes() == data
    assert list(Blob.objects.values_list("sha256", flat=True)) == [before["sha256"]]
    own_seaweedfs.start()  # the same data directory and ports
    assert store.verify(before["sha256"]) and not store.exists(sha(data))
    done = api.complete(key)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "new" and done.json()["confirmed"] is True
    assert FootageItem.objects.count() == 2 and store.verify(sha(data))
