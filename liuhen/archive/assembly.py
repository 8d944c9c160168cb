"""组卷 — the case file assembled once (BX 11, LC 31, LQ 28: 形成案卷): the 案卷 as one PDF/A (volume.py)
and each document never issued as its own PDF/A, rendered and stored, with their event. Every later
export (package.py) and download of the volume hands on these bytes: what was archived is not laid
out again with a template or a profile changed since, and a package of 2 GB of footage is made by
copying, not by rendering.

A file is assembled when it is first needed (the volume downloaded, the package exported) and again
only when what it holds changed — `file_key`: the items in their order (a record's version, its
issued document), the footage, the supplements after archiving (the 备考表 lists them)."""
from __future__ import annotations

import gc
import hashlib
import json
from io import BytesIO

from django.db import transaction

from liuhen.documents.services import ARCHIVE_VARIANT
from liuhen.media import store

from . import vocabulary as v
from .models import AssembledDocument, AssembledFile
from .contents import Piece, contents
from .selectors import supplements as supplements_of
from .services import log_row


def file_key(pieces: list[Piece], supplements) -> str:
    """What a file holds, as one SHA-256: each item in order, each supplement."""
    items = [["d", p.state.record.pk, p.state.latest.number, p.issued.pk if p.issued is not None else None]
             if p.kind == "document" else ["m", p.footage.pk, p.footage.blob_id] for p in pieces]
    items += [["s", row.supplement.pk] for row in supplements]
    return hashlib.sha256(json.dumps(items, separators=(",", ":")).encode()).hexdigest()


def current(case, key: str) -> AssembledFile | None:
    return AssembledFile.objects.filter(case=case, key=key).select_related("volume").order_by("-id").first()


def assembled(actor, case, pieces: list[Piece] | None = None) -> AssembledFile:
    """The case's file as assembled for what it holds now: the latest assembly of the same content, else
    a new one (rendered here, then written with its events in one transaction)."""
    pieces = contents(case) if pieces is None else pieces
    supplements = supplements_of(case)
    key = file_key(pieces, supplements)
    return current(case, key) or _assemble(actor, case, pieces, supplements, key)


def _assemble(actor, case, pieces, supplements, key) -> AssembledFile:
    from .volume import render

    volume = render(case, supplements=supplements, pieces=pieces)
    documents = []
    for piece in pieces:
        if piece.kind != "document" or piece.issued is not None:
            continue
        laid_out = volume.parts[piece.state.record.pk]  # laid out once, for the volume and for itself
        data = laid_out.write_pdf(pdf_variant=ARCHIVE_VARIANT)
        documents.append((piece.state, store.put(BytesIO(data)), len(laid_out.pages)))
    volume_blob, pages, document_pages = store.put(BytesIO(volume.pdf)), volume.pages, volume.document_pages
    del volume  # its pages' layout (tens of MB) is no longer needed
    gc.collect()
    with transaction.atomic():
        row = AssembledFile.objects.create(case=case, key=key, volume=volume_blob, volume_pages=pages,
                                           document_pages=document_pages, assembled_by=actor)
        row = AssembledFile.objects.select_related("volume").get(pk=row.pk)
        for st, blob, n in documents:
            doc = AssembledDocument.objects.create(assembly=row, record=st.record, version=st.latest.number,
                                                   blob=blob, pages=n)
            doc = AssembledDocument.objects.get(pk=doc.pk)
            log_row(v.ASSEMBLE_DOCUMENT, actor, doc, [blob.sha256], case=case.pk, record=st.record.pk,
                 version=st.latest.number, pages=n)
        log_row(v.ASSEMBLE, actor, row, [volume_blob.sha256, *(b.sha256 for _, b, _ in documents)], case=case.pk,
             pages=pages, documents=len(documents))
    return row

