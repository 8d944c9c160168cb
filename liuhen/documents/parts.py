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
    return {"document_part": {
        "issued": _issued_info(issued) if issued else None,
        # 签发 is offered where the service will accept it: a complete, not voided record whose latest
        # version is not issued yet, to whoever may issue it (services.may_issue).
        "can_issue": (not state.voided and state.complete and not latest_issued and issued is None
                      and not record.case.is_archived and services.may_issue(user, record)),
        "missing": ([] if state.complete or state.voided else list(state.missing)),
        "voided": state.voided,
    }}


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
