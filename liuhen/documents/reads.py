"""The documents' reads, traced in the ledger as views of the record (SPEC §4: every read of case
content is logged): records' own read action `record.view`, its detail saying which form was read
(print view, a case's print view, draft PDF, draft DOCX). No personal data in the event."""
from liuhen.ledger import services as ledger
from liuhen.records import vocabulary as RV

PRINT, CASE_PRINT, DRAFT_PDF, DRAFT_DOCX = "print", "case_print", "draft_pdf", "draft_docx"


def log_read(actor, record, version, form: str) -> None:
    ledger.append(RV.VIEW, actor=actor, object_type=RV.RECORD, object_id=record.pk,
                  object_version=version.number, content_sha256=version.content_sha256,
                  detail={"document": form})
