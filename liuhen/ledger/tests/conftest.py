"""Fixtures the ledger's test modules share (their builders live in liuhen/testing/ledger.py)."""
import pytest

from liuhen.ledger.exports import export_bundle
from liuhen.ledger.models import Sequenced
from liuhen.testing.ledger import small_case
from liuhen.testing.ledger_processes import child_env, template  # noqa: F401 — fixtures of the process tests


@pytest.fixture
def scene(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    """The world of a small case, integrated, signed, published and verifying clean (`build_scene`:
    built once per run and copied in with its keys, liuhen.testing.demo)."""
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.ledger:ledger_scene", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    return restore_scene(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)


@pytest.fixture
def gm(settings):
    settings.LIUHEN_LEDGER_HASH = "sm3"
    settings.LIUHEN_LEDGER_SIGNATURE = "sm2"


@pytest.fixture
def exported(world, tmp_path):
    record = small_case(world)
    path = tmp_path / "bundle"
    summary = export_bundle(path)
    assert summary["content"] == 3 and summary["blobs"] == 1  # the start approval's v1, the inspection's v1 and v2
    assert summary["entries"] == Sequenced.objects.count() and summary["checkpoints"] >= 1
    return path, record
