"""Reads of the inspections app: the agency's rounds, a round's sampled items with their current
findings, and the 抽检台账 (every round's findings, with the failures counted per officer and unit)."""
import dataclasses
from collections import Counter

from .models import Finding, Kind, Result, Round, RoundClose


def rounds_of(agency_id):
    """The agency's rounds, newest first, each with `closing` (or None) and `found` (how many
    sampled items have a current finding)."""
    rounds = list(Round.objects.filter(agency_id=agency_id).select_related("unit", "drawn_by")
                  .order_by("-drawn_at", "-pk"))
    closings = {c.round_id: c for c in RoundClose.objects.filter(round__in=rounds).select_related("closed_by")}
    current = Counter(Finding.objects.filter(round__in=rounds, superseded_by__isnull=True)
                      .values_list("round_id", flat=True))
    for r in rounds:
        r.close_row = closings.get(r.pk)
        r.found = current.get(r.pk, 0)
    return rounds


def round_for(agency_id, pk) -> Round | None:
    """The agency's round by id (None for another agency's, or an id that is not a number)."""
    if not str(pk).isdigit() or len(str(pk)) > 18:
        return None
    return Round.objects.select_related("unit", "drawn_by", "agency").filter(pk=int(pk), agency_id=agency_id).first()


@dataclasses.dataclass(frozen=True)
class Attributed:
    """A person or unit as the round recorded it at the draw (Round.attribution): its id and name
    then, whatever it is called or wherever it is now."""

    pk: int | None
    name: str

    @property
    def display_name(self) -> str:
        return self.name

    def __str__(self):
        return self.name


def _attributed(pk, name) -> Attributed | None:
    return Attributed(pk, name or "") if pk is not None else None


@dataclasses.dataclass
class Item:
    """One sampled item of a round: its position in the draw, the footage or device, the officer (or
    保管人), unit and device number it was attributed to at the draw, its current finding and the
    earlier ones it superseded."""

    position: int
    key: int
    footage: object = None
    device: object = None
    officer: Attributed | None = None
    unit: Attributed | None = None
    device_number: str = ""
    finding: Finding | None = None
    history: list = dataclasses.field(default_factory=list)

    @property
    def label(self) -> str:
        if self.footage is not None:
            return self.footage.name
        return f"{self.device.number}（{self.device.model_name}）" if self.device is not None else f"#{self.key}"


def _things(kind, keys) -> dict:
    from liuhen.devices.models import Device
    from liuhen.footage.models import FootageItem

    if kind == Kind.FOOTAGE:
        return FootageItem.objects.select_related("device").in_bulk(keys)
    return Device.objects.in_bulk(keys)


def items_of(round_: Round, things: dict | None = None, findings: list | None = None) -> list[Item]:
    """The round's sampled items in their drawn order — in a fixed number of queries (none when the
    caller read `things` {key: row} and the round's `findings` for many rounds at once)."""
    if things is None:
        things = _things(round_.kind, round_.sample)
    if findings is None:
        findings = list(Finding.objects.filter(round=round_).select_related("inspector").order_by("pk"))
    superseded = {f.supersedes_id for f in findings if f.supersedes_id}
    by_key: dict[int, list] = {}
    for f in findings:
        by_key.setdefault(f.item_key, []).append(f)
    labels = {c["code"]: c for c in round_.checklist}
    items = []
    for i, key in enumerate(round_.sample, 1):
        thing = things.get(key)
        item = Item(position=i, key=key)
        # Who and which unit answered for the item at the draw (LW-D 14), never who does today.
        then = (round_.attribution or {}).get(str(key)) or {}
        item.unit = _attributed(then.get("unit_id"), then.get("unit"))
        if round_.kind == Kind.FOOTAGE:
            item.officer = _attributed(then.get("officer_id"), then.get("officer"))
            item.device_number = then.get("device") or ""
            if thing is not None:
                item.footage, item.device = thing, thing.device
                item.device_number = item.device_number or thing.device.number
        else:
            item.officer = _attributed(then.get("custodian_id"), then.get("custodian"))
            if thing is not None:
                item.device, item.device_number = thing, thing.number
        rows = by_key.get(key, [])
        for f in rows:
            f.checks = [dict(r, label=labels.get(r["code"], {}).get("label", r["code"]),
                             basis=labels.get(r["code"], {}).get("basis", ""),
                             result_label=Result(r["result"]).label) for r in f.results]
            f.superseded = f.pk in superseded
        current = [f for f in rows if not f.superseded]
        item.finding = current[-1] if current else None
        item.history = rows
        items.append(item)
    return items


@dataclasses.dataclass
class LedgerRound:
    round: Round
    closing: RoundClose | None
    items: list


def ledger(agency_id, *, kind: str = "", unit_id=None, drawn_from=None, drawn_to=None) -> list[LedgerRound]:
    """抽检台账: the agency's rounds (newest first) — of one kind, one unit, drawn between two dates
    (local, inclusive) — with their sampled items and findings."""
    from django.utils import timezone

    rounds = rounds_of(agency_id)
    if kind:
        rounds = [r for r in rounds if r.kind == kind]
    if unit_id is not None:
        rounds = [r for r in rounds if r.unit_id == unit_id]
    if drawn_from is not None:
        rounds = [r for r in rounds if timezone.localdate(r.drawn_at) >= drawn_from]
    if drawn_to is not None:
        rounds = [r for r in rounds if timezone.localdate(r.drawn_at) <= drawn_to]
    # Every round's sampled rows and findings in three queries, however many rounds (no N+1).
    things = {kind: _things(kind, {k for r in rounds if r.kind == kind for k in r.sample}) for kind in Kind.values}
    findings: dict[int, list] = {}
    for f in Finding.objects.filter(round__in=rounds).select_related("inspector").order_by("pk"):
        findings.setdefault(f.round_id, []).append(f)
    return [LedgerRound(r, r.close_row, items_of(r, things[r.kind], findings.get(r.pk, []))) for r in rounds]


def failure_counts(rounds: list[LedgerRound]) -> dict:
    """Failed checks and items with a failure, per officer (or 保管人 for a device) and per unit as
    the round recorded them at the draw, counted over the current findings:
    {"officers": [(name, items, checks)], "units": […]}."""
    officers, units = Counter(), Counter()
    officer_items, unit_items = Counter(), Counter()
    for lr in rounds:
        for item in lr.items:
            f = item.finding
            if f is None or not f.failures:
                continue
            who = item.officer.display_name if item.officer is not None else "未归属"
            where = item.unit.name if item.unit is not None else "未归属科室"
            officers[who] += f.failures
            officer_items[who] += 1
            units[where] += f.failures
            unit_items[where] += 1
    return {"officers": [(k, officer_items[k], n) for k, n in officers.most_common()],
            "units": [(k, unit_items[k], n) for k, n in units.most_common()]}


def sampled_footage_visible(user, item) -> bool:
    """The footage view policy (footage.selectors.register_view_policy): an inspector of the agency
    may watch footage a round of the agency sampled — the inspection of LW-D 14 is of the recordings
    themselves. Samples are short lists and rounds a few a month: read them, no index needed."""
    from .services import may_inspect

    if not may_inspect(user):
        return False
    samples = Round.objects.filter(agency_id=user.agency_id, kind=Kind.FOOTAGE).values_list("sample", flat=True)
    return any(item.pk in (s or []) for s in samples)
