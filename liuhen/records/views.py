"""Record pages. Every view of a record or download of a file is traced in the ledger."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from liuhen.cases import access
from liuhen.cases.models import Case
from liuhen.common import text
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.media import store

from . import marks, pages, schema, selectors, services
from . import vocabulary as V
from .models import Attachment, MarkKind, Record, RecordType, Signature, SignerRole, SupplementFile


TRAIL_LABELS = {
    V.CREATE: "创建", V.VERSION: "修改（新版本）", V.ATTACH: "上传附件",
    V.SIGN: "签字", V.REFUSE: "记录拒签", V.REFUSAL_CONFIRM: "确认拒签",
    V.VOID: "作废", V.VIEW: "查看", V.DOWNLOAD: "下载附件", V.SUPPLEMENT: "补充材料", V.MARK_VIEW: "查看签名笔迹",
    V.REFUSED: "操作被拒绝", "access.denied": "拒绝访问",
}


def _trail(record, fold: bool = True) -> list[dict]:
    """The record's ledger events for display: names instead of ids, consecutive views folded."""
    from liuhen.accounts.models import User

    events = ledger.trail("record", record.pk)
    ids = {e["actor"]["id"] for e in events if e.get("actor")}
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    out = []
    for e in events:
        who = names.get(e["actor"]["id"], e["actor"]["username"]) if e.get("actor") else "系统"
        if (fold and out and e["action"] in (V.VIEW, V.MARK_VIEW) and out[-1]["action"] == e["action"]
                and out[-1]["who"] == who):
            out[-1]["repeat"] += 1
            continue
        label = TRAIL_LABELS.get(e["action"]) or pages.TRAIL_LABELS.get(e["action"], e["action"])
        out.append(dict(e, who=who, label=label, repeat=1))
    return out


def _visible(request, obj, case, object_type: str):
    """`obj` if the user may see its case; else 404, as for an id that does not exist (ids cannot be
    enumerated), the denied access recorded in the ledger."""
    if obj is None or not access.can_view(request.user, case):
        if obj is not None:
            refusals.record_denied(request, object_type, obj.pk)
        raise Http404
    return obj


def _record_for(request, pk, *, work=False) -> Record:
    # What its state reads besides (selectors.loaded_with_state): the record is read once a page.
    record = Record.objects.select_related(*selectors.SELECTED, "void__actor").filter(pk=pk).first()
    _visible(request, record, record and record.case, "record")
    if work:
        access.check_work(request.user, record.case)
    return record


REFUSED = V.REFUSED


def _refused(request, record, title: str, msgs, status: int = 400, exc=None):
    """The refusal page (what was refused and why, a way back to the record, where what was typed
    is put back by forms.js), recorded in the ledger."""
    msgs = list(msgs)
    refusals.record_refusal(request, REFUSED, msgs, "record", record.pk, status=status, errors=[exc] if exc else ())
    return render(request, "web/error.html", {
        "title": title, "lines": msgs, "back": reverse("records:detail", args=[record.pk])}, status=status)


@login_required
def new_record(request, case_pk):
    case = Case.objects.filter(pk=case_pk).first()
    _visible(request, case, case, "case")
    access.check_work(request.user, case)
    rtype = get_object_or_404(RecordType, code=request.GET.get("type") or request.POST.get("type"), active=True)
    try:
        services.require_officer_certificate(request.user)
    except ValidationError as exc:
        # Who may not make the record learns why before filling in a form they could not save. A
        # POST is a refused act: recorded like every refusal (issue 12 review §6).
        if request.method == "POST":
            refusals.record_refusal(request, REFUSED, exc.messages, "case", case.pk, status=403, errors=[exc])
        return render(request, "records/record_form.html", {
            "case": case, "rtype": rtype, "form": None, "refusal": "；".join(exc.messages)}, status=403)
    form = schema.form_class(rtype.fields)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.create_record(request.user, case, rtype, request.POST)
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            messages.success(request, f"已保存{rtype.name}。")
            return redirect("records:detail", pk=record.pk)
    if request.method == "POST":
        refusals.record_refusal(request, REFUSED, [e for errs in form.errors.values() for e in errs],
                                "case", case.pk, status=400, form=form)
    return render(request, "records/record_form.html", {"case": case, "rtype": rtype, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def record_detail(request, pk):
    record = _record_for(request, pk)
    state = selectors.loaded_with_state(record)
    services.log_view(request.user, record)
    user = request.user
    case = record.case
    # Writes as an officer need a valid 执法证 (services.require_officer_certificate): not offered without.
    certified = user.certificate_on() is not None
    can_work = access.can_work(user, case) and not case.is_archived and certified
    assigned = access.is_assigned(user, case)
    rows = schema.display_rows(state.fields, state.latest.content)
    # The versions, signatures (with their confirmations) and attachments the state read, with the
    # people the page names: no query of their own.
    signatures = list(record.signatures.all())
    versions = {v.pk: v for v in record.versions.all()}
    for sig in signatures:
        sig.version = versions[sig.version_id]
    signed_as = {s.role for s in signatures if s.signer_id == user.pk}
    rule = state.rule
    return render(request, "records/record_detail.html", {
        "record": record, "case": case, "state": state, "rows": rows,
        "versions": list(reversed(versions.values())),
        "attachments": record.attachments.all(),
        "signatures": _with_capacity_labels(rule, signatures),
        "can_edit": can_work and not state.locked and not state.voided,
        # Only what the services will accept: nobody signs as officer and approves as leader.
        "can_sign_officer": (assigned and not signed_as & {SignerRole.OFFICER, SignerRole.LEADER}
                             and not case.is_archived and not state.voided
                             and not selectors.approved_in_case(user, case)),
        # The 负责人, 法制审核人员 or 档案管理员 writes an opinion and a decision as they sign; the
        # form is offered only where the services will accept it (right role for this record's
        # rule, not on the case, not signed yet).
        "sign_capacities": [
            {"value": c, "label": rule.capacity_label(c), "decisions": rule.decisions_for(c)}
            for c in selectors.CAPACITY_ROLES if selectors.signable_capacity(user, state, c)],
        "refusals": state.refusals,
        # 待谁签批: who may give each signature still lacking, so nobody has to guess who signs next.
        "next_signers": selectors.next_signers(state) if not state.voided else [],
        "supplements": record.supplements.select_related("added_by").prefetch_related("files__blob"),
        "can_supplement": can_work and state.locked and not state.voided,
        "can_record_other": assigned and certified and not case.is_archived and not state.voided,
        # LQ 17: an officer confirms a refusal once; the button goes from the refusals they confirmed.
        "confirmed_by_me": {s.pk for s in signatures if any(c.officer_id == user.pk for c in s.confirmations.all())},
        "can_void": can_work and not state.voided,
        "parties": case.parties.all(),
        "trail": _trail(record),
        "signer_roles": [(SignerRole.PARTY, "当事人"), (SignerRole.WITNESS, "见证人"), (SignerRole.OTHER, "其他人员")],
        **pages.record_page_context(user, record, state),
    })


def _with_capacity_labels(rule, signatures) -> list:
    """Each signature with the name of the capacity it was given in, as the record's pinned rule
    calls it: 机关负责人 on a penalty's 负责人审批 (not just 负责人), so the page shows the rule was kept."""
    out = list(signatures)
    for s in out:
        s.capacity_label = rule.capacity_label(s.role) if s.role in selectors.CAPACITY_ROLES else s.get_role_display()
    return out


@login_required
def edit_record(request, pk):
    record = _record_for(request, pk, work=True)
    state = selectors.record_with_state(record.pk)
    if state.locked or state.voided:
        return _refused(request, record, "不能修改记录", ["该记录已签字或已作废，不能修改。"], status=409)
    fields = state.fields  # the fields the record was made with (its pinned rule)
    form = schema.form_class(fields)(request.POST or None, initial=schema.to_initial(fields, state.latest.content))
    reason_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.revise_record(request.user, record, request.POST,
                                   text.clean(request.POST.get("reason", ""), "修改理由"))
        except ValidationError as exc:
            reason_error = "；".join(exc.messages)
        else:
            messages.success(request, "已保存为新版本。")
            return redirect("records:detail", pk=record.pk)
    if request.method == "POST":
        refusals.record_refusal(request, REFUSED, [e for errs in form.errors.values() for e in errs]
                                + ([reason_error] if reason_error else []), "record", record.pk, status=400, form=form)
    return render(request, "records/record_form.html", {
        "case": record.case, "rtype": record.record_type, "form": form, "record": record,
        "editing": True, "reason_error": reason_error, "reason": request.POST.get("reason", ""),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def attach(request, pk):
    record = _record_for(request, pk, work=True)
    request.form_labels = {"file": "附件"}  # for the 507 page, if the store fails (web/middleware.py)
    upload = request.FILES.get("file")
    if upload is None:
        return _refused(request, record, "不能上传附件", ["请选择要上传的文件。"])
    try:
        services.attach(request.user, record, upload, upload.name, upload.content_type or "")
    except ValidationError as exc:
        return _refused(request, record, "不能上传附件", exc.messages, exc=exc)
    messages.success(request, f"已上传附件：{upload.name}")
    return redirect("records:detail", pk=record.pk)


@login_required
@require_POST
def sign(request, pk):
    record = _record_for(request, pk)
    capacity = request.POST.get("as", "officer")
    try:
        if capacity == SignerRole.OFFICER:
            services.sign_as_officer(request.user, record)
        else:
            services.sign_in_capacity(request.user, record, capacity,
                                      decision=request.POST.get("decision", ""),
                                      opinion=request.POST.get("opinion", ""))
    except ValidationError as exc:
        return _refused(request, record, "不能签字", exc.messages, status=409, exc=exc)
    else:
        decision = request.POST.get("decision", "")
        messages.success(request, f"已签字（{decision}）。" if decision and capacity != SignerRole.OFFICER
                         else "已签字。")
    return redirect("records:detail", pk=record.pk)


@login_required
@require_POST
def supplement(request, pk):
    """补充材料: files added to a signed record (several at once, or from the phone's camera)."""
    record = _record_for(request, pk, work=True)
    # The 507 page (web/middleware.py) puts the typed note back, if the store fails.
    request.form_labels = {"note": "说明", "files": "补充的文件"}
    uploads = request.FILES.getlist("files")
    try:
        services.add_supplement(request.user, record, [(u, u.name, u.content_type or "") for u in uploads],
                                request.POST.get("note", ""))
    except ValidationError as exc:
        return _refused(request, record, "不能补充材料", exc.messages, exc=exc)
    messages.success(request, f"已补充材料 {len(uploads)} 个文件。")
    return redirect(f"{reverse('records:detail', args=[record.pk])}#supplements")


@login_required
def supplement_download(request, pk):
    sf = SupplementFile.objects.select_related("supplement__record__case").filter(pk=pk).first()
    _visible(request, sf, sf and sf.supplement.record.case, "supplementfile")
    if not store.exists(sf.blob_id):
        raise Http404("文件不存在")
    services.log_supplement_download(request.user, sf)
    return FileResponse(store.open_blob(sf.blob_id), as_attachment=True, filename=sf.filename,
                        content_type=sf.content_type or "application/octet-stream")


def _posted_mark(request) -> tuple[bytes | None, str]:
    """The handwritten mark sent with a party's or witness's signature (签名笔迹): the signature
    pad's PNG (a data URL in a hidden field, put there by records/signature-pad.js) or the photo of
    the signed paper (a file input: works without JavaScript). Both at once is refused — which one
    would the signature carry?"""
    drawn = (request.POST.get("mark_data") or "").strip()
    photo = request.FILES.get("mark_photo")
    if drawn and photo is not None:
        raise ValidationError("请只提供一种签名笔迹：手写板签名或纸质签字照片。")
    if drawn:
        return marks.decode_data_url(drawn), MarkKind.CANVAS
    if photo is not None:
        if photo.size > marks.MAX_MARK_BYTES:  # not read into memory to be refused
            raise ValidationError(f"签名图片不能超过{marks.MAX_MARK_BYTES // (1024 * 1024)}MB，请压缩后重试。")
        return photo.read(), MarkKind.PHOTO
    return None, ""


@login_required
@require_POST
def other_signature(request, pk):
    record = _record_for(request, pk, work=True)
    refused = request.POST.get("outcome") == "refused"
    try:
        mark, mark_kind = _posted_mark(request)
        services.record_other_signature(
            request.user, record, role=request.POST.get("role", ""),
            signer_name=text.clean(request.POST.get("signer_name", ""), "签字人姓名"),
            refused=refused, reason=text.clean(request.POST.get("reason", ""), "拒签事由", multiline=True),
            mark=mark, mark_kind=mark_kind)
    except ValidationError as exc:
        return _refused(request, record, "不能记录签字", exc.messages, exc=exc)
    else:
        messages.success(request, "已记录拒绝签字，待第二名执法人员确认。" if refused else "已记录签字。")
    return redirect("records:detail", pk=record.pk)


@login_required
@require_POST
def confirm_refusal(request, pk):
    sig = Signature.objects.select_related("record__case").filter(pk=pk).first()
    _visible(request, sig, sig and sig.record.case, "signature")
    try:
        services.confirm_refusal(request.user, sig)
    except ValidationError as exc:
        return _refused(request, sig.record, "不能确认拒签", exc.messages, status=409, exc=exc)
    else:
        messages.success(request, "已确认拒签。")
    return redirect("records:detail", pk=sig.record_id)


@login_required
@require_POST
def void(request, pk):
    record = _record_for(request, pk, work=True)
    try:
        services.void_record(request.user, record, text.clean(request.POST.get("reason", ""), "作废理由", multiline=True))
    except ValidationError as exc:
        return _refused(request, record, "不能作废记录", exc.messages, exc=exc)
    else:
        messages.success(request, "记录已作废（保留原记录及其历史）。")
    return redirect("records:detail", pk=record.pk)


@login_required
def signature_mark(request, pk):
    """The image of a signature's handwritten mark (签名笔迹), shown in the record's signature list:
    for whoever may see the record, each look logged as a read of it (like a download)."""
    sig = Signature.objects.select_related("record__case").filter(pk=pk).first()
    _visible(request, sig, sig and sig.record.case, "signature")
    if not sig.mark_id or not store.exists(sig.mark_id):
        raise Http404("签名笔迹不存在")
    services.log_mark_view(request.user, sig)
    data = store.open_blob(sig.mark_id)
    response = FileResponse(data, content_type=marks.content_type(data))
    response["Cache-Control"] = "private, no-store"  # personal data: not kept by the browser's cache
    return response


@login_required
def download(request, pk):
    att = Attachment.objects.select_related("record__case").filter(pk=pk).first()
    _visible(request, att, att and att.record.case, "attachment")
    if not store.exists(att.blob_id):
        raise Http404("文件不存在")
    services.log_download(request.user, att)
    return FileResponse(store.open_blob(att.blob_id), as_attachment=True, filename=att.filename,
                        content_type=att.content_type or "application/octet-stream")


@login_required
def proof(request, pk):
    """The record's trace with an inclusion proof of each event in the latest signed checkpoint."""
    record = _record_for(request, pk)
    trail = _trail(record, fold=False)
    result = ledger.prove([e["entry_id"] for e in trail])
    by_entry = {p["entry_id"]: p for p in result["proofs"]}
    rows = [dict(e, proof=by_entry.get(e["entry_id"])) for e in trail]
    # An event the integrator has not signed yet (the view that led here, a signature a second ago)
    # is not a failed proof: it is shown as pending, and the verdict is over the signed ones.
    pending = [r for r in rows if r["proof"] and r["proof"].get("pending")]
    proven = [r for r in rows if r not in pending]
    return render(request, "records/proof.html", {
        "record": record, "rows": rows, "checkpoint": result["checkpoint"], "pending": len(pending),
        "proven": len(proven), "all_ok": bool(proven) and all(r["proof"] and r["proof"]["ok"] for r in proven),
    })
