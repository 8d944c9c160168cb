"""Writes of the documents app (执法文书), each in one transaction with its ledger entry; every
refused act of a person in the ledger too (documents.refused: the act and its codes, never the text).

`issue_document(actor, record)` — 签发: a complete record (every signature and approval its rule
asks) gets its 文号 (numbers.issue_number), is rendered with it and the link of its verification
page (render.render_pdf), sealed with the agency's e-seal (seal.seal_pdf), stored (the sealed PDF
and its PDF/A archive copy, media.store) and written as an IssuedDocument with an event carrying
both SHA-256 — all in one transaction: a failure leaves no number used, no row, no blob row.
`void_number` (numbers.py) voids a 文号 with its reason; `import_seal` puts a PKCS#12's certificate
in place of the agency's seal.
"""
from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from liuhen.accounts.roles import LEADER_ROLES, Role
from liuhen.cases import access
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.media import store
from liuhen.records import vocabulary as record_vocabulary
from liuhen.records.selectors import record_with_state

from . import numbers, seal
from . import vocabulary as v
from .models import IssuedDocument
from .numbers import issue_number, void_number  # noqa: F401 — the app's writes, in one place

ARCHIVE_VARIANT = "pdf/a-3b"  # WeasyPrint's PDF/A-3b: the archive copy (ISSUE 16 item 6)
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"  # what `make run` serves, when LIUHEN_PUBLIC_URL is not set
TOKEN_BYTES = 8  # secrets.token_urlsafe(8): 11 URL-safe characters, 64 random bits


def _about(actor, record=None, *rest):
    if record is not None and getattr(record, "pk", None) is not None:
        return record_vocabulary.RECORD, record.pk
    return v.SEAL, getattr(actor, "agency_id", "") or ""


def may_issue(user, record) -> bool:
    """Who issues a record's document: a person who works on the case (its officers), or a leader
    (承办机构负责人, 机关负责人) who may see it — the document goes out in the agency's name."""
    if user is None or not user.is_authenticated or not user.is_active or user.agency_id != record.case.agency_id:
        return False
    if user.has_role(Role.OFFICER) and access.can_work(user, record.case):
        return True
    return user.has_role(*LEADER_ROLES) and access.can_view(user, record.case)


def public_url(base_url: str | None = None) -> str:
    """The root of the verification links: the request's host (given by a view), else the setting
    LIUHEN_PUBLIC_URL, else the address `make run` serves."""
    base = base_url or getattr(settings, "LIUHEN_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL
    return base.rstrip("/")


def verify_url(token: str, base_url: str | None = None) -> str:
    return f"{public_url(base_url)}/v/{token}"


def _new_token() -> str:
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not IssuedDocument.objects.filter(token=token).exists():
            return token


def _put(data: bytes) -> str:
    return store.put(io.BytesIO(data), max_bytes=max(len(data), 1)).sha256


@refusals.records_refusals(v.REFUSED, "issue", _about)
def issue_document(actor, record, *, base_url: str | None = None) -> IssuedDocument:
    """签发: the sealed document of `record`'s latest version (see the module's docstring).

    Refused (ValidationError / PermissionDenied, recorded in the ledger): a person who may not issue
    it; a voided or incomplete record (the message names what is missing); a version already issued."""
    from .render import render_pdf

    if not may_issue(actor, record):
        raise PermissionDenied("只有本案承办人员或负责人可以签发文书。")
    state = record_with_state(record.pk)
    if state.voided:
        raise ValidationError("该记录已作废，不能签发文书。", code="record_void")
    if state.missing:
        # Only a complete record is sealed (ISSUE 16 item 3): the paper a party holds carries every
        # signature and approval the record's rule asks (LQ 17; 行政处罚法 57 for the approval).
        raise ValidationError(f"记录尚不完整，不能签发：还缺{'、'.join(state.missing)}。", code="incomplete")
    version = state.latest.number
    earlier = IssuedDocument.objects.filter(record=record).select_related("number").order_by("-record_version").first()
    if earlier is not None:
        if earlier.record_version == version:
            raise ValidationError(f"该文书已签发（文号 {earlier.number.text}），不能重复签发。", code="already_issued")
        raise ValidationError(f"该记录的第{earlier.record_version}版已签发（文号 {earlier.number.text}）；"
                              "修改后重新签发尚不支持。", code="reissue")
    case = record.case
    agency = case.agency
    kind = record.record_type.code
    with transaction.atomic():
        number = issue_number(actor, agency, kind, record=record)
        token = _new_token()
        url = verify_url(token, base_url)
        reason = f"{record.record_type.name} {number.text}"
        sealed = seal.seal_pdf(render_pdf(record, number=number.text, verify_url=url), agency, reason=reason)
        archive = seal.seal_pdf(render_pdf(record, number=number.text, verify_url=url, pdf_variant=ARCHIVE_VARIANT),
                                agency, reason=reason)
        pdf_sha, archive_sha = _put(sealed), _put(archive)
        try:
            with transaction.atomic():
                doc = IssuedDocument.objects.create(record=record, record_version=version, number=number, kind=kind,
                                                    pdf_sha256=pdf_sha, archive_sha256=archive_sha, token=token,
                                                    issued_by=actor)
        except IntegrityError as exc:  # the same version issued by another request meanwhile
            raise ValidationError("该文书已签发，不能重复签发。", code="already_issued") from exc
        ledger.append(v.ISSUE, actor=actor, object_type=doc.ledger_object_type, object_id=doc.pk,
                      content_sha256=doc.ledger_digest(), blobs=[pdf_sha, archive_sha],
                      detail={"record": record.pk, "record_version": version, "case": case.pk, "kind": kind,
                              "number": number.pk, "text": number.text, "pdf_sha256": pdf_sha,
                              "archive_sha256": archive_sha})
    return doc


def record_export(actor, record, *, issued: IssuedDocument | None, sha256: str, channel: str = "cli") -> None:
    """A document's PDF written out (an issued one or a draft): a read of case content, logged."""
    with transaction.atomic():
        ledger.append(v.EXPORT, actor=actor, object_type=record_vocabulary.RECORD, object_id=record.pk,
                      detail={"issued_document": issued.pk if issued else None, "sha256": sha256,
                              "draft": issued is None, "channel": channel})


def import_seal(actor, agency, data: bytes, password: bytes | None) -> dict:
    """The agency's seal certificate from a PKCS#12 (production: a real CA's); logged with its
    fingerprint. A bad file or password: ValidationError, nothing changed (seal.import_pkcs12)."""
    with transaction.atomic():
        info = seal.import_pkcs12(agency, data, password)
        ledger.append(v.SEAL_IMPORT, actor=actor, object_type=v.SEAL, object_id=agency.pk,
                      detail={"subject": info["subject"][:200], "sha256": info["sha256"], "chain": info["chain"]})
    return info


__all__ = ["issue_document", "issue_number", "void_number", "import_seal", "record_export", "may_issue",
           "verify_url", "public_url", "numbers"]
