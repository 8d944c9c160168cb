"""The legal review end to end through the services (issue 17): major → submit → review → the gate."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.legalreview import selectors as s
from liuhen.legalreview import services
from liuhen.legalreview.models import Review, Submission
from liuhen.records import services as rec
from liuhen.records.models import Record
from liuhen.testing.legalreview import major_case, passed, points, qualify, submitted

pytestmark = pytest.mark.django_db


def _decision(case):
    return Record.objects.get(case=case, record_type__code="decision")


def test_proposal_reads_the_penalty_and_the_gate_holds_the_decision(world):
    case = major_case(world)
    proposal = s.propose(case)
    assert proposal.major and "heavy_penalty" in {c.id for c in proposal.met}
    with pytest.raises(ValidationError, match="重大执法决定"):
        rec.sign_as_officer(world.officer, _decision(case))
    assert not _decision(case).signatures.exists()


def test_passed_review_opens_the_gate(world):
    sub = passed(world)
    assert s.status(sub.case).code == s.PASSED
    rec.sign_as_officer(world.officer, _decision(sub.case))
    assert sub.record.signatures.filter(role="reviewer", decision="同意").exists()


def test_submission_missing_materials_is_refused(world):
    case = major_case(world, decision=False)
    services.assess(world.officer, case, major=True)
    with pytest.raises(ValidationError, match="决定书（草稿）"):
        services.submit(world.officer, case)
    assert not Submission.objects.filter(case=case).exists()
    assert not Record.objects.filter(case=case, record_type__code="legal_review_record").exists()


def test_reviewer_of_own_case_outcome_without_opinion_unqualified(world):
    sub = submitted(world)
    with pytest.raises(PermissionDenied, match="法律职业资格"):
        services.review(world.reviewer, sub, points=points(), outcome="同意", opinion="同意")
    qualify(world)
    with pytest.raises(ValidationError, match="审核意见"):
        services.review(world.reviewer, sub, points=points(), outcome="同意", opinion="")
    with pytest.raises(ValidationError, match="逐项审核"):
        services.review(world.reviewer, sub, points={}, outcome="同意", opinion="同意")
    with pytest.raises(ValidationError, match="不能选择“同意”"):
        services.review(world.reviewer, sub, points=points(facts="证据不足"), outcome="同意", opinion="同意")
    assert not Review.objects.exists()


def test_second_extension_is_refused(world):
    sub = submitted(world)
    req = services.request_extension(world.reviewer, sub, reason="案情复杂")
    services.decide_extension(world.agency_head, req, approved=True)
    with pytest.raises(ValidationError, match="延长过一次"):
        services.request_extension(world.reviewer, sub, reason="还要延长")


def test_disagreement_decided_in_collective_discussion(world):
    from liuhen.testing.cases import complete

    sub = submitted(world)
    qualify(world)
    review = services.review(world.reviewer, sub, points=points(law="裁量过重"), outcome="变更",
                             opinion="建议降低处罚幅度。")
    assert s.status(sub.case).code == s.NOT_PASSED
    dis = services.disagree(world.officer, review, opinion="情节严重，应责令停产停业。")
    assert s.status(sub.case).code == s.DISAGREED
    minutes = complete(world, sub.case, "collective_discussion")
    services.rule(world.agency_head, dis, discussion=minutes, conclusion="follow_unit", opinion="经集体讨论，按拟定决定办理。")
    assert s.status(sub.case).code == s.RULED_PASS
    rec.sign_as_officer(world.officer, _decision(sub.case))


def test_clock_runs_from_the_submission_and_extends_once(world):
    from liuhen.legalreview.clock import RUNNING, clock_of
    from liuhen.workdays import calendar

    sub = submitted(world)
    before = clock_of(sub)
    assert before.status == RUNNING and before.period == "10个工作日" and not before.extended
    req = services.request_extension(world.reviewer, sub, reason="案情复杂")
    services.decide_extension(world.agency_head, req, approved=True)
    after = clock_of(sub)
    assert after.extended and after.extension == "10个工作日"
    assert calendar.working_days_between(before.due_at.date(), after.due_at.date()) == 10


def test_material_wait_suspends_the_clock(world):
    from liuhen.legalreview.clock import PAUSED, clock_of

    sub = submitted(world)
    req = services.request_materials(world.reviewer, sub, what="补充现场照片")
    assert clock_of(sub).status == PAUSED
    services.answer_request(world.officer, req, note="已补充")
    assert clock_of(sub).status != PAUSED
