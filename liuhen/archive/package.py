"""Making a case's archival package (归档信息包, issue 19 item 2) in the layout of
liuhen/archive/core/layout.py: a BagIt bag (RFC 8493) of the case's documents as PDF/A, its linked
footage byte for byte, DA/T 46 / 63 / 54 metadata (保管期限 and 密级 from the profile's `archive:`
section and liuhen.archive.classes), the 卷内目录, the 案卷 as one PDF/A (volume.py: the same items in
the same order, contents.py), the supplements after archiving, and the ledger entries about them with
inclusion proofs under one signed checkpoint. Nothing is rendered here: the documents never issued and
the volume are those of the file as assembled (assembly.py), copied from the store like the footage.

All or nothing, as the copy package (liuhen/copies/package.py): everything is written into a staging
directory beside the destination (footage re-hashed while it is copied), the export is logged with
every file's SHA-256, the log integrated and signed, the proofs taken, the bag made — and only then
is the staging directory renamed into place. A refusal leaves nothing behind."""
import base64
import hashlib
import json
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import bagit
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.cases.models import Case
from liuhen.documents.models import IssuedDocument
from liuhen.footage import vocabulary as footage_vocab
from liuhen.footage.models import FootageItem, FootageLink
from liuhen.ledger import services as ledger
from liuhen.ledger.config import hash_algo
from liuhen.ledger.models import Entry
from liuhen.ledger.signing import origin, vkeys
from liuhen.ledger.storage import integrate_all
from liuhen.media import store
from liuhen.records import vocabulary as record_vocab

from . import vocabulary as v
from .classes import classes_for
from .classes import label as class_label
from .contents import (STAGE_LABELS, Piece, contents, local_time, document_fields, media_fields, retention_label)
from .core import layout as L
from .selectors import supplements as supplements_of

@dataclass
class Item:
    """One entry of the 卷内目录 while the package is made."""

    kind: str  # document / media
    stage: str
    order: tuple
    title: str
    path: str
    metadata: str
    sha256: str
    size: int
    elements: dict
    root: str
    entry_ids: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def _write(path: Path, data: bytes) -> str:
    """A new file of `data` (synced with the others by _Payload.sync): its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as f:
        f.write(data)
    return hashlib.sha256(data).hexdigest()


COPY_THREADS = 2


class _Payload:
    """The bag's payload as it is written under staging/data/, each file's SHA-256 and size kept as its
    bytes go by: the payload manifest (RFC 8493 §2.1.3) is made from them — bagit's make_bag would read
    every byte again (2 GB of footage: seconds) to learn what the export has just computed."""

    def __init__(self, staging: Path):
        self.staging = staging
        self.data = staging / "data"
        self.files: dict[str, tuple[str, int]] = {}

    def write(self, rel: str, data: bytes) -> str:
        sha = _write(self.data / rel, data)
        self.files[rel] = (sha, len(data))
        return sha

    def copy_blob(self, sha: str, size: int | None, name: str, rel: str) -> int:
        """The stored bytes of blob `sha` into data/`rel`, re-hashed on the way (media.store.copy_out)."""
        target = self.data / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            # Synced with the rest before the bag is made (make_bag); copy_out starts each slice's
            # writeback as it is copied, so the disk writes while the copy reads and the sync is short.
            n = store.copy_out(sha, target, size, sync=False)
        except store.CopyOutError as exc:
            raise ValidationError({
                "blob_missing": f"“{name}”的存储文件读取不到（可能已被清理或丢失），未导出归档信息包。",
                "copy_failed": f"复制“{name}”失败（{exc.reason}），未导出归档信息包。",
                "blob_altered": f"“{name}”的存储文件与其 SHA-256 不符（已被改动），未导出归档信息包。",
            }[exc.code], code=exc.code) from None
        self.files[rel] = (sha, n)
        return n

    def copy_blobs(self, jobs: list[tuple]) -> None:
        """copy_blob of each (sha, size, name, rel), two at a time: each copy is the kernel's while a thread
        hashes it, so two keep both cores hashing (2 GB of footage: measured by bench/archive.py). The
        first refusal is raised once every copy has stopped."""
        with ThreadPoolExecutor(COPY_THREADS) as pool:
            done = [pool.submit(self.copy_blob, *job) for job in jobs]
        for future in done:
            future.result()

    def sync(self) -> None:
        """Every payload file on the disk before the bag names it (the rename makes it the package)."""
        for rel in self.files:
            fd = os.open(self.data / rel, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def make_bag(self, info: dict) -> None:
        """bagit.txt, the payload manifest from the hashes kept, bag-info.txt (Payload-Oxum, written by
        bagit's own function of the version pinned in constraints.txt) and the tag manifest: the bag
        make_bag would have made of the same files (the tests and the checker validate it with bagit)."""
        with open(self.staging / "manifest-sha256.txt", "w", encoding="utf-8") as f:
            for rel, (sha, _) in sorted(self.files.items()):
                f.write(f"{sha}  {bagit._encode_filename('data/' + rel)}\n")
        (self.staging / "bagit.txt").write_text("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n",
                                                encoding="utf-8")
        octets = sum(n for _, n in self.files.values())
        bagit._make_tag_file(str(self.staging / "bag-info.txt"), {
            **info, "Bagging-Date": timezone.localdate().isoformat(),
            "Bag-Software-Agent": f"bagit.py v{bagit.VERSION} <{bagit.PROJECT_URL}> (liuhen)",
            "Payload-Oxum": f"{octets}.{len(self.files)}"})
        # The tag manifest: every tag file's SHA-256 (bagit's _make_tagmanifest_file reads the working
        # directory, which a server process does not change).
        tags = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt")
        (self.staging / "tagmanifest-sha256.txt").write_text(
            "".join(f"{hashlib.sha256((self.staging / t).read_bytes()).hexdigest()} {t}\n" for t in tags),
            encoding="utf-8")


def _pages(data: bytes) -> int:
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(BytesIO(data)).root["/Pages"]["/Count"])


def _record_entries(record) -> list[int]:
    return list(Entry.objects.filter(object_type=record_vocab.RECORD, object_id=str(record.pk))
                .order_by("id").values_list("pk", flat=True))


def _documents(case, payload: _Payload, pieces: list[Piece], assembly) -> list[Item]:
    retention = retention_label(case)
    default_class, given = classes_for(case)
    rendered = {d.record_id: d for d in assembly.documents.all()}
    items = []
    for piece in pieces:
        if piece.kind != "document":
            continue
        st, issued = piece.state, piece.issued
        record = st.record
        rel = f"{L.DOCUMENTS}/{record.serial}-{record.record_type.code}.pdf"
        entries = _record_entries(record)
        if issued is not None:
            # 行政处罚法 / DA/T 47: the PDF/A copy stored when it was issued, not a new rendering.
            sha = issued.archive_sha256
            size = payload.copy_blob(sha, None, f"{record.record_type.name}（{issued.number.text}）", rel)
            pages = _pages((payload.data / rel).read_bytes())
            entries += list(Entry.objects.filter(object_type=IssuedDocument.ledger_object_type,
                                                 object_id=str(issued.pk)).values_list("pk", flat=True))
        else:
            # The PDF/A rendered when the file was assembled (assembly.py), byte for byte.
            doc = rendered[record.pk]
            sha, pages = doc.blob_id, doc.pages
            size = payload.copy_blob(sha, None, f"{record.record_type.name}（第 {record.serial} 号记录）", rel)
            entries += list(Entry.objects.filter(object_type=doc.ledger_object_type, object_id=str(doc.pk))
                            .values_list("pk", flat=True))
        items.append(Item(
            kind="document", stage=record.stage, order=piece.order,
            title=record.record_type.name, path=rel, metadata=f"{L.METADATA}/document-{record.serial}.xml",
            sha256=sha, size=size, root=L.DOCUMENT_ROOT, entry_ids=entries,
            extra={"record": record.pk, "serial": record.serial, "code": record.record_type.code,
                   "version": st.latest.number, "issued": issued is not None},
            elements={**document_fields(case, piece), "件号": "", "页数": str(pages),
                      "密级": class_label(given.get(record.pk, default_class)), "保管期限": retention,
                      "格式": "PDF/A-3b", "哈希值": sha}))
    return items


def _media(case, payload: _Payload, pieces: list[Piece]) -> list[Item]:
    items, copies = [], []
    for piece in pieces:
        if piece.kind != "media":
            continue
        item = piece.footage
        name = item.name.replace("/", "_").replace("\\", "_").lstrip(".") or "file"
        rel = f"{L.MEDIA}/{item.blob_id}-{name}"
        copies.append((item.blob_id, item.size, f"音像记录 {item.name}", rel))
        add = Entry.objects.filter(action=footage_vocab.ADD, object_type=FootageItem.ledger_object_type,
                                   object_id=str(item.pk)).order_by("id").first()
        if add is None:
            raise ValidationError(f"音像记录“{item.name}”没有入库日志，未导出归档信息包。", code="no_add_event")
        link_entries = Entry.objects.filter(action=footage_vocab.LINK, object_type=FootageLink.ledger_object_type,
                                            object_id__in=[str(x.pk) for x in piece.links])
        items.append(Item(
            kind="media", stage=piece.stage, order=piece.order,
            title=item.name, path=rel, metadata=f"{L.METADATA}/media-{item.blob_id}.xml", sha256=item.blob_id,
            size=item.size, root=L.PHOTO_ROOT if item.kind == "photo" else L.MEDIA_ROOT,
            entry_ids=[add.pk, *link_entries.values_list("pk", flat=True)],
            extra={"footage": item.pk, "media_kind": item.kind},
            elements=media_fields(case, piece)))
    payload.copy_blobs(copies)
    return items


def _supplements(case, payload: _Payload) -> list[dict]:
    """The papers added after archiving (归档后补充材料), byte for byte, each with its archive.supplement
    event: the catalog's `supplements` (not numbered among the 卷内文件: the file was closed without them)."""
    out = []
    for n, row in enumerate(supplements_of(case), 1):
        name = row.filename.replace("/", "_").replace("\\", "_").lstrip(".") or "file"
        rel = f"{L.SUPPLEMENTS}/{n}-{name}"
        size = payload.copy_blob(row.sha256, None, f"补充材料“{row.title}”", rel)
        entries = list(Entry.objects.filter(action=v.SUPPLEMENT, object_type=row.supplement.ledger_object_type,
                                            object_id=str(row.supplement.pk)).values_list("pk", flat=True))
        out.append({"number": n, "title": row.title, "kind": row.kind, "note": row.note,
                    "added_at": local_time(row.added_at), "added_by": row.added_by, "path": rel, "sha256": row.sha256,
                    "size": size, "entry_ids": entries})
    return out


def _metadata_xml(item: Item) -> bytes:
    root = ElementTree.Element(item.root, {"标准": "DA/T 54" if item.root == L.PHOTO_ROOT else
                                          ("DA/T 63" if item.kind == "media" else "DA/T 46")})
    for name, value in item.elements.items():
        el = ElementTree.SubElement(root, name, {"算法": "SHA-256"} if name == L.HASH_ELEMENT else {})
        el.text = value
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _log_export(actor, case, items: list[Item], volume_sha: str) -> Entry:
    with transaction.atomic():
        return ledger.append(v.EXPORT, actor=actor, object_type="case", object_id=case.pk,
                             blobs=sorted({i.sha256 for i in items} | {volume_sha}),
                             detail={"case": case.pk, "number": case.number, "items": len(items),
                                     "volume": volume_sha})


def _proofs(payload: _Payload, wanted: set[int]) -> tuple[dict, dict[int, int]]:
    integrate_all()
    proven = ledger.prove(sorted(wanted))
    if proven["checkpoint"] is None or not all(p["ok"] for p in proven["proofs"]):
        raise ValidationError("日志条目未能得到包含证明，未导出归档信息包（请运行 liuhen verify 查明）。", code="proof")
    leaves = dict(Entry.objects.filter(pk__in=wanted).values_list("pk", "leaf"))
    lines = [json.dumps({"seq": p["seq"], "leaf": base64.b64encode(bytes(leaves[p["entry_id"]])).decode("ascii"),
                         "proof": p["proof"]}, separators=(",", ":"))
             for p in sorted(proven["proofs"], key=lambda p: p["seq"])]
    payload.write(L.ENTRIES, "".join(line + "\n" for line in lines).encode())
    payload.write(L.CHECKPOINT, proven["checkpoint"]["note"].encode("utf-8"))
    payload.write(L.VKEY, "".join(k + "\n" for k in vkeys()).encode("utf-8"))
    return proven["checkpoint"], {p["entry_id"]: p["seq"] for p in proven["proofs"]}


def _assembled(actor, case, pieces):
    """The file as assembled (assembly.py): assembled now if it never was, or if it changed since."""
    from .assembly import assembled

    try:
        return assembled(actor, case, pieces)
    except Exception as exc:  # a layout that cannot be filled: refused, nothing written
        raise ValidationError(f"案卷无法组卷（{exc}），未导出归档信息包。", code="render_failed") from None


def export(actor, case_number: str, dest) -> dict:
    """The archival package of the case numbered `case_number` into `dest` (absent or empty); its catalog."""
    case = Case.objects.filter(number=case_number).select_related("agency").first()
    if case is None:
        raise ValidationError(f"案件编号“{case_number}”不存在，未导出归档信息包。", code="unknown_case")
    final = Path(dest)
    if final.exists() and (not final.is_dir() or any(final.iterdir())):
        raise ValidationError(f"目标目录 {final} 已存在且不为空，未导出归档信息包。", code="dest_exists")
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".{final.name}.partial-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        payload = _Payload(staging)
        pieces = contents(case)
        assembly = _assembled(actor, case, pieces)
        items = sorted(_documents(case, payload, pieces, assembly) + _media(case, payload, pieces),
                       key=lambda i: i.order)
        added = _supplements(case, payload)
        volume_sha, volume_pages = assembly.volume_id, assembly.volume_pages
        payload.copy_blob(volume_sha, None, "案卷 PDF", L.VOLUME)
        for n, item in enumerate(items, 1):
            if item.kind == "document":
                item.elements["件号"] = str(n)
            payload.write(item.metadata, _metadata_xml(item))
        export_entry = _log_export(actor, case, items, volume_sha)
        wanted = {export_entry.pk, *(e for i in items for e in i.entry_ids), *(e for a in added for e in a["entry_ids"])}
        ck, seq = _proofs(payload, wanted)
        catalog = {
            "format": L.FORMAT, "origin": origin(), "hash": hash_algo(),
            "agency": {"id": case.agency_id, "name": case.agency.name},
            "case": {"id": case.pk, "number": case.number, "title": case.title},
            "exported": {"by": actor.display_name if actor is not None else "系统", "at": local_time(timezone.now())},
            "checkpoint": {"size": ck["size"], "root": ck["root"]},
            "export_entry": seq[export_entry.pk],
            "volume": {"path": L.VOLUME, "sha256": volume_sha, "pages": volume_pages},
            "items": [{"number": n, "kind": i.kind, "stage": i.stage, "stage_label": STAGE_LABELS[i.stage],
                       "title": i.title, "path": i.path, "metadata": i.metadata, "sha256": i.sha256, "size": i.size,
                       "entries": sorted({seq[e] for e in i.entry_ids} | {seq[export_entry.pk]}), **i.extra}
                      for n, i in enumerate(items, 1)],
            "supplements": [{**{k: a[k] for k in a if k != "entry_ids"}, "entries": sorted(seq[e] for e in a["entry_ids"])}
                            for a in added],
            "how_to_verify": "python -m liuhen.archive.core.check <本目录> --vkey <独立获得的日志公钥文件>",
        }
        payload.write(L.CATALOG, json.dumps(catalog, ensure_ascii=False, indent=1).encode("utf-8"))
        payload.sync()
        payload.make_bag({"Source-Organization": case.agency.name, "External-Identifier": case.number,
                          "External-Description": f"{case.title}（{case.number}）归档信息包"})
        if final.exists():
            final.rmdir()  # an empty directory given as the destination
        os.replace(staging, final)
        return catalog
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
