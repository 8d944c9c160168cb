"""The watermark (水印) on each page of a PDF of several pages and sizes, the original bytes kept."""
from weasyprint import HTML

from liuhen.retrieval.watermark import Mark, stamp
from liuhen.testing.retrieval import page_texts

MARK = Mark(requester="张明", purpose="案卷评查", time="2026-12-02 16:00", slip="调〔2026〕7号")


def test_every_page_of_every_size_carries_the_mark(tmp_path):
    html = ("<style>@page :first { size: A4 } @page wide { size: A3 landscape } .w { page: wide }</style>"
            "<p>第一页</p><p style='break-before: page'>第二页</p><p class='w'>第三页</p>")
    pdf = HTML(string=html).write_pdf()
    out = stamp(pdf, MARK)
    assert out.startswith(pdf)  # an incremental update: the original bytes are kept as they were
    pages = page_texts(out, tmp_path)
    assert len(pages) == 3
    for n, text in enumerate(pages, 1):
        assert f"第{'一二三'[n - 1]}页" in text
        for line in MARK.lines():
            assert line in text
    assert all("调阅人" not in t for t in page_texts(pdf, tmp_path))
