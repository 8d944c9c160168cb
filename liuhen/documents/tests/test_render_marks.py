"""签名笔迹 in the documents (issue 16 §5): a party's or witness's handwritten mark — drawn on a pad
or a photo of the signed paper — is placed as an image beside their name in the PDF, in the 送达回证's
收件人签名 and 见证人 cells, and in the DOCX. The pages are rendered to PNG to be looked at
(written to the test's temporary folder)."""
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest

from liuhen.records import services as records
from liuhen.records.models import MarkKind, SignerRole
from liuhen.testing import documents as D
from liuhen.testing.cases import to_investigation
from liuhen.testing.marks import canvas_png, paper_jpeg

pytestmark = pytest.mark.usefixtures("fresh_home")

PARTY = "王五"  # the party of liuhen.testing.documents' cases


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _images(pdf: bytes) -> list[list[str]]:
    """pdfimages -list's rows: page, num, type, width, height, color, comp, bpc, enc, …"""
    return [line.split() for line in D.pdf_images(pdf).splitlines()[2:]]


def _look(pdf: bytes, name: str, tmp_path) -> Path:
    folder = tmp_path
    pages = D.to_pngs(pdf, tmp_path / name, dpi=80)
    target = folder / f"marks-{name}.png"
    target.write_bytes(pages[0].read_bytes())
    return target


def _sign(world, record, role=SignerRole.PARTY, name=PARTY, mark=None, kind=""):
    return records.record_other_signature(world.officer, record, role=role, signer_name=name, mark=mark,
                                          mark_kind=kind)


def test_a_notice_shows_the_party_and_witness_marks_beside_their_names(world, tmp_path):
    from liuhen.documents.render import render_pdf

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice", rights="陈述、申辩、申请回避、要求听证")
    records.sign_as_officer(world.officer, record)
    _sign(world, record, mark=canvas_png(), kind=MarkKind.CANVAS)
    _sign(world, record, role=SignerRole.WITNESS, name="李四", mark=paper_jpeg(), kind=MarkKind.PHOTO)
    pdf = render_pdf(record, number="测水罚告〔2026〕第1号")
    text = _flat(D.pdf_text(pdf))
    assert "当事人签名：王五" in text and "见证人签名：李四" in text
    rows = _images(pdf)
    assert len(rows) == 2, rows  # the two marks, and nothing else (no QR code asked)
    sizes = sorted((int(r[3]), int(r[4])) for r in rows)
    assert sizes == [(300, 120), (640, 480)]  # embedded at their own resolution
    assert "jpeg" in [r[8] for r in rows]  # the photo goes in as the JPEG it is
    assert _look(pdf, "notice", tmp_path).stat().st_size > 0


def test_a_service_receipt_puts_the_addressees_mark_in_its_cell(world, tmp_path):
    from liuhen.documents.render import render_pdf

    case, _ = D.to_service(world)
    record = D.make(world, case, "service_receipt", document="行政处罚决定书（测水罚〔2026〕第3号）",
                    method="直接送达", place="本溪市平山区1号", receiver="本人", witness="")
    records.sign_as_officer(world.officer, record)
    _sign(world, record, mark=canvas_png(), kind=MarkKind.CANVAS)
    pdf = render_pdf(record, number="测水送〔2026〕第1号")
    text = _flat(D.pdf_text(pdf))
    assert "王五" in text and "本人" in text
    assert re.search(r"收件人签名.*王五.*本人", text)  # the mark's name in the 收件人签名 cell, then the relation
    assert len(_images(pdf)) == 1
    assert D.pdf_pages(pdf) == 1  # the mark fits the cell: the seal stays on the receipt's page
    assert _look(pdf, "service-receipt", tmp_path).stat().st_size > 0


def test_a_refusal_is_printed_without_a_mark(world):
    from liuhen.documents.render import render_pdf

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice")
    records.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name=PARTY, refused=True,
                                   reason="不同意告知内容")
    pdf = render_pdf(record, number="测水罚告〔2026〕第2号")
    text = _flat(D.pdf_text(pdf))
    assert "当事人：王五（拒绝签字）" in text and "不同意告知内容" not in text
    assert _images(pdf) == []


def test_a_mark_whose_file_is_gone_is_said_so(world):
    from liuhen.documents.render import render_pdf
    from liuhen.media import store

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice")
    sig = _sign(world, record, mark=canvas_png(), kind=MarkKind.CANVAS)
    store.path_for(sig.mark_id).unlink()
    text = _flat(D.pdf_text(render_pdf(record, number="测水罚告〔2026〕第3号")))
    assert "王五（签名笔迹文件不可读）" in text


def test_a_document_without_marks_prints_as_before(world):
    from liuhen.documents.render import render_pdf

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice")
    text = _flat(D.pdf_text(render_pdf(record, number="测水罚告〔2026〕第4号")))
    assert "签名：" not in text


def test_the_docx_holds_the_marks_bytes(world):
    from docx import Document

    from liuhen.documents.render import render_docx

    case = to_investigation(world)
    record = D.make(world, case, "rights_notice")
    png, jpg = canvas_png(), paper_jpeg()
    _sign(world, record, mark=png, kind=MarkKind.CANVAS)
    _sign(world, record, role=SignerRole.WITNESS, name="李四", mark=jpg, kind=MarkKind.PHOTO)
    data = render_docx(record, number="测水罚告〔2026〕第1号")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = {hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if n.startswith("word/media/")}
    assert media == {hashlib.sha256(png).hexdigest(), hashlib.sha256(jpg).hexdigest()}  # as taken
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "当事人签名： 王五" in text and "见证人签名： 李四" in text
    assert "{{" not in text and "{%" not in text


def test_the_service_receipt_docx_puts_the_mark_in_its_cell(world):
    from docx import Document

    from liuhen.documents.render import render_docx

    case, _ = D.to_service(world)
    record = D.make(world, case, "service_receipt", document="行政处罚决定书（测水罚〔2026〕第3号）",
                    method="直接送达", receiver="本人")
    png = canvas_png()
    _sign(world, record, mark=png, kind=MarkKind.CANVAS)
    data = render_docx(record, number="测水送〔2026〕第1号")
    doc = Document(io.BytesIO(data))
    cells = {r.cells[0].text: r.cells[1] for t in doc.tables for r in t.rows}
    cell = cells["收件人签名及与受送达人关系"]
    assert "王五" in cell.text and "本人" in cell.text
    assert cell._tc.xpath(".//w:drawing")  # the image is in that cell
    assert not cells["见证人"]._tc.xpath(".//w:drawing")
