"""The test harness's scenes built once per run (liuhen/testing/demo.py): a scene restored into a
test's database equals the one built there, and still fits after an earlier transactional test of
the same worker flushed the database (its seed — content types, the record catalogue, append-only
ones included — comes back under other ids and is put back as the snapshot knew it)."""
import pytest

from liuhen.testing import demo


def _restore(request):
    settings = request.getfixturevalue("settings")
    home = request.getfixturevalue("fresh_home")
    snapshot = demo.scene_snapshot("liuhen.testing.records:records_scene", request.getfixturevalue("tmp_path_factory"),
                                   request.getfixturevalue("django_db_blocker"), replay_changes=True)
    return demo.restore_scene(snapshot, home, settings.LIUHEN_BLOB_DIR)


def test_a_restored_scene_verifies_like_a_built_one(db, request):
    from liuhen.ledger.verify import verify_log
    from liuhen.records.models import Record

    scene = _restore(request)
    assert demo.last_restore_fitted
    assert Record.objects.filter(pk=scene.record.pk).exists() and scene.world.officer.username == "zhang"
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


@pytest.mark.django_db(transaction=True)
def test_a_scene_still_fits_after_a_flush(request):
    """(pytest-django runs transactional tests after the others: the flush is this test's own, as the
    one that ends each transactional test — ids going on — and the scene is committed here.)"""
    from django.core.management import call_command

    from liuhen.records.models import RecordType

    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    assert RecordType.objects.exists()  # the catalogue, re-seeded
    scene = _restore(request)
    assert demo.last_restore_fitted, "the seed could not be put back: the scene was built again"
    assert scene.case.pk
