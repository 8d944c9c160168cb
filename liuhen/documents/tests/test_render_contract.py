"""The rendering contract (liuhen.documents.render.render_pdf): a record's content in a PDF whose
Chinese text comes back out (pdftotext) with a CJK font embedded (pdffonts)."""
import subprocess

from liuhen.testing.cases import make_record, to_investigation


def test_a_record_renders_to_a_pdf_with_its_chinese_text(world, tmp_path):
    from liuhen.documents.render import render_pdf

    case = to_investigation(world)
    record = make_record(world, case, "inquiry_record")
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(render_pdf(record, number="测水罚〔2026〕第1号"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "询问笔录" in text and "测水罚〔2026〕第1号" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts and " yes " in fonts  # embedded
