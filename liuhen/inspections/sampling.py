"""The draw (抽取) as a function anyone can run again: the population from the criteria, the sample
from (seed, population).

- **Population.** Footage: the agency's recordings (video, audio, photo — not sidecars) whose
  recording time lies in [`from`, `until`) and that were taken into custody by the draw
  (`ingested_at` ≤ `drawn_at`); for a unit, those attributed to the officers who were in the unit at
  the draw (their ids are in the criteria: a person who moves later does not move the population).
  Footage rows are never deleted (a purge keeps the row), so the same criteria give the same
  population later. Devices change in place (unit, status), so a device round's criteria list the
  devices themselves; each must have been registered by the draw.
- **Keys** are the rows' ids; the population's digest is the SHA-256 of the keys in ascending order,
  written in decimal and joined by "\\n".
- **Sample.** Each key is ranked by HMAC-SHA256(key = the 16-byte seed, message = the key in
  decimal); the n keys of lowest rank (ties, which do not happen, by key) are the sample, in rank
  order. Without the seed nobody can foresee the sample; with it everybody gets the same one.
"""
import datetime
import hashlib
import hmac

FOOTAGE_KINDS = ("video", "audio", "photo")


def keys_digest(keys) -> str:
    return hashlib.sha256("\n".join(str(k) for k in sorted(keys)).encode("ascii")).hexdigest()


def rank(seed: str, key: int) -> str:
    return hmac.new(bytes.fromhex(seed), str(key).encode("ascii"), hashlib.sha256).hexdigest()


def draw(seed: str, keys, n: int) -> list[int]:
    """The n keys of `keys` of lowest HMAC rank under `seed`, in rank order."""
    return [k for _, k in sorted((rank(seed, k), k) for k in keys)[:n]]


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
