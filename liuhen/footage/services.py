"""Writes of the footage app (音像记录): ingest a recorder's files into custody, link them to a
case, unlink, mark 重点文件 — each row in one transaction with its ledger entry. Every refused act
of a person is in the ledger too (footage.denied, footage.rejected).

Ingest (issue 13 §3-§5): each file is streamed into the store (hashed while it passes, never whole
in memory), probed with ffprobe, and attributed to the officer who held the device at the recording
time (LQ 27, LW-D 4 "谁使用、谁保管、谁负责"). Where the register, the file's name and its metadata
disagree, or nobody held the device, the item is kept and flagged — never silently assigned. A
file is confirmed (the dock may wipe the camera) only after its stored copy was read back and
re-hashed."""
import datetime
import os
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.accounts.services import require_valid_certificate
from liuhen.cases import access
from liuhen.cases.models import Stage
from liuhen.common import text
from liuhen.devices import selectors as devices
from liuhen.devices import services as device_services
from liuhen.devices.models import ClockFlag, Device
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.media import names, probe, store

from . import vocabulary as v
from .models import FootageItem, FootageLink, FootageMark, FootageUnlink, Ingest

# Files a camera writes beside a video with the same base name: GPS tracks and its own notes.
SIDECAR_SUFFIXES = frozenset({".nmea", ".gps", ".txt"})
SIDECAR_INFO = "info.dat"
KIND_SIDECAR = "sidecar"


def footage_max_bytes() -> int:
    """The largest file an ingest accepts (LIUHEN_FOOTAGE_MAX_BYTES; a body camera's file is a few GB)."""
    return int(getattr(settings, "LIUHEN_FOOTAGE_MAX_BYTES", 64 * 1024**3))


def agency_zone() -> datetime.tzinfo:
    """The zone a camera's wall clock is read in: the agency's (TIME_ZONE)."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# ---- refusals ------------------------------------------------------------------------------------

def _refused(actor, act: str, exc: Exception, object_type: str = "", object_id="") -> None:
    """A person's refused act, in the ledger (ledger.refusals.record_refused_act); an act on no
    item names the agency's holding area."""
    if actor is not None:
        refusals.record_refused_act(actor, v.DENIED, act, exc, object_type or v.HOLDING,
                                    object_id or (actor.agency_id or ""))


# ---- ingest --------------------------------------------------------------------------------------

@dataclass
class FileResult:
    """One file's outcome in an ingest's report."""

    name: str  # the path relative to the ingested folder, as given
    status: str  # new / duplicate / rejected
    sha256: str = ""
    reason: str = ""  # Chinese, for a rejected file
    size: int | None = None
    confirmed: bool = False  # the stored copy was read back and re-hashed
    code: str = ""  # a rejected file's stable code (path, not_media, storage…): the upload API's status
    item: FootageItem | None = field(default=None, repr=False)

    def as_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "sha256": self.sha256, "reason": self.reason}


def may_ingest(actor, device: Device) -> None:
    """The system (scripts, a dock acting for itself), the 设备管理员, or an officer of the device's
    agency (their own camera at the end of a shift)."""
    if actor is None:
        return
    if not actor.is_active or actor.agency_id != device.agency_id:
        raise PermissionDenied("不能导入其他执法机关设备的音像记录。")
    if not (actor.has_role(Role.DEVICE_ADMIN) or actor.has_role(Role.OFFICER)):
        raise PermissionDenied("只有设备管理员或执法人员可以导入音像记录。")


def resolve_device(actor, agency, number: str) -> Device:
    """The registered device by its number; an unknown one refuses the whole ingest."""
    device = devices.device_by_number(agency.pk, number)
    if device is None:
        exc = ValidationError(f"设备编号“{(number or '').strip()}”未登记，整批文件未导入；请先由设备管理员登记该设备。",
                              code="unknown_device")
        _refused(actor, "ingest", exc)
        raise exc
    try:
        may_ingest(actor, device)
    except PermissionDenied as exc:
        _refused(actor, "ingest", exc, Device.ledger_object_type, device.pk)
        raise
    return device


def _clock(device_time, now) -> dict:
    """The device clock against the server's at the ingest (SPEC §3), as the devices app measures it
    at sign-out and return."""
    limit = device_services.drift_limit_ms()
    if device_time is None:
        return {"device_time": None, "clock_drift_ms": None, "drift_limit_ms": limit,
                "clock_flag": ClockFlag.NOT_CHECKED}
    if timezone.is_naive(device_time):
        device_time = timezone.make_aware(device_time)
    delta = device_time - now
    drift = int(round(delta.total_seconds() * 1000))
    if device_time < device_services.CLOCK_EPOCH or abs(delta) > device_services.CLOCK_NEVER_SET_AFTER:
        flag = ClockFlag.NEVER_SET
    elif abs(drift) > limit:
        flag = ClockFlag.DRIFT
    else:
        flag = ClockFlag.OK
    return {"device_time": device_time, "clock_drift_ms": drift, "drift_limit_ms": limit, "clock_flag": flag}


def start_ingest(actor, device: Device, *, device_time: datetime.datetime | None = None, source: str = "cli") -> Ingest:
    """Open an ingest run for `device`: who, when, and the device clock's drift, in the ledger."""
    may_ingest(actor, device)
    with transaction.atomic():
        row = Ingest(agency_id=device.agency_id, device=device, ingested_by=actor, source=source,
                     **_clock(device_time, timezone.now()))
        row.save()
        ledger.append(v.INGEST, actor=actor, object_type=Ingest.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"device": device.pk, "number": device.number, "source": source,
                              "clock_drift_ms": row.clock_drift_ms, "clock_flag": row.clock_flag})
    return row


def is_sidecar(name: str) -> bool:
    lower = name.lower()
    return PurePosixPath(lower).suffix in SIDECAR_SUFFIXES or lower.endswith(SIDECAR_INFO)


def sidecar_stem(name: str) -> str:
    """The base name a sidecar shares with its video: VID_0001.NMEA, VID_0001Info.dat → VID_0001."""
    lower = name.lower()
    if lower.endswith(SIDECAR_INFO):
        return name[: -len(SIDECAR_INFO)].rstrip("_-. ")
    return name.rsplit(".", 1)[0]


def safe_path(root: Path, rel: str) -> tuple[Path | None, str]:
    """The file `rel` names under `root`, or None and the Chinese reason it is refused: a name that
    climbs out (`../`, an absolute path, a backslash path from another system) or a symbolic link
    leading outside the folder."""
    if not rel or rel.startswith(("/", "\\")) or "\x00" in rel:
        return None, "文件名无效（绝对路径或空名），拒收。"
    parts = rel.replace("\\", "/").split("/")
    if any(p == ".." for p in parts):
        return None, "文件名含“../”，指向导入目录之外，拒收。"
    root_real = Path(os.path.realpath(root))
    real = Path(os.path.realpath(root / rel))
    if not real.is_relative_to(root_real):
        return None, "文件经符号链接指向导入目录之外，拒收。"
    if not real.is_file():
        return None, "不是普通文件，拒收。"
    return real, ""


def _recording_time(facts, parsed) -> tuple[datetime.datetime | None, str]:
    """The file's own creation time unless the camera's clock was never set; else the name's."""
    if facts is not None and facts.creation_time is not None and "clock_never_set" not in facts.flags:
        return facts.creation_time, "metadata"
    if parsed is not None and parsed.start_local is not None:
        return parsed.start_local.replace(tzinfo=agency_zone()), "name"
    return None, ""


def _officer_number(officer, when) -> str:
    cert = officer.certificate_on(timezone.localdate(when)) if when is not None else None
    return cert.number if cert is not None else ""


def _attribute(ingest: Ingest, name: str, facts, video: FootageItem | None) -> dict:
    """Who, when, and what disagrees — for a new item's columns."""
    if video is not None:  # a sidecar belongs where its video does
        return {"recorded_utc": video.recorded_utc, "recorded_local": video.recorded_local,
                "utc_offset_minutes": video.utc_offset_minutes, "time_source": video.time_source,
                "officer": video.officer, "discrepancies": [], "flags": list(video.flags)}
    device, actor = ingest.device, ingest.ingested_by
    parsed = names.parse_name(name)
    when, source = _recording_time(facts, parsed)
    flags, local, offset = [], "", None
    if facts is not None and "clock_never_set" in facts.flags:
        flags.append(v.FLAG_CLOCK_NEVER_SET)
    if ingest.clock_flag == ClockFlag.DRIFT:
        flags.append(v.FLAG_CLOCK_DRIFT)
    elif ingest.clock_flag == ClockFlag.NEVER_SET and v.FLAG_CLOCK_NEVER_SET not in flags:
        flags.append(v.FLAG_CLOCK_NEVER_SET)
    holder = None
    if when is None:
        flags.append(v.FLAG_NO_TIME)
    else:
        here = when.astimezone(agency_zone())
        local = here.strftime("%Y-%m-%dT%H:%M:%S")
        offset = int(here.utcoffset().total_seconds() // 60)
        holder = devices.holder_at(device, when)
        if holder is None:
            flags.append(v.FLAG_NOT_SIGNED_OUT)
    if holder is not None and actor is not None and actor.pk != holder.pk and actor.has_role(Role.OFFICER):
        flags.append(v.FLAG_UPLOADER_NOT_HOLDER)
    found = names.discrepancies(
        parsed, device_number=device.number, officer_number=_officer_number(holder, when) if holder else "",
        creation_time=facts.creation_time if facts is not None and source == "metadata" else None, tz=agency_zone())
    if found:
        flags.append(v.FLAG_NAME_MISMATCH)
    return {"recorded_utc": when, "recorded_local": local, "utc_offset_minutes": offset, "time_source": source,
            "officer": holder, "discrepancies": [{"code": d.code, "message": d.message, "seconds": d.seconds}
                                                 for d in found],
            "flags": flags}


def _reject(ingest: Ingest, rel: str, reason: str, code: str) -> FileResult:
    with transaction.atomic():
        ledger.append(v.REJECTED, actor=ingest.ingested_by, object_type=Ingest.ledger_object_type,
                      object_id=ingest.pk, detail={"code": code})
    return FileResult(rel, "rejected", reason=reason, code=code)


def ingest_file(ingest: Ingest, root: Path, rel: str, *, video: FootageItem | None = None) -> FileResult:
    """Take one file of `root` into custody: new, duplicate (already stored for this device) or
    rejected with a Chinese reason. Nothing partial: a refused file leaves no row and no blob name."""
    path, why = safe_path(root, rel)
    if path is None:
        return _reject(ingest, rel, why, "path")
    name = PurePosixPath(rel.replace("\\", "/")).name
    try:
        text.clean(name, "文件名", max_length=255)
        text.clean(rel, "路径", max_length=1000)
    except ValidationError as exc:
        return _reject(ingest, rel, "；".join(exc.messages), "bad_name")
    size = path.stat().st_size
    if size == 0:
        return _reject(ingest, rel, "文件为空，拒收。", "empty")
    limit = footage_max_bytes()
    if size > limit:
        return _reject(ingest, rel, f"文件超过大小上限（{limit // (1024 * 1024)} MB），拒收。", "too_large")
    sidecar = is_sidecar(name)
    facts = None
    if sidecar:
        if video is None:
            return _reject(ingest, rel, "附属文件旁没有同名的音视频文件，拒收。", "orphan_sidecar")
    else:
        try:
            facts = probe.probe(path)
        except ValidationError as exc:
            reason = "；".join(exc.messages)
            return _reject(ingest, rel, reason.removeprefix(f"{name}："), "not_media")
    try:
        with open(path, "rb") as f:  # streamed: the store hashes as it copies
            blob = store.put(f, max_bytes=limit)
    except ValidationError as exc:
        return _reject(ingest, rel, "；".join(exc.messages), "store_refused")
    except OSError as exc:
        return _reject(ingest, rel, f"存储失败：{exc}", "storage")
    result = FileResult(rel, "duplicate", sha256=blob.sha256, size=blob.size)
    existing = FootageItem.objects.filter(device=ingest.device, blob=blob).first()
    if existing is None:
        try:
            result.item = _add_item(ingest, rel, name, blob, facts, video)
            result.status = "new"
        except IntegrityError:  # another ingest of the same device stored it meanwhile
            existing = FootageItem.objects.get(device=ingest.device, blob=blob)
    if existing is not None:
        result.item = existing
    # The confirmation a dock waits for before it wipes the camera: read back, re-hashed.
    try:
        result.confirmed = store.verify(blob.sha256)
    except OSError:
        result.confirmed = False
    return result


def _add_item(ingest, rel, name, blob, facts, video) -> FootageItem:
    with transaction.atomic():
        item = FootageItem(
            agency_id=ingest.agency_id, ingest=ingest, device=ingest.device, blob=blob,
            name=name, relative_path=rel,
            size=blob.size, kind=KIND_SIDECAR if facts is None else facts.kind,
            duration=facts.duration if facts is not None else None, facts=facts.as_dict() if facts is not None else {},
            creation_time=facts.creation_time if facts is not None else None,
            ingested_by=ingest.ingested_by, ingested_at=timezone.now(), video=video,
            **_attribute(ingest, name, facts, video))
        item.save()
        ledger.append(v.ADD, actor=ingest.ingested_by, object_type=FootageItem.ledger_object_type, object_id=item.pk,
                      content_sha256=item.ledger_digest(), blobs=[blob.sha256],
                      detail={"ingest": ingest.pk, "device": ingest.device_id, "officer": item.officer_id,
                              "kind": item.kind, "size": item.size, "video": item.video_id, "flags": item.flags})
    return item


def walk(root: Path) -> list[str]:
    """The files under `root`, relative, sorted, media before their sidecars. Symbolic links to
    directories are not followed; links to files are listed (and refused if they lead out)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for fn in filenames:
            found.append(os.path.relpath(os.path.join(dirpath, fn), root))
    return sorted(found, key=lambda rel: (is_sidecar(os.path.basename(rel)), rel))


def ingest_files(ingest: Ingest, root, rels, progress=None) -> list[FileResult]:
    """Each of `rels` (paths relative to `root`) into custody, media first so that each sidecar
    finds the video it was beside; `progress(i, n, result)` after each file."""
    root = Path(root)
    rels = sorted(rels, key=lambda rel: (is_sidecar(os.path.basename(rel)), rel))
    videos: dict[tuple[str, str], FootageItem] = {}
    results = []
    for i, rel in enumerate(rels, 1):
        rel_posix = rel.replace(os.sep, "/")
        folder, _, name = rel_posix.rpartition("/")
        video = None
        if is_sidecar(name):
            video = videos.get((folder, sidecar_stem(name).lower()))
        result = ingest_file(ingest, root, rel, video=video)
        if result.item is not None and result.item.kind != KIND_SIDECAR:
            videos[(folder, name.rsplit(".", 1)[0].lower())] = result.item
        results.append(result)
        if progress is not None:
            progress(i, len(rels), result)
    return results


# ---- the holding area: link, unlink, mark --------------------------------------------------------

def _about(actor, target=None, *rest) -> tuple[str, object]:
    """What a refused act on the holding area was about: the item or link, else the holding area."""
    if isinstance(target, (FootageItem, FootageLink)):
        return target.ledger_object_type, target.pk
    return v.HOLDING, actor.agency_id or ""


def _guarded(act: str):
    return refusals.records_refusals(v.DENIED, act, _about)


def _require_case_officer(actor, case) -> None:
    """An officer of the case (承办人员) with a valid 执法证, who may work on it now."""
    access.check_work(actor, case)
    if not access.is_assigned(actor, case):
        raise PermissionDenied("只有本案承办人员可以关联音像记录。")
    require_valid_certificate(actor)


@_guarded("link")
def link(actor, item: FootageItem, case, stage: str, record=None) -> FootageLink:
    """关联: footage from the holding area (or already linked elsewhere) to `case` at `stage`,
    optionally to the record it accompanies (a 现场检查笔录, LQ 18-19)."""
    if item.agency_id != case.agency_id:
        raise PermissionDenied("不能关联其他执法机关的音像记录。")
    _require_case_officer(actor, case)
    if item.video_id is not None:
        raise ValidationError("附属文件随其视频一同关联，请关联视频。", code="sidecar")
    if stage not in Stage.values:
        raise ValidationError(f"阶段“{stage}”无效。", code="stage")
    if record is not None and getattr(record, "case_id", None) != case.pk:
        raise ValidationError("该笔录不属于本案件。", code="record_case")
    with transaction.atomic():
        FootageItem.objects.select_for_update().filter(pk=item.pk).first()
        if active_links(item).filter(case=case, stage=stage, record_id=getattr(record, "pk", None)).exists():
            raise ValidationError("该音像记录已关联到本案件的这一阶段。", code="already_linked")
        row = FootageLink(item=item, case=case, stage=stage, record_id=getattr(record, "pk", None),
                          linked_by=actor, linked_at=timezone.now())
        row.save()
        ledger.append(v.LINK, actor=actor, object_type=FootageLink.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(), blobs=[item.blob_id],
                      detail={"item": item.pk, "case": case.pk, "stage": stage, "record": row.record_id})
    return row


def active_links(item: FootageItem):
    return FootageLink.objects.filter(item=item, unlink__isnull=True)


@_guarded("unlink")
def unlink(actor, link_row: FootageLink, reason: str) -> FootageUnlink:
    """取消关联: the link ends by a new row with the reason; nothing is deleted."""
    _require_case_officer(actor, link_row.case)
    reason = text.clean(reason or "", "原因", max_length=500).strip()
    if not reason:
        raise ValidationError("请填写取消关联的原因。", code="reason_required")
    with transaction.atomic():
        link_row = FootageLink.objects.select_for_update().get(pk=link_row.pk)
        if FootageUnlink.objects.filter(link=link_row).exists():
            raise ValidationError("该关联已取消。", code="already_unlinked")
        row = FootageUnlink(link=link_row, reason=reason, unlinked_by=actor, unlinked_at=timezone.now())
        row.save()
        ledger.append(v.UNLINK, actor=actor, object_type=FootageUnlink.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"link": link_row.pk, "item": link_row.item_id, "case": link_row.case_id})
    return row


@_guarded("mark")
def mark_important(actor, item: FootageItem, important: bool = True) -> FootageMark:
    """重点文件: set (or cleared) by the officer the footage is attributed to, or who ingested it."""
    if actor is None or not actor.is_active or actor.agency_id != item.agency_id:
        raise PermissionDenied("无权标记该音像记录。")
    if actor.pk not in (item.officer_id, item.ingested_by_id) or not actor.has_role(Role.OFFICER):
        raise PermissionDenied("只有录制该音像记录的执法人员可以标记重点文件。")
    with transaction.atomic():
        row = FootageMark(item=item, important=bool(important), marked_by=actor, marked_at=timezone.now())
        row.save()
        ledger.append(v.MARK, actor=actor, object_type=FootageMark.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(), detail={"item": item.pk, "important": row.important})
    return row


def log_view(actor, case=None) -> None:
    """A look at the holding area (about the agency) or at a case's footage."""
    with transaction.atomic():
        ledger.append(v.VIEW, actor=actor, object_type=v.HOLDING, object_id=getattr(actor, "agency_id", "") or "",
                      detail={"case": case.pk} if case is not None else {})


# ---- reads of footage (playback, streaming, the list): each one a ledger event --------------------

def _read(action: str, actor, item: FootageItem, detail: dict) -> None:
    with transaction.atomic():  # its own entry: a read changes nothing else
        ledger.append(action, actor=actor, object_type=FootageItem.ledger_object_type, object_id=item.pk,
                      blobs=[item.blob_id], detail={"item": item.pk, **detail})


def log_play(actor, item: FootageItem) -> None:
    """The playback page of `item` was opened (播放页): its facts and the player were shown."""
    _read(v.PLAY, actor, item, {"kind": item.kind})


def log_stream(actor, item: FootageItem, *, start: int, end: int, reason: str) -> None:
    """`item`'s bytes [start, end] were served; `reason` says why this request is logged ("start":
    it begins at byte 0 — a playback start or a download; "session": the first request of this
    session for the item; "poster": a photo given out as its own thumbnail, once a session)."""
    _read(v.STREAM, actor, item, {"start": start, "end": end, "why": reason})


def log_download(actor, item: FootageItem) -> None:
    """A sidecar was downloaded."""
    _read(v.DOWNLOAD, actor, item, {"video": item.video_id})


def log_search(actor, filters: dict, count: int) -> None:
    """音像记录查询: the filters as codes and ids (never a typed name: a party's name or a cause is
    logged as the ids of the cases it matched) and how many items were found."""
    with transaction.atomic():
        ledger.append(v.SEARCH, actor=actor, object_type=v.HOLDING, object_id=getattr(actor, "agency_id", "") or "",
                      detail={"filters": filters, "count": count})
