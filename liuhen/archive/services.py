"""Writes of the archive room, each a row and its ledger event in one transaction; each refusal recorded
(archive.refused: the act and its codes, never the text).

- add_supplement: 案卷归档后补充材料 — a later paper (a court's judgement, a 复议决定) added to an archived
  case by the archivist or the agency head; the archived file itself never changes;
- import_package: an archival package of another Liuhen instance (issue 19 item 4) taken in only when
  every 四性 item of its check passes, every file of the bag stored as a blob, kept read-only;
- log_view: a read of the room (a file opened, a package's page)."""
from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from liuhen.cases import access
from liuhen.cases.models import Case
from liuhen.common import text
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.media import store
from liuhen.records.services import clean_filename

from . import selectors as s
from . import vocabulary as v
from .core import check
from .core import layout as L
from .models import ImportedFile, ImportedPackage, Supplement, SupplementKind

# Known by their first bytes, not by the name or the type the browser claims (DA/T 47: long-term formats).
FILE_TYPES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
TAGMANIFEST = "tagmanifest-sha256.txt"
MANIFEST = "manifest-sha256.txt"


def _about_case(actor, case=None, *rest, **kw):
    return "case", getattr(case, "pk", "") or ""


def log_row(action: str, actor, row, blobs=(), **detail):
    """The event of writing `row` (its type, id and state digest) with the SHA-256 of the files it stores."""
    return ledger.append(action, actor=actor, object_type=row.ledger_object_type, object_id=row.pk,
                         content_sha256=row.ledger_digest(), blobs=list(blobs), detail=detail)


# ---- 归档后补充材料 ------------------------------------------------------------------------------------


def _file_type(fileobj) -> str:
    head = fileobj.read(8)
    fileobj.seek(0)
    for magic, content_type in FILE_TYPES:
        if head.startswith(magic):
            return content_type
    raise ValidationError("补充材料应为 PDF、JPEG 或 PNG 文件。", code="file_type")


def _safe_pdf(fileobj) -> None:
    """四性·安全性 and 可用性 as the package's checker asks them: no script, launch action or embedded
    file, no encryption — what the case file takes in it must be able to hand on."""
    data = fileobj.read()
    fileobj.seek(0)
    said = check.pdf_parts(data)
    found = sorted({m.group(1).decode() for m in check.ACTIVE.finditer(said)})
    if found:
        raise ValidationError(f"PDF 含活动内容（{'、'.join('/' + f for f in found)}），不能存入案卷。", code="active")
    if check.ENCRYPT.search(said):
        raise ValidationError("PDF 已加密，不能长期保存，请提供未加密的文件。", code="encrypted")


@refusals.records_refusals(v.REFUSED, "supplement", _about_case)
@transaction.atomic
def add_supplement(actor, case: Case, *, title, kind, file, filename: str = "", note: str = "") -> Supplement:
    """补充材料: a paper that reaches an archived case later, added with its file and a note."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    access.check_view_to_act(actor, case)
    if not s.may_add_supplement(actor, case):
        raise PermissionDenied("只有档案管理员或机关负责人可以登记归档后补充材料。")
    if not case.is_archived:
        raise ValidationError("案件尚未归档：归档前取得的材料请作为记录加入案卷。", code="not_archived")
    title = text.clean(title or "", "题名", max_length=200).strip()
    if not title:
        raise ValidationError("请填写题名。", code="required")
    if kind not in SupplementKind.values:
        raise ValidationError(f"请选择类别（{'、'.join(SupplementKind.values)}）。", code="kind")
    note = text.clean(note or "", "说明", multiline=True, max_length=2000).strip()
    if file is None:
        raise ValidationError("请上传补充材料文件（PDF、JPEG 或 PNG）。", code="file")
    content_type = _file_type(file)
    if content_type == "application/pdf":
        _safe_pdf(file)
    name = clean_filename(filename or getattr(file, "name", "") or title)
    blob = store.put(file)
    row = Supplement.objects.create(case=case, title=title, kind=kind, note=note, file=blob, filename=name,
                                    content_type=content_type, added_by=actor)
    row = Supplement.objects.get(pk=row.pk)
    log_row(v.SUPPLEMENT, actor, row, [blob.sha256], case=case.pk, kind=kind)
    return row


# ---- 接收归档信息包 ------------------------------------------------------------------------------------


def _record_refused(actor, exc: Exception, object_id: str) -> None:
    """An import refused, in the ledger — from the command line too (the system's actor None): a package
    that fails its 四性检测 is a fact the receiving archive keeps."""
    with transaction.atomic():
        ledger.append(v.REFUSED, actor=actor, object_type="archive_package", object_id=object_id[:64],
                      detail={"act": "import", "codes": refusals.error_codes(exc)[:20]})


def _sha(path: Path) -> str:
    return check.file_sha256(path)


def _manifest(path: Path) -> dict[str, str]:
    """A BagIt manifest's lines: {path: sha256}."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, _, rel = line.partition(" ")
            out[rel.strip()] = digest.strip().lower()
    return out


def _checked(bag: Path, vkey: str | None) -> list[check.Check]:
    try:
        checks = check.check_package(bag, vkey)
    except (OSError, check.Unreadable) as exc:
        raise ValidationError(f"不是可读的归档信息包：{exc}", code="unreadable") from None
    except (AttributeError, KeyError, TypeError, ValueError) as exc:  # a catalog of the wrong shape
        raise ValidationError(f"归档信息包的目录结构无效（{type(exc).__name__}）。", code="unreadable") from None
    failed = [c for c in checks if not c.ok]
    if failed:
        raise ValidationError([ValidationError(f"{'·'.join(check.ITEMS[c.code])}：{c.message}", code=c.code)
                               for c in failed])
    return checks


def _files(bag: Path) -> list[tuple[str, str]]:
    """(path in the bag, SHA-256 the bag states) of every file it vouches for: the payload in its
    manifest, the tag files in its tag manifest, and the tag manifest itself."""
    tagmanifest = bag / TAGMANIFEST
    if not tagmanifest.is_file() or not (bag / MANIFEST).is_file():
        raise ValidationError(f"归档信息包缺少 {MANIFEST} 或 {TAGMANIFEST}，无法确认其完整。", code="no_manifest")
    listed = {**_manifest(bag / MANIFEST), **_manifest(tagmanifest), TAGMANIFEST: _sha(tagmanifest)}
    for rel in listed:
        if rel.startswith("/") or ".." in rel.split("/") or (bag / rel).is_symlink() or not (bag / rel).is_file():
            raise ValidationError(f"归档信息包中的 {rel} 不是包内的普通文件。", code="not_a_file")
    return sorted(listed.items())


def _store(bag: Path, rel: str, sha: str):
    path = bag / rel
    try:
        with open(path, "rb") as f:
            blob = store.put(f, max_bytes=max(path.stat().st_size, 1))
    except ValidationError:
        raise ValidationError(f"{rel} 为空文件，不能存入。", code="empty_file") from None
    if blob.sha256 != sha:  # changed between the check and the copy
        raise ValidationError(f"{rel} 在检测后被改动（SHA-256 与清单不符），未接收。", code="changed")
    return blob


def import_package(actor, directory, vkey: str | None = None) -> ImportedPackage:
    """接收归档信息包: run the 四性检测 (liuhen.archive.core.check) on the bag at `directory` with the log's
    verifier key `vkey` got apart (None: the package's own, noted on the page); any failed item refuses
    it, naming the item, with nothing stored — as does a package already taken in."""
    bag = Path(directory)
    tag = bag / TAGMANIFEST
    try:
        ident = _sha(tag) if tag.is_file() else ""
    except OSError:
        ident = ""
    try:
        return _import(actor, bag, vkey)
    except (ValidationError, PermissionDenied) as exc:
        _record_refused(actor, exc, ident)
        raise


def _import(actor, bag: Path, vkey: str | None) -> ImportedPackage:
    if actor is not None and not s.may_import(actor):
        raise PermissionDenied("只有档案管理员或机关负责人可以接收归档信息包。")
    checks = _checked(bag, vkey)
    files = _files(bag)
    ident = dict(files)[TAGMANIFEST]
    catalog_sha = dict(files)[f"data/{L.CATALOG}"]
    if ImportedPackage.objects.filter(tagmanifest_sha256=ident).exists() or \
            ImportedPackage.objects.filter(catalog_sha256=catalog_sha).exists():
        raise ValidationError("这个归档信息包已经接收过，不再重复接收。", code="duplicate")
    catalog = check.read_catalog(bag)
    numbers = {i.get("path"): i.get("number") for i in catalog["items"] if isinstance(i, dict)}
    blobs = [(rel, _store(bag, rel, sha)) for rel, sha in files]
    data = bag / "data"
    own = vkey is None
    try:
        with transaction.atomic():
            pkg = ImportedPackage.objects.create(
                agency_id=getattr(actor, "agency_id", None), source_agency=str((catalog.get("agency") or {}).get("name", ""))[:200],
                source_origin=str(catalog.get("origin", ""))[:200],
                case_number=str((catalog.get("case") or {}).get("number", ""))[:100],
                title=str((catalog.get("case") or {}).get("title", ""))[:300], catalog=catalog,
                catalog_sha256=catalog_sha, checkpoint=(data / L.CHECKPOINT).read_text(encoding="utf-8"),
                vkey=(data / L.VKEY).read_text(encoding="utf-8") if own else vkey, own_key=own,
                report=[c.line() for c in checks], tagmanifest_sha256=ident, imported_by=actor)
            pkg = ImportedPackage.objects.get(pk=pkg.pk)
            log_row(v.IMPORT, actor, pkg, sorted({b.sha256 for _, b in blobs}), case_number=pkg.case_number,
                 tagmanifest=ident, files=len(blobs), own_key=own)
            with ledger.appending():  # an event per file, written together when the loop ends
                for rel, blob in blobs:
                    number = numbers.get(rel[len("data/"):]) if rel.startswith("data/") else None
                    row = ImportedFile.objects.create(package=pkg, path=rel, blob=blob, size=blob.size,
                                                      number=number if isinstance(number, int) else None)
                    log_row(v.IMPORT_FILE, actor, ImportedFile.objects.get(pk=row.pk), [blob.sha256],
                            package=pkg.pk)
    except IntegrityError:  # taken in at the same moment by another archivist
        raise ValidationError("这个归档信息包已经接收过，不再重复接收。", code="duplicate") from None
    return pkg


def log_view(actor, object_type: str, object_id, blobs=(), **detail) -> None:
    """A read of the room: a supplement or an imported file opened, an imported package's page."""
    ledger.append(v.VIEW, actor=actor, object_type=object_type, object_id=object_id, blobs=list(blobs), detail=detail)
