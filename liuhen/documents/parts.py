"""What the documents app shows on the record and case pages (through records/pages.py and
cases/pages.py, registered in DocumentsConfig.ready()): the 执法文书 panel of a record that is a
document — print view, draft PDF / DOCX, its issue state (what is still missing, 签发 for whoever may
issue it, the issued 文号 with its status and verification link) — and the case's documents in one
list with 打印全部文书. The pages' own views are already in the ledger (record.view, case.view)."""
from . import selectors, services, vocabulary
from .render import is_document

RECORD_TEMPLATE = "documents/record_part.html"
CASE_TEMPLATE = "documents/case_part.html"


def _issued_info(doc) -> dict:
    return {"doc": doc, "status": selectors.status_of(doc), "status_label": selectors.status_label(doc),
            "verify_path": f"/v/{doc.token}"}


def record_page(user, record, state) -> dict:
    if not is_document(record.record_type.code, agency_id=record.case.agency_id):
        return {"document_part": None}
    issued = selectors.issued_for(record)
    latest_issued = issued is not None and issued.record_version == state.latest.number
    ready = not state.voided and state.complete and not latest_issued and not record.case.is_archived
    # A document issued for a record that was voided and made again: this record's document is issued
    # in its place (重新签发) by a leader, with a reason, and the earlier one is marked replaced.
    replaces = _replaceable(record) if ready and issued is None else None
    leader = services.may_reissue(user)
    return {"document_part": {
        "issued": _issued_info(issued) if issued else None,
        # 签发 is offered where the service will accept it: a complete, not voided record whose latest
        # version is not issued yet, to whoever may issue it (services.may_issue) — a re-issue (an
        # earlier version issued, or a document to replace) to a leader only.
        "can_issue": ready and issued is None and replaces is None and services.may_issue_now(user, record),
        "reissue": ready and (issued is not None or replaces is not None) and leader
        and services.may_issue_now(user, record),
        "reissue_needs_leader": ready and (issued is not None or replaces is not None) and not leader,
        "replaces": replaces,
        "can_revoke": (issued is not None and selectors.status_of(issued) == "valid"
                       and services.may_revoke(user, issued)),
        "missing": ([] if state.complete or state.voided else list(state.missing)),
        "voided": state.voided,
    }}


def _replaceable(record):
    """The valid issued document of a voided record of the same case and kind, if any (the latest)."""
    from liuhen.records.selectors import record_with_state

    from .models import IssuedDocument

    for doc in (IssuedDocument.objects.filter(record__case_id=record.case_id, kind=record.record_type.code)
                .exclude(record=record).select_related("number", "record").order_by("-issued_at")):
        if selectors.status_of(doc) == "valid" and record_with_state(doc.record_id).voided:
            return doc
    return None


def case_page(user, case, *, can_work) -> dict:
    from liuhen.records.selectors import states_for_case

    from .render import document_codes

    kinds = document_codes(case.agency_id)  # read once for the page: the case page's queries stay constant
    states = [s for s in states_for_case(case) if s.record.record_type.code in kinds]
    states.sort(key=lambda s: s.record.serial)
    issued = _latest_issued([s.record.pk for s in states])
    rows = []
    for s in states:
        doc = issued.get(s.record.pk)
        rows.append({"state": s, "record": s.record, "issued": _issued_info(doc) if doc else None})
    return {"case_documents": rows}


def _latest_issued(record_ids) -> dict:
    """Each record's latest issued document, by record id (one query for the case's list)."""
    from .models import IssuedDocument

    out = {}
    for doc in (IssuedDocument.objects.filter(record_id__in=record_ids).select_related("number")
                .order_by("record_version")):
        out[doc.record_id] = doc
    return out


def register() -> None:
    from liuhen.cases import pages as case_pages
    from liuhen.records import pages as record_pages

    record_pages.register_trail_labels(vocabulary.ACTION_LABELS)
    record_pages.register_record_page(record_page)
    record_pages.register_record_part(RECORD_TEMPLATE)
    case_pages.register_case_page(case_page)
    case_pages.register_case_part(CASE_TEMPLATE)
