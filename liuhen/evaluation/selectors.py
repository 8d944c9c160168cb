"""Reads of the evaluation app: the agency's rounds, a round's sampled files with their current
scores, answers and responses, the unit's scored files, and the open findings that suggest an
item failed (from liuhen.oversight, when its findings are there)."""
import dataclasses
from collections import Counter

from . import scoring
from .models import Answer, Response, Round, RoundClose, Score


def rounds_of(agency_id):
    """The agency's rounds, newest first, each with `close_row` (or None) and `scored` (how many
    sampled files have a current score)."""
    rounds = list(Round.objects.filter(agency_id=agency_id).select_related("unit", "opened_by")
                  .order_by("-opened_at", "-pk"))
    closings = {c.round_id: c for c in RoundClose.objects.filter(round__in=rounds).select_related("closed_by")}
    current = Counter(Score.objects.filter(round__in=rounds, superseded_by__isnull=True)
                      .values_list("round_id", flat=True))
    for r in rounds:
        r.close_row = closings.get(r.pk)
        r.scored = current.get(r.pk, 0)
    return rounds


def round_for(agency_id, pk) -> Round | None:
    """The agency's round by id (None for another agency's, or an id that is not a number)."""
    if not str(pk).isdigit() or len(str(pk)) > 18:
        return None
    return Round.objects.select_related("unit", "opened_by", "agency").filter(pk=int(pk), agency_id=agency_id).first()


@dataclasses.dataclass
class File:
    """One sampled case file of a round: its position in the draw, the case, the card it is held
    to, its current score, the earlier scores it superseded, and the unit's answers."""

    position: int
    case: object
    card: dict
    score: Score | None = None
    history: list = dataclasses.field(default_factory=list)
    answers: list = dataclasses.field(default_factory=list)


def _labelled(score: Score, card: dict) -> None:
    """Give the score's results their items' labels and points (for the templates)."""
    items = {item["id"]: (section, item) for section, item in scoring.items(card)}
    score.rows = [dict(r, label=items.get(r["id"], ("", {}))[1].get("label", r["id"]),
                       points=items.get(r["id"], ("", {}))[1].get("points", 0)) for r in score.results]
    score.problems = [r for r in score.rows if r["failed"] or r["deduction"]]


def files_of(round_: Round, cases: dict | None = None) -> list[File]:
    """The round's sampled files in their drawn order, in a fixed number of queries."""
    from liuhen.cases.models import Case

    if cases is None:
        cases = Case.objects.select_related("unit").in_bulk(round_.sample)
    scores = list(Score.objects.filter(round=round_).select_related("evaluator").order_by("pk"))
    superseded = {s.supersedes_id for s in scores if s.supersedes_id}
    answers = list(Answer.objects.filter(round=round_).select_related("answered_by").order_by("pk"))
    responses: dict[int, list] = {}
    for r in Response.objects.filter(answer__round=round_).select_related("responded_by").order_by("pk"):
        responses.setdefault(r.answer_id, []).append(r)
    files = []
    for i, case_id in enumerate(round_.sample, 1):
        card = round_.card_for(case_id)
        f = File(position=i, case=cases.get(case_id), card=card)
        for s in scores:
            if s.case_id == case_id:
                s.superseded = s.pk in superseded
                _labelled(s, card)
                f.history.append(s)
        current = [s for s in f.history if not s.superseded]
        f.score = current[-1] if current else None
        for a in answers:
            if a.case_id == case_id:
                a.response_rows = responses.get(a.pk, [])
                f.answers.append(a)
        files.append(f)
    return files


def file_of(round_: Round, case_id: int) -> File | None:
    return next((f for f in files_of(round_) if f.case is not None and f.case.pk == case_id), None)


def grade_distribution(round_: Round, files: list[File]) -> list[tuple[str, int, int]]:
    """[(grade, files, percent of the scored)] in the bands' order, over the current scores."""
    labels = []
    for card in round_.cards.values():
        for label, _ in card.get("bands") or scoring.DEFAULT_BANDS:
            if label not in labels:
                labels.append(label)
    counts = Counter(f.score.grade for f in files if f.score is not None)
    scored = sum(counts.values())
    return [(label, counts.get(label, 0), round(100 * counts.get(label, 0) / scored) if scored else 0)
            for label in labels]


def unit_files(user) -> list[tuple[Round, File]]:
    """The scored files of the unit head's unit, in every round of the agency (newest round first):
    what the unit sees and answers (整改反馈)."""
    from liuhen.cases.models import Case

    out = []
    rounds = Round.objects.filter(agency_id=user.agency_id).select_related("unit").order_by("-opened_at", "-pk")
    for round_ in rounds:
        mine = set(Case.objects.filter(pk__in=round_.sample, unit_id=user.unit_id).values_list("pk", flat=True))
        if not mine:
            continue
        for f in files_of(round_, Case.objects.select_related("unit").in_bulk(mine)):
            if f.case is not None and f.score is not None:
                out.append((round_, f))
    return out


def suggestions(case, card: dict) -> dict[str, list]:
    """{item id: [open findings of the case whose code the item lists]}: what the findings engine
    (liuhen.oversight) found on the file, shown next to the items it bears on — the evaluator
    decides. Empty while the oversight app has no Finding model (or none of the fields this reads:
    `code`, `case`), so that the evaluation works without it."""
    try:
        from liuhen.oversight import models as oversight
    except ImportError:  # pragma: no cover — the app is always installed; its models may not be
        return {}
    model = getattr(oversight, "Finding", None)
    if model is None:
        return {}
    names = {f.name for f in model._meta.get_fields()}
    if not {"code", "case"} <= names:
        return {}
    wanted: dict[str, list] = {}
    for _, item in scoring.items(card):
        for code in item.get("findings", ()):
            wanted.setdefault(code, []).append(item["id"])
    if not wanted:
        return {}
    qs = model.objects.filter(case=case, code__in=list(wanted))
    for closed in ("resolved_at", "closed_at", "cleared_at"):  # an open finding is one not yet cleared
        if closed in names:
            qs = qs.filter(**{f"{closed}__isnull": True})
    out: dict[str, list] = {}
    for f in qs.order_by("pk")[:200]:
        for item_id in wanted.get(f.code, ()):
            out.setdefault(item_id, []).append(f)
    return out
