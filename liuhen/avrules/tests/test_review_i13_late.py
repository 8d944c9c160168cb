"""Review of issue 13 (late storage, AS 12): defects found by the adversarial review.

Each test failed before its defect was fixed (they were strict xfails)."""
import datetime

import pytest
from django.utils import timezone

from liuhen.avrules import services
from liuhen.avrules.selectors import late
from liuhen.testing.avrules import camera, clip, clock_at

pytestmark = pytest.mark.usefixtures("fresh_home")

H = datetime.timedelta(hours=1)


def test_a_trip_declared_after_the_footage_was_stored_late_does_not_excuse_it(world, tmp_path, monkeypatch):
    now = timezone.now()
    with clock_at(monkeypatch, now - 72 * H):
        camera(world)  # the camera was the officer's three days ago: the footage is theirs
    item = clip(tmp_path, recorded=now - 48 * H)  # stored now, 48 hours after: late
    assert item.officer_id == world.officer.pk
    assert late(item) is not None and late(item).status == "late"
    # Afterwards, the officer "declares" a trip that began three days ago and ends tomorrow.
    try:
        services.declare_field_trip(world.officer, world.officer, starts_at=now - 72 * H, ends_at=now + 24 * H,
                                    place="县北部山区水库", reason="补报")
    except Exception:  # noqa: BLE001 — refusing the back-dated start is one right answer
        pass
    # The footage was stored late before any trip was declared: it stays late.
    assert late(item) is not None and late(item).status == "late"
