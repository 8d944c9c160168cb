"""A visible watermark on every page of a PDF (复制件、查阅件水印, issue 19 item 5: "a downloaded or printed
copy carries a visible watermark with the requester, purpose and time").

The watermark is one page WeasyPrint lays out with the documents' own CJK fonts (a diagonal line and a
band along the foot of the page), imported by pyHanko as a form XObject and drawn over each page in an
incremental update: the original PDF's bytes stay as they were, before the appended watermark."""
from dataclasses import dataclass
from io import BytesIO

from django.utils.html import escape

from liuhen.documents.render import FONT_STACK

XOBJECT = "/LiuhenWatermark"
A4 = (595.28, 841.89)  # pt


@dataclass(frozen=True)
class Mark:
    """What the watermark says: who, for what, when, under which slip."""

    requester: str
    purpose: str
    time: str
    slip: str

    def lines(self) -> list[str]:
        return [f"调用单 {self.slip}", f"调阅人：{self.requester}", f"用途：{self.purpose}", f"时间：{self.time}"]


def _overlay(mark: Mark) -> bytes:
    from weasyprint import CSS, HTML

    lines = "".join(f"<div>{escape(line)}</div>" for line in mark.lines())
    html = (f'<html><body><div class="diag">仅供{escape(mark.purpose[:20])}使用 · {escape(mark.slip)}</div>'
            f'<div class="foot">{lines}</div></body></html>')
    css = CSS(string=(
        "@page { size: A4; margin: 0 }"
        f"body {{ margin: 0; font-family: {FONT_STACK}; color: rgba(200, 30, 30, 0.45) }}"
        ".diag { position: absolute; top: 48%; left: -5%; width: 110%; text-align: center; font-size: 26pt;"
        " transform: rotate(-35deg); white-space: nowrap }"
        ".foot { position: absolute; bottom: 4mm; left: 10mm; width: 80mm; font-size: 8pt; line-height: 1.3;"
        " border-top: 0.5pt solid rgba(200, 30, 30, 0.45); padding-top: 1mm }"))
    return HTML(string=html).write_pdf(stylesheets=[css])


def _box(page) -> tuple[float, float, float, float]:
    from pyhanko.pdf_utils.misc import get_and_apply

    box = get_and_apply(page, "/MediaBox", lambda b: [float(x) for x in b], default=None)
    while box is None and "/Parent" in page:
        page = page["/Parent"]
        box = get_and_apply(page, "/MediaBox", lambda b: [float(x) for x in b], default=None)
    return tuple(box or (0, 0, *A4))


def stamp(pdf: bytes, mark: Mark) -> bytes:
    """`pdf` with the watermark drawn over every page, scaled to each page's size."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader

    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    overlay = writer.import_page_as_xobject(PdfFileReader(BytesIO(_overlay(mark))))
    resources = generic.DictionaryObject({generic.pdf_name("/XObject"): generic.DictionaryObject(
        {generic.pdf_name(XOBJECT): overlay})})
    for ix in range(int(writer.root["/Pages"]["/Count"])):
        page_ref, res_ref = writer.find_page_for_modification(ix)
        x0, y0, x1, y1 = _box(page_ref.get_object())
        # Pages often share one resource dictionary: the name is added to it once.
        known = XOBJECT in res_ref.get_object().get("/XObject", {})
        sx, sy = (x1 - x0) / A4[0], (y1 - y0) / A4[1]
        # The page's own content is wrapped in q … Q so that a state it leaves set cannot move the mark.
        writer.add_stream_to_page(ix, writer.add_object(generic.StreamObject(stream_data=b"q\n")), prepend=True)
        draw = f"Q\nq {sx:.5f} 0 0 {sy:.5f} {x0:.2f} {y0:.2f} cm {XOBJECT} Do Q\n".encode()
        writer.add_stream_to_page(ix, writer.add_object(generic.StreamObject(stream_data=draw)),
                                  resources=None if known else resources)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
