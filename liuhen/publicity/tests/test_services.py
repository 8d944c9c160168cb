"""The publicity services end to end (issue 20 §2-§5): a decision's draft and what keeps it offline, the
redactions, corrections, a changed or revoked decision, early removal and expiry, comments and replies —
each act one row and its ledger event, each refusal recorded and writing nothing."""
import datetime
import hashlib

import pytest
from django.utils import timezone

from liuhen.ledger.models import Entry as Event
from liuhen.ledger.services import event_of
from liuhen.profiles.spec import PENALTY_KINDS
from liuhen.publicity import redact, services, text
from liuhen.publicity import selectors as s
from liuhen.publicity import vocabulary as v
from liuhen.publicity.models import Comment, Reply, Step, StepKind, Version
from liuhen.testing.cases import add_person, to_decision
from liuhen.testing.profiles import load, profile_text
from liuhen.testing.publicity import (FACTS_WITH_PEOPLE, issued_decision, organisation_case, publish,
                                      published_content, published_decision, refused, replaced_decision, revoked,
                                      reviewed)
from liuhen.testing.publicity_workflow_scene import scene_fixture, world_of


# Fines issued, drafted and published in one world (workflow_scene), built once per run and copied in.
scene = scene_fixture("scene", "workflow_scene")


@pytest.fixture
def world(request, db):
    return world_of(request)


def _every_version_is_its_source_minus_its_spans():
    for version in Version.objects.exclude(source=""):
        spans = [redact.Span.from_dict(x) for x in version.redactions]
        assert version.body == redact.apply(version.source, spans), version.n
        assert version.source_sha256 == hashlib.sha256(version.source.encode()).hexdigest()
        assert redact.check(version.source, version.body, spans) == []


# ---- a decision's draft -----------------------------------------------------------------------------

def test_the_draft_is_the_served_text_minus_the_redactions_with_the_summary_first(world, scene):
    case, doc = scene.issued_with_people
    version = services.draft_decision(world.officer, case)
    assert version.n == 1 and version.document == doc and version.reason == ""
    assert version.source == text.served_text(text.decision_document(doc))
    assert "210502199003071234" in version.source and "210502199003071234" not in version.body
    assert "138-1234-5678" not in version.body and "本溪市平山区1号" not in version.body  # the party's address
    assert "当事人：王五" in version.body  # the party's own name stays (base: mask_person_name false)
    assert version.summary["当事人"] == "王五" and version.summary["决定书文号"] == doc.number.text
    assert version.public_until == datetime.date(2029, 12, 2)  # a fine: 36 months from the decision (2026-12-02)
    assert version.title == f"测试市水务局行政处罚决定书（{doc.number.text}）"
    assert redact.leaks(version.body) == [] and s.status(version.entry) == s.PENDING
    event = Event.objects.filter(action=v.DRAFT).latest("id")
    assert event.object_type == "publicity_version" and event.object_id == str(version.pk)
    assert event_of(event)["content_sha256"] == version.ledger_digest()
    _every_version_is_its_source_minus_its_spans()


def test_no_draft_before_the_decision_is_issued(world, scene):
    case = scene.at_decision
    assert "决定书签发后" in refused(services.draft_decision, world.officer, case, code="no_decision")


def test_no_draft_of_a_record_changed_since_it_was_issued(world):
    from liuhen.testing.documents_verify import later_version

    case, doc = issued_decision(world, remedy="测试")
    later_version(world, doc.record)
    refused(services.draft_decision, world.officer, case, code="stale_document")


def test_one_draft_at_a_time_and_none_of_a_live_decision(world, scene):
    case, doc = scene.issued
    services.draft_decision(world.officer, case)
    refused(services.draft_decision, world.officer2, case, code="open_draft")
    case, entry, _version = scene.published
    refused(services.draft_decision, world.officer, case, code="published")


def test_an_exempted_decision_is_not_drafted_nor_approved(world, scene):
    case, _doc = scene.issued
    version = reviewed(world, services.draft_decision(world.officer, case))
    refused(services.exempt, world.officer, case, "privacy", "涉及个人隐私")  # the head decides
    refused(services.exempt, world.agency_head, case, "hobby", "说明", code="ground")
    services.exempt(world.agency_head, case, "trade_secret", "决定书载有当事人的生产工艺")
    refused(services.exempt, world.agency_head, case, "privacy", "再次决定", code="exempted")
    refused(services.approve, world.agency_head, version, passed=True, code="not_published")  # drafted before
    refused(services.draft_decision, world.officer, case, code="not_published")
    assert s.live_version(version.entry) is None


def test_a_live_decision_is_withdrawn_before_it_is_exempted(world, scene):
    case, entry, _version = scene.published
    refused(services.exempt, world.agency_head, case, "privacy", "涉及个人隐私", code="live")


def test_a_warning_is_not_published_by_the_base_profile(world):
    case, _doc = issued_decision(world, penalty_kind="警告", fine_amount=None, content="警告。")
    refused(services.draft_decision, world.officer, case, code="not_published")


def test_a_minors_case_never_goes_online(world):
    from liuhen.cases.validators import id_check_char

    first17 = "21050220120307123"  # born 7 March 2012: 14 at the decision
    case = world.open_case()
    add_person(world, case, name="小明", id_number=first17 + id_check_char(first17), phone="", address="本溪市明山区2号")
    case, _doc = issued_decision(world, to_decision(world, case))
    refused(services.draft_decision, world.officer, case, code="not_published")


# ---- redactions -------------------------------------------------------------------------------------

def test_other_natural_persons_who_signed_are_removed(world):
    case, doc = issued_decision(world, facts=FACTS_WITH_PEOPLE, witness="李四")
    version = services.draft_decision(world.officer, case)
    assert "李四" in version.source and "李四" not in version.body and "李某某" in version.body
    assert "李四" not in version.summary["违法事实"] and "王五" in version.body
    assert {sp["category"] for sp in version.redactions} >= {"person_name", "id_number", "phone", "address"}


def test_the_profile_masks_the_partys_own_name_everywhere(world):
    load(world, profile_text("MASK", "隐去姓名", "publicity:\n  mask_person_name: true\n"))
    case, entry, version = published_decision(world, facts=FACTS_WITH_PEOPLE)
    assert "王五" in version.source
    shown = [version.title, version.body, *version.summary.values()]
    assert not any("王五" in value for value in shown)
    assert version.summary["当事人"] == "王某某" and "当事人：王某某" in version.body


def test_an_organisations_name_credit_code_and_representative_stay(world):
    load(world, profile_text("MASK", "隐去姓名", "publicity:\n  mask_person_name: true\n"))
    case = organisation_case(world)
    _case, entry, version = published_decision(world, case)
    assert "当事人：本溪市平山区某建材有限公司（法定代表人/负责人：赵六）" in version.body
    assert version.summary["当事人"] == "本溪市平山区某建材有限公司" and version.summary["法定代表人"] == "赵六"
    assert version.summary["统一社会信用代码"] == "91350100M000100Y43" and "本溪市平山区工业园3号" in version.body


def test_a_manual_redaction_is_a_new_version_of_the_draft(world, scene):
    case, _doc = scene.issued_with_people
    first = services.draft_decision(world.officer, case)
    second = services.add_redaction(world.officer, first, "李四", "person_name")
    assert second.n == 2 and "李四" not in second.body and "李某某" in second.body and "李四" in first.body
    assert "李四" not in second.summary["违法事实"]  # the summary quotes the facts: it goes there too
    added = [sp for sp in second.redactions if not sp["auto"]]
    assert [(sp["category"], second.source[sp["start"]:sp["end"]]) for sp in added] == [("person_name", "李四")]
    assert second.source == first.source and second.source_sha256 == first.source_sha256
    assert "没有“赵钱孙”" in refused(services.add_redaction, world.officer, second, "赵钱孙", "person_name",
                                   code="not_found")
    refused(services.add_redaction, world.officer, second, "李", "nickname", code="category")
    refused(services.add_redaction, world.officer, second, " ", "other", code="required")
    refused(services.add_redaction, world.officer, first, "倾倒", "other", code="not_draft")  # not the latest
    reviewed(world, second)
    refused(services.add_redaction, world.officer, second, "倾倒", "other", code="not_draft")  # reviewed already
    _every_version_is_its_source_minus_its_spans()


def test_a_correction_keeps_the_earlier_text_and_its_steps(world, scene):
    case, entry, first = scene.published
    refused(services.revise, world.officer, entry, reason="", summary={}, code="required")
    refused(services.revise, world.officer, entry, reason="改写", body="另一个文本", code="body_fixed")
    summary = {**first.summary, "违法行为类型": "擅自在河道管理范围内倾倒建筑垃圾"}
    second = services.revise(world.officer, entry, reason="违法行为类型表述不准确", summary=summary)
    assert s.live_version(entry) == first  # online until the correction is approved
    publish(world, second)
    assert s.live_version(entry) == second and second.reason == "违法行为类型表述不准确"
    assert [x.n for x in s.published_versions(entry)] == [1, 2]
    assert list(Step.objects.filter(version=first).values_list("kind", flat=True)) == ["review", "approve", "publish"]
    assert second.body == first.body and second.document == first.document
    _every_version_is_its_source_minus_its_spans()


# ---- a change: revoked, replaced --------------------------------------------------------------------

def test_a_revoked_decision_is_withdrawn_with_a_public_reason(world, scene):
    case, entry, version = scene.published
    revoked(world, version.document)
    refused(services.withdraw, world.officer, entry, "原决定被撤销")  # the head withdraws
    refused(services.withdraw, world.agency_head, entry, "", code="required")
    refused(services.withdraw, world.agency_head, entry, "王五申请复议后撤销", code="reason_personal")
    refused(services.withdraw, world.agency_head, entry, "联系13812345678", code="reason_personal")
    step = services.withdraw(world.agency_head, entry, "经行政复议，原行政处罚决定被撤销")
    assert step.kind == StepKind.WITHDRAW and step.reason == "经行政复议，原行政处罚决定被撤销"
    assert s.status(entry) == s.WITHDRAWN and s.live_version(entry) is None
    refused(services.withdraw, world.agency_head, entry, "再次撤回", code="not_live")
    refused(services.draft_decision, world.officer, case, code="no_decision")  # nothing valid to publish


def test_a_draft_of_a_decision_revoked_meanwhile_is_not_approved(world, scene):
    case, doc = scene.issued
    version = reviewed(world, services.draft_decision(world.officer, case))
    revoked(world, doc)
    refused(services.approve, world.agency_head, version, passed=True, code="document_invalid")


def test_a_changed_decision_is_published_in_place_of_the_old_one(world, scene):
    case, entry, first = scene.published
    new = replaced_decision(world, first.document, fine_amount=3000, content="责令停止违法行为，罚款人民币叁仟元整。")
    second = services.draft_decision(world.officer, case)
    assert second.entry == entry and second.document == new and second.n == 2
    assert second.reason == f"原决定已变更，公示变更后的决定（{new.number.text}）"
    assert "叁仟元" in second.body and second.summary["罚款金额（元）"] == "3000"
    publish(world, second)
    assert s.live_version(entry) == second and s.status(entry) == s.LIVE
    assert [x.document for x in s.published_versions(entry)] == [first.document, new]


def test_withdrawn_then_republished_after_the_change(world, scene):
    case, entry, first = scene.published
    new = replaced_decision(world, first.document)
    services.withdraw(world.agency_head, entry, "原行政处罚决定已变更")
    assert s.status(entry) == s.WITHDRAWN
    second = publish(world, services.draft_decision(world.officer, case))
    assert s.status(entry) == s.LIVE and s.live_version(entry) == second and second.document == new
    assert s.end_step(entry) is None


# ---- early removal and expiry ----------------------------------------------------------------------

def _heavy(world, label):
    """A major decision of `label` (legal review passed, collective discussion), issued and published."""
    from liuhen.documents.services import issue_document
    from liuhen.records.models import Record
    from liuhen.testing.cases import complete, sign_all
    from liuhen.testing.legalreview import major_case, passed

    case = major_case(world, penalty={"penalty_kind": label, "fine_amount": "50000"})
    passed(world, case)
    complete(world, case, "collective_discussion")
    complete(world, case, "leader_approval")
    issue_document(world.officer, sign_all(world, Record.objects.get(case=case, record_type__code="decision")))
    version = publish(world, services.draft_decision(world.officer, case))
    return version.entry


@pytest.mark.parametrize("label", ["责令停产停业", "吊销许可证件", "降低资质等级", "限制从业"])
def test_no_early_removal_of_the_heavy_penalties(world, label):
    entry = _heavy(world, label)
    says = refused(services.remove_early, world.agency_head, entry, "当事人已完成信用修复", code="no_early_removal")
    assert label in says and s.status(entry) == s.LIVE
    # a correction rewording the summary's 处罚类别 does not open the way
    services.revise(world.officer, entry, reason="更正", summary={**s.live_version(entry).summary, "处罚类别": "罚款"})
    publish(world, s.latest_version(entry))
    refused(services.remove_early, world.agency_head, entry, "当事人已完成信用修复", code="no_early_removal")


def test_the_base_profiles_heavy_penalties_are_the_four_labels():
    from liuhen.profiles.spec import PublicitySpec

    codes = PublicitySpec.__dataclass_fields__["no_early_removal"].default
    labels = {label for code, label in PENALTY_KINDS if code in codes}
    assert labels == {"责令停产停业", "吊销许可证件", "降低资质等级", "限制从业"}


def test_a_fine_is_removed_early_with_a_public_reason(world, scene):
    _case, entry, version = scene.published
    refused(services.remove_early, world.reviewer, entry, "信用修复")
    refused(services.remove_early, world.agency_head, entry, "", code="required")
    step = services.remove_early(world.agency_head, entry, "当事人已履行处罚并完成信用修复")
    assert step.kind == StepKind.REMOVE_EARLY and step.version == version and s.status(entry) == s.REMOVED
    refused(services.remove_early, world.agency_head, entry, "再次", code="not_live")
    refused(services.draft_decision, world.officer, entry.case, code="ended")  # not back online by a new draft
    refused(services.revise, world.officer, entry, reason="更正", summary={}, code="not_live")


def _day_after(day):
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(9)))


def test_expiry_removes_exactly_the_entries_past_their_period_once(world, scene):
    _c1, criticism, v1 = published_decision(world, penalty_kind="通报批评", fine_amount=None, content="通报批评。")
    _c2, fine, v2 = scene.published
    matter = published_content(world)
    assert v1.public_until == datetime.date(2027, 3, 2) and v2.public_until == datetime.date(2029, 12, 2)
    assert services.expire(_day_after(v1.public_until) - datetime.timedelta(days=1)) == 0  # the last day: still up
    assert services.expire(_day_after(v1.public_until)) == 1
    assert services.expire(_day_after(v1.public_until)) == 0  # idempotent
    [step] = Step.objects.filter(kind=StepKind.REMOVE)
    assert step.version == v1 and step.actor is None and s.status(criticism) == s.EXPIRED
    assert s.status(fine) == s.LIVE and s.status(matter.entry) == s.LIVE  # 事前公开: no end
    assert services.expire(_day_after(v2.public_until)) == 1 and s.status(fine) == s.EXPIRED
    assert Event.objects.filter(action=v.REMOVE, actor_id__isnull=True).count() == 2


def test_the_profiles_small_fine_rule_sets_the_period(world):
    load(world, profile_text("SMALL", "较低数额罚款", """publicity:
  durations:
    - {penalties: [fine], max_fine: 1000, months: 3, article: 某省公示办法 第10条}
    - {months: 36, article: 市场监管公示规定 14}
"""))
    _c, _e, small = published_decision(world, fine_amount=800, content="罚款人民币捌佰元整。")
    _c, _e, large = published_decision(world, fine_amount=5000)
    assert small.public_until == datetime.date(2027, 3, 2) and large.public_until == datetime.date(2029, 12, 2)


# ---- comments and replies --------------------------------------------------------------------------

def _no_comment_written(fn, *args, code, **kw):
    from django.core.exceptions import ValidationError

    before = (Comment.objects.count(), Event.objects.filter(action=v.COMMENT).count())
    with pytest.raises(ValidationError) as raised:
        fn(*args, **kw)
    assert code in [e.code for e in raised.value.error_list]
    assert (Comment.objects.count(), Event.objects.filter(action=v.COMMENT).count()) == before


def test_a_comment_is_refused_for_bad_input_and_an_entry_not_online(world, scene):
    case, doc = scene.issued
    draft = services.draft_decision(world.officer, case)
    _case, entry, _version = scene.published
    _no_comment_written(services.comment, entry, kind="praise", text="好", code="kind")
    _no_comment_written(services.comment, entry, kind="comment", text="  ", code="required")
    _no_comment_written(services.comment, entry, kind="comment", text="长" * 2001, code="max_length")
    _no_comment_written(services.comment, entry, kind="comment", text="意见\x00内容", code="control_character")
    _no_comment_written(services.comment, entry, kind="comment", text="好", name="名\x07", code="control_character")
    _no_comment_written(services.comment, draft.entry, kind="comment", text="这是什么", code="not_live")
    services.withdraw(world.agency_head, entry, "原行政处罚决定已撤销")
    _no_comment_written(services.comment, entry, kind="objection", text="为何撤回", code="not_live")


def test_a_comment_is_kept_and_answered_once(world, scene):
    _case, entry, _version = scene.published
    row = services.comment(entry, kind="error", text="文号有误", name="匿名市民", contact="13900000000")
    assert Comment.objects.get(pk=row.pk).contact == "13900000000"  # kept (encrypted at rest) to answer
    event = Event.objects.filter(action=v.COMMENT).latest("id")
    assert event.actor_id is None and event.object_id == str(row.pk)
    refused(services.reply, world.sysadmin, row, "已核实")
    refused(services.reply, world.officer, row, " ", code="required")
    answer = services.reply(world.officer, row, "经核实文号无误，感谢监督。")
    assert answer.comment == row and Reply.objects.count() == 1
    refused(services.reply, world.reviewer, row, "再答复", code="replied")


# ---- 事前公开 ----------------------------------------------------------------------------------------

def test_content_entries_are_drafted_published_and_changed(world):
    version = published_content(world, "agency", title="机关信息", summary={"地址": "本溪市平山区1号", "电话": "024-12345678"},
                                body="")
    entry = version.entry
    assert entry.number.startswith(f"{timezone.localdate().year}-") and entry.case is None
    refused(services.draft_content, world.officer, "decision", title="x", summary={}, code="kind")
    refused(services.draft_content, world.officer, "matter", title="", summary={}, code="required")
    refused(services.draft_content, world.officer, "matter", title="x", summary=["x"], code="summary")
    refused(services.draft_content, world.officer, "statistics", title="x", year=1999, code="year")
    services.draft_content(world.officer, "statistics", title="2025年度数据", year=2025)
    refused(services.draft_content, world.officer, "statistics", title="x", year=2025, code="exists")
    changed = services.revise(world.officer, entry, reason="办公地址变更", summary={"地址": "本溪市明山区2号"})
    publish(world, changed)
    assert s.live_version(entry).summary == {"地址": "本溪市明山区2号"}


def test_numbers_follow_each_other(world):
    a = services.draft_content(world.officer, "matter", title="事项一")
    b = services.draft_content(world.officer, "matter", title="事项二")
    year = timezone.localdate().year
    assert (a.entry.number, b.entry.number) == (f"{year}-0001", f"{year}-0002")
    assert services._next_number(year) == f"{year}-0003"
