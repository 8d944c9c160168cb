"""The restore drill (issue 21 §5): build data, back up, restore into a fresh instance, `liuhen
verify` passes; a witness that saw a later checkpoint flags the rolled-back log. And the refusals:
a non-empty target (exit 2), a damaged backup, a backup directory that is not empty.

Every step is the real command in a child process (liuhen.testing.ledger_processes): on SQLite a
database file, on PostgreSQL (`scripts/with-postgres.sh`) a database of the test's own, pg_dump and
pg_restore; the blob store on local disk or on a real SeaweedFS (S3).
"""
import json
import sys
import uuid

import pytest

from liuhen.testing import ledger_processes as lp
from liuhen.testing.ledger_processes import LIUHEN
from liuhen.testing.seaweedfs import ACCESS_KEY, SECRET_KEY

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_instance(child_env, tmp_path):
    """A second instance beside child_env's: an empty database (not migrated) and a new home, with
    the same blob store settings as child_env's."""
    pg = lp._postgres_url()
    home = tmp_path / "fresh-home"
    home.mkdir()
    if pg:
        name = f"liuhen_fresh_{uuid.uuid4().hex[:12]}"
        with lp._pg_admin(pg) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = lp._with_db_name(pg, name)
    else:
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    env = lp._env(home, url)
    s3 = getattr(child_env, "s3", None)
    if s3:  # the same SeaweedFS, a place of its own in the bucket
        env.update(LIUHEN_STORAGE_URL=s3.with_prefix(f"fresh-{uuid.uuid4().hex[:8]}/"),
                   AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
    fresh = lp.Children(env, home, [])
    try:
        yield fresh
    finally:
        if pg:
            with lp._pg_admin(pg) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["local", "s3"])
def instance(request, child_env):
    """child_env with its blobs on local disk under its home, or in a SeaweedFS bucket."""
    if request.param == "s3":
        child_env.s3 = request.getfixturevalue("seaweedfs")
        child_env.env.update(LIUHEN_STORAGE_URL=child_env.s3.with_prefix(f"drill-{uuid.uuid4().hex[:8]}/"),
                             AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
    return child_env


def ok(r):
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def build(children, *args):
    return ok(children.run(sys.executable, "-m", "liuhen.ops.tests.build", *args))


def test_restore_drill_verify_passes_and_a_witness_flags_the_older_backup(instance, fresh_instance, tmp_path):
    build(instance, "case")
    witness = tmp_path / "witness"
    ok(instance.run(str(LIUHEN), "witness", str(witness)))
    first = tmp_path / "backup-1"
    ok(instance.run(str(LIUHEN), "backup", str(first)))
    manifest = json.loads((first / "manifest.json").read_text())
    size = manifest["log"]["size"]
    assert size > 0 and manifest["blobs"] == 1 and manifest["blobs_missing"] == []
    assert {"keys/ledger-ed25519.seed", "checkpoints/checkpoint", "blobs.sha256"} <= set(manifest["files"])
    assert manifest["storage"] == ("s3" if "LIUHEN_STORAGE_URL" in instance.env else "local")

    # Later entries under a later checkpoint, which the witness keeps.
    build(instance, "more", "5")
    ok(instance.run(str(LIUHEN), "witness", str(witness)))
    witnessed = int((witness / "latest").read_text().split("\n")[1])
    assert witnessed > size

    # The older backup restored into a new instance: the log is whole and verifies...
    r = ok(fresh_instance.run(str(LIUHEN), "restore", str(first)))
    assert "已从" in r.stdout
    r = ok(fresh_instance.run(str(LIUHEN), "verify"))
    assert "通过" in r.stdout
    # ...with the party's encrypted ID number readable (the keys came back) and the photo's bytes.
    r = ok(fresh_instance.run(sys.executable, "-c", READ_BACK))
    party_id, verified = r.stdout.split()
    assert party_id.startswith("11010519491231002") and len(party_id) == 18 and verified == "1"

    # ...but it is the log as it was: the witness that saw the later checkpoint flags the rollback.
    r = fresh_instance.run(str(LIUHEN), "witness", str(witness))
    assert r.returncode != 0 and "回滚" in r.stderr, r.stdout + r.stderr
    # Growing the restored log past what the witness saw does not hide it: another tree, a fork.
    build(fresh_instance, "more", "20")
    r = fresh_instance.run(str(LIUHEN), "witness", str(witness))
    assert r.returncode != 0 and "不一致" in r.stderr, r.stdout + r.stderr


READ_BACK = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
django.setup()
from liuhen.cases.models import Party
from liuhen.media import store
from liuhen.media.models import Blob
print(Party.objects.get().id_number)
print(sum(store.backend().verify(b.sha256) for b in Blob.objects.all()))
"""


def test_restore_refuses_a_non_empty_instance_and_writes_nothing(child_env, tmp_path):
    build(child_env, "case")
    backup = tmp_path / "backup"
    ok(child_env.run(str(LIUHEN), "backup", str(backup)))
    build(child_env, "more", "3")
    before = child_env.dump()
    r = child_env.run(str(LIUHEN), "restore", str(backup))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "拒绝恢复：目标实例不是空的" in r.stderr and "数据库已有" in r.stderr
    assert child_env.dump()["entry_count"] == before["entry_count"]
    # A backup directory that is not empty is refused too (exit 2): nothing is mixed into it.
    r = child_env.run(str(LIUHEN), "backup", str(backup))
    assert r.returncode == 2 and "不是空目录" in r.stderr


def test_restore_refuses_a_damaged_backup_before_writing(child_env, fresh_instance, tmp_path):
    build(child_env, "case")
    backup = tmp_path / "backup"
    ok(child_env.run(str(LIUHEN), "backup", str(backup)))
    blob = next((backup / "blobs").rglob("*"), None)
    while blob is not None and blob.is_dir():
        blob = next(blob.iterdir())
    blob.chmod(0o644)
    blob.write_bytes(blob.read_bytes()[:-1] + b"!")
    r = fresh_instance.run(str(LIUHEN), "restore", str(backup))
    assert r.returncode == 1 and "备份已损坏或被改动" in r.stderr and blob.name in r.stderr, r.stderr
    # Nothing was written: the same instance takes an intact backup afterwards.
    (backup / "manifest.json").unlink()
    r = fresh_instance.run(str(LIUHEN), "restore", str(backup))
    assert r.returncode == 2 and "不是留痕备份" in r.stderr
    good = tmp_path / "good"
    ok(child_env.run(str(LIUHEN), "backup", str(good)))
    ok(fresh_instance.run(str(LIUHEN), "restore", str(good)))
    ok(fresh_instance.run(str(LIUHEN), "verify"))
