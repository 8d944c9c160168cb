"""Publishing without review and approval is impossible (LW-P 5, 6, 9; issue 20 "Bad input"): every path
by which a version could go online without a reviewer's passed review of every item and then the head's
approval is refused — the refusal recorded (publicity.refused with its code), not one row written."""
import pytest

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.publicity import selectors as s
from liuhen.publicity import services
from liuhen.publicity.models import REVIEW_CHECKS, Step, StepKind
from liuhen.testing.publicity import ALL_CHECKS, publish, refused, reviewed
from liuhen.testing.publicity_workflow_scene import scene_fixture, world_of


# Fines issued, drafted and published in one world (workflow_scene), built once per run and copied in.
scene = scene_fixture("scene", "workflow_scene")


@pytest.fixture
def world(request, db):
    return world_of(request)


def _never_published(version):
    assert not Step.objects.filter(version__entry=version.entry, kind=StepKind.PUBLISH).exists()
    assert s.live_version(version.entry) is None and s.status(version.entry) == s.PENDING


def test_a_draft_is_not_approved_before_its_review(world, scene):
    version = scene.drafted
    refused(services.approve, world.agency_head, version, passed=True, code="not_current")
    _never_published(version)


def test_a_returned_version_is_neither_approved_nor_reviewed_again(world, scene):
    version = scene.drafted
    services.review(world.reviewer, version, passed=False, opinion="当事人住址未隐去")
    assert s.version_state(version) == s.RETURNED
    refused(services.approve, world.agency_head, version, passed=True, code="not_current")
    refused(services.review, world.reviewer, version, passed=True, checks=ALL_CHECKS, code="not_current")
    _never_published(version)


def test_a_version_the_head_returned_is_not_approved_later(world, scene):
    version = reviewed(world, scene.drafted)
    services.approve(world.agency_head, version, passed=False, opinion="处罚内容表述不准确")
    assert s.version_state(version) == s.RETURNED
    refused(services.approve, world.agency_head, version, passed=True, code="not_current")
    _never_published(version)


def test_an_older_version_is_not_reviewed_or_approved_after_a_newer_draft(world, scene):
    first = scene.drafted
    second = services.add_redaction(world.officer, first, "倾倒建筑垃圾", "other")
    assert second.n == 2
    refused(services.review, world.reviewer, first, passed=True, checks=ALL_CHECKS, code="not_current")
    refused(services.approve, world.agency_head, first, passed=True, code="not_current")
    publish(world, second)  # the newest goes the whole way
    assert s.live_version(second.entry) == second and s.version_state(first) == s.DRAFT


def test_a_published_version_is_not_approved_twice(world, scene):
    _case, entry, version = scene.published
    refused(services.approve, world.agency_head, version, passed=True, code="not_current")
    assert Step.objects.filter(version=version, kind=StepKind.PUBLISH).count() == 1


def test_the_drafter_does_not_review_their_own_draft(world, scene):
    case, _doc = scene.issued
    version = services.draft_decision(world.reviewer, case)  # a legal reviewer may draft (LW-P 5) …
    refused(services.review, world.reviewer, version, passed=True, checks=ALL_CHECKS)  # … not review it
    _never_published(version)


@pytest.mark.parametrize("missing", [code for code, _ in REVIEW_CHECKS])
def test_a_review_passes_only_with_every_item_confirmed(world, scene, missing):
    version = scene.drafted
    label = dict(REVIEW_CHECKS)[missing]
    says = refused(services.review, world.reviewer, version, passed=True, checks={**ALL_CHECKS, missing: False},
                   code="checks")
    assert label in says
    refused(services.review, world.reviewer, version, passed=True, checks={}, code="checks")
    refused(services.review, world.reviewer, version, passed=False, checks=ALL_CHECKS, code="required")  # why
    assert s.version_state(version) == s.DRAFT


def test_only_the_reviewers_review_and_only_the_head_approves(world, scene):
    version = scene.drafted
    for who in (world.officer2, world.unit_head, world.agency_head):
        refused(services.review, who, version, passed=True, checks=ALL_CHECKS)
    reviewed(world, version)
    for who in (world.reviewer, world.officer, world.officer2, world.unit_head):
        refused(services.approve, who, version, passed=True)
    _never_published(version)


def test_the_head_who_reviewed_does_not_approve_the_same_version(world, scene):
    both = acc.create_user(None, username="both", full_name="周副局长", password=world.PASSWORD, agency=world.agency,
                           roles=[Role.AGENCY_HEAD, Role.LEGAL_REVIEWER])
    version = scene.drafted
    services.review(both, version, passed=True, checks=ALL_CHECKS)
    refused(services.approve, both, version, passed=True)
    services.approve(world.agency_head, version, passed=True)  # another head does
    assert s.live_version(version.entry) == version


def _admins(world):
    return [world.sysadmin] + [
        acc.create_user(None, username=role, full_name=label, password=world.PASSWORD, agency=world.agency,
                        roles=[role])
        for role, label in ((Role.SECURITY_ADMIN, "安全管理员"), (Role.AUDIT_ADMIN, "审计管理员"))]


def _strangers(world):
    """A drafter, a reviewer and a head of another agency."""
    other = acc.create_agency(None, name="另一市水务局", short_name="另水")
    return {role: acc.create_user(None, username=f"x{role}", full_name="外机关人员", password=world.PASSWORD,
                                  agency=other, roles=[role])
            for role in (Role.OFFICER, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD)}


def test_the_three_administrators_and_another_agency_neither_draft_review_nor_approve(world, scene):
    case, _doc = scene.issued
    admins = _admins(world)
    strangers = _strangers(world)
    for who in [*admins, strangers[Role.OFFICER]]:
        refused(services.draft_decision, who, case)
    for who in admins:  # (another agency's officer drafts for their own agency only: draft_content takes no agency)
        refused(services.draft_content, who, "matter", title="事项", summary={}, body="")
    version = services.draft_decision(world.officer, case)
    for who in [*admins, strangers[Role.LEGAL_REVIEWER]]:
        refused(services.review, who, version, passed=True, checks=ALL_CHECKS)
    reviewed(world, version)
    for who in [*admins, strangers[Role.AGENCY_HEAD]]:
        refused(services.approve, who, version, passed=True)
    _never_published(version)


def test_nobody_logged_out_or_disabled_acts(world, scene):
    from django.contrib.auth.models import AnonymousUser

    version = reviewed(world, scene.drafted)
    refused(services.approve, AnonymousUser(), version, passed=True)
    world.agency_head.is_active = False
    refused(services.approve, world.agency_head, version, passed=True)
    _never_published(version)


# ---- the last guard: nothing that looks like an ID or phone number goes online --------------------------

def test_the_approval_refuses_a_summary_still_holding_a_phone_number(world, scene):
    _case, entry, _version = scene.published
    summary = {**s.live_version(entry).summary, "违法事实": "当事人（电话 13912345678）擅自倾倒建筑垃圾。"}
    fixed = reviewed(world, services.revise(world.officer, entry, reason="补充违法事实", summary=summary))
    says = refused(services.approve, world.agency_head, fixed, passed=True, code="leaks")
    assert "电话号码" in says
    assert s.live_version(entry).n == 1  # the earlier text stays online


def test_the_approval_refuses_a_body_still_holding_an_id_number(world):
    version = reviewed(world, services.draft_content(
        world.officer, "channel", title="投诉举报渠道",
        summary={"渠道名称": "监督电话"}, body="投诉人王五，身份证号码 210502199003071234，来电反映。"))
    says = refused(services.approve, world.agency_head, version, passed=True, code="leaks")
    assert "身份证号码" in says
    _never_published(version)


def test_the_agencys_own_phone_number_is_published_in_its_channels(world):
    version = publish(world, services.draft_content(
        world.officer, "channel", title="投诉举报渠道", summary={"监督电话": "0414-2812345", "手机": "13812345678"},
        body="监督电话：0414-2812345"))
    assert s.live_version(version.entry) == version
