"""The draw (抽取) as a function anyone can run again: the population from the criteria, the sample
from (seed, population).

- **Population.** Footage: the agency's recordings (video, audio, photo — not sidecars) whose
  recording time lies in [`from`, `until`) and that were taken into custody by the draw
  (`ingested_at` ≤ `drawn_at`); for a unit, those attributed to the officers who were in the unit at
  the draw (their ids are in the criteria: a person who moves later does not move the population).
  Footage rows are never deleted (a purge keeps the row), so the same criteria give the same
  population later. Devices change in place (unit, status), so a device round's criteria list the
  devices themselves; each must have been registered by the draw.
- **Keys** are the rows' ids; the digest and the sample are liuhen.common.sampling's (HMAC-SHA256
  rank under the 16-byte seed, the n lowest), shared with the 案卷评查 rounds of liuhen.evaluation.
"""
import datetime

# The one seeded draw and its re-draw check, shared with the 案卷评查 rounds (liuhen.evaluation):
from liuhen.common.sampling import Redraw, RedrawCodes, draw, keys_digest, new_seed, rank, redraw

__all__ = ["FOOTAGE_KINDS", "Redraw", "RedrawCodes", "draw", "keys_digest", "new_seed", "population", "rank", "redraw"]

FOOTAGE_KINDS = ("video", "audio", "photo")


def _instant(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


def population(criteria: dict) -> list[int]:
    """The keys of the population `criteria` describe, ascending (see the module's docstring)."""
    drawn_at = _instant(criteria["drawn_at"])
    if criteria["kind"] == "footage":
        from liuhen.footage.models import FootageItem

        qs = FootageItem.objects.filter(
            agency_id=criteria["agency"], video__isnull=True, kind__in=list(criteria["kinds"]),
            recorded_utc__gte=_instant(criteria["from"]), recorded_utc__lt=_instant(criteria["until"]),
            ingested_at__lte=drawn_at)
        if criteria.get("unit") is not None:
            qs = qs.filter(officer_id__in=list(criteria["officers"]))
        return list(qs.order_by("pk").values_list("pk", flat=True))
    if criteria["kind"] == "device":
        from liuhen.devices.models import Device

        listed = [int(k) for k in criteria["devices"]]
        existing = set(Device.objects.filter(agency_id=criteria["agency"], pk__in=listed, created_at__lte=drawn_at)
                       .values_list("pk", flat=True))
        return sorted(k for k in listed if k in existing)
    raise ValueError(f"unknown population kind {criteria['kind']!r}")
