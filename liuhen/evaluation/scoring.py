"""The arithmetic of a score card (评查标准), on the card as the round pinned it (plain data): no
database, no profile lookup — a round's scores follow from its own rows alone, so `liuhen verify`
can recompute them.

- A hard-fail item (否决项) failed scores the whole file 0, whatever else.
- A deduction item takes from 0 up to its `points` off its section, with a note saying why; a
  section never scores below 0 (扣完为止), whatever the deductions add up to.
- The total is the sum of the sections; the grade is the first band (from the highest) whose
  minimum the total reaches: 优秀 ≥ 90, 合格 ≥ 60, else 不合格 by default.
"""
import dataclasses

DEFAULT_BANDS = (("优秀", 90), ("合格", 60), ("不合格", 0))


def _item(item) -> dict:
    return {"id": item.id, "label": item.label, "points": item.points, "article": item.article,
            "findings": list(item.findings)}


def card_of(profile) -> dict | None:
    """A profile's score card as data, with the profile it came from (code, version, sha256); None
    when the profile has none."""
    card = profile.scorecard
    if card is None:
        return None
    return {"profile": profile.code, "name": profile.name, "version": profile.version, "sha256": profile.sha256,
            "hard_fail": [_item(i) for i in card.hard_fail],
            "sections": [{"id": s.id, "label": s.label, "points": s.points, "items": [_item(i) for i in s.items]}
                         for s in card.sections],
            "bands": [[label, low] for label, low in (card.bands or DEFAULT_BANDS)]}


def card_key(card: dict) -> str:
    return f"{card['profile']}:{card['version']}"


def full_marks(card: dict) -> int:
    return sum(s["points"] for s in card["sections"])


def grade(card: dict, total: int) -> str:
    bands = card.get("bands") or DEFAULT_BANDS
    return next((label for label, low in bands if total >= low), bands[-1][0])


def items(card: dict):
    """(section id or "" for a hard-fail item, item) in card order."""
    for item in card["hard_fail"]:
        yield "", item
    for section in card["sections"]:
        for item in section["items"]:
            yield section["id"], item


@dataclasses.dataclass(frozen=True)
class Outcome:
    hard_failed: bool
    sections: list  # [{"id", "label", "points", "deducted", "score"}]
    total: int
    grade: str


def outcome(card: dict, results: list[dict]) -> Outcome:
    """The sections, total and grade that `results` (as stored on a Score) give under `card`."""
    by_id = {r["id"]: r for r in results}
    hard_failed = any(by_id.get(i["id"], {}).get("failed") for i in card["hard_fail"])
    sections = []
    for s in card["sections"]:
        deducted = sum(int(by_id.get(i["id"], {}).get("deduction") or 0) for i in s["items"])
        sections.append({"id": s["id"], "label": s["label"], "points": s["points"], "deducted": deducted,
                         "score": max(0, s["points"] - deducted)})  # 扣完为止: never below 0
    total = 0 if hard_failed else sum(s["score"] for s in sections)
    return Outcome(hard_failed, sections, total, grade(card, total))
