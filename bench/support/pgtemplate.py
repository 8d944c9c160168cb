"""A migrated PostgreSQL cluster kept for the benchmark's stacks (bench/load.py → scripts/prod-up.sh with
PROD_PG_TEMPLATE=DIR): a fresh cluster's `liuhen migrate` takes 10 s of CPU (12-26 s on the shared two
cores), a copy of a stopped, migrated one under a second.

DIR/<key>/ holds `data.tar` (the stopped cluster's data directory right after migrate: no integrator has
run, so its ledger holds only unsigned queue rows, signed later with the new stack's own keys) and
`manifest.json` (the archive's size and SHA-256); it is written beside and renamed into place. The key is a hash of every migration
file (liuhen/*/migrations/*.py), the installed distributions (Django's own migrations), PostgreSQL's major
version, how prod-up.sh runs initdb, and the ledger's identity settings (hash, origin) the first write
fixes. A template is used only when its key is this tree's and its archive matches its manifest; anything
else (missing, another key, a changed or truncated archive, an unreadable manifest) is said and removed,
and the stack is made as without it (initdb, migrate), then saved again.

    pgtemplate.py key BIN                    the key for PostgreSQL in BIN
    pgtemplate.py restore DIR BIN DEST       copy DIR's template to DEST (exit 0) or say why not (exit 3)
    pgtemplate.py save DIR BIN DATA          keep DATA (a stopped cluster, just migrated) in DIR
    pgtemplate.py migrated                   after a restore, instead of `liuhen migrate`: Django's
                                             post_migrate signal (the record catalog's sync, the append-only
                                             triggers); any migration the template lacks is applied first
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FORMAT = "liuhen-pg-template 1; initdb -U liuhen --auth=trust -E UTF8 --locale=C.UTF-8; createdb liuhen"
ARCHIVE = "data.tar"  # the data directory (tar keeps the modes PostgreSQL checks, and the owner)
SKIP = ("postmaster.pid", "postmaster.opts")  # a stopped cluster's leftovers, rewritten at start
KEEP = 4  # templates kept (other worktrees' migrations have other keys)


class Unusable(Exception):
    """The template cannot be used: the reason."""


def pg_major(bin_dir: Path) -> str:
    """"15" from `postgres (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)`."""
    out = subprocess.run([str(Path(bin_dir) / "postgres"), "--version"], capture_output=True, text=True,
                         check=True).stdout
    return out.split(")", 1)[1].split()[0].split(".")[0]


def distributions() -> list[str]:
    from importlib import metadata

    return sorted({f"{d.metadata['Name'].lower()}=={d.version}" for d in metadata.distributions()
                   if d.metadata["Name"]})


def key(bin_dir: Path, root: Path = REPO, env=None) -> str:
    env = os.environ if env is None else env
    h = hashlib.sha256()
    for line in (FORMAT, f"postgresql {pg_major(bin_dir)}",
                 f"ledger {env.get('LIUHEN_LEDGER_HASH', 'sha256')} {env.get('LIUHEN_LOG_ORIGIN', '')}",
                 *distributions()):
        h.update(line.encode() + b"\n")
    for path in sorted(root.glob("liuhen/*/migrations/*.py")):
        h.update(f"{path.relative_to(root)} {hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return h.hexdigest()[:32]


def restore(cache: Path, bin_dir: Path, dest: Path, root: Path = REPO) -> str:
    """Unpack the template of this key into `dest` (not existing) once its archive matches the
    manifest's size and SHA-256; its key. Unusable otherwise (dest and the bad template removed)."""
    k = key(bin_dir, root)
    entry, made = Path(cache) / k, False
    try:
        if not (entry / "manifest.json").is_file():
            others = " (others, of other migrations)" if _entries(cache) else ""
            raise Unusable(f"no template for key {k} in {cache}{others}")
        try:
            manifest = json.loads((entry / "manifest.json").read_text())
            if manifest["key"] != k:
                raise ValueError
            size, digest = manifest["size"], manifest["sha256"]
        except (ValueError, KeyError, TypeError):
            raise Unusable(f"{entry}: unreadable manifest") from None
        try:
            archive = (entry / ARCHIVE).read_bytes()
        except FileNotFoundError:
            raise Unusable(f"{entry}: its archive is missing") from None
        if len(archive) != size or hashlib.sha256(archive).hexdigest() != digest:
            raise Unusable(f"{entry}: its archive changed since it was saved")
        dest.mkdir(mode=0o700)
        made = True
        untar = subprocess.run(["tar", "-C", str(dest), "-xf", "-"], input=archive, capture_output=True)
        if untar.returncode != 0:
            raise Unusable(f"{entry}: tar: {untar.stderr.decode(errors='replace').strip()}")
        os.utime(entry)  # most recently used: kept longest
        return k
    except Unusable:
        if made:
            shutil.rmtree(dest, ignore_errors=True)
        shutil.rmtree(entry, ignore_errors=True)
        raise
    except OSError as exc:  # a template removed while read (another run pruning), `dest` there: not used
        if made:
            shutil.rmtree(dest, ignore_errors=True)
        raise Unusable(f"{entry}: {exc}") from None


def save(cache: Path, bin_dir: Path, data: Path, root: Path = REPO) -> Path:
    """Keep `data` (a stopped cluster, just migrated) as this key's template; the oldest beyond KEEP
    are removed. Written beside and renamed into place: a reader never sees half a template."""
    k = key(bin_dir, root)
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{k}-", dir=cache))
    try:
        subprocess.run(["tar", "-C", str(data), "-cf", str(tmp / ARCHIVE),
                        *(f"--exclude=./{name}" for name in SKIP), "."], check=True)
        archive = (tmp / ARCHIVE).read_bytes()
        (tmp / "manifest.json").write_text(json.dumps(
            {"key": k, "size": len(archive), "sha256": hashlib.sha256(archive).hexdigest()}))
        entry = cache / k
        if entry.exists():
            shutil.rmtree(entry)
        tmp.rename(entry)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for old in _entries(cache)[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
    return entry


def _entries(cache: Path) -> list[Path]:
    """The templates in `cache`, most recently used first."""
    if not Path(cache).is_dir():
        return []
    found = [p for p in Path(cache).iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def migrated() -> None:
    """What `migrate` does on a database with nothing to apply, without loading every migration's state:
    Django's post_migrate signal. A migration the template lacks (its key should have changed) is applied,
    and said."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        print(f"pgtemplate: the template lacks {len(plan)} migrations: migrating", file=sys.stderr)
        call_command("migrate", "--no-input", verbosity=0)
    else:
        emit_post_migrate_signal(0, False, "default")


def main(argv: list[str]) -> int:
    cmd, *rest = argv
    if cmd == "key":
        print(key(Path(rest[0])))
    elif cmd == "restore":
        try:
            k = restore(Path(rest[0]), Path(rest[1]), Path(rest[2]))
        except Unusable as exc:
            print(f"pgtemplate: not used: {exc}; the cluster is made and migrated, then saved", file=sys.stderr)
            return 3
        print(f"pgtemplate: the migrated cluster copied from {Path(rest[0]) / k}", file=sys.stderr)
    elif cmd == "save":
        entry = save(Path(rest[0]), Path(rest[1]), Path(rest[2]))
        print(f"pgtemplate: the migrated cluster saved in {entry} (the next stacks start from a copy)",
              file=sys.stderr)
    elif cmd == "migrated":
        migrated()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
