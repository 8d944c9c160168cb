"""Making an evidence copy package (制作证据复制包, LW-D 13), in the layout the offline checker reads
(liuhen/ledger/core/package.py says what each file is):

    manifest.json, files/<sha256>-<name>, entries.jsonl, checkpoint.note, log.vkey

All or nothing: the files are copied from the store into a staging directory beside the
destination, each re-hashed while it is copied; the log is integrated and signed so that every
entry the package carries — each item's footage.add (and its last logged state), its links to the
case, the request and its approval — is under one signed checkpoint, and each entry's inclusion
proof is taken against it (ledger.services.prove: checked there with the auditor's verifier). Only
then are the package row and its ledger event written, and the staging directory renamed into
place in the same transaction. A blob gone from the store (purged, lost), a file that no longer
hashes, a footage row that no longer says what the log recorded: refused with a Chinese reason, and
nothing is left behind — no row, no directory."""
import base64
import datetime
import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.footage import vocabulary as footage_vocab
from liuhen.footage.models import FootageItem, FootageLink
from liuhen.ledger import services as ledger
from liuhen.ledger.config import hash_algo
from liuhen.ledger.core import package as layout
from liuhen.ledger.models import Entry
from liuhen.ledger.signing import origin, vkeys
from liuhen.ledger.storage import integrate_all
from liuhen.media import store

from . import vocabulary as v
from .models import CopyApproval, CopyRequest, ReceiverKind

CHUNK = 1024 * 1024


def copies_dir() -> Path:
    """Where the office keeps the packages it made (LW-D 13 复制留存): LIUHEN_HOME/copies."""
    return Path(settings.LIUHEN_HOME) / "copies"


def package_dir(package) -> Path:
    p = Path(package.path)
    return p if p.is_absolute() else copies_dir() / p


def _entry_events(qs) -> list[tuple[Entry, dict]]:
    return [(e, ledger.event_of(e)) for e in qs.order_by("id")]


def _state_entry(item: FootageItem) -> Entry | None:
    """The last event about the item that logs its state: the one `liuhen verify` holds the row to."""
    for e in Entry.objects.filter(object_type=FootageItem.ledger_object_type, object_id=str(item.pk)).order_by("-id"):
        if ledger.event_of(e).get("content_sha256"):
            return e
    return None


def _last_state_entry(object_type: str, object_id) -> Entry | None:
    for e in Entry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("-id"):
        if ledger.event_of(e).get("content_sha256"):
            return e
    return None


def _file_name(item: FootageItem) -> str:
    name = item.name.replace("/", "_").replace("\\", "_").lstrip(".") or "file"
    return f"{item.blob_id}-{name}"


def _copy(item: FootageItem, target: Path) -> int:
    """The stored bytes of `item` into `target`, re-hashed on the way; their size."""
    try:
        return store.copy_out(item.blob_id, target, item.size)
    except store.CopyOutError as exc:
        raise ValidationError({
            "blob_missing": f"音像记录“{item.name}”的存储文件读取不到（可能已被清理或丢失），未制作复制包。",
            "copy_failed": f"复制音像记录“{item.name}”失败（{exc.reason}），未制作复制包。",
            "blob_altered": f"音像记录“{item.name}”的存储文件与其 SHA-256 不符（已被改动），未制作复制包。",
        }[exc.code], code=exc.code) from None


def _person(user) -> dict | None:
    return {"id": user.pk, "name": user.display_name} if user is not None else None


def _iso(when) -> str:
    return when.astimezone(timezone.get_current_timezone()).isoformat() if when is not None else ""


def _write(path: Path, data: bytes) -> str:
    with open(path, "xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return hashlib.sha256(data).hexdigest()


def _leftover_of(final: Path, request: CopyRequest) -> bool:
    """Is the directory at `final` what a make of THIS request left when the process died between
    renaming it into place and the commit? Its manifest names this request, and no package row names
    the directory (the row is what a finished make leaves; the caller has checked there is none for
    this request, and no other request's row may point at it either)."""
    from .models import CopyPackage

    if not final.is_dir() or final.is_symlink():
        return False
    try:
        manifest = json.loads((final / layout.MANIFEST).read_text(encoding="utf-8"))
        named = (manifest.get("request") or {}).get("id")
    except (OSError, ValueError, AttributeError):
        return False
    if manifest.get("format") != layout.FORMAT or named != request.pk or isinstance(named, bool):
        return False
    try:
        stored = {str(final.relative_to(copies_dir())), str(final.resolve())}
    except ValueError:
        stored = {str(final.resolve())}
    return not CopyPackage.objects.filter(path__in=stored).exists()


def _set_aside(final: Path) -> dict:
    """Move a crashed make's leftover aside, never deleting it (it is evidence of what happened):
    <name>.abandoned-<UTC timestamp> beside it. What was moved, for the package's ledger event."""
    stamp = timezone.now().astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    aside = final.with_name(f"{final.name}.abandoned-{stamp}")
    try:
        manifest_sha = hashlib.sha256((final / layout.MANIFEST).read_bytes()).hexdigest()
        os.rename(final, aside)
    except OSError as exc:
        raise ValidationError(f"目标目录 {final} 是此前未完成的制作留下的，但未能移到一旁（{exc}），未制作复制包。",
                              code="dest_exists") from None
    return {"from": final.name, "to": aside.name, "manifest_sha256": manifest_sha}


def make(actor, request: CopyRequest, approval: CopyApproval, dest=None):
    from . import services

    case = request.case
    items = request.items()
    if len(items) != len(request.item_ids or []):
        raise ValidationError("申请中的音像记录已不存在，不能制作复制包。", code="item_missing")
    links: dict[int, list[int]] = {}
    for pk, item_id in FootageLink.objects.filter(case=case, unlink__isnull=True, item__in=items).values_list(
            "pk", "item_id"):
        links.setdefault(item_id, []).append(pk)
    plan = []
    for item in items:
        if not links.get(item.pk):
            raise ValidationError(f"音像记录“{item.name}”已不再关联本案件，不能制作复制包。", code="unlinked")
        state_entry = _state_entry(item)
        state = item.ledger_state()
        if state_entry is None or ledger.event_of(state_entry).get("content_sha256") != item.ledger_digest():
            # Evidence is not given out in a state the log does not vouch for (liuhen verify names it).
            raise ValidationError(f"音像记录“{item.name}”的数据库记录与日志记载不符，不能制作复制包"
                                  "（请运行 liuhen verify 查明）。", code="state_mismatch")
        add = Entry.objects.filter(action=footage_vocab.ADD, object_type=FootageItem.ledger_object_type,
                                   object_id=str(item.pk)).order_by("id").first()
        if add is None:
            raise ValidationError(f"音像记录“{item.name}”没有入库日志，不能制作复制包。", code="no_add_event")
        link_entries = list(Entry.objects.filter(action=footage_vocab.LINK, object_type=FootageLink.ledger_object_type,
                                                 object_id__in=[str(pk) for pk in links[item.pk]]).order_by("id"))
        plan.append((item, state, state_entry, add, link_entries))
    req_entry = Entry.objects.filter(action=v.REQUEST, object_type=CopyRequest.ledger_object_type,
                                     object_id=str(request.pk)).order_by("id").first()
    appr_entry = Entry.objects.filter(action=v.APPROVE, object_type=CopyApproval.ledger_object_type,
                                      object_id=str(approval.pk)).order_by("id").first()
    if req_entry is None or appr_entry is None:
        raise ValidationError("申请或审批没有日志记载，不能制作复制包。", code="no_event")
    # The request's state as the log last recorded it: its request event, or the baseline a migration
    # logged when the state grew (0002: the case number). The manifest carries that state.
    req_state_entry = _last_state_entry(CopyRequest.ledger_object_type, request.pk)
    if req_state_entry is None or ledger.event_of(req_state_entry).get("content_sha256") != request.ledger_digest():
        raise ValidationError("证据复制申请的数据库记录与日志记载不符，不能制作复制包（请运行 liuhen verify 查明）。",
                              code="request_state_mismatch")

    final = Path(dest) if dest is not None else copies_dir() / str(request.pk)
    set_aside = None
    if final.exists() and (not final.is_dir() or any(final.iterdir())):
        if not _leftover_of(final, request):
            raise ValidationError(f"目标目录 {final} 已存在且不为空，未制作复制包。", code="dest_exists")
        set_aside = _set_aside(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".{final.name}.partial-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    renamed = False
    try:
        (staging / layout.FILES).mkdir()
        files, total = [], 0
        for item, state, state_entry, add, link_entries in plan:
            rel = f"{layout.FILES}/{_file_name(item)}"
            total += _copy(item, staging / rel)
            files.append((item, rel, state, state_entry, add, link_entries))

        # Every entry the package carries under one signed checkpoint (the request and approval were
        # just written: the integrator may not have signed them yet).
        integrate_all()
        wanted = {req_entry.pk, req_state_entry.pk, appr_entry.pk}
        for _, _, _, state_entry, add, link_entries in files:
            wanted |= {state_entry.pk, add.pk, *(e.pk for e in link_entries)}
        proven = ledger.prove(sorted(wanted))
        if proven["checkpoint"] is None or not all(p["ok"] for p in proven["proofs"]):
            raise ValidationError("日志条目未能得到包含证明，未制作复制包（请运行 liuhen verify 查明）。", code="proof")
        seq = {p["entry_id"]: p["seq"] for p in proven["proofs"]}
        leaves = dict(Entry.objects.filter(pk__in=wanted).values_list("pk", "leaf"))
        lines = [json.dumps({"seq": p["seq"], "leaf": base64.b64encode(bytes(leaves[p["entry_id"]])).decode("ascii"),
                             "proof": p["proof"]}, separators=(",", ":"))
                 for p in sorted(proven["proofs"], key=lambda p: p["seq"])]
        ck = proven["checkpoint"]
        package_files = {
            layout.ENTRIES: _write(staging / layout.ENTRIES, "".join(line + "\n" for line in lines).encode()),
            layout.CHECKPOINT: _write(staging / layout.CHECKPOINT, ck["note"].encode("utf-8")),
            layout.VKEY: _write(staging / layout.VKEY, "".join(k + "\n" for k in vkeys()).encode("utf-8")),
        }
        now = timezone.now()
        manifest = {
            "format": layout.FORMAT,
            "origin": origin(),
            "hash": hash_algo(),
            "agency": {"id": case.agency_id, "name": case.agency.name},
            "case": {"id": case.pk, "number": case.number},
            "request": {
                "id": request.pk, "receiver_kind": request.receiver_kind,
                "receiver_kind_label": ReceiverKind(request.receiver_kind).label,
                "receiver": request.receiver_name, "purpose": request.purpose,
                "court_case_number": request.court_case_number,
                "requested_by": _person(request.requested_by), "requested_at": _iso(request.requested_at),
                "state": request.ledger_state(), "entry": seq[req_entry.pk],
                "state_entry": seq[req_state_entry.pk]},
            "approval": {"id": approval.pk, "approved": approval.approved, "opinion": approval.opinion,
                         "decided_by": _person(approval.decided_by), "decided_at": _iso(approval.decided_at),
                         "state": approval.ledger_state(), "entry": seq[appr_entry.pk]},
            "made": {"by": _person(actor), "at": _iso(now)},
            "checkpoint": {"size": ck["size"], "root": ck["root"], "file": layout.CHECKPOINT},
            "files": [{
                "path": rel, "sha256": item.blob_id, "size": item.size, "name": item.name, "item": item.pk,
                "kind": item.kind, "duration": item.duration,
                "device": {"id": item.device_id, "number": item.device.number},
                "officer": _person(item.officer) if item.officer_id else None,
                "recorded_utc": state["recorded_utc"], "recorded_local": item.recorded_local,
                "utc_offset_minutes": item.utc_offset_minutes,
                "state": state,
                "entries": {"add": seq[add.pk], "state": seq[state_entry.pk],
                            "links": [seq[e.pk] for e in link_entries]},
            } for item, rel, state, state_entry, add, link_entries in files],
            "package_files": package_files,
            "how_to_verify": "python -m liuhen.ledger.core.package <本目录> --vkey <独立获得的日志公钥文件>",
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        manifest_sha = _write(staging / layout.MANIFEST, data)
        try:
            stored_path = str(final.relative_to(copies_dir()))
        except ValueError:
            stored_path = str(final.resolve())

        def finish():
            nonlocal renamed
            if final.exists():
                final.rmdir()  # an empty directory given as the destination
            os.replace(staging, final)
            renamed = True

        fields = {"path": stored_path, "manifest_sha256": manifest_sha, "files": len(files), "size": total,
                  "checkpoint_size": ck["size"], "checkpoint_root": ck["root"]}
        return services.save_package(actor, request, fields, [f[0].blob_id for f in files], finish,
                                     set_aside=set_aside)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if renamed:  # the rename happened but the transaction did not commit
            shutil.rmtree(final, ignore_errors=True)
        if set_aside is not None and not final.exists():  # nothing made: the leftover goes back, unlogged as before
            try:
                os.rename(final.with_name(set_aside["to"]), final)
            except OSError:
                pass
        raise
