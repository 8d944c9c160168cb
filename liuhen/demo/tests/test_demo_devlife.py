"""The demo's device life (liuhen/demo/devlife.py): checks, a device at the supplier, one back from
repair and in use, one scrapped — built through the services, with their history."""
import pytest
from django.db import transaction
from django.test import override_settings

from liuhen.demo.builder import build_demo
from liuhen.devices.models import Device, LifeEvent, LifeKind, Status
from liuhen.devices.selectors import device_history, devices_of

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    blob_dir = tmp_path_factory.mktemp("demo") / "blobs"
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER, LIUHEN_BLOB_DIR=blob_dir):
        with transaction.atomic():
            yield build_demo()
            transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.LIUHEN_DEVICES = {"check_every_days": 90, "equipment_ratio": None}
    return demo_data


def kinds(number):
    return [e.kind for e in LifeEvent.objects.filter(device__number=number).order_by("at", "pk")]


def test_the_devices_lives(demo):
    assert Device.objects.get(number="SX-01").status == Status.REPAIR
    assert kinds("SX-01") == [LifeKind.FAULT, LifeKind.REPAIR_OUT]
    assert LifeEvent.objects.get(device__number="SX-01", kind=LifeKind.REPAIR_OUT).supplier
    assert Device.objects.get(number="JL-006").status == Status.IN_USE
    assert kinds("JL-006") == [LifeKind.FAULT, LifeKind.REPAIR_OUT, LifeKind.REPAIR_BACK, LifeKind.CHECK]
    assert Device.objects.get(number="JL-007").status == Status.SCRAPPED
    assert kinds("JL-007")[-1] == LifeKind.SCRAP
    assert kinds("JL-004") == [LifeKind.CHECK]
    listed = {d.number: d for d in devices_of(Device.objects.first().agency_id)}
    assert not listed["JL-004"].check_overdue and listed["JL-001"].check_overdue  # out since; never checked
    assert not listed["JL-007"].check_overdue  # scrapped: no check due
    assert listed["SX-01"].check_due is None  # at the supplier: none either
    titles = [h.title for h in device_history(listed["JL-004"])]
    assert titles[0] == "登记设备" and "定期检查保养" in titles and "领用" in titles and "导入音像记录" in titles
    history = device_history(listed["JL-004"])
    assert [h.at for h in history] == sorted(h.at for h in history)
