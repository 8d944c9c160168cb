"""The blob store's one interface, on both backends: local disk and S3 on a real SeaweedFS."""
import hashlib
import io
import os

import pytest
from django.core.exceptions import ValidationError

from liuhen.media import store
from liuhen.media.models import Blob
from liuhen.testing.media import Chunked, name_of, remove_raw, store_backend, stored_names, write_raw  # noqa: F401


@pytest.fixture
def backend(store_backend):
    return store_backend


SMALL = "执法记录仪视频".encode() + bytes(range(256)) * 50
LARGE_PARTS = 2  # more than one S3 part: the multipart path with its staging key


def large_data():
    return os.urandom(LARGE_PARTS * store.PART + 12345)


@pytest.mark.parametrize("make", [lambda: SMALL, large_data], ids=["one-part", "multipart"])
def test_put_stores_bytes_under_their_hash_and_reads_them_back(db, backend, make):
    data = make()
    sha = hashlib.sha256(data).hexdigest()
    blob = store.put(Chunked(data))
    assert blob.sha256 == sha and blob.size == len(data) and Blob.objects.get(pk=sha).size == len(data)
    assert store.exists(sha) and store.size(sha) == len(data) and store.verify(sha)
    with store.open_blob(sha) as f:
        assert f.read() == data
    assert stored_names(backend) == [name_of(backend, sha)]  # no temporary or staging object left


def test_same_content_twice_is_one_blob_and_one_object(db, backend):
    a = store.put(io.BytesIO(b"same content"))
    b = store.put(io.BytesIO(b"same content"))
    assert a.pk == b.pk and Blob.objects.count() == 1
    assert stored_names(backend) == [name_of(backend, a.pk)]
    c = store.put(io.BytesIO(b"other content"))
    assert c.pk != a.pk and len(stored_names(backend)) == 2


def test_range_reads(db, backend):
    data = bytes(range(256)) * 1000
    sha = store.put(io.BytesIO(data)).sha256
    with store.open_range(sha, 1000, 5000) as f:
        assert f.read() == data[1000:5000]
    with store.open_range(sha, 255_990) as f:
        assert f.read() == data[255_990:]
    with store.open_range(sha, 10, 10) as f:
        assert f.read() == b""
    with store.open_range(sha, 100, 10**9) as f:  # an end past the object stops at its end
        assert f.read(50) == data[100:150]
        f.seek(0)
        assert f.read(3) == data[100:103]
        f.seek(-2, io.SEEK_END)
        assert f.read() == data[-2:]
    with store.open_blob(sha) as f:  # the whole-object reader seeks too (for HTTP Range)
        f.seek(123_456)
        assert f.read(4) == data[123_456:123_460]
        f.seek(0, io.SEEK_END)
        assert f.tell() == len(data)
    with pytest.raises(ValueError):
        store.open_range(sha, 10, 5)


def test_empty_file_refused_without_leftovers(db, backend):
    with pytest.raises(ValidationError) as exc:
        store.put(io.BytesIO(b""))
    assert exc.value.messages == ["文件为空，不能上传。"]
    assert not Blob.objects.exists() and stored_names(backend) == []


@pytest.mark.parametrize("size_mb", [2, 20], ids=["in-one-part", "mid-multipart"])
def test_file_over_the_limit_refused_without_leftovers(db, backend, size_mb):
    limit = size_mb * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        store.put(Chunked(b"x" * (limit + 1)), max_bytes=limit)
    assert exc.value.messages == [f"文件超过大小上限（{size_mb} MB）。"]
    assert not Blob.objects.exists() and stored_names(backend) == []


def test_verify_detects_one_flipped_byte(db, backend):
    data = b"evidence photo bytes " * 100
    sha = store.put(io.BytesIO(data)).sha256
    assert store.verify(sha)
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    write_raw(backend, sha, bytes(changed))
    assert store.exists(sha) and not store.verify(sha)


def test_missing_object(db, backend):
    sha = store.put(io.BytesIO(b"to be lost")).sha256
    remove_raw(backend, sha)
    assert not store.exists(sha) and store.verify(sha) is False
    never = hashlib.sha256(b"never stored").hexdigest()
    assert store.verify(never) is False
    with pytest.raises(FileNotFoundError):
        store.open_blob(never)
    with pytest.raises(FileNotFoundError):
        store.size(never)


def test_lost_or_altered_object_is_restored_by_storing_the_same_bytes_again(db, backend):
    data = b"footage that went missing"
    sha = store.put(io.BytesIO(data)).sha256
    write_raw(backend, sha, b"something else")
    again = store.put(io.BytesIO(data))
    assert again.sha256 == sha and Blob.objects.count() == 1 and store.verify(sha)
    remove_raw(backend, sha)
    store.put(io.BytesIO(data))
    assert store.verify(sha) and stored_names(backend) == [name_of(backend, sha)]


def test_names_that_are_not_a_digest_are_refused(db, backend):
    for bad in ["", "../" + "a" * 61, "A" * 64, "g" * 64]:
        with pytest.raises(ValueError):
            store.exists(bad)
        with pytest.raises(ValueError):
            store.open_blob(bad)
