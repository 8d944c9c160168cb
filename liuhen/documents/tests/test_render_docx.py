"""The editable DOCX (docxtpl): it opens with python-docx and holds the document's text; a template
naming a field the document lacks is refused, naming the field, and nothing is returned."""
import io
import shutil
import zipfile

import pytest

from liuhen.testing import documents as D
from liuhen.testing.cases import to_investigation


def _text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_notice_as_docx_holds_its_text(world):
    from liuhen.documents.render import render_docx

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice", rights="陈述、申辩、申请回避、要求听证")
    text = _text(render_docx(record, number="测水罚告〔2026〕第1号"))
    for expected in ("测试市水务局", "权利告知书", "测水罚告〔2026〕第1号", "当事人：王五", "地址：本溪市平山区1号",
                     "告知的权利：陈述、申辩、申请回避、要求听证", "印章位置"):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text  # every tag filled
    draft = _text(render_docx(record))
    assert "（草稿，未编号）" in draft and "测水罚告" not in draft


def test_a_service_receipt_as_docx_is_a_table(world):
    from liuhen.documents.render import render_docx

    case, _ = D.to_service(world)
    record = D.make(world, case, "service_receipt", document="行政处罚决定书（测水罚〔2026〕第3号）",
                    method="直接送达", receiver="王五本人")
    text = _text(render_docx(record, number="测水送〔2026〕第1号"))
    for expected in ("送达回证", "送达文书名称及文号", "行政处罚决定书（测水罚〔2026〕第3号）", "受送达人", "王五",
                     "直接送达", "收件人签名及与受送达人关系", "王五本人"):
        assert expected in text, expected


def test_text_with_xml_characters_stays_well_formed(world):
    from liuhen.documents.render import render_docx

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice", rights="A<B & C>D \"引号\"")
    assert "A<B & C>D \"引号\"" in _text(render_docx(record))


def _misspelled(tmp_path):
    """A copy of the packaged template with one tag misspelled ({{ letterhed }}) and one missing field."""
    from liuhen.documents.docx import TEMPLATE_DIR

    src = TEMPLATE_DIR / "document.docx"
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                assert "{{ letterhead }}" in xml
                xml = xml.replace("{{ letterhead }}", "{{ letterhed }}{{ fields.party_phone }}")
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    return bad


def test_a_template_with_a_misspelled_or_missing_field_is_refused_naming_it(world, tmp_path):
    from liuhen.documents.docx import render_docx
    from liuhen.documents.render import TemplateFieldError

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice")
    good = tmp_path / "good.docx"
    from liuhen.documents.docx import TEMPLATE_DIR

    shutil.copy(TEMPLATE_DIR / "document.docx", good)
    assert "权利告知书" in _text(render_docx(record, template=good))  # the copy itself is fine
    with pytest.raises(TemplateFieldError) as caught:
        render_docx(record, template=_misspelled(tmp_path))
    assert caught.value.fields == ["letterhed", "party_phone"]
    assert "文书模板“bad.docx”引用了不存在的字段：letterhed、party_phone" in str(caught.value)


def test_the_service_receipt_docx_carries_each_method_s_fields(world):
    """委托送达 (民事诉讼法 91): the reason and the body entrusted in 备注, the relation beside the receiver,
    the 送达人 — the same cells as the PDF."""
    from liuhen.documents.render import render_docx
    from liuhen.testing.cases import sign_all

    case, _ = D.to_service(world)
    record = D.make(world, case, "service_receipt", document="行政处罚决定书", method="委托送达", receiver="王五",
                    receiver_relation="成年家属", entrust_reason="当事人长期在沈阳工作", receiving_body="沈阳市水务局",
                    note="送达回证由受托机关寄回")
    sign_all(world, record)
    text = _text(render_docx(record, number="测水送〔2026〕第2号"))
    for expected in ("王五（成年家属）", "委托原因：当事人长期在沈阳工作", "受托（转交）机关：沈阳市水务局",
                     "送达回证由受托机关寄回", world.officer.full_name):
        assert expected in text, expected
