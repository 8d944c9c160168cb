"""Test helpers of the blob store: a fixture running a test on both backends, and a tamperer's
direct access to what a backend holds (behind the store's back)."""
import contextlib
import io
import os
import subprocess
import uuid
from pathlib import Path

import pytest


@pytest.fixture(params=["local", "s3"])
def store_backend(request, settings):
    """The store on the test's own directory, or under a prefix of its own in the session's
    SeaweedFS bucket (import this fixture into a test module to run its tests on both)."""
    from liuhen.media import store

    if request.param == "s3":
        url = request.getfixturevalue("seaweedfs")
        settings.LIUHEN_STORAGE_URL = url.with_prefix(f"t-{uuid.uuid4().hex[:12]}/")
    else:
        settings.LIUHEN_STORAGE_URL = ""
    b = store.backend()
    assert b.name == request.param
    return b


def stored_names(b) -> list[str]:
    """Everything the backend holds, final or temporary (names relative to its root or prefix);
    on S3 an unfinished multipart upload is listed as "(upload) KEY"."""
    if b.name == "local":
        return sorted(str(p.relative_to(b.root)) for p in b.root.rglob("*") if p.is_file()) if b.root.exists() else []
    keys = []
    for page in b.client.get_paginator("list_objects_v2").paginate(Bucket=b.bucket, Prefix=b.prefix):
        keys += [o["Key"][len(b.prefix):] for o in page.get("Contents", [])]
    uploads = b.client.list_multipart_uploads(Bucket=b.bucket, Prefix=b.prefix).get("Uploads", [])
    return sorted(keys + [f"(upload) {u['Key'][len(b.prefix):]}" for u in uploads])


def name_of(b, sha: str) -> str:
    """A stored object's name relative to the backend's root (S3: under `blobs/`)."""
    return ("blobs/" if b.name == "s3" else "") + f"{sha[:2]}/{sha[2:4]}/{sha}"


def read_raw(b, sha: str) -> bytes:
    if b.name == "local":
        return b.path(sha).read_bytes()
    return b.client.get_object(Bucket=b.bucket, Key=b.key(sha))["Body"].read()


def write_raw(b, sha: str, data: bytes) -> None:
    """A tamperer's write straight into the backend."""
    if b.name == "local":
        path = b.path(sha)
        os.chmod(path, 0o640)  # stored read-only: a tamperer has to make it writable first
        path.write_bytes(data)
    else:
        b.client.put_object(Bucket=b.bucket, Key=b.key(sha), Body=data)


def flip_byte(b, sha: str) -> None:
    data = bytearray(read_raw(b, sha))
    data[len(data) // 2] ^= 0x01
    write_raw(b, sha, bytes(data))


def remove_raw(b, sha: str) -> None:
    if b.name == "local":
        b.path(sha).unlink()
    else:
        b.client.delete_object(Bucket=b.bucket, Key=b.key(sha))


class Chunked(io.RawIOBase):
    """A stream that hands out at most `step` bytes per read, like a network upload."""

    def __init__(self, data: bytes, step: int = 64 * 1024):
        self.data, self.pos, self.step = data, 0, step

    def readable(self):
        return True

    def read(self, n=-1):
        n = self.step if n is None or n < 0 else min(n, self.step)
        out = self.data[self.pos:self.pos + n]
        self.pos += len(out)
        return out


@contextlib.contextmanager
def small_disk_at(mnt, size: str = "1m"):
    """A real full disk: a tmpfs of `size` mounted at `mnt` (made if missing) for the block; the
    test is skipped where mounting is not allowed (it needs root, as CI runs)."""
    mnt = Path(mnt)
    mnt.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=True)


@pytest.fixture
def small_disk(tmp_path, settings):
    """The blob store on local disk, on a 1 MiB tmpfs (small_disk_at): its mount point. Import this
    fixture into a test module that fills the disk."""
    with small_disk_at(tmp_path / "small-disk") as mnt:
        settings.LIUHEN_STORAGE_URL = ""
        settings.LIUHEN_BLOB_DIR = mnt / "blobs"
        yield mnt
