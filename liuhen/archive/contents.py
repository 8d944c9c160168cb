"""What a case file holds (卷内文件), in its order: the complete records and the linked footage, in
procedural order (立案 → 调查 → 审查、决定 → 送达、执行 → 归档) — one list the 案卷 (volume.py), its assembly
(assembly.py) and the archival package (package.py) all read — and the metadata each item carries (DA/T 46
for a document, DA/T 63 / 54 for audio-video and photos)."""
from dataclasses import dataclass, field

from django.utils import timezone

from liuhen.cases.models import STAGE_ORDER, Stage
from liuhen.documents.models import IssuedDocument
from liuhen.documents.render import document_for, is_document
from liuhen.documents.services import ARCHIVE_VARIANT
from liuhen.footage.models import FootageItem, FootageLink
from liuhen.media import store
from liuhen.profiles.selectors import profile_for_case
from liuhen.profiles.spec import FILE_RETENTIONS
from liuhen.records.models import SignerRole
from liuhen.records.selectors import states_for_case

from .core import layout as L

# 卷内目录 in procedural order: 立案 → 调查 → 审查、决定 → 送达、执行 → 归档.
STAGE_LABELS = {Stage.START: "立案", Stage.INVESTIGATION: "调查", Stage.DECISION: "审查、决定",
                Stage.SERVICE: "送达、执行", Stage.ARCHIVE: "归档"}
MEDIA_FORMATS = {"video": "MP4", "audio": "音频", "photo": "图片"}



def local_time(when) -> str:
    return timezone.localtime(when).isoformat(timespec="seconds") if when is not None else ""


def retention_label(case) -> str:
    """保管期限 (DA/T 22) from the profile's `archive.file_retention`: 永久 / 30年 / 10年."""
    code = profile_for_case(case).archive.file_retention
    return FILE_RETENTIONS.get(code, code)


def record_pdf(st) -> bytes:
    """A complete record's PDF as the archive keeps it (retrieval's copies): the PDF/A copy stored when
    its latest version was issued, else the record rendered now as PDF/A."""
    from weasyprint import HTML

    from liuhen.documents.render import render_html

    issued = IssuedDocument.objects.filter(record=st.record, record_version=st.latest.number).first()
    if issued is not None:
        with store.open_blob(issued.archive_sha256) as f:
            return f.read()
    return HTML(string=render_html([unissued_document(st.record, state=st)])).write_pdf(pdf_variant=ARCHIVE_VARIANT)


def unissued_document(record, state=None):
    """The document of a complete record never issued, as the package and the 案卷 print it."""
    doc = document_for(record, state=state)
    doc.draft = is_document(record.record_type.code, agency_id=record.case.agency_id)
    return doc


@dataclass
class Piece:
    """One item of the 卷内目录 in its place, before any file is written: what the package's catalog and
    the 案卷 (volume.py) both list, in the same order. A document has its record's state (and the
    document issued for its latest version, if any); a media item its footage and the case's links."""

    kind: str  # document / media
    stage: str
    order: tuple
    state: object = None
    issued: object = None
    footage: object = None
    links: list = field(default_factory=list)


def contents(case) -> list[Piece]:
    """The case file's items in procedural order (立案 → 调查 → 审查、决定 → 送达、执行 → 归档; in a
    stage the documents by serial, then the footage by the time it was recorded): every complete,
    not voided record and every footage item linked to the case (not unlinked)."""
    pieces = []
    for st in states_for_case(case):
        if not st.complete or st.voided:
            continue
        record = st.record
        issued = (IssuedDocument.objects.filter(record=record, record_version=st.latest.number)
                  .select_related("number").first())
        pieces.append(Piece("document", record.stage, (STAGE_ORDER.index(record.stage), 0, record.serial),
                            state=st, issued=issued))
    links: dict[int, list[FootageLink]] = {}
    for link in FootageLink.objects.filter(case=case, unlink__isnull=True).order_by("id"):
        links.setdefault(link.item_id, []).append(link)
    for item in FootageItem.objects.filter(pk__in=links).select_related("device", "officer").order_by("id"):
        stage = links[item.pk][0].stage
        stage = stage if stage in STAGE_ORDER else Stage.ARCHIVE
        when = item.recorded_utc.timestamp() if item.recorded_utc else float("inf")
        pieces.append(Piece("media", stage, (STAGE_ORDER.index(stage), 1, when, item.pk),
                            footage=item, links=links[item.pk]))
    return sorted(pieces, key=lambda p: p.order)


def document_fields(case, piece: Piece) -> dict:
    """题名, 文号, 责任者, 日期 of a document, as its DA/T 46 metadata and the 卷内目录 say them."""
    st, issued = piece.state, piece.issued
    # 责任者 (DA/T 46): the agency and its people who made the document — not the party or a witness
    # who signed it.
    authors = ", ".join(sorted({s.signer_name for s in st.latest.signatures.all()
                                if s.signer_name and s.role not in (SignerRole.PARTY, SignerRole.WITNESS)})) or case.agency.name
    return {"题名": f"{st.record.record_type.name}（{case.number}）",
            "文号": issued.number.text if issued is not None else "无",
            "责任者": f"{case.agency.name}；{authors}",
            "日期": timezone.localtime(issued.issued_at if issued is not None
                                       else st.latest.created_at).date().isoformat()}


def media_format(item) -> str:
    """格式 of a footage item by its container as probed (ffprobe's format name; a still image's codec,
    ffprobe's image2 being either): MP4, WAV, MP3, PNG, JPEG — the names the offline checker matches
    against the file's magic bytes (core/layout.py) — else the container as probed, or the kind."""
    facts = item.facts or {}
    probed = set(str(facts.get("container", "")).split(",")) | {str(facts.get("video_codec", ""))}
    for names, fmt in ((("mp4", "mov"), "mp4"), (("wav",), "wav"), (("mp3",), "mp3"),
                       (("png_pipe", "apng", "png"), "png"), (("jpeg_pipe", "mjpeg"), "jpeg")):
        if probed & set(names):
            return L.MEDIA_FORMAT_NAMES[fmt]
    return str(facts.get("container") or MEDIA_FORMATS.get(item.kind, item.kind))


def media_fields(case, piece: Piece) -> dict:
    """The DA/T 63 / DA/T 54 elements of a footage item: 题名, 拍摄者, 设备, 时间, 时长, 格式, 哈希值."""
    item = piece.footage
    photo = item.kind == "photo"
    return {"题名": f"{item.name}（{case.number}）",
            "拍摄者": item.officer.display_name if item.officer_id else "未登记",
            "设备": item.device.number if item.device_id else "未登记",
            "时间": local_time(item.recorded_utc) or item.recorded_local or "未知",
            "时长": f"{item.duration:.1f}秒" if item.duration else ("不适用" if photo else "未知"),
            "格式": media_format(item), "哈希值": item.blob_id}


