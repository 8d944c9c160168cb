"""The content-addressed blob store, on a real directory (conftest points it at tmp_path)."""
import hashlib
import io
import os
import stat

import pytest
from django.core.exceptions import ValidationError

from liuhen.media import store
from liuhen.media.models import Blob
from liuhen.testing.media import Chunked


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_path_for_is_sharded_under_the_blob_dir(settings):
    sha = hashlib.sha256(b"abc").hexdigest()
    assert store.path_for(sha) == settings.LIUHEN_BLOB_DIR / sha[:2] / sha[2:4] / sha


@pytest.mark.parametrize("bad", ["", "../" + "a" * 61, "A" * 64, "a" * 63, "g" * 64, "a" * 65])
def test_path_for_refuses_anything_but_a_hex_digest(bad):
    with pytest.raises(ValueError):
        store.path_for(bad)


def test_put_stores_bytes_under_their_hash_read_only(db, settings):
    data = "执法记录仪视频".encode() + bytes(range(256)) * 50
    sha = hashlib.sha256(data).hexdigest()
    blob = store.put(io.BytesIO(data))
    assert blob.sha256 == sha and blob.size == len(data)
    assert Blob.objects.get(pk=sha).size == len(data)
    path = store.path_for(sha)
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o440
    assert store.exists(sha) and store.verify(sha)
    with store.open_blob(sha) as f:
        assert f.read() == data
    assert files_under(settings.LIUHEN_BLOB_DIR) == [path]  # no temp file left


def test_put_streams_in_chunks(db):
    data = os.urandom(3 * 1024 + 5)
    blob = store.put(Chunked(data, step=7))  # a few bytes a read, like a slow network upload
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert store.path_for(blob.sha256).read_bytes() == data


def test_same_content_twice_is_one_blob_and_one_file(db, settings):
    a = store.put(io.BytesIO(b"same content"))
    b = store.put(io.BytesIO(b"same content"))
    assert a.pk == b.pk and Blob.objects.count() == 1
    assert files_under(settings.LIUHEN_BLOB_DIR) == [store.path_for(a.pk)]
    c = store.put(io.BytesIO(b"other content"))
    assert c.pk != a.pk and Blob.objects.count() == 2
    assert len(files_under(settings.LIUHEN_BLOB_DIR)) == 2


def test_empty_file_refused_without_leftovers(db, settings):
    with pytest.raises(ValidationError) as exc:
        store.put(io.BytesIO(b""))
    assert exc.value.messages == ["文件为空，不能上传。"]
    assert not Blob.objects.exists()
    assert files_under(settings.LIUHEN_BLOB_DIR) == []


def test_file_over_the_limit_refused_without_leftovers(db, settings):
    with pytest.raises(ValidationError) as exc:
        store.put(io.BytesIO(b"x" * (2 * 1024 * 1024 + 1)), max_bytes=2 * 1024 * 1024)
    assert exc.value.messages == ["文件超过大小上限（2 MB）。"]
    assert not Blob.objects.exists()
    assert files_under(settings.LIUHEN_BLOB_DIR) == []


def test_setting_limit_applies(db, settings):
    settings.LIUHEN_MAX_UPLOAD_BYTES = 10
    assert store.put(io.BytesIO(b"0123456789")).size == 10
    with pytest.raises(ValidationError):
        store.put(io.BytesIO(b"0123456789A"))
    assert Blob.objects.count() == 1


def test_verify_detects_one_changed_byte(db):
    data = b"evidence photo bytes " * 100
    sha = store.put(io.BytesIO(data)).sha256
    assert store.verify(sha)
    path = store.path_for(sha)
    os.chmod(path, 0o640)  # stored read-only: a tamperer has to make it writable first
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    path.write_bytes(bytes(changed))
    assert not store.verify(sha)


def test_verify_of_missing_file_is_false(db):
    sha = store.put(io.BytesIO(b"to be lost")).sha256
    path = store.path_for(sha)
    os.chmod(path, 0o640)
    path.unlink()
    assert not store.exists(sha)
    assert store.verify(sha) is False
    assert store.verify(hashlib.sha256(b"never stored").hexdigest()) is False


def test_lost_file_is_restored_by_storing_the_same_bytes_again(db):
    data = b"footage that went missing"
    sha = store.put(io.BytesIO(data)).sha256
    path = store.path_for(sha)
    path.unlink()
    again = store.put(io.BytesIO(data))
    assert again.sha256 == sha and Blob.objects.count() == 1
    assert path.read_bytes() == data and store.verify(sha)


@pytest.mark.parametrize("kernel_copy", [True, False])
def test_copy_out_hands_on_the_bytes_and_refuses_an_altered_blob(db, tmp_path, monkeypatch, kernel_copy):
    """copy_out on the local disk: the kernel's copy_file_range while a thread hashes the same file — or,
    on a kernel or file system without it, the same bytes through user space."""
    if not kernel_copy:
        def unsupported(*args):
            raise OSError(38, "copy_file_range not supported")
        monkeypatch.setattr(os, "copy_file_range", unsupported)
    data = os.urandom(3 * 1024 * 1024 + 17)
    blob = store.put(io.BytesIO(data))
    assert store.copy_out(blob.sha256, tmp_path / "a", blob.size) == len(data)
    assert (tmp_path / "a").read_bytes() == data
    with pytest.raises(store.CopyOutError) as size:
        store.copy_out(blob.sha256, tmp_path / "b", blob.size + 1)
    assert size.value.code == "blob_altered"
    path = store.path_for(blob.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(store.CopyOutError) as altered:
        store.copy_out(blob.sha256, tmp_path / "c")
    assert altered.value.code == "blob_altered"
    with pytest.raises(store.CopyOutError) as missing:
        store.copy_out("0" * 64, tmp_path / "d")
    assert missing.value.code == "blob_missing"


def test_copy_out_hands_each_slice_to_the_disk_as_it_is_copied(db, tmp_path, monkeypatch):
    """The kernel's copy goes in slices, each one's writeback started at once (sync_file_range on Linux:
    the fsync after it finds little left to write — bench/archive.py); the slices cover the file once,
    in order, and the copy is whole."""
    assert store._sync_file_range is not None  # Linux (glibc): the writeback is really asked for
    monkeypatch.setattr(store, "WRITEBACK_SLICE", 1024 * 1024)
    asked, real = [], store.start_writeback
    monkeypatch.setattr(store, "start_writeback", lambda fd, off, n: (asked.append((off, n)), real(fd, off, n)))
    data = os.urandom(3 * 1024 * 1024 + 17)
    blob = store.put(io.BytesIO(data))
    assert store.copy_out(blob.sha256, tmp_path / "a", blob.size, sync=False) == len(data)
    assert (tmp_path / "a").read_bytes() == data
    assert [off for off, _ in asked] == [0, 1 << 20, 2 << 20, 3 << 20] and sum(n for _, n in asked) == len(data)
