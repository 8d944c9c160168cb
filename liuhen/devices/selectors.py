"""Reads of the device registry: who holds a device now, who held it at a moment (to attribute
footage: the officer who held the camera at the recording time), each officer's sign-outs; a
device's whole history (device_history); periodic checks due (LW-D 4); the equipment ratio per unit."""
import datetime
import json
import math
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from .models import Device, DockStation, Kind, LifeEvent, LifeKind, SignOut, Status


def devices_of(agency_id):
    """The agency's devices, each with `holder_signout` (the open sign-out, or None), `last_check`
    (the day of its latest periodic check, or None), `check_due` (when the next is due; None when
    the agency asks for none, or the device is scrapped or at the supplier) and `check_overdue`
    (LW-D 4)."""
    from .life import check_every_days

    open_ = SignOut.objects.filter(device=OuterRef("pk"), returned__isnull=True).values("pk")[:1]
    checked = (LifeEvent.objects.filter(device=OuterRef("pk"), kind=LifeKind.CHECK)
               .order_by("-done_on", "-pk").values("done_on")[:1])
    devices = list(Device.objects.filter(agency_id=agency_id).select_related("unit", "custodian")
                   .annotate(open_signout=Subquery(open_), last_check=Subquery(checked)).order_by("number"))
    officers = SignOut.objects.select_related("officer").in_bulk([d.open_signout for d in devices if d.open_signout])
    every, today = check_every_days(agency_id), timezone.localdate()  # once for the list
    for d in devices:
        d.holder_signout = officers.get(d.open_signout)
        set_check_due(d, d.last_check, every, today)
    return devices


_AGENCYS = object()  # `every` not given: the device's agency's profile says


def set_check_due(device, last_check, every=_AGENCYS, today=None) -> None:
    """`check_due` and `check_overdue` of `device`: its next periodic check is due `every` days after
    the last one — or after its registration, when it never had one (LW-D 4: 定期进行保养维护).
    `every` None: the agency asks for no periodic check; not given: its profile's value."""
    from .life import check_every_days

    every = check_every_days(device.agency_id) if every is _AGENCYS else every
    today = today or timezone.localdate()
    if isinstance(last_check, datetime.datetime):
        last_check = last_check.date()
    device.last_check = last_check
    if not every or device.status in (Status.SCRAPPED, Status.REPAIR):  # gone, or at the supplier
        device.check_due, device.check_overdue = None, False
        return
    since = last_check or timezone.localdate(device.created_at)
    device.check_due = since + datetime.timedelta(days=every)
    device.check_overdue = device.check_due < today


def last_check_of(device):
    return (LifeEvent.objects.filter(device=device, kind=LifeKind.CHECK).order_by("-done_on", "-pk")
            .values_list("done_on", flat=True).first())


def device_by_number(agency_id, number: str) -> Device | None:
    return Device.objects.filter(agency_id=agency_id, number=(number or "").strip()).first()


def current_holder(device: Device):
    """The officer the device is signed out to now, or None."""
    row = SignOut.objects.filter(device=device, returned__isnull=True).select_related("officer").first()
    return row.officer if row is not None else None


def history(device: Device):
    """The device's sign-outs, newest first, each with its return (or None) and who recorded them."""
    rows = list(SignOut.objects.filter(device=device)
                .select_related("officer", "recorded_by", "returned", "returned__recorded_by")
                .order_by("-server_time", "-pk"))
    for row in rows:
        row.return_row = getattr(row, "returned", None)  # None while the device is still out
    return rows


def holder_at(device: Device, when: datetime.datetime):
    """The officer who held `device` at `when` — signed out at or before it, not yet returned at it
    (a return at exactly `when` ends the holding) — or None. For attributing footage (LQ 27)."""
    row = (SignOut.objects.filter(device=device, server_time__lte=when)
           .filter(Q(returned__isnull=True) | Q(returned__server_time__gt=when))
           .select_related("officer").order_by("-server_time", "-pk").first())
    return row.officer if row is not None else None


def signouts_of(officer):
    """The officer's sign-outs, newest first, with their devices and returns."""
    return list(SignOut.objects.filter(officer=officer).select_related("device", "returned")
                .order_by("-server_time", "-pk"))


def station_by_number(agency_id, number: str) -> DockStation | None:
    return DockStation.objects.filter(agency_id=agency_id, number=(number or "").strip()).first()


def stations_of(agency_id):
    return list(DockStation.objects.filter(agency_id=agency_id).select_related("unit").order_by("number"))


# ---- a device's whole history (设备履历) -------------------------------------------------------------

@dataclass
class HistoryItem:
    """One line of a device's history: when, who, what, and a detail line."""

    at: datetime.datetime
    title: str
    who: object = None  # a User, or None (the system)
    detail: str = ""
    kind: str = ""  # registry / signout / return / life / footage — the template's hint
    badges: list = field(default_factory=list)  # [(label, css class)]
    row: object = None  # the SignOut / Return / LifeEvent itself, for its check


# Apps above devices add lines to a device's history (the footage taken from it: footage sits above
# devices and devices may not import it). A source is `fn(device) -> [HistoryItem, …]`, in a bounded
# number of queries.
_HISTORY_SOURCES: list = []


def register_history_source(fn) -> None:
    if fn not in _HISTORY_SOURCES:
        _HISTORY_SOURCES.append(fn)


FIELD_LABELS = {"model_name": "型号", "kind": "类别", "unit_id": "使用科室", "custodian_id": "保管人", "status": "状态"}


def _registry_lines(device) -> list[HistoryItem]:
    """Registration and changes of the registry row: in place, so their trace is the ledger's."""
    from django.contrib.auth import get_user_model

    from liuhen.ledger.models import Entry

    from . import vocabulary as v

    entries = list(Entry.objects.filter(object_type=Device.ledger_object_type, object_id=str(device.pk),
                                        action__in=(v.DEVICE_ADD, v.DEVICE_CHANGE)).order_by("pk"))
    people = get_user_model().objects.in_bulk({e.actor_id for e in entries if e.actor_id})
    out = []
    for e in entries:
        try:
            detail = json.loads(bytes(e.leaf).decode("utf-8")).get("detail") or {}
        except (ValueError, AttributeError):
            detail = {}
        if e.action == v.DEVICE_ADD:
            out.append(HistoryItem(e.created_at, "登记设备", people.get(e.actor_id), kind="registry",
                                   detail=f"{device.get_kind_display()} · {device.model_name}"))
        else:
            changed = [FIELD_LABELS.get(f, f) for f in detail.get("changed", []) if isinstance(f, str)]
            out.append(HistoryItem(e.created_at, "修改登记信息", people.get(e.actor_id), kind="registry",
                                   detail="修改了：" + "、".join(changed) if changed else ""))
    return out


def _life_line(ev: LifeEvent) -> HistoryItem:
    status = ([(f"状态：{Status(ev.status_before).label} → {Status(ev.status_after).label}", "badge-warn")]
              if ev.status_after != ev.status_before else [])
    bits = []
    if ev.done_on:
        bits.append(f"日期 {ev.done_on:%Y-%m-%d}")
    if ev.result:
        bits.append(f"结果：{ev.get_result_display()}")
    if ev.supplier:
        bits.append(("送修单位：" if ev.kind == LifeKind.REPAIR_OUT else "维修单位：") + ev.supplier)
    if ev.battery_health_percent is not None:
        bits.append(f"电池健康度 {ev.battery_health_percent}%")
    if ev.storage_free_mb is not None:
        bits.append(f"剩余存储 {ev.storage_free_gb} GB")
    if ev.note:
        bits.append(ev.note)
    return HistoryItem(ev.at, ev.get_kind_display(), ev.recorded_by, " · ".join(bits), kind="life",
                       badges=status, row=ev)


def device_history(device) -> list[HistoryItem]:
    """设备履历: everything that happened to `device`, in time order — registration and changes,
    sign-outs and returns with their checks, periodic checks, faults, repairs, scrapping, and what
    the registered sources add (the footage taken from it) — each with who and when."""
    out = _registry_lines(device)
    for s in history(device):
        out.append(HistoryItem(s.server_time, "领用", s.recorded_by, kind="signout", row=s,
                               detail=f"领用人：{s.officer.display_name}"))
        if s.return_row is not None:
            out.append(HistoryItem(s.return_row.server_time, "归还", s.return_row.recorded_by, kind="return",
                                   row=s.return_row, detail=f"领用人：{s.officer.display_name}"))
    for ev in LifeEvent.objects.filter(device=device).select_related("recorded_by").order_by("at", "pk"):
        out.append(_life_line(ev))
    for fn in list(_HISTORY_SOURCES):
        out.extend(fn(device))
    out.sort(key=lambda h: h.at)
    return out


def life_events(device) -> list[LifeEvent]:
    return list(LifeEvent.objects.filter(device=device).select_related("recorded_by").order_by("at", "pk"))


# ---- equipment ratio per unit (配备比例) ------------------------------------------------------------

@dataclass
class UnitEquipment:
    unit: object
    officers: int  # active officers of the unit with a valid 执法证 today
    cameras: int  # body cameras of the unit in use (在用: not out of service, in repair or scrapped)
    needed: int  # cameras the ratio asks for

    @property
    def short(self) -> int:
        return max(0, self.needed - self.cameras)

    @property
    def meets(self) -> bool:
        return self.short == 0


def equipment_by_unit(agency_id, ratio: dict | None = None) -> list[UnitEquipment] | None:
    """Per unit: certified officers, body cameras in use, the cameras the ratio asks for
    ({"cameras": n, "officers": m}: n per m officers, rounded up) — None when no ratio is set.
    Three queries however many units."""
    from liuhen.accounts.models import Unit, User
    from liuhen.accounts.roles import Role

    from .life import equipment_ratio

    ratio = ratio or equipment_ratio(agency_id)
    if not ratio:
        return None
    today = timezone.localdate()
    officers = dict(User.objects.filter(agency_id=agency_id, is_active=True, unit__isnull=False,
                                        groups__name=str(Role.OFFICER), certificates__valid_from__lte=today,
                                        certificates__valid_until__gte=today, certificates__revoked=False)
                    .values("unit_id").annotate(n=Count("pk", distinct=True)).values_list("unit_id", "n"))
    cameras = dict(Device.objects.filter(agency_id=agency_id, kind=Kind.BODY_CAMERA, status=Status.IN_USE,
                                         unit__isnull=False)
                   .values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n"))
    out = []
    for unit in Unit.objects.filter(agency_id=agency_id).order_by("name"):
        n = officers.get(unit.pk, 0)
        out.append(UnitEquipment(unit, n, cameras.get(unit.pk, 0),
                                 math.ceil(n * ratio["cameras"] / ratio["officers"])))
    return out
