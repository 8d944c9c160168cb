"""Review of issue 13 (late storage against the upload API): defects found by the adversarial review.

Each test failed before its defect was fixed (they were strict xfails)."""
import datetime

import pytest
from django.utils import timezone

from liuhen.avrules.selectors import late
from liuhen.footage.models import FootageItem
from liuhen.testing.avrules import camera, clock_at
from liuhen.testing.footage import video
from liuhen.testing.ingest import iso_utc
from liuhen.testing.uploads import Api, staging  # noqa: F401  (staging: the fixture)

pytestmark = [pytest.mark.usefixtures("fresh_home"), pytest.mark.usefixtures("staging")]

H = datetime.timedelta(hours=1)


def test_an_officer_cannot_clear_their_own_late_flag_by_stating_the_camera_clock(world, tmp_path, monkeypatch):
    now = timezone.now()
    with clock_at(monkeypatch, now - 72 * H):
        camera(world)  # the officer's camera for three days
    data = video(tmp_path / "late.mp4", 1.0, creation_time=iso_utc(now - 48 * H)).read_bytes()
    api = Api(user=world.officer)  # the browser's session: the officer whose lateness is at stake
    r = api.upload("DCIM/LATE0001.MP4", data, "JL00001", device_time=(now - 47 * H).isoformat())
    assert r.status_code == 200 and r.json()["status"] == "new", r.content
    item = FootageItem.objects.get(name="LATE0001.MP4")
    assert item.officer_id == world.officer.pk
    # The stated clock is flagged on the item (导入时设备时间误差超限) — and yet it is applied:
    assert "clock_drift" in item.flags or "clock_never_set" in item.flags, item.flags
    # Recorded 48 hours ago, stored now: late, whatever the uploader says of a clock they cannot read.
    assert late(item) is not None
