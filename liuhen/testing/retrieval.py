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


def archived_with_footage(world, tmp_path):
    """An archived case (liuhen.testing.cases.to_archived) with two clips linked in its archive stage, a
    third linked and unlinked again, a fourth linked to another case. (case, [linked], unlinked, foreign)."""
    from liuhen.cases import services as cases
    from liuhen.footage import services as footage
    from liuhen.testing.cases import complete, to_archive_stage
    from liuhen.testing.playback import only_video

    case = to_archive_stage(world)
    linked = [only_video(world, tmp_path, name, seconds=seconds) for name, seconds in (("A.MP4", 1.0),
                                                                                       ("B.MP4", 2.0))]
    for clip in linked:
        footage.link(world.officer, clip, case, case.stage)
    # Each clip of its own length: the same bytes from the same camera would be one item (idempotent ingest).
    unlinked = only_video(world, tmp_path, "C.MP4", seconds=1.5)
    footage.unlink(world.officer, footage.link(world.officer, unlinked, case, case.stage), "误关联")
    other = world.open_case()
    foreign = only_video(world, tmp_path, "D.MP4", seconds=2.5)
    footage.link(world.officer, foreign, other, other.stage)
    complete(world, case, "closing_report")
    complete(world, case, "archive_register")
    return cases.advance(world.officer, case, note="归档"), linked, unlinked, foreign
