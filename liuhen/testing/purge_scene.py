"""The scene of the purged-blob verify tests (liuhen/media/tests/test_verify_purged.py), built once
per run (liuhen.testing.demo.scene_snapshot) and copied into each test: a world verifying clean, two
clips on a shelf recorded 250 and 249 days ago, announced 45 days ago, the second held, the first
removed 10 days ago — all but the purge itself, which each test runs on the store it tests."""
from __future__ import annotations


def removed_scene(where):
    """(world, the clip removed — its bytes purged by the next purge run —, the clip held); `where`
    holds the clips' dumps. The clips are stored on local disk (LIUHEN_BLOB_DIR), whatever store the
    test asking first tests: the snapshot keeps that directory, and each test puts its files into its
    own store (liuhen.testing.demo.put_scene_files)."""
    from django.test import override_settings

    with override_settings(LIUHEN_STORAGE_URL=""):
        return _removed(where)


def _removed(where):
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.retention import services
    from liuhen.testing.retention import Shelf, ago, run_at
    from liuhen.testing.world import World

    world = World()
    integrate_all()  # as the verified_world fixture had it
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    shelf = Shelf(world, where)
    gone, kept = shelf.clip(ago(days=250)), shelf.clip(ago(days=249))
    run_at(ago(days=45))
    services.place_hold(world.agency_head, item=kept, reason="诉讼中")  # kept stays
    run_at(ago(days=10))
    return world, gone, kept
