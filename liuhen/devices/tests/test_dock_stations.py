"""Docking stations (采集站): `liuhen device station add|rotate|revoke|list`, one token each, only
its SHA-256 kept; `liuhen verify` holds each station to what the log recorded (a token digest
slipped in by SQL, a revoked station re-activated, a station inserted or deleted)."""
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.devices import services as dev
from liuhen.devices import vocabulary as v
from liuhen.devices.models import DockStation
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.devices import device_admin
from liuhen.testing.tampering import found, sql


def run(*args):
    out = io.StringIO()
    call_command("device", *args, stdout=out)
    return out.getvalue()


def test_station_cli_add_rotate_revoke_list(world):
    out = run("station", "add", "CJZ-01", "--name", "一楼采集站", "--unit", world.unit.name)
    token = out.strip().splitlines()[-1]
    assert "已登记采集站：CJZ-01" in out and token.startswith(dev.TOKEN_PREFIX) and len(token) > 40
    st = DockStation.objects.get()
    assert st.name == "一楼采集站" and st.unit == world.unit and st.active
    assert st.token_sha256 == dev.token_digest(token) and token not in json.dumps(
        [json.loads(bytes(e.leaf)) for e in Entry.objects.all()])  # the token itself is nowhere kept
    assert dev.station_for_token(token) == st
    new = run("station", "rotate", "CJZ-01").strip().splitlines()[-1]
    assert new != token and dev.station_for_token(token) is None and dev.station_for_token(new) == st
    assert "已停用" in run("station", "revoke", "CJZ-01")
    assert dev.station_for_token(new) is None
    listed = json.loads(run("station", "list", "--json"))
    assert listed == {"stations": [{"number": "CJZ-01", "name": "一楼采集站", "unit": world.unit.name, "active": False}]}
    assert "已停用" in run("station", "list")
    for args, message in ((("station", "add", "CJZ-01"), "已登记"), (("station", "revoke", "CJZ-01"), "已停用"),
                          (("station", "rotate", "NOPE"), "未登记"), (("station",), "采集站操作"),
                          (("station", "add", "CJZ-02", "--unit", "不存在的科"), "科室")):
        with pytest.raises(CommandError) as info:
            run(*args)
        assert info.value.returncode == 2 and message in str(info.value)
    # Rotating gives a revoked station a working token again.
    again = run("station", "rotate", "CJZ-01").strip().splitlines()[-1]
    assert dev.station_for_token(again) == DockStation.objects.get()


def test_only_the_device_admin_manages_stations_and_refusals_are_logged(world):
    admin = device_admin(world)
    st, _ = dev.add_station(admin, agency=world.agency, number="CJZ-01")
    for act in (lambda: dev.add_station(world.officer, agency=world.agency, number="CJZ-02"),
                lambda: dev.revoke_station(world.officer, st), lambda: dev.rotate_station_token(world.officer, st)):
        with pytest.raises(PermissionDenied):
            act()
    with pytest.raises(ValidationError):
        dev.add_station(admin, agency=world.agency, number="  ")
    acts = [json.loads(bytes(e.leaf))["detail"]["act"] for e in Entry.objects.filter(action=v.DENIED).order_by("pk")]
    assert acts == ["station_add", "station_revoke", "station_rotate", "station_add"]
    with pytest.raises(CommandError):
        run("--as", world.officer.username, "station", "list")


@pytest.fixture
def stations(fresh_home, verified_world):
    world = verified_world
    admin = device_admin(world)
    a, _ = dev.add_station(admin, agency=world.agency, number="CJZ-01")
    b, _ = dev.add_station(admin, agency=world.agency, number="CJZ-02")
    dev.revoke_station(admin, b)
    dev.station_for_token("lhs_wrong")  # refusals name no row to check
    dev.station_for_token("")
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world, a, b


def test_a_token_digest_slipped_in_by_sql_is_found(stations):
    world, a, b = stations
    sql("UPDATE devices_dockstation SET token_sha256 = %s WHERE id = %s", [dev.token_digest("lhs_mine"), a.pk])
    f = found(verify_log(), "altered", f"dock_station:{a.pk}", Entry.objects.get(action=v.STATION_ADD,
                                                                              object_id=str(a.pk)))
    assert f.code == v.E010


def test_a_revoked_station_reactivated_by_sql_is_found(stations):
    world, a, b = stations
    sql("UPDATE devices_dockstation SET active = %s WHERE id = %s", [True, b.pk])
    f = found(verify_log(), "altered", f"dock_station:{b.pk}", Entry.objects.get(action=v.STATION_REVOKE,
                                                                              object_id=str(b.pk)))
    assert f.code == v.E010


def test_a_station_inserted_or_deleted_by_sql_is_found(stations):
    world, a, b = stations
    sql("INSERT INTO devices_dockstation (agency_id, number, name, active, token_sha256, created_at) "
        "SELECT agency_id, 'CJZ-99', '', %s, %s, created_at FROM devices_dockstation WHERE id = %s",
        [True, dev.token_digest("lhs_mine"), a.pk])
    sql("DELETE FROM devices_dockstation WHERE id = %s", [b.pk])
    report = verify_log()
    new = DockStation.objects.get(number="CJZ-99")
    assert found(report, "inserted", f"dock_station:{new.pk}").code == v.E011
    assert found(report, "deleted", f"dock_station:{b.pk}").code == v.E012
