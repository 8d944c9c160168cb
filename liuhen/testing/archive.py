"""Test helpers of the archival package (归档信息包): a case through decision and service with an
issued 决定书 and a linked clip, exported once per run (liuhen.testing.demo.scene_snapshot); the
checker run as an archives bureau would; the faults a package meets, made on a copy of it."""
import datetime
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import bagit
from django.utils import timezone


@dataclass(frozen=True)
class Exported:
    bag: Path  # the package as exported (never changed: tests copy it)
    vkey: str  # the log's verifier key, as got apart from the package
    case_number: str
    issued_number: str  # the 决定书's 文号
    case_id: int = 0


def exported_scene(where):
    """A case archived the real way (立案审批表, 权利告知, 询问笔录, 处理意见, 领导审批, 决定书 issued, 送达回证,
    结案报告, 归档登记表 signed by the archivist) with one ffmpeg clip linked in 送达执行, exported into
    `where`/bag (its 案卷 at data/volume.pdf)."""
    from liuhen.archive.package import export
    from liuhen.cases import services as cases
    from liuhen.documents.services import issue_document
    from liuhen.footage import services as footage
    from liuhen.ledger.signing import vkeys
    from liuhen.testing.cases import complete, sign_all
    from liuhen.testing.documents import make, to_service
    from liuhen.testing.playback import only_video
    from liuhen.testing.world import World

    world = World()
    case, decision = to_service(world)
    doc = issue_document(world.officer, decision)
    clip = only_video(world, where, "A.MP4", seconds=1.0)
    footage.link(world.officer, clip, case, case.stage)
    # served a minute ago (fill()'s 10:00 today is still to come in the small hours)
    served = timezone.localtime(timezone.now() - datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    sign_all(world, make(world, case, "service_receipt", served_at=served))
    case = cases.advance(world.officer, case)
    complete(world, case, "closing_report")
    complete(world, case, "archive_register")
    case = cases.advance(world.officer, case, note="归档")
    export(world.officer, case.number, where / "bag")
    return Exported(where / "bag", "".join(k + "\n" for k in vkeys()), case.number, doc.number.text, case.pk)


def rebag(bag: Path) -> None:
    """What a forger does after changing a payload file: make the bag's manifests match again, so that
    only the 四性 items below the bag's own fixity can catch it."""
    bagit.Bag(str(bag)).save(manifests=True)


def check_offline(bag, vkey=None) -> subprocess.CompletedProcess:
    """`python -m liuhen.archive.core.check DIR [--vkey FILE]` in a process of its own, nothing of Django set."""
    env = {k: val for k, val in os.environ.items() if not k.startswith(("DJANGO", "LIUHEN"))}
    return subprocess.run([sys.executable, "-m", "liuhen.archive.core.check", str(bag),
                           *(["--vkey", str(vkey)] if vkey else [])],
                          capture_output=True, text=True, env=env, cwd=str(Path(__file__).resolve().parents[2]),
                          timeout=120)


def failed(bag, vkey: str | None) -> dict[str, list[str]]:
    """The failed items of the package's 四性检测, by code: their messages."""
    from liuhen.archive.core.check import check_package

    out = {}
    for c in check_package(bag, vkey):
        if not c.ok:
            out.setdefault(c.code, []).append(c.message)
    return out


# ---- the archive room (待归档, shelves, supplements, imports) ---------------------------------------

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
SCRIPTED_PDF = PDF.replace(b"/Pages 2 0 R>>", b"/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>")


def supervisor(world):
    """The agency's 监督人员 (the shared world has none): reads the archive room."""
    from liuhen.accounts import services as acc
    from liuhen.accounts.models import User
    from liuhen.accounts.roles import Role

    found = User.objects.filter(username="jiandu").first()
    return found or acc.create_user(None, username="jiandu", full_name="监督员", password=world.PASSWORD,
                                    agency=world.agency, roles=[Role.SUPERVISOR])


def pdf_upload(name="判决书.pdf", data=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def supplemented(world, case, *, title="本溪市平山区人民法院行政判决书", kind="法院判决", data=PDF):
    """A supplement added to the archived `case` by the archivist."""
    from liuhen.archive.services import add_supplement
    from liuhen.testing.cases import archivist

    return add_supplement(archivist(world), case, title=title, kind=kind, note="当事人起诉，法院判决维持。",
                          file=pdf_upload(data=data))


def change_a_byte(bag: Path, kind: str = "media") -> Path:
    """One bit of the first `kind` item's file flipped, the manifests made to match (rebag): what a
    forger hands on. Returns the file."""
    import json

    catalog = json.loads((bag / "data" / "catalog.json").read_text(encoding="utf-8"))
    path = bag / "data" / next(i for i in catalog["items"] if i["kind"] == kind)["path"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    rebag(bag)
    return path


def swap_proofs(bag: Path) -> None:
    """The inclusion proofs of the first two ledger entries swapped, the manifests made to match."""
    import json

    path = bag / "data" / "ledger" / "entries.jsonl"
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    lines[0]["proof"], lines[1]["proof"] = lines[1]["proof"], lines[0]["proof"]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    rebag(bag)


def imported_scene(world, bag: Path, vkey: str | None):
    """The package at `bag` imported by the agency's archivist."""
    from liuhen.archive.services import import_package
    from liuhen.testing.cases import archivist

    return import_package(archivist(world), bag, vkey)


def in_archive_stage(world):
    """liuhen.testing.cases.to_archive_stage, with the 送达回证 served an hour ago: `fill` writes today
    10:00, which is still to come between midnight and ten (local), and a service still to come does not
    count as served (delivery: 民事诉讼法 95) — these tests then failed by the clock."""
    import datetime

    from django.utils import timezone

    from liuhen.cases import services as cases
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import complete, fill, sign_all, to_decision

    case = to_decision(world)
    for code in ("handling_opinion", "leader_approval", "decision"):
        complete(world, case, code)
    case = cases.advance(world.officer, case)
    rt = RecordType.objects.get(code="service_receipt")
    served = timezone.localtime(timezone.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    content = {**fill(rt), **{f["name"]: served for f in rt.fields if f["type"] == "datetime"}}
    sign_all(world, rec.create_record(world.officer, case, rt, content))
    return cases.advance(world.officer, case)


def archived(world):
    """A case archived the real way (结案报告, 归档登记表 signed by the archivist), through in_archive_stage."""
    from liuhen.cases import services as cases
    from liuhen.testing.cases import complete

    case = in_archive_stage(world)
    complete(world, case, "closing_report")
    complete(world, case, "archive_register")
    return cases.advance(world.officer, case, note="归档")
