"""Revoked (撤销) and replaced (被替换) documents: append-only withdrawals with their reason and
event; the 机关负责人 revokes, a leader re-issues a corrected document with a NEW 文号 and the
earlier one is marked replaced in the same transaction; the status is derived — voided > revoked >
replaced > valid — one rule for IssuedDocument.status and selectors.status_of; every refusal in
the ledger."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.documents import selectors, services
from liuhen.documents import vocabulary as v
from liuhen.documents.models import DocumentNumber, DocumentStatus, DocumentWithdrawal, IssuedDocument, WithdrawalKind
from liuhen.testing.documents_seal import complete_record
from liuhen.testing.documents_verify import events, later_version
from liuhen.testing.snapshots import scene_fixture


# (world, a document issued); (world, a document issued, another issued on another case): built once per
# run and copied in with their keys and files (liuhen.testing.withdrawal_scene).
one = scene_fixture("one", "liuhen.testing.withdrawal_scene:one_issued_scene")
two = scene_fixture("two", "liuhen.testing.withdrawal_scene:two_issued_scene")


def _status(doc):
    doc = IssuedDocument.objects.get(pk=doc.pk)
    assert selectors.status_of(doc) == doc.status  # one implementation
    return doc.status


def _refused_codes():
    return [e["detail"]["codes"] for e in events(v.REFUSED)]


# ---- revoke ------------------------------------------------------------------------------------------

def test_the_agency_head_revokes_with_a_reason(one):
    world, doc = one
    assert _status(doc) == DocumentStatus.VALID
    w = services.revoke_document(world.agency_head, doc, "经行政复议决定撤销")
    assert w.kind == WithdrawalKind.REVOKED and w.replacement is None and w.withdrawn_by == world.agency_head
    assert _status(doc) == DocumentStatus.REVOKED and DocumentStatus(doc.status).label == "已撤销"
    [event] = events(v.REVOKE)
    assert event["object"] == {"type": "document_withdrawal", "id": str(w.pk), "version": None}
    assert event["content_sha256"] == w.ledger_digest()
    assert event["detail"] == {"document": doc.pk, "text": doc.number.text, "kind": "revoked", "replacement": None}
    assert "经行政复议" not in str(event)  # the reason is in the row, covered by the digest, not in the log


@pytest.mark.parametrize("who", ["unit_head", "officer", "reviewer", "sysadmin", "outsider"])
def test_only_the_agency_head_revokes(one, who):
    world, doc = one
    with pytest.raises(PermissionDenied) as exc:
        services.revoke_document(getattr(world, who), doc, "自行纠正")
    assert "机关负责人" in str(exc.value)
    assert not DocumentWithdrawal.objects.exists() and _status(doc) == DocumentStatus.VALID
    assert _refused_codes() == [["PermissionDenied"]]
    refused = events(v.REFUSED)[0]
    assert refused["detail"]["act"] == "revoke" and refused["object"]["id"] == str(doc.pk)


def test_revoking_needs_a_reason_and_not_one_naming_the_party(one):
    world, doc = one
    for reason, code, words in (("", "reason_required", "请填写撤销理由"), ("   ", "reason_required", "请填写撤销理由"),
                                ("当事人王五申请复议", "reason_personal", "不能含有当事人"),
                                ("执法人员张明送达有误", "reason_personal", "不能含有当事人或执法人员"),
                                ("x" * 501, "max_length", "最多500个字符")):
        with pytest.raises(ValidationError) as exc:
            services.revoke_document(world.agency_head, doc, reason)
        assert words in exc.value.messages[0]
        assert exc.value.error_list[0].code == code
    assert not DocumentWithdrawal.objects.exists()
    assert _refused_codes() == [["reason_required"], ["reason_required"], ["reason_personal"], ["reason_personal"],
                                ["max_length"]]


def test_revoking_twice_or_a_voided_document_is_refused(two):
    world, doc, other = two
    services.revoke_document(world.agency_head, doc, "自行纠正")
    with pytest.raises(ValidationError) as exc:
        services.revoke_document(world.agency_head, doc, "再次撤销")
    assert "已撤销" in exc.value.messages[0]
    services.void_number(world.agency_head, other.number, "文号登记有误")
    with pytest.raises(ValidationError) as exc:
        services.revoke_document(world.agency_head, other, "撤销")
    assert "文号已作废" in exc.value.messages[0]
    assert DocumentWithdrawal.objects.count() == 1
    assert _refused_codes() == [["already_revoked"], ["voided"]]


def test_voided_wins_over_revoked(one):
    world, doc = one
    services.revoke_document(world.agency_head, doc, "自行纠正")
    services.void_number(world.agency_head, doc.number, "文号登记有误")
    assert _status(doc) == DocumentStatus.VOIDED


# ---- re-issue of a later version: a NEW 文号, the earlier document replaced ----------------------------

def test_a_later_version_is_reissued_by_a_leader_with_a_reason(one):
    world, first = one
    record = first.record
    later_version(world, record)
    with pytest.raises(PermissionDenied):  # the officer issued the first; a re-issue is a leader's
        services.issue_document(world.officer, record, reason="更正笔误")
    with pytest.raises(ValidationError) as exc:
        services.issue_document(world.unit_head, record)
    assert "请填写重新签发理由" in exc.value.messages[0]
    assert IssuedDocument.objects.count() == 1 and not DocumentWithdrawal.objects.exists()
    assert _refused_codes() == [["PermissionDenied"], ["reason_required"]]

    second = services.issue_document(world.unit_head, record, reason="更正询问笔录笔误")
    assert second.record_version == 2 and second.number_id != first.number_id
    assert second.number.n == first.number.n + 1 and second.token != first.token
    assert _status(first) == DocumentStatus.REPLACED and _status(second) == DocumentStatus.VALID
    w = DocumentWithdrawal.objects.get()
    assert (w.document, w.replacement, w.kind, w.reason) == (first, second, "replaced", "更正询问笔录笔误")
    issue_event = events(v.ISSUE)[-1]
    assert issue_event["detail"]["replaces"] == first.pk
    [replace_event] = events(v.REPLACE)
    assert replace_event["detail"] == {"document": first.pk, "text": first.number.text, "kind": "replaced",
                                       "replacement": second.pk}
    assert replace_event["content_sha256"] == w.ledger_digest()
    with pytest.raises(ValidationError) as exc:  # the same version: still refused
        services.issue_document(world.unit_head, record, reason="再签一次")
    assert "不能重复签发" in exc.value.messages[0] and second.number.text in exc.value.messages[0]


def test_a_revoked_earlier_version_is_reissued_without_being_marked_replaced(one):
    world, first = one
    services.revoke_document(world.agency_head, first, "自行纠正")
    later_version(world, first.record)
    second = services.issue_document(world.agency_head, first.record, reason="纠正后重新签发")
    assert _status(first) == DocumentStatus.REVOKED and _status(second) == DocumentStatus.VALID
    assert DocumentWithdrawal.objects.count() == 1 and not events(v.REPLACE)


def test_a_failed_reissue_leaves_the_earlier_document_valid(fresh_home, one):
    """The seal's key unreadable during the re-issue: no new number, no row, the earlier document
    not marked replaced — one transaction.
    In a home of its own: the seal key it breaks is no other test's (pytest-xdist workers share one)."""
    from liuhen.documents import seal

    world, first = one
    later_version(world, first.record)
    key = seal._paths(world.agency.pk)[0]
    good = key.read_bytes()
    key.write_bytes(b"not a key")
    try:
        with pytest.raises(Exception):
            services.issue_document(world.unit_head, first.record, reason="更正")
    finally:
        key.write_bytes(good)
    assert IssuedDocument.objects.count() == 1 and DocumentNumber.objects.count() == 1
    assert not DocumentWithdrawal.objects.exists() and _status(first) == DocumentStatus.VALID


# ---- re-issue in place of another record's document (the record voided and made again) ------------------

def test_a_new_record_replaces_the_document_of_a_voided_one(one):
    from liuhen.records import services as records

    world, first = one
    case = first.record.case
    records.void_record(world.officer, first.record, "询问笔录记载有误，重新制作")
    remade = complete_record(world, case)
    with pytest.raises(ValidationError) as exc:
        services.issue_document(world.agency_head, remade, replaces=first)
    assert exc.value.error_list[0].code == "reason_required"
    second = services.issue_document(world.agency_head, remade, replaces=first, reason="原笔录有误，重新制作")
    assert _status(first) == DocumentStatus.REPLACED and _status(second) == DocumentStatus.VALID
    assert DocumentWithdrawal.objects.get().replacement == second


def test_what_cannot_be_replaced_is_refused(two):
    from liuhen.testing.cases import complete

    world, first, other_case_doc = two
    case = first.record.case
    with pytest.raises(ValidationError) as exc:  # a document of another case
        services.issue_document(world.agency_head, complete_record(world, case), replaces=other_case_doc, reason="x")
    assert "不是本案的同类文书" in exc.value.messages[0]
    notice = complete(world, case, "rights_notice")
    with pytest.raises(ValidationError) as exc:  # another kind of document
        services.issue_document(world.agency_head, notice, replaces=first, reason="x")
    assert "不是本案的同类文书" in exc.value.messages[0]
    services.revoke_document(world.agency_head, first, "自行纠正")
    with pytest.raises(ValidationError) as exc:  # revoked already
        services.issue_document(world.agency_head, complete_record(world, case), replaces=first, reason="x")
    assert "已撤销" in exc.value.messages[0]
    with pytest.raises(PermissionDenied):  # an officer may issue, not replace
        services.issue_document(world.officer, complete_record(world, case), replaces=other_case_doc, reason="x")
    assert IssuedDocument.objects.count() == 2 and DocumentWithdrawal.objects.count() == 1
    assert _refused_codes() == [["bad_replaces"], ["bad_replaces"], ["already_revoked"], ["PermissionDenied"]]


def test_a_replaced_document_cannot_be_revoked_nor_replaced_again(one):
    world, first = one
    later_version(world, first.record)
    second = services.issue_document(world.unit_head, first.record, reason="更正")
    with pytest.raises(ValidationError) as exc:
        services.revoke_document(world.agency_head, first, "撤销")
    assert "已被替换" in exc.value.messages[0]
    services.revoke_document(world.agency_head, second, "经行政复议决定撤销")
    assert _status(first) == DocumentStatus.REPLACED and _status(second) == DocumentStatus.REVOKED


def test_the_database_refuses_a_second_withdrawal(two):
    """Two leaders at once: whatever the service checked, one row per document."""
    from django.db import IntegrityError, transaction

    world, doc, other = two
    services.revoke_document(world.agency_head, doc, "自行纠正")
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentWithdrawal.objects.create(document=doc, kind="revoked", reason="再次", withdrawn_by=world.agency_head)
    with pytest.raises(IntegrityError), transaction.atomic():  # a replaced one names its replacement
        DocumentWithdrawal.objects.create(document=other, kind="replaced", reason="x",
                                          withdrawn_by=world.agency_head)
