"""The device's life after registration (设备的维护、保养、维修、报废) — each event one append-only row
(LifeEvent) with its ledger entry, and the status it brings as a second entry about the device:

- 定期检查保养 (LW-D 4: 对电池容量、内存空间进行检查, 定期进行保养维护; LQ 24): the date, the result,
  the battery's health, the free storage, the clock against the server's, a note. A passing check
  is what puts a device back in use after a repair; a check that finds a problem takes it out.
- 故障报告 (LW-D 8: 不能使用的, 应当立即报告; LQ 26): by the 设备管理员 or by the officer holding the
  device — the device is then out of service (停用): it cannot be signed out.
- 送修 (LQ 26: 交由专业人员维修, 不得私自将设备进行拆装和更换处理): only to a named supplier or
  repairer — a repair without one is refused, and the refusal is in the ledger.
- 修复返回: what was done, by whom, the result; the device stays 停用 until a check passes.
- 报废: with its reason; final — a scrapped device is never signed out nor brought back.

The status (Device.status) changes only through these events: change_device refuses it. Who: the
设备管理员 (LQ 24: 明确专门人员负责…维护、保养、登记); a fault may also be reported by its holder."""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.common import text
from liuhen.ledger import services as ledger

from . import vocabulary as v
from .models import Device, LifeEvent, LifeKind, LifeResult, Status
from .services import _check, _guarded, _require_admin, current_signout, is_device_admin


# ---- the agency's rules (its profile's devices: section) ---------------------------------------------
# Until issue 15 the setting LIUHEN_DEVICES (now refused at start, liuhen.devices.E001). Which profile:
# the ACTIVE profile of the device's agency — a device's upkeep is the agency's present duty (LW-D 4,
# LQ 24), bound to no case.

def rules(agency_id=None):
    """The `devices:` section in force for the agency with this id (the packaged default for None)."""
    from liuhen.profiles import selectors as profiles

    return profiles.agency_section(agency_id, "devices")


def check_every_days(agency_id=None) -> int | None:
    """Days between two periodic checks (LW-D 4), or None when the agency asks for none."""
    return rules(agency_id).check_every_days


def equipment_ratio(agency_id=None) -> dict | None:
    """{"cameras": n, "officers": m}: n body cameras per m certified officers in each unit, or None."""
    ratio = rules(agency_id).equipment_ratio
    return ratio.as_dict() if ratio else None


# ---- the state a device's events leave it in ------------------------------------------------------

def open_repair(device) -> LifeEvent | None:
    """The device's 送修 not yet followed by its 修复返回, or None."""
    sent = (LifeEvent.objects.filter(device=device, kind=LifeKind.REPAIR_OUT).order_by("-at", "-pk").first())
    if sent is None or LifeEvent.objects.filter(repair_out=sent).exists():
        return None
    return sent


def outstanding_fault(device) -> LifeEvent | None:
    """The fault not yet cured by a repair: the latest of the device's faults, checks and repair
    returns, when it is a fault, a check that found a problem or a return not repaired (LQ 26: a
    faulty device is repaired by a professional before it is used again)."""
    last = (LifeEvent.objects.filter(device=device, kind__in=(LifeKind.FAULT, LifeKind.CHECK, LifeKind.REPAIR_BACK))
            .order_by("-at", "-pk").first())
    if last is None:
        return None
    bad = (last.kind == LifeKind.FAULT or (last.kind == LifeKind.CHECK and last.result == LifeResult.PROBLEM)
           or (last.kind == LifeKind.REPAIR_BACK and last.result == LifeResult.NOT_REPAIRED))
    return last if bad else None


def _text(value, label, limit, *, required_message=None, code="") -> str:
    value = text.clean(value or "", label, max_length=limit).strip()
    if not value and required_message:
        raise ValidationError(required_message, code=code)
    return value


def _day(done_on, now) -> datetime.date:
    if done_on is None:
        return timezone.localdate(now)
    if isinstance(done_on, datetime.datetime):
        done_on = timezone.localdate(done_on) if timezone.is_aware(done_on) else done_on.date()
    if done_on > timezone.localdate(now):
        raise ValidationError("日期不能晚于今天。", code="future")
    if done_on.year < 2000:
        raise ValidationError("日期须在 2000 年以后。", code="date")
    return done_on


def _not_scrapped(device) -> None:
    if device.status == Status.SCRAPPED:
        raise ValidationError(f"设备 {device.number} 已报废，报废是最终状态，不能再登记。", code="scrapped")


def _not_out(device, what: str) -> None:
    held = current_signout(device)
    if held is not None:
        raise ValidationError(f"设备 {device.number} 由{held.officer.display_name}领用，尚未归还，不能{what}；"
                              "请先登记归还。", code="signed_out")


def _record(actor, device: Device, kind: str, status_after: str, **fields) -> LifeEvent:
    """The row, its entry, and — when the status changes — the device's new state, its entry."""
    now = timezone.now()
    before = device.status
    event = LifeEvent(device=device, kind=kind, at=now, status_before=before, status_after=status_after,
                      recorded_by=actor, **fields)
    event.save()
    ledger.append(v.LIFE_ACTIONS[kind], actor=actor, object_type=LifeEvent.ledger_object_type, object_id=event.pk,
                  content_sha256=event.ledger_digest(),
                  detail={"device": device.pk, "number": device.number, "kind": kind, "result": event.result,
                          "status_before": before, "status_after": status_after,
                          "repair_out": event.repair_out_id, "clock_flag": event.clock_flag})
    if status_after != before:
        device.status = status_after
        device.changed_by, device.changed_at = actor, now
        device.save(update_fields=["status", "changed_by", "changed_at"])
        ledger.append(v.DEVICE_STATUS, actor=actor, object_type=Device.ledger_object_type, object_id=device.pk,
                      content_sha256=device.ledger_digest(),
                      detail={"status": status_after, "from": before, "event": event.pk, "kind": kind})
    return event


def _locked(device) -> Device:
    return Device.objects.select_for_update().get(pk=device.pk)


# ---- the events ------------------------------------------------------------------------------------

@_guarded("life_check")
def record_check(actor, device: Device, *, result: str, done_on=None, battery_health_percent=None,
                 storage_free_gb=None, device_time: datetime.datetime | None = None, note: str = "") -> LifeEvent:
    """定期检查保养 (LW-D 4, LQ 24). A check that passes puts a device out of service back in use —
    unless a fault is outstanding (LQ 26: it is repaired first); one that finds a problem takes the
    device out of service (停用) until it has been repaired and checked again."""
    _require_admin(actor, device.agency_id)
    if result not in (LifeResult.OK, LifeResult.PROBLEM):
        raise ValidationError("检查结果须为“正常”或“发现问题”。", code="result")
    if battery_health_percent is not None and not (0 <= int(battery_health_percent) <= 100):
        raise ValidationError("电池健康度须在 0 到 100（%）之间。", code="battery")
    note = _text(note, "说明", 1000,
                 required_message="检查发现问题的，请写明问题。" if result == LifeResult.PROBLEM else None,
                 code="note_required")
    with transaction.atomic():
        device = _locked(device)
        _not_scrapped(device)
        if device.status == Status.REPAIR:
            raise ValidationError(f"设备 {device.number} 正在送修，须登记修复返回后再检查。", code="in_repair")
        _not_out(device, "检查保养")
        now = timezone.now()
        day = _day(done_on, now)
        clock = _check(battery_percent=None, storage_free_gb=storage_free_gb, device_time=device_time, now=now)
        if result == LifeResult.OK:
            fault = outstanding_fault(device)
            if fault is not None:
                raise ValidationError(
                    f"设备 {device.number} 的故障（{timezone.localtime(fault.at):%Y-%m-%d}登记）尚未经供应商修复，"
                    "须先送修、修复返回，检查合格后方可恢复使用（LQ 26：不得私自拆装、更换）。", code="fault_outstanding")
            after = Status.IN_USE
        else:
            after = Status.DISABLED
        return _record(actor, device, LifeKind.CHECK, after, done_on=day, result=result, note=note,
                       battery_health_percent=None if battery_health_percent is None else int(battery_health_percent),
                       storage_free_mb=clock["storage_free_mb"], device_time=clock["device_time"],
                       clock_drift_ms=clock["clock_drift_ms"], drift_limit_ms=clock["drift_limit_ms"],
                       clock_flag=clock["clock_flag"])


def _may_report(actor, device: Device) -> None:
    """The 设备管理员, or the officer the device is signed out to (LW-D 8: 应当立即报告)."""
    if actor is None or is_device_admin(actor):
        _require_admin(actor, device.agency_id)
        return
    held = current_signout(device)
    if held is None or held.officer_id != actor.pk or not actor.has_role(Role.OFFICER):
        raise PermissionDenied("只有设备管理员或该设备的当前领用人可以报告设备故障。")


@_guarded("life_fault")
def report_fault(actor, device: Device, *, note: str) -> LifeEvent:
    """故障报告 (LW-D 8, LQ 26): the device is out of service (停用) from now on — no sign-out — until
    a supplier repairs it and a check passes. Reported by the 设备管理员 or by its holder, even
    while it is signed out (the holder then returns it)."""
    _may_report(actor, device)
    note = _text(note, "故障情况", 1000, required_message="请写明故障情况。", code="note_required")
    with transaction.atomic():
        device = _locked(device)
        _not_scrapped(device)
        if device.status == Status.REPAIR:
            raise ValidationError(f"设备 {device.number} 正在送修。", code="in_repair")
        if outstanding_fault(device) is not None:
            raise ValidationError(f"设备 {device.number} 已报告故障，尚未修复。", code="fault_outstanding")
        return _record(actor, device, LifeKind.FAULT, Status.DISABLED, done_on=timezone.localdate(), note=note)


@_guarded("life_repair_out")
def send_to_repair(actor, device: Device, *, supplier: str, note: str = "", done_on=None) -> LifeEvent:
    """送修 (LQ 26: 交由专业人员维修; 不得私自将设备进行拆装和更换处理): to the supplier or repairer
    named — a repair without one is refused. The device is 维修中 until it comes back."""
    _require_admin(actor, device.agency_id)
    supplier = _text(supplier, "供应商/维修单位", 200,
                     required_message="送修须写明供应商或专业维修单位：设备不得私自拆装、更换（LQ 26）。",
                     code="supplier_required")
    note = _text(note, "说明", 1000)
    with transaction.atomic():
        device = _locked(device)
        _not_scrapped(device)
        if open_repair(device) is not None:
            raise ValidationError(f"设备 {device.number} 已送修，尚未返回。", code="in_repair")
        _not_out(device, "送修")
        return _record(actor, device, LifeKind.REPAIR_OUT, Status.REPAIR, done_on=_day(done_on, timezone.now()),
                       supplier=supplier, note=note)


@_guarded("life_repair_back")
def repair_back(actor, device: Device, *, result: str, work_done: str, supplier: str = "",
                done_on=None) -> LifeEvent:
    """修复返回: what the supplier did and whether it is repaired. The device stays out of service
    (停用) either way: back in use only after a check passes (record_check)."""
    _require_admin(actor, device.agency_id)
    if result not in (LifeResult.REPAIRED, LifeResult.NOT_REPAIRED):
        raise ValidationError("维修结果须为“已修复”或“未能修复”。", code="result")
    work_done = _text(work_done, "维修情况", 1000, required_message="请写明维修情况（做了什么）。",
                      code="note_required")
    supplier = _text(supplier, "维修单位", 200)
    with transaction.atomic():
        device = _locked(device)
        _not_scrapped(device)
        sent = open_repair(device)
        if sent is None:
            raise ValidationError(f"设备 {device.number} 没有未返回的送修记录，不能登记修复返回。", code="not_in_repair")
        day = _day(done_on, timezone.now())
        if day < sent.done_on:
            raise ValidationError("返回日期不能早于送修日期。", code="date")
        return _record(actor, device, LifeKind.REPAIR_BACK, Status.DISABLED, done_on=day, result=result,
                       supplier=supplier or sent.supplier, note=work_done, repair_out=sent)


@_guarded("life_scrap")
def scrap(actor, device: Device, *, reason: str, done_on=None) -> LifeEvent:
    """报废: final. A scrapped device is never signed out nor brought back; its history stays."""
    _require_admin(actor, device.agency_id)
    reason = _text(reason, "报废原因", 1000, required_message="请写明报废原因。", code="note_required")
    with transaction.atomic():
        device = _locked(device)
        _not_scrapped(device)
        if open_repair(device) is not None:
            raise ValidationError(f"设备 {device.number} 正在送修，须先登记修复返回。", code="in_repair")
        _not_out(device, "报废")
        return _record(actor, device, LifeKind.SCRAP, Status.SCRAPPED, done_on=_day(done_on, timezone.now()),
                       note=reason)
