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
