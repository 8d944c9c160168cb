"""The 案卷评查 pages: the rounds, a new round, a round (sample, progress, scores, grades), a file's
score form (item by item, phone-friendly), the evaluator's response, the round's Excel workbook, and
the unit head's page of the unit's results with the answer form (整改反馈). Thin: parse, call one
service, render. Anyone else is refused (403, in the ledger); another agency's round is a 404 (in
the ledger); a refused form is a 4xx page with what was typed, recorded in the ledger."""
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from liuhen.ledger import refusals

from . import exports, scoring, selectors, services
from . import vocabulary as v
from .forms import AnswerForm, OpenForm, ResponseForm, ScoreForm
from .models import Answer, Round, RoundClose


def _only(test, message):
    def decorate(view):
        @login_required
        def wrapped(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)
        wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
        return wrapped
    return decorate


staff_only = _only(services.may_see_rounds, "只有监督人员、法制审核人员或机关负责人可以查看案卷评查。")
unit_head_only = _only(services.is_unit_head, "只有承办机构负责人可以查看本机构的评查结果。")


def _id(value) -> int | None:
    value = str(value)
    return int(value) if value.isdigit() and len(value) <= 18 else None


def _round(request, pk) -> Round:
    """Another agency's round answers 404 like one that does not exist (ids cannot be enumerated)."""
    round_ = selectors.round_for(request.user.agency_id, pk)
    if round_ is None:
        other = Round.objects.filter(pk=_id(pk)).first() if _id(pk) is not None else None
        if other is not None:
            refusals.record_denied(request, Round.ledger_object_type, other.pk)
        raise Http404
    return round_


def _case_id(round_, case_id) -> int:
    key = _id(case_id)
    if key is None or key not in round_.sample:
        raise Http404
    return key


def _status(exc: ValidationError) -> int:
    codes = {getattr(e, "code", None) for e in exc.error_list}
    return 409 if codes & {"closed", "already_closed", "incomplete", "reason_required", "not_scored"} else 400


def _form_refused(request, form, object_type, object_id, status=400):
    refusals.record_refusal(request, v.REFUSED, [e for errs in form.errors.values() for e in errs],
                            object_type, object_id, status=status, form=form)


@staff_only
def index(request):
    services.log_view(request.user, page="rounds")
    return render(request, "evaluation/index.html", {"rounds": selectors.rounds_of(request.user.agency_id),
                                                     "may_open": services.may_open(request.user)})


@_only(services.may_open, "只有监督人员或机关负责人可以组织案卷评查。")
def new(request):
    today = timezone.localdate()
    form = OpenForm(request.POST or None, agency_id=request.user.agency_id,
                    initial={"period_from": today.replace(day=1) - timezone.timedelta(days=90), "period_to": today,
                             "size": 5, "title": f"{today.year}年案卷评查"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                round_ = services.open_round(request.user, title=d["title"], unit=d["unit"], kind=d["kind"] or "",
                                             period_from=d["period_from"], period_to=d["period_to"],
                                             size=d["size"], seed=d["seed"] or None)
            except ValidationError as exc:  # recorded by the service (evaluation.denied)
                for m in exc.messages:
                    form.add_error(None, m)
                status = 400
            else:
                messages.success(request, f"已从 {round_.population_size} 份已归档案卷中随机抽取 {len(round_.sample)} 份，"
                                           f"随机种子和样本已记入日志。")
                return redirect("evaluation:round", pk=round_.pk)
        else:
            status = 400
            _form_refused(request, form, v.LEDGER, request.user.agency_id)
    return render(request, "evaluation/new.html", {"form": form}, status=status)


def _round_page(request, round_, *, redraw=None, status=200):
    files = selectors.files_of(round_)
    closing = RoundClose.objects.filter(round=round_).select_related("closed_by").first()
    scored = [f for f in files if f.score is not None]
    return render(request, "evaluation/round.html", {
        "round": round_, "files": files, "closing": closing, "redraw": redraw,
        "scored": len(scored), "complete": len(scored) == len(files),
        "average": round(sum(f.score.total for f in scored) / len(scored), 1) if scored else None,
        "grades": selectors.grade_distribution(round_, files),
        "cards": [dict(c, full=scoring.full_marks(c)) for c in round_.cards.values()],
        "may_open": services.may_open(request.user), "may_evaluate": services.may_evaluate(request.user)},
        status=status)


@staff_only
def round_detail(request, pk):
    round_ = _round(request, pk)
    services.log_view(request.user, round_)
    return _round_page(request, round_)


@staff_only
@require_POST
def redraw(request, pk):
    """重新抽取核对: the sample drawn again from the recorded seed, shown beside the recorded one."""
    round_ = _round(request, pk)
    return _round_page(request, round_, redraw=services.check_redraw(request.user, round_, {"channel": "web"}))


@staff_only
@require_POST
def close(request, pk):
    round_ = _round(request, pk)
    try:
        services.close_round(request.user, round_)
    except ValidationError as exc:  # recorded by the service
        messages.error(request, "；".join(exc.messages))
        return _round_page(request, round_, status=_status(exc))
    messages.success(request, "本轮评查已结束。")
    return redirect("evaluation:round", pk=round_.pk)


def _initial(score) -> dict:
    if score is None:
        return {}
    initial = {"note": score.note}
    for r in score.results:
        if r["section"]:
            initial[f"i_{r['id']}"] = r["deduction"]
        else:
            initial[f"i_{r['id']}"] = "fail" if r["failed"] else "ok"
        initial[f"n_{r['id']}"] = r["note"]
    return initial


@staff_only
def score(request, pk, case_id):
    """One sampled file: its scores so far, the unit's answers, the findings that bear on its items,
    and (for an evaluator, while the round is open) the form for a score, which supersedes the last."""
    round_ = _round(request, pk)
    case_id = _case_id(round_, case_id)
    f = selectors.file_of(round_, case_id)
    closed = services.is_closed(round_)
    form = ScoreForm(request.POST or None, card=f.card, correcting=f.score is not None, initial=_initial(f.score),
                     suggestions=selectors.suggestions(f.case, f.card))
    status = 200
    if request.method == "POST":
        if closed or not services.may_evaluate(request.user):
            try:  # the service refuses it too, and records why
                services.score_file(request.user, round_, case_id, {})
            except PermissionDenied:
                raise
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
                status = _status(exc)
        elif form.is_valid():
            try:
                services.score_file(request.user, round_, case_id, form.results(), form.cleaned_data["note"],
                                    form.cleaned_data["reason"])
            except ValidationError as exc:
                for m in exc.messages:
                    form.add_error(None, m)
                status = _status(exc)
            else:
                messages.success(request, f"已保存第 {f.position} 份案卷的评分。")
                return redirect("evaluation:round", pk=round_.pk)
        else:
            status = 400
            _form_refused(request, form, Round.ledger_object_type, round_.pk)
    else:
        services.log_view(request.user, round_, case=case_id)
    return render(request, "evaluation/score.html", {
        "round": round_, "f": f, "form": form, "closed": closed, "may_respond": services.may_evaluate(request.user),
        "may_score": services.may_evaluate(request.user) and not closed}, status=status)


@staff_only
@require_POST
def respond(request, pk, answer_id):
    round_ = _round(request, pk)
    key = _id(answer_id)
    answer = Answer.objects.filter(pk=key, round=round_).first() if key is not None else None
    if answer is None:
        raise Http404
    form = ResponseForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form, Answer.ledger_object_type, answer.pk)
        messages.error(request, "请填写回复内容。")
        return redirect("evaluation:score", pk=round_.pk, case_id=answer.case_id)
    try:
        services.respond(request.user, answer, form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已回复整改反馈。")
    return redirect("evaluation:score", pk=round_.pk, case_id=answer.case_id)


@staff_only
def export(request, pk):
    """The round as an Excel workbook; the download is a ledger read event with its SHA-256."""
    round_ = _round(request, pk)
    files = selectors.files_of(round_)
    data, rows = exports.xlsx_bytes(round_, files, selectors.grade_distribution(round_, files))
    services.log_export(request.user, round_, rows=rows, digest=hashlib.sha256(data).hexdigest())
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="evaluation-round-{round_.pk}.xlsx"'
    return response


@unit_head_only
def unit(request):
    """整改反馈: the unit head's page — the scored files of the unit, with their answers."""
    services.log_view(request.user, page="unit", unit=request.user.unit_id)
    return render(request, "evaluation/unit.html", {"files": selectors.unit_files(request.user)})


@unit_head_only
def answer(request, pk, case_id):
    round_ = _round(request, pk)
    case_id = _case_id(round_, case_id)
    f = selectors.file_of(round_, case_id)
    if f is None or f.case.unit_id != request.user.unit_id or f.score is None:
        # Another unit's file (or one not scored yet) is not shown: as if it did not exist.
        refusals.record_denied(request, Round.ledger_object_type, round_.pk)
        raise Http404
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.answer_score(request.user, round_, case_id, d["stance"], d["reason"], d["corrected"])
            except ValidationError as exc:
                for m in exc.messages:
                    form.add_error(None, m)
                status = _status(exc)
            else:
                messages.success(request, "已提交整改反馈。")
                return redirect("evaluation:unit")
        else:
            status = 400
            _form_refused(request, form, Round.ledger_object_type, round_.pk)
    else:
        services.log_view(request.user, round_, case=case_id, page="answer")
    return render(request, "evaluation/answer.html", {"round": round_, "f": f, "form": form}, status=status)
