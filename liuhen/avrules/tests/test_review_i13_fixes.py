"""Review of issue 13: the fixes' other sides — a note names an act that exists (AS 8, LQ 22) and is
refused over HTTP with its refusal in the ledger; a field trip declared in time still covers
footage recorded before the declaration (AS 12); a camera clock read by a 设备管理员 still moves the
recording time; a stop cannot be noted where its written note could no longer be made; the case
page offers write actions only where the act can still be done."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.avrules import services
from liuhen.avrules.models import Interruption
from liuhen.avrules.selectors import case_av, late
from liuhen.cases import services as cases
from liuhen.footage.models import FootageItem
from liuhen.ledger.models import Entry
from liuhen.records import services as rec
from liuhen.records.models import Record, RecordType
from liuhen.testing.avrules import camera, clip, clock_at, leader_for, link, record
from liuhen.testing.cases import complete, fill, to_investigation
from liuhen.testing.footage import video
from liuhen.testing.ingest import iso_utc
from liuhen.testing.uploads import Api, staging  # noqa: F401  (staging: the fixture)

pytestmark = pytest.mark.usefixtures("fresh_home")

H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)


def local(when) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def av_problems(case):
    return [p for p in cases.transition_blockers(case) if "音像" in p]


# ---- 1. a note names an act record that exists (AS 8, LQ 22) ------------------------------------------

def test_a_note_for_an_act_made_before_it_covers_the_act(world):
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    inspection = complete(world, case, "inspection_record")
    assert any("缺少音像记录" in p for p in av_problems(case))
    note = record(world, case, "av_not_suitable", {"act_serial": inspection.serial, "reason_kind": "涉及个人隐私",
                                                   "reason": "检查场所为居民住宅内部"})
    for officer in (world.officer, world.officer2):
        rec.sign_as_officer(officer, note)
    rec.sign_as_leader(leader_for(world, case), note)
    assert av_problems(case) == []


@pytest.mark.parametrize("code", ["av_not_suitable", "av_stop_note"])
def test_a_note_naming_no_act_record_is_refused(world, code):
    case = to_investigation(world)
    rights = complete(world, case, "rights_notice")
    inspection = complete(world, case, "inspection_record")
    rec.void_record(world.officer, inspection, "填错了")
    for serial, words in ((rights.serial, "不是需要音像记录的执法环节笔录"), (inspection.serial, "已作废"),
                          (inspection.serial + 5, "没有第")):
        with pytest.raises(ValidationError) as refused:
            record(world, case, code, {"act_serial": serial})
        assert words in refused.value.messages[0] and "LQ 22" in refused.value.messages[0]
    assert not Record.objects.filter(case=case, record_type__code=code).exists()


def test_a_note_revised_to_name_an_act_not_yet_made_is_refused(world):
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    inspection = complete(world, case, "inspection_record")
    note = record(world, case, "av_stop_note", {"act_serial": inspection.serial})
    content = dict(note.versions.order_by("-number").first().content, act_serial=inspection.serial + 3)
    with pytest.raises(ValidationError, match="不能预先说明"):
        rec.revise_record(world.officer, note, content, "改号")
    assert note.versions.count() == 1


def test_a_note_naming_no_act_is_a_400_over_http_and_its_refusal_is_logged(client, world):
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    rt = RecordType.objects.get(code="av_not_suitable")
    data = dict(fill(rt), act_serial=99, type=rt.code)
    client.force_login(world.officer)
    before = Entry.objects.filter(action="records.refused").count()
    r = client.post(reverse("records:new", args=[case.pk]) + f"?type={rt.code}", data)
    assert r.status_code == 400 and "本案没有第99号记录" in r.content.decode()
    assert Entry.objects.filter(action="records.refused", actor_id=world.officer.pk).count() == before + 1
    assert not Record.objects.filter(case=case, record_type=rt).exists()


# ---- 2. a field trip declared in time (AS 12) ---------------------------------------------------------

def test_a_trip_declared_within_the_24_hours_covers_footage_recorded_before_the_declaration(world, tmp_path,
                                                                                           monkeypatch):
    now = timezone.now()
    with clock_at(monkeypatch, now - 72 * H):
        camera(world)
    with clock_at(monkeypatch, now - 30 * H):
        # Out since 40 hours ago, declared 10 hours into the trip — while the footage of 36 hours
        # ago could still have been stored in time (it was due 12 hours ago, after the declaration).
        services.declare_field_trip(world.officer, world.officer, starts_at=now - 40 * H, ends_at=now + 24 * H,
                                    place="县北部山区水库", reason="连续开展汛前检查")
    assert late(clip(tmp_path, recorded=now - 36 * H)) is None


def test_a_back_dated_trip_is_named_as_declared_too_late(world, tmp_path, monkeypatch):
    now = timezone.now()
    with clock_at(monkeypatch, now - 72 * H):
        camera(world)
    item = clip(tmp_path, recorded=now - 48 * H)
    services.declare_field_trip(world.officer, world.officer, starts_at=now - 50 * H, ends_at=now + 24 * H,
                                place="县北部山区水库", reason="补报")
    verdict = late(item)
    assert verdict.status == "late" and verdict.trip is None and verdict.trip_declared_late is not None
    assert "晚于本应存储的时间" in verdict.message and "AS 12" in verdict.message


# ---- 3. whose statement of the camera clock moves the recording time ---------------------------------

def test_the_officers_own_stated_clock_is_shown_not_applied(world, tmp_path, staging):  # noqa: F811
    now = timezone.now()
    camera(world)
    data = video(tmp_path / "a.mp4", 1.0, creation_time=iso_utc(now - 30 * H)).read_bytes()
    r = Api(user=world.officer).upload("DCIM/OWN00001.MP4", data, "JL00001", device_time=(now - 7 * H).isoformat())
    assert r.status_code == 200, r.content
    verdict = late(FootageItem.objects.get(name="OWN00001.MP4"))
    assert verdict is not None and verdict.drift_ms is None and verdict.stated_drift_ms is not None
    assert "上传人自报设备时间误差" in verdict.message and "未予校正" in verdict.message


def test_a_clock_read_by_the_device_admin_moves_the_recording_time(world, tmp_path, staging, monkeypatch):  # noqa: F811
    from liuhen.testing.devices import device_admin

    now = timezone.now()
    with clock_at(monkeypatch, now - 72 * H):
        camera(world)
    admin = device_admin(world, username="shebei2")
    # The camera's clock is 28 hours slow (not "never set"): a recording it stamps 30 hours ago was
    # made 2 hours ago — and the 设备管理员, not the officer, read that clock.
    data = video(tmp_path / "b.mp4", 1.0, creation_time=iso_utc(now - 30 * H)).read_bytes()
    r = Api(user=admin).upload("DCIM/ADM00001.MP4", data, "JL00001", device_time=(now - 28 * H).isoformat())
    assert r.status_code == 200, r.content
    item = FootageItem.objects.get(name="ADM00001.MP4")
    assert item.officer_id == world.officer.pk
    assert late(item) is None  # the drift a 设备管理员 read off the camera is applied


# ---- 4. interruptions of the actual gap (LQ 22) ---------------------------------------------------------

def _inspection(world, start):
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    return case, record(world, case, "inspection_record", {"time": local(start)})


def test_a_stop_after_a_file_the_recording_resumed_from_is_refused(world, tmp_path):
    start = (timezone.now() - 60 * M).replace(second=0, microsecond=0)
    case, inspection = _inspection(world, start)
    camera(world)
    a, b = clip(tmp_path, recorded=start, seconds=2), clip(tmp_path, recorded=start + 3 * M, seconds=2)
    link(world, a, inspection)
    link(world, b, inspection)
    with pytest.raises(ValidationError, match="已有恢复记录"):
        services.note_interruption(world.officer, inspection, a, None, "电池耗尽")
    assert not Interruption.objects.exists()


def test_a_note_of_a_to_c_with_b_between_is_refused_and_each_gap_is_explained(world, tmp_path):
    start = (timezone.now() - 60 * M).replace(second=0, microsecond=0)
    case, inspection = _inspection(world, start)
    camera(world)
    a, b, c = (clip(tmp_path, recorded=start + k * 3 * M, seconds=2) for k in range(3))
    for item in (a, b, c):
        link(world, item, inspection)
    with pytest.raises(ValidationError, match="分别说明"):
        services.note_interruption(world.officer, inspection, a, c, "换电池")
    services.note_interruption(world.officer, inspection, a, b, "换电池")
    assert len([p for p in av_problems(case) if "中断" in p]) == 1  # b→c still unexplained
    services.note_interruption(world.officer, inspection, b, c, "换存储卡")
    assert [g.note.reason for g in case_av(case)[0].gaps] == ["换电池", "换存储卡"]
    assert av_problems(case) == []


def test_a_stop_cannot_be_noted_on_a_stage_already_left(world, tmp_path):
    start = (timezone.now() - 60 * M).replace(second=0, microsecond=0)
    case, inspection = _inspection(world, start)
    camera(world)
    a = clip(tmp_path, recorded=start, seconds=2)
    link(world, a, inspection)
    complete(world, case, "inquiry_record")
    case = cases.advance(world.officer, case, note="调查终结")
    assert case.stage != inspection.stage
    with pytest.raises(ValidationError, match="阶段已结束"):
        services.note_interruption(world.officer, inspection, a, None, "电池耗尽")


# ---- the case page offers write actions only where the act can still be done --------------------------

def test_a_stage_already_left_offers_no_write_actions(client, world, tmp_path):
    start = (timezone.now() - 60 * M).replace(second=0, microsecond=0)
    case, inspection = _inspection(world, start)
    camera(world)
    link(world, clip(tmp_path, recorded=start, seconds=2), inspection)
    client.force_login(world.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "记录中断未能恢复" in page and "外出执法申报</a>" in page
    complete(world, case, "inquiry_record")
    case = cases.advance(world.officer, case, note="调查终结")
    assert case.stage != "investigation"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    part = page[page.index('id="av-investigation"'):]
    part = part[:part.index('class="av-part"', 10)] if 'class="av-part"' in part[10:] else part
    assert "记录中断未能恢复" not in part and "关联到本笔录" not in part and "记录中断原因" not in part


def test_a_stage_left_offers_what_cures_an_archive_problem(client, world, tmp_path):
    from liuhen.footage import services as footage
    from liuhen.footage.models import FootageLink

    start = (timezone.now() - 60 * M).replace(second=0, microsecond=0)
    case, inspection = _inspection(world, start)
    camera(world)
    item = clip(tmp_path, recorded=start, seconds=2)
    link(world, item, inspection)
    complete(world, case, "inquiry_record")
    case = cases.advance(world.officer, case, note="调查终结")
    # Unlinked from the act after the stage was left, kept on the stage: the archive would stop
    # (avrules.gates) — so the left stage offers attaching it back, and nothing else.
    footage.unlink(world.officer, FootageLink.objects.get(item=item, record_id=inspection.pk), "误关联")
    footage.link(world.officer, item, case, "investigation")
    client.force_login(world.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    part = page[page.index('id="av-investigation"'):]
    part = part[:part.index('class="av-part"', 10)] if 'class="av-part"' in part[10:] else part
    assert "关联到本笔录" in part and "记录中断未能恢复" not in part
