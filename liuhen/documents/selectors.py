"""Reads of the documents app: a record's issue state, an issued document's status, the list of
文号 per agency / kind / year with the voided ones and their reasons (gaps explained), and what the
public verification page (扫码验真) shows of a document: its facts without personal data, its
inclusion proof against the latest signed checkpoint, the comparison of an uploaded PDF."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from liuhen.records.selectors import record_with_state

from . import vocabulary as v
from .models import DocumentNumber, DocumentStatus, DocumentWithdrawal, IssuedDocument, NumberVoid

# A verification link's token as services._new_token makes it (secrets.token_urlsafe): anything else
# names no document and is not looked up.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,16}")


@dataclass
class IssueState:
    """Can `record` be issued now? `complete` (every signature and approval its rule asks, not void),
    `missing` (what is still needed, in Chinese), `issued` (the document of its latest version)."""

    record: object
    version: int
    complete: bool
    missing: list
    issued: IssuedDocument | None

    @property
    def issuable(self) -> bool:
        return self.complete and self.issued is None


def issue_state(record) -> IssueState:
    st = record_with_state(record.pk)
    missing = (["记录已作废"] if st.voided else []) + list(st.missing)
    return IssueState(record=record, version=st.latest.number, complete=st.complete, missing=missing,
                      issued=issued_for(record, st.latest.number))


def issued_for(record, version: int | None = None) -> IssuedDocument | None:
    """The issued document of `record` (of that version; None: the latest issued)."""
    qs = IssuedDocument.objects.filter(record=record).select_related("number", "issued_by")
    if version is not None:
        qs = qs.filter(record_version=version)
    return qs.order_by("-record_version").first()


def well_formed_token(token) -> bool:
    return isinstance(token, str) and TOKEN_RE.fullmatch(token) is not None


def by_token(token: str) -> IssuedDocument | None:
    """The issued document a verification link names (None for an unknown or malformed token)."""
    if not well_formed_token(token):
        return None
    return IssuedDocument.objects.filter(token=token).select_related("number", "record", "number__agency").first()


def status_of(doc: IssuedDocument) -> str:
    """valid / voided / revoked / replaced (DocumentStatus): IssuedDocument.status, the one rule
    (models.document_status)."""
    return doc.status


def withdrawal_of(doc: IssuedDocument) -> DocumentWithdrawal | None:
    return (DocumentWithdrawal.objects.filter(document=doc).select_related("replacement__number", "withdrawn_by")
            .first())


def status_label(doc: IssuedDocument) -> str:
    return DocumentStatus(doc.status).label


@dataclass
class NumberRow:
    number: DocumentNumber
    void: NumberVoid | None
    document: IssuedDocument | None

    @property
    def status(self) -> str:
        return "voided" if self.void else "issued"

    @property
    def status_label(self) -> str:
        return "已作废" if self.void else "已使用"


def number_list(agency, *, kind: str | None = None, year: int | None = None) -> list[NumberRow]:
    """Every 文号 of the agency (of one kind / year if given), in sequence order, each with its void
    (reason, who, when) and the document it was given to: voided numbers stay listed, so a gap in
    what was served is explained."""
    qs = DocumentNumber.objects.filter(agency=agency).select_related("record", "issued_by")
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=year)
    rows = list(qs.order_by("kind", "year", "n"))
    ids = [r.pk for r in rows]
    voids = {x.number_id: x for x in NumberVoid.objects.filter(number_id__in=ids).select_related("voided_by")}
    docs = {d.number_id: d for d in IssuedDocument.objects.filter(number_id__in=ids)}
    return [NumberRow(r, voids.get(r.pk), docs.get(r.pk)) for r in rows]


def gaps(agency, kind: str, year: int) -> list[int]:
    """Numbers missing from 1..max of a sequence (none when nothing went wrong: a voided number is
    listed, not missing)."""
    ns = sorted(DocumentNumber.objects.filter(agency=agency, kind=kind, year=year).values_list("n", flat=True))
    have = set(ns)
    return [n for n in range(1, (ns[-1] if ns else 0) + 1) if n not in have]


# ---- the public verification page (扫码验真) ----------------------------------------------------------

# The shown reason when a reason names a party: the page carries no personal data.
REASON_WITHHELD = "（理由含个人信息，不予公开）"


def names_a_person(case_id, text: str, *, users=()) -> bool:
    """Does `text` name a person the public page must not: a party of the case (name or ID number,
    every version of it), an officer of the case, or one of `users` (who issued, voided, revoked)?"""
    from liuhen.cases.models import CaseOfficer, Party

    values = []
    for party in Party.objects.filter(case_id=case_id):
        values += [party.name, party.id_number]
    values += CaseOfficer.objects.filter(case_id=case_id).values_list("officer__full_name", flat=True)
    values += [getattr(u, "full_name", "") for u in users if u is not None]
    return any(value and len(value) >= 2 and value in text for value in values)


def _public_reason(doc: IssuedDocument, reason: str, by=None) -> str:
    """A void's or revocation's reason as the public page may show it: withheld when it names a
    person (revocations are refused such a reason; a 文号's void reason is not checked when written)."""
    if names_a_person(doc.record.case_id, reason, users=(doc.issued_by, by)):
        return REASON_WITHHELD
    return reason


def document_title(doc: IssuedDocument) -> str:
    """The document's name (文书名称): the agency profile's title of its kind, else the record type's."""
    from liuhen.profiles.selectors import agency_section

    name = doc.record.record_type.name
    try:
        title = agency_section(doc.number.agency_id, "documents").kind(doc.kind).title
    except (AttributeError, KeyError, LookupError, TypeError):
        title = ""
    return title or name


def issue_entry(doc: IssuedDocument):
    """The ledger entry of the document's issue (documents.issue)."""
    from liuhen.ledger.models import Entry

    return (Entry.objects.filter(action=v.ISSUE, object_type=doc.ledger_object_type, object_id=str(doc.pk))
            .order_by("pk").first())


def logged_hashes(entry) -> dict:
    """The SHA-256 of the sealed PDF and of its archive copy as the issue's event recorded them."""
    if entry is None:
        return {}
    try:
        detail = json.loads(bytes(entry.leaf)).get("detail") or {}
    except (ValueError, AttributeError):
        return {}
    return {"pdf": str(detail.get("pdf_sha256") or ""), "archive": str(detail.get("archive_sha256") or "")}


@dataclass
class PublicFacts:
    """What anyone may learn of an issued document (no personal data: no party, no address, no body,
    no officer): its name, 文号, agency, date, status and why, what replaced it or what it replaced,
    the sealed PDF's SHA-256 as logged."""

    doc: IssuedDocument
    title: str
    number: str
    agency: str
    issued_on: object
    status: str
    status_label: str
    reason: str = ""
    status_at: object = None
    replacement: IssuedDocument | None = None
    replaces: IssuedDocument | None = None
    pdf_sha256: str = ""
    archive_sha256: str = ""
    consistent: bool = True  # the row's hashes are those the issue's event logged


def public_facts(doc: IssuedDocument) -> PublicFacts:
    from django.utils import timezone

    status = status_of(doc)
    reason, at, replacement, by = "", None, None, None
    if status == DocumentStatus.VOIDED:
        void = NumberVoid.objects.select_related("voided_by").get(number_id=doc.number_id)
        reason, at, by = void.reason, void.voided_at, void.voided_by
    else:
        w = withdrawal_of(doc)
        if w is not None:
            at, replacement = w.withdrawn_at, w.replacement
            if status == DocumentStatus.REVOKED:
                reason, by = w.reason, w.withdrawn_by
    before = DocumentWithdrawal.objects.filter(replacement=doc).select_related("document__number").first()
    logged = logged_hashes(issue_entry(doc))
    return PublicFacts(
        doc=doc, title=document_title(doc), number=doc.number.text, agency=doc.number.agency.name,
        issued_on=timezone.localtime(doc.issued_at).date(), status=status, status_label=DocumentStatus(status).label,
        reason=_public_reason(doc, reason, by) if reason else "", status_at=at, replacement=replacement,
        replaces=before.document if before is not None else None,
        pdf_sha256=logged.get("pdf") or doc.pdf_sha256, archive_sha256=logged.get("archive") or doc.archive_sha256,
        consistent=logged == {"pdf": doc.pdf_sha256, "archive": doc.archive_sha256})


@dataclass
class InclusionProof:
    """The issue event's inclusion in the log's latest signed checkpoint, checked here with the
    ledger's own verifier (ledger.services.prove). verdict: "ok" (proven), "pending" (the event is
    newer than the checkpoint: it will be in the next one), "no_checkpoint", "failed"."""

    verdict: str
    entry_id: int | None = None
    leaf_index: int | None = None
    leaf_hash: str = ""
    path: list = field(default_factory=list)
    tree_size: int | None = None
    root_hash: str = ""
    origin: str = ""
    note: str = ""
    checkpoint_at: object = None
    keys: list = field(default_factory=list)  # [{"key_id", "algorithm", "vkey", "fingerprint"}] of the signers
    error: str = ""


def _signers(note_text: str) -> list[dict]:
    """The keys that signed the checkpoint: key ID, algorithm, the verifier key (public) and its
    SHA-256 fingerprint (of the verifier key's text, as published in checkpoints/log.vkey)."""
    from liuhen.ledger import signing
    from liuhen.ledger.core import note

    out = []
    for ver in note.signers_of(note_text, signing.verifiers()):
        vkey = ver.vkey()
        out.append({"key_id": ver.key_id.hex(), "algorithm": signing.kind_of(ver), "vkey": vkey,
                    "fingerprint": hashlib.sha256(vkey.encode()).hexdigest()})
    return out


def inclusion_proof(doc: IssuedDocument) -> InclusionProof:
    from liuhen.ledger import services as ledger

    entry = issue_entry(doc)
    if entry is None:
        return InclusionProof(verdict="failed", error="日志中没有该文书的签发记录")
    try:
        result = ledger.prove([entry.pk])
    except ValueError as exc:  # the checkpoint's signature or text does not verify
        return InclusionProof(verdict="failed", entry_id=entry.pk, error=f"日志检查点无法验证：{exc}")
    ckpt = result["checkpoint"]
    if ckpt is None:
        return InclusionProof(verdict="no_checkpoint", entry_id=entry.pk)
    [p] = result["proofs"]
    verdict = "pending" if p.get("pending") else ("ok" if p["ok"] else "failed")
    try:
        keys = _signers(ckpt["note"])
    except ValueError:
        keys = []
    return InclusionProof(
        verdict=verdict, entry_id=entry.pk, leaf_index=p.get("seq"), leaf_hash=p.get("leaf_hash", ""),
        path=p.get("proof", []), tree_size=ckpt["size"], root_hash=ckpt["root"], origin=ckpt["origin"],
        note=ckpt["note"], checkpoint_at=ckpt["created_at"], keys=keys,
        error="" if verdict in ("ok", "pending") else p.get("error", ""))


@dataclass
class UploadCheck:
    """An uploaded PDF compared byte for byte with the issued one: its SHA-256, the verdict
    (vocabulary.MATCH_PDF / MATCH_ARCHIVE / MISMATCH), and whether the agency's stored copy still
    has the logged hash (`stored_intact`)."""

    sha256: str
    verdict: str
    expected_pdf: str
    expected_archive: str
    stored_intact: bool = True

    @property
    def matches(self) -> bool:
        return self.verdict in (v.MATCH_PDF, v.MATCH_ARCHIVE)


def check_upload(facts: PublicFacts, sha256: str) -> UploadCheck:
    """Compare an upload's SHA-256 with the hashes the issue's event logged (the hashes its
    inclusion proof covers), and re-hash the stored copy it matches (media.store.verify)."""
    from liuhen.media import store

    if sha256 == facts.pdf_sha256:
        verdict, stored = v.MATCH_PDF, facts.pdf_sha256
    elif sha256 == facts.archive_sha256:
        verdict, stored = v.MATCH_ARCHIVE, facts.archive_sha256
    else:
        verdict, stored = v.MISMATCH, None
    intact = True
    if stored is not None:
        try:
            intact = store.verify(stored)
        except (OSError, ValueError):
            intact = False
    return UploadCheck(sha256=sha256, verdict=verdict, expected_pdf=facts.pdf_sha256,
                       expected_archive=facts.archive_sha256, stored_intact=intact)


def issued_of_case(case, record_type_code: str) -> list[IssuedDocument]:
    """The documents issued for the case's records of one type (e.g. its 决定书: the first and any that
    replaced it), in the order they were issued."""
    return list(IssuedDocument.objects.filter(record__case=case, record__record_type__code=record_type_code)
                .select_related("number", "record").order_by("issued_at", "id"))
