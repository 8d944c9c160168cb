"""The interrupted-purge tests' scenes (liuhen/retention/tests/test_purge_interrupted.py), built once per
run (liuhen.testing.demo.scene_snapshot): a world integrated and verifying clean (as the verified_world
fixture has it), then a shelf (liuhen.testing.retention.Shelf) with old clips. A test restores one into
a directory of its own and puts its files into the store under test (`on_store`)."""
from types import SimpleNamespace


def _shelf_with_clips(where, days_ago: tuple[int, ...]):
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.testing.retention import Shelf, ago
    from liuhen.testing.world import World

    world = World()
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    shelf = Shelf(world, where)
    return SimpleNamespace(world=world, shelf=shelf, clips=[shelf.clip(ago(days=d)) for d in days_ago])


def three_old_clips(where):
    """Three clips recorded 250, 249 and 248 days ago."""
    return _shelf_with_clips(where, (250, 249, 248))


def one_old_clip(where):
    """One clip recorded 250 days ago."""
    return _shelf_with_clips(where, (250,))


def on_store(builder: str, tmp_path, home, tmp_path_factory, django_db_blocker):
    """The scene `builder` restored (its keys in `home`), its files put into the store the settings
    name now (local disk or S3) through the store's own `put`; the shelf's camera dumps go under
    `tmp_path` from now on."""
    from liuhen.testing.demo import put_scene_files, restore_scene, scene_snapshot

    snapshot = scene_snapshot(builder, tmp_path_factory, django_db_blocker, replay_changes=True)
    files = tmp_path / "scene-blobs"
    scene = restore_scene(snapshot, home, files)
    put_scene_files(files)  # (a snapshot that did not fit: built here, its files in `files` or already in S3)
    scene.shelf.tmp = tmp_path
    return scene
