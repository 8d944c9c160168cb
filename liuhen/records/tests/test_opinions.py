"""Opinions belong to the person who signs (issue 12 §2): a 负责人, 法制审核人员 or 档案管理员 writes
the decision and the opinion as they sign; 不同意 / 退回 leaves the record incomplete; the digest,
the event and `liuhen verify` cover both."""
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liuhen.cases import services as cases
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.ledger.core.canonical import content_sha256
from liuhen.testing.tampering import drop_append_only, found, sql
from liuhen.ledger.verify import verify_log
from liuhen.records import catalog, selectors, services
from liuhen.records.ledger_checks import keyed_sha256, signature_digest
from liuhen.records.models import Signature, SignerRole
from liuhen.testing.records import at_decision, rtype

pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no checkpoint or tile from another tree

APPROVAL = {"reason": "日常巡查发现违法嫌疑。", "party": "王建国", "handler_opinion": "建议立案调查。"}


def start_approval(world, case=None):
    case = case or world.open_case()
    record = services.create_record(world.officer, case, rtype("start_approval"), dict(APPROVAL))
    services.sign_as_officer(world.officer, record)
    return record


def test_catalog_keeps_only_what_the_officer_drafts():
    by_code = {e["code"]: {f["name"] for f in e["fields"]} for e in catalog.CATALOG}
    assert not by_code["start_approval"] & {"unit_opinion", "legal_review_opinion"}
    assert "leader_opinion" not in by_code["emergency_start_approval"]
    assert not by_code["legal_review_record"] & {"reviewer", "outcome", "opinion"}
    assert "opinion" not in by_code["leader_approval"]


def test_leader_signs_with_opinion_and_decision(world):
    record = start_approval(world)
    sig = services.sign_as_leader(world.unit_head, record, decision="同意", opinion="同意立案，由张明承办。")
    sig = Signature.objects.get(pk=sig.pk)
    assert (sig.decision, sig.opinion) == ("同意", "同意立案，由张明承办。")
    assert selectors.record_with_state(record.pk).complete
    [detail] = [d for d in (event_of(e)["detail"] for e in Entry.objects.filter(
        action="record.sign", object_id=str(record.pk))) if d["signature"] == sig.pk]
    # the event carries the decision and the opinion's hash, never its text
    assert detail["decision"] == "同意" and detail["scheme"] == 5 and detail["signer_role"] == "unit_head"
    # keyed like the signature digest's pepper (review §7): the plain hash of a short text is guessable
    assert detail["opinion_sha256"] == keyed_sha256("opinion", "同意立案，由张明承办。")
    assert detail["opinion_sha256"] != content_sha256({"opinion": "同意立案，由张明承办。"})
    leaves = b"".join(bytes(e.leaf) for e in Entry.objects.filter(object_type="record"))
    assert "由张明承办".encode() not in leaves and json.dumps("由张明承办").encode() not in leaves


@pytest.mark.parametrize("decision", ["不同意", "退回"])
def test_refusing_needs_a_reason_and_leaves_the_record_incomplete(world, decision):
    record = start_approval(world)
    entries = Entry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.sign_as_leader(world.unit_head, record, decision=decision, opinion="  ")
    assert exc.value.messages == [f"选择“{decision}”必须写明理由（意见）。"]
    assert Entry.objects.count() == entries and not record.signatures.filter(role="leader").exists()
    services.sign_as_leader(world.unit_head, record, decision=decision, opinion="启动理由不充分")
    st = selectors.record_with_state(record.pk)
    assert not st.complete and st.needs_leader and st.missing == [f"负责人同意（现为“{decision}”）"]
    assert [(s.signer_name, s.opinion) for s in st.refusals] == [("陈队长", "启动理由不充分")]
    # the stage requirement stays unmet: the case cannot start its investigation on it
    cases.add_party(world.officer, record.case, kind="person", name="王建国", id_number="11010519491231002X")
    assert "缺少已签字的程序启动审批表或受理通知书" in \
        cases.transition_blockers(record.case)
    # nobody else approves it over the refusal: the officers void it and make it again
    with pytest.raises(ValidationError, match="作废后重新制作"):
        services.sign_as_leader(world.agency_head, record)
    services.void_record(world.officer, record, "负责人退回，重新制作")
    redo = start_approval(world, record.case)
    services.sign_as_leader(world.unit_head, redo, opinion="同意。")
    assert cases.transition_blockers(record.case) == []


def test_unknown_decision_is_refused(world):
    record = start_approval(world)
    with pytest.raises(ValidationError) as exc:
        services.sign_as_leader(world.unit_head, record, decision="可以")
    assert exc.value.messages == ["请选择审批结论（同意、不同意、退回）。"]


def test_legal_review_outcomes_are_the_reviewers_decision(world):
    """LW-L 15: the reviewer's conclusion is one of the five outcomes, written by the reviewer."""
    case = at_decision(world)
    review = services.create_record(world.officer, case, rtype("legal_review_record"), {"matter": "处理意见送审"})
    with pytest.raises(ValidationError) as exc:
        services.sign_in_capacity(world.reviewer, review, SignerRole.REVIEWER, decision="退回", opinion="x")
    assert "补充调查或不予决定" in exc.value.messages[0]
    sig = services.sign_in_capacity(world.reviewer, review, SignerRole.REVIEWER, decision="补充调查或不予决定",
                                    opinion="实际取水量认定证据不足。")
    assert sig.decision == "补充调查或不予决定"
    assert selectors.record_with_state(review.pk).complete  # the review was made; its conclusion is its own


def test_record_page_shows_the_refusal_and_asks_for_opinion(client, world):
    record = start_approval(world)
    client.force_login(world.unit_head)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert 'name="decision" value="不同意"' in page and 'name="opinion"' in page and "必须写明理由" in page
    response = client.post(reverse("records:sign", args=[record.pk]),
                           {"as": "leader", "decision": "退回", "opinion": ""}, follow=True)
    assert "选择“退回”必须写明理由（意见）。" in response.content.decode()
    assert not record.signatures.filter(role="leader").exists()
    client.post(reverse("records:sign", args=[record.pk]), {"as": "leader", "decision": "退回", "opinion": "当事人信息不全"})
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "陈队长" in page and "签署“退回”" in page and "当事人信息不全" in page
    assert 'name="decision"' not in page  # no second approval over a refusal


# ---- the digest and verify ------------------------------------------------------------------------

@pytest.mark.parametrize("column, value", [("opinion", "同意"), ("decision", "同意")])
def test_changed_opinion_or_decision_is_found(verified_world, column, value):
    world = verified_world
    record = start_approval(world)
    sig = services.sign_as_leader(world.unit_head, record, decision="不同意", opinion="证据不足，不同意启动")
    assert verify_log().ok
    drop_append_only("records_signature")
    assert sql(f"UPDATE records_signature SET {column} = %s WHERE id = %s", [value, sig.pk]) == 1
    f = found(verify_log(), "altered", f"record:{record.pk} signature:{sig.pk}")
    assert f.code == "records.E016"


def test_digest_covers_opinion_and_decision(world):
    record = start_approval(world)
    sig = Signature.objects.select_related("version").get(pk=services.sign_as_leader(
        world.unit_head, record, opinion="同意").pk)
    assert signature_digest(sig, []) == sig.digest
    sig.opinion = "不同意"
    assert signature_digest(sig, []) != sig.digest


def test_signature_from_before_opinions_still_verifies(verified_world):
    """A signature logged before issue 12 (scheme 2, no decision or opinion in its event) verifies
    with decision 同意 and no opinion — the values migration 0004 gave it — and not otherwise."""
    from django.db import transaction
    from django.utils import timezone

    from liuhen.ledger import services as ledger

    world = verified_world
    record = start_approval(world)
    with transaction.atomic():
        sig = Signature(record=record, version=record.versions.get(), role=SignerRole.LEADER, signer=world.unit_head,
                        signer_name=world.unit_head.display_name, recorded_by=world.unit_head, decision="同意",
                        signed_at=timezone.now())
        sig.digest = signature_digest(sig, [], scheme=2)
        sig.save()
        ledger.append("record.sign", actor=world.unit_head, object_type="record", object_id=record.pk,
                      object_version=1, content_sha256=record.versions.get().content_sha256,
                      detail={"signature": sig.pk, "role": "leader", "digest": sig.digest})
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    drop_append_only("records_signature")
    sql("UPDATE records_signature SET decision = %s, opinion = %s WHERE id = %s", ["不同意", "后补的意见", sig.pk])
    assert found(verify_log(), "altered", f"record:{record.pk} signature:{sig.pk}").code == "records.E016"
