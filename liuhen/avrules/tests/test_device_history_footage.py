"""The device's history page shows the footage taken from it (a history source avrules registers
in devices: devices is below footage and cannot read it)."""
import datetime

import pytest
from django.utils import timezone

from liuhen.devices.models import Device
from liuhen.devices.selectors import device_history
from liuhen.testing.avrules import camera, clip
from liuhen.testing.devices import device_admin

pytestmark = pytest.mark.usefixtures("fresh_home")


def test_ingests_in_the_device_history(world, tmp_path, client):
    camera(world)
    item = clip(tmp_path, recorded=timezone.now() - datetime.timedelta(minutes=10), seconds=2)
    d = Device.objects.get(number="JL00001")
    rows = device_history(d)
    assert [h.title for h in rows] == ["登记设备", "领用", "导入音像记录"]
    line = rows[-1]
    assert "1 个文件" in line.detail and "录制于" in line.detail and line.kind == "footage"
    assert line.at >= rows[1].at
    client.force_login(device_admin(world, username="shebei2"))
    html = client.get(f"/devices/{d.pk}/").content.decode()
    assert "导入音像记录" in html and "1 个文件" in html and item.name not in html
