"""Helpers for the documents tests (issue 16): records with chosen content, and what poppler's tools
(pdftotext, pdffonts, pdfimages, pdfinfo, pdftoppm) say about a rendered PDF — real files, real tools."""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

DECISION_FACTS = "经查，当事人于二〇二六年十月在本溪市平山区河道管理范围内擅自倾倒建筑垃圾约三十立方米。"


def make(world, case, code, *, by=None, **content):
    """A record of type `code` in `case` (in its stage) with valid content, `content` overriding fields."""
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import fill

    rt = RecordType.objects.get(code=code)
    return rec.create_record(by or world.officer, case, rt, {**fill(rt), **content})


def decision(world, case=None, **content):
    """A 决定书 of a case in its decision stage, with a party (王五, 本溪市平山区1号)."""
    from liuhen.testing.cases import to_decision

    case = case or to_decision(world)
    defaults = dict(facts=DECISION_FACTS, basis="《中华人民共和国水法》第六十五条",
                    content="责令停止违法行为，罚款人民币伍仟元整。", remedy="向本溪市人民政府申请行政复议。", decided_on="2026-12-02")
    return make(world, case, "decision", **{**defaults, **content})


def to_service(world):
    """A case in 送达执行 the real way (its decision made and approved), and its 决定书."""
    from liuhen.cases import services as cases
    from liuhen.testing.cases import complete, to_decision

    case = to_decision(world)
    complete(world, case, "handling_opinion")
    complete(world, case, "leader_approval")
    made = complete(world, case, "decision")
    return cases.advance(world.officer, case), made


def signed_decision(world):
    """A 决定书 with real wording (decision()), every signature its rule asks, in a case whose
    handling opinion and leader approval are done: ready to issue, and fit for a picture."""
    from liuhen.testing.cases import complete, sign_all, to_decision

    case = to_decision(world)
    complete(world, case, "handling_opinion")
    complete(world, case, "leader_approval")
    return sign_all(world, decision(world, case))


def _run(args, data: bytes, suffix=".pdf") -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc{suffix}"
        path.write_bytes(data)
        return subprocess.run([*args, str(path), *(["-"] if args[0] == "pdftotext" else [])],
                              capture_output=True, text=True, check=True).stdout


def pdf_text(data: bytes) -> str:
    """The text poppler reads out of the PDF (pdftotext -layout: lines kept)."""
    return _run(["pdftotext", "-layout"], data)


def pdf_fonts(data: bytes) -> str:
    return _run(["pdffonts"], data)


def pdf_images(data: bytes) -> str:
    return _run(["pdfimages", "-list"], data)


def pdf_info(data: bytes) -> dict:
    out = _run(["pdfinfo"], data)
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_metadata(data: bytes) -> str:
    """The XMP metadata stream (pdfinfo -meta): where PDF/A says its part and conformance."""
    return _run(["pdfinfo", "-meta"], data)


def pdf_pages(data: bytes) -> int:
    return int(pdf_info(data)["Pages"])


def cjk_embedded(data: bytes) -> bool:
    """pdffonts lists a Noto CJK font embedded (the emb column "yes")."""
    lines = pdf_fonts(data).splitlines()[2:]
    return any("CJK" in line and line.split()[-5] == "yes" for line in lines)


def to_pngs(data: bytes, folder: Path, *, dpi: int = 60) -> list[Path]:
    """The pages as PNG files (pdftoppm) in `folder`, to look at."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "doc.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page*.png"))
