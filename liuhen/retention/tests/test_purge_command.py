"""`liuhen purge` on real footage: the way out (公告 → 移除 → 清除) with its events, the four
refusals (held, linked to an open case, unexpired, long-term), --dry-run changing nothing,
--as-of, the --json last line, and `liuhen verify` clean after each step."""
import datetime

import pytest
from django.utils import timezone

from liuhen.footage import services as footage
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.media import store
from liuhen.media import vocabulary as mv
from liuhen.media.models import BlobPurge
from liuhen.retention import services
from liuhen.retention import vocabulary as v
from liuhen.retention.models import PurgeNotice, Removal
from liuhen.testing.retention import Shelf, ago, purge, run_at

pytestmark = pytest.mark.usefixtures("fresh_home")


def clean():
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return report


def counts():
    return (Entry.objects.count(), PurgeNotice.objects.count(), Removal.objects.count(), BlobPurge.objects.count())


@pytest.fixture
def shelf(verified_world, tmp_path):
    return Shelf(verified_world, tmp_path)


def test_the_way_out_each_step_with_its_event(shelf):
    old = shelf.clip(ago(days=250), sidecar=True)
    sidecar = old.sidecars.get()
    young = shelf.clip(ago(days=20))
    run = run_at(ago(days=45))
    assert run.done == {old.pk: "announced", sidecar.pk: "announced"}
    notice = PurgeNotice.objects.get(item=old)
    assert Entry.objects.filter(action=v.NOTICE, object_id=str(notice.pk)).count() == 1
    clean()
    # Not yet: announced only 25 days ago.
    assert run_at(ago(days=20)).done == {}
    run = run_at(ago(days=10))
    assert run.done == {old.pk: "removed", sidecar.pk: "removed"}
    removal = Removal.objects.get(item=old)
    assert removal.notice == notice and Entry.objects.filter(action=v.REMOVE, object_id=str(removal.pk)).exists()
    clean()
    r = purge("--json")
    assert r.code == 0, r.err
    files = r.by_sha()
    assert files[old.blob_id]["purge"] is True and files[old.blob_id]["done"] == "purged"
    assert files[sidecar.blob_id]["done"] == "purged"
    assert files[young.blob_id]["purge"] is False and files[young.blob_id]["class"] == "raw"
    assert not store.exists(old.blob_id) and not store.exists(sidecar.blob_id) and store.exists(young.blob_id)
    event = Entry.objects.get(action=mv.PURGE, object_id=old.blob_id)
    assert f'"blobs":["{old.blob_id}"]' in bytes(event.leaf).decode()  # the hash stays in the log
    assert BlobPurge.objects.get(blob_id=old.blob_id).size == old.size
    clean()
    # Idempotent: a second run does nothing more and verify stays clean.
    r = purge("--json")
    assert r.code == 0 and r.by_sha()[old.blob_id]["stage"] == "purged" and "done" not in r.by_sha()[old.blob_id]
    clean()


def test_the_four_refusals_say_why(shelf):
    world = shelf.world
    held = shelf.clip(ago(days=250))
    linked = shelf.clip(ago(days=250))
    unexpired = shelf.clip(ago(days=20))
    long_term = shelf.clip(ago(days=250))
    services.place_hold(world.agency_head, item=held, reason="行政复议审理中")
    case = world.open_case()
    footage.link(world.officer, linked, case, case.stage)
    services.add_ground(world.officer, kind="obstruction", item=long_term, reason="当事人阻碍执法并推搡执法人员")
    for when in (ago(days=60), ago(days=20), ago(days=1)):
        run_at(when)
    r = purge("--json")
    assert r.code == 0
    files = r.by_sha()
    h, lk, u, lt = (files[i.blob_id] for i in (held, linked, unexpired, long_term))
    assert (h["purge"], h["held"]) == (False, True) and "法律保全" in h["reason"]
    assert (lk["purge"], lk["open_case"], lk["class"], lk["retention_until"]) == (False, True, "evidence", None)
    assert case.number in lk["reason"] and "LW-D 11" in lk["reason"]
    assert (u["purge"], u["class"]) == (False, "raw") and "未到期" in u["reason"]
    assert (lt["purge"], lt["class"], lt["retention_until"]) == (False, "long_term", None)
    assert "LW-D 12（二）" in lt["reason"]
    for item in (held, linked, unexpired, long_term):
        assert store.exists(item.blob_id)
        assert not Removal.objects.filter(item=item).exists()
    clean()
    # A hold released: the file goes the ordinary way again (announced first).
    from liuhen.retention.models import LegalHold

    services.release_hold(world.agency_head, LegalHold.objects.get(item=held), "复议结束")
    assert run_at(timezone.now()).done.get(held.pk) == "announced"
    clean()


def test_dry_run_changes_nothing_not_even_notices(shelf):
    old = shelf.clip(ago(days=250))
    before = counts()
    r = purge("--dry-run", "--json")
    assert r.code == 0 and counts() == before
    assert r.by_sha()[old.blob_id]["stage"] == "announce" and "将公告" in r.out and "未作任何改动" in r.out
    run_at(ago(days=45))
    run_at(ago(days=10))
    before = counts()
    r = purge("--dry-run", "--json")
    assert r.by_sha()[old.blob_id]["stage"] == "purge" and counts() == before and store.exists(old.blob_id)


def test_as_of_evaluates_at_that_date_and_a_future_one_needs_dry_run(shelf):
    young = shelf.clip(ago(days=20))
    future = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    before = counts()
    r = purge("--as-of", future)
    assert r.code == 2 and "不能按将来的日期" in r.err and counts() == before
    r = purge("--as-of", future, "--dry-run", "--json")
    assert r.code == 0 and r.by_sha()[young.blob_id]["stage"] == "announce" and r.by_sha()[young.blob_id]["purge"]
    r = purge("--as-of", "2026-13-01", "--dry-run")
    assert r.code == 2 and "日期“2026-13-01”无效" in r.err
    past = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    r = purge("--as-of", past, "--json")
    assert r.code == 0 and r.by_sha()[young.blob_id]["stage"] == "kept"


def test_json_last_line_shape(shelf):
    shelf.clip(ago(days=250))
    shelf.clip(ago(days=3))
    r = purge("--json")
    report = r.report
    assert set(report) == {"files"} and len(report["files"]) == 2
    for f in report["files"]:
        assert {"sha256", "class", "retention_until", "purge", "held", "open_case", "reason"} <= set(f)
        assert isinstance(f["purge"], bool) and isinstance(f["held"], bool) and isinstance(f["open_case"], bool)
        assert f["class"] in ("raw", "evidence", "long_term") and len(f["sha256"]) == 64 and f["reason"]
        assert f["retention_until"] is None or datetime.date.fromisoformat(f["retention_until"])


def test_restore_within_the_recovery_period(shelf):
    world = shelf.world
    old = shelf.clip(ago(days=250))
    run_at(ago(days=45))
    run_at(ago(days=2))
    removal = Removal.objects.get(item=old)
    row = services.restore(shelf.admin, removal, "该视频系投诉处理所需")
    assert Entry.objects.filter(action=v.RESTORE, object_id=str(row.pk)).exists()
    r = purge("--json")
    assert r.by_sha()[old.blob_id]["stage"] == "announced" and store.exists(old.blob_id)
    clean()
    # Twice: refused, recorded.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.restore(world.agency_head, removal, "再次恢复")
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.agency_head.pk).exists()


def test_bytes_a_record_still_needs_are_not_purged(shelf):
    """The same bytes attached to a record (an officer attached the clip to a 笔录): the footage item
    is removed when its retention ends, but the stored file stays (media.purge.needed_elsewhere)."""
    import io

    from liuhen.media import store as media_store
    from liuhen.records import services as records
    from liuhen.testing.cases import make_record

    world = shelf.world
    old = shelf.clip(ago(days=250))
    case = world.open_case()
    record = make_record(world, case, "start_approval")
    with media_store.open_blob(old.blob_id) as fh:
        records.attach(world.officer, record, io.BytesIO(fh.read()), "现场视频.mp4")
    run_at(ago(days=45))
    run_at(ago(days=10))
    r = purge("--json")
    assert r.code == 0
    entry = r.by_sha()[old.blob_id]
    assert (entry["purge"], entry["stage"]) == (False, "removed") and "附件" in entry["reason"]
    assert store.exists(old.blob_id) and not BlobPurge.objects.exists()
    clean()


def test_only_a_removed_file_asks_who_else_needs_its_bytes(shelf):
    """needed_elsewhere asks a dozen tables (attachments, supplements, vouchers, archives, copies…) and
    decides only a removed file's fate: the flags of files not removed (a case page's footage) ask none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liuhen.retention import policy

    kept = shelf.clip(ago(days=5))
    with CaptureQueriesContext(connection) as got:
        facts = policy.load_facts([kept])
    assert facts[kept.pk].needed_elsewhere is False
    asked = " ".join(q["sql"] for q in got.captured_queries)
    assert "records_attachment" not in asked and "retrieval_copyitem" not in asked, asked
