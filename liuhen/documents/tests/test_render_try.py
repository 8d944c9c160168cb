import io
from pathlib import Path
from liuhen.testing import documents as D
from liuhen.testing.cases import to_decision, to_investigation

def test_try(world):
    from liuhen.documents.render import render_docx
    from docx import Document
    case = to_decision(world)
    rec = D.decision(world, case)
    data = render_docx(rec, number="本水罚〔2026〕第3号")
    d = Document(io.BytesIO(data))
    print("\n".join(p.text for p in d.paragraphs))
