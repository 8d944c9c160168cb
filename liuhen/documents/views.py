"""Print views and draft downloads of documents (执法文书). Every read is traced in the ledger like
a view of the record (records' `record.view`, with what was read), every refusal too."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from liuhen.cases import access
from liuhen.cases.models import Case
from liuhen.ledger import refusals
from liuhen.records.models import Record
from liuhen.records.selectors import record_with_state, states_for_case

from . import reads
from .render import TemplateFieldError, document_for, is_document, render_html

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _record_for(request, pk) -> Record:
    """The record if the user may see its case; else 404 as for an id that does not exist (ids
    cannot be enumerated), the denied access recorded in the ledger (as records.views does)."""
    record = Record.objects.select_related("case__agency", "record_type").filter(pk=pk).first()
    if record is None or not access.can_view(request.user, record.case):
        if record is not None:
            refusals.record_denied(request, "record", record.pk)
        raise Http404
    _not_by_grant(request, record.case)
    return record


def _not_by_grant(request, case) -> None:
    # Issue 19 item 5: a copy of an archived file taken under a 调用单 carries the watermark (retrieval).
    access.check_not_by_grant(request.user, case)


def _template_error(request, exc):
    # The profile's layout is at fault, not the user: say which field, show nothing half-filled.
    return render(request, "web/error.html", {"title": "文书模板有误", "lines": [str(exc)]}, status=500)


def base_url(request) -> str | None:
    """The root of the verification links: LIUHEN_PUBLIC_URL when set (the address the public
    reaches; services.public_url), else the address this request came to."""
    from django.conf import settings

    return None if getattr(settings, "LIUHEN_PUBLIC_URL", "") else request.build_absolute_uri("/")


def _as_issued(request, record, state):
    """The document as it stands: with its 文号 and verification link once its latest version is
    issued (the print view shows what the party holds), else the draft (草稿, no number)."""
    from . import services
    from .selectors import issued_for

    doc = issued_for(record, state.latest.number)
    if doc is None:
        return document_for(record, state=state)
    return document_for(record, state=state, number=doc.number.text,
                        verify_url=services.verify_url(doc.token, base_url(request)))


def _html(request, documents, status=200):
    try:
        page = render_html(documents, print_view=True, nonce=str(request.csp_nonce))
    except TemplateFieldError as exc:
        return _template_error(request, exc)
    response = HttpResponse(page, status=status)
    response["Cache-Control"] = "no-store"  # a party's name and address: not kept by a shared cache
    return response


@login_required
def record_print(request, pk):
    """打印视图 of one record as its document: no navigation, no hashes."""
    record = _record_for(request, pk)
    state = record_with_state(record.pk)
    response = _html(request, [_as_issued(request, record, state)])
    if response.status_code == 200:
        reads.log_read(request.user, record, state.latest, reads.PRINT)
    return response


@login_required
def case_print(request, pk):
    """A case's documents in their order (案内序号), each from a new page; voided ones left out."""
    case = Case.objects.select_related("agency").filter(pk=pk).first()
    if case is None or not access.can_view(request.user, case):
        if case is not None:
            refusals.record_denied(request, "case", case.pk)
        raise Http404
    _not_by_grant(request, case)
    states = [s for s in states_for_case(case) if not s.voided
              and is_document(s.record.record_type.code, agency_id=case.agency_id)]
    states.sort(key=lambda s: s.record.serial)
    if not states:
        return render(request, "web/error.html", {
            "title": "没有可打印的文书", "lines": ["该案件还没有执法文书（决定书、告知书、通知书、送达回证等）。"]},
            status=404)
    for s in states:
        s.record.case = case
    response = _html(request, [_as_issued(request, s.record, s) for s in states])
    if response.status_code == 200:
        for s in states:
            reads.log_read(request.user, s.record, s.latest, reads.CASE_PRINT)
    return response


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def _draft(request, pk, render, form: str, extension: str, content_type: str) -> HttpResponse:
    """The record's document as a draft file (草稿: unnumbered, unsealed), its read logged."""
    record = _record_for(request, pk)
    state = record_with_state(record.pk)
    try:
        data = render(record)
    except TemplateFieldError as exc:
        return _template_error(request, exc)
    reads.log_read(request.user, record, state.latest, form)
    return _download(data, f"{record.record_type.name}（草稿）-{record.case.number}-{record.serial}.{extension}",
                     content_type)


@login_required
def draft_pdf(request, pk):
    """The record's document as a PDF draft."""
    from .render import render_pdf

    return _draft(request, pk, render_pdf, reads.DRAFT_PDF, "pdf", "application/pdf")


@login_required
def draft_docx(request, pk):
    """The record's document as an editable Word file."""
    from .docx import render_docx

    return _draft(request, pk, render_docx, reads.DRAFT_DOCX, "docx", DOCX_TYPE)
