"""`liuhen verify` holds the device's life events (检查、故障、送修、修复返回、报废) and the status they
brought to what the log recorded: a supplier changed by SQL, a fault deleted, an event inserted, a
device put back in use behind the log's back — each is found, with its stable code."""
import pytest
from django.core.exceptions import ValidationError

from liuhen.devices import life
from liuhen.devices import services as dev
from liuhen.devices import vocabulary as v
from liuhen.devices.models import LifeEvent
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.devices import camera, device_admin
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def lived(verified_world):
    world = verified_world
    admin = device_admin(world)
    d = camera(world, unit=world.unit)
    fault = life.report_fault(admin, d, note="无法开机")
    sent = life.send_to_repair(admin, d, supplier="本溪安防设备有限公司")
    back = life.repair_back(admin, d, result="repaired", work_done="更换电池")
    check = life.record_check(admin, d, result="ok", battery_health_percent=95)
    scrapped = camera(world, "JL-002")
    scrap = life.scrap(admin, scrapped, reason="摔坏")
    # Refusals and reads do not look like rows to verify.
    with pytest.raises(ValidationError):
        life.send_to_repair(admin, d, supplier="")
    dev.log_view(admin, d)
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world, d, fault, sent, back, check, scrapped, scrap


def test_supplier_changed_by_sql(lived):
    world, d, fault, sent, *_ = lived
    drop_append_only(LifeEvent._meta.db_table)
    sql("UPDATE devices_lifeevent SET supplier = %s WHERE id = %s", ["自己拆的", sent.pk])
    f = found(verify_log(), "altered", f"device_event:{sent.pk}",
              Entry.objects.get(action=v.LIFE_REPAIR_OUT, object_id=str(sent.pk)))
    assert f.code == v.E013


def test_fault_deleted_by_sql(lived):
    world, d, fault, *_ = lived
    drop_append_only(LifeEvent._meta.db_table)
    sql("DELETE FROM devices_lifeevent WHERE id = %s", [fault.pk])
    assert found(verify_log(), "deleted", f"device_event:{fault.pk}").code == v.E015


def test_event_inserted_by_sql(lived):
    world, d, fault, sent, back, check, *_ = lived
    sql("INSERT INTO devices_lifeevent (device_id, kind, at, result, supplier, note, clock_flag, status_before, "
        "status_after) SELECT device_id, 'check', at, 'ok', '', '', '', status_before, status_after "
        "FROM devices_lifeevent WHERE id = %s", [check.pk])
    new = LifeEvent.objects.order_by("-pk").first()
    assert found(verify_log(), "inserted", f"device_event:{new.pk}").code == v.E014


def test_scrapped_device_brought_back_by_sql(lived):
    *_, scrapped, scrap = lived
    sql("UPDATE devices_device SET status = 'in_use' WHERE id = %s", [scrapped.pk])
    f = found(verify_log(), "altered", f"device:{scrapped.pk}",
              Entry.objects.filter(action=v.DEVICE_STATUS, object_id=str(scrapped.pk)).last())
    assert f.code == v.E001
