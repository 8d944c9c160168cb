"""Content-addressed blob store on local disk: LIUHEN_BLOB_DIR/ab/cd/<sha256>.

Files are streamed to a temporary file in the same directory tree while hashed, fsynced, then
renamed into place, so a crash leaves either nothing or a whole file under its true name.
An S3 backend (SeaweedFS) comes with the media issue; callers only use put/open/exists/verify.
"""
import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Blob

CHUNK = 1024 * 1024


def _root() -> Path:
    return Path(settings.LIUHEN_BLOB_DIR)


def path_for(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return _root() / sha256[:2] / sha256[2:4] / sha256


def put(fileobj, max_bytes: int | None = None) -> Blob:
    """Store the bytes read from `fileobj`; return its Blob (existing or new)."""
    max_bytes = max_bytes or settings.LIUHEN_MAX_UPLOAD_BYTES
    tmp_dir = _root() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in iter(lambda: fileobj.read(CHUNK), b""):
                size += len(chunk)
                if size > max_bytes:
                    raise ValidationError(f"文件超过大小上限（{max_bytes // (1024 * 1024)} MB）。")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise ValidationError("文件为空，不能上传。")
        sha = digest.hexdigest()
        final = path_for(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists() and verify(sha):
            os.unlink(tmp_name)
        else:
            # New, or the stored copy was lost or altered: the true bytes take its place.
            if final.exists():
                os.chmod(final, 0o640)
            os.chmod(tmp_name, 0o440)
            os.replace(tmp_name, final)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    with transaction.atomic():
        blob = Blob.objects.filter(sha256=sha).first()
        if blob is None:
            blob = Blob.objects.create(sha256=sha, size=size)
    return blob


def open_blob(sha256: str):
    return open(path_for(sha256), "rb")


def exists(sha256: str) -> bool:
    return path_for(sha256).exists()


def verify(sha256: str) -> bool:
    """True when the stored bytes still hash to their name."""
    digest = hashlib.sha256()
    try:
        with open_blob(sha256) as f:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return False
    return digest.hexdigest() == sha256
