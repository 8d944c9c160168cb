"""S3: a source that can be read twice (a file on disk, a spooled upload) is hashed first and sent
straight to its final key — no staging object, several parts in flight. It appears only whole and
only if the bytes sent are the bytes hashed: a source changed between the two reads, or the service
gone mid-upload, leaves nothing under any name."""
import hashlib
import io
import os

import pytest

from liuhen.media import store
from liuhen.media.models import Blob
from liuhen.testing.media import name_of, stored_names
from liuhen.testing.seaweedfs import own_seaweedfs  # noqa: F401  (fixture)


@pytest.fixture
def s3(seaweedfs, settings, request):
    settings.LIUHEN_STORAGE_URL = seaweedfs.with_prefix(f"rewind-{request.node.name[:40]}/")
    b = store.backend()
    assert b.name == "s3"
    return b


class ChangedOnRewind(io.BytesIO):
    """A file that someone rewrites between the store's two reads (a camera still writing)."""

    def seek(self, pos, whence=io.SEEK_SET):
        if pos == 0 and self.tell() > 0:
            view = self.getbuffer()
            view[len(view) // 2] ^= 0x01
            del view
        return super().seek(pos, whence)


def test_a_file_on_disk_goes_straight_to_its_name(db, s3, tmp_path):
    data = os.urandom(3 * store.PART + 77)  # four parts, sent several at a time
    path = tmp_path / "VID_0001.MP4"
    path.write_bytes(data)
    with open(path, "rb") as f:
        blob = store.put(f)
    sha = hashlib.sha256(data).hexdigest()
    assert blob.sha256 == sha and blob.size == len(data)
    assert stored_names(s3) == [name_of(s3, sha)]  # no staging object, no unfinished upload
    with store.open_blob(sha) as f:
        assert f.read() == data
    # the same file again: nothing more is stored
    with open(path, "rb") as f:
        assert store.put(f).sha256 == sha
    assert stored_names(s3) == [name_of(s3, sha)] and Blob.objects.count() == 1


def test_a_file_changed_between_the_two_reads_is_not_stored(db, s3):
    data = os.urandom(2 * store.PART + 5)
    with pytest.raises(store.StorageError) as exc:
        store.put(ChangedOnRewind(data))
    assert str(exc.value) == "文件在存储过程中被改动，未保存。"
    assert stored_names(s3) == []  # the multipart upload was aborted: no object, no upload
    assert not Blob.objects.exists()
    # and a small one (one PUT)
    with pytest.raises(store.StorageError):
        store.put(ChangedOnRewind(b"small file" * 100))
    assert stored_names(s3) == [] and not Blob.objects.exists()


def test_the_limit_is_checked_before_anything_is_sent(db, s3):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        store.put(io.BytesIO(b"z" * (2 * store.PART + 1)), max_bytes=2 * store.PART)
    assert stored_names(s3) == []


class StopsTheServerOnSecondRead(io.BytesIO):
    """The S3 service goes away once the store's second read (the upload) passes `after` bytes."""

    def __init__(self, data, server, after):
        super().__init__(data)
        self.server, self.after, self.reads = server, after, 0

    def seek(self, pos, whence=io.SEEK_SET):
        if pos == 0:
            self.reads += 1
        return super().seek(pos, whence)

    def _maybe_stop(self):
        if self.reads >= 1 and self.tell() >= self.after and self.server.proc is not None:
            self.server.stop()

    def read(self, n=-1):
        self._maybe_stop()
        return super().read(n)

    def readinto(self, b):
        self._maybe_stop()
        return super().readinto(b)


def test_service_stopped_mid_upload_leaves_no_object(db, own_seaweedfs):
    server = own_seaweedfs
    b = store.backend()
    data = os.urandom(6 * store.PART)
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(store.StorageError):
        store.put(StopsTheServerOnSecondRead(data, server, after=store.PART + 1))
    assert not Blob.objects.exists()
    server.start()
    # no object under any name (an unfinished upload the service may still hold is no object)
    assert [n for n in stored_names(b) if not n.startswith("(upload)")] == []
    assert not store.exists(sha)
    assert store.put(io.BytesIO(data)).sha256 == sha and store.verify(sha)
