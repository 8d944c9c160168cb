"""bench/support/pgtemplate.py, the migrated PostgreSQL cluster bench/load.py keeps between runs
(scripts/prod-up.sh PROD_PG_TEMPLATE): its key follows every migration file and PostgreSQL's major
version, and a template is used only when it is this key's and its archive is whole — a changed
migration, a damaged, truncated or missing template is never used: it is said, removed, and the caller
makes the cluster afresh and saves it again. No PostgreSQL needed: a directory stands for the data
directory, a script for `postgres --version`."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))

from support import pgtemplate  # noqa: E402  (bench/support/pgtemplate.py)


def _postgres(bin_dir: Path, version: str) -> Path:
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "postgres"
    script.write_text(f"#!/bin/sh\necho 'postgres (PostgreSQL) {version} (Debian {version}-0+deb12u1)'\n")
    script.chmod(0o755)
    return bin_dir


@pytest.fixture
def tree(tmp_path):
    """A source tree with two apps' migrations, PostgreSQL 15, a stopped cluster's data directory."""
    root = tmp_path / "src"
    for app in ("cases", "ledger"):
        (root / "liuhen" / app / "migrations").mkdir(parents=True)
        (root / "liuhen" / app / "migrations" / "__init__.py").write_text("")
        (root / "liuhen" / app / "migrations" / "0001_initial.py").write_text(f"# {app}\n")
    data = tmp_path / "data"
    (data / "base" / "1").mkdir(parents=True)
    (data / "pg_tblspc").mkdir()  # empty directories PostgreSQL needs
    (data / "PG_VERSION").write_text("15\n")
    (data / "base" / "1" / "1259").write_bytes(bytes(range(256)) * 64)
    (data / "postmaster.opts").write_text("/usr/lib/postgresql/15/bin/postgres\n")
    for path in [data, *data.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)
    return root, _postgres(tmp_path / "bin15", "15.10"), data, tmp_path / "cache"


def test_the_key_follows_each_migration_and_the_postgresql_major(tree, tmp_path):
    root, bin15, _, _ = tree
    first = pgtemplate.key(bin15, root)
    assert pgtemplate.key(bin15, root) == first  # stable
    assert pgtemplate.key(_postgres(tmp_path / "bin15b", "15.12"), root) == first  # a minor release: the same
    assert pgtemplate.key(_postgres(tmp_path / "bin16", "16.4"), root) != first

    migration = root / "liuhen" / "cases" / "migrations" / "0001_initial.py"
    migration.write_text("# cases, changed\n")
    changed = pgtemplate.key(bin15, root)
    assert changed != first
    (root / "liuhen" / "ledger" / "migrations" / "0002_more.py").write_text("# new\n")
    assert pgtemplate.key(bin15, root) not in (first, changed)


def test_a_saved_template_comes_back_whole(tree, tmp_path):
    root, bin15, data, cache = tree
    entry = pgtemplate.save(cache, bin15, data, root)
    assert entry.name == pgtemplate.key(bin15, root)
    dest = tmp_path / "pg" / "data"
    dest.parent.mkdir()
    assert pgtemplate.restore(cache, bin15, dest, root) == entry.name
    assert (dest / "base" / "1" / "1259").read_bytes() == (data / "base" / "1" / "1259").read_bytes()
    assert (dest / "pg_tblspc").is_dir() and not (dest / "postmaster.opts").exists()
    assert dest.stat().st_mode & 0o777 == 0o700  # PostgreSQL refuses a data directory others may read
    assert (dest / "PG_VERSION").stat().st_mode & 0o777 == 0o600


def test_a_changed_migration_never_uses_the_old_template(tree, tmp_path):
    root, bin15, data, cache = tree
    old = pgtemplate.save(cache, bin15, data, root)
    (root / "liuhen" / "cases" / "migrations" / "0002_new.py").write_text("# new\n")
    dest = tmp_path / "dest"
    with pytest.raises(pgtemplate.Unusable, match="no template for key"):
        pgtemplate.restore(cache, bin15, dest, root)
    assert not dest.exists() and old.exists()  # the other key's template is another tree's: kept
    # a template renamed to the new key (its manifest names the old one) is refused all the same
    old.rename(cache / pgtemplate.key(bin15, root))
    with pytest.raises(pgtemplate.Unusable, match="unreadable manifest"):
        pgtemplate.restore(cache, bin15, dest, root)
    assert not dest.exists()


@pytest.mark.parametrize("damage", ["flip", "truncate", "no archive", "no manifest", "bad manifest"])
def test_a_damaged_template_is_removed_then_rebuilt(tree, tmp_path, damage):
    root, bin15, data, cache = tree
    entry = pgtemplate.save(cache, bin15, data, root)
    archive = entry / pgtemplate.ARCHIVE
    if damage == "flip":
        raw = bytearray(archive.read_bytes())
        raw[len(raw) // 3] ^= 0x01
        archive.write_bytes(bytes(raw))
    elif damage == "truncate":
        archive.write_bytes(archive.read_bytes()[:-512])
    elif damage == "no archive":
        archive.unlink()
    elif damage == "no manifest":
        (entry / "manifest.json").unlink()
    else:
        (entry / "manifest.json").write_text(json.dumps({"key": entry.name}))
    dest = tmp_path / "dest"
    with pytest.raises(pgtemplate.Unusable):
        pgtemplate.restore(cache, bin15, dest, root)
    assert not dest.exists() and not entry.exists()  # nothing half-copied, the bad template gone

    # the caller makes the cluster afresh and saves it: the next restore uses it
    pgtemplate.save(cache, bin15, data, root)
    pgtemplate.restore(cache, bin15, dest, root)
    assert (dest / "PG_VERSION").read_text() == "15\n"


def test_the_command_says_why_it_made_the_cluster_afresh(tmp_path):
    """prod-up.sh's side: `restore` exits 3 with the reason when it cannot be used (prod-up then runs
    initdb and migrate, and `save`)."""
    bin15 = _postgres(tmp_path / "bin", "15.10")
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "support" / "pgtemplate.py"), "restore",
                          str(tmp_path / "cache"), str(bin15), str(tmp_path / "dest")], capture_output=True, text=True)
    assert run.returncode == 3 and "not used: no template for key" in run.stderr
    assert not (tmp_path / "dest").exists()


def test_only_the_most_recent_templates_are_kept(tree, tmp_path):
    root, bin15, data, cache = tree
    kept = []
    for n in range(pgtemplate.KEEP + 1):
        (root / "liuhen" / "cases" / "migrations" / f"{n + 2:04d}_step.py").write_text(f"# {n}\n")
        kept.append(pgtemplate.save(cache, bin15, data, root))
    assert not kept[0].exists() and all(entry.exists() for entry in kept[1:])
