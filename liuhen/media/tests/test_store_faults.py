"""The store when the place it writes to fails: a full disk (a real 1 MiB tmpfs) and the S3 service
stopped half-way through an upload (a SeaweedFS of this test's own). Either way: a clear error,
nothing under a final name, no Blob row, and what was stored before is still whole."""
import errno
import hashlib
import io
import os

import pytest
from django.core.exceptions import ValidationError

from liuhen.media import store
from liuhen.media.models import Blob
from liuhen.testing.media import Chunked, name_of, small_disk_at, stored_names
from liuhen.testing.seaweedfs import own_seaweedfs  # noqa: F401  (fixture)


@pytest.fixture
def small_disk(tmp_path, settings):
    """The local backend on a 1 MiB tmpfs (a real full disk)."""
    with small_disk_at(tmp_path / "small-disk"):
        settings.LIUHEN_STORAGE_URL = ""
        settings.LIUHEN_BLOB_DIR = tmp_path / "small-disk" / "blobs"
        yield store.backend()


def test_full_disk_refuses_the_file_and_keeps_what_was_stored(db, small_disk):
    kept = store.put(io.BytesIO(b"stored before the disk filled " * 1000))
    with pytest.raises(store.StorageError) as exc:
        store.put(Chunked(os.urandom(2 * 1024 * 1024)))
    assert str(exc.value) == "存储空间不足，文件未保存。" and exc.value.errno == errno.ENOSPC
    assert list(Blob.objects.all()) == [kept]
    assert stored_names(small_disk) == [name_of(small_disk, kept.sha256)]  # no temporary file left
    assert store.verify(kept.sha256)
    # once there is room again, the same store takes files
    assert store.put(io.BytesIO(b"a small one after")).size == 17


class StopsTheServer(Chunked):
    """An upload during which the S3 service goes away, once `after` bytes have been read."""

    def __init__(self, data, server, after):
        super().__init__(data, step=256 * 1024)
        self.server, self.after = server, after

    def read(self, n=-1):
        if self.pos >= self.after and self.server.proc is not None:
            self.server.stop()
        return super().read(n)


def test_service_stopped_mid_upload_leaves_nothing_visible(db, own_seaweedfs):
    b = store.backend()
    assert b.name == "s3"
    kept = store.put(io.BytesIO(b"stored before the service went away"))
    data = os.urandom(3 * store.PART)
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(store.StorageError) as exc:  # the first part went up, then the service stopped
        store.put(StopsTheServer(data, own_seaweedfs, after=store.PART + 1))
    assert str(exc.value).startswith("对象存储写入失败")
    with pytest.raises(store.StorageError):  # and a small file while it is down
        store.put(io.BytesIO(b"while it is down"))
    assert list(Blob.objects.all()) == [kept]

    own_seaweedfs.start()  # the same data directory and ports
    names = stored_names(b)
    assert name_of(b, sha) not in names
    assert [n for n in names if n.startswith("blobs/")] == [name_of(b, kept.sha256)]  # no final object
    assert store.verify(kept.sha256) and not store.exists(sha)
    # the upload can simply be made again
    assert store.put(Chunked(data)).sha256 == sha and store.verify(sha)


def test_over_the_limit_on_s3_aborts_the_multipart_upload(db, seaweedfs, settings):
    settings.LIUHEN_STORAGE_URL = seaweedfs.with_prefix("limit-abort/")
    b = store.backend()
    with pytest.raises(ValidationError):
        store.put(Chunked(b"y" * (2 * store.PART + 1)), max_bytes=2 * store.PART)
    assert stored_names(b) == []  # neither an object nor an unfinished upload
