"""The legal review (法制审核, issue 17) as oversight sees it: its clock is the legal review's own
(legalreview.clock: the extension, the pause while waiting for materials), read set-based; F010 asks
"major" of the 认定 (else the proposal) and a passed review or a ruling to proceed of the decision."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liuhen.legalreview import clock as lr_clock
from liuhen.legalreview import services
from liuhen.oversight import vocabulary as v
from liuhen.oversight.finding_models import ClockStatus
from liuhen.profiles.spec import MajorCriterion
from liuhen.records.models import Record
from liuhen.testing.cases import complete, sign_all
from liuhen.testing.findings import clocks, codes, found, profile_with
from liuhen.testing.legalreview import major_case, points, qualify, submitted

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _decision(case):
    return Record.objects.get(case=case, record_type__code="decision", void__isnull=True)


def test_the_clock_is_the_submission_s_and_an_approved_extension_moves_it(world):
    sub = submitted(world)
    c = clocks(sub.case)["legal_review"]
    own = lr_clock.clock_of(sub)
    assert (c.started_at, c.due_at, c.extended, c.status) == (sub.submitted_at, own.due_at, False, ClockStatus.RUNNING)
    assert (c.subject_kind, c.subject_id) == ("submission", str(sub.pk))
    req = services.request_extension(world.reviewer, sub, reason="案情复杂，需核实多份鉴定意见")
    assert clocks(sub.case)["legal_review"].due_at == own.due_at  # asked, not yet approved
    services.decide_extension(world.agency_head, req, approved=True, opinion="同意延长")
    c = clocks(sub.case)["legal_review"]
    extended = lr_clock.clock_of(sub)
    assert c.extended and extended.extended and c.due_at == extended.due_at > own.due_at
    assert "延长" in c.period
    # LW-L 16: past the first period but within the extension, the review is not overdue.
    between = own.due_at + DAY
    assert between < c.due_at
    assert v.LEGAL_REVIEW_OVERDUE not in codes(sub.case, now=between)
    rows = [f for f in found(sub.case, now=c.due_at + DAY) if f.code == v.LEGAL_REVIEW_OVERDUE]
    assert len(rows) == 1 and rows[0].due_at == c.due_at and rows[0].article == c.article


def test_a_clock_waiting_for_materials_is_paused_never_overdue_and_the_wait_is_added(world):
    sub = submitted(world)
    qualify(world)
    before = clocks(sub.case)["legal_review"].due_at
    req = services.request_materials(world.reviewer, sub, what="补充当事人营业执照复印件")
    later = before + 30 * DAY
    c = clocks(sub.case, now=later)["legal_review"]
    assert c.status == ClockStatus.PAUSED == lr_clock.clock_of(sub, now=later).status
    assert c.due_at == lr_clock.clock_of(sub, now=later).due_at
    assert v.LEGAL_REVIEW_OVERDUE not in codes(sub.case, now=later)
    services.answer_request(world.officer, req, note="已补充营业执照复印件")
    c = clocks(sub.case)["legal_review"]
    own = lr_clock.clock_of(sub)
    assert c.status == ClockStatus.RUNNING == own.status and c.due_at == own.due_at >= before
    assert v.LEGAL_REVIEW_OVERDUE in codes(sub.case, now=c.due_at + DAY)


def test_the_review_signed_meets_the_clock(world):
    sub = submitted(world)
    qualify(world)
    services.review(world.reviewer, sub, points=points(), outcome="同意", opinion="事实清楚，同意。")
    c = clocks(sub.case, now=timezone.now() + 60 * DAY)["legal_review"]
    assert c.status == ClockStatus.MET and c.met_at == sub.review.reviewed_at


def test_cases_without_a_submission_keep_the_record_anchors(world):
    from liuhen.testing.cases import make_record, to_decision

    case = to_decision(world)
    record = make_record(world, case, "legal_review_record")
    c = clocks(case)["legal_review"]
    assert c.started_at == record.created_at and not c.extended and c.subject_kind == ""


def test_the_legal_review_facts_are_read_set_based(world):
    from liuhen.oversight import engine

    subs = [submitted(world)]
    engine.evaluate([subs[0].case_id])  # warm the per-process caches (record type names, profiles)
    with CaptureQueriesContext(connection) as one:
        engine.evaluate([subs[0].case_id])
    for _ in range(2):
        sub = submitted(world)
        services.request_extension(world.reviewer, sub, reason="案情复杂")
        subs.append(sub)
    with CaptureQueriesContext(connection) as three:
        out = engine.evaluate([s.case_id for s in subs])
    assert len(three.captured_queries) <= len(one.captured_queries) + 2
    assert all(any(c.deadline == "legal_review" for c in out[s.case_id][1]) for s in subs)


# ---- F010 -----------------------------------------------------------------------------------------

WARNING_ONLY = {"penalty_kind": "警告", "fine_amount": ""}


def test_F010_the_proposal_from_the_handling_opinion_marks_a_completed_decision_major(world):
    case = major_case(world, penalty=WARNING_ONLY)  # a warning: not major by the base profile
    warn_major = profile_with(case, major=(MajorCriterion("warn", "警告", "penalty_kind", "in", ("warning",),
                                                          "LW-L 7"),))
    assert v.LEGAL_REVIEW_MISSING not in codes(case, profile=warn_major)  # the decision is a draft
    sign_all(world, _decision(case))
    assert v.LEGAL_REVIEW_MISSING not in codes(case)
    rows = [f for f in found(case, profile=warn_major) if f.code == v.LEGAL_REVIEW_MISSING]
    assert len(rows) == 1 and "警告" in rows[0].message and "LW-L 7" in rows[0].article
    assert rows[0].subject_id == str(_decision(case).pk)


def test_F010_the_assessment_decides_and_a_passed_review_or_a_ruling_to_proceed_clears_it(world):
    case = major_case(world)  # 责令停产停业: major by the proposal
    services.assess(world.officer, case, major=False, reason="责令停产停业系依法律规定的从轻情节，经研究不属于重大")
    sign_all(world, _decision(case))  # the gate lets a case assessed not major decide
    assert v.LEGAL_REVIEW_MISSING not in codes(case)  # the assessment overrides the proposal
    services.assess(world.officer, case, major=True)
    rows = [f for f in found(case) if f.code == v.LEGAL_REVIEW_MISSING]
    assert len(rows) == 1 and "经认定属于重大执法决定" in rows[0].message
    sub = services.submit(world.officer, case, note="补送法制审核")
    qualify(world)
    review = services.review(world.reviewer, sub, points=points(law="裁量过重"), outcome="变更",
                             opinion="建议降低处罚幅度。")
    assert v.LEGAL_REVIEW_MISSING in codes(case)  # 变更: not passed
    dis = services.disagree(world.officer, review, opinion="情节严重，应责令停产停业。")
    assert v.LEGAL_REVIEW_MISSING in codes(case)
    minutes = complete(world, case, "collective_discussion")
    services.rule(world.agency_head, dis, discussion=minutes, conclusion="follow_unit", opinion="按拟定决定办理。")
    assert v.LEGAL_REVIEW_MISSING not in codes(case)


def test_F010_a_passed_review_clears_it(world):
    case = major_case(world)
    services.assess(world.officer, case, major=False, reason="经研究不属于重大执法决定的情形")
    sign_all(world, _decision(case))
    services.assess(world.officer, case, major=True)
    assert v.LEGAL_REVIEW_MISSING in codes(case)
    sub = services.submit(world.officer, case)
    qualify(world)
    services.review(world.reviewer, sub, points=points(), outcome="同意", opinion="同意。")
    assert v.LEGAL_REVIEW_MISSING not in codes(case)


def test_a_stored_paused_clock_is_nobody_s_overdue_deadline(world):
    from liuhen.oversight import engine, selectors
    from liuhen.oversight.finding_models import Clock

    sub = submitted(world)
    qualify(world)
    services.request_materials(world.reviewer, sub, what="补充当事人营业执照复印件")
    engine.recheck([sub.case_id])
    stored = Clock.objects.get(case=sub.case, deadline="legal_review")
    assert stored.status == ClockStatus.PAUSED
    later = stored.due_at + 30 * DAY
    assert selectors.clock_view(stored, later).status == selectors.PAUSED
    assert not any(cv.clock.pk == stored.pk for cv in selectors.my_deadlines(world.reviewer, later))
    assert not any(cv.clock.pk == stored.pk for cv in selectors.my_deadlines(world.agency_head, later))
