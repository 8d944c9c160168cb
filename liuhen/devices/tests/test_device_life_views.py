"""The 设备管理员's pages for the device's life, and the holder's fault report, through the client."""
import pytest

from liuhen.devices import life
from liuhen.devices import services as dev
from liuhen.devices import vocabulary as v
from liuhen.devices.models import Device, LifeEvent, Status
from liuhen.ledger.models import Entry
from liuhen.testing.devices import camera, device_admin


@pytest.fixture
def admin_client(client, world):
    admin = device_admin(world)
    client.force_login(admin)
    client.admin = admin
    return client


def test_repair_without_supplier_is_a_400_with_the_article_and_nothing_lost(admin_client, world):
    d = camera(world)
    resp = admin_client.post(f"/devices/{d.pk}/life/repair_out/", {"repair_out-supplier": "",
                                                                   "repair_out-note": "屏幕花屏，保修期内"})
    html = resp.content.decode()
    assert resp.status_code == 400 and "供应商" in html and "LQ 26" in html
    assert "屏幕花屏，保修期内" in html  # what was typed comes back
    assert not LifeEvent.objects.exists()
    assert Entry.objects.filter(action=v.DENIED, object_id=str(d.pk)).exists()


def test_life_cycle_through_the_pages_and_the_history(admin_client, world):
    d = camera(world)
    page = admin_client.get(f"/devices/{d.pk}/").content.decode()
    assert "设备履历" in page and "定期检查保养" in page and "报告故障" in page and "登记设备" in page
    assert "/life/repair_back/" not in page  # nothing sent: no return form
    resp = admin_client.post(f"/devices/{d.pk}/life/fault/", {"fault-note": "录像无声音"})
    assert resp.status_code == 302 and Device.objects.get(pk=d.pk).status == Status.DISABLED
    resp = admin_client.post(f"/devices/{d.pk}/life/repair_out/", {"repair_out-supplier": "本溪安防"}, follow=True)
    assert "维修中" in resp.content.decode()
    # Signing out a device under repair: 409, with why.
    resp = admin_client.post(f"/devices/{d.pk}/signout/", {"officer": world.officer.pk})
    assert resp.status_code == 409 and "维修中" in resp.content.decode()
    resp = admin_client.post(f"/devices/{d.pk}/life/repair_back/", {"repair_back-result": "repaired",
                                                                   "repair_back-work_done": "更换麦克风"})
    assert resp.status_code == 302
    resp = admin_client.post(f"/devices/{d.pk}/life/check/", {"check-result": "ok", "check-battery_health_percent": "97"})
    assert resp.status_code == 302 and Device.objects.get(pk=d.pk).status == Status.IN_USE
    html = admin_client.get(f"/devices/{d.pk}/").content.decode()
    for word in ("故障报告", "录像无声音", "送修", "本溪安防", "修复返回", "更换麦克风", "电池健康度 97%"):
        assert word in html, word
    assert Entry.objects.filter(action=v.VIEW, object_type="device", object_id=str(d.pk)).count() == 3  # each page a read
    # Bad input: 400 with the field's error, recorded.
    resp = admin_client.post(f"/devices/{d.pk}/life/check/", {"check-result": "ok",
                                                              "check-battery_health_percent": "abc"})
    assert resp.status_code == 400 and "abc" in resp.content.decode()
    assert Entry.objects.filter(action=v.REFUSED, object_id=str(d.pk)).exists()
    assert admin_client.get(f"/devices/{d.pk}/life/nonsense/").status_code == 404


def test_scrapped_repair_states_are_409(admin_client, world):
    d = camera(world)
    life.scrap(admin_client.admin, d, reason="摔坏")
    resp = admin_client.post(f"/devices/{d.pk}/life/check/", {"check-result": "ok"})
    assert resp.status_code == 409 and "报废" in resp.content.decode()
    html = admin_client.get(f"/devices/{d.pk}/").content.decode()
    assert "维护保养与维修" not in html and "登记领用" not in html


def test_the_holder_reports_a_fault_from_my_devices(client, world):
    admin = device_admin(world)
    d = camera(world)
    dev.sign_out(admin, d, world.officer)
    client.force_login(world.officer)
    page = client.get("/devices/mine/").content.decode()
    assert d.number in page and "报告故障" in page
    assert client.get(f"/devices/{d.pk}/life/check/").status_code == 403
    resp = client.post(f"/devices/{d.pk}/life/fault/", {"fault-note": "电池鼓包"})
    assert resp.status_code == 302 and resp.url == "/devices/mine/"
    assert Device.objects.get(pk=d.pk).status == Status.DISABLED
    client.force_login(world.officer2)  # not the holder
    assert client.post(f"/devices/{d.pk}/life/fault/", {"fault-note": "x"}).status_code == 403
    assert LifeEvent.objects.count() == 1


def test_registry_shows_overdue_and_the_ratio_only_when_set(admin_client, world):
    from liuhen.testing.profiles import load, profile_text

    import datetime

    from django.utils import timezone

    d = camera(world, unit=world.unit)
    Device.objects.filter(pk=d.pk).update(created_at=timezone.now() - datetime.timedelta(days=200))
    html = admin_client.get("/devices/").content.decode()  # base: every 90 days, no ratio
    assert "逾期" in html and "配备比例" not in html
    load(world, profile_text(body="devices:\n  equipment_ratio: {cameras: 1, officers: 1}\n"))
    html = admin_client.get("/devices/").content.decode()
    assert "配备比例" in html and "缺" in html and world.unit.name in html
    assert "配备比例" not in html.split("</title>")[0]  # in the page, not in its title
