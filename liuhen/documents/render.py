"""Rendering a record to a document (执法文书): PDF with WeasyPrint and Noto CJK, DOCX with docxtpl.

The contract other modules call (issue 16): `render_pdf(record, *, number=None, verify_url=None,
pdf_variant=None) -> bytes` — the record's latest content laid out as the standard Chinese
enforcement document of its type, `number` the 文号 printed (None: a draft, marked as such),
`verify_url` the link the QR code carries (None: no QR code), `pdf_variant` WeasyPrint's (e.g.
"pdf/a-3b" for the archive copy). This first version only lays out the record's fields.
"""
from __future__ import annotations


def render_pdf(record, *, number: str | None = None, verify_url: str | None = None,
               pdf_variant: str | None = None) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from liuhen.records.selectors import record_with_state

    st = record_with_state(record.pk)
    html = render_to_string("documents/minimal.html", {
        "record": record, "content": st.latest.content, "number": number, "verify_url": verify_url})
    return HTML(string=html).write_pdf(pdf_variant=pdf_variant)
