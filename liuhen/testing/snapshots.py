"""A scene snapshot (liuhen.testing.demo.scene_snapshot) restored in a test in one call."""


def restored(builder: str, home, blob_dir, tmp_path_factory, django_db_blocker):
    """The scene `builder` ("module:function") in the current test's database — built once per run,
    then copied in — its keys copied to `home` and its files to `blob_dir`; returns what the
    builder returned."""
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot(builder, tmp_path_factory, django_db_blocker, replay_changes=True)
    return restore_scene(snapshot, home, blob_dir)
