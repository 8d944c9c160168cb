"""`liuhen verify` holds each notice mark (提醒已读标记) to what the log recorded: a mark moved by SQL
(which would silence findings the person never saw), inserted or deleted behind the log's back —
each named with its code (oversight.E501-E503)."""
import pytest

from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.oversight import notices
from liuhen.oversight import pages_vocabulary as v
from liuhen.oversight.notice_models import NoticeMark
from liuhen.testing.tampering import drop_append_only, found, sql

TABLE = NoticeMark._meta.db_table


@pytest.fixture
def marks(verified_world):
    world = verified_world
    a = notices.mark_seen(world.officer, 0, ["1:service:2026-12-02T00:00:00+00:00"])
    b = notices.mark_seen(world.officer2, 0, [])
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world, a, b


def test_a_mark_moved_by_sql(marks):
    world, a, b = marks
    drop_append_only(TABLE)
    sql(f"UPDATE {TABLE} SET seen_event_id = 99 WHERE id = %s", [a.pk])
    assert found(verify_log(), "altered", f"{NoticeMark.ledger_object_type}:{a.pk}").code == v.E501


def test_a_mark_inserted_by_sql(marks):
    world, a, b = marks
    sql(f"INSERT INTO {TABLE} (user_id, agency_id, seen_event_id, seen_deadlines, marked_at)"
        f" SELECT user_id, agency_id, 1000, seen_deadlines, marked_at FROM {TABLE} WHERE id = %s", [b.pk])
    new = NoticeMark.objects.exclude(pk__in=[a.pk, b.pk]).get()
    assert found(verify_log(), "inserted", f"{NoticeMark.ledger_object_type}:{new.pk}").code == v.E502


def test_a_mark_deleted_by_sql(marks):
    world, a, b = marks
    drop_append_only(TABLE)
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [b.pk])
    assert found(verify_log(), "deleted", f"{NoticeMark.ledger_object_type}:{b.pk}").code == v.E503
