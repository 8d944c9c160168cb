"""Registry, sign-out (领用) and return (归还) through the services."""
import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from liuhen.devices import life, selectors, services as dev
from liuhen.devices.models import ClockFlag, Device, Kind, SignOut, Status
from liuhen.devices import vocabulary as v
from liuhen.ledger.models import Entry
from liuhen.testing.devices import camera, device_admin


def test_add_logs_state_and_numbers_are_unique_per_agency(world):
    admin = device_admin(world)
    d = dev.add_device(admin, agency=world.agency, number=" JL-001 ", model_name="DSJ-V9", kind=Kind.BODY_CAMERA,
                       unit=world.unit, custodian=admin)
    assert d.number == "JL-001" and d.status == Status.IN_USE and d.created_by == admin
    e = Entry.objects.get(action=v.DEVICE_ADD, object_id=str(d.pk))
    assert e.actor_id == admin.pk
    with pytest.raises(ValidationError, match="已登记"):
        dev.add_device(admin, agency=world.agency, number="JL-001", model_name="X")
    assert Device.objects.count() == 1
    with pytest.raises(ValidationError, match="型号"):
        dev.add_device(admin, agency=world.agency, number="JL-002", model_name="  ")
    with pytest.raises(ValidationError, match="类别"):
        dev.add_device(admin, agency=world.agency, number="JL-002", model_name="A", kind="drone")
    with pytest.raises(ValidationError, match="设备编号"):
        dev.add_device(admin, agency=world.agency, number="JL\u202e002", model_name="A")
    assert Device.objects.count() == 1


def test_only_the_device_admin_manages_the_registry_and_refusals_are_logged(world):
    with pytest.raises(PermissionDenied, match="设备管理员"):
        dev.add_device(world.officer, agency=world.agency, number="JL-001", model_name="A")
    denied = Entry.objects.get(action=v.DENIED, object_type=v.REGISTRY, object_id=str(world.agency.pk))
    assert denied.actor_id == world.officer.pk
    assert not Device.objects.exists()
    d = camera(world)
    with pytest.raises(PermissionDenied):
        dev.change_device(world.sysadmin, d, status=Status.REPAIR)
    assert Entry.objects.filter(action=v.DENIED, object_type="device", object_id=str(d.pk)).count() == 1


def test_sign_out_check_and_drift(world, settings):
    admin = device_admin(world)
    d = camera(world)
    shown = timezone.now() + datetime.timedelta(seconds=10)
    s = dev.sign_out(admin, d, world.officer, battery_percent=90, storage_free_gb=20, device_time=shown)
    assert s.battery_percent == 90 and s.storage_free_mb == 20 * 1024 and s.recorded_by == admin
    assert 9 <= s.clock_drift_seconds <= 11 and s.clock_flag == ClockFlag.DRIFT and s.clock_flagged
    assert s.drift_limit_ms == 3000
    r = dev.return_device(admin, d, battery_percent=40, device_time=timezone.now())
    assert r.clock_flag == ClockFlag.OK and abs(r.clock_drift_ms) < 2000
    # A clock never set (a factory default date) is flagged as such; no device time: not checked.
    s2 = dev.sign_out(admin, d, world.officer2, device_time=datetime.datetime(2000, 1, 1, 0, 0))
    assert s2.clock_flag == ClockFlag.NEVER_SET
    dev.return_device(admin, d)
    s3 = dev.sign_out(admin, d, world.officer2)
    assert s3.clock_flag == ClockFlag.NOT_CHECKED and s3.clock_drift_ms is None
    dev.return_device(admin, d)
    settings.LIUHEN_DEVICE_CLOCK_MAX_DRIFT_SECONDS = 30
    s4 = dev.sign_out(admin, d, world.officer2, device_time=timezone.now() + datetime.timedelta(seconds=10))
    assert s4.clock_flag == ClockFlag.OK and s4.drift_limit_ms == 30000


def test_bad_check_values_write_nothing(world):
    admin = device_admin(world)
    d = camera(world)
    for kw in ({"battery_percent": 120}, {"storage_free_gb": -1}, {"device_time": datetime.datetime(1800, 1, 1)}):
        with pytest.raises(ValidationError):
            dev.sign_out(admin, d, world.officer, **kw)
    assert not SignOut.objects.exists()


def test_one_person_at_a_time(world):
    admin = device_admin(world)
    d = camera(world)
    dev.sign_out(admin, d, world.officer)
    with pytest.raises(ValidationError, match="张明.*同一设备同一时间只能由一人领用"):
        dev.sign_out(admin, d, world.officer2)
    assert SignOut.objects.count() == 1
    assert Entry.objects.filter(action=v.DENIED, actor_id=admin.pk).exists()
    dev.return_device(admin, d)
    with pytest.raises(ValidationError, match="没有未归还"):
        dev.return_device(admin, d)
    dev.sign_out(admin, d, world.officer2)
    assert selectors.current_holder(d) == world.officer2


def test_who_may_be_signed_out_to_and_which_devices(world):
    admin = device_admin(world)
    d = camera(world)
    with pytest.raises(ValidationError, match="执法证"):
        dev.sign_out(admin, d, world.expired)
    with pytest.raises(ValidationError, match="不是在岗的执法人员"):
        dev.sign_out(admin, d, world.unit_head)
    life.report_fault(admin, d, note="开机无反应")
    with pytest.raises(ValidationError, match="停用"):
        dev.sign_out(admin, d, world.officer)
    life.send_to_repair(admin, d, supplier="某安防设备有限公司")
    with pytest.raises(ValidationError, match="维修中"):
        dev.sign_out(admin, d, world.officer)
    life.repair_back(admin, d, result="repaired", work_done="更换电池")
    life.record_check(admin, d, result="ok")
    dev.sign_out(admin, d, world.officer)
    with pytest.raises(ValidationError, match="尚未归还"):
        life.scrap(admin, d, reason="外壳破裂")


def test_self_sign_out_only_where_the_agency_allows_it(world, settings):
    d = camera(world)
    with pytest.raises(PermissionDenied, match="不允许执法人员自行领用"):
        dev.sign_out(world.officer, d, world.officer)
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.officer.pk).exists()
    settings.LIUHEN_DEVICE_SELF_SIGNOUT = True
    with pytest.raises(PermissionDenied):
        dev.sign_out(world.officer, d, world.officer2)  # to someone else: never
    s = dev.sign_out(world.officer, d, world.officer)
    assert s.recorded_by == world.officer
    with pytest.raises(PermissionDenied):
        dev.return_device(world.officer2, d)  # not theirs to return
    dev.return_device(world.officer, d)


def test_holder_at_and_signouts_of(world):
    admin = device_admin(world)
    d = camera(world)
    before = timezone.now()
    s1 = dev.sign_out(admin, d, world.officer)
    r1 = dev.return_device(admin, d)
    s2 = dev.sign_out(admin, d, world.officer2)
    assert selectors.holder_at(d, before - datetime.timedelta(seconds=1)) is None
    assert selectors.holder_at(d, s1.server_time) == world.officer
    assert selectors.holder_at(d, r1.server_time) != world.officer  # the return ends the holding
    assert selectors.holder_at(d, s2.server_time + datetime.timedelta(hours=5)) == world.officer2
    assert [s.pk for s in selectors.signouts_of(world.officer)] == [s1.pk]
    assert [s.pk for s in selectors.history(d)] == [s2.pk, s1.pk]
    listed = selectors.devices_of(world.agency.pk)
    assert listed[0].holder_signout.officer == world.officer2


@pytest.mark.django_db(transaction=True)
def test_two_sign_outs_at_once_one_wins(world):
    """Two administrators sign the same camera out to two officers at the same moment: the device
    row is locked, the second finds it out and is refused."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("threads need a database file (in-memory SQLite is one connection's)")
    admin = device_admin(world)
    d = camera(world)
    barrier = threading.Barrier(2)
    results = []

    def go(officer):
        try:
            barrier.wait()
            dev.sign_out(admin, Device.objects.get(pk=d.pk), officer)
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(o,)) for o in (world.officer, world.officer2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results)[0] == "ok" and "同一设备同一时间只能由一人领用" in sorted(results)[1], results
    assert SignOut.objects.filter(device=d).count() == 1
