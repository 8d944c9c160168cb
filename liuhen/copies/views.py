"""Thin views of the copies pages (证据复制): the list, the request form (from a case), the request
page with its decision, package and handover forms, the package's .zip. Each calls one service; a
refused act is in the ledger (the services record it, or record_refusal for a form) and answered
with its Chinese reason and a 4xx. Every look is a read in the ledger (copies.view, copies.download)."""
import hashlib
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from liuhen.cases import access
from liuhen.cases.models import Case
from liuhen.ledger import refusals
from liuhen.ledger.core.package import verify_package
from liuhen.ledger.signing import vkeys

from . import checks, selectors, services
from . import vocabulary as v
from .forms import DecisionForm, FilterForm, HandoverForm, RequestForm
from .models import CopyRequest
from .package import package_dir

CHUNK = 1024 * 1024


def play_page_action(user, item, case) -> list[tuple[str, str]]:
    """申请证据复制 beside a case on the footage player, for whoever may ask (services.may_request)."""
    if services.may_request(user, case):
        return [("申请证据复制", reverse("copies:new", args=[case.pk]) + f"?item={item.pk}")]
    return []


def _error(request, title, lines, back, status=400):
    return render(request, "web/error.html", {"title": title, "lines": lines, "back": back}, status=status)


def _visible(request, pk) -> CopyRequest:
    row = CopyRequest.objects.select_related("case", "requested_by", "agency").filter(pk=pk).first()
    if row is None or not selectors.may_see(request.user, row):
        if row is not None:
            refusals.record_denied(request, CopyRequest.ledger_object_type, row.pk)
        raise Http404
    return row


@login_required
@require_safe
def request_list(request):
    """证据复制: the requests the user may see, filtered by status."""
    user = request.user
    if selectors.sees_none(user):
        raise PermissionDenied("您的角色不能查看证据复制。")  # the 403 handler records it
    form = FilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        refusals.record_refusal(request, v.DENIED, [e for errs in form.errors.values() for e in errs], form=form)
        return render(request, "copies/list.html", {"form": form, "rows": []}, status=400)
    status_code = form.cleaned_data.get("status", "") if form.is_bound else ""
    rows = selectors.listing(user, status_code)
    services.log_view(user, filters={"status": status_code} if status_code else {})
    return render(request, "copies/list.html", {"form": form, "rows": rows, "all": selectors.sees_all(user)})


def _case(request, pk) -> Case:
    case = Case.objects.filter(pk=pk).first()
    if case is None or not access.can_view(request.user, case):
        if case is not None:
            refusals.record_denied(request, "case", case.pk)
        raise Http404
    return case


@login_required
def new_request(request, case_pk):
    """证据复制申请 from a case: the footage linked to it, the receiving body, the purpose."""
    case = _case(request, case_pk)
    user = request.user
    if not services.may_request(user, case):
        raise PermissionDenied("只有本案承办人员或其承办机构负责人可以申请证据复制。")
    items = services.linked_items(case)
    initial = {"items": [p for p in request.GET.getlist("item") if p.isdigit()]}
    form = RequestForm(request.POST or None, items=items, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                row = services.request_copy(user, case, [int(p) for p in d["items"]], receiver_kind=d["receiver_kind"],
                                            receiver_name=d["receiver_name"], purpose=d["purpose"],
                                            court_case_number=d["court_case_number"])
            except ValidationError as exc:  # the service recorded the refusal
                for m in exc.messages:
                    form.add_error(None, m)
            else:
                messages.success(request, f"已提交证据复制申请（第 {row.pk} 号），待{services.role_names(checks.approve_roles(case.agency_id))}审批。")
                return redirect("copies:detail", row.pk)
        else:
            refusals.record_refusal(request, v.DENIED, [e for errs in form.errors.values() for e in errs],
                                    "case", case.pk, form=form)
        status = 400
    services.log_form(user, case)
    return render(request, "copies/new.html", {"form": form, "case": case, "items": items}, status=status)


def _page(request, row, *, status=200, decision=None, handover=None):
    user = request.user
    services.log_view(user, row)
    approval = selectors.approval_of(row)
    package = selectors.package_of(row)
    handed = selectors.handover_of(package)
    state = selectors.status(row)
    may_make = services.may_make(user, row.agency_id)
    copies = checks.rules(row.agency_id)
    ctx = {
        "row": row, "items": row.items(), "approval": approval, "package": package, "handover_row": handed,
        "status": state, "status_label": selectors.STATUS_LABELS[state], "status_badge": selectors.STATUS_BADGES[state],
        "case_readable": access.can_view(user, row.case),
        "may_decide": approval is None and services.may_approve(user, row.agency_id) and user.pk != row.requested_by_id,
        "may_make": may_make and state == "approved",
        "may_download": may_make and package is not None,
        "may_handover": may_make and state == "made",
        "decision_form": decision or DecisionForm(),
        "handover_form": handover or HandoverForm(),
        "history": selectors.history(row),
        "approvers": services.role_names(copies.approve_roles),
        "makers": services.role_names(copies.maker_roles),
    }
    if package is not None:
        ctx["package_path"] = str(package_dir(package))
    return render(request, "copies/detail.html", ctx, status=status)


@login_required
@require_safe
def detail(request, pk):
    return _page(request, _visible(request, pk))


@login_required
@require_POST
def decide(request, pk):
    row = _visible(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        refusals.record_refusal(request, v.DENIED, [e for errs in form.errors.values() for e in errs],
                                CopyRequest.ledger_object_type, row.pk, form=form)
        return _page(request, row, status=400, decision=form)
    try:
        services.decide(request.user, row, form.cleaned_data["decision"] == "approve", form.cleaned_data["opinion"])
    except ValidationError as exc:
        for m in exc.messages:
            form.add_error(None, m)
        codes = {e.code for e in exc.error_list}
        return _page(request, row, status=409 if "already_decided" in codes else 400, decision=form)
    messages.success(request, "已审批证据复制申请。")
    return redirect("copies:detail", row.pk)


@login_required
@require_POST
def make(request, pk):
    row = _visible(request, pk)
    try:
        package = services.make_package(request.user, row)
    except ValidationError as exc:
        codes = {e.code for e in exc.error_list}
        return _error(request, "未制作复制包", exc.messages, reverse("copies:detail", args=[row.pk]),
                      status=409 if codes & {"already_made", "not_approved", "declined"} else 400)
    messages.success(request, f"已制作复制包：{package.files} 个文件，SHA-256（manifest.json）{package.manifest_sha256}")
    return redirect("copies:detail", row.pk)


@login_required
@require_POST
def handover(request, pk):
    row = _visible(request, pk)
    package = selectors.package_of(row)
    if package is None:
        exc = ValidationError("复制包尚未制作，不能登记移交。", code="not_made")
        refusals.record_refusal(request, v.DENIED, exc.messages, CopyRequest.ledger_object_type, row.pk, errors=[exc],
                                status=409)
        return _error(request, "未登记移交", exc.messages, reverse("copies:detail", args=[row.pk]), status=409)
    form = HandoverForm(request.POST)
    if not form.is_valid():
        refusals.record_refusal(request, v.DENIED, [e for errs in form.errors.values() for e in errs],
                                CopyRequest.ledger_object_type, row.pk, form=form)
        return _page(request, row, status=400, handover=form)
    try:
        services.record_handover(request.user, package, **form.cleaned_data)
    except ValidationError as exc:
        for m in exc.messages:
            form.add_error(None, m)
        codes = {e.code for e in exc.error_list}
        return _page(request, row, status=409 if "already_handed_over" in codes else 400, handover=form)
    messages.success(request, "已登记移交。")
    return redirect("copies:detail", row.pk)


class _Sink:
    """Where zipfile writes: handed out to the response chunk by chunk (never the whole .zip in memory)."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


def zip_chunks(root: Path, prefix: str):
    """The directory `root` as a .zip (stored, not compressed: video does not compress), streamed."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            st = path.stat()
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(root).as_posix()}",
                                   date_time=time.localtime(st.st_mtime)[:6])
            info.file_size = st.st_size  # so that zipfile writes ZIP64 headers for a file over 2 GiB
            with open(path, "rb") as src, zf.open(info, "w") as dst:
                while chunk := src.read(CHUNK):
                    dst.write(chunk)
                    yield sink.take()
        yield sink.take()
    yield sink.take()


@login_required
@require_safe
def download(request, pk):
    """The package as a .zip, for the office that made it only; each download a ledger read."""
    row = _visible(request, pk)
    if not services.may_make(request.user, row.agency_id):
        raise PermissionDenied(f"只有{services.role_names(checks.maker_roles(row.agency_id))}可以下载证据复制包。")
    package = selectors.package_of(row)
    if package is None:
        raise Http404
    root = package_dir(package)
    manifest = root / "manifest.json"
    try:
        intact = hashlib.sha256(manifest.read_bytes()).hexdigest() == package.manifest_sha256
    except OSError:
        intact = False
    if intact:
        # The whole kept copy, not only its manifest: a footage file swapped inside it must not go out
        # to the court (the receiver's own checks, with this log's key; the files re-hashed).
        intact = all(c.ok for c in verify_package(root, "\n".join(vkeys())))
    if not intact:
        exc = ValidationError("留存的复制包缺失或已被改动（manifest.json 与登记的 SHA-256 不符，或包内文件未通过验证），不能下载。",
                              code="package_changed")
        refusals.record_refusal(request, v.DENIED, exc.messages, "copy_package", package.pk, errors=[exc], status=409)
        return _error(request, "不能下载复制包", exc.messages, reverse("copies:detail", args=[row.pk]), status=409)
    services.log_download(request.user, package)
    name = f"证据复制包-{row.pk}"
    resp = StreamingHttpResponse(zip_chunks(root, name), content_type="application/zip")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name + '.zip', safe='')}"
    resp["Cache-Control"] = "no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp
