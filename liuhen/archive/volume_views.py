"""The 案卷 (case-file volume) download: one PDF/A of the case file for whoever may view the case, in
归档管理 or archived. Every download is a read event (archive.volume) with the PDF's SHA-256; every
refusal is recorded."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from liuhen.cases import access
from liuhen.cases.models import Case
from liuhen.documents.render import TemplateFieldError
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.media import store

from . import vocabulary as v
from .parts import shows_volume
from .assembly import assembled
from .contents import contents

NOT_YET = "案件尚未进入归档管理阶段，还不能组卷。"


@login_required
def volume(request, pk):
    case = Case.objects.select_related("agency").filter(pk=pk).first()
    if case is None or not access.can_view(request.user, case):
        if case is not None:
            refusals.record_denied(request, "case", case.pk)
        raise Http404
    access.check_not_by_grant(request.user, case)  # under a 调用单: the watermarked 查阅件 only
    if not shows_volume(case):
        refusals.record_refusal(request, v.REFUSED, [NOT_YET], "case", case.pk, status=409,
                                errors=[ValidationError(NOT_YET, code="not_archive_stage")])
        return render(request, "web/error.html", {"title": "还不能组卷", "lines": [NOT_YET]}, status=409)
    pieces = contents(case)
    try:
        made = assembled(request.user, case, pieces)  # 组卷 once; every later download the same bytes
    except TemplateFieldError as exc:  # the profile's layout is at fault: nothing half-made is sent
        return render(request, "web/error.html", {"title": "文书模板有误", "lines": [str(exc)]}, status=500)
    with store.open_blob(made.volume_id) as f:
        pdf = f.read()
    documents = sum(1 for p in pieces if p.kind == "document")
    ledger.append(v.VOLUME, actor=request.user, object_type="case", object_id=case.pk, blobs=[made.volume_id],
                  detail={"sha256": made.volume_id, "assembly": made.pk, "pages": made.volume_pages,
                          "documents": documents, "media": len(pieces) - documents})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"案卷-{case.number}.pdf")
    response["Cache-Control"] = "no-store"  # a party's name and address: not kept by a shared cache
    return response
