"""The restore drill (issue 21 §5): build data, back up, restore into a fresh instance, `liuhen
verify` passes; a witness that saw a later checkpoint flags the rolled-back log. And the refusals:
a non-empty target (exit 2), a damaged backup, a backup directory that is not empty.

Every step is the real command, through its own command line, in a child process
(liuhen.testing.ledger_processes, liuhen/ops/tests/build.py): on SQLite a database file, on
PostgreSQL (`scripts/with-postgres.sh`) a database of the test's own, pg_dump and pg_restore; the
blob store on local disk or on a real SeaweedFS (S3).

Each child imports Django and the project (seconds), so the instance that is backed up is built
once per storage for the module (`sources`) and the tests restore copies of its backup; a child runs
several steps where a new process would see nothing else — but every restore is a process of its
own, and the first look at a restored instance another one.
"""
import contextlib
import hashlib
import json
import shutil
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from liuhen.testing import ledger_processes as lp
from liuhen.testing.ledger_processes import LIUHEN
from liuhen.testing.seaweedfs import ACCESS_KEY, SECRET_KEY

pytestmark = pytest.mark.django_db(transaction=True)


def steps(children, *todo) -> list:
    """Run build.py's steps (each a list) in one child; their outcomes."""
    r = children.run(sys.executable, "-m", "liuhen.ops.tests.build", *map(json.dumps, todo), timeout=180)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def ok(outcome):
    """A `liuhen` step, or a `liuhen` child process, that succeeded."""
    if isinstance(outcome, dict):
        assert outcome["rc"] == 0, outcome["out"] + outcome["err"]
    else:
        assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    return outcome


def _s3_env(s3, prefix: str) -> dict:
    return dict(LIUHEN_STORAGE_URL=s3.with_prefix(f"{prefix}-{uuid.uuid4().hex[:8]}/"),
                AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)


@dataclass
class Source:
    """An instance with data, backed up: its children, the backup made after a small case (read it
    through a copy: `_copy`), and a witness that then saw a later checkpoint (5 entries more)."""
    storage: str
    children: lp.Children
    backup: Path
    witness: Path
    s3: object = None


def _copy(what: Path, to: Path) -> Path:
    return Path(shutil.copytree(what, to))


@pytest.fixture(scope="module")
def sources(request, template, tmp_path_factory):
    """sources("local") or sources("s3"): the Source with its blobs on local disk under its home, or
    in a SeaweedFS bucket — built by the first test that asks, kept for the module (each build is a
    child importing Django and the project, and a backup; the tests only read it, through copies)."""
    built = {}
    with contextlib.ExitStack() as stack:

        def get(storage: str) -> Source:
            if storage not in built:
                directory = tmp_path_factory.mktemp(f"source-{storage}")
                children = stack.enter_context(lp.instance(template, directory))
                s3 = None
                if storage == "s3":
                    s3 = request.getfixturevalue("seaweedfs")
                    children.env.update(_s3_env(s3, "drill"))
                backup, witness = directory / "backup", directory / "witness"
                done = steps(children, ["case"], ["liuhen", "witness", str(witness)], ["liuhen", "backup", str(backup)],
                             ["more", 5], ["liuhen", "witness", str(witness)])
                for outcome in done[1], done[2], done[4]:
                    ok(outcome)
                built[storage] = Source(storage, children, backup, witness, s3)
            return built[storage]

        yield get


@pytest.fixture
def fresh_instance(tmp_path):
    """fresh_instance(source): a second instance beside the source's: an empty database (not
    migrated) and a new home, its blobs in the same kind of store (a place of its own in the
    bucket)."""
    pg = lp._postgres_url()
    made = []

    def make(source: Source) -> lp.Children:
        home = tmp_path / "fresh-home"
        home.mkdir()
        if pg:
            name = f"liuhen_fresh_{uuid.uuid4().hex[:12]}"
            with lp._pg_admin(pg) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            made.append(name)
            url = lp._with_db_name(pg, name)
        else:
            url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        env = lp._env(home, url)
        if source.s3:
            env.update(_s3_env(source.s3, "fresh"))
        return lp.Children(env, home, [])

    try:
        yield make
    finally:
        for name in made:
            with lp._pg_admin(pg) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("storage", ["local", "s3"])
def test_restore_drill_verify_passes_and_a_witness_flags_the_older_backup(sources, storage, fresh_instance, tmp_path):
    source = sources(storage)
    first = _copy(source.backup, tmp_path / "backup-1")
    manifest = json.loads((first / "manifest.json").read_text())
    size = manifest["log"]["size"]
    assert size > 0 and manifest["blobs"] == 1 and manifest["blobs_missing"] == []
    assert {"keys/ledger-ed25519.seed", "checkpoints/checkpoint", "blobs.sha256"} <= set(manifest["files"])
    assert manifest["storage"] == storage

    # Later entries under a later checkpoint, which the witness keeps.
    witness = _copy(source.witness, tmp_path / "witness")
    witnessed = int((witness / "latest").read_text().split("\n")[1])
    assert witnessed > size

    # The older backup restored into a new instance...
    fresh = fresh_instance(source)
    r = ok(fresh.run(str(LIUHEN), "restore", str(first)))
    assert "已从" in r.stdout
    # ...and then, in a new process: the log is whole and verifies...
    verified, read, rolled_back, _, forked = steps(
        fresh, ["liuhen", "verify"], ["read"], ["liuhen", "witness", str(witness)], ["more", 20],
        ["liuhen", "witness", str(witness)])
    assert "通过" in ok(verified)["out"]
    # ...with the party's encrypted ID number readable (the keys came back) and the photo's bytes.
    assert read["id_number"].startswith("11010519491231002") and len(read["id_number"]) == 18
    assert read["verified"] == 1

    # ...but it is the log as it was: the witness that saw the later checkpoint flags the rollback.
    assert rolled_back["rc"] != 0 and "回滚" in rolled_back["err"], rolled_back
    # Growing the restored log past what the witness saw does not hide it: another tree, a fork.
    assert forked["rc"] != 0 and "不一致" in forked["err"], forked


def _listing(directory: Path) -> dict:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_restore_refuses_a_non_empty_instance_and_writes_nothing(sources, tmp_path):
    # The source itself is the non-empty target (data, keys, a checkpoint, stored files); no other
    # test reads the instance (they read its backup and witness, through copies).
    source = sources("local")
    backup = _copy(source.backup, tmp_path / "backup")
    listing = _listing(backup)
    before, refused, after, into_backup = steps(
        source.children, ["count"], ["liuhen", "restore", str(backup)], ["count"], ["liuhen", "backup", str(backup)])
    assert refused["rc"] == 2, refused
    assert "拒绝恢复：目标实例不是空的" in refused["err"] and "数据库已有" in refused["err"]
    assert after == before > 0
    # A backup directory that is not empty is refused too (exit 2): nothing is mixed into it.
    assert into_backup["rc"] == 2 and "不是空目录" in into_backup["err"], into_backup
    assert _listing(backup) == listing


def test_restore_refuses_a_damaged_backup_before_writing(sources, fresh_instance, tmp_path):
    source = sources("local")
    damaged = _copy(source.backup, tmp_path / "damaged")
    blob = next(p for p in sorted((damaged / "blobs").rglob("*")) if p.is_file())
    blob.chmod(0o644)
    blob.write_bytes(blob.read_bytes()[:-1] + b"!")
    unlabelled = _copy(source.backup, tmp_path / "unlabelled")
    (unlabelled / "manifest.json").unlink()
    intact = _copy(source.backup, tmp_path / "intact")
    fresh = fresh_instance(source)
    refused, not_a_backup, restored = steps(
        fresh, ["liuhen", "restore", str(damaged)], ["liuhen", "restore", str(unlabelled)],
        ["liuhen", "restore", str(intact)])
    assert refused["rc"] == 1 and "备份已损坏或被改动" in refused["err"] and blob.name in refused["err"], refused
    assert not_a_backup["rc"] == 2 and "不是留痕备份" in not_a_backup["err"], not_a_backup
    # Nothing was written: the same instance, still empty, takes the intact backup afterwards...
    ok(restored)
    # ...which verifies (a new process, as after the restore).
    r = ok(fresh.run(str(LIUHEN), "verify"))
    assert "通过" in r.stdout
