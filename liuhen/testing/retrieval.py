"""Test helpers of 档案利用 (liuhen.retrieval; an archived case is liuhen.testing.cases.to_archived): a
调用单 asked for and decided, the clock moved on past a slip's expiry, the text pdftotext reads on each
page of a PDF."""
import datetime
import subprocess

from liuhen.testing.cases import archivist

PERSON_ID = "11010519491231002X"  # GB 11643's example number


def staff_slip(world, case, user=None, **kw):
    from liuhen.retrieval import services

    args = dict(purpose="案卷评查", record_ids=(), mode="view", days=7)
    args.update(kw)
    return services.request_retrieval(user or world.officer, case, **args)


def outsider_slip(world, case, kind="outsider", **kw):
    from liuhen.retrieval import services

    args = dict(kind=kind, person="周律师", id_number=PERSON_ID, purpose="行政诉讼应诉材料核对", mode="copy", days=5,
                organisation="某市人民检察院" if kind == "outsider" else "",
                letter_number="检介〔2026〕12号" if kind == "outsider" else "")
    args.update(kw)
    return services.register_request(archivist(world), case, **args)


def approve(world, req, by=None, **kw):
    from liuhen.retrieval import services

    return services.decide(by or world.agency_head, req, approved=True, **kw)


def later(monkeypatch, **delta):
    """The clock moved on by `delta` (e.g. days=8) for the rest of the test, everywhere Django reads it."""
    from django.utils import timezone

    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + datetime.timedelta(**delta))


def page_texts(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page of `pdf`, as poppler's pdftotext reads it."""
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    return [p for p in out.split("\f") if p.strip()]
