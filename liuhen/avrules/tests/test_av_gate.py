"""The AV gate (LQ 19, AS 8): an act that needs audio-video recording keeps its stage from being
left until footage is linked to its record or an approved 不适宜音像记录说明 names it; each problem
in Chinese names the act and the article; an agency changes the table by configuration."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.avrules import rules
from liuhen.avrules.selectors import case_av
from liuhen.cases import services as cases
from liuhen.cases.models import Stage
from liuhen.footage import services as footage
from liuhen.records import services as records
from liuhen.testing.avrules import camera, clip, cover_acts, link, not_suitable, record
from liuhen.testing.cases import complete, to_investigation

pytestmark = pytest.mark.usefixtures("fresh_home")

INSPECTION_PROBLEM = ("现场检查（勘验）（现场检查(勘验)笔录第{n}号）缺少音像记录（视频、录音），"
                      "或经负责人批准的不适宜音像记录说明（依据：LQ 19, AS 8；不适宜的应书面说明原因，AS 8）")


def investigation_done(world):
    """A case in 调查取证 with its rights notice and a signed 现场检查笔录 (no AV yet)."""
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    inspection = complete(world, case, "inspection_record")
    return case, inspection


def av_problems(case):
    return [p for p in cases.transition_blockers(case) if "音像" in p]


def test_inspection_without_av_blocks_and_says_why_in_chinese(world):
    case, inspection = investigation_done(world)
    assert cases.transition_blockers(case) == [INSPECTION_PROBLEM.format(n=inspection.serial)]
    with pytest.raises(ValidationError) as exc:
        cases.advance(world.officer, case)
    assert INSPECTION_PROBLEM.format(n=inspection.serial) in exc.value.messages


def test_footage_linked_to_the_record_lets_the_stage_go(world, tmp_path):
    case, inspection = investigation_done(world)
    camera(world)
    item = clip(tmp_path, recorded=timezone.now() - datetime.timedelta(minutes=30))
    link(world, item, inspection)
    assert cases.transition_blockers(case) == []
    [row] = case_av(case)
    assert row.status == "footage" and row.status_label == "已有音像（1项）"
    assert cases.advance(world.officer, case).stage == Stage.DECISION


def test_footage_of_the_stage_but_not_of_the_record_does_not_count(world, tmp_path):
    case, inspection = investigation_done(world)
    camera(world)
    item = clip(tmp_path, recorded=timezone.now() - datetime.timedelta(minutes=30))
    footage.link(world.officer, item, case, case.stage)  # to the stage, no record named
    assert av_problems(case) == [INSPECTION_PROBLEM.format(n=inspection.serial)]


def test_an_ended_link_does_not_count(world, tmp_path):
    case, inspection = investigation_done(world)
    camera(world)
    item = clip(tmp_path, recorded=timezone.now() - datetime.timedelta(minutes=30))
    row = link(world, item, inspection)
    assert av_problems(case) == []
    footage.unlink(world.officer, row, "关联错了笔录")
    assert av_problems(case) == [INSPECTION_PROBLEM.format(n=inspection.serial)]


def test_approved_not_suitable_note_lets_the_stage_go_a_draft_does_not(world):
    case, inspection = investigation_done(world)
    note = not_suitable(world, inspection, approve=False)  # signed by both officers, no 负责人 yet
    assert av_problems(case) == [
        f"现场检查（勘验）（现场检查(勘验)笔录第{inspection.serial}号）的不适宜音像记录说明（第{note.serial}号）"
        "尚未签字并经负责人批准（依据：AS 8）"]
    assert case_av(case)[0].status_label == "不适宜说明待批准"
    records.sign_as_leader(world.unit_head, note)
    assert cases.transition_blockers(case) == []
    assert case_av(case)[0].status_label == "已批准不适宜说明"


def test_a_leader_who_disagrees_does_not_approve(world):
    case, inspection = investigation_done(world)
    note = not_suitable(world, inspection, approve=False)
    records.sign_as_leader(world.unit_head, note, decision="不同意", opinion="应当录像，可对面部打码")
    assert len(av_problems(case)) == 1


def test_a_note_naming_another_record_or_voided_does_not_count(world):
    case, inspection = investigation_done(world)
    second = complete(world, case, "inspection_record")
    not_suitable(world, second)
    assert av_problems(case) == [INSPECTION_PROBLEM.format(n=inspection.serial)]
    note = not_suitable(world, inspection, approve=False)
    records.void_record(world.officer, note, "重复制作")
    assert av_problems(case) == [INSPECTION_PROBLEM.format(n=inspection.serial)]


def test_a_voided_act_needs_no_av(world):
    case, inspection = investigation_done(world)
    records.void_record(world.officer, inspection, "笔录地点写错，重新制作")
    assert av_problems(case) == []


def test_every_required_act_of_the_table(world):
    """Sampling, hearing and seizure need AV like an inspection; an inquiry is only expected."""
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    made = {code: complete(world, case, code) for code in ("sampling_notice", "hearing_record", "seizure_record",
                                                           "inquiry_record")}
    problems = av_problems(case)
    assert [p.split("（")[0] for p in problems] == ["抽样取证", "举行听证", "查封扣押"]
    assert "第{}号".format(made["seizure_record"].serial) in problems[2] and "依据：LQ 19" in problems[2]
    inquiry = next(r for r in case_av(case) if r.act.id == "inquiry")
    assert inquiry.status_label == "未录（建议录制）" and inquiry.problems() == []


def in_service(world, tmp_path):
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    complete(world, case, "inquiry_record")
    case = cases.advance(world.officer, case)
    for code in ("handling_opinion", "leader_approval", "decision"):
        complete(world, case, code, leader=world.agency_head)
    return cases.advance(world.officer, case)


def test_service_left_at_the_door_needs_av_a_direct_one_does_not(world, tmp_path):
    case = in_service(world, tmp_path)
    record(world, case, "service_receipt", {"method": "直接送达"})
    assert av_problems(case) == []
    left = record(world, case, "service_receipt", {"method": "留置送达", "served_at": "2026-03-11T10:00"})
    assert av_problems(case) == [
        f"留置送达（送达回证第{left.serial}号）缺少音像记录（视频、录音、照片），或经负责人批准的不适宜音像记录说明"
        "（依据：LQ 19；不适宜的应书面说明原因，AS 8）"]
    notice = record(world, case, "service_notice", {})
    assert len(av_problems(case)) == 2 and av_problems(case)[1].startswith(f"公告送达（公告送达记录第{notice.serial}号）")
    # In 送达执行 the note is the stage's own type (a record is made in its own stage).
    n1, n2 = not_suitable(world, left), not_suitable(world, notice)
    assert n1.record_type.code == n2.record_type.code == "av_not_suitable_service"
    assert av_problems(case) == []


def test_archive_rechecks_every_stage(world, tmp_path):
    """Footage unlinked after 调查取证 was left stops the archive, naming the stage."""
    case, inspection = investigation_done(world)
    camera(world)
    row = link(world, clip(tmp_path, recorded=timezone.now() - datetime.timedelta(minutes=30)), inspection)
    case = cases.advance(world.officer, case)
    for code in ("handling_opinion", "leader_approval", "decision"):
        complete(world, case, code, leader=world.agency_head)
    case = cases.advance(world.officer, case)
    complete(world, case, "service_receipt")
    case = cases.advance(world.officer, case)
    footage.unlink(world.officer, row, "误关联")
    assert av_problems(case) == ["调查取证阶段：" + INSPECTION_PROBLEM.format(n=inspection.serial)]


# ---- per-agency configuration ------------------------------------------------------------------

def test_an_agency_requires_inquiries_and_adds_an_act(world):
    # Issue 15: the agency's changes are its profile (av_acts), loaded as a file, no longer a setting.
    from liuhen.profiles import services as profiles

    profiles.load_profile(None, world.agency, """
code: T
name: 测试机关
extends: base
av_acts:
  - {id: inquiry, label: 询问, records: [inquiry_record], article: LQ 19}
  - {id: inspection, label: 现场检查（勘验）, records: [inspection_record], av: optional, article: "LQ 19, AS 8"}
  # LQ 19: an act this agency marks as touching major property.
  - {id: confiscation, label: 罚没物品处理, records: [confiscated_property], article: LQ 19（重大财产权益）}
""", reason="测试")
    acts = {a.id: a for a in rules.acts_for(world.agency)}
    assert acts["inquiry"].required and not acts["inspection"].required
    assert acts["confiscation"].records == (("confiscated_property", ""),) and acts["confiscation"].kinds == (
        "video", "audio")
    case, inspection = investigation_done(world)
    assert av_problems(case) == []  # the inspection is only expected here
    inquiry = complete(world, case, "inquiry_record")
    assert av_problems(case) == [f"询问（询问笔录第{inquiry.serial}号）缺少音像记录（视频、录音），"
                                 "或经负责人批准的不适宜音像记录说明（依据：LQ 19；不适宜的应书面说明原因，AS 8）"]
    # Another agency (none: the packaged default) keeps the table as it is.
    assert rules.acts_for(None) == rules.ACTS


def test_a_bad_override_is_refused_by_name():
    with pytest.raises(ValueError, match="未知字段"):
        rules.acts_for(overrides={"inspection": {"requird": False}})
    with pytest.raises(ValueError, match="须有 label 和 records"):
        rules.acts_for(overrides={"new": {"required": True}})


# ---- the walkers' helper and the case page ------------------------------------------------------

def test_cover_acts_writes_one_approved_note_per_missing_act(world):
    case, inspection = investigation_done(world)
    [note] = cover_acts(world, case)
    assert note.versions.get().content["act_serial"] == inspection.serial
    assert cover_acts(world, case) == [] and cases.transition_blockers(case) == []


def test_case_page_shows_the_av_part(client, world, tmp_path):
    case, inspection = investigation_done(world)
    client.force_login(world.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="av-investigation"' in page and "本阶段应音像记录：现场检查（勘验）、抽样取证、举行听证、查封扣押" in page
    assert "缺少" in page and INSPECTION_PROBLEM.format(n=inspection.serial) in page  # also in the blockers
    camera(world)
    link(world, clip(tmp_path, recorded=timezone.now() - datetime.timedelta(minutes=30)), inspection)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "已有音像（1项）" in page and "avrules/avrules.css" in page
