"""`liuhen verify` holds devices, sign-outs and returns to what the log recorded: a custodian or
status changed by SQL, a sign-out's officer changed, a sign-out or return deleted, a row inserted."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.devices import services as dev
from liuhen.devices import vocabulary as v
from liuhen.devices.models import Device, Return, SignOut
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.devices import camera, device_admin
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def handed(verified_world):
    world = verified_world
    admin = device_admin(world)
    d = camera(world, unit=world.unit)
    dev.change_device(admin, d, custodian=admin)
    s1 = dev.sign_out(admin, d, world.officer, battery_percent=80)
    r1 = dev.return_device(admin, d)
    s2 = dev.sign_out(admin, d, world.officer2)
    # Reads and refusals about the registry and about a device must not look like rows to verify.
    dev.log_view(admin)
    dev.log_view(None)
    dev.log_view(admin, d)
    for act in (lambda: dev.add_device(world.officer, agency=world.agency, number="JL-777", model_name="X"),
                lambda: dev.sign_out(admin, d, world.officer3)):
        with pytest.raises((PermissionDenied, ValidationError)):
            act()
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world, d, s1, r1, s2


def test_device_row_changed_by_sql(handed):
    world, d, *_ = handed
    sql("UPDATE devices_device SET custodian_id = %s WHERE id = %s", [world.officer3.pk, d.pk])
    f = found(verify_log(), "altered", f"device:{d.pk}",
              Entry.objects.get(action=v.DEVICE_CHANGE, object_id=str(d.pk)))
    assert f.code == v.E001


def test_signout_officer_changed_by_sql(handed):
    world, d, s1, r1, s2 = handed
    drop_append_only(SignOut._meta.db_table)
    sql("UPDATE devices_signout SET officer_id = %s WHERE id = %s", [world.officer3.pk, s1.pk])
    f = found(verify_log(), "altered", f"device_signout:{s1.pk}", Entry.objects.get(action=v.SIGN_OUT,
                                                                                    object_id=str(s1.pk)))
    assert f.code == v.E004


def test_signout_and_return_deleted_by_sql(handed):
    world, d, s1, r1, s2 = handed
    drop_append_only(SignOut._meta.db_table, Return._meta.db_table)
    sql("DELETE FROM devices_return WHERE id = %s", [r1.pk])
    sql("DELETE FROM devices_signout WHERE id = %s", [s1.pk])
    report = verify_log()
    assert found(report, "deleted", f"device_signout:{s1.pk}").code == v.E006
    assert found(report, "deleted", f"device_return:{r1.pk}").code == v.E009


def test_return_inserted_by_sql(handed):
    world, d, s1, r1, s2 = handed
    sql("INSERT INTO devices_return (signout_id, server_time, drift_limit_ms, clock_flag) "
        "SELECT id, server_time, 3000, 'not_checked' FROM devices_signout WHERE id = %s", [s2.pk])
    rid = Return.objects.get(signout_id=s2.pk).pk
    assert found(verify_log(), "inserted", f"device_return:{rid}").code == v.E008


def test_device_inserted_by_sql(handed):
    world, d, *_ = handed
    sql("INSERT INTO devices_device (agency_id, number, model_name, kind, status, created_at) "
        "SELECT agency_id, 'JL-999', model_name, kind, status, created_at FROM devices_device WHERE id = %s", [d.pk])
    new = Device.objects.get(number="JL-999")
    assert found(verify_log(), "inserted", f"device:{new.pk}").code == v.E002
