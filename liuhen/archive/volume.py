"""The case file (案卷, issue 19 item 1) as ONE PDF/A-3b, printed A4 in Chinese: 卷宗封面, 卷内目录, the
documents' pages, 音像资料目录 and 备考表 — one case, one file (一案一卷, BX 11, LC 31, LQ 28).

The 卷内目录 lists the same items in the same order as the archival package's catalog (contents.contents).
Each document is rendered from its HTML (liuhen.documents.render: an issued one with its 文号 and
verification link, as the print view shows it) and the pages of every part are joined into one
WeasyPrint document. The documents' pages carry the volume's 页号 top right, 1…M through the volume:
GB/T 9705 numbers the pages of the 卷内文件 and leaves the cover, the 目录 and the 备考表 unnumbered —
so the 目录's page ranges are those printed on the pages themselves."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from liuhen.documents.render import FONT_STACK, cn_date, document_for, documents_spec, render_html
from liuhen.documents.services import ARCHIVE_VARIANT, verify_url
from liuhen.footage.models import FootageItem
from liuhen.ledger.models import Entry, Sequenced
from liuhen.ledger.storage import latest_checkpoint
from liuhen.records import vocabulary as record_vocab
from liuhen.records.models import Outcome, SignerRole

from .classes import classes_for
from .classes import label as class_label
from .selectors import supplements as supplements_of
from .contents import Piece, contents, document_fields, media_fields, retention_label, unissued_document

REGISTER = "archive_register"  # 归档登记表: who assembled the file, the archivist who received it


@dataclass
class Row:
    """One line of the 卷内目录 (a media item's pages are empty: it is listed in the 音像资料目录)."""

    number: int
    doc_number: str
    author: str
    title: str
    date: str
    first: int = 0
    last: int = 0
    note: str = ""

    @property
    def pages(self) -> str:
        if not self.first:
            return ""
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


@dataclass
class Volume:
    pdf: bytes
    pages: int  # every page of the PDF, the cover and the lists too
    documents: int  # 卷内文件件数
    document_pages: int  # 页数: the numbered pages
    media: int  # 音像资料件数
    rows: list[Row] = field(default_factory=list)
    # Each document's pages as laid out for the volume (record id → WeasyPrint Document): the package
    # writes a document never issued from them (its own PDF/A, with the volume's 页号) instead of laying
    # it out a second time.
    parts: dict = field(default_factory=dict)


def volume_pdf(case, *, supplements=None) -> bytes:
    """The case file as one PDF/A-3b. `supplements`: what was added after archiving (objects with
    title, added_at, added_by — a name or a user — and note; None: the case's, selectors.supplements),
    printed on the 备考表."""
    return render(case, supplements=supplements).pdf


def render(case, *, supplements=None, pieces: list[Piece] | None = None) -> Volume:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    if supplements is None:
        supplements = supplements_of(case)
    pieces = contents(case) if pieces is None else pieces
    fonts = FontConfiguration()
    default_class, given = classes_for(case)
    rows, parts, media, numbered = [], {}, [], 0
    for n, piece in enumerate(pieces, 1):
        if piece.kind == "media":
            clip, row = _media_entry(case, n, piece)
            media.append(clip)
            rows.append(row)
            continue
        fields = document_fields(case, piece)
        doc = _document(piece)
        rendered = HTML(string=render_html([doc])).render(stylesheets=[_numbering(numbered)], font_config=fonts)
        row = Row(n, fields["文号"], fields["责任者"], doc.title, fields["日期"],
                  first=numbered + 1, last=numbered + len(rendered.pages))
        record_class = given.get(piece.state.record.pk, default_class)
        if record_class != default_class:
            row.note = class_label(record_class)
        rows.append(row)
        parts[piece.state.record.pk] = rendered
        numbered += len(rendered.pages)
    ctx = _context(case, pieces, rows, media, numbered, supplements, default_class)
    front = HTML(string=render_to_string("archive/volume_front.html", ctx)).render(font_config=fonts)
    back = HTML(string=render_to_string("archive/volume_back.html", ctx)).render(font_config=fonts)
    pages = [*front.pages, *(p for part in parts.values() for p in part.pages), *back.pages]
    pdf = front.copy(pages).write_pdf(pdf_variant=ARCHIVE_VARIANT)
    return Volume(pdf=pdf, pages=len(pages), documents=len(parts), document_pages=numbered, media=len(media),
                  rows=rows, parts=parts)


def _media_entry(case, n: int, piece: Piece) -> tuple[dict, Row]:
    """A clip's line of the 音像资料目录 and its row of the 卷内目录 (no pages: it is not on paper)."""
    fields = media_fields(case, piece)
    clip = {"number": n, "name": piece.footage.name, "officer": fields["拍摄者"], "device": fields["设备"],
            "time": fields["时间"][:19].replace("T", " "), "duration": fields["时长"], "format": fields["格式"],
            "sha256": fields["哈希值"]}
    return clip, Row(n, "", fields["拍摄者"], f"音像资料：{piece.footage.name}", fields["时间"][:10],
                     note="见音像资料目录")


def _document(piece: Piece):
    """The document as it stands: an issued one with its 文号 and verification link (as the party
    holds it), else as the package renders it."""
    record = piece.state.record
    if piece.issued is None:
        return unissued_document(record, state=piece.state)
    return document_for(record, state=piece.state, number=piece.issued.number.text,
                        verify_url=verify_url(piece.issued.token))


def _numbering(before: int):
    """The 页号 top right of a document's pages: the volume's, continuing after `before` pages."""
    from weasyprint import CSS

    return CSS(string=(
        "@page { counter-increment: volume-page; @top-right { content: counter(volume-page); "
        f"font-family: {FONT_STACK}; font-size: 12pt; vertical-align: bottom; }} }}"
        f"@page :first {{ counter-reset: volume-page {before}; }}"))


def _name(who) -> str:
    return getattr(who, "display_name", None) or str(who or "")


def _register(pieces: list[Piece]) -> dict:
    """What the signed 归档登记表 says: 归档日期, the archivist who received the file (and checked it),
    the officers who assembled it and when."""
    st = next((p.state for p in reversed(pieces) if p.kind == "document"
               and p.state.record.record_type.code == REGISTER), None)
    if st is None:
        return {}
    signed = [s for s in st.latest.signatures.all() if s.outcome == Outcome.SIGNED]
    archivists = [s for s in signed if s.role == SignerRole.ARCHIVIST]
    content = st.latest.content
    return {"archived_on": content.get("archived_on") or "",
            "archivist": "、".join(s.signer_name for s in archivists) or content.get("archivist") or "",
            "officers": [s.signer_name for s in signed if s.role == SignerRole.OFFICER],
            "assembled": timezone.localtime(st.latest.created_at).date()}


def _officers(case) -> list[str]:
    return [a.officer.display_name for a in case.officers.select_related("officer")]


def _checkpoint(pieces: list[Piece]) -> dict | None:
    """The latest signed checkpoint and whether it covers every ledger entry of the file's records and
    footage (one query each): what `liuhen verify` and the package prove them against."""
    ck = latest_checkpoint()
    if ck is None:
        return None
    records = [str(p.state.record.pk) for p in pieces if p.kind == "document"]
    footage = [str(p.footage.pk) for p in pieces if p.kind == "media"]
    ids = list(Entry.objects.filter(object_type=record_vocab.RECORD, object_id__in=records).values_list("pk", flat=True))
    ids += Entry.objects.filter(object_type=FootageItem.ledger_object_type, object_id__in=footage).values_list("pk", flat=True)
    seqs = list(Sequenced.objects.filter(entry_id__in=ids).values_list("seq", flat=True))
    return {"size": ck.size, "root": ck.root_hash, "entries": len(ids),
            "covered": len(seqs) == len(ids) and all(s < ck.size for s in seqs)}


def _file_title(parties: str, title: str) -> str:
    """案卷题名: 当事人 + 案由 + 案 — the party's name not said twice where the case's title already holds it."""
    names = [n for n in parties.split("、") if n]
    head = "" if any(n in title for n in names) else parties
    return f"{head}{title}" + ("" if title.endswith("案") else "案")


def _context(case, pieces, rows, media, numbered, supplements, default_class) -> dict:
    from liuhen.cases.selectors import current_parties

    register = _register(pieces)
    end = timezone.localtime(case.archived_at).date() if case.archived_at else timezone.localdate()
    parties = "、".join(p.name for p in current_parties(case))
    documents = sum(1 for p in pieces if p.kind == "document")
    return {
        "font_stack": FONT_STACK, "case": case,
        "agency": documents_spec(case.agency_id).letterhead or case.agency.name,
        "title": _file_title(parties, case.title),
        "start_cn": cn_date(timezone.localtime(case.created_at).date()), "end_cn": cn_date(end),
        "documents": documents, "pages": numbered, "media_count": len(media),
        "retention": retention_label(case), "classification": class_label(default_class),
        "assemblers": register.get("officers") or _officers(case), "register": register,
        "rows": rows, "media": media,
        "supplements": [{"title": s.title, "added_at": s.added_at, "added_by": _name(s.added_by),
                         "note": getattr(s, "note", "")} for s in supplements],
        "checkpoint": _checkpoint(pieces),
    }
