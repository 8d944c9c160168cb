"""Reads of footage: the holding area (暂存区) of an agency or an officer, a case's footage, and
footage by device, officer and time (LW-D 10, LQ 27: 按执法人员、时间、设备检索)."""
from django.db.models import Exists, OuterRef, Subquery

from .models import FootageItem, FootageLink, FootageMark


def _with_state(qs):
    """Each item with `important` (its latest mark) and `linked` (an active link exists)."""
    latest = FootageMark.objects.filter(item=OuterRef("pk")).order_by("-marked_at", "-pk").values("important")[:1]
    active = FootageLink.objects.filter(item=OuterRef("pk"), unlink__isnull=True)
    return (qs.select_related("device", "officer", "ingested_by", "blob")
            .annotate(important=Subquery(latest), linked=Exists(active)))


def footage(agency_id, *, device=None, officer=None, start=None, end=None, sidecars=False):
    """The agency's footage, newest recording first; filtered by device, officer and recording time
    [start, end)."""
    qs = FootageItem.objects.filter(agency_id=agency_id)
    if not sidecars:
        qs = qs.filter(video__isnull=True)
    if device is not None:
        qs = qs.filter(device=device)
    if officer is not None:
        qs = qs.filter(officer=officer)
    if start is not None:
        qs = qs.filter(recorded_utc__gte=start)
    if end is not None:
        qs = qs.filter(recorded_utc__lt=end)
    return _with_state(qs).order_by("-recorded_utc", "-pk")


def holding_area(agency_id, officer=None):
    """暂存区: footage not (or no longer) linked to any case — of one officer (attributed to them or
    ingested by them) or of the whole agency."""
    from django.db.models import Q

    qs = footage(agency_id).filter(linked=False)
    if officer is not None:
        qs = qs.filter(Q(officer=officer) | Q(ingested_by=officer))
    return qs


def case_footage(case):
    """The active links of `case`, each with its item, in stage order of linking."""
    return list(FootageLink.objects.filter(case=case, unlink__isnull=True)
                .select_related("item", "item__device", "item__officer", "linked_by").order_by("linked_at", "pk"))


def sidecars_of(item):
    return list(FootageItem.objects.filter(video=item).order_by("name"))


def sidecars_by_video(items) -> dict:
    """{video item pk: its sidecars, by name} for many items in one query (a list page)."""
    out = {}
    for sc in FootageItem.objects.filter(video__in=[i.pk for i in items]).order_by("name"):
        out.setdefault(sc.video_id, []).append(sc)
    return out


def links_of(item):
    """Every link of `item`, ended or not, with its unlink (None while active)."""
    rows = list(FootageLink.objects.filter(item=item).select_related("case", "linked_by").order_by("linked_at", "pk"))
    for row in rows:
        row.unlink_row = getattr(row, "unlink", None)
    return rows
