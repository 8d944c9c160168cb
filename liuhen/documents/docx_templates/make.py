"""Builds the packaged DOCX templates (docxtpl: Jinja tags inside a Word file) of the documents
app. Run `python -m liuhen.documents.docx_templates.make` after changing it; the .docx files are
committed. An agency may edit a copy in Word: the tags are the names of docx.py's context
(letterhead, title, number_line, addressees, rows, basis, remedy_lines, agency, date_cn, fields.<name>,
signers / receivers / witnesses with their handwritten marks' images…)."""
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
FONT = "Noto Serif CJK SC"


def _base() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return doc


def _p(doc, text, *, size=None, bold=False, align=None, indent=False):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(28)
    return p


def _head(doc):
    _p(doc, "{{ letterhead }}", size=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _p(doc, "{{ title }}", size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _p(doc, "{{ number_line }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def _closing(doc):
    _p(doc, "")
    _p(doc, "（印章位置）", size=9, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _p(doc, "{{ agency }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _p(doc, "{{ date_cn }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def document() -> Document:
    """决定书、告知书、通知书 and the rest: the party, the body under its labels, basis, remedies."""
    doc = _base()
    _head(doc)
    _p(doc, "{%p for p in addressees %}")
    _p(doc, "当事人：{{ p.name }}{% if p.representative %}（法定代表人/负责人：{{ p.representative }}）{% endif %}")
    _p(doc, "{% if p.address %}地址：{{ p.address }}{% endif %}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p for row in rows %}")
    _p(doc, "{{ row.label }}：{{ row.value }}", indent=True)
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p if basis %}")
    _p(doc, "依据：{{ basis }}", indent=True)
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for line in remedy_lines %}")
    _p(doc, "{{ line }}", indent=True)
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p for s in signers %}")
    _p(doc, "{{ s.role }}{% if s.refused %}：{% else %}签名：{% endif %}{{ s.image }} {{ s.name }}{{ s.note }} {{ s.date_cn }}")
    _p(doc, "{%p endfor %}")
    _closing(doc)
    return doc


# A cell's handwritten marks (签名笔迹) before what the officer typed: image, name, date.
MARKS = "{{% for s in {} %}}{{{{ s.image }}}} {{{{ s.name }}}}{{{{ s.note }}}} {{{{ s.date_cn }}}}　{{% endfor %}}"


def service_receipt() -> Document:
    """送达回证 (SPEC §11): a table of its cells."""
    doc = _base()
    _head(doc)
    # The fields each way of service adds (liuhen.delivery) are optional and absent from older receipts:
    # read with fields.get, so that such a receipt still fills (the template names no missing field).
    cells = [("送达文书名称及文号",
              "{{ fields.document }}{% if fields.get('doc_number') %}（{{ fields.get('doc_number') }}）{% endif %}"),
             ("送达单位", "{{ agency }}"),
             ("受送达人", "{{ addressee_names }}"), ("送达时间", "{{ fields.served_at }}"),
             ("送达地点", "{{ fields.place }}"),
             ("送达方式", "{{ fields.method }}{% if fields.method == '电子送达' and fields.get('e_address') %}"
                      "（电子送达地址：{{ fields.get('e_address') }}）{% endif %}"),
             ("收件人签名及与受送达人关系", MARKS.format("receivers") + "{{ fields.receiver }}"
              "{% if fields.receiver and fields.get('receiver_relation') %}（{{ fields.get('receiver_relation') }}）{% endif %}"),
             ("见证人", MARKS.format("witnesses") + "{{ fields.witness }}"
              "{% if fields.witness and fields.get('witness_identity') %}（{{ fields.get('witness_identity') }}）{% endif %}"),
             ("送达人", "{{ officers|join('、') }}"),
             ("备注", "{% if fields.refusal_reason %}拒收事由：{{ fields.refusal_reason }}"
                    "{% if fields.method == '留置送达' and fields.get('refused_on') %}（{{ fields.get('refused_on') }}）{% endif %}"
                    "　{% endif %}{% if fields.method in ('委托送达', '转交送达') %}{{ fields.method[:2] }}原因："
                    "{{ fields.get('entrust_reason', '') }}；受托（转交）机关：{{ fields.get('receiving_body', '') }}　{% endif %}"
                    "{{ fields.get('note', '') }}")]
    table = doc.add_table(rows=len(cells), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (label, value) in zip(table.rows, cells):
        row.cells[0].text, row.cells[1].text = label, value
        row.cells[0].width, row.cells[1].width = Cm(5), Cm(11)
    _closing(doc)
    return doc


TEMPLATES = {"document.docx": document, "service_receipt.docx": service_receipt}


def main() -> None:
    for name, build in TEMPLATES.items():
        build().save(HERE / name)
        print(HERE / name)


if __name__ == "__main__":
    main()
