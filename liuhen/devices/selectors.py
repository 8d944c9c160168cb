"""Reads of the device registry: who holds a device now, who held it at a moment (to attribute
footage: the officer who held the camera at the recording time), each officer's sign-outs."""
import datetime

from django.db.models import OuterRef, Q, Subquery

from .models import Device, DockStation, SignOut


def devices_of(agency_id):
    """The agency's devices, each with `holder_signout` (the open sign-out, or None)."""
    open_ = SignOut.objects.filter(device=OuterRef("pk"), returned__isnull=True).values("pk")[:1]
    devices = list(Device.objects.filter(agency_id=agency_id).select_related("unit", "custodian")
                   .annotate(open_signout=Subquery(open_)).order_by("number"))
    officers = SignOut.objects.select_related("officer").in_bulk([d.open_signout for d in devices if d.open_signout])
    for d in devices:
        d.holder_signout = officers.get(d.open_signout)
    return devices


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
