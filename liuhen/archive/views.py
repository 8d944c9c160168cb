"""The archive's pages (档案室): 待归档, 待接收, the shelves by year and kind, imported packages; the
supplements of an archived case (added on the case page, each file opened a read event).

The room is the archivist's, read by the agency head and the supervisors: anyone else is refused, the
refusal recorded (archive.refused) and answered 403. A supplement or an imported package the user may
not see is a 404 like one that does not exist."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from liuhen.cases import access, acts
from liuhen.cases.models import Case, Kind
from liuhen.ledger import refusals
from liuhen.media import store

from . import forms
from . import selectors as s
from . import services
from . import vocabulary as v
from .core.check import ITEMS, sniff
from .models import ImportedFile, Supplement

CONFLICT_CODES = frozenset({"not_archived"})
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png", "mp4": "video/mp4",
                 "wav": "audio/wav", "mp3": "audio/mpeg"}


def _refused_room(request):
    lines = ["档案室只对档案管理员、机关负责人和监督人员开放。"]
    refusals.record_refusal(request, v.REFUSED, lines, status=403)
    return acts.error_page(request, "不能进入档案室", lines, reverse("home"), 403)


def _room(view):
    """A page of the room: only for its roles."""
    def run(request, *args, **kwargs):
        if not s.may_use_room(request.user):
            return _refused_room(request)
        return view(request, *args, **kwargs)
    run.__name__, run.__doc__ = view.__name__, view.__doc__
    return run


@login_required
@require_safe
@_room
def index(request):
    """档案: 待归档 with its due date, 待接收, the shelves' counts, the packages taken in."""
    shelves = s.shelves(request.user)
    years = {}
    for sh in shelves:
        years.setdefault(sh.year, []).append(sh)
    return render(request, "archive/index.html", {
        "pending": s.pending(request.user), "receiving": s.to_receive(request.user),
        "years": [(y, sum(x.count for x in row), row) for y, row in years.items()],
        "imported": s.imported(request.user)[:5]})


@login_required
@require_safe
@_room
def shelf(request, year, kind=None):
    """One shelf: the cases archived in `year` (of one kind), number, title, date, 保管期限."""
    if kind is not None and kind not in Kind.values:
        raise Http404
    kinds = [sh for sh in s.shelves(request.user) if sh.year == year]
    return render(request, "archive/shelf.html", {
        "year": year, "kind": kind, "kind_label": dict(Kind.choices).get(kind, ""),
        "rows": s.shelf(request.user, year, kind), "limit": s.SHELF_LIMIT,
        "kinds": kinds, "total": sum(sh.count for sh in kinds)})


def case_url(case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#archive-supplements"


@login_required
@require_POST
def add_supplement(request, pk):
    """登记补充材料 on an archived case (the archivist, the agency head)."""
    case = acts.one_in_visible_case(request, Case.objects, pk, lambda c: c)
    back = case_url(case)
    form = forms.SupplementForm(request.POST, request.FILES)
    if not form.is_valid():
        return acts.form_refused(request, form, v.REFUSED, title="不能登记补充材料", back=back, object_type="case",
                                 object_id=case.pk)
    d = form.cleaned_data
    upload = d["file"] or None
    return acts.run_act(request, lambda: services.add_supplement(
        request.user, case, title=d["title"], kind=d["kind"], note=d["note"], file=upload,
        filename=getattr(upload, "name", "")), title="不能登记补充材料", back=back, conflicts=CONFLICT_CODES,
        done=lambda row: f"已登记补充材料：{row.title}。")


def _blob(sha256, name, content_type, attachment=False):
    if not store.exists(sha256):
        raise Http404("文件不存在")
    return FileResponse(store.open_blob(sha256), as_attachment=attachment, filename=name,
                        content_type=content_type or "application/octet-stream")


@login_required
@require_safe
def supplement_file(request, pk):
    """A supplement's file, as stored (its opening is in the ledger)."""
    row = acts.one_in_visible_case(request, Supplement.objects.select_related("case"), pk, lambda r: r.case)
    access.check_not_by_grant(request.user, row.case)  # under a 调用单: the watermarked 查阅件 only
    services.log_view(request.user, Supplement.ledger_object_type, row.pk, [row.file_id], case=row.case_id)
    return _blob(row.file_id, row.filename, row.content_type)


@login_required
@require_safe
@_room
def imported(request):
    """接收的归档信息包: every package taken in, read-only."""
    return render(request, "archive/imported.html", {"packages": s.imported(request.user)})


def _package(request, pk):
    pkg = s.imported_visible(request.user).filter(pk=pk).select_related("imported_by").first()
    if pkg is None:
        refusals.record_denied(request, "archive_imported_package", pk)
        raise Http404
    return pkg


@login_required
@require_safe
@_room
def imported_detail(request, pk):
    """One imported package: its 卷内目录, the 四性 report it passed, its files (each a download)."""
    pkg = _package(request, pk)
    files = s.imported_files(pkg)
    by_path = {f.path: f for f in files}
    items = [{"item": i, "file": by_path.get(f"data/{i.get('path')}"), "meta": by_path.get(f"data/{i.get('metadata')}")}
             for i in pkg.catalog.get("items", []) if isinstance(i, dict)]
    services.log_view(request.user, pkg.ledger_object_type, pkg.pk, page="detail")
    return render(request, "archive/imported_detail.html", {
        "pkg": pkg, "items": items, "files": files, "summary": _summary(pkg.report),
        "report": [{"line": line, "status": line.split(" ", 1)[0]} for line in pkg.report]})


def _summary(report: list[str]) -> list[dict]:
    """The report by 四性 item (DA/T 70), in the checker's order: how many checks passed, how many warned."""
    counts: dict[str, dict] = {}
    for line in report:
        status, code = (line.split() + ["", ""])[:2]
        if code in ITEMS:
            row = counts.setdefault(code, {"kind": ITEMS[code][0], "name": ITEMS[code][1], "ok": 0, "warn": 0})
            row["warn" if status == "WARN" else "ok"] += 1
    return [counts[c] for c in ITEMS if c in counts]


@login_required
@require_safe
@_room
def imported_file(request, pk):
    """One file of an imported package, byte for byte as it was received (its opening is in the ledger)."""
    row = get_object_or_404(ImportedFile.objects.select_related("package"), pk=pk)
    _package(request, row.package_id)
    services.log_view(request.user, row.ledger_object_type, row.pk, [row.blob_id], package=row.package_id)
    if not store.exists(row.blob_id):
        raise Http404("文件不存在")
    with store.open_blob(row.blob_id) as f:
        head = f.read(16)
    name = row.path.rsplit("/", 1)[-1]
    return _blob(row.blob_id, name, CONTENT_TYPES.get(sniff(head) or ""), attachment=True)
