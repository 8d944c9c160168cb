"""Reads of the retention app: the 保存期限 list, the 待清理公告 (announced files) a custodian sees,
and what the footage pages show through footage's registries (the class and a hold as flags; a
removed file no longer played or listed)."""
import datetime

from django.db.models import Q
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.footage import selectors as footage_selectors
from liuhen.footage.models import FootageItem

from . import policy
from .models import LegalHold, LongTermGround, PurgeNotice, Removal


def sees_all(user) -> bool:
    """The 设备管理员 and the 机关负责人 see every file's retention and every notice of the agency."""
    return user.has_role(Role.DEVICE_ADMIN) or user.has_role(Role.AGENCY_HEAD)


def may_view(user) -> bool:
    return not footage_selectors.sees_none(user)


def custodian_q(user) -> Q:
    """The footage `user` is a custodian of (保管人): attributed to them, ingested by them, or
    recorded on a device in their custody — all of the agency's for the 设备管理员 and the
    机关负责人."""
    agency = Q(agency_id=user.agency_id)
    if sees_all(user):
        return agency
    return agency & (Q(officer=user) | Q(ingested_by=user) | Q(device__custodian=user))


# ---- for footage's registries ---------------------------------------------------------------------

def removed_ids():
    """The items removed and not restored (and so also the purged ones): not listed, not played."""
    return Removal.objects.filter(restoration__isnull=True).values("item_id")


def unavailable_reasons(items) -> dict[int, str]:
    """{pk: "已移除，可于…前恢复"} for the removed items among `items`."""
    from liuhen.media.purge import purged

    items = list(items)
    rows = {r.item_id: r for r in Removal.objects.filter(item_id__in=[i.pk for i in items], restoration__isnull=True)}
    gone = purged({i.blob_id for i in items if i.pk in rows})
    out = {}
    for it in items:
        r = rows.get(it.pk)
        if r is None:
            continue
        when = timezone.localtime(r.removed_at).strftime("%Y-%m-%d %H:%M")
        if it.blob_id in gone:
            out[it.pk] = f"已于 {when} 移除，保存期满后存储文件已清除（SHA-256 与清除事件保留在日志中）。"
        elif r.recoverable_until > timezone.now():
            out[it.pk] = (f"已移除（{when}，保存期限已满），可于 "
                          f"{timezone.localtime(r.recoverable_until):%Y-%m-%d %H:%M} 前恢复。")
        else:
            out[it.pk] = f"已移除（{when}，保存期限已满），恢复期已过，等待清除存储文件。"
    return out


def flags(items) -> dict[int, list[str]]:
    """The class and retention, a legal hold, a purge notice — shown wherever footage is listed."""
    items = list(items)
    if not items:
        return {}
    out = {}
    for vd in policy.verdicts(items, timezone.now()):
        labels = []
        if vd.held:
            labels.append("法律保全")
        if vd.retention_class == policy.LONG_TERM:
            labels.append("长期保存" + (f"至 {vd.retention_until}" if vd.retention_until else ""))
        elif vd.open_case:
            labels.append("证据·案件未归档")
        else:
            labels.append(f"{policy.CLASS_LABELS[vd.retention_class]}·保存至 {vd.retention_until}")
        if vd.stage in (policy.ANNOUNCED, policy.REMOVE) and not vd.held:
            labels.append(f"待清理（{vd.retention_until} 到期）")
        out[vd.item_id] = labels
    return out


# ---- the pages ------------------------------------------------------------------------------------

def listing(user, *, cls: str = "", state: str = "", as_of=None) -> list:
    """保存期限: the footage `user` may see (not sidecars), each with its verdict (`vd`), newest first;
    `cls` one of raw / evidence / long_term; `state` "due" (待清理: announced or removable) or
    "removed" (已移除, in recovery or purged) or "held"."""
    as_of = as_of or timezone.now()
    qs = (FootageItem.objects.filter(footage_selectors.visible_q(user), video__isnull=True)
          .select_related("device", "officer").order_by("-recorded_utc", "-pk"))
    items = list(qs)
    out = []
    for it, vd in zip(items, policy.verdicts(items, as_of)):
        if cls and vd.retention_class != cls:
            continue
        if state == "due" and vd.stage not in (policy.ANNOUNCE, policy.ANNOUNCED, policy.REMOVE):
            continue
        if state == "removed" and vd.stage not in (policy.REMOVED, policy.PURGE, policy.PURGED):
            continue
        if state == "held" and not vd.held:
            continue
        it.vd = vd
        out.append(it)
    return out


def notices_for(user, as_of=None) -> list:
    """待清理公告 for `user`: the announced files they are a custodian of whose notice is current
    (due on their present retention date, not yet removed and not held), each with `notice` and
    `vd`, soonest due first. The in-app notice on the home page (template tag `retention_notices`)."""
    if not may_view(user):
        return []
    as_of = as_of or timezone.now()
    notices = (PurgeNotice.objects.filter(item__in=FootageItem.objects.filter(custodian_q(user), video__isnull=True))
               .exclude(item_id__in=removed_ids())  # removed (or purged) already: no longer a notice
               .select_related("item", "item__device", "item__officer").order_by("due", "pk"))
    latest = {}
    for n in notices:
        latest[n.item_id] = n
    items = [n.item for n in latest.values()]
    out = []
    for it, vd in zip(items, policy.verdicts(items, as_of)):
        n = latest[it.pk]
        if vd.retention_until != n.due or vd.stage not in (policy.ANNOUNCED, policy.REMOVE):
            continue
        it.notice, it.vd = n, vd
        out.append(it)
    out.sort(key=lambda i: (i.notice.due, i.pk))
    return out


def holds_of(*, case=None, item=None) -> list:
    """The holds in force on `case` or `item`."""
    return list(LegalHold.objects.filter(case=case, item=item, releases__isnull=True, release__isnull=True)
                .select_related("made_by").order_by("made_at"))


def grounds_of(*, case=None, item=None) -> list:
    return list(LongTermGround.objects.filter(case=case, item=item, withdraws__isnull=True, withdrawal__isnull=True)
                .select_related("made_by").order_by("made_at"))


def history(*, case=None, item=None) -> list:
    """Every ground and hold on the target, withdrawn or released ones and their ends included."""
    rows = list(LongTermGround.objects.filter(case=case, item=item).select_related("made_by"))
    rows += list(LegalHold.objects.filter(case=case, item=item).select_related("made_by"))
    return sorted(rows, key=lambda r: (r.made_at, r.pk))


def removal_in_force(item):
    return Removal.objects.filter(item=item, restoration__isnull=True).order_by("-removed_at").first()


def due_within(days: int, as_of=None) -> datetime.date:
    return timezone.localdate(as_of or timezone.now()) + datetime.timedelta(days=days)
