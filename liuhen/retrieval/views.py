"""档案利用 pages: 我的调阅申请 and a new 调用单 (an archived case picked by its number), a slip's page (its
state, the file's SHA-256, the decision, the watermarked copies), 待审批 for the approvers, and the
archivist's: an outsider's or a party's request entered, the copy made, a case's records classified.

Each POST calls one service. A refused act is in the ledger — the services record their own
(retrieval.refused), a form refused before any service with record_refusal — and is answered with its
Chinese reason: 403 for no right, 409 for an act the state refuses, 400 for bad input; a slip the user
may not see is a 404 like one that does not exist (refusals.record_denied)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from liuhen.accounts.roles import ADMIN_ROLES, Role
from liuhen.cases import acts
from liuhen.cases.models import Case
from liuhen.footage.playback import content_type
from liuhen.ledger import refusals
from liuhen.media import store

from . import forms
from . import selectors as s
from . import services
from . import vocabulary as v
from .models import CopyItem, Kind, RetrievalRequest, SecretNote

CONFLICT_CODES = frozenset({"not_archived", "decided", "not_approved", "refused", "expired", "copied", "staff",
                            "closed_class", "footage_gone"})


def _act(request, write, **kw):
    return acts.run_act(request, write, conflicts=CONFLICT_CODES, **kw)


def _form_refused(request, form, **kw):
    return acts.form_refused(request, form, v.REFUSED, **kw)


def _refused(request, exc, title, back):
    return acts.error_page(request, title, acts.refusal_lines(exc), back, acts.refusal_status(exc, CONFLICT_CODES))


def _works(user) -> bool:
    return user.is_authenticated and user.agency_id is not None and not user.has_role(*ADMIN_ROLES)


def _may_see(user, req: RetrievalRequest) -> bool:
    """The requester, who entered it, who decided it, who may decide it, the agency's archivists."""
    if not _works(user) or user.agency_id != req.case.agency_id:
        return False
    decision = s.decision_of(req)
    return (user.pk in (req.requester_id, req.entered_by_id, getattr(decision, "decided_by_id", None))
            or user.has_role(Role.ARCHIVIST) or s.may_decide(user, req))


def _slip(request, pk) -> RetrievalRequest:
    req = RetrievalRequest.objects.select_related("case", "requester", "entered_by").filter(pk=pk).first()
    if req is None:
        raise Http404
    if not _may_see(request.user, req):
        refusals.record_denied(request, RetrievalRequest.ledger_object_type, pk)
        raise Http404
    return req


def _archived_case(request, number: str):
    return Case.objects.filter(agency_id=request.user.agency_id, number=number.strip()).first()


def slip_url(req) -> str:
    return reverse("retrieval:detail", args=[req.pk])


@login_required
@require_safe
def index(request):
    """我的调阅申请, a new slip by case number, and for the archivist the copies waiting to be made."""
    if not _works(request.user):
        raise PermissionDenied("您无权使用档案调阅。")
    slips = s.my_requests(request.user)
    archivist = request.user.has_role(Role.ARCHIVIST)
    services.log_view(request.user, "agency", request.user.agency_id, page="index", shown=len(slips))
    return render(request, "retrieval/index.html", {
        "slips": slips, "find": forms.FindForm(), "archivist": archivist,
        "to_make": s.copies_to_make(request.user), "pending": len(s.awaiting_decision(request.user)),
        "limit": s.LIST_LIMIT})


def _find(request):
    form = forms.FindForm(request.GET or request.POST)
    if not form.is_valid():
        return form, None, None
    d = form.cleaned_data
    kind = d["kind"]
    if kind != Kind.STAFF and not request.user.has_role(Role.ARCHIVIST):
        form.add_error("kind", ValidationError("外单位和当事人的申请由档案管理员登记。", code="kind"))
        return form, None, None
    case = _archived_case(request, d["number"])
    if case is None or not case.is_archived:
        form.add_error("number", ValidationError("本机关没有该编号的已归档案件。", code="not_archived"))
        return form, None, None
    return form, case, kind


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    """A new 调用单 for the archived case of the number given: a staff member's own, or an outsider's or a
    party's the archivist enters."""
    if not _works(request.user):
        raise PermissionDenied("您无权使用档案调阅。")
    back = reverse("retrieval:index")
    find, case, kind = _find(request)
    if case is None:
        refusals.record_refusal(request, v.REFUSED, [e for errs in find.errors.values() for e in errs], form=find)
        return acts.error_page(request, "不能填写调用单", [e for errs in find.errors.values() for e in errs], back, 400)
    form = forms.RequestForm(request.POST if request.method == "POST" else None, items=s.file_items(case),
                             footage=s.file_footage(case), label=s.footage_label,
                             initial={"days": min(7, s.profile_for_case(case).archive.max_days)})
    ctx = {"case": case, "kind": kind, "kind_label": Kind(kind).label, "form": form, "find": find,
           "max_days": s.profile_for_case(case).archive.max_days,
           "roles": s.role_names(s.approve_roles(case, kind))}
    if request.method == "GET":
        return render(request, "retrieval/new.html", ctx)
    if not form.is_valid():
        return _form_refused(request, form, title="不能提交调用单", back=back, object_type="case", object_id=case.pk)
    d = form.cleaned_data
    common = dict(purpose=d["purpose"], record_ids=d["records"], footage_ids=d["footage"], mode=d["mode"],
                  days=d["days"])
    if kind == Kind.STAFF:
        write = lambda: services.request_retrieval(request.user, case, **common)  # noqa: E731
    else:
        write = lambda: services.register_request(  # noqa: E731
            request.user, case, kind=kind, person=d["person"], id_number=d["id_number"],
            organisation=d["organisation"], letter_number=d["letter_number"], **common)
    try:
        req = write()
    except (PermissionDenied, ValidationError) as exc:
        return _refused(request, exc, "不能提交调用单", back)
    messages.success(request, f"已提交调用单 {req.number}，待{ctx['roles']}审批。")
    return redirect(slip_url(req))


@login_required
@require_safe
def detail(request, pk):
    """A slip: its state, the file's SHA-256 then and now, the decision, what may be done next."""
    req = _slip(request, pk)
    sl = s.slip(req)
    user = request.user
    copy = getattr(req, "copy", None)  # a missing reverse one-to-one is an AttributeError
    services.log_view(user, RetrievalRequest.ledger_object_type, req.pk, case=req.case_id)
    return render(request, "retrieval/detail.html", {
        "slip": sl, "req": req, "case": req.case, "scope": s.scope_records(req),
        "scope_footage": [(it, s.footage_label(it)) for it in s.scope_footage(req)],
        "same_file": s.file_sha256(req.case) == req.file_sha256,
        "may_decide": sl.decision is None and s.may_decide(user, req), "decision_form": forms.DecisionForm(),
        "may_copy": (req.kind != Kind.STAFF and sl.state == s.APPROVED and copy is None
                     and user.has_role(Role.ARCHIVIST)),
        "copy": copy, "copy_items": list(copy.items.all()) if copy else [],
        "archivist": user.has_role(Role.ARCHIVIST),
        "reader": req.kind == Kind.STAFF and user.pk == req.requester_id and sl.state == s.APPROVED})


@login_required
@require_POST
def decide(request, pk):
    req = _slip(request, pk)
    back = slip_url(req)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, title="不能审批调用单", back=back,
                             object_type=RetrievalRequest.ledger_object_type, object_id=req.pk)
    d = form.cleaned_data
    return _act(request, lambda: services.decide(request.user, req, approved=d["approved"], reason=d["reason"]),
                title="不能审批调用单", back=back,
                done=lambda x: f"已{'批准' if x.approved else '不予批准'}调用单 {req.number}。")


@login_required
@require_POST
def make_copy(request, pk):
    req = _slip(request, pk)
    return _act(request, lambda: services.make_copy(request.user, req), title="不能制作复制件", back=slip_url(req),
                done=_copy_done)


def _copy_done(copy) -> str:
    items = list(copy.items.all())
    footage = sum(1 for i in items if i.footage_id)
    return (f"已制作复制件：清单及材料 {len(items) - footage - 1} 件（每页带水印）"
            f"{f'，音像记录 {footage} 件（按原始文件）' if footage else ''}。")


@login_required
@require_safe
def download(request, pk):
    """One item of a copy, for the archivist to hand over or print (a read event): the cover sheet or a
    record's watermarked PDF, or a footage item's bytes as recorded."""
    item = CopyItem.objects.select_related("copy__request__case", "footage").filter(pk=pk).first()
    if item is None:
        raise Http404
    req = _slip(request, item.copy.request_id)
    try:
        sha = services.copy_download(request.user, item)
    except (PermissionDenied, ValidationError) as exc:
        return _refused(request, exc, "不能下载复制件", slip_url(req))
    if not store.exists(sha):
        raise Http404("文件不存在")
    if item.footage_id:
        return FileResponse(store.open_blob(sha), as_attachment=True, content_type=content_type(item.footage),
                            filename=f"{req.case.number}-{item.footage.name}")
    return FileResponse(store.open_blob(sha), as_attachment=True, content_type="application/pdf",
                        filename=f"{req.case.number}-{item.title}-复制件.pdf")


@login_required
@require_safe
def record_pdf(request, pk, record_id):
    """查阅件: a record of the slip's scope as a PDF watermarked for the staff member reading it."""
    req = _slip(request, pk)
    try:
        name, data = services.granted_pdf(request.user, req, record_id)
    except (PermissionDenied, ValidationError) as exc:
        return _refused(request, exc, "不能打开查阅件", slip_url(req))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
@require_safe
def approvals(request):
    """待审批: the slips the user may approve."""
    if not _works(request.user):
        raise PermissionDenied("您无权使用档案调阅。")
    rows = [s.slip(r) for r in s.awaiting_decision(request.user)]
    services.log_view(request.user, "agency", request.user.agency_id, page="approvals", shown=len(rows))
    return render(request, "retrieval/approvals.html", {"slips": rows})


def _archivist_case(request, pk) -> Case:
    case = Case.objects.filter(pk=pk).first()
    if case is None or not _works(request.user) or case.agency_id != request.user.agency_id:
        if case is not None:  # another agency's case: as one that does not exist, and traced
            refusals.record_denied(request, "case", case.pk)
        raise Http404
    if not request.user.has_role(Role.ARCHIVIST):
        refusals.record_denied(request, "case", pk, status=403)
        raise PermissionDenied("只有档案管理员可以设定公开属性。")
    return case


@login_required
@require_safe
def classes(request, pk):
    """公开属性: an archived case's records with their class, and its 涉密材料存放说明."""
    case = _archivist_case(request, pk)
    given = s.classes(case)
    rows = [{"st": st, "code": s.class_of(case, st.record.pk, given),
             "form": forms.ClassForm(initial={"record": st.record.pk, "code": s.class_of(case, st.record.pk, given)},
                                     prefix=f"r{st.record.pk}")}
            for st in s.file_items(case)]
    services.log_view(request.user, "case", case.pk, page="classes")
    return render(request, "retrieval/classes.html", {
        "case": case, "rows": rows, "default": s.class_label(s.profile_for_case(case).archive.classification),
        "notes": SecretNote.objects.filter(case=case).select_related("recorded_by"),
        "secret_form": forms.SecretForm()})


def classes_url(case) -> str:
    return reverse("retrieval:classes", args=[case.pk])


@login_required
@require_POST
def classify(request, pk, record_id):
    case = _archivist_case(request, pk)
    form = forms.ClassForm(request.POST, prefix=f"r{record_id}")
    if not form.is_valid():
        return _form_refused(request, form, title="不能设定公开属性", back=classes_url(case), object_type="case",
                             object_id=case.pk)
    return _act(request, lambda: services.classify(request.user, case, record_id, form.cleaned_data["code"]),
                title="不能设定公开属性", back=classes_url(case),
                done=lambda c: f"已设定为“{s.class_label(c.code)}”。")


@login_required
@require_POST
def secret(request, pk):
    case = _archivist_case(request, pk)
    form = forms.SecretForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, title="不能登记涉密材料存放说明", back=classes_url(case), object_type="case",
                             object_id=case.pk)
    d = form.cleaned_data
    return _act(request, lambda: services.record_secret(request.user, case, title=d["title"], kept_at=d["kept_at"],
                                                        upload=request.FILES.get("file")),
                title="不能登记涉密材料存放说明", back=classes_url(case), done=lambda n: "已登记涉密材料存放说明。")


@login_required
@require_safe
def find_classes(request):
    """The archivist's way to a case's 公开属性 page: by its number."""
    number = (request.GET.get("number") or "").strip()
    case = _archived_case(request, number) if number and _works(request.user) else None
    if case is None or not case.is_archived:
        lines = ["本机关没有该编号的已归档案件。"]
        refusals.record_refusal(request, v.REFUSED, lines, status=404)
        return acts.error_page(request, "找不到案件", lines, reverse("retrieval:index"), 404)
    return redirect(classes_url(case))
