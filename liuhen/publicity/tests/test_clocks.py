"""The publication anchors (publicity.clocks) and the oversight clocks they drive (行政处罚法 48, 85; LW-P 8,
11): published within 20 working days, a decision not to be published (a warning, a minor, an exemption)
met at once, a revoked decision withdrawn within 3 working days, a changed one republished — each late
step a finding. Cases, decisions, documents and publication steps are made through the services."""
import dataclasses
import datetime

import pytest
from django.utils import timezone

from liuhen.documents import services as documents
from liuhen.oversight import checks, clocks as oversight_clocks, engine
from liuhen.oversight import vocabulary as ov
from liuhen.oversight.finding_models import ClockStatus
from liuhen.profiles.spec import Applies
from liuhen.publicity import clocks, services
from liuhen.publicity.models import Step, StepKind
from liuhen.publicity.selectors import current_decision
from liuhen.testing.cases import CREDIT_CODE, add_person, sign_all
from liuhen.testing.documents import decision
from liuhen.testing.findings import clocks as case_clocks
from liuhen.testing.findings import found, profile_with
from liuhen.testing.publicity import publish
from liuhen.testing.publicity_workflow_scene import scene_fixture

DAY = datetime.timedelta(days=1)
MINOR_ID = "21050220120307123X"  # born 2012-03-07: fourteen in 2026


# Fines issued and published, a warning and a fine told beforehand and issued, in one world, after the calendar
# ahead was loaded (clocks_scene): built once per run and copied in.
scene = scene_fixture("scene", "clocks_scene")


@pytest.fixture
def world(scene):
    return scene.world


def _anchors(case) -> dict:
    return clocks.anchors([case.pk]).get(case.pk, {})


def _codes(case, **kw) -> list:
    return [f.code for f in found(case, **kw)]


def _revoke(world, doc):
    return documents.revoke_document(world.agency_head, doc, "经行政复议决定撤销")


def _replace(world, case, doc, **content):
    record = sign_all(world, decision(world, case, **content))
    return documents.issue_document(world.agency_head, record, replaces=doc, reason="变更处罚内容")


def _first_step(entry, kind):
    return Step.objects.filter(version__entry=entry, kind=kind).order_by("at", "id").first()


# ---- published ----------------------------------------------------------------------------------------

def test_a_published_decision_meets_the_publicity_clock_at_its_publish_step(world, scene):
    case, entry, _version = scene.published
    found_ = _anchors(case)
    assert found_[clocks.PUBLISHED] == _first_step(entry, StepKind.PUBLISH).at
    assert clocks.EXEMPTED not in found_ and clocks.REVOKED not in found_
    clock = case_clocks(case)["publicity"]
    assert clock.status == ClockStatus.MET and clock.met_at == found_[clocks.PUBLISHED]
    assert ov.PUBLICITY_OVERDUE not in _codes(case, now=timezone.now() + 60 * DAY)


def test_an_unpublished_decision_is_an_error_once_twenty_working_days_passed(world, scene):
    case, _doc = scene.issued
    assert clocks.excluded_reason(case) == ""
    clock = case_clocks(case)["publicity"]
    assert clock.status == ClockStatus.RUNNING and clock.period == "20个工作日"
    assert ov.PUBLICITY_OVERDUE not in _codes(case, now=clock.due_at - datetime.timedelta(hours=1))
    rows = [f for f in found(case, now=clock.due_at + DAY) if f.code == ov.PUBLICITY_OVERDUE]
    assert len(rows) == 1 and rows[0].severity == "error" and "公示平台尚未建成" not in rows[0].message
    assert "已逾期" in rows[0].message and "公示" in rows[0].fix


# ---- not to be published: met at once ---------------------------------------------------------------

def test_a_warning_the_profile_does_not_publish_is_exempt_at_the_decision(world, scene):
    case, _doc = scene.warned
    assert "警告" in clocks.excluded_reason(case)
    clock = case_clocks(case)["publicity"]
    assert _anchors(case)[clocks.EXEMPTED] == clock.started_at  # the decision's completion
    assert clock.status == ClockStatus.MET
    assert ov.PUBLICITY_OVERDUE not in _codes(case, now=timezone.now() + 60 * DAY)


def test_a_fine_is_published_where_the_profile_excludes_only_warnings(world, scene):
    case, _doc = scene.penalised_fine
    assert clocks.excluded_reason(case) == "" and clocks.EXEMPTED not in _anchors(case)


def test_a_minor_party_keeps_the_decision_off_the_portal(world, scene):
    case, _doc = scene.issued
    add_person(world, case, name="赵小六", id_number=MINOR_ID)
    why = clocks.excluded_reason(case)
    assert "未成年人" in why
    assert clocks.EXEMPTED in _anchors(case)
    assert case_clocks(case)["publicity"].status == ClockStatus.MET


def test_an_adult_party_and_an_organisation_do_not(world, scene):
    case, _doc = scene.issued
    add_person(world, case, name="钱七", id_number="210502200801011232")  # eighteen on 2026-01-01
    add_person(world, case, kind="organisation", name="本溪某建材有限公司", id_number=CREDIT_CODE)
    assert clocks.excluded_reason(case) == "" and clocks.EXEMPTED not in _anchors(case)


@pytest.mark.parametrize("id_number, day, minor", [
    ("210502200812021234", datetime.date(2026, 12, 1), True),   # the day before the 18th birthday
    ("210502200812021234", datetime.date(2026, 12, 2), False),  # the birthday
    ("21050220080229123X", datetime.date(2026, 2, 28), True),   # born on 29 February: adult on 1 March
    ("21050220080229123X", datetime.date(2026, 3, 1), False),
    ("２１０５０２２０１２０３０７１２３６", datetime.date(2026, 12, 2), True),  # full-width digits
    ("210502121307123", datetime.date(2026, 12, 2), False),     # 15 digits: born before 2000
    ("91210500MA0XXXXX1A", datetime.date(2026, 12, 2), False),  # a credit code
    ("210502201213451236", datetime.date(2026, 12, 2), False),  # no such date: not a birth date
])
def test_minor_on(id_number, day, minor):
    assert clocks.minor_on(id_number, day) is minor


def test_an_exemption_meets_the_clock_at_its_time(world, scene):
    case, _doc = scene.issued
    row = services.exempt(world.agency_head, case, "trade_secret", "涉及当事人生产工艺")
    assert _anchors(case)[clocks.EXEMPTED] == row.at
    assert clocks.excluded_reason(case) == "已决定不予公开：涉及商业秘密（涉及当事人生产工艺）"
    assert case_clocks(case)["publicity"].status == ClockStatus.MET


def test_a_case_the_profile_does_not_publish(world, scene):
    case, _doc = scene.issued
    profile = profile_with(case)
    narrow = dataclasses.replace(profile, publicity=dataclasses.replace(profile.publicity,
                                                                        applies=Applies(kinds=("licensing",))))
    assert "行政处罚（一般程序）案件的决定不在网上公示" in clocks.rule_reason(
        narrow, case.kind, case.procedure, case.start_mode, {}, datetime.date(2026, 12, 2), ())
    assert clocks.rule_reason(dataclasses.replace(profile, publicity=None), case.kind, case.procedure,
                              case.start_mode, {}, datetime.date(2026, 12, 2), ())
    assert case_clocks(case, profile=narrow)["publicity"].status == ClockStatus.MET


# ---- revoked: withdrawn within 3 working days ------------------------------------------------------

def test_a_revoked_published_decision_must_be_withdrawn(world, scene):
    case, entry, _version = scene.published
    doc = entry.versions.get().document
    w = _revoke(world, doc)
    found_ = _anchors(case)
    assert found_[clocks.REVOKED] == w.withdrawn_at and clocks.WITHDRAWN not in found_
    clock = case_clocks(case)["withdrawal"]
    assert clock.status in (ClockStatus.RUNNING, ClockStatus.DUE_SOON) and clock.period == "3个工作日"
    rows = [f for f in found(case, now=clock.due_at + DAY) if f.code == ov.WITHDRAWAL_LATE]
    assert len(rows) == 1 and rows[0].severity == "error" and "撤回公示已逾期" in rows[0].message
    assert rows[0].fix == "在公示平台撤回已公示的决定，并公开撤回理由"
    step = services.withdraw(world.agency_head, entry, "该决定已经行政复议决定撤销")
    assert _anchors(case)[clocks.WITHDRAWN] == step.at
    assert case_clocks(case)["withdrawal"].status == ClockStatus.MET
    assert ov.WITHDRAWAL_LATE not in _codes(case, now=clock.due_at + DAY)


def test_a_decision_revoked_before_publication_is_neither_published_nor_withdrawn(world, scene):
    case, doc = scene.issued
    w = _revoke(world, doc)
    found_ = _anchors(case)
    assert found_[clocks.EXEMPTED] == w.withdrawn_at and found_[clocks.WITHDRAWN] == w.withdrawn_at
    later = timezone.now() + 60 * DAY
    assert not {ov.PUBLICITY_OVERDUE, ov.WITHDRAWAL_LATE} & set(_codes(case, now=later))


def _with_times(case, **times):
    """The case's facts as the engine reads them, with the publication anchors at the given times."""
    from liuhen.oversight import facts

    cf = facts.load([case.pk])[0][case.pk]
    cf.publication = {getattr(clocks, k.upper()): t for k, t in times.items()}
    return cf


def _local(*args):
    return timezone.make_aware(datetime.datetime(*args), timezone.get_fixed_timezone(480))


@pytest.mark.parametrize("withdrawn, status", [
    # Revoked on Wednesday 30 September 2026: 国庆节 1–7 October off, Saturday 10 October worked (调休):
    # the third working day is 10 October.
    (_local(2026, 10, 10, 17, 0), ClockStatus.MET),
    (_local(2026, 10, 12, 9, 0), ClockStatus.MET_LATE),
])
def test_a_withdrawal_later_than_three_working_days_is_a_finding(world, scene, withdrawn, status):
    case, _entry, _version = scene.published
    cf = _with_times(case, revoked=_local(2026, 9, 30, 15, 0), published=_local(2026, 9, 1, 9, 0),
                     withdrawn=withdrawn)
    oversight_clocks.clear_cache()
    now = _local(2026, 11, 1, 9, 0)
    found_ = {c.deadline: c for c in oversight_clocks.clocks_for(cf, cf.profile, now)}
    clock = found_["withdrawal"]
    assert timezone.localtime(clock.due_at).date() == datetime.date(2026, 10, 10)
    assert clock.status == status
    late = [f for f in checks.check_clocks(cf, list(found_.values()), now) if f.code == ov.WITHDRAWAL_LATE]
    assert len(late) == (status == ClockStatus.MET_LATE)
    if late:
        assert late[0].severity == "error" and "撤回公示逾期完成" in late[0].message


# ---- replaced: republished ------------------------------------------------------------------------------

def test_a_changed_decision_is_republished_within_its_deadline(world, scene):
    case, entry, _version = scene.published
    first = entry.versions.get().document
    replacement = _replace(world, case, first, content="责令停止违法行为，罚款人民币叁仟元整。", fine_amount=3000)
    found_ = _anchors(case)
    assert clocks.REPLACED in found_ and clocks.REPUBLISHED not in found_
    clock = case_clocks(case)["republication"]
    assert clock.status in (ClockStatus.RUNNING, ClockStatus.DUE_SOON)
    rows = [f for f in found(case, now=clock.due_at + DAY) if f.code == ov.REPUBLICATION_LATE]
    assert len(rows) == 1 and rows[0].fix == "审核、批准后在公示平台公示变更后的决定"
    version = publish(world, services.draft_decision(world.officer, case))
    assert version.document == replacement
    assert _anchors(case)[clocks.REPUBLISHED] == version.steps.get(kind=StepKind.PUBLISH).at
    assert case_clocks(case)["republication"].status == ClockStatus.MET
    # the first publication still met the publicity clock: its anchor is the first publish step
    assert _anchors(case)[clocks.PUBLISHED] == _first_step(entry, StepKind.PUBLISH).at


def test_a_decision_replaced_before_it_was_published_needs_no_republication(world, scene):
    case, doc = scene.issued
    _replace(world, case, doc)
    found_ = _anchors(case)
    assert found_[clocks.REPUBLISHED] == found_[clocks.REPLACED]
    assert case_clocks(case)["publicity"].status == ClockStatus.RUNNING  # the decision itself is still due


# ---- set-based, and the re-check on a publication step ---------------------------------------------------

def test_the_anchors_of_many_cases_take_a_fixed_number_of_queries(world, scene, django_assert_max_num_queries):
    cases = [scene.published[0], scene.warned[0], scene.issued[0]]
    _revoke(world, current_decision(cases[2]))
    from liuhen.oversight import facts

    loaded = facts.load([c.pk for c in cases])[0]
    decided = {cid: clocks.decided_from(cf.kind, cf.procedure, cf.start_mode, cf.profile, cf.records)
               for cid, cf in loaded.items()}
    with django_assert_max_num_queries(4):
        found_ = clocks.anchors([c.pk for c in cases], decided=decided)
    assert clocks.PUBLISHED in found_[cases[0].pk] and clocks.EXEMPTED in found_[cases[1].pk]
    assert clocks.REVOKED in found_[cases[2].pk]
    assert found_ == clocks.anchors([c.pk for c in cases])  # read here or given: the same anchors
    assert {cid: cf.publication for cid, cf in loaded.items() if cf.publication} == found_


def test_publishing_and_revoking_re_check_the_case_at_once(world, scene, django_capture_on_commit_callbacks):
    from liuhen.oversight.finding_models import Clock

    case, doc = scene.issued
    version = services.draft_decision(world.officer, case)
    engine.recheck([case.pk])
    assert Clock.objects.get(case=case, deadline="publicity").status == ClockStatus.RUNNING
    with django_capture_on_commit_callbacks(execute=True):
        publish(world, version)  # the publish step re-checks the case
    clock = Clock.objects.get(case=case, deadline="publicity")
    assert clock.status == ClockStatus.MET and clock.met_at == _anchors(case)[clocks.PUBLISHED]
    assert not Clock.objects.filter(case=case, deadline="withdrawal").exists()
    with django_capture_on_commit_callbacks(execute=True):
        _revoke(world, doc)  # the revocation starts the withdrawal clock
    assert Clock.objects.get(case=case, deadline="withdrawal").status in (ClockStatus.RUNNING, ClockStatus.DUE_SOON)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(world.agency_head, version.entry, "该决定已经行政复议决定撤销")
    assert Clock.objects.get(case=case, deadline="withdrawal").status == ClockStatus.MET


# ---- the rule of the steps, on plain times ------------------------------------------------------------

def _t(month, day, hour=9):
    return _local(2026, month, day, hour, 0)


@pytest.mark.parametrize("steps, withdrawn", [
    # online when revoked: the first withdraw step after the revocation
    ([("publish", _t(3, 2), 1, None), ("withdraw", _t(6, 3), 1, None)], _t(6, 3)),
    # online when revoked, never withdrawn: the clock runs
    ([("publish", _t(3, 2), 1, None)], None),
    # its public period ended before the revocation: nothing to withdraw
    ([("publish", _t(3, 2), 1, datetime.date(2026, 5, 31))], _t(6, 1)),
    # taken down early before the revocation: nothing to withdraw
    ([("publish", _t(3, 2), 1, None), ("remove_early", _t(4, 1), 1, None)], _t(6, 1)),
    # published again after the revocation (by mistake): that publication must be withdrawn
    ([("publish", _t(3, 2), 1, None), ("withdraw", _t(6, 2), 1, None), ("publish", _t(6, 5), 1, None)], None),
])
def test_when_a_revoked_decision_counts_as_withdrawn(steps, withdrawn):
    found_ = {}
    clocks._from_steps(found_, [("revoked", None, _t(6, 1))], steps)
    assert found_.get(clocks.WITHDRAWN) == withdrawn and found_[clocks.REVOKED] == _t(6, 1)
