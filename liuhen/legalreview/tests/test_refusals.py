"""Each refused act of the legal review (issue 17, bad input): a clear Chinese message, nothing
half-written, and the refusal itself in the ledger (legalreview.refused, its codes, never its text)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.cases import services as cases
from liuhen.cases.models import Stage
from liuhen.legalreview import selectors as s
from liuhen.legalreview import services
from liuhen.legalreview import vocabulary as v
from liuhen.legalreview.models import Assessment, ExtensionDecision, MaterialAnswer, Review, Ruling, Submission
from liuhen.records import services as rec
from liuhen.records.models import Record, RecordType
from liuhen.testing.cases import complete
from liuhen.testing.documents_verify import events
from liuhen.testing.legalreview import major_case, passed, points, qualify, submitted

pytestmark = pytest.mark.django_db


def _refused(act):
    return [e for e in events(v.REFUSED) if e["detail"].get("act") == act]


def test_an_override_of_the_proposal_needs_a_reason(world):
    case = major_case(world)
    with pytest.raises(ValidationError, match="必须说明理由"):
        services.assess(world.officer, case, major=False)
    assert not Assessment.objects.exists() and _refused("assess")
    a = services.assess(world.officer, case, major=False, reason="处罚种类拟改为罚款，不属于重大执法决定")
    assert a.proposed and not a.major and s.status(case).code == s.NOT_MAJOR
    with pytest.raises(ValidationError, match="未认定为重大执法决定"):
        services.submit(world.officer, case)


def test_a_judgement_criterion_makes_a_case_major(world):
    case = major_case(world, penalty={"penalty_kind": "罚款", "fine_amount": "2000"})
    assert not s.propose(case).major
    with pytest.raises(ValidationError, match="不是本机关"):
        services.assess(world.officer, case, major=True, judged=["nonsense"])
    services.assess(world.officer, case, major=True, judged=["complex"])
    assert s.status(case).code == s.NOT_SUBMITTED


def test_submitting_twice_and_outsiders(world):
    sub = submitted(world)
    with pytest.raises(ValidationError, match="审核尚未完成"):
        services.submit(world.officer, sub.case)
    with pytest.raises(PermissionDenied):
        services.submit(world.outsider, sub.case)
    assert Submission.objects.count() == 1
    assert Record.objects.filter(record_type__code="legal_review_record").count() == 1


def test_a_reviewer_who_worked_on_the_case_may_not_review_it(world):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    sub = submitted(world)
    # The officer who handled the case also holds the reviewer's role: still not for this case.
    acc.grant_role(None, world.officer, Role.LEGAL_REVIEWER)
    qualify(world, world.officer)
    with pytest.raises(PermissionDenied, match="不能审核本案"):
        services.review(world.officer, sub, points=points(), outcome="同意", opinion="同意")
    with pytest.raises(PermissionDenied, match="只有法制审核人员"):
        services.review(world.unit_head, sub, points=points(), outcome="同意", opinion="同意")
    assert not Review.objects.exists() and len(_refused("review")) == 2


def test_outcomes_are_checked_against_the_points(world):
    sub = submitted(world)
    qualify(world)
    with pytest.raises(ValidationError, match="请选择审核结论"):
        services.review(world.reviewer, sub, points=points(), outcome="随便", opinion="意见")
    with pytest.raises(ValidationError, match="写明问题"):
        services.review(world.reviewer, sub, points=points(facts=""), outcome="变更", opinion="意见")
    with pytest.raises(ValidationError, match="移送"):
        services.review(world.reviewer, sub, points=points(), outcome="移送", opinion="涉嫌犯罪")
    assert not Review.objects.exists()
    assert not sub.record.signatures.exists()  # the record is not signed either


def test_material_requests(world):
    sub = submitted(world)
    qualify(world)
    req = services.request_materials(world.reviewer, sub, what="补充当事人营业执照")
    with pytest.raises(ValidationError, match="尚未答复"):
        services.request_materials(world.reviewer, sub, what="再补充")
    with pytest.raises(ValidationError, match="尚未答复"):
        services.review(world.reviewer, sub, points=points(), outcome="同意", opinion="同意")
    with pytest.raises(ValidationError, match="补充说明"):
        services.answer_request(world.officer, req, note="  ")
    services.answer_request(world.officer, req, note="已补充营业执照复印件")
    with pytest.raises(ValidationError, match="已答复"):
        services.answer_request(world.officer, req, note="again")
    assert MaterialAnswer.objects.count() == 1
    with pytest.raises(ValidationError, match="1到60"):
        services.request_materials(world.reviewer, sub, what="x", days=0)


def test_extension_needs_the_head_and_a_refusal_states_why(world):
    sub = submitted(world)
    req = services.request_extension(world.reviewer, sub, reason="案情复杂")
    with pytest.raises(PermissionDenied):
        services.decide_extension(world.unit_head, req, approved=True)
    with pytest.raises(ValidationError, match="意见"):
        services.decide_extension(world.agency_head, req, approved=False)
    assert not ExtensionDecision.objects.exists()
    services.decide_extension(world.agency_head, req, approved=False, opinion="期限内可以审结")
    again = services.request_extension(world.reviewer, sub, reason="确需延长")
    services.decide_extension(world.agency_head, again, approved=True)
    with pytest.raises(ValidationError, match="延长过一次"):
        services.request_extension(world.reviewer, sub, reason="第三次")


def test_a_ruling_needs_a_complete_collective_discussion(world):
    sub = submitted(world)
    qualify(world)
    review = services.review(world.reviewer, sub, points=points(procedure="未告知听证权利"), outcome="纠正程序",
                             opinion="应告知听证权利后再作决定。")
    with pytest.raises(PermissionDenied):
        services.disagree(world.outsider, review, opinion="不同意")
    dis = services.disagree(world.unit_head, review, opinion="已口头告知，程序合法。")
    draft = rec.create_record(world.officer, sub.case, RecordType.objects.get(code="collective_discussion"),
                              {"time": "2026-11-30T09:00", "place": "局会议室", "participants": "局长、副局长",
                               "discussion": "讨论", "conclusion": "按拟定决定办理"})
    with pytest.raises(ValidationError, match="尚未完成"):
        services.rule(world.agency_head, dis, discussion=draft, conclusion="follow_unit", opinion="按拟定决定办理")
    minutes = complete(world, sub.case, "collective_discussion")
    with pytest.raises(PermissionDenied):
        services.rule(world.unit_head, dis, discussion=minutes, conclusion="follow_unit", opinion="x")
    assert not Ruling.objects.exists()
    services.rule(world.agency_head, dis, discussion=minutes, conclusion="follow_review", opinion="采纳审核意见")
    assert s.status(sub.case).code == s.RULED_REVIEW
    with pytest.raises(ValidationError, match="重大执法决定"):
        rec.sign_as_officer(world.officer, Record.objects.get(case=sub.case, record_type__code="decision"))


def test_send_back_starts_a_new_pass(world):
    sub = submitted(world)
    qualify(world)
    services.review(world.reviewer, sub, points=points(facts="违法所得数额未查清"), outcome="补充调查或不予决定",
                    opinion="退回补充调查。")
    case = cases.send_back(world.officer, sub.case, "法制审核意见：补充调查")
    assert case.stage == Stage.INVESTIGATION
    complete(world, case, "inquiry_record")
    case = cases.advance(world.officer, case, note="补充调查终结")
    assert s.status(case).code == s.NOT_SUBMITTED  # the earlier submission belongs to the earlier pass


def test_a_changed_decision_after_the_review_is_refused(world):
    sub = passed(world)
    decision = Record.objects.get(case=sub.case, record_type__code="decision")
    from liuhen.records.selectors import record_with_state

    content = dict(record_with_state(decision.pk).latest.content)
    rec.revise_record(world.officer, decision, {**content, "content": "改为罚款十万元"}, "修改决定内容")
    with pytest.raises(ValidationError, match="重新送法制审核"):
        rec.sign_as_officer(world.officer, decision)


def test_issuing_is_held_by_the_gate_too(world):
    """A decision signed before the case was found major (a later assessment) is still not issued."""
    from liuhen.documents import services as documents
    from liuhen.testing.cases import sign_all

    case = major_case(world, penalty={"penalty_kind": "罚款", "fine_amount": "2000"})
    decision = Record.objects.get(case=case, record_type__code="decision")
    sign_all(world, decision)
    services.assess(world.officer, case, major=True, judged=["complex"])
    with pytest.raises(ValidationError, match="重大执法决定"):
        documents.issue_document(world.officer, decision)
    from liuhen.cases.gates import transition_blockers

    assert any("重大执法决定" in p for p in transition_blockers(case))


def test_a_submitted_matter_is_not_signed_around_the_review(world):
    sub = submitted(world)
    qualify(world)
    with pytest.raises(ValidationError, match="逐项审核"):
        rec.sign_in_capacity(world.reviewer, Record.objects.get(pk=sub.record_id), "reviewer", decision="同意",
                             opinion="同意")
    assert not Record.objects.get(pk=sub.record_id).signatures.exists()
    services.review(world.reviewer, sub, points=points(), outcome="同意", opinion="同意。")
    assert s.status(sub.case).code == s.PASSED


def test_an_override_holds_only_for_the_facts_it_was_made_on(world):
    case = major_case(world, penalty={"penalty_kind": "罚款", "fine_amount": "2000"})
    services.assess(world.officer, case, major=False)
    assert s.status(case).code == s.NOT_MAJOR
    opinion = Record.objects.get(case=case, record_type__code="handling_opinion")
    rec.void_record(world.officer, opinion, "处罚建议改变")
    from liuhen.testing.cases import fill, sign_all

    rt = RecordType.objects.get(code="handling_opinion")
    sign_all(world, rec.create_record(world.officer, case, rt, {**fill(rt), "penalty_kind": "吊销许可证件"}))
    assert s.status(case).code == s.NOT_SUBMITTED  # the heavier proposal is major again
