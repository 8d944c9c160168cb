"""LW-D 7: the act's written time within its footage's span (drift applied, 5 minutes' tolerance) —
a flag, not a fix; LQ 22: a break between two files of one device needs its reason noted on
resuming, a recording that could not be resumed needs a note signed by two officers."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.avrules import services
from liuhen.avrules import vocabulary as v
from liuhen.avrules.models import Interruption
from liuhen.avrules.selectors import case_av
from liuhen.cases import services as cases
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.records import services as records
from liuhen.testing.avrules import camera, clip, link, record
from liuhen.testing.cases import complete, to_investigation

pytestmark = pytest.mark.usefixtures("fresh_home")

M = datetime.timedelta(minutes=1)
S = datetime.timedelta(seconds=1)


def local(when) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def inspection_at(world, when):
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    return case, record(world, case, "inspection_record", {"time": local(when)})


def test_written_time_outside_the_footage_is_flagged_not_blocking(world, tmp_path, client):
    recorded = (timezone.now() - 60 * M).replace(second=0, microsecond=0)
    case, inspection = inspection_at(world, recorded + 30 * M)
    camera(world)
    link(world, clip(tmp_path, recorded=recorded, seconds=2), inspection)
    [row] = case_av(case)
    assert row.mismatch is not None and row.mismatch.minutes == 29
    assert row.mismatch.message.startswith(f"笔录记载时间{timezone.localtime(recorded + 30 * M):%Y-%m-%d %H:%M:%S}"
                                           "晚于音像记录")
    assert row.mismatch.message.endswith("约29分钟，超出允许误差5分钟（依据：LW-D 7）")
    assert not [p for p in cases.transition_blockers(case) if "LW-D 7" in p]  # a flag, not a gate
    client.force_login(world.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "相差约29分钟（允许5分钟，LW-D 7）" in page and "超出允许误差5分钟" in page  # the line and its title
    assert inspection.versions.get().content["time"].startswith(local(recorded + 30 * M))  # nothing corrected


def test_written_time_within_the_tolerance_is_not_flagged(world, tmp_path):
    recorded = (timezone.now() - 60 * M).replace(second=0, microsecond=0)
    case, inspection = inspection_at(world, recorded + 4 * M)
    camera(world)
    link(world, clip(tmp_path, recorded=recorded, seconds=2), inspection)
    assert case_av(case)[0].mismatch is None


def test_the_time_match_applies_the_device_clock_drift(world, tmp_path):
    """The camera's clock was 20 minutes slow: its 09:40 was 10:00, the time the record states."""
    true = (timezone.now() - 60 * M).replace(second=0, microsecond=0)
    case, inspection = inspection_at(world, true)
    camera(world)
    item = clip(tmp_path, recorded=true - 20 * M, seconds=2, device_time=timezone.now() - 20 * M)
    link(world, item, inspection)
    assert case_av(case)[0].mismatch is None
    camera(world, number="JL00002")  # the same file's time, the clock not measured: 20 minutes off
    case2, inspection2 = inspection_at(world, true)
    link(world, clip(tmp_path, recorded=true - 20 * M, seconds=2, number="JL00002"), inspection2)
    assert case_av(case2)[0].mismatch.minutes == 19


# ---- interruptions (LQ 22) ------------------------------------------------------------------------

@pytest.fixture
def broken(world, tmp_path):
    """An inspection with two files of one camera a minute apart, both linked to it."""
    start = (timezone.now() - 60 * M).replace(microsecond=0)
    case, inspection = inspection_at(world, start)
    camera(world)
    a = clip(tmp_path, recorded=start, seconds=1)
    b = clip(tmp_path, recorded=start + 61 * S, seconds=1)
    link(world, a, inspection)
    link(world, b, inspection)
    return case, inspection, a, b


def gap_problems(case):
    return [p for p in cases.transition_blockers(case) if "LQ 22" in p]


def test_a_break_needs_its_reason_noted(world, broken):
    case, inspection, a, b = broken
    [problem] = gap_problems(case)
    assert problem.startswith(f"现场检查（勘验）（现场检查(勘验)笔录第{inspection.serial}号）的音像记录在")
    assert problem.endswith("中断（设备JL00001），缺少恢复记录时的中断原因说明（依据：LQ 22）")
    note = services.note_interruption(world.officer2, inspection, a, b, "设备电量不足，更换电池后继续录制")
    assert gap_problems(case) == [] and case_av(case)[0].gaps[0].note == note
    event = event_of(Entry.objects.get(action=v.INTERRUPTION, object_id=str(note.pk)))
    assert event["content_sha256"] == note.ledger_digest() and "电池" not in str(event)  # the reason by digest only


def test_files_that_follow_each_other_are_no_break(world, tmp_path):
    start = (timezone.now() - 60 * M).replace(microsecond=0)
    case, inspection = inspection_at(world, start)
    camera(world)
    camera(world, number="JL00002")
    link(world, clip(tmp_path, recorded=start, seconds=1), inspection)
    link(world, clip(tmp_path, recorded=start + 3 * S, seconds=1), inspection)  # the camera split the file
    link(world, clip(tmp_path, recorded=start + 5 * M, seconds=1, number="JL00002"), inspection)  # another device
    assert case_av(case)[0].gaps == [] and gap_problems(case) == []


def test_a_recording_that_could_not_resume_needs_a_two_officer_note(world, broken):
    case, inspection, a, b = broken
    services.note_interruption(world.officer, inspection, a, b, "设备电量不足")
    services.note_interruption(world.officer, inspection, b, None, "暴雨导致设备进水，无法继续录制")
    expected = (f"现场检查（勘验）（现场检查(勘验)笔录第{inspection.serial}号）的音像记录中断后未能恢复，"
                "缺少两名以上执法人员签字的音像记录中断情况说明（依据：LQ 22）")
    assert gap_problems(case) == [expected]
    note = record(world, case, "av_stop_note", {"act_serial": inspection.serial, "reason": "暴雨导致设备进水"})
    records.sign_as_officer(world.officer, note)
    assert gap_problems(case) == [expected]  # one officer is not enough
    records.sign_as_officer(world.officer2, note)
    assert gap_problems(case) == []


@pytest.mark.parametrize("case_, message", [
    ("unlinked", "中断前后的音像记录都应已关联到该笔录。"),
    ("device", "中断前后的音像记录应来自同一设备。"),
    ("order", "恢复后的音像记录应在中断前的音像记录结束之后开始。"),
    ("reason", "请填写中断原因。"),
    ("twice", "该中断已有说明。"),
])
def test_a_bad_interruption_note_is_refused_and_logged(world, broken, tmp_path, case_, message):
    case, inspection, a, b = broken
    before, after, reason = a, b, "设备故障"
    if case_ == "unlinked":
        after = clip(tmp_path, recorded=timezone.now() - 10 * M)
    elif case_ == "device":
        camera(world, number="JL00002")
        after = clip(tmp_path, recorded=timezone.now() - 10 * M, number="JL00002")
        link(world, after, inspection)
    elif case_ == "order":
        before, after = b, a
    elif case_ == "reason":
        reason = "  "
    elif case_ == "twice":
        services.note_interruption(world.officer, inspection, a, b, "设备故障")
    count = Interruption.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.note_interruption(world.officer, inspection, before, after, reason)
    assert exc.value.messages == [message]
    assert Interruption.objects.count() == count
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.officer.pk, object_id=str(inspection.pk)).count() == 1


def test_only_an_officer_of_the_case_notes_an_interruption(world, broken):
    case, inspection, a, b = broken
    with pytest.raises(PermissionDenied):
        services.note_interruption(world.outsider, inspection, a, b, "设备故障")
    with pytest.raises(PermissionDenied, match="只有本案承办人员"):
        services.note_interruption(world.unit_head, inspection, a, b, "设备故障")
    assert not Interruption.objects.exists()
    assert Entry.objects.filter(action=v.DENIED, object_id=str(inspection.pk)).count() == 2
