"""Reads of the documents app: a record's issue state, an issued document's status, the list of
文号 per agency / kind / year with the voided ones and their reasons (gaps explained)."""
from __future__ import annotations

from dataclasses import dataclass

from liuhen.records.selectors import record_with_state

from .models import DocumentNumber, DocumentStatus, IssuedDocument, NumberVoid


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


def by_token(token: str) -> IssuedDocument | None:
    """The issued document a verification link names (None for an unknown token)."""
    if not token or len(token) > 16:
        return None
    return IssuedDocument.objects.filter(token=token).select_related("number", "record", "number__agency").first()


def status_of(doc: IssuedDocument) -> str:
    """valid, or voided once its 文号 is voided (DocumentStatus)."""
    return doc.status


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
