"""Start modes (issue 12 §3; BX 5, LC 7-9, LQ 8): a case closed at its start (不予受理, a real-name
complaint answered in writing) goes straight to 归档管理; an emergency start may go on before its
approval, which a leader signs within 24 hours."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.cases import selectors
from liuhen.cases import services as cases
from liuhen.cases.models import Case, Stage, StageTransition
from liuhen.ledger.models import Entry
from liuhen.records import services as rec
from liuhen.records.selectors import timeline
from liuhen.testing.cases import add_person, complete, make_record, sign_all


def application_case(world, **kw):
    return world.open_case(start_mode="application", on_site=False, officers=[], title="取水许可申请", **kw)


def statuses(case) -> list[str]:
    return [s["status"] for s in timeline(Case.objects.get(pk=case.pk))]


# ---- 不予受理 / 不予立案: closed at the start ----------------------------------------------------

def test_non_acceptance_closes_the_case_straight_to_the_archive(world):
    case = application_case(world)
    complete(world, case, "non_acceptance_decision")
    case = cases.close_at_start(world.officer, case, "申请材料不符合法定形式")
    assert case.stage == Stage.ARCHIVE and not case.is_archived
    st = StageTransition.objects.filter(case=case).last()
    assert (st.from_stage, st.to_stage, st.note) == (Stage.START, Stage.ARCHIVE, "申请材料不符合法定形式")
    assert Entry.objects.filter(action="case.transition", object_id=str(case.pk)).count() == 1
    # The skipped stages are 未进行 (skipped), not done.
    assert statuses(case) == ["done", "skipped", "skipped", "skipped", "current"]
    # Its archive still needs the 归档登记表 signed by the archivist — and no 结案报告.
    assert [tuple(r) for r in cases.missing_requirements(case)] == [("archive_register",)]
    assert cases.transition_blockers(case) == ["缺少已签字的归档登记表"]
    complete(world, case, "archive_register")
    assert cases.transition_blockers(case) == []
    case = cases.advance(world.officer, case, "归档")
    assert case.is_archived
    assert statuses(case) == ["done", "skipped", "skipped", "skipped", "done"]


def test_a_complaint_not_pursued_closes_with_the_written_reply(world):
    case = world.open_case(start_mode="complaint", on_site=False, officers=[])
    complete(world, case, "complaint_register")
    with pytest.raises(ValidationError) as exc:
        cases.close_at_start(world.officer, case)
    assert "缺少已签字的举报答复书" in exc.value.messages
    complete(world, case, "complaint_reply")
    case = cases.close_at_start(world.officer, case)
    assert case.stage == Stage.ARCHIVE
    assert case.transitions.last().note == "经审查不予立案，已书面答复举报人"


def test_close_refused_without_the_signed_decision(world):
    case = application_case(world)
    make_record(world, case, "non_acceptance_decision")  # drafted, not signed
    with pytest.raises(ValidationError) as exc:
        cases.close_at_start(world.officer, case)
    assert exc.value.messages == ["不能在程序启动阶段结案：", "缺少已签字的不予受理决定书"]
    assert Case.objects.get(pk=case.pk).stage == Stage.START


def test_close_refused_for_an_ex_officio_case_and_outside_the_start(world):
    case = world.open_case()
    with pytest.raises(ValidationError) as exc:
        cases.close_at_start(world.officer, case)
    assert "只有依申请或举报投诉启动的案件可以不予受理或不予立案结案。" in exc.value.messages
    case = world.to_investigation(case)
    with pytest.raises(ValidationError) as exc:
        cases.close_at_start(world.officer, case)
    assert "只有程序启动阶段的案件可以不予受理或不予立案结案。" in exc.value.messages


def test_close_refused_to_someone_not_on_the_case(world):
    case = application_case(world)
    complete(world, case, "non_acceptance_decision")
    with pytest.raises(PermissionDenied):
        cases.close_at_start(world.outsider, case)


def test_non_acceptance_no_longer_opens_an_investigation(world):
    """A 不予受理决定书 ends the case: it does not let the case move on to 调查取证."""
    case = application_case(world)
    add_person(world, case)
    complete(world, case, "non_acceptance_decision")
    assert cases.transition_blockers(case) == ["缺少已签字的程序启动审批表或受理通知书"]


def test_archiving_a_closed_case_rechecks_its_closing_document(world):
    case = application_case(world)
    decision = complete(world, case, "non_acceptance_decision")
    case = cases.close_at_start(world.officer, case)
    complete(world, case, "archive_register")
    rec.void_record(world.officer, decision, "文书有误")
    assert cases.transition_blockers(Case.objects.get(pk=case.pk)) == ["程序启动阶段缺少已签字的不予受理决定书"]


def test_close_view(client, world):
    case = application_case(world)
    client.force_login(world.officer)
    resp = client.post(f"/cases/{case.pk}/close-at-start/", {"note": ""})
    assert resp.status_code == 409
    assert "缺少已签字的不予受理决定书" in resp.content.decode()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "不予受理，结案归档" in page
    complete(world, case, "non_acceptance_decision")
    resp = client.post(f"/cases/{case.pk}/close-at-start/", {"note": "不符合受理条件"})
    assert resp.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert page.count("未进行") >= 3 and "本案于程序启动阶段结案，未进行本阶段。" in page


# ---- 紧急先行启动 -------------------------------------------------------------------------------

def emergency_case(world):
    case = world.open_case(start_mode="emergency", kind="coercion", title="河道阻水障碍物紧急清除")
    add_person(world, case)
    return case


def test_an_emergency_case_leaves_the_start_once_the_approval_is_drafted(world):
    case = emergency_case(world)
    assert cases.transition_blockers(case) == ["缺少紧急先行启动补批表（先行启动后24小时内报负责人补批）"]
    approval = make_record(world, case, "emergency_start_approval")
    rec.sign_as_officer(world.officer, approval)  # the leader has not signed yet
    assert cases.transition_blockers(case) == []
    case = cases.advance(world.officer, case, "情况紧急，先行启动")
    assert case.stage == Stage.INVESTIGATION
    # The leader signs later, in any stage.
    rec.sign_as_leader(world.unit_head, approval)
    clock = selectors.emergency_clock(case)
    assert clock.approved and not clock.late and clock.label == "已按时补批"


def test_archiving_an_emergency_case_needs_the_signed_approval(world):
    case = emergency_case(world)
    approval = make_record(world, case, "emergency_start_approval")
    rec.sign_as_officer(world.officer, approval)
    case = cases.advance(world.officer, case)
    from liuhen.records.gates import record_gate

    # What archiving will ask (the case would be in 归档管理): the approval, signed by the leader.
    problems = record_gate(case, Stage.ARCHIVE, selectors.stage_entries(case))
    assert "程序启动阶段缺少已签字的紧急先行启动补批表" in problems
    rec.sign_as_leader(world.unit_head, approval)
    assert "程序启动阶段缺少已签字的紧急先行启动补批表" not in record_gate(
        case, Stage.ARCHIVE, selectors.stage_entries(case))


def test_the_clock_counts_down_and_then_up(world):
    case = emergency_case(world)
    start = case.created_at
    clock = selectors.emergency_clock(case, now=start + datetime.timedelta(hours=5, minutes=10))
    assert clock.deadline == start + datetime.timedelta(hours=24)
    assert not clock.overdue and clock.hours_left == 18 and clock.label == "剩余 18 小时"
    clock = selectors.emergency_clock(case, now=start + datetime.timedelta(hours=30, minutes=1))
    assert clock.overdue and clock.hours_over == 6 and clock.label == "已超期 6 小时，尚未补批"
    assert selectors.emergency_clock(world.open_case()) is None  # not an emergency start


def test_a_late_approval_is_allowed_and_stays_marked(world, client):
    case = emergency_case(world)
    # The case was opened 30 hours ago (its recorded start).
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - datetime.timedelta(hours=30))
    case = Case.objects.get(pk=case.pk)
    client.force_login(world.officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已超期 6 小时，尚未补批" in page and "emergency-clock overdue" in page
    assert [c.pk for c, _ in selectors.late_emergency_approvals()] == [case.pk]

    approval = make_record(world, case, "emergency_start_approval")
    sign_all(world, approval)
    clock = selectors.emergency_clock(case)
    assert clock.approved and clock.late and clock.label.startswith("超期补批")
    [(late_case, late_clock)] = selectors.late_emergency_approvals(Case.objects.filter(agency=world.agency))
    assert late_case.pk == case.pk and late_clock.late
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "超期补批" in page and "emergency-clock overdue" in page
    # Work goes on: the late approval does not block.
    assert cases.transition_blockers(case) == []


def test_an_approval_in_time_is_not_listed_for_supervision(world):
    case = emergency_case(world)
    sign_all(world, make_record(world, case, "emergency_start_approval"))
    assert selectors.late_emergency_approvals() == []
