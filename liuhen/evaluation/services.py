"""Writes of the evaluation app (案卷评查), each in one transaction with its ledger entry: a round
opened and drawn (组织评查、抽取案卷), a file scored (评分, a correction superseding the earlier
score with its reason), the unit's answer (整改反馈), the evaluator's response, a round closed. A
refused act of a person is in the ledger with its codes, never its text.

Who (BX 4, LQ 20, LQ 30: the agency evaluates its own files and uses the result in supervision):
- a round is opened and closed by a 监督人员 or the 机关负责人 of the agency;
- a file is scored by a 监督人员 or a 法制审核人员 who was not an officer of that case (nobody
  grades their own file);
- the 承办机构负责人 of the case's unit answers for the unit's files, and only those."""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.common import sampling, text
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.ledger.models import Entry

from . import scoring
from . import vocabulary as v
from .models import Answer, Response, Round, RoundClose, Score, Stance

OPENER_ROLES = frozenset({Role.SUPERVISOR, Role.AGENCY_HEAD})
EVALUATOR_ROLES = frozenset({Role.SUPERVISOR, Role.LEGAL_REVIEWER})
MAX_SAMPLE = 1000


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.agency_id is not None


def may_open(user) -> bool:
    return _active(user) and bool(user.role_codes() & OPENER_ROLES)


def may_evaluate(user) -> bool:
    return _active(user) and bool(user.role_codes() & EVALUATOR_ROLES)


def may_see_rounds(user) -> bool:
    return may_open(user) or may_evaluate(user)


def is_unit_head(user) -> bool:
    return _active(user) and user.unit_id is not None and Role.UNIT_HEAD in user.role_codes()


def _about(actor, target=None, *rest):
    if isinstance(target, Round) and target.pk:
        return Round.ledger_object_type, target.pk
    if isinstance(target, Answer) and target.pk:
        return Answer.ledger_object_type, target.pk
    return v.LEDGER, getattr(actor, "agency_id", None) or ""


def _guarded(act: str):
    return refusals.records_refusals(v.DENIED, act, _about)


def _same_agency(actor, round_: Round) -> None:
    if actor.agency_id != round_.agency_id:
        raise PermissionDenied("不能评查其他执法机关的案卷。")


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def population(criteria: dict) -> list[int]:
    """The case ids the criteria describe, ascending: the agency's case files archived (received by
    the archivist) in [from, until) and by the draw, of the unit and kind if given. A case's
    archived_at is set once and its unit and kind never change, so the same criteria give the same
    population later (liuhen verify draws every round again)."""
    from liuhen.cases.models import Case

    drawn_at = datetime.datetime.fromisoformat(criteria["drawn_at"])
    qs = Case.objects.filter(agency_id=criteria["agency"], archived_at__isnull=False,
                             archived_at__gte=datetime.datetime.fromisoformat(criteria["from"]),
                             archived_at__lt=datetime.datetime.fromisoformat(criteria["until"]),
                             archived_at__lte=drawn_at)
    if criteria.get("unit") is not None:
        qs = qs.filter(unit_id=criteria["unit"])
    if criteria.get("kind"):
        qs = qs.filter(kind=criteria["kind"])
    return list(qs.order_by("pk").values_list("pk", flat=True))


def _cards(case_ids) -> tuple[dict, dict]:
    """The score card of each case's profile (the version the case started under), pinned as data."""
    from liuhen.cases.models import Case
    from liuhen.profiles.selectors import profile_for_case

    cards, case_cards, missing = {}, {}, []
    for case in Case.objects.filter(pk__in=case_ids).order_by("pk"):
        card = scoring.card_of(profile_for_case(case))
        if card is None:
            missing.append(case.number)
            continue
        key = scoring.card_key(card)
        cards.setdefault(key, card)
        case_cards[str(case.pk)] = key
    if missing:
        raise ValidationError(f"案卷 {'、'.join(missing[:5])} 适用的执法规则没有评查标准，不能评查。", code="no_scorecard")
    return cards, case_cards


@_guarded("open")
def open_round(actor, *, title: str, period_from: datetime.date, period_to: datetime.date, size: int,
               unit=None, kind: str = "", seed: str | None = None) -> Round:
    """组织评查: a random sample of `size` of the agency's case files archived in [period_from,
    period_to] (of `unit`, of `kind`), drawn at once under `seed` (given by the evaluator, e.g. drawn
    in public, or else by the server). The row and its event keep everything needed to draw the same
    sample again; nothing can draw it again differently (the row is never changed)."""
    from liuhen.cases.models import Kind

    if not may_open(actor):
        raise PermissionDenied("只有监督人员或机关负责人可以组织案卷评查。")
    agency = actor.agency
    title = text.clean(title or "", "评查名称", max_length=100).strip()
    if not title:
        raise ValidationError("请填写评查名称。", code="title_required")
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError("所选承办机构不属于本执法机关。", code="unit_agency")
    if kind and kind not in Kind.values:
        raise ValidationError("执法类别无效。", code="kind")
    if not isinstance(period_from, datetime.date) or not isinstance(period_to, datetime.date):
        raise ValidationError("请填写归档日期的起止。", code="period_required")
    if period_from > period_to:
        raise ValidationError("归档日期的起始日期不能晚于截止日期。", code="period_order")
    if period_from.year < 1970 or period_to.year > 9998:
        raise ValidationError("归档日期须在 1970 年到 9998 年之间。", code="period_range")
    if not isinstance(size, int) or isinstance(size, bool) or not (1 <= size <= MAX_SAMPLE):
        raise ValidationError(f"抽取数量须在 1 到 {MAX_SAMPLE} 之间。", code="size_range")
    if seed is not None and not str(seed).strip():
        seed = None  # left blank: the server draws it
    if seed is not None:
        seed = str(seed).strip().lower()
        if not sampling.is_seed(seed):
            raise ValidationError("随机种子应为 32 位十六进制数字（0-9、a-f），或留空由系统生成。", code="seed")
    with transaction.atomic():
        now = timezone.now()
        criteria = {"agency": agency.pk, "unit": unit.pk if unit is not None else None, "kind": kind or "",
                    "from": _utc(_day_start(period_from)),
                    "until": _utc(_day_start(period_to + datetime.timedelta(days=1))), "drawn_at": _utc(now)}
        keys = population(criteria)
        if not keys:
            raise ValidationError("所选范围内没有已归档的案卷，未抽取。", code="empty_population")
        if size > len(keys):
            raise ValidationError(f"抽取数量 {size} 超过了已归档案卷总数 {len(keys)}，请减少抽取数量。",
                                  code="too_large")
        drawn = sampling.sample(keys, size, seed)
        cards, case_cards = _cards(drawn.sample)
        row = Round(agency=agency, title=title, unit=unit, kind=kind or "", period_from=period_from,
                    period_to=period_to, criteria=criteria, requested=size, population_size=drawn.population_size,
                    population_digest=drawn.population_digest, seed=drawn.seed, seed_given=seed is not None,
                    sample=drawn.sample, cards=cards, case_cards=case_cards, opened_by=actor, opened_at=now)
        row.save()
        row = Round.objects.get(pk=row.pk)  # as stored
        ledger.append(v.OPEN, actor=actor, object_type=Round.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"criteria": row.criteria, "requested": size, "population_size": row.population_size,
                              "population_digest": row.population_digest, "seed": row.seed,
                              "seed_given": row.seed_given, "sample": row.sample, "case_cards": row.case_cards})
    return row


def is_closed(round_: Round) -> bool:
    return RoundClose.objects.filter(round=round_).exists()


def current_score(round_: Round, case_id) -> Score | None:
    return (Score.objects.filter(round=round_, case_id=case_id, superseded_by__isnull=True)
            .order_by("-pk").first())


def current_scores(round_: Round) -> dict[int, Score]:
    """{case id: its current score} of a round."""
    return {s.case_id: s for s in Score.objects.filter(round=round_, superseded_by__isnull=True).order_by("pk")}


def _results(card: dict, given: dict) -> list[dict]:
    """The results in the card's order, each checked: every item answered, none unknown, a
    failed hard-fail item or a deduction explained, a deduction within the item's points."""
    if not isinstance(given, dict):
        raise ValidationError("评查结果格式无效。", code="results")
    known = {item["id"] for _, item in scoring.items(card)}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValidationError(f"评查标准中没有这些项目：{'、'.join(map(str, unknown[:5]))}。", code="unknown_item")
    out, errors = [], []
    for section, item in scoring.items(card):
        value = given.get(item["id"])
        if not isinstance(value, dict):
            errors.append(ValidationError(f"“{item['label']}”未评查。", code="missing_item"))
            continue
        note = text.clean(value.get("note") or "", f"“{item['label']}”的说明", max_length=300).strip()
        if not section:
            failed = value.get("failed")
            if not isinstance(failed, bool):
                errors.append(ValidationError(f"“{item['label']}”请选择符合或不符合。", code="missing_item"))
                continue
            if failed and not note:
                errors.append(ValidationError(f"否决项“{item['label']}”不符合，请写明问题。", code="fail_note"))
                continue
            out.append({"id": item["id"], "section": "", "failed": failed, "deduction": 0, "note": note})
            continue
        deduction = value.get("deduction", 0)
        if isinstance(deduction, bool) or not isinstance(deduction, int) or not 0 <= deduction <= item["points"]:
            errors.append(ValidationError(f"“{item['label']}”的扣分须在 0 到 {item['points']} 之间。",
                                          code="deduction_range"))
            continue
        if deduction and not note:
            errors.append(ValidationError(f"“{item['label']}”扣 {deduction} 分，请写明扣分理由。", code="deduction_note"))
            continue
        out.append({"id": item["id"], "section": section, "failed": False, "deduction": deduction, "note": note})
    if errors:
        raise ValidationError(errors)
    return out


def _sampled_case(round_: Round, case_id):
    from liuhen.cases.models import Case

    if isinstance(case_id, bool) or not isinstance(case_id, int) or case_id not in round_.sample:
        raise ValidationError("该案卷不在本轮评查样本中。", code="not_sampled")
    return Case.objects.get(pk=case_id)


@_guarded("score")
def score_file(actor, round_: Round, case_id: int, results: dict, note: str = "", reason: str = "") -> Score:
    """评分 of the sampled case file `case_id`: `results` maps each item id of the file's pinned card
    to {"failed": bool} (a hard-fail item) or {"deduction": n, "note": why}. A file's earlier score is
    superseded by this one, with `reason` (更正理由) — it stays, with who and when."""
    from liuhen.cases.models import CaseOfficer

    if not may_evaluate(actor):
        raise PermissionDenied("只有监督人员或法制审核人员可以评查案卷。")
    _same_agency(actor, round_)
    if is_closed(round_):
        raise ValidationError("该轮评查已结束，不能再评分。", code="closed")
    case = _sampled_case(round_, case_id)
    if CaseOfficer.objects.filter(case=case, officer=actor).exists():
        # Nobody grades a file they handled themselves (the evaluation is of their work).
        raise PermissionDenied("您是该案的承办人员，不能评查本人承办的案卷。")
    card_key = round_.case_cards[str(case.pk)]
    card = round_.cards[card_key]
    rows = _results(card, results)
    note = text.clean(note or "", "评查意见", multiline=True, max_length=1000).strip()
    reason = text.clean(reason or "", "更正理由", max_length=500).strip()
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)  # a round's scores one at a time
        if is_closed(round_):
            raise ValidationError("该轮评查已结束，不能再评分。", code="closed")
        earlier = current_score(round_, case.pk)
        if earlier is not None and not reason:
            raise ValidationError("该案卷已有评分；更正评分请写明更正理由。", code="reason_required")
        if earlier is None and reason:
            reason = ""  # nothing to correct: a first score has no 更正理由
        result = scoring.outcome(card, rows)
        row = Score(round=round_, case=case, card=card_key, results=rows, hard_failed=result.hard_failed,
                    sections=result.sections, total=result.total, grade=result.grade, note=note, reason=reason,
                    supersedes=earlier, evaluator=actor, recorded_at=timezone.now())
        row.save()
        row = Score.objects.get(pk=row.pk)
        ledger.append(v.SCORE, actor=actor, object_type=Score.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"round": round_.pk, "case": case.pk, "card": card_key, "total": row.total,
                              "grade": row.grade, "hard_failed": row.hard_failed,
                              "failed": [r["id"] for r in rows if r["failed"]],
                              "deductions": {r["id"]: r["deduction"] for r in rows if r["deduction"]},
                              "supersedes": earlier.pk if earlier is not None else None})
    return row


@_guarded("answer")
def answer_score(actor, round_: Round, case_id: int, stance: str, reason: str = "", corrected: str = "") -> Answer:
    """整改反馈: the unit head of the case's unit answers the file's current score — no objection,
    or an objection with its reason — and says what the unit corrected."""
    if not is_unit_head(actor):
        raise PermissionDenied("只有承办机构负责人可以对本机构案卷的评查结果作出反馈。")
    _same_agency(actor, round_)
    case = _sampled_case(round_, case_id)
    if case.unit_id != actor.unit_id:
        raise PermissionDenied("只能对本机构承办的案卷作出反馈。")
    if stance not in Stance.values:
        raise ValidationError("请选择无异议或有异议。", code="stance")
    reason = text.clean(reason or "", "异议理由", multiline=True, max_length=1000).strip()
    corrected = text.clean(corrected or "", "整改情况", multiline=True, max_length=1000).strip()
    if stance == Stance.OBJECT and not reason:
        raise ValidationError("有异议的，请写明异议理由。", code="reason_required")
    with transaction.atomic():
        score = current_score(round_, case.pk)
        if score is None:
            raise ValidationError("该案卷尚未评分，不能反馈。", code="not_scored")
        row = Answer(round=round_, case=case, score=score, stance=stance, reason=reason, corrected=corrected,
                     answered_by=actor, answered_at=timezone.now())
        row.save()
        row = Answer.objects.get(pk=row.pk)
        ledger.append(v.ANSWER, actor=actor, object_type=Answer.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"round": round_.pk, "case": case.pk, "score": score.pk, "stance": stance,
                              "corrected": bool(corrected)})
    return row


@_guarded("respond")
def respond(actor, answer: Answer, text_: str) -> Response:
    """The evaluator's response to a unit's answer (e.g. why an objection stands or not)."""
    if not may_evaluate(actor):
        raise PermissionDenied("只有监督人员或法制审核人员可以回复整改反馈。")
    if actor.agency_id != answer.round.agency_id:
        raise PermissionDenied("不能回复其他执法机关的整改反馈。")
    body = text.clean(text_ or "", "回复", multiline=True, max_length=1000).strip()
    if not body:
        raise ValidationError("请填写回复内容。", code="text_required")
    with transaction.atomic():
        row = Response(answer=answer, text=body, responded_by=actor, responded_at=timezone.now())
        row.save()
        row = Response.objects.get(pk=row.pk)
        ledger.append(v.RESPOND, actor=actor, object_type=Response.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"round": answer.round_id, "case": answer.case_id, "answer": answer.pk})
    return row


def summary(round_: Round, scores: dict | None = None) -> dict:
    """The grade distribution of a round's current scores: {"files", "scored", "average",
    "hard_failed", "grades": {label: n} in the bands' order}."""
    scores = current_scores(round_) if scores is None else scores
    bands = []
    for card in round_.cards.values():
        for label, _ in card.get("bands") or scoring.DEFAULT_BANDS:
            if label not in bands:
                bands.append(label)
    grades = {label: 0 for label in bands}
    for s in scores.values():
        grades[s.grade] = grades.get(s.grade, 0) + 1
    totals = [s.total for s in scores.values()]
    return {"files": len(round_.sample), "scored": len(totals),
            "average": round(sum(totals) / len(totals), 1) if totals else None,
            "hard_failed": sum(1 for s in scores.values() if s.hard_failed), "grades": grades}


@_guarded("close")
def close_round(actor, round_: Round) -> RoundClose:
    """结束: the round is closed once every sampled file has a score; nothing is scored after."""
    if not may_open(actor):
        raise PermissionDenied("只有监督人员或机关负责人可以结束案卷评查。")
    _same_agency(actor, round_)
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if is_closed(round_):
            raise ValidationError("该轮评查已经结束。", code="already_closed")
        scores = current_scores(round_)
        missing = [k for k in round_.sample if k not in scores]
        if missing:
            raise ValidationError(f"还有 {len(missing)} 份案卷没有评分，不能结束本轮评查。", code="incomplete")
        row = RoundClose(round=round_, summary=summary(round_, scores), closed_by=actor, closed_at=timezone.now())
        row.save()
        row = RoundClose.objects.get(pk=row.pk)
        ledger.append(v.CLOSE, actor=actor, object_type=RoundClose.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(), detail={"round": round_.pk, **row.summary})
    return row


# ---- re-draw (重新抽取核对) ------------------------------------------------------------------------

Redraw = sampling.Redraw
REDRAW_CODES = sampling.RedrawCodes(row=v.E001, population=v.E004, sample=v.E005, absent=v.E018)
_FIELD_LABELS = {"criteria": "抽取条件", "seed": "随机种子", "sample": "样本", "population_size": "总体数量",
                 "population_digest": "总体摘要", "case_cards": "评查标准"}


def open_event(round_id) -> dict | None:
    """The detail of the round's logged open (draw) event, or None."""
    entry = Entry.objects.filter(action=v.OPEN, object_type=Round.ledger_object_type,
                                 object_id=str(round_id)).order_by("pk").first()
    return ledger.event_of(entry).get("detail") if entry is not None else None


def redraw(round_: Round, logged: dict | None = ..., *, absent_ok: bool = False) -> Redraw:
    """Draw the round's sample again from its seed over the population its criteria describe now,
    as the row states them and as the log recorded them (liuhen.common.sampling), and say what
    differs: the population (E004), the sample (E005), the row against its event (E001), no event
    at all (E018)."""
    if logged is ...:
        logged = open_event(round_.pk)
    return sampling.redraw(round_, population, logged, codes=REDRAW_CODES, labels=_FIELD_LABELS, noun="份",
                           absent_ok=absent_ok)


def check_redraw(actor, round_: Round, channel_detail: dict | None = None) -> Redraw:
    """重新抽取核对 from a page or the CLI: the re-draw, and a read event saying whether it matched."""
    result = redraw(round_)
    with transaction.atomic():
        ledger.append(v.REDRAW, actor=actor, object_type=Round.ledger_object_type, object_id=round_.pk,
                      detail=result.event_detail(**(channel_detail or {})))
    return result


# ---- reads that leave a trace ---------------------------------------------------------------------

def log_view(actor, round_: Round | None = None, **detail) -> None:
    object_type, object_id = ((Round.ledger_object_type, round_.pk) if round_ is not None
                              else (v.LEDGER, getattr(actor, "agency_id", None) or ""))
    with transaction.atomic():
        ledger.append(v.VIEW, actor=actor, object_type=object_type, object_id=object_id, detail=detail)


def log_export(actor, round_: Round, *, rows: int, digest: str) -> None:
    """A round downloaded as a workbook (a read): how many rows, and the workbook's SHA-256."""
    with transaction.atomic():
        ledger.append(v.EXPORT, actor=actor, object_type=Round.ledger_object_type, object_id=round_.pk,
                      detail={"format": "xlsx", "rows": rows, "sha256": digest})
