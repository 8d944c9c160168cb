"""Late storage (LC 31, LQ 23: within 24 hours of the recording; AS 12: of the declared return from
a field trip): computed from the recorded time and duration, corrected by the device clock's drift
measured at ingest, against the ingest time — a flag with its basis, never dropped."""
import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.avrules import services
from liuhen.avrules import vocabulary as v
from liuhen.avrules.models import FieldTrip
from liuhen.avrules.selectors import late, late_many, span
from liuhen.footage.models import FootageItem
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.avrules import camera, clip, clock_at

pytestmark = pytest.mark.usefixtures("fresh_home")

H = datetime.timedelta(hours=1)


def test_footage_stored_more_than_24_hours_after_it_ended_is_late(world, tmp_path):
    camera(world)
    ended_at = timezone.now() - 25 * H
    item = clip(tmp_path, recorded=ended_at - datetime.timedelta(seconds=2), seconds=2)
    verdict = late(item)
    assert verdict is not None and verdict.status == "late" and verdict.basis == "LC 31, LQ 23"
    assert abs((verdict.recorded_end - ended_at).total_seconds()) < 1.5
    assert verdict.due == verdict.recorded_end + 24 * H and 0.9 <= verdict.hours_late <= 1.1
    assert verdict.message.startswith("逾期存储：录制结束") and "未测设备时间误差" in verdict.message
    assert "（依据：LC 31, LQ 23）" in verdict.message


def test_footage_stored_within_24_hours_is_not_late(world, tmp_path):
    camera(world)
    assert late(clip(tmp_path, recorded=timezone.now() - 23 * H)) is None


def test_the_device_clock_drift_corrects_the_recording_time(world, tmp_path):
    """A camera whose clock is an hour slow wrote 24.5 h ago for what was 23.5 h ago: not late; the
    same file without the clock measured is judged by what it says."""
    camera(world)
    said = timezone.now() - datetime.timedelta(hours=24, minutes=30)
    measured = clip(tmp_path, recorded=said, device_time=timezone.now() - H)
    assert measured.ingest.clock_drift_ms == pytest.approx(-3_600_000, abs=5_000)
    start, _end = span(measured)
    assert abs((start - (said + H)).total_seconds()) < 5
    assert late(measured) is None
    camera(world, number="JL00002")
    unmeasured = clip(tmp_path, recorded=said, number="JL00002")
    assert late(unmeasured).status == "late"
    # …and a camera two hours fast makes on-time-looking footage late.
    camera(world, number="JL00003")
    fast = clip(tmp_path, recorded=timezone.now() - 23 * H, number="JL00003", device_time=timezone.now() + 2 * H)
    verdict = late(fast)
    assert verdict.status == "late" and re.search(r"已按设备时间误差\+7[12]\d\d\.\d秒校正", verdict.message)


def test_footage_without_a_recording_time_is_flagged_not_dropped(world, tmp_path):
    from liuhen.testing.footage import video
    from liuhen.testing.ingest import ingest

    camera(world)
    folder = tmp_path / "notime"
    folder.mkdir()
    video(folder / "clip.mp4", 0.5)  # no creation time, a name that says nothing
    assert ingest(str(folder), "--device", "JL00001").code == 0
    item = FootageItem.objects.get(name="clip.mp4")
    verdict = late(item)
    assert verdict.status == "unknown" and verdict.message.startswith("无法确定录制时间")


def test_a_declared_field_trip_moves_the_deadline_to_the_return(world, tmp_path, monkeypatch):
    """AS 12: recorded away on a declared trip, the footage is due 24 hours after the return."""
    now = timezone.now()
    with clock_at(monkeypatch, now - 72 * H):
        camera(world)  # signed out to the officer three days ago: the footage is theirs
        trip = services.declare_field_trip(world.officer, world.officer, starts_at=now - 72 * H, ends_at=now + 24 * H,
                                           place="县北部山区水库", reason="连续开展汛前检查")
    item = clip(tmp_path, recorded=now - 48 * H)
    assert item.officer_id == world.officer.pk
    assert late(item) is None
    # Another officer's trip does not cover it.
    assert FieldTrip.objects.filter(officer=world.officer).get() == trip


def test_a_trip_that_ended_earlier_leaves_the_footage_late_under_as_12(world, tmp_path, monkeypatch):
    now = timezone.now()
    with clock_at(monkeypatch, now - 72 * H):
        camera(world)
        services.declare_field_trip(world.officer, world.officer, starts_at=now - 72 * H, ends_at=now - 40 * H,
                                    place="县北部山区水库", reason="连续开展汛前检查")
    verdict = late(clip(tmp_path, recorded=now - 48 * H))
    assert verdict.status == "late" and verdict.basis == "AS 12" and verdict.trip is not None
    assert "外出执法申报返回时间" in verdict.message
    assert verdict.due == verdict.trip.ends_at + 24 * H


def test_late_many_reads_a_fixed_number_of_queries(world, tmp_path, monkeypatch, django_assert_num_queries):
    now = timezone.now()
    with clock_at(monkeypatch, now - 40 * H):
        camera(world)  # held since before the recordings: attributed, so field trips are looked up
    for hours in (30, 26, 2, 1):
        clip(tmp_path, recorded=now - hours * H)
    items = list(FootageItem.objects.all())
    assert all(i.officer_id == world.officer.pk for i in items)
    # their ingests, the field trips that could cover them, their agency's profile (its upload period)
    with django_assert_num_queries(3):
        verdicts = late_many(items)
    assert sorted(v_.status for v_ in verdicts.values()) == ["late", "late"] and len(items) == 4
    with django_assert_num_queries(3):
        assert late_many(items[:1]).keys() <= {items[0].pk}


# ---- the declaration's checks ------------------------------------------------------------------

def test_field_trip_declaration_is_logged(world):
    now = timezone.now()
    trip = services.declare_field_trip(world.officer, world.officer, starts_at=now, ends_at=now + 48 * H,
                                       place="邻县", reason="协查")
    event = event_of(Entry.objects.get(action=v.FIELD_TRIP, object_id=str(trip.pk)))
    assert event["content_sha256"] == trip.ledger_digest() and event["detail"] == {"officer": world.officer.pk}
    assert "协查" not in str(event) and "邻县" not in str(event)  # free text only by its digest
    # The unit head may declare for an officer of their unit.
    services.declare_field_trip(world.unit_head, world.officer2, starts_at=now, ends_at=now + H, place="邻县",
                                reason="协查")


@pytest.mark.parametrize("change, message", [
    ({"ends_at": -1}, "返回时间必须晚于外出时间。"),
    ({"ends_at": 24 * 40}, "一次外出执法申报最长31天（依据：AS 12）。"),
    ({"starts_at": -100, "ends_at": -2}, "外出执法应在返回前申报，不能在返回后补报（依据：AS 12）。"),
    ({"place": "  "}, "请填写外出地点。"),
    ({"reason": ""}, "请填写外出事由。"),
])
def test_a_bad_declaration_is_refused_in_chinese_and_logged(world, change, message):
    now = timezone.now()
    args = {"starts_at": now, "ends_at": now + 24 * H, "place": "邻县", "reason": "协查"}
    for key in ("starts_at", "ends_at"):
        if key in change:
            args[key] = now + change[key] * H
    args.update({k: val for k, val in change.items() if k in ("place", "reason")})
    with pytest.raises(ValidationError) as exc:
        services.declare_field_trip(world.officer, world.officer, **args)
    assert exc.value.messages == [message]
    assert not FieldTrip.objects.exists()
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.officer.pk).count() == 1


def test_overlapping_trips_and_strangers_are_refused(world):
    now = timezone.now()
    services.declare_field_trip(world.officer, world.officer, starts_at=now, ends_at=now + 24 * H, place="邻县",
                                reason="协查")
    with pytest.raises(ValidationError, match="已有外出执法申报"):
        services.declare_field_trip(world.officer, world.officer, starts_at=now + H, ends_at=now + 30 * H,
                                    place="邻县", reason="协查")
    with pytest.raises(PermissionDenied, match="只有本人或其所在单位负责人、机关负责人可以申报外出执法"):
        services.declare_field_trip(world.officer2, world.officer, starts_at=now + 48 * H, ends_at=now + 50 * H,
                                    place="邻县", reason="协查")
    with pytest.raises(ValidationError, match="执法证"):
        services.declare_field_trip(world.expired, world.expired, starts_at=now, ends_at=now + H, place="邻县",
                                    reason="协查")
    assert FieldTrip.objects.count() == 1
