"""The demo shows each retention class, a legal hold, a pending purge and a removal in its recovery
period (liuhen/demo/retention.py), and `liuhen verify` is clean after it."""
import datetime

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from liuhen.demo.builder import build_demo
from liuhen.footage.models import FootageItem
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.retention import policy, selectors
from liuhen.retention.models import GroundKind, LegalHold, LongTermGround, Removal

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    blob_dir = tmp_path_factory.mktemp("demo") / "blobs"
    home = tmp_path_factory.mktemp("home")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER, LIUHEN_BLOB_DIR=blob_dir,
                                                        LIUHEN_HOME=home):
        with transaction.atomic():
            summary = build_demo()
            yield summary, blob_dir, home
            transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db, settings):
    summary, blob_dir, home = demo_data
    settings.LIUHEN_BLOB_DIR, settings.LIUHEN_HOME = blob_dir, home
    return summary


def test_each_class_a_hold_a_pending_purge_and_a_removal(demo):
    from liuhen.demo.footage import ffmpeg_available

    if not ffmpeg_available():
        pytest.skip("no ffmpeg: the demo has no footage")
    items = list(FootageItem.objects.filter(video__isnull=True))
    vds = policy.verdicts(items, timezone.now())
    classes = {(vd.retention_class, vd.open_case) for vd in vds}
    assert {("raw", False), ("evidence", True), ("evidence", False), ("long_term", False)} <= classes
    kinds = set(LongTermGround.objects.filter(withdraws__isnull=True).values_list("kind", flat=True))
    assert kinds == set(GroundKind.values)
    assert LegalHold.objects.filter(releases__isnull=True).exists() and any(vd.held for vd in vds)
    pending = [vd for vd in vds if vd.stage == policy.ANNOUNCED and vd.retention_until
               and vd.retention_until - timezone.localdate() <= datetime.timedelta(days=7)]
    assert len(pending) == 1
    removal = Removal.objects.get()
    assert removal.recoverable_until > timezone.now()
    keeper = removal.item.device.custodian
    assert [it.pk for it in selectors.notices_for(keeper)] == [pending[0].item_id]
    assert selectors.unavailable_reasons([removal.item])[removal.item_id].startswith("已移除")
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
