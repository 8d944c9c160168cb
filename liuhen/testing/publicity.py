"""Helpers for the publicity tests (issue 20): a case whose 决定书 is issued, its publication drafted,
reviewed, approved and published — the real way, through the services."""
from __future__ import annotations

ALL_CHECKS = {"scope": True, "secrets": True, "trade_secrets": True, "privacy": True, "form": True, "timing": True,
              "accuracy": True}
FACTS_WITH_PEOPLE = ("经查，当事人王五（身份证号码 210502199003071234，住址本溪市平山区胜利路12号3单元501室，"
                     "联系电话 138-1234-5678）于二〇二六年十月在河道管理范围内擅自倾倒建筑垃圾约三十立方米，"
                     "证人李四目睹了倾倒过程。")


# A decision the base profile publishes (a fine: 3 years) when a test names no penalty kind.
PUBLISHED_PENALTY = {"penalty_kind": "罚款", "fine_amount": 5000}
PENALTY_FIELDS = ("penalty_kind", "fine_amount", "confiscation_amount")


def notified(world, case, penalty: dict, *, party: str):
    """testing.cases.notify, the party who signs named (an organisation's name too): a 行政处罚告知书 of
    `penalty` served 40 days ago — the party's periods have run (行政处罚法 44, 64)."""
    import datetime

    from django.utils import timezone

    from liuhen.records import services as rec
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import fill, sign_all

    rt = RecordType.objects.get(code="penalty_notice")
    served = timezone.localtime(timezone.now() - datetime.timedelta(days=40))
    content = {**fill(rt), **penalty, "notified_at": served.strftime("%Y-%m-%dT%H:%M")}
    return sign_all(world, rec.create_record(world.officer, case, rt, content), party=party)


def issued_decision(world, case=None, *, witness: str = "", **content):
    """(case, IssuedDocument): a case taken to its decision, the 决定书 (a fine of 5000 yuan unless
    `content` names another penalty kind; `witness` signed it too) signed and issued; the party told of
    it first (行政处罚法 44) unless the test did."""
    from liuhen.documents.services import issue_document
    from liuhen.records.services import record_other_signature
    from liuhen.testing.cases import complete, sign_all, to_decision
    from liuhen.testing.documents import decision

    content = content if "penalty_kind" in content else {**PUBLISHED_PENALTY, **content}
    case = case or to_decision(world)
    party = case.parties.order_by("id").values_list("name", flat=True).first()
    if not case.records.filter(record_type__code="penalty_notice").exists():  # unless the test told the party
        notified(world, case, {k: content[k] for k in PENALTY_FIELDS if k in content}, party=party)
    complete(world, case, "handling_opinion", party=party)
    complete(world, case, "leader_approval", party=party)
    record = decision(world, case, **content)
    if witness:
        record_other_signature(world.officer, record, role="witness", signer_name=witness)
    return case, issue_document(world.officer, sign_all(world, record, party=party))


def replaced_decision(world, doc, reason="原决定书认定的罚款数额有误，重新作出决定", **content):
    """The changed decision (行政处罚法 48: 变更): `doc`'s record voided, a new 决定书 made, signed and
    re-issued by the agency head in its place (documents: `doc` becomes 已替换). The new IssuedDocument."""
    from liuhen.documents.services import issue_document
    from liuhen.records.services import void_record
    from liuhen.testing.cases import sign_all
    from liuhen.testing.documents import decision

    case = doc.record.case
    void_record(world.officer, doc.record, "决定书内容有误，重新制作")
    content = content if "penalty_kind" in content else {**PUBLISHED_PENALTY, **content}
    record = sign_all(world, decision(world, case, **content))
    return issue_document(world.agency_head, record, replaces=doc, reason=reason)


def revoked(world, doc, reason="经行政复议，原决定被撤销"):
    """The decision revoked (行政处罚法 48, 75) by the agency head."""
    from liuhen.documents.services import revoke_document

    revoke_document(world.agency_head, doc, reason)
    return doc


def reviewed(world, version):
    from liuhen.publicity import services

    services.review(world.reviewer, version, passed=True, checks=ALL_CHECKS)
    return version


def publish(world, version):
    """Review and approve `version`: it is published."""
    from liuhen.publicity import services

    reviewed(world, version)
    services.approve(world.agency_head, version, passed=True)
    return version


def published_decision(world, case=None, **content):
    """(case, entry, version): a decision issued, drafted by the officer, reviewed, approved: online."""
    from liuhen.publicity import services

    case, _ = issued_decision(world, case, **content)
    version = publish(world, services.draft_decision(world.officer, case))
    return case, version.entry, version


def published_content(world, kind="matter", **fields):
    from liuhen.publicity import services

    defaults = {"title": "河道管理范围内建设项目许可", "summary": {"事项名称": "河道管理范围内建设项目许可",
                "法规依据": "《中华人民共和国水法》第三十八条", "办理条件": "符合防洪要求", "办理程序": "申请—受理—审查—决定",
                "办理时限": "20个工作日"}, "body": ""}
    version = services.draft_content(world.officer, kind, **{**defaults, **fields})
    return publish(world, version)


def organisation_case(world, *, name="本溪市平山区某建材有限公司", representative="赵六"):
    """A case at its decision stage whose only party is an organisation (its 统一社会信用代码 and 法定代表人)."""
    from liuhen.cases import services as cases
    from liuhen.testing.cases import CREDIT_CODE, add_person, complete

    case = world.open_case(title="本溪市平山区某建材有限公司擅自倾倒建筑垃圾")
    add_person(world, case, kind="organisation", name=name, id_number=CREDIT_CODE, phone="", address="本溪市平山区工业园3号",
               legal_representative=representative)
    complete(world, case, "start_approval", party=name)
    case = cases.advance(world.officer, case)
    complete(world, case, "rights_notice", party=name)
    complete(world, case, "inquiry_record", party=name)
    return cases.advance(world.officer, case, note="调查终结")


def refused(fn, actor, *args, code=None, exc=None, **kw) -> str:
    """Call the service `fn(actor, *args, **kw)` expected to refuse: raised (ValidationError with `code`,
    or PermissionDenied when `code` is None), recorded for `actor` (publicity.refused), and not one
    publicity row written. The message shown."""
    import pytest
    from django.core.exceptions import PermissionDenied, ValidationError

    from liuhen.ledger.models import Entry as Event
    from liuhen.publicity import vocabulary as v
    from liuhen.publicity.models import Comment, Entry, Exemption, Reply, Step, Version

    rows = lambda: [m.objects.count() for m in (Entry, Version, Step, Exemption, Comment, Reply)]  # noqa: E731
    before, events = rows(), Event.objects.filter(action=v.REFUSED).count()
    with pytest.raises(exc or (ValidationError if code else PermissionDenied)) as raised:
        fn(actor, *args, **kw)
    if code is not None:
        assert code in [e.code for e in raised.value.error_list], raised.value.messages
    assert rows() == before
    if actor is not None and getattr(actor, "is_authenticated", False):
        from liuhen.ledger.services import event_of

        assert Event.objects.filter(action=v.REFUSED).count() == events + 1
        event = Event.objects.filter(action=v.REFUSED).latest("id")
        assert event.actor_id == actor.pk and (code or "PermissionDenied") in event_of(event)["detail"]["codes"]
    return raised.value.messages[0] if hasattr(raised.value, "messages") else str(raised.value)
