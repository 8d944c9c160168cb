"""Writes of the documents app (执法文书), each in one transaction with its ledger entry; every
refused act of a person in the ledger too (documents.refused: the act and its codes, never the text).

`issue_document(actor, record)` — 签发: a complete record (every signature and approval its rule
asks) gets its 文号 (numbers.issue_number), is rendered with it and the link of its verification
page (render.render_pdf), sealed with the agency's e-seal (seal.seal_pdf), stored (the sealed PDF
and its PDF/A archive copy, media.store) and written as an IssuedDocument with an event carrying
both SHA-256 — all in one transaction: a failure leaves no number used, no row, no blob row.
Re-issue (重新签发, `reason=`, and `replaces=` for a document of another record): a leader issues
the corrected document with a NEW 文号 and, in the same transaction, the earlier one is marked
replaced by it (DocumentWithdrawal, documents.replace).
`revoke_document(actor, doc, reason)` — 撤销: the 机关负责人 ends an issued document's effect.
`void_number` (numbers.py) voids a 文号 with its reason; `import_seal` puts a PKCS#12's certificate
in place of the agency's seal. `log_public_view` / `log_public_check` / `log_public_refusal` trace
the public verification page (扫码验真): reads by nobody logged in, without the client's address.
"""
from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from liuhen.accounts.roles import LEADER_ROLES, Role
from liuhen.accounts.services import require_valid_certificate
from liuhen.cases import access
from liuhen.common import text as texts
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.media import store
from liuhen.records import vocabulary as record_vocabulary
from liuhen.records.selectors import record_with_state

from . import issue_checks, numbers, seal
from . import vocabulary as v
from .models import DocumentStatus, DocumentWithdrawal, IssuedDocument, WithdrawalKind
from .numbers import issue_number, void_number  # noqa: F401 — the app's writes, in one place

ARCHIVE_VARIANT = "pdf/a-3b"  # WeasyPrint's PDF/A-3b: the archive copy (ISSUE 16 item 6)
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"  # what `make run` serves, when LIUHEN_PUBLIC_URL is not set
TOKEN_BYTES = 8  # secrets.token_urlsafe(8): 11 URL-safe characters, 64 random bits
REASON_MAX = 500
# Who revokes (撤销) an issued document: the 机关负责人 only. A document goes out in the agency's
# name, and its effect is ended by the person who decides in that name: the 机关负责人 decides a
# general-procedure penalty (行政处罚法 57) and corrects it (行政处罚法 75: 自行纠正; a 行政复议
# decision that sets it aside is carried out by the agency). A 承办机构负责人 may void a number or
# re-issue a corrected document (the paper is replaced, its effect continues in the new one), not
# end the effect of a decision.
REVOKE_ROLES = frozenset({Role.AGENCY_HEAD})
# Who re-issues (重新签发) a corrected document in place of an issued one: a leader (承办机构负责人 or
# 机关负责人), as for voiding a 文号 (numbers.void_number) — never the officer alone.
REISSUE_ROLES = LEADER_ROLES


def _about(actor, record=None, *rest):
    if record is not None and getattr(record, "pk", None) is not None:
        return record_vocabulary.RECORD, record.pk
    return v.SEAL, getattr(actor, "agency_id", "") or ""


def may_issue(user, record) -> bool:
    """Who issues a record's document: a person who works on the case (its officers), or a leader
    (承办机构负责人, 机关负责人) who may see it — the document goes out in the agency's name."""
    if user is None or not user.is_authenticated or not user.is_active or user.agency_id != record.case.agency_id:
        return False
    if user.has_role(*LEADER_ROLES) and access.can_view(user, record.case):
        return True
    return user.has_role(Role.OFFICER) and access.can_work(user, record.case)


def may_issue_now(user, record) -> bool:
    """may_issue, and as an officer with a valid 执法证 today: what the record page offers 签发 to."""
    return may_issue(user, record) and (not _as_officer(user, record) or user.certificate_on() is not None)


def _as_officer(user, record) -> bool:
    """Issuing as an officer of the case (not as a leader): an officer's act, which needs a valid
    执法证 (LC 10), checked by issue_document."""
    return not (user.has_role(*LEADER_ROLES) and access.can_view(user, record.case))


def public_url(base_url: str | None = None) -> str:
    """The root of the verification links: the request's host (given by a view), else the setting
    LIUHEN_PUBLIC_URL, else the address `make run` serves."""
    base = base_url or getattr(settings, "LIUHEN_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL
    return base.rstrip("/")


def verify_url(token: str, base_url: str | None = None) -> str:
    """The link the QR code carries: the public root and the path of the verification page
    (public_views.verify, URL name "document_verify"), so that the paper and the page cannot part."""
    from django.urls import reverse

    return f"{public_url(base_url)}{reverse('document_verify', args=[token])}"


def _new_token() -> str:
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not IssuedDocument.objects.filter(token=token).exists():
            return token


def _put(data: bytes) -> str:
    return store.put(io.BytesIO(data), max_bytes=max(len(data), 1)).sha256


def _public_safe(actor, doc: IssuedDocument, reason: str, label: str) -> None:
    """A reason shown on the public verification page (a revocation's) must not name a party of the
    case (name, ID number) nor an officer: the page carries no personal data (个人信息保护法 6: no
    more than its purpose needs)."""
    from .selectors import names_a_person

    if names_a_person(doc.record.case_id, reason, users=(doc.issued_by, actor)):
        raise ValidationError(f"{label}将在公开的验真页上显示，不能含有当事人或执法人员的姓名、名称、证件号码。",
                              code="reason_personal")


def _reason(reason, label: str) -> str:
    reason = texts.clean(reason or "", label, max_length=REASON_MAX).strip()
    if not reason:
        raise ValidationError(f"请填写{label}。", code="reason_required")
    return reason


def _status_refusal(doc: IssuedDocument, what: str) -> ValidationError | None:
    """Why `doc` can no longer be revoked / replaced (None: it is valid)."""
    status = doc.status
    if status == DocumentStatus.VOIDED:
        return ValidationError(f"文书（文号 {doc.number.text}）的文号已作废，不能{what}。", code="voided")
    if status == DocumentStatus.REVOKED:
        return ValidationError(f"文书（文号 {doc.number.text}）已撤销，不能{what}。", code="already_revoked")
    if status == DocumentStatus.REPLACED:
        return ValidationError(f"文书（文号 {doc.number.text}）已被替换，不能{what}。", code="already_replaced")
    return None


def _predecessor(actor, record, version: int, replaces: IssuedDocument | None):
    """The issued document a re-issue of `record` replaces, or None for a first issue: the document
    of an earlier version of the record, or `replaces` (a document of another record of the same
    case and kind: the record voided and made again). Refused: the same version issued already; a
    document that cannot be replaced; a re-issue by someone who is not a leader."""
    earlier = IssuedDocument.objects.filter(record=record).select_related("number").order_by("-record_version").first()
    if earlier is not None and earlier.record_version == version:
        raise ValidationError(f"该文书已签发（文号 {earlier.number.text}），不能重复签发。", code="already_issued")
    if replaces is None and earlier is None:
        return None, False
    if not may_reissue(actor):
        raise PermissionDenied("重新签发文书须由承办机构负责人或机关负责人决定。")
    if replaces is not None:
        replaces = IssuedDocument.objects.select_related("number", "record").get(pk=replaces.pk)
        if earlier is not None and replaces.pk != earlier.pk:
            raise ValidationError(f"该记录的第{earlier.record_version}版已签发（文号 {earlier.number.text}），"
                                  "重新签发只能替换该文书。", code="bad_replaces")
        if replaces.record.case_id != record.case_id or replaces.kind != record.record_type.code:
            raise ValidationError(f"被替换的文书（文号 {replaces.number.text}）不是本案的同类文书。",
                                  code="bad_replaces")
    target = replaces or earlier
    refusal = _status_refusal(target, "被替换")
    if refusal is not None:
        if replaces is not None:
            raise refusal
        return None, True  # an earlier version that is void or revoked already: re-issued, nothing to mark
    return target, True


@refusals.records_refusals(v.REFUSED, "issue", _about)
def issue_document(actor, record, *, base_url: str | None = None, reason: str = "",
                   replaces: IssuedDocument | None = None) -> IssuedDocument:
    """签发: the sealed document of `record`'s latest version (see the module's docstring).

    Re-issue (重新签发): when an earlier version of `record` was issued, or `replaces` names an issued
    document of another record of the same case and kind (the record voided and made again), a
    leader (REISSUE_ROLES) issues it with `reason` (required) and a NEW 文号; in the same
    transaction the earlier document is marked replaced by the new one (documents.replace).

    Refused (ValidationError / PermissionDenied, recorded in the ledger): a person who may not issue
    it; a voided or incomplete record (the message names what is missing); a version already issued;
    a re-issue without a reason or by someone not a leader; a document to replace that is voided,
    revoked or replaced already, or of another case or kind."""
    from .render import render_pdf

    if not may_issue(actor, record):
        raise PermissionDenied("只有本案承办人员或负责人可以签发文书。")
    if _as_officer(actor, record):
        require_valid_certificate(actor)  # LC 10: an officer acts with a valid certificate
    state = record_with_state(record.pk)
    if state.voided:
        raise ValidationError("该记录已作废，不能签发文书。", code="record_void")
    if state.missing:
        # Only a complete record is sealed (ISSUE 16 item 3): the paper a party holds carries every
        # signature and approval the record's rule asks (LQ 17; 行政处罚法 57 for the approval).
        raise ValidationError(f"记录尚不完整，不能签发：还缺{'、'.join(state.missing)}。", code="incomplete")
    issue_checks.check_issue(actor, record)  # the apps above: e.g. the legal review's gate (LW-L 9, 18)
    version = state.latest.number
    predecessor, reissue = _predecessor(actor, record, version, replaces)
    if reissue:
        reason = _reason(reason, "重新签发理由")
    case = record.case
    agency = case.agency
    kind = record.record_type.code
    with transaction.atomic():
        number = issue_number(actor, agency, kind, record=record)
        token = _new_token()
        url = verify_url(token, base_url)
        seal_reason = f"{record.record_type.name} {number.text}"
        sealed = seal.seal_pdf(render_pdf(record, number=number.text, verify_url=url), agency, reason=seal_reason)
        archive = seal.seal_pdf(render_pdf(record, number=number.text, verify_url=url, pdf_variant=ARCHIVE_VARIANT),
                                agency, reason=seal_reason)
        pdf_sha, archive_sha = _put(sealed), _put(archive)
        try:
            with transaction.atomic():
                doc = IssuedDocument.objects.create(record=record, record_version=version, number=number, kind=kind,
                                                    pdf_sha256=pdf_sha, archive_sha256=archive_sha, token=token,
                                                    issued_by=actor)
        except IntegrityError as exc:  # the same version issued by another request meanwhile
            raise ValidationError("该文书已签发，不能重复签发。", code="already_issued") from exc
        detail = {"record": record.pk, "record_version": version, "case": case.pk, "kind": kind,
                  "number": number.pk, "text": number.text, "pdf_sha256": pdf_sha, "archive_sha256": archive_sha}
        if predecessor is not None:
            detail["replaces"] = predecessor.pk
        ledger.append(v.ISSUE, actor=actor, object_type=doc.ledger_object_type, object_id=doc.pk,
                      content_sha256=doc.ledger_digest(), blobs=[pdf_sha, archive_sha], detail=detail)
        if predecessor is not None:
            _withdraw(actor, predecessor, WithdrawalKind.REPLACED, reason, replacement=doc)
    return doc


def _withdraw(actor, doc: IssuedDocument, kind: str, reason: str, *, replacement=None) -> DocumentWithdrawal:
    """The withdrawal row and its event, inside the caller's transaction. A second withdrawal of the
    same document (two leaders at once) is refused by the database: the caller's act is undone."""
    try:
        with transaction.atomic():
            row = DocumentWithdrawal.objects.create(document=doc, kind=kind, reason=reason, replacement=replacement,
                                                    withdrawn_by=actor)
    except IntegrityError as exc:
        raise ValidationError(f"文书（文号 {doc.number.text}）已被撤销或替换。", code="already_withdrawn") from exc
    action = v.REVOKE if kind == WithdrawalKind.REVOKED else v.REPLACE
    ledger.append(action, actor=actor, object_type=row.ledger_object_type, object_id=row.pk,
                  content_sha256=row.ledger_digest(),
                  detail={"document": doc.pk, "text": doc.number.text, "kind": kind,
                          "replacement": replacement.pk if replacement is not None else None})
    return row


def may_reissue(user) -> bool:
    """A leader (REISSUE_ROLES) re-issues a corrected document in place of an issued one."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_role(*REISSUE_ROLES))


def may_revoke(user, doc: IssuedDocument) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.agency_id == doc.number.agency_id and user.has_role(*REVOKE_ROLES))


def _about_document(actor, doc=None, *rest):
    if isinstance(doc, IssuedDocument):
        return doc.ledger_object_type, doc.pk
    return v.SEAL, getattr(actor, "agency_id", "") or ""


@refusals.records_refusals(v.REFUSED, "revoke", _about_document)
def revoke_document(actor, doc: IssuedDocument, reason: str) -> DocumentWithdrawal:
    """撤销: the 机关负责人 (REVOKE_ROLES) ends the effect of an issued document — after a 行政复议
    decision sets it aside, or as the agency's own correction (行政处罚法 75) — with its reason,
    which the public verification page shows (so it may not name a party). The document keeps its
    row, its 文号 and its page, which says 已撤销.

    Refused (recorded in the ledger): someone else; no reason; a reason naming a party; a document
    voided, revoked or replaced already."""
    doc = IssuedDocument.objects.select_related("number", "record__case", "issued_by").get(pk=doc.pk)
    if not may_revoke(actor, doc):
        raise PermissionDenied("只有本机关的机关负责人可以撤销文书。")
    reason = _reason(reason, "撤销理由")
    _public_safe(actor, doc, reason, "撤销理由")
    with transaction.atomic():
        refusal = _status_refusal(doc, "撤销")
        if refusal is not None:
            raise refusal
        return _withdraw(actor, doc, WithdrawalKind.REVOKED, reason)


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


# ---- the public verification page (扫码验真): reads by anyone, traced without the client's address ----

def _anonymous(action: str, object_type: str, object_id, detail: dict) -> None:
    ledger.append_public(action, object_type, object_id, detail)


def log_public_view(doc: IssuedDocument) -> None:
    _anonymous(v.PUBLIC_VIEW, doc.ledger_object_type, doc.pk, {"issued_document": doc.pk})


def log_public_check(doc: IssuedDocument, sha256: str, verdict: str) -> None:
    _anonymous(v.PUBLIC_CHECK, doc.ledger_object_type, doc.pk,
               {"issued_document": doc.pk, "sha256": sha256, "verdict": verdict})


def log_public_refusal(act: str, code: str, doc: IssuedDocument | None = None, path: str = "") -> None:
    """A refused act on the public page (an upload that is no PDF, too large; a link that names no
    document): the act and its code, as every refusal (documents.refused)."""
    if doc is not None:
        _anonymous(v.REFUSED, doc.ledger_object_type, doc.pk, {"act": act, "codes": [code], "issued_document": doc.pk})
    else:
        _anonymous(v.REFUSED, "path", path[:64], {"act": act, "codes": [code]})


__all__ = ["issue_document", "revoke_document", "issue_number", "void_number", "import_seal", "record_export",
           "may_issue", "may_reissue", "may_revoke", "verify_url", "public_url", "numbers", "log_public_view", "log_public_check",
           "log_public_refusal"]
