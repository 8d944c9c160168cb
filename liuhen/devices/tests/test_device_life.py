"""The device's life (LW-D 4, LW-D 8, LQ 24, LQ 26): periodic checks, faults, repairs by a named
supplier, scrapping — each a row and a ledger event; the status only through them."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.devices import life, selectors
from liuhen.devices import services as dev
from liuhen.devices import vocabulary as v
from liuhen.devices.models import ClockFlag, Device, LifeEvent, LifeKind, Status
from liuhen.ledger.models import Entry
from liuhen.testing.devices import camera, device_admin
from liuhen.testing.profiles import load, profile_text


@pytest.fixture
def admin(world):
    return device_admin(world)


def status(d) -> str:
    return Device.objects.get(pk=d.pk).status


def test_a_repair_without_a_supplier_is_refused_and_recorded(world, admin):
    d = camera(world)
    for supplier in ("", "   "):
        with pytest.raises(ValidationError, match="供应商") as info:
            life.send_to_repair(admin, d, supplier=supplier)
        assert "不得私自拆装" in info.value.messages[0]
    assert not LifeEvent.objects.exists() and status(d) == Status.IN_USE
    refusals = Entry.objects.filter(action=v.DENIED, object_type="device", object_id=str(d.pk))
    assert refusals.count() == 2
    assert b"supplier_required" in bytes(refusals.first().leaf) and b"life_repair_out" in bytes(refusals.first().leaf)


def test_fault_repair_check_cycle_with_its_ledger(world, admin):
    d = camera(world)
    fault = life.report_fault(admin, d, note="按键失灵")
    assert (fault.status_before, fault.status_after, status(d)) == (Status.IN_USE, Status.DISABLED, Status.DISABLED)
    with pytest.raises(ValidationError, match="停用"):
        dev.sign_out(admin, d, world.officer)
    # A passing check does not bring a faulty device back: it is repaired first (LQ 26).
    with pytest.raises(ValidationError, match="尚未经供应商修复"):
        life.record_check(admin, d, result="ok")
    sent = life.send_to_repair(admin, d, supplier="本溪安防设备有限公司", note="保修期内")
    assert status(d) == Status.REPAIR and sent.supplier == "本溪安防设备有限公司"
    with pytest.raises(ValidationError, match="维修中"):
        dev.sign_out(admin, d, world.officer)
    with pytest.raises(ValidationError, match="已送修"):
        life.send_to_repair(admin, d, supplier="另一家")
    with pytest.raises(ValidationError, match="送修"):
        life.record_check(admin, d, result="ok")
    back = life.repair_back(admin, d, result="repaired", work_done="更换按键板")
    assert back.repair_out == sent and back.supplier == sent.supplier  # by the supplier it went to
    assert status(d) == Status.DISABLED  # back, but not in use before a check passes
    with pytest.raises(ValidationError, match="没有未返回的送修"):
        life.repair_back(admin, d, result="repaired", work_done="再修")
    check = life.record_check(admin, d, result="ok", battery_health_percent=92, storage_free_gb=30,
                              device_time=timezone.now())
    assert status(d) == Status.IN_USE and check.clock_flag == ClockFlag.OK and check.storage_free_mb == 30 * 1024
    dev.sign_out(admin, d, world.officer)
    # Each event is in the ledger with its row's digest, and each status change about the device.
    for ev in (fault, sent, back, check):
        e = Entry.objects.get(object_type="device_event", object_id=str(ev.pk))
        assert e.action == v.LIFE_ACTIONS[ev.kind] and e.actor_id == admin.pk
    assert Entry.objects.filter(action=v.DEVICE_STATUS, object_id=str(d.pk)).count() == 4
    d.refresh_from_db()
    assert d.changed_by == admin


def test_the_holder_reports_a_fault_on_a_signed_out_device(world, admin):
    d = camera(world)
    dev.sign_out(admin, d, world.officer)
    with pytest.raises(PermissionDenied, match="当前领用人"):
        life.report_fault(world.officer2, d, note="不是我的")
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.officer2.pk).exists()
    ev = life.report_fault(world.officer, d, note="电池鼓包")
    assert ev.recorded_by == world.officer and status(d) == Status.DISABLED
    with pytest.raises(ValidationError, match="已报告故障"):
        life.report_fault(admin, d, note="再报")
    # It cannot be sent away while still out; it is returned first (a return is allowed when 停用).
    with pytest.raises(ValidationError, match="尚未归还"):
        life.send_to_repair(admin, d, supplier="厂家")
    dev.return_device(admin, d)
    life.send_to_repair(admin, d, supplier="厂家")
    # The holder does nothing else of the device's life.
    with pytest.raises(PermissionDenied):
        life.record_check(world.officer, d, result="ok")


def test_scrapping_is_final(world, admin):
    d = camera(world)
    life.report_fault(admin, d, note="进水")
    sent = life.send_to_repair(admin, d, supplier="厂家")
    with pytest.raises(ValidationError, match="送修"):
        life.scrap(admin, d, reason="无法修复")
    life.repair_back(admin, d, result="not_repaired", work_done="主板损坏，无配件")
    with pytest.raises(ValidationError, match="尚未经供应商修复"):
        life.record_check(admin, d, result="ok")  # not repaired: still faulty
    ev = life.scrap(admin, d, reason="主板损坏无法修复")
    assert ev.status_after == Status.SCRAPPED and status(d) == Status.SCRAPPED
    for act in (lambda: dev.sign_out(admin, d, world.officer),
                lambda: life.record_check(admin, d, result="ok"),
                lambda: life.report_fault(admin, d, note="x"),
                lambda: life.send_to_repair(admin, d, supplier="厂家"),
                lambda: life.scrap(admin, d, reason="again"),
                lambda: dev.change_device(admin, d, status=Status.IN_USE)):
        with pytest.raises(ValidationError):
            act()
    assert status(d) == Status.SCRAPPED
    assert sent.pk in LifeEvent.objects.values_list("repair_out", flat=True)


def test_status_changes_only_through_life_events(world, admin):
    d = camera(world)
    with pytest.raises(ValidationError, match="只能通过") as info:
        dev.change_device(admin, d, status=Status.REPAIR)
    assert info.value.error_list[0].code == "status_by_event"
    assert status(d) == Status.IN_USE
    dev.change_device(admin, d, model_name="DSJ-V10", status=Status.IN_USE)  # unchanged status: fine


def test_a_check_that_finds_a_problem_takes_the_device_out(world, admin):
    d = camera(world)
    with pytest.raises(ValidationError, match="写明问题"):
        life.record_check(admin, d, result="problem")
    with pytest.raises(ValidationError, match="检查结果"):
        life.record_check(admin, d, result="maybe")
    with pytest.raises(ValidationError, match="电池健康度"):
        life.record_check(admin, d, result="ok", battery_health_percent=130)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        life.record_check(admin, d, result="ok", done_on=timezone.localdate() + datetime.timedelta(days=1))
    ev = life.record_check(admin, d, result="problem", note="电池续航不足 1 小时",
                           device_time=datetime.datetime(2000, 1, 1))
    assert ev.clock_flag == ClockFlag.NEVER_SET and status(d) == Status.DISABLED
    assert life.outstanding_fault(d) == ev
    with pytest.raises(ValidationError):
        dev.sign_out(admin, d, world.officer)
    assert not LifeEvent.objects.exclude(pk=ev.pk).exists()


def test_periodic_check_due_and_overdue(world, admin):
    load(world, profile_text(body="devices:\n  check_every_days: 30\n"))
    d1, d2, d3 = camera(world, "JL-001"), camera(world, "JL-002"), camera(world, "JL-003")
    Device.objects.filter(pk__in=[d1.pk, d2.pk, d3.pk]).update(
        created_at=timezone.now() - datetime.timedelta(days=100))
    life.record_check(admin, d2, result="ok", done_on=timezone.localdate() - datetime.timedelta(days=5))
    life.record_check(admin, d3, result="ok", done_on=timezone.localdate() - datetime.timedelta(days=40))
    by = {d.number: d for d in selectors.devices_of(world.agency.pk)}
    assert by["JL-001"].check_overdue and by["JL-001"].last_check is None
    assert not by["JL-002"].check_overdue
    assert by["JL-002"].check_due == timezone.localdate() + datetime.timedelta(days=25)
    assert by["JL-003"].check_overdue
    load(world, profile_text(body="devices:\n  check_every_days: null\n"))
    assert not any(d.check_overdue or d.check_due for d in selectors.devices_of(world.agency.pk))


def test_equipment_ratio_per_unit(world, admin):
    assert selectors.equipment_by_unit(world.agency.pk) is None  # base: no ratio
    load(world, profile_text(body="devices:\n  equipment_ratio: {cameras: 1, officers: 2}\n"))
    assert life.check_every_days(world.agency.pk) == 90  # base's, kept
    in_use = camera(world, "JL-001", unit=world.unit)
    broken = camera(world, "JL-002", unit=world.unit)
    camera(world, "XJ-01", unit=world.unit, kind="camera")  # not a body camera
    life.report_fault(admin, broken, note="坏了")
    rows = {r.unit.pk: r for r in selectors.equipment_by_unit(world.agency.pk)}
    mine = rows[world.unit.pk]
    from liuhen.accounts.models import User

    today = timezone.localdate()
    certified = User.objects.filter(unit=world.unit, is_active=True, groups__name="officer",
                                    certificates__valid_from__lte=today, certificates__valid_until__gte=today,
                                    certificates__revoked=False).distinct().count()
    assert mine.officers == certified and certified >= 2
    assert mine.cameras == 1 and mine.needed == -(-certified // 2)
    assert mine.short == mine.needed - 1 and mine.meets == (mine.needed <= 1)
    assert in_use.status == Status.IN_USE


def test_the_retired_setting_is_refused_at_start(settings, world):
    from liuhen.devices.checks import devices_setting

    settings.LIUHEN_DEVICES = ""
    assert devices_setting() == []
    # issue 14's default, literally: an agency on the base profile keeps it.
    assert (life.check_every_days(world.agency.pk), life.equipment_ratio(world.agency.pk)) == (90, None)
    for still_set in ('{"check_every_days": 90}', {"equipment_ratio": {"cameras": 1, "officers": 2}}):
        settings.LIUHEN_DEVICES = still_set
        (error,) = devices_setting()
        assert error.id == v.CHECK_SETTING == "liuhen.devices.E001" and "已停用" in error.msg
        assert "devices:" in error.hint and "liuhen profile load" in error.hint


def test_history_in_time_order_with_who(world, admin):
    d = camera(world)
    dev.change_device(admin, d, custodian=admin)
    dev.sign_out(admin, d, world.officer, battery_percent=80)
    life.report_fault(world.officer, d, note="无法录像")
    dev.return_device(admin, d)
    life.send_to_repair(admin, d, supplier="厂家")
    life.repair_back(admin, d, result="repaired", work_done="更换存储卡")
    life.record_check(admin, d, result="ok")
    rows = selectors.device_history(d)
    assert [h.title for h in rows] == ["登记设备", "修改登记信息", "领用", "故障报告", "归还", "送修", "修复返回",
                                       "定期检查保养"]
    assert rows[0].who is None and rows[1].who == admin and rows[3].who == world.officer
    assert "保管人" in rows[1].detail and "厂家" in rows[5].detail
    assert [h.at for h in rows] == sorted(h.at for h in rows)
    assert LifeKind.FAULT in {h.row.kind for h in rows if h.kind == "life"}
