"""Benchmark of the archival package (归档信息包, issue 19): export and 四性检测 of a case file against
bagit's own make_bag + validate of the same files, in one run, on one machine.

    .venv/bin/python bench/archive.py --quick     # 6 documents, 4 × 25 MiB of footage: under 30 s
    .venv/bin/python bench/archive.py             # 20 documents, 8 × 256 MiB (2 GiB): a few minutes
    .venv/bin/python bench/archive.py --files 16 --file-mib 256 --dir /srv/tmp --keep

1. Build (not measured), through the services, in a fresh LIUHEN_HOME with its own SQLite database:
   the test world (liuhen.testing.world), one case taken to 送达执行 with 20 complete records (the
   程序启动审批表, 权利告知书, 询问笔录 and others of 调查取证, 处理意见, 负责人审批, 决定书) whose 决定书 is issued
   (its PDF/A copy stored) — the other 19 are rendered as PDF/A when the file is assembled (组卷,
   liuhen/archive/assembly.py: once, timed and reported on its own line, not compared: bagit renders
   nothing, it bags files that exist) —, and the footage: ffmpeg
   makes one short real MP4 per clip, grown to its size by one ISO-BMFF `free` box of incompressible
   bytes (bench/ingest.py's make_footage: ffprobe and the checker's MP4 walk read it as a whole MP4),
   ingested through the footage services (start_ingest, ingest_files: each file copied into the
   content-addressed store, hashed, fsynced, read back) and linked to the case by its officer. The
   dump is deleted once ingested.
2. Ours, each phase in a process of its own: `liuhen.archive.package.export(officer, CASE, DIR)`
   (Django set up, no migrate) and then `liuhen.archive.core.check.check_package(DIR, vkey)` (no
   Django: the offline checker), which must pass every item. `export_check_s` = the two functions'
   times, measured inside each process (the interpreter's and Django's start-up, one to three
   seconds, are not the package's work: the spawn-to-exit times are printed beside them).
3. bagit: the same payload files (the package's data/ copied, `cp -r` then `sync`, its time
   printed for information) bagged in place by `bagit.make_bag(dir, checksums=["sha256"])` and then
   `bagit.Bag(dir).validate()`, in a process of its own, timed inside it. Its manifest must name
   every payload file with the SHA-256 our manifest gives it.
   Before ours and before bagit the page cache is emptied (`sync; echo 3 > /proc/sys/vm/drop_caches`,
   root); where that is refused, the files each side reads first are read once before it (`cache`:
   warmed). Export and check run back to back, as make_bag and validate do. `--repeat` rounds (3;
   1 with --quick), the sides alternating (ours first in the first round: its package is the payload
   bagit's side copies), each round a fresh package and a fresh copy; the best of each side counts.
4. `ratio` = bagit_s / export_check_s (the issue's target ≥ 0.8: ours no slower than 1.25× bagit);
   `peak_rss_mb` = the larger peak resident set of the export and check processes, each read by
   the process itself at its end (VmHWM: its own memory since its exec), target < 200.
   Where each side's time went, measured in the same run: each phase's function wrapped with a
   wall-clock accumulator (export: rendering, PDF page counts, copying out of the store,
   the ledger and its proofs, bagit.make_bag; check: bagit's validate, the checker's own file hashes,
   the format checks, the ledger proofs).

stdout: readable lines, then as the LAST line one JSON object: export_check_s, bagit_s, ratio,
peak_rss_mb, documents, footage_gb (GiB), and the phases, the sizes, the cache mode, the load average.
Progress goes to stderr. The work directory (the store, the package, bagit's copy) is removed at the
end unless --keep.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest import Cache, child_env, make_footage, run_child  # noqa: E402  (bench/ingest.py)
from support.django_home import log, setup  # noqa: E402

MIB = 1024 * 1024
DOCUMENTS = 20
# Records of 调查取证 beside to_decision's 权利告知书 and 询问笔录: 20 complete records in all.
INVESTIGATION = ["evidence_request_notice", "statement_record", "address_confirmation", "expert_opinion",
                 "investigation_report"]


# ------------------------------------------------------------------------------------ the build


def build_case(documents: int):
    """A case in 送达执行 with `documents` complete records, its 决定书 issued; (world, case)."""
    from liuhen.cases import services as cases
    from liuhen.documents.services import issue_document
    from liuhen.records.selectors import states_for_case
    from liuhen.testing.cases import complete, to_investigation
    from liuhen.testing.world import World

    world = World()
    case = to_investigation(world)
    fixed = 5  # start_approval here; rights_notice, handling_opinion, leader_approval, decision below
    extra = [INVESTIGATION[i] if i < len(INVESTIGATION) else "inquiry_record" for i in range(documents - fixed)]
    complete(world, case, "rights_notice")
    for code in extra:
        complete(world, case, code)
    case = cases.advance(world.officer, case, note="调查终结")
    complete(world, case, "handling_opinion")
    complete(world, case, "leader_approval")
    decision = complete(world, case, "decision")
    case = cases.advance(world.officer, case)
    issue_document(world.officer, decision)
    done = [s for s in states_for_case(case) if s.complete and not s.voided]
    if len(done) != documents:
        raise SystemExit(f"the case has {len(done)} complete records, not {documents}")
    return world, case


def build_footage(world, case, dump: Path, files: int, size: int) -> list:
    """`files` MP4 clips of `size` bytes ingested through the footage services and linked to `case`."""
    from liuhen.footage import services as footage
    from liuhen.testing.playback import camera_of

    camera = camera_of(world, world.officer, "JL00001")
    folder = dump / "DCIM"
    folder.mkdir(parents=True)
    block = os.urandom(16 * MIB)
    t = time.perf_counter()
    for i in range(files):
        make_footage(folder / f"VID_{i:04d}.MP4", i, size, block)
    log(f"  {files} clips made in {time.perf_counter() - t:.1f} s; ingesting …")
    ingest = footage.start_ingest(None, camera)
    results = footage.ingest_files(ingest, dump, footage.walk(dump))
    items = [r.item for r in results if r.item is not None and r.item.kind == "video"]
    if len(items) != files:
        raise SystemExit(f"ingested {len(items)} of {files} clips as video: {[(r.status, r.reason) for r in results]}")
    shutil.rmtree(dump)
    for item in items:
        footage.link(world.officer, item, case, case.stage)
    return items


def settle() -> None:
    """Every write of the build on disk and in the database file, before the children open it."""
    from django.db import connections

    for conn in connections.all():
        if conn.vendor == "sqlite":
            with conn.cursor() as c:
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()


# ------------------------------------------------------------------------------------ the children


class Phases:
    """Wall seconds spent in chosen functions (each replaced on its module by a timing wrapper)."""

    def __init__(self):
        self.spent: dict[str, float] = {}

    def wrap(self, module, name: str, phase: str) -> None:
        real, spent = getattr(module, name), self.spent
        spent.setdefault(phase, 0.0)

        def timed(*a, **k):
            t = time.perf_counter()
            try:
                return real(*a, **k)
            finally:
                spent[phase] += time.perf_counter() - t

        setattr(module, name, timed)

    def report(self, total: float) -> dict:
        out = {k: round(v, 3) for k, v in self.spent.items()}
        out["the rest"] = round(total - sum(self.spent.values()), 3)
        return out


def child_assemble(case_number: str, username: str) -> dict:
    """组卷, once: the 案卷 and the documents never issued rendered (WeasyPrint) and stored."""
    import django

    django.setup()
    from liuhen.accounts.models import User
    from liuhen.archive.assembly import assembled
    from liuhen.cases.models import Case

    actor, case = User.objects.get(username=username), Case.objects.get(number=case_number)
    t = time.perf_counter()
    row = assembled(actor, case)
    return {"s": time.perf_counter() - t, "pages": row.volume_pages}


def child_export(case_number: str, dest: str, username: str) -> dict:
    import django

    django.setup()
    from liuhen.accounts.models import User
    from liuhen.archive import package

    phases = Phases()
    phases.wrap(package, "_assembled", "the file as assembled (looked up)")
    phases.wrap(package, "_pages", "page counts of issued PDFs (pyHanko)")
    phases.wrap(package._Payload, "copy_blobs", "the clips copied out of the store, two at a time, hashed")
    phases.wrap(package._Payload, "sync", "every payload file synced to the disk")
    phases.wrap(package, "_proofs", "ledger: integrate, sign, prove")
    phases.wrap(package._Payload, "make_bag", "bag files from the hashes kept")
    actor = User.objects.get(username=username)
    t = time.perf_counter()
    catalog = package.export(actor, case_number, dest)
    s = time.perf_counter() - t
    return {"s": s, "items": len(catalog["items"]), "phases": phases.report(s)}


def child_check(dest: str, vkey_file: str) -> dict:
    from liuhen.archive.core import check

    phases = Phases()
    phases.wrap(check, "_bag_valid", "bagit validate (hashes the payload)")
    phases.wrap(check, "file_sha256", "file_sha256 of an item (only when the bag is invalid)")
    phases.wrap(check, "_usable", "formats: PDF/A, MP4 boxes")
    phases.wrap(check, "_ledger", "ledger: signature, proofs")
    vkey = Path(vkey_file).read_text(encoding="utf-8")
    t = time.perf_counter()
    checks = check.check_package(Path(dest), vkey)
    s = time.perf_counter() - t
    failed = [c.line() for c in checks if c.status == "FAIL"]
    return {"s": s, "checks": len(checks), "failed": failed, "phases": phases.report(s)}


def child_bagit(folder: str) -> dict:
    import bagit

    t = time.perf_counter()
    bagit.make_bag(folder, checksums=["sha256"])
    made = time.perf_counter() - t
    bagit.Bag(folder).validate()
    s = time.perf_counter() - t
    return {"s": s, "phases": {"make_bag": round(made, 3), "validate": round(s - made, 3)}}


def peak_rss_mb() -> float:
    """This process's peak resident set since its exec (VmHWM). Not ru_maxrss: Linux carries the
    spawning process's high-water mark across fork and exec into it, and the bench's own process holds
    Django and WeasyPrint (about 300 MB) when it spawns."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM in /proc/self/status")


def spawn(home: Path, *argv: str) -> dict:
    """This script with --child … in a fresh process: its JSON answer (with its peak RSS) and the
    spawn-to-exit time."""
    run = run_child([sys.executable, str(Path(__file__).resolve()), "--child", *argv], child_env(home))
    if run["rc"] != 0:
        raise SystemExit(f"child {argv[0]} failed (exit {run['rc']}):\n{run['stdout'][-3000:]}\n{run['stderr'][-3000:]}")
    answer = json.loads(run["stdout"].strip().splitlines()[-1])
    answer["spawn_s"] = run["s"]
    return answer


def ours(home: Path, case_number: str, username: str, bag: Path, vkey_file: Path) -> tuple[dict, dict]:
    """Export then check, each in its own process; the package must pass every 四性 item."""
    exported = spawn(home, "export", case_number, str(bag), username)
    checked = spawn(home, "check", str(bag), str(vkey_file))
    if checked["failed"]:
        raise SystemExit("the package fails its 四性检测:\n" + "\n".join(checked["failed"]))
    return exported, checked


def theirs(home: Path, source: Path, copy: Path, cache: Cache) -> tuple[dict, float]:
    """The payload of the package `source` copied (cp -r, sync: timed for information) and bagged by
    bagit; its manifest must be ours. (bagit's answer, the copy's seconds)."""
    t = time.perf_counter()
    subprocess.run(["cp", "-r", str(source / "data"), str(copy)], check=True)
    subprocess.run(["sync"], check=True)
    cp_s = time.perf_counter() - t
    cache.before_run(payload(copy))
    answer = spawn(home, "bagit", str(copy))
    if manifest(source) != manifest(copy):
        raise SystemExit(f"bagit's manifest differs from ours: {set(manifest(source).items()) ^ set(manifest(copy).items())}")
    shutil.rmtree(copy)
    return answer, cp_s


def manifest(bag: Path) -> dict[str, str]:
    """{payload path below data/: sha256} from a bag's manifest-sha256.txt."""
    out = {}
    for line in (bag / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines():
        sha, path = line.split(maxsplit=1)
        out[path.removeprefix("data/")] = sha
    return out


def payload(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# ------------------------------------------------------------------------------------ main


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6 documents, 4 × 25 MiB of footage (under 30 s)")
    parser.add_argument("--documents", type=int, default=None,
                        help="complete records in the case, at least 5 (20; 6 with --quick)")
    parser.add_argument("--files", type=int, default=None, help="footage clips (8; 4 with --quick)")
    parser.add_argument("--file-mib", type=int, default=None, help="MiB per clip (256; 25 with --quick)")
    parser.add_argument("--dir", default=None, help="where the work directory goes (the disk measured)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="rounds, the sides alternating; the best of each counts (3; 1 with --quick)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        answer = {"assemble": child_assemble, "export": child_export, "check": child_check,
                  "bagit": child_bagit}[kind](*rest)
        answer["rss_mb"] = peak_rss_mb()
        print(json.dumps(answer, ensure_ascii=False))
        return answer
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.documents = args.documents or (6 if args.quick else DOCUMENTS)
    files = args.files or (4 if args.quick else 8)
    size = (args.file_mib or (25 if args.quick else 256)) * MIB
    t0 = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="liuhen-bench-archive-", dir=args.dir))
    try:
        return run(args, work, files, size, t0)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path, files: int, size: int, t0: float) -> dict:
    home = work / "home"
    home.mkdir()
    for name in ("LIUHEN_BLOB_DIR", "LIUHEN_STORAGE_URL"):  # the store under this LIUHEN_HOME, as the children's
        os.environ.pop(name, None)
    log(f"migrate in {home} …")
    setup(home)
    from liuhen.ledger.signing import vkeys
    from liuhen.media import store

    log(f"a case with {args.documents} complete records, its 决定书 issued …")
    world, case = build_case(args.documents)
    log(f"{files} × {size // MIB} MiB of footage …")
    items = build_footage(world, case, work / "dump", files, size)
    footage_bytes = sum(i.size for i in items)
    vkey_file = work / "log.vkey"
    vkey_file.write_text("".join(k + "\n" for k in vkeys()), encoding="utf-8")
    blobs = [store.backend().path(i.blob_id) for i in items]
    settle()
    build_s = time.perf_counter() - t0
    log("组卷 (the 案卷 and the documents rendered once, as the archivist's first look or export does) …")
    assembly = spawn(home, "assemble", case.number, world.officer.username)

    cache = Cache()
    ours_runs, bagit_runs, source = [], [], None
    for r in range(args.repeat):
        for side in (("ours", "bagit") if r % 2 == 0 else ("bagit", "ours")):
            if side == "ours":
                log(f"round {r + 1}: ours, export + check ({cache.mode} cache) …")
                bag = work / f"package-{r}"
                cache.before_run(blobs)
                ours_runs.append(ours(home, case.number, world.officer.username, bag, vkey_file))
                if source is None:
                    source = bag  # the payload bagit's side bags, each round a fresh copy of it
                else:
                    shutil.rmtree(bag)
            else:
                log(f"round {r + 1}: bagit, make_bag + validate …")
                bagit_runs.append(theirs(home, source, work / f"bagit-{r}", cache))
    exported, checked = min(ours_runs, key=lambda run: run[0]["s"] + run[1]["s"])
    ours_s = exported["s"] + checked["s"]
    theirs_best, cp_s = min(bagit_runs, key=lambda run: run[0]["s"])
    payload_bytes = sum(p.stat().st_size for p in payload(source / "data"))

    ratio = theirs_best["s"] / ours_s
    peak = max(run["rss_mb"] for pair in ours_runs for run in pair)
    figures = {
        "export_check_s": round(ours_s, 2), "bagit_s": round(theirs_best["s"], 2), "ratio": round(ratio, 2),
        "peak_rss_mb": round(peak, 1), "documents": args.documents,
        "footage_gb": round(footage_bytes / 1024**3, 3),
        "targets": {"ratio_ge_0_8": ratio >= 0.8, "peak_rss_lt_200mb": peak < 200},
        "assemble_s": round(assembly["s"], 2), "assemble_rss_mb": round(assembly["rss_mb"], 1),
        "export_s": round(exported["s"], 2), "check_s": round(checked["s"], 2),
        "export_rss_mb": round(exported["rss_mb"], 1), "check_rss_mb": round(checked["rss_mb"], 1),
        "export_spawn_s": round(exported["spawn_s"], 2), "check_spawn_s": round(checked["spawn_s"], 2),
        "bagit_spawn_s": round(theirs_best["spawn_s"], 2), "bagit_rss_mb": round(theirs_best["rss_mb"], 1),
        "cp_sync_s": round(cp_s, 2),
        "export_phases_s": exported["phases"], "check_phases_s": checked["phases"],
        "bagit_phases_s": theirs_best["phases"], "repeat": args.repeat,
        "ours_runs_s": [round(e["s"] + c["s"], 2) for e, c in ours_runs],
        "bagit_runs_s": [round(t["s"], 2) for t, _ in bagit_runs],
        "items": exported["items"], "checks": checked["checks"], "files": files, "file_mib": size // MIB,
        "payload_mb": round(payload_bytes / MIB, 1), "cache": cache.mode, "quick": args.quick,
        "load_avg": round(os.getloadavg()[0], 1), "build_s": round(build_s, 1),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    report(figures)
    return figures


def report(f: dict) -> None:
    print(f"a case file of {f['documents']} documents and {f['files']} × {f['file_mib']} MiB of footage "
          f"({f['footage_gb']:.2f} GiB; payload {f['payload_mb']:.0f} MiB, {f['items']} items), "
          f"page cache {f['cache']}, load {f['load_avg']}; best of {f['repeat']} (ours {f['ours_runs_s']} s, "
          f"bagit {f['bagit_runs_s']} s):")
    rows = [("组卷 once (not compared: bagit renders nothing)", f["assemble_s"], f"{f['assemble_rss_mb']:.0f} MB"),
            ("ours: export", f["export_s"], f"{f['export_spawn_s']:.2f} s spawn to exit, {f['export_rss_mb']:.0f} MB"),
            ("ours: check (四性检测, offline)", f["check_s"], f"{f['check_spawn_s']:.2f} s spawn to exit, "
             f"{f['check_rss_mb']:.0f} MB"),
            ("ours: export + check", f["export_check_s"], ""),
            ("bagit: make_bag + validate", f["bagit_s"], f"{f['bagit_spawn_s']:.2f} s spawn to exit, "
             f"{f['bagit_rss_mb']:.0f} MB"),
            ("(information) cp -r + sync of the payload", f["cp_sync_s"], "")]
    for name, s, note in rows:
        print(f"  {name:<44} {s:8.2f} s   {note}")
    for side in ("export", "check", "bagit"):
        print(f"  where {side}'s time went:")
        for phase, s in f[f"{side}_phases_s"].items():
            print(f"    {phase:<50} {s:8.2f} s")
    met = f["targets"]
    print(f"ratio bagit / ours {f['ratio']:.2f} (target ≥ 0.8: {'met' if met['ratio_ge_0_8'] else 'NOT met'}); "
          f"peak RSS {f['peak_rss_mb']:.0f} MB (target < 200: {'met' if met['peak_rss_lt_200mb'] else 'NOT met'})")
    print(json.dumps(f, ensure_ascii=False))


if __name__ == "__main__":
    main()
