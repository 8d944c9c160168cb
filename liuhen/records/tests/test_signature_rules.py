"""Who must approve is configuration per kind and procedure (issue 12 §2), and nobody reviews or
approves their own case."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.cases.models import CaseOfficer
from liuhen.records import rules, selectors, services
from liuhen.records.models import Signature, SignerRole
from liuhen.testing.records import at_decision, rtype

APPROVAL = {"reason": "日常巡查发现违法嫌疑。", "party": "王建国", "handler_opinion": "建议立案调查。"}


def test_rule_from_json():
    assert rules.SignatureRule.from_json({"officers": 2, "party": True}) == rules.SignatureRule(officers=2, party=True)
    assert rules.SignatureRule.from_json({"leader": True}).leader == "any"
    assert rules.SignatureRule.from_json({"leader": "agency_head"}).roles_for("leader") == {Role.AGENCY_HEAD}
    assert rules.SignatureRule.from_json({}).requires("leader") is False


def test_overrides_are_data_with_their_citation():
    for o in rules.OVERRIDES:
        assert o.id and o.basis.startswith("《") and "第五十七条" in o.basis
        assert not rules.rule_errors({**{"officers": 1}, **o.value})
    assert rules.effective_rule({"leader": True}, "penalty", "general", "leader_approval").leader == "agency_head"
    assert rules.effective_rule({"leader": True}, "penalty", "simplified", "leader_approval").leader == "any"
    assert rules.effective_rule({"leader": True}, "inspection", "general", "leader_approval").leader == "any"


def approval_record(world, **kw):
    case = at_decision(world, **kw)
    return services.create_record(world.officer, case, rtype("leader_approval"), {"matter": "处理意见"})


def test_penalty_approval_needs_the_agency_head(world):
    record = approval_record(world)  # world.open_case: a general-procedure penalty
    with pytest.raises(PermissionDenied) as exc:
        services.sign_as_leader(world.unit_head, record)
    assert "须由机关负责人审批" in str(exc.value) and "行政处罚法》第五十七条" in str(exc.value)
    assert not Signature.objects.filter(record=record).exists()
    st = selectors.record_with_state(record.pk)
    assert st.missing == ["机关负责人签字"]
    services.sign_as_leader(world.agency_head, record, opinion="同意处理意见。")
    assert selectors.record_with_state(record.pk).complete


def test_a_unit_heads_signature_does_not_satisfy_an_agency_head_rule(world):
    """A leader signature by a unit head (e.g. made under a looser rule, or inserted) counts for
    nothing where the record asks for the 机关负责人."""
    record = approval_record(world)
    sig = Signature(record=record, version=record.versions.get(), role=SignerRole.LEADER, signer=world.unit_head,
                    signer_name="陈队长", recorded_by=world.unit_head, decision="同意", digest="0" * 64)
    sig.save()
    assert selectors.record_with_state(record.pk).missing == ["机关负责人签字"]


def test_inspection_approval_takes_the_unit_head(world):
    record = approval_record(world, kind="inspection")
    services.sign_as_leader(world.unit_head, record)
    assert selectors.record_with_state(record.pk).complete


def test_sign_form_not_offered_to_the_unit_head(client, world):
    record = approval_record(world)
    client.force_login(world.unit_head)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert 'name="as" value="leader"' not in page and "尚缺：机关负责人签字" in page
    client.force_login(world.agency_head)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert 'name="as" value="leader"' in page and ">机关负责人签字<" in page


# ---- nobody reviews or approves their own case ---------------------------------------------------

@pytest.fixture
def reviewer_on_case(world):
    """A legal reviewer who is also an officer, named on the case."""
    today = timezone.localdate()
    user = acc.create_user(None, username="fazhi2", full_name="何审核", password=world.PASSWORD,
                           agency=world.agency, unit=world.unit, roles=[Role.OFFICER, Role.LEGAL_REVIEWER])
    acc.issue_certificate(None, user, number="1401008888", valid_from=today - datetime.timedelta(days=30),
                          valid_until=today + datetime.timedelta(days=365))
    case = at_decision(world)
    CaseOfficer.objects.create(case=case, officer=user, certificate_number="1401008888", assigned_by=world.officer)
    return user, case


def test_officer_of_the_case_cannot_review_it(client, world, reviewer_on_case):
    user, case = reviewer_on_case
    review = services.create_record(world.officer, case, rtype("legal_review_record"), {"matter": "送审"})
    with pytest.raises(PermissionDenied) as exc:
        services.sign_in_capacity(user, review, SignerRole.REVIEWER)
    assert str(exc.value) == "您是本案的承办人员或办理过本案（立案、制作记录等），不能在本案中以法制审核人员身份签字。"
    client.force_login(user)
    page = client.get(reverse("records:detail", args=[review.pk])).content.decode()
    assert 'value="reviewer"' not in page
    assert client.post(reverse("records:sign", args=[review.pk]), {"as": "reviewer", "decision": "同意"}).status_code == 403
    services.sign_in_capacity(world.reviewer, review, SignerRole.REVIEWER)  # an independent reviewer may


def test_the_person_who_opened_the_case_cannot_approve_in_it(world):
    """A unit head who opened the case approves none of its records, though on no team."""
    case = world.open_case(officer=world.unit_head, officers=[world.officer, world.officer2])
    record = services.create_record(world.officer, case, rtype("start_approval"), dict(APPROVAL))
    with pytest.raises(PermissionDenied, match="不能在本案中以负责人身份签字"):
        services.sign_as_leader(world.unit_head, record)
    services.sign_as_leader(world.agency_head, record)
