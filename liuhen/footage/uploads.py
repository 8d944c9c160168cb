"""断点续传 — footage sent over HTTP in pieces, by a docking station (采集站) or a browser, into the
one ingest pipeline (services.ingest_file): the same attribution, flags and confirmation as
`liuhen ingest`.

An upload is declared before its first byte (name and path as on the camera, size, SHA-256, device,
the device's clock); its bytes then come in chunks, each at the offset the server has reached
(tus-like: a chunk at another offset is refused with the right one, so an interrupted upload resumes
without re-sending what arrived). The bytes wait in a staging folder under LIUHEN_HOME — never
visible as footage — streamed to disk, never whole in memory. When all are in, the file is hashed:
if it does not hash to the declared SHA-256 it is discarded and nothing is stored (the dock keeps
its copy); otherwise it is taken into custody, and the stored copy read back and re-hashed
(`confirmed`: only then may a dock wipe the camera, LQ 29: footage may not be lost).

A storage failure at that moment (disk full, the S3 service down) keeps the staged bytes: the
upload is completed later by asking again. An upload left unfinished longer than
LIUHEN_UPLOAD_EXPIRE_HOURS is cleared (`expire_stale`); one sender holds at most
LIUHEN_UPLOAD_MAX_OPEN unfinished uploads (429 beyond). An upload ends once: its end is recorded
under the staged file's lock. A sidecar pairs with its video only within the same ingest batch, as
in `liuhen ingest`. Every refused request is in the ledger (footage.upload_refused: its code and
status, never its text)."""
import datetime
import errno
import fcntl
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.common import text
from liuhen.devices import selectors as devices
from liuhen.ledger import services as ledger
from liuhen.media import store

from . import services
from . import vocabulary as v
from .models import FootageItem, Ingest, Upload, UploadEnd

PIECE = 1024 * 1024  # what one read of a request body or of a staged file holds
ENDED_OK = ("new", "duplicate")
NAME_MAX = 255  # bytes of one file or folder name on the file systems we stage on (ext4, xfs, NTFS…)


def chunk_max_bytes() -> int:
    """The largest chunk one request may carry (LIUHEN_UPLOAD_CHUNK_MAX_BYTES, default 8 MiB)."""
    return int(getattr(settings, "LIUHEN_UPLOAD_CHUNK_MAX_BYTES", 8 * 1024 * 1024))


def expire_after() -> datetime.timedelta:
    """How long an upload may rest unfinished (LIUHEN_UPLOAD_EXPIRE_HOURS, default 24)."""
    return datetime.timedelta(hours=float(getattr(settings, "LIUHEN_UPLOAD_EXPIRE_HOURS", 24)))


def max_open() -> int:
    """How many unfinished uploads one sender may hold at once (LIUHEN_UPLOAD_MAX_OPEN, default 50):
    each holds a staging folder and its bytes until it ends or expires."""
    return int(getattr(settings, "LIUHEN_UPLOAD_MAX_OPEN", 50))


def confirm_max() -> int:
    """How many SHA-256 one confirmation may ask about (each stored one is read back and re-hashed)."""
    return int(getattr(settings, "LIUHEN_CONFIRM_MAX", 100))


def staging_root() -> Path:
    """Where partial uploads wait (LIUHEN_UPLOAD_DIR, default LIUHEN_HOME/uploads): not the store."""
    return Path(getattr(settings, "LIUHEN_UPLOAD_DIR", "") or Path(settings.LIUHEN_HOME) / "uploads")


class UploadError(Exception):
    """A refused request: its HTTP status, Chinese message and stable code (and e.g. the offset)."""

    def __init__(self, status: int, message: str, code: str, **extra):
        super().__init__(message)
        self.status, self.message, self.code, self.extra = status, message, code, extra


@dataclass
class Sender:
    """Who sends: a docking station (by its token: acting for itself, the system in the ledger with
    the station named) or a person logged in with the browser."""

    station: object = None
    user: object = None

    @property
    def agency_id(self):
        return self.station.agency_id if self.station is not None else self.user.agency_id

    def owns(self, upload: Upload) -> bool:
        if self.station is not None:
            return upload.station_id == self.station.pk
        return upload.station_id is None and upload.uploaded_by_id == self.user.pk

    def detail(self) -> dict:
        return {"station": self.station.pk} if self.station is not None else {}


def refuse(sender: Sender, status: int, code: str, message: str, upload: Upload | None = None,
           **extra) -> UploadError:
    """The refusal, in the ledger (its own transaction), as the error to raise."""
    if upload is not None:
        object_type, object_id = Upload.ledger_object_type, upload.pk
    else:
        object_type, object_id = v.HOLDING, sender.agency_id or ""
    with transaction.atomic():
        ledger.append(v.UPLOAD_REFUSED, actor=sender.user, object_type=object_type, object_id=object_id,
                      detail={"codes": [code], "status": status, **sender.detail()})
    return UploadError(status, message, code, **extra)


# ---- declaring an upload ---------------------------------------------------------------------------

def clean_path(rel: str) -> tuple[str, str]:
    """(name, relative path) of a declared file, or the Chinese reason it is refused: a path that
    climbs out (`../`, an absolute path, a backslash path), a NUL, control characters."""
    rel = (rel or "").strip()
    if not rel or rel.startswith(("/", "\\")) or "\x00" in rel or (len(rel) > 1 and rel[1] == ":"):
        raise ValidationError("文件名无效（绝对路径、空名或含空字符），拒收。", code="path")
    posix = rel.replace("\\", "/")
    parts = posix.split("/")
    if any(p in ("..", ".") for p in parts) or any(p == "" for p in parts):
        raise ValidationError("文件名含“../”或空的目录名，指向导入目录之外，拒收。", code="path")
    name = PurePosixPath(posix).name
    text.clean(name, "文件名", max_length=255)
    text.clean(posix, "路径", max_length=Upload._meta.get_field("relative_path").max_length)
    # Each part becomes a folder or file name in staging (and in `liuhen ingest`'s tree): a file
    # system takes at most 255 bytes per name (NAME_MAX), whatever the characters — a longer one
    # would fail only at the end (ENAMETOOLONG), the upload stuck on a 500. Refused here, at once.
    for part in parts:
        if len(part.encode("utf-8", "surrogatepass")) > NAME_MAX:
            raise ValidationError(f"路径中的目录名或文件名过长（每段不超过 {NAME_MAX} 字节，"
                                  f"一个汉字占 3 字节），拒收。", code="name_too_long")
    return name, posix


def create(sender: Sender, *, name: str, size: int, sha256: str, device: str, relative_path: str = "",
           device_time: datetime.datetime | None = None, ingest: int | None = None) -> tuple[Upload, bool]:
    """Declare an upload; (upload, True). The same file declared again by the same sender while
    its upload is unfinished gives that upload back (False): a dock that lost the id resumes."""
    expire_stale()
    try:
        base, rel = clean_path(relative_path or name)
        if name and PurePosixPath(name.replace("\\", "/")).name != base:
            raise ValidationError("文件名与路径的最后一段不一致。", code="name_path")
    except ValidationError as exc:
        raise refuse(sender, 400, exc.error_list[0].code or "path", "；".join(exc.messages)) from None
    limit = services.footage_max_bytes()
    if not isinstance(size, int) or size <= 0:
        raise refuse(sender, 400, "empty", "文件为空或大小无效，拒收。")
    if size > limit:
        raise refuse(sender, 413, "too_large", f"文件超过大小上限（{limit // (1024 * 1024)} MB），拒收。")
    sha = (sha256 or "").strip().lower()
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise refuse(sender, 400, "sha256", "SHA-256 应为 64 位十六进制数字。")
    dev = devices.device_by_number(sender.agency_id, device)
    if dev is None:  # another agency's device is not found either: ids of others are not told
        raise refuse(sender, 404, "unknown_device",
                     f"设备编号“{(device or '').strip()[:40]}”未登记；请先由设备管理员登记该设备。")
    if sender.user is not None:
        try:
            services.may_ingest(sender.user, dev)
        except PermissionDenied as exc:
            raise refuse(sender, 403, "forbidden", str(exc)) from None
    open_ = Upload.objects.filter(end__isnull=True)
    open_ = open_.filter(station=sender.station) if sender.station is not None else open_.filter(
        station__isnull=True, uploaded_by=sender.user)
    existing = open_.filter(device=dev, relative_path=rel, size=size, sha256=sha).order_by("-created_at").first()
    if existing is not None and staging_dir(existing).joinpath("data").exists():
        return existing, False
    if open_.count() >= max_open():  # each holds staged bytes: one sender cannot fill the disk with starts
        raise refuse(sender, 429, "too_many_open",
                     f"未完成的上传过多（最多 {max_open()} 个）；请先完成或等待已开始的上传过期后再上传。")
    run = None
    if ingest is not None:
        run = Ingest.objects.filter(pk=ingest, device=dev).first()
        if run is not None and sender.station is not None:
            run = run if run.uploads.filter(station=sender.station).exists() else None
        elif run is not None:
            run = run if run.ingested_by_id == sender.user.pk else None
        if run is None:
            raise refuse(sender, 400, "ingest", "导入批次无效（不存在、属于其他设备或其他上传人）。")
    else:  # the device clock against ours now, when the device reported it
        run = services.start_ingest(sender.user, dev, device_time=device_time,
                                    source="dock" if sender.station is not None else "web")
    with transaction.atomic():
        upload = Upload(agency_id=dev.agency_id, ingest=run, device=dev, station=sender.station,
                        uploaded_by=sender.user, name=base, relative_path=rel, size=size, sha256=sha)
        upload.save()
        ledger.append(v.UPLOAD, actor=sender.user, object_type=Upload.ledger_object_type, object_id=upload.pk,
                      content_sha256=upload.ledger_digest(),
                      detail={"device": dev.pk, "ingest": run.pk, "size": size, "sha256": sha, **sender.detail()})
    folder = staging_dir(upload)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").touch()
    return upload, True


def still_may_ingest(sender: Sender, upload: Upload) -> None:
    """A person who may no longer ingest (a role withdrawn, the account disabled, moved to another
    agency) since the upload was declared sends no more of it, nor completes it: 403."""
    if sender.user is None:
        return
    try:
        services.may_ingest(sender.user, upload.device)
    except PermissionDenied as exc:
        raise refuse(sender, 403, "forbidden", str(exc), upload) from None


def may_confirm(sender: Sender) -> None:
    """A confirmation is for those who may upload: a docking station, the 设备管理员 or an officer
    (footage.services.may_ingest). Whether a file is in custody is not for the 系统管理员 (三员:
    no case content) nor any colleague to learn; refused with 403, recorded."""
    user = sender.user
    if sender.station is not None:
        return
    if user is None or not user.is_active or not (user.has_role(Role.DEVICE_ADMIN) or user.has_role(Role.OFFICER)):
        raise refuse(sender, 403, "forbidden", "只有设备管理员或执法人员（或采集站）可以核验音像记录是否已存储。")


def staging_dir(upload: Upload) -> Path:
    return staging_root() / upload.key


def find(sender: Sender, key: str) -> Upload:
    """The sender's own upload by its key; anyone else's (or none) is 404, and the try is logged."""
    key = str(key)
    # The exact key only: a key with something after it (or before it) is no upload's address.
    upload = (Upload.objects.filter(key=key).select_related("end", "device").first()
              if len(key) == 32 and key.isascii() and key.isalnum() else None)
    if upload is None or upload.agency_id != sender.agency_id or not sender.owns(upload):
        raise refuse(sender, 404, "not_found", "没有这个上传。", upload=upload)
    return upload


def ended(upload: Upload) -> UploadEnd | None:
    try:
        return upload.end
    except UploadEnd.DoesNotExist:
        return None


def received(upload: Upload) -> int:
    """How many bytes have arrived: the staged file's length (all of them once it ended well)."""
    end = ended(upload)
    if end is not None:
        return upload.size if end.status in ENDED_OK or end.status == "rejected" else 0
    try:
        return (staging_dir(upload) / "data").stat().st_size
    except FileNotFoundError:
        return 0


# ---- chunks -----------------------------------------------------------------------------------

class _Ended(Exception):
    """The upload ended (in another request) before this one could lock its staged bytes."""


class _Locked:
    """The staged file, locked for one writer (a second request at once is told to wait)."""

    def __init__(self, sender, upload):
        self.sender, self.upload = sender, upload

    def __enter__(self):
        path = staging_dir(self.upload) / "data"
        try:
            self.f = open(path, "r+b")
        except FileNotFoundError:
            if _recorded_end(self.upload) is not None:
                raise _Ended() from None  # its bytes went with its end: the caller says what it was
            raise refuse(self.sender, 410, "gone", "上传的暂存内容已不存在，请重新开始上传。", self.upload) from None
        try:
            fcntl.flock(self.f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.f.close()
            raise refuse(self.sender, 409, "busy", "该文件正由另一请求上传，请稍后从服务器的偏移量继续。",
                         self.upload, offset=received(self.upload)) from None
        return self.f

    def __exit__(self, *exc):
        self.f.close()  # releases the lock
        return False


def write_chunk(sender: Sender, upload: Upload, offset, length, body) -> int:
    """Append the request body (`length` bytes read from `body`, a file-like) at `offset`: the
    offset the server reached, or 409 with the right one. Returns the new offset."""
    still_may_ingest(sender, upload)
    if ended(upload) is not None:
        raise refuse(sender, 409, "ended", "该上传已结束。", upload, offset=received(upload))
    try:
        offset = int(offset)
    except (TypeError, ValueError):
        raise refuse(sender, 400, "offset", "缺少或无效的 Upload-Offset（应为非负整数）。", upload) from None
    if length is None:
        raise refuse(sender, 411, "length", "上传请求缺少长度信息（Content-Length）。", upload)
    limit = chunk_max_bytes()
    if length > limit:
        raise refuse(sender, 413, "chunk_too_large", f"单次上传的分块不能超过 {limit // (1024 * 1024) or 1} MB。",
                     upload)
    try:
        with _Locked(sender, upload) as f:
            if _recorded_end(upload) is not None:  # ended by another request since it was read
                raise _Ended()
            return _write_locked(sender, upload, f, offset, length, body)
    except _Ended:
        raise refuse(sender, 409, "ended", "该上传已结束。", upload, offset=received(upload)) from None


def _write_locked(sender: Sender, upload: Upload, f, offset: int, length: int, body) -> int:
    at = os.fstat(f.fileno()).st_size
    if offset != at:
        raise refuse(sender, 409, "offset_mismatch", f"偏移量不符：服务器已收到 {at} 字节，请从该处继续。",
                     upload, offset=at)
    if at + length > upload.size:
        raise refuse(sender, 400, "too_long", "分块超出了声明的文件大小。", upload, offset=at)
    f.seek(at)
    left = length
    try:
        while left > 0:
            piece = body.read(min(PIECE, left))
            if not piece:
                break  # the client went away: what came is kept, the offset says how much
            f.write(piece)
            left -= len(piece)
        f.flush()
        os.fsync(f.fileno())
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            f.truncate(at)  # the chunk is not half kept: the client re-sends it from `at`
            raise refuse(sender, 507, "staging_full", "服务器暂存空间不足，已收到的内容保留，请稍后继续上传。",
                         upload, offset=at) from None
        raise
    return os.fstat(f.fileno()).st_size


# ---- the end of an upload ---------------------------------------------------------------------------

def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for piece in iter(lambda: f.read(PIECE), b""):
            digest.update(piece)
    return digest.hexdigest()


def _video_for(upload: Upload) -> FootageItem | None:
    """The video a sidecar (.NMEA, Info.dat…) was beside on the camera: uploaded in the same
    ingest batch (导入批次 — the `ingest` the client groups a card's files by), from the same folder
    with the same base name. Only within the batch, as `liuhen ingest` pairs within one run: a
    camera numbers its files anew after a wipe, so yesterday's VID_0001 is not today's, and a
    batch is its sender's own (uploads.create) — no one binds a file to a colleague's video.
    None: the pipeline refuses the sidecar as an orphan, with the CLI's reason."""
    folder, _, name = upload.relative_path.rpartition("/")
    stem = services.sidecar_stem(name).lower()
    prefix = f"{folder}/" if folder else ""
    for item in (FootageItem.objects.filter(ingest=upload.ingest_id, device=upload.device, video__isnull=True,
                                            relative_path__istartswith=prefix + stem)
                 .exclude(kind=services.KIND_SIDECAR).order_by("-pk")[:20]):
        f2, _, n2 = item.relative_path.rpartition("/")
        if f2 == folder and n2.rsplit(".", 1)[0].lower() == stem:
            return item
    return None


def _end(upload: Upload, status: str, *, sha256: str = "", reason: str = "", item=None,
         confirmed: bool = False) -> UploadEnd:
    try:
        with transaction.atomic():
            end = UploadEnd(upload=upload, status=status, sha256=sha256, reason=reason[:500], item=item,
                            confirmed=confirmed)
            end.save()
            ledger.append(v.UPLOAD_END, actor=upload.uploaded_by, object_type=UploadEnd.ledger_object_type,
                          object_id=end.pk, content_sha256=end.ledger_digest(),
                          blobs=[sha256] if item is not None else [],
                          detail={"upload": upload.pk, "status": status, "item": getattr(item, "pk", None),
                                  "confirmed": confirmed})
    except IntegrityError:  # ended meanwhile by another request
        end = UploadEnd.objects.get(upload=upload)
    upload.end = end
    return end


def _discard(upload: Upload) -> None:
    shutil.rmtree(staging_dir(upload), ignore_errors=True)


def _recorded_end(upload: Upload) -> UploadEnd | None:
    """The upload's end as the database has it now (another request may have recorded it since
    `upload` was read)."""
    end = UploadEnd.objects.filter(upload=upload.pk).first()
    if end is not None:
        upload.end = end
    return end


def complete(sender: Sender, upload: Upload) -> UploadEnd:
    """All bytes in: hash, compare with the declared SHA-256, then the ingest pipeline. A storage
    failure (507) keeps the staged bytes; asking again completes the upload.

    Completion is single: the staged file's lock is held from the hash to the recorded end, and the
    end is read again once the lock is ours. A second request meanwhile (a dock's retry) is told
    to wait (409 busy), or — after the first ended — gets the first one's end: it never ingests the
    file again nor records it as a "duplicate" of itself. UploadEnd.upload is unique besides: were
    two ends written at once, the loser reads the winner's."""
    end = ended(upload) or _recorded_end(upload)
    if end is not None:
        return end
    still_may_ingest(sender, upload)
    try:
        with _Locked(sender, upload) as f:
            end = _recorded_end(upload)  # ended by another request since `upload` was read
            if end is not None:
                return end
            end = _complete_locked(sender, upload, f)
    except _Ended:  # its staged bytes went with its end
        return upload.end
    _discard(upload)
    return end


def _complete_locked(sender: Sender, upload: Upload, f) -> UploadEnd:
    at = os.fstat(f.fileno()).st_size
    if at != upload.size:
        raise refuse(sender, 409, "incomplete", f"文件尚未传完：已收到 {at} / {upload.size} 字节。", upload,
                     offset=at)
    folder = staging_dir(upload)
    actual = _hash(folder / "data")
    if actual != upload.sha256:
        return _end(upload, "mismatch", sha256=actual,
                    reason="收到的内容与声明的 SHA-256 不符，已丢弃，未存储；请重新上传。")
    tree = folder / "tree"
    shutil.rmtree(tree, ignore_errors=True)
    target = tree / upload.relative_path
    target.parent.mkdir(parents=True, exist_ok=True)
    os.link(folder / "data", target)  # the file under its camera path, for the pipeline
    video = _video_for(upload) if services.is_sidecar(upload.name) else None
    try:
        result = services.ingest_file(upload.ingest, tree, upload.relative_path, video=video)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    if result.status == "rejected" and result.code == "storage":
        raise refuse(sender, 507, "storage",
                     f"{result.reason.removeprefix('存储失败：')} 已收到的内容保留在服务器，稍后可继续完成上传。",
                     upload, offset=at)
    # Recorded while the lock is held: no other request can complete the upload in between.
    return _end(upload, result.status, sha256=result.sha256 or actual, reason=result.reason, item=result.item,
                confirmed=result.confirmed)


def expire_stale(now: datetime.datetime | None = None) -> int:
    """Clear the uploads left unfinished longer than LIUHEN_UPLOAD_EXPIRE_HOURS since their last
    byte (or their start): the staged bytes removed, an end `expired` logged. Returns how many."""
    now = now or timezone.now()
    cutoff = now - expire_after()
    n = 0
    for upload in Upload.objects.filter(end__isnull=True, created_at__lt=cutoff).order_by("pk")[:500]:
        try:
            f = open(staging_dir(upload) / "data", "r+b")
        except FileNotFoundError:
            f = None
        try:
            if f is not None:
                try:  # a request at work on it (a late chunk, its completion) keeps it: not expired now
                    fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
            last = (datetime.datetime.fromtimestamp(os.fstat(f.fileno()).st_mtime, tz=datetime.timezone.utc)
                    if f is not None else upload.created_at)
            if max(last, upload.created_at) >= cutoff or _recorded_end(upload) is not None:
                continue
            # The end recorded under the lock, as complete() does; then the bytes removed.
            _end(upload, "expired", reason=f"上传超过 {expire_after().total_seconds() / 3600:g} 小时未完成，"
                                           "已清除收到的部分；请重新上传。")
        finally:
            if f is not None:
                f.close()
        _discard(upload)
        n += 1
    return n


# ---- confirmation --------------------------------------------------------------------------------

def confirm(sender: Sender, shas: list[str]) -> list[dict]:
    """For each SHA-256: is it footage of the sender's agency, and does its stored copy still read
    back and hash to it? A dock wipes a camera's file only on `confirmed: true`.

    Only for those who may upload (may_confirm), at most confirm_max() per call (each stored file
    is read back whole): more → 400, recorded. A SHA-256 asked twice is read back once."""
    may_confirm(sender)
    if len(shas) > confirm_max():
        raise refuse(sender, 400, "too_many", f"一次最多核验 {confirm_max()} 个文件，请分批核验。")
    out, seen = [], {}
    for raw in shas:
        sha = (raw or "").strip().lower() if isinstance(raw, str) else ""
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            out.append({"sha256": str(raw)[:64], "stored": False, "confirmed": False,
                        "reason": "SHA-256 应为 64 位十六进制数字。"})
            continue
        if sha in seen:
            out.append(dict(seen[sha]))
            continue
        # Only footage of the caller's own agency is read back: another's is "not stored" to it.
        stored = FootageItem.objects.filter(agency_id=sender.agency_id, blob_id=sha).exists()
        confirmed, reason = False, ""
        if not stored:
            reason = "未存储。"
        else:
            try:
                confirmed = store.verify(sha)
            except OSError as exc:
                reason = f"存储暂不可读：{exc}"
            else:
                reason = "" if confirmed else "存储的文件与 SHA-256 不符或已丢失。"
        seen[sha] = {"sha256": sha, "stored": stored, "confirmed": confirmed, "reason": reason}
        out.append(dict(seen[sha]))
    with transaction.atomic():
        ledger.append(v.CONFIRM, actor=sender.user, object_type=v.HOLDING, object_id=sender.agency_id or "",
                      detail={"count": len(out), "confirmed": sum(1 for r in out if r["confirmed"]),
                              **sender.detail()})
    return out


def state(upload: Upload) -> dict:
    """What the API says of an upload: its declaration, how far it got, and its end (the same per-file
    result as `liuhen ingest --json`, with `confirmed`)."""
    end = ended(upload)
    return {
        "id": upload.key, "name": upload.name, "relative_path": upload.relative_path, "size": upload.size,
        "offset": received(upload), "device": upload.device.number, "ingest": upload.ingest_id,
        "state": "ended" if end is not None else "uploading",
        "status": end.status if end is not None else "",
        "sha256": end.sha256 if end is not None and end.sha256 else upload.sha256,
        "reason": end.reason if end is not None else "",
        "confirmed": end.confirmed if end is not None else False,
        "item": end.item_id if end is not None else None,
    }
