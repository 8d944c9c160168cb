"""The staff's document pages: the 执法文书 panel on a record's page (签发 where the service accepts it,
what is missing where it does not, the issued 文号 and the sealed PDF as issued), the case page's list
of documents, the print view of an issued document, and the 文号登记簿 with 作废文号 — each read
logged, each refusal answered in Chinese with a 4xx and recorded, nothing half-written."""
import hashlib
import json

import pytest
from django.urls import reverse

from liuhen.documents import vocabulary as v
from liuhen.documents.models import DocumentNumber, IssuedDocument, NumberVoid
from liuhen.ledger.models import Entry
from liuhen.testing import documents as D
from liuhen.testing.documents_seal import complete_record, incomplete_record


def _events(action):
    return [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=action).order_by("pk")]


@pytest.fixture
def decision(world):
    _case, made = D.to_service(world)
    return made


def test_a_complete_decision_is_issued_from_its_page(client, world, decision):
    client.force_login(world.officer)
    page = client.get(reverse("records:detail", args=[decision.pk])).content.decode()
    assert "执法文书" in page and reverse("documents:issue", args=[decision.pk]) in page
    assert reverse("documents:record_print", args=[decision.pk]) in page
    response = client.post(reverse("documents:issue", args=[decision.pk]))
    assert response.status_code == 302
    doc = IssuedDocument.objects.get(record=decision)
    page = client.get(reverse("records:detail", args=[decision.pk])).content.decode()
    assert doc.number.text in page and "有效" in page and f"/v/{doc.token}" in page
    assert reverse("documents:issue", args=[decision.pk]) not in page  # issued: no second 签发
    # The sealed PDF as issued, byte for byte, its download logged.
    pdf = b"".join(client.get(reverse("documents:issued_pdf", args=[doc.pk])).streaming_content)
    assert hashlib.sha256(pdf).hexdigest() == doc.pdf_sha256
    [export] = _events(v.EXPORT)
    assert export["detail"]["issued_document"] == doc.pk and export["detail"]["channel"] == "web"
    assert "导出文书" in client.get(reverse("records:detail", args=[decision.pk])).content.decode()  # in its trail
    # The print view now shows the 文号 and the verification link, no longer 草稿.
    printed = client.get(reverse("documents:record_print", args=[decision.pk])).content.decode()
    assert doc.number.text in printed and "草稿" not in printed and f"/v/{doc.token}" in printed
    # The case page lists it with its 文号.
    case_page = client.get(reverse("cases:detail", args=[decision.case_id])).content.decode()
    assert "case-documents" in case_page and doc.number.text in case_page


def test_the_panel_says_what_is_missing_and_issuing_is_refused(client, world):
    record = incomplete_record(world)
    client.force_login(world.officer)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    # 询问笔录 is not a document handed to a party: no panel; the refusal holds anyway.
    assert 'id="record-document"' not in page
    before = Entry.objects.count()
    response = client.post(reverse("documents:issue", args=[record.pk]))
    assert response.status_code == 409 and "记录尚不完整" in response.content.decode()
    assert DocumentNumber.objects.count() == 0 and IssuedDocument.objects.count() == 0  # no number used
    [refused] = _events(v.REFUSED)
    assert refused["object"]["id"] == str(record.pk) and Entry.objects.count() == before + 1


def test_an_incomplete_decision_shows_what_is_missing(client, world):
    from liuhen.testing.cases import to_decision

    record = D.decision(world, to_decision(world))
    client.force_login(world.officer)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert 'id="record-document"' in page and "尚不能签发" in page
    assert reverse("documents:issue", args=[record.pk]) not in page


@pytest.mark.pages_only
def test_who_may_not_see_the_case_cannot_issue(client, world, decision):
    client.force_login(world.outsider)
    assert client.post(reverse("documents:issue", args=[decision.pk])).status_code == 404
    assert IssuedDocument.objects.count() == 0


def test_issuing_twice_from_the_page_is_refused(client, world, decision):
    client.force_login(world.officer)
    client.post(reverse("documents:issue", args=[decision.pk]))
    response = client.post(reverse("documents:issue", args=[decision.pk]))
    assert response.status_code == 409 and "不能重复签发" in response.content.decode()
    assert IssuedDocument.objects.count() == 1 and DocumentNumber.objects.count() == 1


def test_the_number_register_lists_and_voids_with_a_reason(client, world, decision):
    from liuhen.documents import services

    doc = services.issue_document(world.officer, decision)
    client.force_login(world.agency_head)
    page = client.get(reverse("documents:numbers")).content.decode()
    assert doc.number.text in page and "已使用" in page and "作废文号" in page
    assert _events(v.NUMBERS_VIEW)[-1]["detail"]["rows"] == 1
    # No reason: refused, nothing voided, the refusal recorded.
    response = client.post(reverse("documents:void_number", args=[doc.number.pk]), {"reason": "  "})
    assert response.status_code == 400 and "请填写作废理由" in response.content.decode()
    assert not NumberVoid.objects.exists() and _events(v.REFUSED)
    response = client.post(reverse("documents:void_number", args=[doc.number.pk]), {"reason": "送达前发现当事人名称有误"})
    assert response.status_code == 302
    page = client.get(reverse("documents:numbers")).content.decode()
    assert "已作废" in page and "送达前发现当事人名称有误" in page
    # The record's panel shows the document void.
    client.force_login(world.officer)
    assert "已作废" in client.get(reverse("records:detail", args=[decision.pk])).content.decode()


@pytest.mark.pages_only
def test_the_register_is_for_leaders_and_those_who_read_every_case(client, world):
    client.force_login(world.officer)
    assert client.get(reverse("documents:numbers")).status_code == 403
    from liuhen.ledger.refusals import DENIED

    [denied] = _events(DENIED)
    assert denied["object"]["id"] == reverse("documents:numbers") and denied["detail"]["status"] == 403
    client.force_login(world.reviewer)  # 法制审核: reads the register, voids nothing
    page = client.get(reverse("documents:numbers")).content.decode()
    assert "文号登记簿" in page and "作废文号" not in page


def test_a_reviewer_cannot_void(client, world):
    record = complete_record(world)
    from liuhen.documents import services

    doc = services.issue_document(world.officer, record)
    client.force_login(world.reviewer)
    response = client.post(reverse("documents:void_number", args=[doc.number.pk]), {"reason": "理由"})
    assert response.status_code == 403 and not NumberVoid.objects.exists()


@pytest.mark.pages_only
def test_the_print_view_styles_itself_under_the_content_security_policy(client, world, decision):
    """The print view's A4 sheet is one <style> element: allowed by the request's nonce, in the header
    of that response only; other pages keep style-src 'self' (no inline style)."""
    import re

    client.force_login(world.officer)
    response = client.get(reverse("documents:record_print", args=[decision.pk]))
    [nonce] = re.findall(r'<style nonce="([^"]+)">', response.content.decode())
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    record_page = client.get(reverse("records:detail", args=[decision.pk]))
    assert "nonce-" not in record_page["Content-Security-Policy"]


def test_the_agency_head_revokes_from_the_record_page(client, world, decision):
    from liuhen.documents import services

    doc = services.issue_document(world.officer, decision)
    client.force_login(world.officer)
    assert "撤销文书" not in client.get(reverse("records:detail", args=[decision.pk])).content.decode()
    response = client.post(reverse("documents:revoke", args=[doc.pk]), {"reason": "经行政复议决定撤销"})
    assert response.status_code == 403 and selectors_status(doc) == "valid"  # an officer may not
    client.force_login(world.agency_head)
    page = client.get(reverse("records:detail", args=[decision.pk])).content.decode()
    assert reverse("documents:revoke", args=[doc.pk]) in page
    # A reason naming the party would be shown on the public page: refused, nothing written.
    response = client.post(reverse("documents:revoke", args=[doc.pk]), {"reason": "王五申请复议后撤销"})
    assert response.status_code == 400 and "不能含有" in response.content.decode()
    assert selectors_status(doc) == "valid"
    response = client.post(reverse("documents:revoke", args=[doc.pk]), {"reason": "经行政复议决定撤销"})
    assert response.status_code == 302 and selectors_status(doc) == "revoked"
    page = client.get(reverse("records:detail", args=[decision.pk])).content.decode()
    assert "已撤销" in page and reverse("documents:revoke", args=[doc.pk]) not in page
    assert "文书已撤销" in client.get(reverse("documents:numbers")).content.decode()  # the register says so too


def selectors_status(doc):
    from liuhen.documents import selectors

    return selectors.status_of(IssuedDocument.objects.get(pk=doc.pk))


def test_a_remade_record_is_reissued_in_place_of_the_voided_ones_document(client, world):
    from liuhen.documents import services
    from liuhen.records import services as rec
    from liuhen.testing.cases import to_investigation
    from liuhen.testing.documents_seal import complete_record

    case = to_investigation(world)
    first = complete_record(world, case)
    old = services.issue_document(world.officer, first)
    rec.void_record(world.officer, first, "笔录时间写错")
    again = complete_record(world, case)
    # 询问笔录 has no panel (not a document a party holds) — the service and the view still take it:
    # the officer is refused (a leader re-issues), the unit head re-issues with a reason.
    client.force_login(world.officer)
    response = client.post(reverse("documents:issue", args=[again.pk]), {"replaces": old.pk, "reason": "更正时间"})
    assert response.status_code == 403 and IssuedDocument.objects.count() == 1
    client.force_login(world.unit_head)
    response = client.post(reverse("documents:issue", args=[again.pk]), {"replaces": old.pk})
    assert response.status_code == 409 and "请填写重新签发理由" in response.content.decode()
    response = client.post(reverse("documents:issue", args=[again.pk]), {"replaces": "9" * 40, "reason": "x"})
    assert response.status_code == 404  # a number that names no document of this case
    response = client.post(reverse("documents:issue", args=[again.pk]), {"replaces": old.pk, "reason": "更正时间"})
    assert response.status_code == 302
    new = IssuedDocument.objects.get(record=again)
    assert new.number_id != old.number_id and selectors_status(old) == "replaced"


def test_the_panel_offers_a_leader_to_reissue_a_remade_decision(client, world):
    from liuhen.documents import services
    from liuhen.records import services as rec
    from liuhen.testing.cases import sign_all

    first = D.signed_decision(world)
    old = services.issue_document(world.officer, first)
    rec.void_record(world.officer, first, "决定内容有误")
    again = sign_all(world, D.decision(world, first.case, content="责令停止违法行为，罚款人民币叁仟元整。"))
    client.force_login(world.officer)
    page = client.get(reverse("records:detail", args=[again.pk])).content.decode()
    assert old.number.text in page and "重新签发须由承办机构负责人或机关负责人决定" in page
    assert reverse("documents:issue", args=[again.pk]) not in page
    client.force_login(world.unit_head)
    page = client.get(reverse("records:detail", args=[again.pk])).content.decode()
    assert "重新签发（新文号）" in page and f'name="replaces" value="{old.pk}"' in page


def test_an_officer_without_a_valid_certificate_cannot_issue(client, world, decision):
    """LC 10: an officer acts with a valid 执法证 — issuing as an officer too; refused, recorded, no number used."""
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from liuhen.documents import services

    cert = world.officer.certificate_on(timezone.localdate())
    cert.__class__.objects.filter(pk=cert.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(world.officer)
    page = client.get(reverse("records:detail", args=[decision.pk])).content.decode()
    assert reverse("documents:issue", args=[decision.pk]) not in page  # not offered
    with pytest.raises(ValidationError) as refused:
        services.issue_document(world.officer, decision)
    assert "执法证" in " ".join(refused.value.messages)
    assert not DocumentNumber.objects.exists() and _events(v.REFUSED)
    services.issue_document(world.agency_head, decision)  # a leader issues without a certificate
