"""The profile's `documents:` section (issue 16): a bad one is refused on load with its line and a
Chinese reason; its letterhead, title, template, footer and remedies change the rendered document;
an extending profile overrides type by type; the 文号 formats are there for the numbering service."""
import re

import pytest

from liuhen.profiles import loader, selectors
from liuhen.testing import documents as D
from liuhen.testing.cases import to_investigation
from liuhen.testing.profiles import load, profile_text


def refused(body: str) -> loader.ProfileError:
    with pytest.raises(loader.ProfileError) as exc:
        loader.build(profile_text(body=body), label="t.yaml", check_names=True)
    return exc.value


@pytest.mark.parametrize("body, line, words", [
    ("documents:\n  numbering:\n    decision: \"{agency}罚〔{year}〕号\"\n", 6, ["decision", "缺少占位符 {n}", "重号"]),
    ("documents:\n  numbering:\n    decision: \"{agency}罚第{n}号\"\n", 6, ["缺少占位符 {year}"]),
    ("documents:\n  numbering:\n    decision: \"{agncy}罚〔{year}〕第{n}号\"\n", 6, ["未知的占位符 {agncy}"]),
    ("documents:\n  numbering:\n    decision: \"{agency罚〔{year}〕第{n}号\"\n", 6, ["无法使用", "花括号"]),
    ("documents:\n  numbering:\n    decision: \"\"\n", 6, ["文号格式", "非空文字"]),
    ("documents:\n  numbering:\n    decision: \"{agency}〔{year}〕{n:q}号\"\n", 6, ["无法使用"]),
    ("documents:\n  numbering:\n    decisoin: \"{agency}〔{year}〕{n}号\"\n", 6, ["decisoin", "不是已知的文书类型"]),
    ("documents:\n  numbering: [decision]\n", 5, ["文号格式（numbering）应为键值对"]),
    ("documents:\n  kinds:\n    decision: {template: letter}\n", 6, ["模板（template）“letter”不存在", "generic"]),
    ("documents:\n  kinds:\n    decision: {titel: 处罚决定书}\n", 6, ["未知的键“titel”"]),
    ("documents:\n  kinds:\n    decision: {title: \"\"}\n", 6, ["名称（title）应为非空文字"]),
    ("documents:\n  kinds:\n    nonesuch: {title: 某某书}\n", 6, ["nonesuch", "不是已知的文书类型"]),
    ("documents:\n  letterhead: 12\n", 5, ["文书抬头（letterhead）应为文字"]),
    ("documents:\n  remedies: \"\"\n", 5, ["救济途径告知（remedies）应为非空文字"]),
    ("documents:\n  letterhed: 某局\n", 5, ["未知的键“letterhed”"]),
    ("documents: 某局\n", 4, ["执法文书（documents）应为键值对"]),
])
def test_a_bad_documents_section_is_refused_with_its_line_and_reason(world, body, line, words):
    err = refused(body)
    assert len(err.errors) == 1, err.lines()
    assert err.errors[0][1] == line, err.lines()
    for w in words:
        assert w in err.errors[0][2], err.lines()


def test_base_says_what_the_packaged_documents_look_like():
    base = loader.packaged("base", check_names=True)
    docs = base.documents
    assert docs.number_format("decision") == "{agency}罚〔{year}〕第{n}号"
    assert docs.kind("decision").title == "行政处罚决定书" and docs.kind("service_receipt").template == "service_receipt"
    assert "六十日内" in docs.remedies and "六个月内" in docs.remedies
    for code in loader.packaged_codes():  # each format names the year and the number
        for fmt in loader.packaged(code, check_names=True).documents.numbering.values():
            assert "{year}" in fmt and "{n}" in fmt
    assert loader.packaged("LC").documents.number_format("decision") == "{agency}处罚〔{year}〕{n}号"
    assert loader.packaged("LC").documents.number_format("sampling_notice") == "{agency}抽样〔{year}〕第{n}号"


def test_the_agencys_profile_changes_the_document(world):
    """Letterhead, title, template, footer and remedies wording from the profile, not the code."""
    from liuhen.documents.render import render_pdf

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice")
    before = re.sub(r"\s+", "", D.pdf_text(render_pdf(record, number="测水罚告〔2026〕第1号")))
    assert before.startswith("测试市水务局权利告知书") and "复议" not in before
    load(world, profile_text(body="""
documents:
  letterhead: 测试市水务局（水政监察支队）
  footer: 本文书一式两份
  remedies: 如不服本决定，可在六十日内向测试市人民政府申请行政复议。
  kinds:
    rights_notice: {title: 行政处罚事先告知书, template: decision}
"""))
    assert selectors.agency_section(world.agency.pk, "documents").letterhead == "测试市水务局（水政监察支队）"
    after = re.sub(r"\s+", "", D.pdf_text(render_pdf(record, number="测水罚告〔2026〕第1号")))
    assert after.startswith("测试市水务局（水政监察支队）行政处罚事先告知书")
    assert "当事人：王五" in after  # the decision layout's addressee block
    assert "如不服本决定，可在六十日内向测试市人民政府申请行政复议。" in after  # decision layout: remedies
    assert "本文书一式两份" in after
    # an extending profile overrides one kind and keeps the base's others
    docs = selectors.agency_section(world.agency.pk, "documents")
    assert docs.kind("decision").title == "行政处罚决定书"
    assert docs.number_format("decision") == "{agency}罚〔{year}〕第{n}号"


def test_an_agency_may_make_another_record_type_a_document(world):
    from liuhen.documents.render import is_document

    assert not is_document("inspection_record", agency_id=world.agency.pk)
    load(world, profile_text(body="documents:\n  kinds:\n    inspection_record: {template: generic}\n"))
    assert is_document("inspection_record", agency_id=world.agency.pk)
    assert not is_document("inspection_record")  # the packaged default is unchanged


def test_a_layout_naming_fields_the_record_lacks_is_refused_naming_them(world, client):
    """The profile gives a 权利告知书 the 送达回证 layout, whose cells the record does not have: refused,
    naming the fields, nothing rendered half-empty — over HTTP a clear page, and no read logged."""
    from django.urls import reverse

    from liuhen.documents.render import TemplateFieldError, render_pdf
    from liuhen.ledger.models import Entry

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice")
    load(world, profile_text(body="documents:\n  kinds:\n    rights_notice: {template: service_receipt}\n"))
    with pytest.raises(TemplateFieldError) as caught:
        render_pdf(record, number="测水罚告〔2026〕第1号")
    assert caught.value.fields == ["document", "method", "receiver", "refusal_reason", "served_at", "witness"]
    assert "引用了不存在的字段：document、method" in str(caught.value)
    client.force_login(world.officer)
    response = client.get(reverse("documents:record_print", args=[record.pk]))
    assert response.status_code == 500 and "引用了不存在的字段" in response.content.decode()
    assert client.get(reverse("documents:draft_pdf", args=[record.pk])).status_code == 500
    assert not Entry.objects.filter(action="record.view").exists()
