"""The inspector's pages (音像记录抽检, LW-D 14): the rounds, a new round, a round with its sampled
items, one item's findings, the re-draw check, closing, and the 抽检台账 with its Excel export.
Thin: parse, call one service, render. Anyone but an inspector is refused (403, in the ledger); a
refused form is a 4xx page with what was typed, recorded in the ledger."""
import datetime
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from liuhen.ledger import refusals

from . import exports, selectors, services
from . import vocabulary as v
from .forms import DrawForm, FindingForm, LedgerFilterForm
from .models import Round, RoundClose


def inspector_only(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not services.may_inspect(request.user):
            raise PermissionDenied(services.refusal_text(request.user.agency_id))
        return view(request, *args, **kwargs)
    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def _round(request, pk) -> Round:
    """Another agency's round answers 404 like one that does not exist (ids cannot be enumerated)."""
    round_ = selectors.round_for(request.user.agency_id, pk)
    if round_ is None:
        other = Round.objects.filter(pk=int(pk)).first() if str(pk).isdigit() and len(str(pk)) <= 18 else None
        if other is not None:
            refusals.record_denied(request, Round.ledger_object_type, other.pk)
        raise Http404
    return round_


def _status(exc: ValidationError) -> int:
    codes = {getattr(e, "code", None) for e in exc.error_list}
    return 409 if codes & {"closed", "already_closed", "incomplete"} else 400


@inspector_only
def index(request):
    services.log_view(request.user, page="rounds")
    return render(request, "inspections/index.html", {"rounds": selectors.rounds_of(request.user.agency_id)})


@inspector_only
def new(request):
    today = timezone.localdate()
    form = DrawForm(request.POST or None, agency_id=request.user.agency_id,
                    initial={"period_from": today - datetime.timedelta(days=30), "period_to": today})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                round_ = services.draw_round(request.user, kind=d["kind"], unit=d["unit"], period_from=d["period_from"],
                                             period_to=d["period_to"], size=d["size"], percent=d["percent"])
            except ValidationError as exc:  # recorded by the service (inspections.denied)
                for m in exc.messages:
                    form.add_error(None, m)
                status = 400
            else:
                messages.success(request, f"已从 {round_.population_size} 个中随机抽取 {len(round_.sample)} 个，"
                                           f"随机种子已记入日志。")
                return redirect("inspections:round", pk=round_.pk)
        else:
            status = 400
            refusals.record_refusal(request, v.REFUSED, [e for errs in form.errors.values() for e in errs],
                                    v.LEDGER, request.user.agency_id, status=status, form=form)
    return render(request, "inspections/new.html", {"form": form}, status=status)


def _round_page(request, round_, *, redraw=None, status=200):
    items = selectors.items_of(round_)
    closing = RoundClose.objects.filter(round=round_).select_related("closed_by").first()
    return render(request, "inspections/round.html", {
        "round": round_, "items": items, "closing": closing,
        "complete": all(i.finding is not None for i in items), "redraw": redraw,
        "failed": sum(1 for i in items if i.finding is not None and i.finding.failures)}, status=status)


@inspector_only
def round_detail(request, pk):
    round_ = _round(request, pk)
    services.log_view(request.user, round_)
    return _round_page(request, round_)


@inspector_only
@require_POST
def redraw(request, pk):
    """重新抽取核对: the sample drawn again from the recorded seed, shown beside the recorded one."""
    round_ = _round(request, pk)
    result = services.check_redraw(request.user, round_, {"channel": "web"})
    return _round_page(request, round_, redraw=result)


def _key(round_, key) -> int:
    if not str(key).isdigit() or len(str(key)) > 18 or int(key) not in round_.sample:
        raise Http404
    return int(key)


@inspector_only
def item(request, pk, key):
    """One sampled item: its findings so far, and the form for a new one (which supersedes them)."""
    round_ = _round(request, pk)
    key = _key(round_, key)
    it = next(i for i in selectors.items_of(round_) if i.key == key)
    closed = services.is_closed(round_)
    initial = {}
    if it.finding is not None:
        for r in it.finding.results:
            initial[f"r_{r['code']}"], initial[f"n_{r['code']}"] = r["result"], r["note"]
        initial["note"] = it.finding.note
    form = FindingForm(request.POST or None, checklist=round_.checklist, initial=initial)
    status = 200
    if request.method == "POST":
        if closed:
            # The service refuses it too (and records it); say so without touching the form.
            try:
                services.record_finding(request.user, round_, key, {})
            except ValidationError as exc:
                form = FindingForm(checklist=round_.checklist, initial=initial)
                messages.error(request, "；".join(exc.messages))
                status = 409
        elif form.is_valid():
            try:
                services.record_finding(request.user, round_, key, form.results(), form.cleaned_data["note"])
            except ValidationError as exc:
                for m in exc.messages:
                    form.add_error(None, m)
                status = _status(exc)
            else:
                messages.success(request, f"已记录第 {it.position} 项的检查结果。")
                return redirect("inspections:round", pk=round_.pk)
        else:
            status = 400
            refusals.record_refusal(request, v.REFUSED, [e for errs in form.errors.values() for e in errs],
                                    Round.ledger_object_type, round_.pk, status=status, form=form)
    else:
        services.log_view(request.user, round_, item=key)
    return render(request, "inspections/item.html", {"round": round_, "it": it, "form": form, "closed": closed},
                  status=status)


@inspector_only
@require_POST
def close(request, pk):
    round_ = _round(request, pk)
    try:
        services.close_round(request.user, round_)
    except ValidationError as exc:  # recorded by the service
        messages.error(request, "；".join(exc.messages))
        return _round_page(request, round_, status=_status(exc))
    messages.success(request, "本轮抽检已结束。")
    return redirect("inspections:round", pk=round_.pk)


def _filtered(request):
    """(form, rounds, status): the 台账's rounds by the GET filters; a bad filter is a 400 page
    with the filters as typed, recorded (inspections.refused), and no rounds."""
    form = LedgerFilterForm(request.GET or None, agency_id=request.user.agency_id)
    if form.is_bound and not form.is_valid():
        refusals.record_refusal(request, v.REFUSED, [e for errs in form.errors.values() for e in errs],
                                v.LEDGER, request.user.agency_id, status=400, form=form)
        return form, None, 400
    d = form.cleaned_data if form.is_bound else {}
    unit = d.get("unit")
    rounds = selectors.ledger(request.user.agency_id, kind=d.get("kind") or "",
                              unit_id=unit.pk if unit is not None else None,
                              drawn_from=d.get("drawn_from"), drawn_to=d.get("drawn_to"))
    return form, rounds, 200


def _filter_detail(form) -> dict:
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {"kind": d.get("kind") or "", "unit": d["unit"].pk if d.get("unit") else None,
            "from": d["drawn_from"].isoformat() if d.get("drawn_from") else None,
            "to": d["drawn_to"].isoformat() if d.get("drawn_to") else None}


@inspector_only
def ledger(request):
    """抽检台账 (LW-D 14: 建立检查台账): every round with its findings and the failures counted."""
    form, rounds, status = _filtered(request)
    if rounds is not None:
        services.log_view(request.user, page="ledger", **_filter_detail(form))
    return render(request, "inspections/ledger.html", {
        "form": form, "rounds": rounds or [], "counts": selectors.failure_counts(rounds or []),
        "query": request.GET.urlencode()}, status=status)


@inspector_only
def export(request):
    """The 抽检台账 as an Excel workbook; the download is a ledger read event with its SHA-256."""
    form, rounds, status = _filtered(request)
    if rounds is None:
        return render(request, "inspections/ledger.html", {"form": form, "rounds": [], "counts":
                      selectors.failure_counts([]), "query": request.GET.urlencode()}, status=status)
    data, rows = exports.xlsx_bytes(rounds, selectors.failure_counts(rounds))
    services.log_export(request.user, rounds=len(rounds), rows=rows, digest=hashlib.sha256(data).hexdigest())
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"inspection-ledger-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
