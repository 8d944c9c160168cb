"""Print views (打印视图) of a record and of a case's documents, and the draft PDF/DOCX downloads: for
users who may see the case, each read traced in the ledger as a view of the record; refused to the
others as if the page did not exist, the refusal traced; no navigation, no hashes on the page."""
import io
import re

import pytest
from django.urls import reverse

from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing import documents as D
from liuhen.testing.cases import to_investigation
from liuhen.testing.otp import login_verified


@pytest.fixture
def notice(world):
    case = to_investigation(world)
    return D.make(world, case, "rights_notice", rights="陈述、申辩、申请回避、要求听证")


def _reads(record, form):
    return [e for e in Entry.objects.filter(action="record.view", object_type="record", object_id=str(record.pk))
            if event_of(e)["detail"].get("document") == form]


@pytest.mark.pages_only
def test_the_print_view_of_a_record(client, world, notice):
    login_verified(client, world.officer2)  # an officer of the case's unit, not its author
    response = client.get(reverse("documents:record_print", args=[notice.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    for expected in ("测试市水务局", "权利告知书", "王五", "本溪市平山区1号", "陈述、申辩、申请回避、要求听证",
                     "印章位置", "（草稿，未编号）", "@media print"):
        assert expected in page, expected
    assert "<nav" not in page and "退出" not in page  # no navigation
    assert not re.search(r"\b[0-9a-f]{64}\b", page)  # no hashes
    [read] = _reads(notice, "print")
    assert read.actor_id == world.officer2.pk
    assert "王五".encode() not in bytes(read.leaf) and "平山区".encode() not in bytes(read.leaf)  # no personal data


def test_the_print_view_of_a_case_puts_its_documents_in_order(client, world):
    from liuhen.records import services as rec

    case = to_investigation(world)
    first = D.make(world, case, "rights_notice", rights="第一份告知的权利")
    D.make(world, case, "inquiry_record")  # not a document a party receives: left out
    voided = D.make(world, case, "evidence_request_notice", evidence="作废的调取证据")
    rec.void_record(world.officer, voided, "填写错误")
    second = D.make(world, case, "evidence_request_notice", evidence="账簿和取水记录")
    login_verified(client, world.officer)
    page = client.get(reverse("documents:case_print", args=[case.pk])).content.decode()
    assert page.index("第一份告知的权利") < page.index("账簿和取水记录")
    assert page.count('class="document"') == 2 and "作废的调取证据" not in page and "询问笔录" not in page
    assert len(_reads(first, "case_print")) == 1 and len(_reads(second, "case_print")) == 1
    assert _reads(voided, "case_print") == []


def test_a_case_without_documents_says_so(client, world):
    case = world.open_case()
    login_verified(client, world.officer)
    response = client.get(reverse("documents:case_print", args=[case.pk]))
    assert response.status_code == 404 and "还没有执法文书" in response.content.decode()


@pytest.mark.parametrize("name", ["record_print", "draft_pdf", "draft_docx"])
def test_an_officer_of_another_unit_is_refused_and_it_is_traced(client, world, notice, name):
    login_verified(client, world.outsider)
    response = client.get(reverse(f"documents:{name}", args=[notice.pk]))
    assert response.status_code == 404 and "王五" not in response.content.decode(errors="replace")
    assert not Entry.objects.filter(action="record.view").exists()
    denied = Entry.objects.get(action="access.denied")
    assert (denied.actor_id, denied.object_type, denied.object_id) == (world.outsider.pk, "record", str(notice.pk))


def test_a_case_print_refused_to_another_unit_and_to_the_system_admin(client, world, notice):
    for user in (world.outsider, world.sysadmin):
        login_verified(client, user)
        assert client.get(reverse("documents:case_print", args=[notice.case_id])).status_code == 404
    assert Entry.objects.filter(action="access.denied", object_type="case").count() == 2
    assert not Entry.objects.filter(action="record.view").exists()


@pytest.mark.pages_only
def test_anonymous_users_are_sent_to_log_in(client, notice):
    response = client.get(reverse("documents:draft_pdf", args=[notice.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.pages_only
def test_the_draft_pdf_and_docx_downloads(client, world, notice):
    from docx import Document

    login_verified(client, world.officer)
    pdf = client.get(reverse("documents:draft_pdf", args=[notice.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"] and "filename*=utf-8''" in pdf["Content-Disposition"]
    text = re.sub(r"\s+", "", D.pdf_text(pdf.content))
    assert "权利告知书" in text and "（草稿，未编号）" in text
    docx = client.get(reverse("documents:draft_docx", args=[notice.pk]))
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    assert "权利告知书" in "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert len(_reads(notice, "draft_pdf")) == 1 and len(_reads(notice, "draft_docx")) == 1


def test_a_voided_record_prints_marked_as_voided(client, world, notice):
    from liuhen.records import services as rec

    rec.void_record(world.officer, notice, "填写错误")
    login_verified(client, world.officer)
    page = client.get(reverse("documents:record_print", args=[notice.pk])).content.decode()
    assert "已作废" in page and ">草稿<" not in page
