"""The staff's document pages: 签发 (issue) from the record page, the sealed PDF as issued, and the
文号 register of the agency (every number in sequence, the voided ones with their reasons, 作废文号
for the agency's leaders). Every read is in the ledger, every refusal too (the services record
their own refusals: documents.refused)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from liuhen.accounts.roles import LEADER_ROLES
from liuhen.ledger import services as ledger
from liuhen.media import store

from . import numbers as numbers_module
from . import selectors, services
from . import vocabulary as v
from .models import DocumentNumber, IssuedDocument
from .views import _record_for, base_url

def _act(request, write, *, title: str, back: str, invalid: int, done):
    """Run a service's write; a refusal (already in the ledger: the services record their own) is a
    page saying why with a way back — 403 for no right, `invalid` for the act refused — else back
    with `done(result)` as the message."""
    try:
        result = write()
    except (PermissionDenied, ValidationError) as exc:
        status = 403 if isinstance(exc, PermissionDenied) else invalid
        lines = list(getattr(exc, "messages", None) or [str(exc)])
        return render(request, "web/error.html", {"title": title, "lines": lines, "back": back}, status=status)
    messages.success(request, done(result))
    return redirect(back)


@login_required
@require_POST
def issue(request, pk):
    """签发 a record's document: its 文号, the seal, the archive copy (services.issue_document)."""
    record = _record_for(request, pk)
    replaces = request.POST.get("replaces") or ""
    if replaces:  # a document of this case to re-issue in place of (the service checks it is one)
        replaces = IssuedDocument.objects.filter(pk=int(replaces) if replaces.isdigit() and len(replaces) <= 18 else 0,
                                                 record__case_id=record.case_id).first()
        if replaces is None:
            raise Http404
    reason = request.POST.get("reason") or ""
    return _act(request, lambda: services.issue_document(request.user, record, base_url=base_url(request),
                                                         reason=reason, replaces=replaces or None),
                title="不能签发文书", back=reverse("records:detail", args=[record.pk]), invalid=409,
                done=lambda doc: f"已签发：{doc.number.text}（已加盖电子印章）。")


@login_required
@require_POST
def revoke(request, pk):
    """撤销 an issued document (services.revoke_document: the 机关负责人, with a reason fit for the public page)."""
    doc = IssuedDocument.objects.select_related("number").filter(pk=pk).first()
    if doc is None:
        raise Http404
    record = _record_for(request, doc.record_id)
    return _act(request, lambda: services.revoke_document(request.user, doc, request.POST.get("reason") or ""),
                title="不能撤销文书", back=reverse("records:detail", args=[record.pk]), invalid=400,
                done=lambda _row: f"文书 {doc.number.text} 已撤销（验真页显示“已撤销”）。")


@login_required
def issued_pdf(request, pk):
    """The sealed PDF as issued, byte for byte the stored one — a read of case content, logged."""
    doc = IssuedDocument.objects.select_related("record__case", "number").filter(pk=pk).first()
    if doc is None:
        raise Http404
    record = _record_for(request, doc.record_id)
    if not store.exists(doc.pdf_sha256):
        raise Http404("文件不存在")
    services.record_export(request.user, record, issued=doc, sha256=doc.pdf_sha256, channel="web")
    name = f"{doc.number.text}-{record.record_type.name}.pdf"
    response = FileResponse(store.open_blob(doc.pdf_sha256), as_attachment=True, filename=name,
                            content_type="application/pdf")
    response["Cache-Control"] = "no-store"
    return response


def _register_agency(request):
    user = request.user
    if not numbers_module.may_read_register(user):  # recorded by the 403 handler (web.views)
        raise PermissionDenied("只有本机关的负责人、法制审核、监督和档案人员可以查看文号登记簿。")
    return user.agency


@login_required
def numbers(request):
    """文号登记簿: the agency's numbers in sequence, each with its document and status; voided ones
    stay listed with their reason (ISSUE 16 item 2: gaps are explained)."""
    agency = _register_agency(request)
    kind = (request.GET.get("kind") or "").strip()[:60]
    year = request.GET.get("year") or ""
    year = int(year) if year.isdigit() and len(year) == 4 else None
    rows = selectors.number_list(agency, kind=kind or None, year=year)
    with_gaps = sorted({(r.number.kind, r.number.year) for r in rows})
    gaps = [{"kind": k, "year": y, "missing": selectors.gaps(agency, k, y)} for k, y in with_gaps]
    ledger.append(v.NUMBERS_VIEW, actor=request.user, object_type="agency", object_id=agency.pk,
                  detail={"kind": kind, "year": year, "rows": len(rows)})
    from liuhen.records.models import Record, RecordType

    codes = sorted(set(DocumentNumber.objects.filter(agency=agency).values_list("kind", flat=True)))
    names = dict(RecordType.objects.filter(code__in=codes).values_list("code", "name"))
    cases = dict(Record.objects.filter(pk__in=[r.number.record_id for r in rows if r.number.record_id])
                 .values_list("pk", "case__number"))
    for r in rows:
        # The document's own status where it is more than its number's (撤销, 被替换).
        r.document_status = selectors.status_of(r.document) if r.document is not None and not r.void else ""
        r.document_status_label = selectors.status_label(r.document) if r.document_status else ""
        r.kind_name = names.get(r.number.kind, r.number.kind)
        r.case_number = cases.get(r.number.record_id, "")
    for g in gaps:
        g["kind_name"] = names.get(g["kind"], g["kind"])
    kinds = [(code, names.get(code, code)) for code in codes]
    return render(request, "documents/numbers.html", {
        "rows": rows, "gaps": [g for g in gaps if g["missing"]], "kinds": kinds, "kind": kind, "year": year,
        "can_void": user_may_void(request.user)})


def user_may_void(user) -> bool:
    return user.has_role(*LEADER_ROLES)


@login_required
@require_POST
def void(request, pk):
    """作废文号 with its reason (numbers.void_number: the agency's leaders; recorded, refusals too)."""
    agency = _register_agency(request)
    number = DocumentNumber.objects.filter(pk=pk, agency=agency).first()
    if number is None:
        raise Http404
    return _act(request, lambda: services.void_number(request.user, number, request.POST.get("reason") or ""),
                title="不能作废文号", back=reverse("documents:numbers"), invalid=400,
                done=lambda _void: f"文号 {number.text} 已作废（仍保留在登记簿中）。")
