"""The rendered PDF (issue 16 items 1 and 6): the standard layout's Chinese text comes back out of
the file (pdftotext), the CJK font is embedded (pdffonts), pages are numbered, a long body runs onto
a second page, drafts are marked, the QR code is drawn when asked, PDF/A is identified."""
import re

from liuhen.testing import documents as D
from liuhen.testing.cases import add_person, to_investigation


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_decision_has_the_standard_layout_in_chinese(world):
    from liuhen.documents.render import render_pdf

    record = D.decision(world)
    pdf = render_pdf(record, number="测水罚〔2026〕第3号")
    text = _flat(D.pdf_text(pdf))
    for expected in ("测试市水务局", "行政处罚决定书", "测水罚〔2026〕第3号", "当事人：王五", "地址：本溪市平山区1号",
                     "擅自倾倒建筑垃圾约三十立方米", "依据：《中华人民共和国水法》第六十五条",
                     "责令停止违法行为", "六十日内依法申请行政复议", "六个月内依法向人民法院提起行政诉讼",
                     "印章位置", "二〇二六年十二月二日", "第1页共1页"):
        assert expected in text, expected
    assert "草稿" not in text and "扫码验真" not in text  # numbered, and no QR code unless asked
    assert "文号：" not in text  # the typed doc_number field is not printed: the issued number is
    assert D.cjk_embedded(pdf)
    assert D.pdf_info(pdf)["Page size"].startswith("595")  # A4: 595.28 x 841.89 pts


def test_a_draft_is_marked_and_unnumbered(world):
    from liuhen.documents.render import render_pdf

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice", rights="陈述、申辩、申请回避、要求听证")
    text = _flat(D.pdf_text(render_pdf(record)))
    assert "（草稿，未编号）" in text
    rest = text.replace("（草稿，未编号）", "")
    assert "草" in rest and "稿" in rest  # the mark across the page (rotated: its glyphs read apart)
    assert "权利告知书" in text and "王五：" in text and "陈述、申辩、申请回避、要求听证" in text


def test_the_qr_code_is_drawn_when_a_verification_link_is_given(world):
    from liuhen.documents.render import render_pdf

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice")
    without = render_pdf(record, number="测水罚告〔2026〕第1号")
    with_qr = render_pdf(record, number="测水罚告〔2026〕第1号", verify_url="https://liuhen.example/v/Ab3dE")
    assert "扫码验真" in _flat(D.pdf_text(with_qr)) and "扫码验真" not in _flat(D.pdf_text(without))
    images = D.pdf_images(with_qr).splitlines()[2:]
    assert len(images) == 1 and images[0].split()[3] == images[0].split()[4]  # one square image
    assert D.pdf_images(without).splitlines()[2:] == []


def test_a_long_body_runs_onto_numbered_pages(world):
    from liuhen.documents.render import render_pdf

    case = to_investigation(world)
    long_text = "当事人在询问中陈述了取水的经过和用途，并提交了相关材料。" * 90
    record = D.make(world, case, "rights_notice", rights=long_text)
    pdf = render_pdf(record, number="测水罚告〔2026〕第2号")
    assert D.pdf_pages(pdf) >= 2
    text = _flat(D.pdf_text(pdf))
    pages = D.pdf_pages(pdf)
    for page in range(1, pages + 1):
        assert f"第{page}页共{pages}页" in text
    body = re.sub(r"第\d+页共\d+页", "", text)  # the page footers between the pages' text
    assert body.count("取水的经过和用途") == 90  # nothing lost at the page breaks


def test_a_service_receipt_is_a_table_of_its_cells(world):
    from liuhen.documents.render import render_pdf

    case, _ = D.to_service(world)
    record = D.make(world, case, "service_receipt", document="行政处罚决定书（测水罚〔2026〕第3号）",
                    method="留置送达", place="本溪市平山区1号", receiver="", witness="村委会主任刘某",
                    refusal_reason="当事人拒绝签收")
    from liuhen.records import services as rec

    rec.sign_as_officer(world.officer, record)  # the 送达人 signs it
    text = _flat(D.pdf_text(render_pdf(record, number="测水送〔2026〕第1号")))
    assert re.search("送达人" + world.officer.full_name, text)
    for cell in ("送达回证", "送达文书名称及文号", "行政处罚决定书（测水罚〔2026〕第3号）", "送达单位", "受送达人", "王五",
                 "送达时间", "送达地点", "送达方式", "留置送达", "收件人签名及与受送达人关系", "见证人",
                 "村委会主任刘某", "送达人", "备注", "拒收事由：当事人拒绝签收", "印章位置"):
        assert cell in text, cell


def test_the_archive_copy_is_pdf_a(world):
    """Item 6: WeasyPrint writes the PDF/A identification (pdfaid) into the archive copy."""
    from liuhen.documents.render import render_pdf

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice")
    plain = render_pdf(record, number="测水罚告〔2026〕第1号")
    archive = render_pdf(record, number="测水罚告〔2026〕第1号", pdf_variant="pdf/a-3b")
    assert "pdfaid" not in D.pdf_metadata(plain)
    meta = D.pdf_metadata(archive)
    assert re.search(r"pdfaid:part(>|=\")3", meta) and re.search(r"pdfaid:conformance(>|=\")B", meta)
    assert "权利告知书" in _flat(D.pdf_text(archive)) and D.cjk_embedded(archive)


def test_a_party_added_later_and_an_organisation_are_addressed(world):
    from liuhen.documents.render import document_for
    from liuhen.testing.cases import CREDIT_CODE

    case = to_investigation(world)
    add_person(world, case, kind="organisation", name="本溪某建材有限公司", id_number=CREDIT_CODE,
               legal_representative="赵某", address="本溪市明山区2号")
    doc = document_for(D.make(world, case, "rights_notice"))
    assert [(a.name, a.address) for a in doc.addressees] == [("王五", "本溪市平山区1号"),
                                                             ("本溪某建材有限公司", "本溪市明山区2号")]


def test_the_chinese_date():
    import datetime

    from liuhen.documents.render import cn_date

    assert cn_date(datetime.date(2026, 12, 2)) == "二〇二六年十二月二日"
    assert cn_date(datetime.date(2030, 10, 20)) == "二〇三〇年十月二十日"
    assert cn_date(datetime.date(2026, 1, 31)) == "二〇二六年一月三十一日"
    assert cn_date(datetime.date(2026, 11, 15)) == "二〇二六年十一月十五日"


def test_which_record_types_are_documents(world):
    from liuhen.documents.render import DOCUMENT_TYPES, is_document
    from liuhen.records.models import RecordType

    codes = set(RecordType.objects.values_list("code", flat=True))
    assert set(DOCUMENT_TYPES) <= codes  # every one names a real record type
    assert is_document("decision") and is_document("service_receipt") and is_document("reminder_notice")
    assert not is_document("inquiry_record") and not is_document("archive_register")
