"""复制件清单 (the copy's cover sheet): one page ahead of an outsider's or a party's copy, laid out with
WeasyPrint in the documents' CJK fonts — the 调用单's number, the requester, the purpose, the time, and the
copy's items each with its SHA-256, so that whoever receives the copy can check each file by itself
(a video is handed over as recorded: its SHA-256 is the original's). services.make_copy stamps it with
the same watermark as the records' PDFs (watermark.py)."""
from dataclasses import dataclass

from django.utils.html import escape

from liuhen.documents.render import FONT_STACK

CSS = (
    "@page { size: A4; margin: 18mm 16mm 28mm }"
    f"body {{ font-family: {FONT_STACK}; font-size: 10.5pt; color: #111 }}"
    "h1 { text-align: center; font-size: 18pt; margin: 0 0 6mm }"
    "table { width: 100%; border-collapse: collapse }"
    "th, td { border: 0.5pt solid #444; padding: 1.5mm 2mm; vertical-align: top; text-align: left }"
    ".facts th { width: 24mm; white-space: nowrap }"
    ".items { margin-top: 6mm; font-size: 9.5pt; table-layout: fixed }"
    ".items .n { width: 9mm; text-align: center }"
    ".items .k { width: 17mm; white-space: nowrap }"
    # One line per SHA-256 (64 characters of 6.5 pt monospace, 88 mm): a reader copies it whole.
    ".items .sha { width: 94mm }"
    ".items td.sha { font-family: monospace; font-size: 6.5pt; white-space: nowrap }"
    ".note { margin-top: 4mm; font-size: 9pt; color: #333 }")


@dataclass(frozen=True)
class Line:
    """One item of the copy: what it is (材料 or 音像记录), its title, the SHA-256 of what is handed over."""

    kind: str
    title: str
    sha256: str


@dataclass(frozen=True)
class Sheet:
    slip: str  # 调用单编号
    case: str  # 案件编号 and title
    file_sha256: str
    requester: str
    purpose: str
    time: str
    lines: tuple[Line, ...]


def render(sheet: Sheet) -> bytes:
    """The cover sheet as a PDF (not yet watermarked)."""
    from weasyprint import CSS as Style
    from weasyprint import HTML

    facts = [("调用单", sheet.slip), ("案卷", sheet.case), ("案卷 SHA-256", sheet.file_sha256),
             ("调阅人", sheet.requester), ("用途", sheet.purpose), ("制作时间", sheet.time)]
    fact_rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    item_rows = "".join(
        f'<tr><td class="n">{n}</td><td class="k">{escape(line.kind)}</td><td>{escape(line.title)}</td>'
        f'<td class="sha">{escape(line.sha256)}</td></tr>' for n, line in enumerate(sheet.lines, 1))
    html = (
        "<html><body><h1>档案复制件清单</h1>"
        f'<table class="facts">{fact_rows}</table>'
        '<table class="items"><thead><tr><th class="n">序号</th><th class="k">类别</th><th>题名</th>'
        f'<th class="sha">SHA-256</th></tr></thead><tbody>{item_rows}</tbody></table>'
        '<p class="note">材料为案卷所存 PDF 的复制件，每页加盖水印；音像记录按原始文件复制，未作任何改动，'
        "其 SHA-256 与原件一致。可用任一 SHA-256 工具逐件核对。</p></body></html>")
    return HTML(string=html).write_pdf(stylesheets=[Style(string=CSS)])
