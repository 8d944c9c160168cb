"""Content-addressed blob store (存储文件) behind one interface: local disk or S3 (SeaweedFS).

Every stored file is known only by the SHA-256 of its bytes, computed while the bytes stream
through (never a whole file in memory); identical content is stored once. A file becomes visible
under its name only when whole: on disk it is written to a temporary name, fsynced and renamed
(the hashing runs in a second thread beside the copy: the copy costs the longer of the two, not
their sum; bench/ingest.py). On S3 a source that can be read twice (a file on disk, an upload
Django spooled) is hashed first, then sent straight to its final key — in one PUT when it is one
part, else as a multipart upload (UPLOAD_THREADS parts in flight), which S3 shows only once
completed, and which is completed only if the bytes sent hash to the name; a stream that can be
read once goes as a multipart upload to a staging key, is copied server-side to its final key and
the staging object deleted. Every part carries its CRC32, which the service checks. On any
failure (too large, empty, disk full, the S3 service gone mid-upload, the source changed while
it was read) nothing is left under a final name and no Blob row is made. (An S3 lifecycle rule
that aborts incomplete multipart uploads and expires PREFIX tmp/ removes what a failure could not
clean up with the service gone.)

`LIUHEN_STORAGE_URL` chooses the backend:

    (empty)                         local disk under LIUHEN_BLOB_DIR ($LIUHEN_HOME/blobs)
    file:///absolute/path           local disk under that directory
    s3://BUCKET?endpoint=http://127.0.0.1:8333&region=us-east-1[&prefix=liuhen/]
    s3://KEY:SECRET@BUCKET?endpoint=…   credentials in the URL (percent-encoded); otherwise the
                                    usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the env

Callers use put / open_blob / open_range / exists / size / verify / delete (and `reachable`, which tells
a store that is down from one file that cannot be read); nothing else knows where the bytes are. (`path_for` names the local file, for the local backend and its tests only.)
"""
import collections
import errno
import hashlib
import io
import os
import shutil
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction

from .models import Blob

CHUNK = 1024 * 1024
# S3 multipart part size. S3 needs parts ≥ 5 MiB but the last. An upload holds at most
# UPLOAD_THREADS + 1 parts in memory: the ones being sent and the one being read.
PART = 8 * 1024 * 1024
UPLOAD_THREADS = 4
# Read-back chunk of verify: large enough that a thread switch per chunk costs nothing.
VERIFY_CHUNK = 4 * 1024 * 1024
# Up to this size the final copy on S3 is one CopyObject (S3's limit); above, a multipart copy.
COPY_IN_ONE_LIMIT = 5 * 1024**3


class StorageError(OSError):
    """The store could not keep or read the bytes (disk full, S3 unreachable); nothing was stored."""

    def __init__(self, message: str, err: int = errno.EIO):
        super().__init__(err, message)
        self.message = message

    def __str__(self):
        return self.message


def check_sha(sha256: str) -> str:
    if not isinstance(sha256, str) or len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


class _Hasher:
    """Counts and hashes the bytes as they pass; refuses the file past the limit or if empty."""

    def __init__(self, fileobj, max_bytes: int):
        self.fileobj, self.max_bytes = fileobj, max_bytes
        self.digest, self.size = hashlib.sha256(), 0

    def _count(self, n: int) -> None:
        self.size += n
        if self.size > self.max_bytes:
            raise ValidationError(f"文件超过大小上限（{self.max_bytes // (1024 * 1024)} MB）。")

    def _read(self, n: int):
        for chunk in iter(lambda: self.fileobj.read(n), b""):
            self._count(len(chunk))
            yield chunk

    def _views(self, n: int, count: int):
        """The stream read into `count` buffers in turn, as memoryviews: a view is overwritten
        `count` reads later. No fresh memory per chunk: at gigabytes, the page faults of new
        buffers cost more system time than the copy itself (bench/ingest.py)."""
        buffers = [bytearray(n) for _ in range(count)]
        readinto = getattr(self.fileobj, "readinto", None)
        i = 0
        while True:
            buf = buffers[i % count]
            i += 1
            k = None
            if readinto is not None:
                try:
                    k = readinto(buf)
                except (NotImplementedError, io.UnsupportedOperation):  # a stream with read() only
                    readinto = None
            if readinto is None:
                data = self.fileobj.read(n)
                k = len(data)
                buf[:k] = data
            if not k:
                return
            self._count(k)
            yield memoryview(buf)[:k]

    def chunks(self, n: int = CHUNK):
        """The stream in chunks of at most `n` bytes, each hashed before it is handed out."""
        for chunk in self._read(n):
            self.digest.update(chunk)
            yield chunk

    def chunks_hashed_aside(self, n: int = CHUNK):
        """The same chunks (memoryviews, each valid until the next is asked for), hashed by a
        second thread while the caller writes them (hashlib lets go of the GIL on large buffers):
        the copy costs the longer of the two, not their sum. The digest is whole when the
        generator is."""
        with ThreadPoolExecutor(1, thread_name_prefix="liuhen-hash") as pool:
            pending = collections.deque()
            # Four buffers: up to two being hashed, one being written, one being read into.
            for chunk in self._views(n, 4):
                pending.append(pool.submit(self.digest.update, chunk))
                if len(pending) > 2:
                    pending.popleft().result()
                yield chunk  # valid until the caller asks for the next one
            for f in pending:
                f.result()

    def parts(self, part_size: int):
        """The stream regrouped into parts of exactly `part_size` bytes but the last (never empty)."""
        pending, have = [], 0
        for chunk in self.chunks(part_size):
            pending.append(chunk)
            have += len(chunk)
            if have < part_size:
                continue
            data = pending[0] if len(pending) == 1 else b"".join(pending)
            while len(data) >= part_size:
                yield data if len(data) == part_size else data[:part_size]
                data = data[part_size:]
            pending, have = ([data], len(data)) if data else ([], 0)
        if pending:
            yield b"".join(pending)

    def filled_parts(self, part_size: int, count: int):
        """Parts of exactly `part_size` bytes but the last, read (and hashed) into `count` reused
        buffers in turn: each is a bytearray, or bytes for a short last part. A part's buffer is
        filled again `count` parts later: the caller keeps fewer than `count` parts in use."""
        buffers = [bytearray(part_size) for _ in range(count)]
        i = 0
        while True:
            buf = buffers[i % count]
            i += 1
            view, filled = memoryview(buf), 0
            while filled < part_size:
                k = self.fileobj.readinto(view[filled:])
                if not k:
                    break
                filled += k
            if not filled:
                return
            self._count(filled)
            self.digest.update(view[:filled])
            yield buf if filled == part_size else bytes(view[:filled])
            if filled < part_size:
                return

    def rewindable(self) -> bool:
        """A source that can be read twice (a file on disk, an upload Django spooled to one)."""
        try:
            return bool(self.fileobj.seekable()) and self.fileobj.tell() >= 0
        except (AttributeError, OSError, ValueError):
            return False

    def first_pass(self) -> str:
        """Read a rewindable source once to its end for its SHA-256 (limit and emptiness checked),
        then rewind it for the pass that stores it; `finish()` then also checks that the second
        pass read the same bytes."""
        start = self.fileobj.tell()
        for view in self._views(CHUNK, 1):
            self.digest.update(view)
        sha = self.finish()
        self.fileobj.seek(start)
        self.expected, self.digest, self.size = sha, hashlib.sha256(), 0
        return sha

    def finish(self) -> str:
        if self.size == 0:
            raise ValidationError("文件为空，不能上传。")
        sha = self.digest.hexdigest()
        expected = getattr(self, "expected", None)
        if expected is not None and sha != expected:
            raise StorageError("文件在存储过程中被改动，未保存。")
        return sha


class _Slice(io.RawIOBase):
    """Bytes [start, end) of a seekable binary file, itself seekable (for HTTP Range)."""

    def __init__(self, f, start: int, end: int):
        self.f, self.start, self.end = f, start, end
        self.pos = start
        f.seek(start)

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.pos - self.start

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: self.start, io.SEEK_CUR: self.pos, io.SEEK_END: self.end}[whence]
        self.pos = max(self.start, base + offset)
        self.f.seek(self.pos)
        return self.pos - self.start

    def readinto(self, b):
        n = min(len(b), self.end - self.pos)
        if n <= 0:
            return 0
        data = self.f.read(n)
        b[:len(data)] = data
        self.pos += len(data)
        return len(data)

    def close(self):
        if not self.closed:
            self.f.close()
        super().close()


class Backend:
    name = ""

    def put(self, hasher: _Hasher) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def open(self, sha256: str, end: int | None = None):  # pragma: no cover - interface
        """A seekable binary reader of the whole object (FileNotFoundError when absent)."""
        raise NotImplementedError

    def exists(self, sha256: str) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def size(self, sha256: str) -> int:  # pragma: no cover - interface
        raise NotImplementedError

    def reachable(self) -> bool:  # pragma: no cover - interface
        """Whether the place the bytes live answers at all (not whether any one file is there)."""
        raise NotImplementedError

    def delete(self, sha256: str) -> bool:  # pragma: no cover - interface
        """Remove the stored bytes; True if they were there. Idempotent: bytes already gone are
        no error (a purge re-tried after an interruption). A store that cannot be reached raises."""
        raise NotImplementedError

    def verify(self, sha256: str) -> bool:
        """Re-read the stored bytes whole and hash them; the next chunk is read while the last one
        is hashed (a second thread), so a read-back costs about the hashing alone."""
        digest = hashlib.sha256()
        try:
            with self.open(sha256) as f, ThreadPoolExecutor(1, thread_name_prefix="liuhen-hash") as pool:
                pending = None
                # two buffers in turn: one read into while the other is hashed
                for view in _Hasher(f, 2**63)._views(VERIFY_CHUNK, 2):
                    if pending is not None:
                        pending.result()
                    pending = pool.submit(digest.update, view)
                if pending is not None:
                    pending.result()
        except FileNotFoundError:
            return False
        return digest.hexdigest() == sha256


class LocalBackend(Backend):
    """ROOT/ab/cd/<sha256>, read-only files; temporary files under ROOT/tmp (same filesystem)."""

    name = "local"

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        check_sha(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, hasher: _Hasher) -> str:
        tmp_dir = self.root / "tmp"
        tmp_name = None
        try:
            tmp_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
            with os.fdopen(fd, "wb", buffering=0) as out:
                for chunk in hasher.chunks_hashed_aside():
                    _write_all(out, chunk)
                os.fsync(out.fileno())
            sha = hasher.finish()
            final = self.path(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists() and self.verify(sha):
                os.unlink(tmp_name)
            else:
                # New, or the stored copy was lost or altered: the true bytes take its place.
                if final.exists():
                    os.chmod(final, 0o640)
                os.chmod(tmp_name, 0o440)
                os.replace(tmp_name, final)
                _fsync_dir(final.parent)
        except BaseException as exc:
            if tmp_name and os.path.exists(tmp_name):
                os.unlink(tmp_name)
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise StorageError("存储空间不足，文件未保存。", exc.errno) from exc
            raise
        return sha

    def open(self, sha256: str, end: int | None = None):
        return open(self.path(sha256), "rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def delete(self, sha256: str) -> bool:
        path = self.path(sha256)
        try:
            os.unlink(path)
        except FileNotFoundError:
            return False
        _fsync_dir(path.parent)
        return True

    def reachable(self) -> bool:
        try:
            os.listdir(self.root)
        except FileNotFoundError:  # nothing stored yet: each file is simply missing
            return True
        except OSError:  # the disk or the mount failing (EIO, ESTALE, EACCES…)
            return False
        return True


def _write_all(out, data) -> None:
    """An unbuffered write may take part of the data (POSIX): write the rest."""
    view = memoryview(data)
    while view:
        view = view[out.write(view):]


def _fsync_dir(path: Path) -> None:
    """The rename itself made durable (POSIX: fsync the directory)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _S3Raw(io.RawIOBase):
    """A seekable reader of one S3 object: each (re)positioning opens a ranged GET from there."""

    def __init__(self, backend: "S3Backend", key: str, size: int, end: int | None = None):
        self.backend, self.key, self.size = backend, key, size
        self.end = size if end is None else min(end, size)
        self.pos, self.body = 0, None

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.pos

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        new = max(0, base + offset)
        if new != self.pos:
            self._drop()
            self.pos = new
        return self.pos

    def readinto(self, b):
        n = min(len(b), self.end - self.pos)
        if n <= 0:
            return 0
        with self.backend.errors("读取"):
            if self.body is None:
                resp = self.backend.client.get_object(Bucket=self.backend.bucket, Key=self.key,
                                                      Range=f"bytes={self.pos}-{self.end - 1}")
                self.body = resp["Body"]
            data = self.body.read(n)
        if not data:
            raise StorageError("存储服务返回的文件不完整。")
        b[:len(data)] = data
        self.pos += len(data)
        return len(data)

    def _drop(self):
        if self.body is not None:
            self.body.close()
            self.body = None

    def close(self):
        self._drop()
        super().close()


class S3Backend(Backend):
    """PREFIX blobs/ab/cd/<sha256> in one bucket; staging objects under PREFIX tmp/."""

    name = "s3"

    def __init__(self, url: str):
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        userinfo, _, bucket = parts.netloc.rpartition("@")
        if len(bucket) < 3:
            raise ImproperlyConfigured("LIUHEN_STORAGE_URL: the bucket name needs at least 3 characters")
        key, _, secret = userinfo.partition(":")
        self.bucket = bucket
        self.prefix = query.get("prefix", "")
        if self.prefix and not self.prefix.endswith("/"):
            self.prefix += "/"
        import boto3
        from botocore.config import Config

        self.client = boto3.client(
            "s3", endpoint_url=query.get("endpoint") or None, region_name=query.get("region") or "us-east-1",
            aws_access_key_id=unquote(key) or None, aws_secret_access_key=unquote(secret) or None,
            # the settings' attempts and waits (checked at start: liuhen.media.E001-E003)
            config=Config(retries={"total_max_attempts": settings.LIUHEN_S3_ATTEMPTS, "mode": "standard"},
                          connect_timeout=settings.LIUHEN_S3_CONNECT_TIMEOUT,
                          read_timeout=settings.LIUHEN_S3_READ_TIMEOUT, s3={"addressing_style": "path"}))

    def key(self, sha256: str) -> str:
        check_sha(sha256)
        return f"{self.prefix}blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def errors(self, doing: str):
        """botocore's failures as a StorageError (an OSError) with a Chinese message."""
        backend = self

        class _Ctx:
            def __enter__(self):
                return backend

            def __exit__(self, typ, exc, tb):
                from botocore.exceptions import BotoCoreError, ClientError

                if isinstance(exc, (BotoCoreError, ClientError)):
                    raise StorageError(f"对象存储{doing}失败（{exc}）。") from exc
                return False

        return _Ctx()

    def _head(self, key: str):
        from botocore.exceptions import ClientError

        try:
            with self.errors("读取"):
                return self.client.head_object(Bucket=self.bucket, Key=key)
        except StorageError as exc:
            cause = exc.__cause__
            if isinstance(cause, ClientError) and cause.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def put(self, hasher: _Hasher) -> str:
        if hasher.rewindable():
            return self._put_named(hasher)
        parts = hasher.parts(PART)
        first = next(parts, b"")
        if len(first) < PART:
            # The whole file fits in one part: its hash is known before anything is sent, and one
            # PUT makes the object appear whole or not at all.
            sha = hasher.finish()
            self._put_one(sha, first)
            return sha
        # A stream read once (a network upload): its name is known only at its end, so it goes to
        # a staging key and is copied server-side to its name.
        staging = f"{self.prefix}tmp/{uuid.uuid4().hex}"
        self._multipart(staging, _chain(first, parts))
        try:
            sha = hasher.finish()
            with self.errors("写入"):
                if not (self.exists(sha) and self.verify(sha)):
                    from boto3.s3.transfer import TransferConfig

                    self.client.copy({"Bucket": self.bucket, "Key": staging}, self.bucket, self.key(sha),
                                     Config=TransferConfig(multipart_threshold=COPY_IN_ONE_LIMIT,
                                                           multipart_chunksize=512 * 1024 * 1024))
        finally:
            # Best effort: with the service gone the staging object cannot be removed now; it never
            # has a final name, and an S3 lifecycle rule on PREFIX tmp/ removes what is left.
            try:
                self.client.delete_object(Bucket=self.bucket, Key=staging)
            except Exception:
                pass
        return sha

    def _put_named(self, hasher: _Hasher) -> str:
        """A rewindable source: hashed first (one local read), so that it goes straight to its
        final key — no staging copy, nothing sent when the object is already there and whole.
        A multipart upload is visible only once completed, and it is completed only when the
        bytes sent hash to the name (the source did not change between the two passes)."""
        sha = hasher.first_pass()
        with self.errors("写入"):
            if self.exists(sha) and self.verify(sha):
                return sha
        # UPLOAD_THREADS parts in flight at most, one more being read: that many buffers in turn.
        parts = hasher.filled_parts(PART, UPLOAD_THREADS + 1)
        first = next(parts, b"")
        if len(first) < PART:
            hasher.finish()  # the same bytes as the first pass
            self._put_one(sha, bytes(first))
        else:
            self._multipart(self.key(sha), _chain(first, parts), before_complete=hasher.finish)
        return sha

    def _put_one(self, sha: str, data: bytes) -> None:
        with self.errors("写入"):
            if not (self.exists(sha) and self.verify(sha)):
                # CRC32 of the body, checked by the service: a part damaged on the way is refused.
                self.client.put_object(Bucket=self.bucket, Key=self.key(sha), Body=data, ChecksumAlgorithm="CRC32")

    def _multipart(self, key: str, parts, before_complete=None) -> None:
        """A multipart upload of `parts` to `key`, UPLOAD_THREADS parts in flight while the next is
        read; completed (the object appears whole) only if `before_complete()` does not raise,
        aborted otherwise (best effort: with the service gone, a lifecycle rule that aborts
        incomplete uploads removes what is left)."""
        upload_id, completed = None, False
        try:
            with self.errors("写入"):
                upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=key,
                                                                ChecksumAlgorithm="CRC32")["UploadId"]
                with ThreadPoolExecutor(UPLOAD_THREADS, thread_name_prefix="liuhen-s3") as pool:
                    sending, done = collections.deque(), []
                    try:
                        for number, part in enumerate(parts, 1):
                            sending.append(pool.submit(self._upload_part, key, upload_id, number, part))
                            while len(sending) > UPLOAD_THREADS:  # UPLOAD_THREADS sent while the next is read
                                done.append(sending.popleft().result())
                        while sending:
                            done.append(sending.popleft().result())
                    finally:
                        for f in sending:
                            f.cancel()
                if before_complete is not None:
                    before_complete()
                self.client.complete_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                                      MultipartUpload={"Parts": done})
                completed = True
        finally:
            if upload_id and not completed:
                try:
                    self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
                except Exception:
                    pass

    def _upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> dict:
        resp = self.client.upload_part(Bucket=self.bucket, Key=key, PartNumber=number, UploadId=upload_id,
                                       Body=data, ChecksumAlgorithm="CRC32")
        part = {"ETag": resp["ETag"], "PartNumber": number}
        if resp.get("ChecksumCRC32"):
            part["ChecksumCRC32"] = resp["ChecksumCRC32"]
        return part

    def open(self, sha256: str, end: int | None = None):
        key = self.key(sha256)
        head = self._head(key)
        if head is None:
            raise FileNotFoundError(errno.ENOENT, "对象不存在", key)
        return io.BufferedReader(_S3Raw(self, key, head["ContentLength"], end), CHUNK)

    def exists(self, sha256: str) -> bool:
        return self._head(self.key(sha256)) is not None

    def delete(self, sha256: str) -> bool:
        key = self.key(sha256)
        there = self._head(key) is not None
        with self.errors("删除"):
            # S3's DELETE answers 204 whether or not the key existed: idempotent by itself.
            self.client.delete_object(Bucket=self.bucket, Key=key)
        return there

    def reachable(self) -> bool:
        try:
            with self.errors("读取"):
                self.client.head_bucket(Bucket=self.bucket)
        except StorageError:
            return False
        return True

    def size(self, sha256: str) -> int:
        head = self._head(self.key(sha256))
        if head is None:
            raise FileNotFoundError(errno.ENOENT, "对象不存在", self.key(sha256))
        return head["ContentLength"]


def _chain(first, rest):
    yield first
    yield from rest


_s3_backends: dict[tuple, S3Backend] = {}


def backend() -> Backend:
    """The backend LIUHEN_STORAGE_URL names (read at each call: tests switch it per test)."""
    url = getattr(settings, "LIUHEN_STORAGE_URL", "") or ""
    if not url:
        return LocalBackend(settings.LIUHEN_BLOB_DIR)
    scheme = urlsplit(url).scheme
    if scheme == "file":
        return LocalBackend(Path(unquote(urlsplit(url).path)))
    if scheme == "s3":
        cache_key = (url, os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY"),
                     settings.LIUHEN_S3_ATTEMPTS, settings.LIUHEN_S3_CONNECT_TIMEOUT, settings.LIUHEN_S3_READ_TIMEOUT)
        if cache_key not in _s3_backends:
            _s3_backends[cache_key] = S3Backend(url)
        return _s3_backends[cache_key]
    raise ImproperlyConfigured(f"LIUHEN_STORAGE_URL: unknown scheme {scheme!r} (file:// or s3://)")


def path_for(sha256: str) -> Path:
    """Where the local backend keeps these bytes (LIUHEN_BLOB_DIR; local backend and tests only)."""
    return LocalBackend(settings.LIUHEN_BLOB_DIR).path(sha256)


def put(fileobj, max_bytes: int | None = None) -> Blob:
    """Store the bytes read from `fileobj`; return its Blob (existing or new).

    ValidationError (Chinese) for an empty file or one over the limit; StorageError (an OSError)
    when the backend fails (disk full, service gone). Either way nothing is stored under a final
    name and no Blob row is made."""
    max_bytes = max_bytes or settings.LIUHEN_MAX_UPLOAD_BYTES
    hasher = _Hasher(fileobj, max_bytes)
    sha = backend().put(hasher)
    with transaction.atomic():
        blob = Blob.objects.filter(sha256=sha).first()
        if blob is None:
            blob = Blob.objects.create(sha256=sha, size=hasher.size)
    return blob


def open_blob(sha256: str):
    """A seekable binary reader of the stored bytes (FileNotFoundError when absent)."""
    return backend().open(sha256)


class CopyOutError(Exception):
    """A blob could not be copied out: `code` "blob_missing" (the store cannot read it), "copy_failed"
    (writing the copy failed: `reason`) or "blob_altered" (the bytes no longer hash to their name)."""

    def __init__(self, code: str, reason: str = ""):
        super().__init__(code, reason)
        self.code, self.reason = code, reason


def copy_out(sha256: str, target, size: int | None = None, *, sync: bool = True) -> int:
    """The stored bytes of `sha256` into the new file `target`, re-hashed on the way and synced to
    disk (`sync=False`: the caller syncs it later, with the other files it writes): their size. What a package (copies, archive) hands on is what the store vouches for — an
    altered blob, or one of another `size`, raises CopyOutError and the half-written copy is the
    caller's to discard with its staging directory."""
    b = backend()
    try:
        src = b.open(sha256)
    except OSError:
        raise CopyOutError("blob_missing") from None
    try:
        with src, open(target, "xb") as out:
            if isinstance(b, LocalBackend):
                digest, n = _copy_local(src, out)
            else:
                digest, n = _copy_streamed(src, out)
            out.flush()
            if sync:
                os.fsync(out.fileno())
    except OSError as exc:
        raise CopyOutError("copy_failed", str(exc)) from None
    if digest != sha256 or (size is not None and n != size):
        raise CopyOutError("blob_altered")
    return n


def _copy_streamed(src, out) -> tuple[str, int]:
    h, n = hashlib.sha256(), 0
    while chunk := src.read(CHUNK):
        h.update(chunk)
        out.write(chunk)
        n += len(chunk)
    return h.hexdigest(), n


def _hash_fd(fd: int) -> tuple[str, int]:
    """The SHA-256 and size of the open file `fd`, read with pread (its offset left to the copy)."""
    h, n = hashlib.sha256(), 0
    while chunk := os.pread(fd, 4 * CHUNK, n):
        h.update(chunk)
        n += len(chunk)
    return h.hexdigest(), n


WRITEBACK_SLICE = 32 * CHUNK


def _libc_sync_file_range():
    try:
        import ctypes

        fn = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):  # not Linux (glibc/musl): the caller's fsync does it all
        return None
    fn.argtypes = (ctypes.c_int, ctypes.c_longlong, ctypes.c_longlong, ctypes.c_uint)
    return fn


_sync_file_range = _libc_sync_file_range()
SYNC_FILE_RANGE_WRITE = 2  # <fcntl.h>: start writeback of the range's dirty pages, do not wait


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing [offset, offset+length) of `fd` to the disk now (Linux
    sync_file_range with SYNC_FILE_RANGE_WRITE: no wait, no durability promise — the fsync that
    follows gives that, sooner because less is left to write). Elsewhere a no-op."""
    if _sync_file_range is not None:
        _sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE)


def _copy_local(src, out) -> tuple[str, int]:
    """A blob on the local disk: the kernel copies the file (copy_file_range: no pass through Python)
    while a second thread hashes the same open file (hashlib lets go of the GIL) — on two cores the time
    of the slower of the two, not their sum (a 2 GB case file: seconds). One file descriptor for both:
    the bytes hashed are those of the file copied, whatever happens to its path meanwhile."""
    with ThreadPoolExecutor(1) as pool:
        hashed = pool.submit(_hash_fd, src.fileno())
        total = os.fstat(src.fileno()).st_size
        done = 0
        try:
            # In slices, each handed to the disk as soon as it is copied (start_writeback): the copy's
            # writes overlap its reads instead of all waiting for the caller's fsync.
            while done < total and (k := os.copy_file_range(src.fileno(), out.fileno(),
                                                            min(WRITEBACK_SLICE, total - done))):
                start_writeback(out.fileno(), done, k)
                done += k
        except OSError:  # a kernel or file system without it: the same bytes through user space
            out.seek(done)
            src.seek(done)
            shutil.copyfileobj(src, out, CHUNK)
        return hashed.result()


def open_range(sha256: str, start: int, end: int | None = None):
    """A seekable binary reader of bytes [start, end) (end exclusive; None: to the end)."""
    b = backend()
    total = b.size(sha256)
    end = total if end is None else min(end, total)
    if start < 0 or start > end:
        raise ValueError(f"bad range {start}-{end} of {total} bytes")
    return io.BufferedReader(_Slice(b.open(sha256, end=end), start, end), CHUNK)


def exists(sha256: str) -> bool:
    return backend().exists(sha256)


def size(sha256: str) -> int:
    return backend().size(sha256)


def verify(sha256: str) -> bool:
    """True when the stored bytes still hash to their name (re-read whole, streamed)."""
    return backend().verify(sha256)


def delete(sha256: str) -> bool:
    """Delete the stored bytes of `sha256` (True if they were there; bytes already gone are no
    error). Only a purge calls this, AFTER its BlobPurge row and `media.purge` event are committed
    (media/purge.py): the bytes never go without their trace. The Blob row stays."""
    return backend().delete(check_sha(sha256))


def reachable() -> bool:
    """Whether the store answers at all: tells a store that is down (S3 service stopped, the disk
    failing) from one file that cannot be read."""
    return backend().reachable()
