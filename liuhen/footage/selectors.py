"""Reads of footage: the holding area (暂存区) of an agency or an officer, a case's footage, and
footage by device, officer and time (LW-D 10, LQ 27: 按执法人员、时间、设备检索)."""
from django.db.models import Exists, OuterRef, Subquery

from .models import FootageItem, FootageLink, FootageMark

# ---- flags apps above footage derive (a registry: footage knows no app above it) -------------------
# A source is `fn(items) -> {item pk: [Chinese flag, …]}`, in a bounded number of queries however
# many items: e.g. avrules' 逾期存储 (LC 31, LQ 23), which needs field trips footage does not know.
_FLAG_SOURCES: list = []


def register_flag_source(fn) -> None:
    if fn not in _FLAG_SOURCES:
        _FLAG_SOURCES.append(fn)


def derived_flags(items) -> dict[int, list[str]]:
    """The flags the registered sources derive for `items`, beside the ones stored on each item."""
    out: dict[int, list[str]] = {}
    for fn in list(_FLAG_SOURCES):
        for pk, flags in fn(items).items():
            out.setdefault(pk, []).extend(flags)
    return out


def with_derived_flags(items) -> list:
    """`items`, each given `all_flags`: its stored flags' labels, then the derived ones."""
    derived = derived_flags(items)
    for it in items:
        it.all_flags = list(it.flag_labels) + derived.get(it.pk, [])
    return items


# ---- footage no longer available (a registry: e.g. retention's removal, LW-D 11) ------------------
# A source is `(reasons, hidden)`: `reasons(items) -> {item pk: Chinese reason}` (the playback page
# shows it instead of the player; the stream and the poster answer 410), `hidden()` -> a queryset of
# the item pks that no list shows (the holding area, the search). Nothing is deleted here: the item,
# its rows and its events stay; it is only not played.
_UNAVAILABLE: list = []


def register_unavailable(reasons, hidden=None) -> None:
    if (reasons, hidden) not in _UNAVAILABLE:
        _UNAVAILABLE.append((reasons, hidden))


def unavailable_reasons(items) -> dict[int, str]:
    out: dict[int, str] = {}
    for reasons, _ in list(_UNAVAILABLE):
        for pk, reason in reasons(items).items():
            out.setdefault(pk, reason)
    return out


def unavailable_reason(item) -> str:
    return unavailable_reasons([item]).get(item.pk, "")


def _available(qs):
    """`qs` without the items a registered source hides (removed footage)."""
    for _, hidden in list(_UNAVAILABLE):
        if hidden is not None:
            qs = qs.exclude(pk__in=hidden())
    return qs


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
    qs = _available(_by(qs, device=device, officer=officer, start=start, end=end))
    return _with_state(qs).order_by("-recorded_utc", "-pk")


def _by(qs, *, device=None, officer=None, start=None, end=None):
    """`qs` narrowed to a device, an officer and a recording time [start, end) (LW-D 10, LQ 27)."""
    if device is not None:
        qs = qs.filter(device=device)
    if officer is not None:
        qs = qs.filter(officer=officer)
    if start is not None:
        qs = qs.filter(recorded_utc__gte=start)
    if end is not None:
        qs = qs.filter(recorded_utc__lt=end)
    return qs


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


# ---- who may see an item; the footage list (音像记录查询) ------------------------------------------

def sees_all(user) -> bool:
    """The 设备管理员 and the 机关负责人 see all of their agency's footage (LQ 24, LW-D 10)."""
    from liuhen.accounts.roles import Role

    return user.has_role(Role.DEVICE_ADMIN) or user.has_role(Role.AGENCY_HEAD)


def sees_none(user) -> bool:
    """Nobody outside an agency, and none of the three administrators (三员: no case content)."""
    from liuhen.accounts.roles import ADMIN_ROLES

    return not user.is_authenticated or user.agency_id is None or user.has_role(*ADMIN_ROLES)


def visible_q(user):
    """The Q of the footage `user` may see, for lists: all of the agency's for the 设备管理员 and
    the 机关负责人; otherwise what is attributed to them or was ingested by them, and what is
    linked (actively) to a case they may read (cases/access.py). A sidecar goes with its video."""
    from django.db.models import Q

    from liuhen.cases import access

    if sees_none(user):
        return Q(pk__in=[])
    agency = Q(agency_id=user.agency_id)
    if sees_all(user):
        return agency
    cases = access.visible_cases(user).values("pk")
    linked = FootageLink.objects.filter(unlink__isnull=True, case__in=cases).values("item_id")
    own = Q(officer=user) | Q(ingested_by=user) | Q(pk__in=linked)
    sidecar_of_own = (Q(video__officer=user) | Q(video__ingested_by=user) | Q(video_id__in=linked))
    return agency & (own | sidecar_of_own)


# Apps above footage may let more people see one item (a registry: footage knows no app above it):
# `fn(user, item) -> bool`, asked only for an item of the user's agency, e.g. the inspector of a
# sample inspection round that drew it (inspections, LW-D 14).
_VIEW_POLICIES: list = []


def register_view_policy(fn) -> None:
    if fn not in _VIEW_POLICIES:
        _VIEW_POLICIES.append(fn)


# Apps above footage may also narrow one readable case's footage for one reader: `fn(user, case, item)
# -> bool`, False hiding the item though the case is readable — e.g. one who reads an archived file only
# through a 调用单 that names some clips (retrieval, LW-D 15).
_CASE_NARROWINGS: list = []


def register_case_narrowing(fn) -> None:
    if fn not in _CASE_NARROWINGS:
        _CASE_NARROWINGS.append(fn)


def _through_case(user, case, item) -> bool:
    from liuhen.cases import access

    return access.can_view(user, case) and all(fn(user, case, item) for fn in list(_CASE_NARROWINGS))


def may_see(user, item) -> bool:
    """The rule of `visible_q` for one item (the playback page, the stream, the poster) — and of
    the registered view policies."""
    if sees_none(user) or item.agency_id != user.agency_id:
        return False
    if sees_all(user):
        return True
    subject = item.video if item.video_id else item
    if user.pk in (subject.officer_id, subject.ingested_by_id, item.officer_id, item.ingested_by_id):
        return True
    if any(fn(user, subject) for fn in list(_VIEW_POLICIES)):
        return True
    return any(_through_case(user, link.case, subject)
               for link in FootageLink.objects.filter(item=subject, unlink__isnull=True).select_related("case"))


def item_for(pk):
    """The item by its id with what its page shows, or None (also for an id that is not a number)."""
    if not str(pk).isdigit() or len(str(pk)) > 18:
        return None
    return (FootageItem.objects.select_related("device", "officer", "ingested_by", "ingest", "video")
            .filter(pk=int(pk)).first())


def important(item) -> bool:
    mark = FootageMark.objects.filter(item=item).order_by("-marked_at", "-pk").first()
    return bool(mark and mark.important)


def search(user, *, officer=None, device=None, start=None, end=None, case_ids=None, linked=None, kind="",
           important=None):
    """音像记录查询 (LW-D 10, LQ 27: by officer, time and device; by unit/party and cause through the
    linked cases): the footage `user` may see, newest recording first, each with `important` and
    `linked`. `case_ids`: only items actively linked to one of these cases (None: no such filter);
    `linked`: True / False / None; `kind`: video / audio / photo or "". Sidecars are not listed."""
    from django.db.models import Q

    qs = _available(_by(FootageItem.objects.filter(visible_q(user), video__isnull=True),
                        device=device, officer=officer, start=start, end=end))
    if kind:
        qs = qs.filter(kind=kind)
    if case_ids is not None:
        qs = qs.filter(pk__in=FootageLink.objects.filter(unlink__isnull=True, case_id__in=case_ids).values("item_id"))
    qs = _with_state(qs)
    if linked is not None:
        qs = qs.filter(linked=linked)
    if important is not None:
        qs = qs.filter(important=True) if important else qs.filter(Q(important=False) | Q(important__isnull=True))
    return qs.order_by("-recorded_utc", "-pk")


def active_links_by_item(items) -> dict:
    """{item pk: its active links with their cases} for a page of items, in one query."""
    out = {}
    rows = (FootageLink.objects.filter(item__in=[i.pk for i in items], unlink__isnull=True)
            .select_related("case").order_by("linked_at", "pk"))
    for link in rows:
        out.setdefault(link.item_id, []).append(link)
    return out


def case_footage_by_stage(case) -> dict:
    """{stage: [active links of `case` at that stage, each with its item]} for the case page."""
    out = {}
    for link in case_footage(case):
        out.setdefault(link.stage, []).append(link)
    return out
