"""A purge interrupted at any point — after a notice, after a removal, after the purge event but
before the bytes went, after the bytes went — leaves every file kept, removed (recoverable) or
purged with its event; `liuhen verify` passes; the next run finishes the work (bytes of a purged
blob still present are deleted then). On local disk and on SeaweedFS; and with SeaweedFS down
when the bytes are deleted, the purge row stays, the run exits 1, and the next run deletes them."""
import pytest

from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.media import store
from liuhen.media import vocabulary as mv
from liuhen.media.models import BlobPurge
from liuhen.retention.models import PurgeNotice, Removal
from liuhen.testing.media import store_backend  # noqa: F401  (fixture: local disk and SeaweedFS)
from liuhen.testing.retention import ago, purge, run_at
from liuhen.testing.retention_scene import on_store
from liuhen.testing.seaweedfs import own_seaweedfs  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("fresh_home")


class Killed(BaseException):
    """The process dying there (not an Exception: nothing may catch it on the way)."""


def kill_at(step_name):
    def on_step(step, what):
        if step == step_name:
            raise Killed(step)
    return on_step


def state(item) -> str:
    """kept / removed / purged — and a purged one has its event, a removed one its removal."""
    purged = BlobPurge.objects.filter(blob_id=item.blob_id).first()
    if purged is not None:
        assert Entry.objects.filter(action=mv.PURGE, object_id=item.blob_id).count() == 1
        return "purged"
    if Removal.objects.filter(item=item, restoration__isnull=True).exists():
        assert store.exists(item.blob_id)  # recoverable: the bytes are there
        return "removed"
    assert store.exists(item.blob_id)
    return "kept"


def clean():
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


@pytest.fixture
def three(db, fresh_home, tmp_path, store_backend, tmp_path_factory, django_db_blocker):  # noqa: F811
    """Three old clips on the given backend (liuhen.testing.retention_scene: built once per run)."""
    return on_store("liuhen.testing.retention_scene:three_old_clips", tmp_path, fresh_home, tmp_path_factory,
                    django_db_blocker).clips


@pytest.fixture
def one_old(db, fresh_home, tmp_path, own_seaweedfs, tmp_path_factory, django_db_blocker):  # noqa: F811
    """(shelf, clip): one old clip on the test's own SeaweedFS (built once per run)."""
    scene = on_store("liuhen.testing.retention_scene:one_old_clip", tmp_path, fresh_home, tmp_path_factory,
                     django_db_blocker)
    return scene.shelf, scene.clips[0]


@pytest.mark.parametrize("step", ["notice", "remove", "purge_row", "delete"])
def test_killed_between_steps(three, step):
    a, b, c = three
    if step != "notice":
        run_at(ago(days=45))
    if step in ("purge_row", "delete"):
        run_at(ago(days=10))
    when = {"notice": ago(days=45), "remove": ago(days=10)}.get(step)
    with pytest.raises(Killed):
        run_at(when, on_step=kill_at(step)) if when else run_at(ago(seconds=1), on_step=kill_at(step))
    states = [state(i) for i in three]
    expected_first = {"notice": "kept", "remove": "removed", "purge_row": "purged", "delete": "purged"}[step]
    assert states[0] == expected_first
    assert states[1:] == [{"notice": "kept", "remove": "kept", "purge_row": "removed", "delete": "removed"}[step]] * 2
    if step == "notice":
        assert PurgeNotice.objects.filter(item=a).count() == 1 and not PurgeNotice.objects.filter(item=b).exists()
    if step == "purge_row":
        assert store.exists(a.blob_id)  # the event is in; the bytes not yet deleted
    clean()  # the ledger is consistent whatever the point of interruption
    # The next runs finish the work.
    if step == "notice":
        run_at(ago(days=44))
        run_at(ago(days=10))
    if step == "remove":
        run_at(ago(days=10))
    r = purge("--json")
    assert r.code == 0, r.err
    assert [state(i) for i in three] == ["purged"] * 3
    assert not any(store.exists(i.blob_id) for i in three)
    clean()


def test_store_down_when_the_bytes_go(one_old, own_seaweedfs):  # noqa: F811
    shelf, old = one_old
    run_at(ago(days=45))
    run_at(ago(days=10))

    def stop_the_store(step, what):
        if step == "purge_row":
            own_seaweedfs.stop()

    run = run_at(ago(seconds=1), on_step=stop_the_store)
    assert run.failures and "删除存储文件失败" in run.failures[0]
    assert BlobPurge.objects.filter(blob_id=old.blob_id).exists()  # the purge row stays
    own_seaweedfs.start()
    assert store.exists(old.blob_id)
    clean()  # purged with its event: not missing, even though the bytes are still there
    r = purge("--json")
    assert r.code == 0, r.err
    assert not store.exists(old.blob_id) and state(old) == "purged"
    clean()
    # The CLI's exit code when the deletion fails.
    other = shelf.clip(ago(days=249))
    run_at(ago(days=44))
    run_at(ago(days=9))
    own_seaweedfs.stop()
    try:
        r = purge("--json")
        assert r.code == 1 and ("存储不可达" in r.err or "失败" in r.err)
        assert r.by_sha()[other.blob_id]["stage"] == "purge"
    finally:
        own_seaweedfs.start()
    assert store.exists(other.blob_id)
    clean()
