"""Writes on the device registry, sign-outs (领用) and returns (归还) — each in one transaction with
its ledger entry. Every refused act of a person is in the ledger too (devices.denied), kept even
though the act's own transaction rolls back; the system's own refusals (actor None: scripts, the
demo) are errors, not acts.

Rights (LQ 24: 明确专门人员负责音像记录设备的存放、维护、保养、登记): the 设备管理员 keeps the
registry and records sign-outs and returns; an officer signs a device out to themselves, and
returns it, only where the agency allows it (LIUHEN_DEVICE_SELF_SIGNOUT, off by default)."""
import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.accounts.services import require_valid_certificate
from liuhen.common import text
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger

from . import vocabulary as v
from .models import ClockFlag, Device, DockStation, Kind, Return, SignOut, Status

# A device clock showing a time before this was never set (a factory default: 2000-01-01, 1970…).
CLOCK_EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
# Nor was one that is more than a year away from the server.
CLOCK_NEVER_SET_AFTER = datetime.timedelta(days=365)


def drift_limit_ms() -> int:
    """The largest device-clock error accepted at a check (SPEC §3: ≤ 3 s in police practice)."""
    return int(round(float(getattr(settings, "LIUHEN_DEVICE_CLOCK_MAX_DRIFT_SECONDS", 3)) * 1000))


def self_signout_allowed() -> bool:
    """May an officer sign a device out to themselves (and return it)? The agency's choice; no by
    default: the 设备管理员 hands devices out (LQ 24)."""
    return bool(getattr(settings, "LIUHEN_DEVICE_SELF_SIGNOUT", False))


def is_device_admin(actor) -> bool:
    return actor is not None and actor.is_active and actor.has_role(Role.DEVICE_ADMIN)


def _about(actor, target=None, *rest) -> tuple[str, object]:
    """What a refused act was about: the station or device acted on, or the agency's registry (an
    act on no device yet: a new one, the list)."""
    if isinstance(target, (Device, DockStation)) and target.pk:
        return target.ledger_object_type, target.pk
    return v.REGISTRY, actor.agency_id or ""


def _refused(actor, act: str, device, exc: Exception) -> None:
    """A person's refused act, in the ledger: the act and the error codes, never the message (it
    may name a person)."""
    if actor is not None:
        refusals.record_refused_act(actor, v.DENIED, act, exc, *_about(actor, device))


def _guarded(act: str):
    """Run a service; a refusal (ValidationError, PermissionDenied) is recorded, then re-raised."""
    return refusals.records_refusals(v.DENIED, act, _about)


def _require_admin(actor, agency_id) -> None:
    if actor is None:
        return
    if not is_device_admin(actor):
        raise PermissionDenied("只有设备管理员可以管理音像记录设备。")
    if actor.agency_id != agency_id:
        raise PermissionDenied("不能管理其他执法机关的设备。")


def _clean_fields(device: Device) -> None:
    for name, label, limit in (("number", "设备编号", 40), ("model_name", "型号", 100)):
        value = text.clean(getattr(device, name), label, max_length=limit).strip()
        if not value:
            raise ValidationError(f"请填写{label}。", code=f"{name}_required")
        setattr(device, name, value)
    if device.unit_id and device.unit.agency_id != device.agency_id:
        raise ValidationError("使用科室不属于该执法机关。", code="unit_agency")
    if device.custodian_id and device.custodian.agency_id != device.agency_id:
        raise ValidationError("保管人不属于该执法机关。", code="custodian_agency")
    device.full_clean(validate_unique=False, validate_constraints=False)


def _log_device(action, actor, device: Device, detail: dict) -> None:
    ledger.append(action, actor=actor, object_type=Device.ledger_object_type, object_id=device.pk,
                  content_sha256=device.ledger_digest(), detail=detail)


@_guarded("device_add")
def add_device(actor, *, agency, number: str, model_name: str, kind: str = Kind.BODY_CAMERA, unit=None,
               custodian=None) -> Device:
    """Enter a recorder in the registry (设备登记, LQ 24)."""
    _require_admin(actor, agency.pk)
    if kind not in Kind.values:
        raise ValidationError(f"设备类别“{kind}”无效，可选：{'、'.join(f'{k}（{l}）' for k, l in Kind.choices)}。",
                              code="kind")
    with transaction.atomic():
        device = Device(agency=agency, number=number or "", model_name=model_name or "", kind=kind, unit=unit,
                        custodian=custodian, created_by=actor)
        _clean_fields(device)
        if Device.objects.filter(agency=agency, number=device.number).exists():
            raise ValidationError(f"设备编号“{device.number}”已登记。", code="duplicate")
        device.save()
        _log_device(v.DEVICE_ADD, actor, device, {"number": device.number, "kind": device.kind,
                                                  "unit": device.unit_id, "custodian": device.custodian_id})
    return device


@_guarded("device_change")
def change_device(actor, device: Device, *, model_name=None, kind=None, unit=..., custodian=...,
                  status=None) -> Device:
    """Change what the registry says of a device (设备管理员): its model, kind, unit or custodian.
    The number does not change: footage names it. The status (在用/停用/维修中/报废) is not changed
    here: only by the device's life events (devices/life.py; LQ 26)."""
    _require_admin(actor, device.agency_id)
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        before = {f: getattr(device, f) for f in ("model_name", "kind", "unit_id", "custodian_id", "status")}
        if model_name is not None:
            device.model_name = model_name
        if kind is not None:
            if kind not in Kind.values:
                raise ValidationError(f"设备类别“{kind}”无效。", code="kind")
            device.kind = kind
        if unit is not ...:
            device.unit = unit
        if custodian is not ...:
            device.custodian = custodian
        if status is not None and status != device.status:
            # LQ 26, LW-D 4: a device leaves or re-enters use only through its life events — a fault
            # reported, a repair by a named supplier, a passing check, scrapping (devices/life.py) —
            # each with its row, never by editing the registry.
            raise ValidationError("设备状态只能通过定期检查、故障报告、送修、修复返回或报废登记改变。",
                                  code="status_by_event")
        _clean_fields(device)
        after = {f: getattr(device, f) for f in before}
        if after == before:
            raise ValidationError("没有任何修改。", code="unchanged")
        device.changed_by, device.changed_at = actor, timezone.now()
        device.save()
        _log_device(v.DEVICE_CHANGE, actor, device,
                    {"changed": sorted(k for k in before if before[k] != after[k]),
                     **{k: after[k] for k in ("unit_id", "custodian_id", "status")}})
    return device


def current_signout(device: Device) -> SignOut | None:
    """The device's sign-out not yet returned, if any."""
    return SignOut.objects.filter(device=device, returned__isnull=True).select_related("officer").first()


def _check(*, battery_percent, storage_free_gb, device_time, now) -> dict:
    """The pre-use check's columns, validated (LQ 24: 电池容量、内存空间; SPEC §3: the clock)."""
    errors = []
    if battery_percent is not None and not (0 <= int(battery_percent) <= 100):
        errors.append(ValidationError("电量须在 0 到 100（%）之间。", code="battery"))
    storage_free_mb = None
    if storage_free_gb is not None:
        try:
            gb = float(storage_free_gb)
        except (TypeError, ValueError):
            gb = -1
        if not (0 <= gb <= 1_000_000):
            errors.append(ValidationError("剩余存储须是 0 或正数（GB）。", code="storage"))
        else:
            storage_free_mb = int(round(gb * 1024))
    if device_time is not None and timezone.is_naive(device_time):
        # A time as the device shows it, without an offset: the agency's local time.
        device_time = timezone.make_aware(device_time)
    if device_time is not None and not (1900 <= device_time.year <= 2100):
        errors.append(ValidationError("设备显示时间须在 1900 年到 2100 年之间。", code="device_time"))
    if errors:
        raise ValidationError(errors)
    limit = drift_limit_ms()
    drift, flag = None, ClockFlag.NOT_CHECKED
    if device_time is not None:
        delta = device_time - now
        drift = int(round(delta.total_seconds() * 1000))
        if device_time < CLOCK_EPOCH or abs(delta) > CLOCK_NEVER_SET_AFTER:
            flag = ClockFlag.NEVER_SET
        elif abs(drift) > limit:
            flag = ClockFlag.DRIFT
        else:
            flag = ClockFlag.OK
    return {"battery_percent": None if battery_percent is None else int(battery_percent),
            "storage_free_mb": storage_free_mb, "device_time": device_time, "server_time": now,
            "clock_drift_ms": drift, "drift_limit_ms": limit, "clock_flag": flag}


def _check_detail(row) -> dict:
    return {"battery_percent": row.battery_percent, "storage_free_mb": row.storage_free_mb,
            "clock_drift_ms": row.clock_drift_ms, "clock_flag": row.clock_flag}


def _may_hand(actor, device: Device, officer) -> None:
    """The 设备管理员 of the device's agency; or the officer themselves where the agency allows it."""
    if actor is None:
        return
    if is_device_admin(actor):
        _require_admin(actor, device.agency_id)
        return
    if actor.pk == officer.pk and actor.has_role(Role.OFFICER) and self_signout_allowed():
        if actor.agency_id != device.agency_id:
            raise PermissionDenied("不能领用其他执法机关的设备。")
        return
    if actor.pk == officer.pk and actor.has_role(Role.OFFICER):
        raise PermissionDenied("本机关不允许执法人员自行领用或归还设备，请由设备管理员登记。")
    raise PermissionDenied("只有设备管理员可以登记设备的领用和归还。")


@_guarded("signout")
def sign_out(actor, device: Device, officer, *, battery_percent=None, storage_free_gb=None,
             device_time: datetime.datetime | None = None) -> SignOut:
    """领用: `device` to `officer`, with the pre-use check (LQ 24, LW-D 4). One person at a time: the
    device row is locked, so two sign-outs at once cannot both find it free."""
    _may_hand(actor, device, officer)
    if not officer.is_active or not officer.has_role(Role.OFFICER):
        raise ValidationError(f"{officer.display_name}不是在岗的执法人员，不能领用音像记录设备。", code="not_officer")
    if officer.agency_id != device.agency_id:
        raise ValidationError(f"{officer.display_name}不属于本执法机关。", code="officer_agency")
    require_valid_certificate(officer)  # an officer without a valid 执法证 does not record enforcement acts
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if device.status != Status.IN_USE:
            raise ValidationError(f"设备 {device.number} 状态为“{device.get_status_display()}”，不能领用。",
                                  code="status")
        held = current_signout(device)
        if held is not None:
            who = "您本人" if held.officer_id == officer.pk else held.officer.display_name
            raise ValidationError(
                f"设备 {device.number} 已由{who}于{timezone.localtime(held.server_time):%Y-%m-%d %H:%M}领用，"
                f"尚未归还；同一设备同一时间只能由一人领用。", code="already_out")
        row = SignOut(device=device, officer=officer, recorded_by=actor,
                      **_check(battery_percent=battery_percent, storage_free_gb=storage_free_gb,
                               device_time=device_time, now=timezone.now()))
        row.save()
        ledger.append(v.SIGN_OUT, actor=actor, object_type=SignOut.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"device": device.pk, "number": device.number, "officer": officer.pk,
                              **_check_detail(row)})
    return row


@_guarded("return")
def return_device(actor, device: Device, *, battery_percent=None, storage_free_gb=None,
                  device_time: datetime.datetime | None = None) -> Return:
    """归还: the end of the device's open sign-out, with its own check."""
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        held = current_signout(device)
        if held is None:
            _may_hand(actor, device, actor) if actor is not None else None
            raise ValidationError(f"设备 {device.number} 没有未归还的领用记录。", code="not_out")
        _may_hand(actor, device, held.officer)
        row = Return(signout=held, recorded_by=actor,
                     **_check(battery_percent=battery_percent, storage_free_gb=storage_free_gb,
                              device_time=device_time, now=timezone.now()))
        row.save()
        ledger.append(v.RETURN, actor=actor, object_type=Return.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"device": device.pk, "number": device.number, "signout": held.pk,
                              "officer": held.officer_id, **_check_detail(row)})
    return row


def refuse_view(actor) -> None:
    """Someone not a 设备管理员 asked for the registry (a script's --as): refused, and logged."""
    _refused(actor, "view", None, PermissionDenied("只有设备管理员可以查看设备台账。"))


def log_view(actor, device: Device | None = None) -> None:
    """A look at the registry or at one device's history (who held what: personal data of staff)."""
    # The list is about the registry, not a device: an event about "device" with no id would name
    # a device the state check cannot find.
    object_type, object_id = ((Device.ledger_object_type, device.pk) if device is not None
                              else (v.REGISTRY, getattr(actor, "agency_id", None) or ""))
    with transaction.atomic():
        ledger.append(v.VIEW, actor=actor, object_type=object_type, object_id=object_id)


# ---- docking stations (采集站) ---------------------------------------------------------------------

# A station token: a prefix that says what it is (found in a leaked config, it is recognised) and
# 256 random bits. Only its SHA-256 is stored; the token is shown once, when made.
TOKEN_PREFIX = "lhs_"


def token_digest(token: str) -> str:
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token_digest(token)


def _log_station(action, actor, station: DockStation, detail: dict) -> None:
    ledger.append(action, actor=actor, object_type=DockStation.ledger_object_type, object_id=station.pk,
                  content_sha256=station.ledger_digest(), detail=detail)


@_guarded("station_add")
def add_station(actor, *, agency, number: str, name: str = "", unit=None) -> tuple[DockStation, str]:
    """登记采集站: a docking station of the agency and its token (returned once, never stored)."""
    _require_admin(actor, agency.pk)
    number = text.clean(number or "", "采集站编号", max_length=40).strip()
    if not number:
        raise ValidationError("请填写采集站编号。", code="number_required")
    name = text.clean(name or "", "名称", max_length=100).strip()
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError("所在科室不属于该执法机关。", code="unit_agency")
    token, digest = _new_token()
    with transaction.atomic():
        if DockStation.objects.filter(agency=agency, number=number).exists():
            raise ValidationError(f"采集站编号“{number}”已登记。", code="duplicate")
        station = DockStation(agency=agency, number=number, name=name, unit=unit, token_sha256=digest,
                              created_by=actor)
        station.save()
        _log_station(v.STATION_ADD, actor, station, {"number": number, "unit": station.unit_id})
    return station, token


@_guarded("station_rotate")
def rotate_station_token(actor, station: DockStation) -> str:
    """A new token for the station (启用 again if it was revoked); the old one stops working."""
    _require_admin(actor, station.agency_id)
    token, digest = _new_token()
    with transaction.atomic():
        station = DockStation.objects.select_for_update().get(pk=station.pk)
        station.token_sha256, station.active = digest, True
        station.changed_by, station.changed_at = actor, timezone.now()
        station.save()
        _log_station(v.STATION_ROTATE, actor, station, {"number": station.number})
    return token


@_guarded("station_revoke")
def revoke_station(actor, station: DockStation) -> DockStation:
    """停用: the station's token is refused from now on (a lost or stolen station)."""
    _require_admin(actor, station.agency_id)
    with transaction.atomic():
        station = DockStation.objects.select_for_update().get(pk=station.pk)
        if not station.active:
            raise ValidationError(f"采集站 {station.number} 已停用。", code="already_revoked")
        station.active = False
        station.changed_by, station.changed_at = actor, timezone.now()
        station.save()
        _log_station(v.STATION_REVOKE, actor, station, {"number": station.number})
    return station


def station_for_token(token: str) -> DockStation | None:
    """The active station whose token this is; None for a wrong or revoked token — and then the
    refusal is in the ledger (a revoked station by its id; a wrong token names none, and the log
    keeps no part of it)."""
    station = None
    if token and token.startswith(TOKEN_PREFIX) and len(token) <= 200:
        station = DockStation.objects.filter(token_sha256=token_digest(token)).select_related("agency").first()
    if station is not None and station.active:
        return station
    with transaction.atomic():
        if station is not None:
            ledger.append(v.STATION_REFUSED, object_type=DockStation.ledger_object_type, object_id=station.pk,
                          detail={"reason": "revoked"})
        else:
            ledger.append(v.STATION_REFUSED, object_type=v.STATION_TOKENS, object_id="",
                          detail={"reason": "unknown" if token else "missing"})
    return None
