"""A scene snapshot (liuhen.testing.demo.scene_snapshot) restored in a test in one call, or declared as
a test module's fixture."""
import pytest


def restored(builder: str, home, blob_dir, tmp_path_factory, django_db_blocker):
    """The scene `builder` ("module:function") in the current test's database — built once per run,
    then copied in — its keys copied to `home` and its files to `blob_dir`; returns what the
    builder returned."""
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot(builder, tmp_path_factory, django_db_blocker, replay_changes=True)
    return restore_scene(snapshot, home, blob_dir)


def scene_fixture(name: str, builder: str):
    """A fixture `name` (assign it to that name in the test module): the scene `builder` ("module:function")
    restored for each test, its keys in the test's fresh LIUHEN_HOME."""
    @pytest.fixture(name=name)
    def scene(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
        return restored(builder, fresh_home, settings.LIUHEN_BLOB_DIR, tmp_path_factory, django_db_blocker)

    return scene
