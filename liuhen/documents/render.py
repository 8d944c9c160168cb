"""Rendering a record to a document (执法文书): PDF with WeasyPrint and Noto CJK, DOCX with docxtpl.

The contract other modules call (issue 16): `render_pdf(record, *, number=None, verify_url=None,
pdf_variant=None) -> bytes` — the record's latest content laid out as the standard Chinese
enforcement document of its type, `number` the 文号 printed (None: a draft, marked 草稿 and
unnumbered), `verify_url` the link the QR code carries, drawn beside the seal with "扫码验真" (None:
no QR code), `pdf_variant` WeasyPrint's ("pdf/a-3b" for the archive copy: DA/T 47 names PDF/A as a
long-term format, SPEC §8). `render_docx(record, *, number=None)` is in docx.py;
`is_document(code)` says which record types are documents a party receives or signs.

The layout (SPEC §11): 机关名称 (the profile's letterhead, else the agency's name), 文书名称, the 文号
line, the addressee (the case's party: name and address, decrypted for the render only — never
logged), the body from the record's fields under their labels, the legal basis, the remedies with
their time limits on decisions (行政处罚法 59: wording from the profile), the 印章位置 with the
agency and the date in Chinese (二〇二六年十二月二日), A4, "第 X 页 共 Y 页". A party's or witness's
signature is printed with the image of their handwritten mark (签名笔迹: drawn on a pad or a photo
of the signed paper) beside their name; on a 送达回证 in the 收件人签名 and 见证人 cells. One template per layout
(decision, notice, service_receipt — a 送达回证 is a table — and generic), chosen by the profile's
`documents.kinds` or by the type. The same context feeds the print views and the DOCX.
"""
from __future__ import annotations

import base64
import datetime
import io
import re
from dataclasses import dataclass, field

# Record types that are documents a party receives or signs (决定书, 告知书, 通知书, 催告书, 送达回证…),
# with their layout. An agency's profile may name more (documents.kinds).
DOCUMENT_TYPES = {
    "decision": "decision",
    "non_acceptance_decision": "decision",
    "enforcement_decision": "decision",
    "acceptance_notice": "notice",
    "correction_notice": "notice",
    "rights_notice": "notice",
    "evidence_request_notice": "notice",
    "sampling_notice": "notice",
    "reminder_notice": "notice",
    "complaint_reply": "notice",
    "service_receipt": "service_receipt",
}

# Fields that have a place of their own in the layout rather than a line of the body.
BASIS_FIELDS = ("basis",)  # 依据
REMEDY_FIELDS = ("remedy",)  # 救济途径 written on the record (不予受理决定书)
NUMBER_FIELDS = ("doc_number",)  # the 文号 the officer typed: the issued number (or 草稿) is printed instead
DATE_FIELDS = ("decided_on", "replied_on", "accepted_on")  # the document's date where the record has one

_CN_DIGITS = "〇一二三四五六七八九"
FONT_STACK = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'


class TemplateFieldError(ValueError):
    """A document template names a field the document does not have (a missing or misspelled
    field): refused rather than rendered half-empty. `fields`: the unknown names."""

    def __init__(self, template: str, fields):
        self.template, self.fields = template, sorted(fields)
        super().__init__(f"文书模板“{template}”引用了不存在的字段：{'、'.join(self.fields)}"
                         "（请检查字段名是否缺失或拼写错误）")


def cn_date(day: datetime.date) -> str:
    """A date as Chinese documents print it: 二〇二六年十二月二日."""
    def number(n: int) -> str:
        if n < 10:
            return _CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return f"{''.join(_CN_DIGITS[int(d)] for d in str(day.year))}年{number(day.month)}月{number(day.day)}日"


def documents_spec(agency_id=None):
    """The agency's `documents:` profile section (the packaged default for None)."""
    from liuhen.profiles import selectors

    return selectors.agency_section(agency_id, "documents")


def is_document(record_type_code: str, *, agency_id=None) -> bool:
    """Is a record of this type a document a party receives or signs (决定书、告知书、通知书、催告书、
    送达回证…)? The built-in set, plus the types the agency's profile names in `documents.kinds`."""
    return record_type_code in DOCUMENT_TYPES or record_type_code in document_codes(agency_id)


def document_codes(agency_id=None) -> set[str]:
    """Every record type that is a document for the agency: the built-in set and its profile's kinds."""
    return set(DOCUMENT_TYPES) | set(dict(documents_spec(agency_id).kinds))


def template_name(record_type_code: str, spec) -> str:
    return spec.kind(record_type_code).template or DOCUMENT_TYPES.get(record_type_code, "generic")


# Rows an app above documents adds to a document after the record's fields (the 法制审核意见书's review
# points, outcome and opinion live in legalreview's rows, not in the record's content), by record type:
# `fn(record) -> [(label, text)]`, registered in the app's AppConfig.ready().
_EXTRAS: dict[str, list] = {}


def register_document_extra(code: str, fn) -> None:
    fns = _EXTRAS.setdefault(code, [])
    if fn not in fns:
        fns.append(fn)


def document_extras(record) -> list[tuple[str, str]]:
    return [row for fn in _EXTRAS.get(record.record_type.code, ()) for row in fn(record)]


@dataclass
class Addressee:
    """受送达人 / 当事人 as printed: decrypted here for the document only."""

    name: str
    address: str
    kind: str
    representative: str = ""


@dataclass
class SignerMark:
    """A party's, witness's or other person's signature (or refusal) on the document, with the
    image of their handwritten mark (签名笔迹, issue 16 §5) where one was taken: printed beside the
    name. `data` the mark's stored bytes (PNG or JPEG, as taken) for the DOCX; `image` the same as a
    data: URI for the HTML (the PDF embeds it; the print view's Content-Security-Policy allows data: images)."""

    role: str  # SignerRole value
    role_label: str
    name: str
    date_cn: str
    refused: bool = False
    kind_label: str = ""  # 手写板签名 / 纸质签字照片
    data: bytes = b""
    image: str = ""
    missing: bool = False  # the signature has a mark whose bytes could not be read (store down, purged)


# Who signs beside their name on a document: not the officers or leaders (they sign by their login
# and the agency's seal stands for them), but the people in front of them (LQ 17).
MARK_ROLES = ("party", "witness", "other")


@dataclass
class Document:
    """Everything a document's layout prints (the context of the HTML templates and the DOCX)."""

    record: object
    template: str
    agency: str
    letterhead: str
    title: str
    number: str
    draft: bool
    case_number: str
    case_title: str
    addressees: list[Addressee]
    rows: list[dict]  # the body: {"name", "label", "value"} in the record type's order
    basis: str
    remedies: str
    date: datetime.date
    date_cn: str
    footer: str
    verify_url: str = ""
    voided: bool = False  # 已作废: marked across the page, never shown as a valid document
    qr_png: str = ""  # data: URI of the QR code image
    fields: dict = field(default_factory=dict)  # name → value, for the per-type templates and the DOCX
    signers: list[SignerMark] = field(default_factory=list)  # parties', witnesses' signatures, in order
    officers: list[str] = field(default_factory=list)  # the officers who signed it (送达人 on a 送达回证)
    extras: list[tuple[str, str]] = field(default_factory=list)  # rows after the fields (register_document_extra)

    @property
    def receivers(self) -> list[SignerMark]:
        """送达回证's 收件人签名: the party's (or another person's, a 代收人) signature."""
        return [s for s in self.signers if s.role != "witness"]

    @property
    def witnesses(self) -> list[SignerMark]:
        return [s for s in self.signers if s.role == "witness"]

    @property
    def remedy_lines(self) -> list[str]:
        return [line for line in self.remedies.splitlines() if line.strip()]

    @property
    def footer_css(self) -> str:
        """The footer as a CSS string (the @page margin box's content), escaped for CSS and HTML."""
        escaped = self.footer.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", "\\A ")
        return f'"{escaped}"'

    @property
    def template_path(self) -> str:
        return f"documents/kinds/{self.template}.html"


def _local_date(value) -> datetime.date:
    from django.utils import timezone

    return timezone.localtime(value).date()


def _document_date(content: dict, version) -> datetime.date:
    for name in DATE_FIELDS:
        if content.get(name):
            try:
                return datetime.date.fromisoformat(str(content[name])[:10])
            except ValueError:
                pass
    return _local_date(version.created_at)


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as a PNG data URI (an image in the PDF, so the tests can find it)."""
    import qrcode

    img = qrcode.make(url, box_size=6, border=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _mime(data: bytes) -> str:
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"


def signer_marks(version) -> list[SignerMark]:
    """The parties', witnesses' and others' signatures on `version`, each with its mark's bytes."""
    from liuhen.media import store
    from liuhen.records.models import Outcome, SignerRole

    out = []
    for sig in version.signatures.filter(role__in=MARK_ROLES).order_by("pk"):
        mark = SignerMark(role=sig.role, role_label=SignerRole(sig.role).label, name=sig.signer_name,
                          date_cn=cn_date(_local_date(sig.signed_at)), refused=sig.outcome == Outcome.REFUSED,
                          kind_label=sig.get_mark_kind_display() if sig.mark_id else "")
        if sig.mark_id:
            try:
                with store.open_blob(sig.mark_id) as f:
                    mark.data = f.read()
            except OSError:
                # Printed as missing rather than silently without it (`liuhen verify` names the file).
                mark.missing = True
            else:
                mark.image = f"data:{_mime(mark.data)};base64," + base64.b64encode(mark.data).decode("ascii")
        out.append(mark)
    return out


def officer_names(version) -> list[str]:
    """The officers who signed `version` as officers, in order (on a 送达回证: the 送达人, LQ 17)."""
    from liuhen.records.models import Outcome, SignerRole

    return list(version.signatures.filter(role=SignerRole.OFFICER, outcome=Outcome.SIGNED)
                .order_by("pk").values_list("signer_name", flat=True))


def document_for(record, *, number: str | None = None, verify_url: str | None = None, state=None) -> Document:
    """The document `record` makes, from its latest content, its case and the agency's profile."""
    from liuhen.cases.selectors import current_parties
    from liuhen.records import schema
    from liuhen.records.selectors import record_with_state

    st = state or record_with_state(record.pk)
    record = st.record
    case = record.case
    agency = case.agency
    spec = documents_spec(agency.pk)
    content = st.latest.content
    rows, fields = [], {}
    for spec_field, row in zip(st.fields, schema.display_rows(st.fields, content)):
        name = spec_field["name"]
        fields[name] = row["value"]
        if name in BASIS_FIELDS + REMEDY_FIELDS + NUMBER_FIELDS + DATE_FIELDS:
            continue
        rows.append({"name": name, "label": row["label"], "value": row["value"]})
    code = record.record_type.code
    tpl = template_name(code, spec)
    # 行政处罚法 59: a decision states the remedies and their time limits — the profile's wording,
    # after what the officer wrote on the record (e.g. the body a 复议 goes to), unless it says the same.
    written = next((fields[n].strip() for n in REMEDY_FIELDS if fields.get(n, "").strip()), "")
    standard = spec.remedies if tpl == "decision" else ""
    remedies = "\n".join(t for t in (written if written not in standard else "", standard) if t)
    day = _document_date(content, st.latest)
    parties = [Addressee(p.name, p.address, p.get_kind_display(), p.legal_representative)
               for p in current_parties(case)]
    return Document(
        record=record, template=tpl, agency=agency.name, letterhead=spec.letterhead or agency.name,
        title=spec.kind(code).title or record.record_type.name, number=number or "", draft=not number,
        case_number=case.number, case_title=case.title, addressees=parties, rows=rows,
        basis=next((fields[n] for n in BASIS_FIELDS if fields.get(n)), ""), remedies=remedies,
        date=day, date_cn=cn_date(day), footer=spec.footer, verify_url=verify_url or "",
        qr_png=qr_data_uri(verify_url) if verify_url else "", voided=st.voided, fields=fields,
        signers=signer_marks(st.latest), officers=officer_names(st.latest), extras=document_extras(record))


_FIELD_REF = re.compile(r"doc\.fields\.([A-Za-z_][A-Za-z0-9_]*)")


def check_fields(doc: Document) -> None:
    """Refuse a layout that names a field the record does not have (a 送达回证 layout chosen by the
    profile for a type without its cells, a field renamed): TemplateFieldError naming it, rather
    than a document printed with empty cells."""
    from django.template.loader import get_template

    source = get_template(doc.template_path).template.source
    missing = set(_FIELD_REF.findall(source)) - set(doc.fields)
    if missing:
        raise TemplateFieldError(f"{doc.template}（{doc.title}）", missing)


def render_html(documents: list[Document], *, print_view: bool = False, nonce: str = "") -> str:
    """The documents as one HTML page (each from a new page): the PDF's source, and the print view
    (`nonce`: the request's Content-Security-Policy nonce its <style> element carries)."""
    from django.template.loader import render_to_string

    for doc in documents:
        check_fields(doc)
    return render_to_string("documents/page.html", {
        "documents": documents, "print_view": print_view, "font_stack": FONT_STACK, "nonce": nonce})


def render_pdf(record, *, number: str | None = None, verify_url: str | None = None,
               pdf_variant: str | None = None) -> bytes:
    from weasyprint import HTML

    doc = document_for(record, number=number, verify_url=verify_url)
    return HTML(string=render_html([doc])).write_pdf(pdf_variant=pdf_variant)


def render_docx(record, *, number: str | None = None) -> bytes:
    """The record's document as an editable Word file (docxtpl; see docx.py)."""
    from .docx import render_docx as _render

    return _render(record, number=number)
