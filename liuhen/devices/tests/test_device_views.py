"""The 设备管理员's pages through the test client."""
import datetime

import pytest
from django.utils import timezone

from liuhen.devices import services as dev
from liuhen.devices import vocabulary as v
from liuhen.devices.models import ClockFlag, Device, SignOut, Status
from liuhen.ledger.models import Entry
from liuhen.testing.devices import camera, device_admin
from liuhen.testing.otp import login_verified


@pytest.fixture
def admin_client(client, world):
    admin = device_admin(world)
    login_verified(client, admin)
    client.admin = admin
    return client


def test_others_are_refused_and_logged(client, world):
    d = camera(world)
    for user in (world.officer, world.sysadmin, world.agency_head):
        login_verified(client, user)
        for url in ("/devices/", f"/devices/{d.pk}/", f"/devices/{d.pk}/signout/"):
            resp = client.get(url)
            assert resp.status_code == 403
            assert "设备管理员" in resp.content.decode()
    assert client.post(f"/devices/{d.pk}/signout/", {"officer": world.officer.pk}).status_code == 403
    assert not SignOut.objects.exists()
    assert Entry.objects.filter(action="access.denied", object_id__startswith="/devices/").count() == 10
    assert "设备管理" not in client.get("/cases/").content.decode()


def test_list_shows_holders_and_nav_link(admin_client, world):
    d1, d2 = camera(world, "JL-001"), camera(world, "JL-002")
    dev.sign_out(None, d1, world.officer)
    resp = admin_client.get("/devices/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "JL-001" in html and "JL-002" in html and "张明" in html and "在库" in html
    assert 'href="/devices/"' in html and "设备管理" in html  # the nav link
    assert Entry.objects.filter(action=v.VIEW, actor_id=admin_client.admin.pk).exists()
    # A 设备管理员 and nothing else lands on the registry.
    assert admin_client.get("/").url == "/devices/"
    assert "我的案件" not in html  # works on no case


def test_add_then_sign_out_then_return(admin_client, world):
    resp = admin_client.post("/devices/new/", {"number": "JL-009", "model_name": "DSJ-V9", "kind": "body_camera",
                                               "unit": world.unit.pk})
    d = Device.objects.get(number="JL-009")
    assert resp.status_code == 302 and resp.url == f"/devices/{d.pk}/"
    page = admin_client.get(f"/devices/{d.pk}/signout/").content.decode()
    assert "张明" in page and "赵刚" not in page  # an expired 执法证 is not offered
    shown = timezone.localtime() + datetime.timedelta(seconds=30)
    resp = admin_client.post(f"/devices/{d.pk}/signout/", {
        "officer": world.officer.pk, "battery_percent": "88", "storage_free_gb": "31.5",
        "device_time": shown.strftime("%Y-%m-%dT%H:%M:%S")}, follow=True)
    s = SignOut.objects.get()
    assert s.officer == world.officer and s.recorded_by == admin_client.admin and s.battery_percent == 88
    assert s.clock_flag == ClockFlag.DRIFT
    html = resp.content.decode()
    assert "超过允许的" in html and "超限" in html and "领用中" in html
    # A second sign-out while it is out: 409 with the reason, nothing written.
    resp = admin_client.post(f"/devices/{d.pk}/signout/", {"officer": world.officer2.pk})
    assert resp.status_code == 409 and "同一时间只能由一人领用" in resp.content.decode()
    assert SignOut.objects.count() == 1
    resp = admin_client.post(f"/devices/{d.pk}/return/", {"battery_percent": "20"}, follow=True)
    assert "已归还" in resp.content.decode()
    assert SignOut.objects.get().returned.battery_percent == 20


def test_bad_input_is_a_400_with_what_was_typed(admin_client, world):
    d = camera(world)
    resp = admin_client.post(f"/devices/{d.pk}/signout/", {"officer": world.officer.pk, "battery_percent": "150",
                                                           "device_time": "明天"})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "150" in html and "设备显示的日期时间" in html
    assert not SignOut.objects.exists()
    assert Entry.objects.filter(action=v.REFUSED, object_id=str(d.pk)).exists()
    resp = admin_client.post("/devices/new/", {"number": "JL-001", "model_name": "X", "kind": "body_camera"})
    assert resp.status_code == 400 and "已登记" in resp.content.decode()
    assert Device.objects.count() == 1


def test_change_status_and_another_agencys_device_is_404(admin_client, world):
    from liuhen.accounts import services as acc

    d = camera(world)
    # The status is not a field of the registry form: only the device's life events change it (LQ 26).
    resp = admin_client.post(f"/devices/{d.pk}/edit/", {"model_name": "DSJ-V10", "kind": "body_camera",
                                                        "status": "repair"})
    assert resp.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.IN_USE and d.model_name == "DSJ-V10" and d.changed_by == admin_client.admin
    other = acc.create_agency(None, name="另一局", short_name="另")
    foreign = dev.add_device(None, agency=other, number="JL-001", model_name="X")
    assert admin_client.get(f"/devices/{foreign.pk}/").status_code == 404
    assert admin_client.get("/devices/99999/").status_code == 404
    assert Entry.objects.filter(action="access.denied", object_type="device", object_id=str(foreign.pk)).exists()
