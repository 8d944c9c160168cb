"""A record's document as an editable Word file (DOCX) with docxtpl: the same context as the PDF
(render.document_for) put into a packaged template (docx_templates/, built by its make.py).

A template that names a field the document does not have (missing, misspelled) is refused with a
Chinese message naming the field (`render.TemplateFieldError`), never rendered half-empty: every
undefined name the template touches is collected while rendering, and nothing is returned if there
is one.
"""
from __future__ import annotations

import io
from pathlib import Path

import jinja2

from .render import TemplateFieldError, document_for

TEMPLATE_DIR = Path(__file__).resolve().parent / "docx_templates"
DOCX_FOR = {"service_receipt": "service_receipt.docx"}  # layout → template; the rest: document.docx
DEFAULT_DOCX = "document.docx"


def _recording_undefined(missing: list[str]) -> type[jinja2.Undefined]:
    class Recording(jinja2.Undefined):
        """An undefined name: remembered (with the object it was looked up on), rendered empty."""

        def __init__(self, hint=None, obj=jinja2.utils.missing, name=None, exc=jinja2.exceptions.UndefinedError):
            super().__init__(hint, obj, name, exc)
            if name is not None:
                missing.append(str(name))

        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            return Recording(name=f"{self._undefined_name}.{name}")

        __getitem__ = __getattr__

    return Recording


def _signers(marks, tpl) -> list[dict]:
    """Each signer for the DOCX: `image` the mark as a docxtpl InlineImage (the bytes as taken), or ""."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    out = []
    for m in marks:
        image = InlineImage(tpl, io.BytesIO(m.data), height=Mm(12)) if (m.data and tpl is not None) else ""
        out.append({"role": m.role_label, "name": m.name, "date_cn": m.date_cn, "image": image,
                    "refused": m.refused, "note": "（拒绝签字）" if m.refused else
                    "（签名笔迹文件不可读）" if m.missing else ""})
    return out


def context(doc, tpl=None) -> dict:
    """The names a DOCX template may use (`tpl`: the DocxTemplate, for the marks' images)."""
    return {
        "letterhead": doc.letterhead, "title": doc.title, "agency": doc.agency,
        "number": doc.number, "number_line": doc.number if not doc.draft else "（草稿，未编号）",
        "draft": doc.draft, "case_number": doc.case_number, "case_title": doc.case_title,
        "addressees": [vars(a) for a in doc.addressees],
        "addressee_names": "、".join(a.name for a in doc.addressees),
        # The rows an app adds after the fields (render.register_document_extra) print as fields do.
        "rows": doc.rows + [{"name": "", "label": label, "value": text} for label, text in doc.extras],
        "basis": doc.basis, "remedies": doc.remedies, "remedy_lines": doc.remedy_lines,
        "date_cn": doc.date_cn, "footer": doc.footer, "fields": doc.fields, "officers": list(doc.officers),
        # Parties', witnesses' and others' signatures with their handwritten marks (签名笔迹):
        # `signers` on every document, `receivers` / `witnesses` for the 送达回证's cells.
        "signers": _signers(doc.signers, tpl), "receivers": _signers(doc.receivers, tpl),
        "witnesses": _signers(doc.witnesses, tpl),
    }


def template_for(layout: str) -> Path:
    return TEMPLATE_DIR / DOCX_FOR.get(layout, DEFAULT_DOCX)


def render_docx(record, *, number: str | None = None, template: str | Path | None = None) -> bytes:
    """The DOCX of `record` (`template`: another .docx to fill, e.g. an agency's edited copy)."""
    from docxtpl import DocxTemplate

    doc = document_for(record, number=number)
    path = Path(template) if template else template_for(doc.template)
    tpl = DocxTemplate(str(path))
    missing: list[str] = []
    env = jinja2.Environment(undefined=_recording_undefined(missing), autoescape=True)
    tpl.render(context(doc, tpl), jinja_env=env)
    if missing:
        raise TemplateFieldError(path.name, set(missing))
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
