"""`liuhen verify` holds field-trip declarations and interruption notes to what the log recorded: a
return moved later by SQL (which would excuse late footage, AS 12), a note deleted (reopening a gap,
LQ 22), a row inserted behind the log's back — each named with its code."""
import datetime

import pytest
from django.utils import timezone

from liuhen.avrules import services
from liuhen.avrules import vocabulary as v
from liuhen.avrules.models import FieldTrip, Interruption
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.avrules import camera, clip, link, record
from liuhen.testing.cases import to_investigation
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def stored(verified_world, tmp_path):
    world = verified_world
    now = timezone.now()
    trip = services.declare_field_trip(world.officer, world.officer, starts_at=now, ends_at=now + datetime.timedelta(
        days=2), place="县北部山区", reason="汛前检查")
    case = to_investigation(world)
    inspection = record(world, case, "inspection_record", {})
    camera(world)
    a = clip(tmp_path, recorded=now - datetime.timedelta(minutes=30))
    b = clip(tmp_path, recorded=now - datetime.timedelta(minutes=20))
    link(world, a, inspection)
    link(world, b, inspection)
    note = services.note_interruption(world.officer, inspection, a, b, "设备电量不足")
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world, trip, note


def test_a_field_trips_return_moved_by_sql(stored):
    world, trip, note = stored
    drop_append_only(FieldTrip._meta.db_table)
    sql("UPDATE avrules_fieldtrip SET ends_at = %s WHERE id = %s", [trip.ends_at + datetime.timedelta(days=5), trip.pk])
    f = found(verify_log(), "altered", f"av_field_trip:{trip.pk}",
              Entry.objects.get(action=v.FIELD_TRIP, object_id=str(trip.pk)))
    assert f.code == v.E001


def test_a_field_trip_inserted_by_sql(stored):
    world, trip, note = stored
    sql("INSERT INTO avrules_fieldtrip (agency_id, officer_id, starts_at, ends_at, place, reason, declared_by_id,"
        " declared_at) SELECT agency_id, officer_id, starts_at, ends_at, place, reason, declared_by_id, declared_at"
        " FROM avrules_fieldtrip WHERE id = %s", [trip.pk])
    new = FieldTrip.objects.exclude(pk=trip.pk).get()
    assert found(verify_log(), "inserted", f"av_field_trip:{new.pk}").code == v.E002


def test_a_field_trip_deleted_by_sql(stored):
    world, trip, note = stored
    drop_append_only(FieldTrip._meta.db_table)
    sql("DELETE FROM avrules_fieldtrip WHERE id = %s", [trip.pk])
    assert found(verify_log(), "deleted", f"av_field_trip:{trip.pk}").code == v.E003


def test_an_interruption_note_altered_deleted_inserted(stored):
    world, trip, note = stored
    drop_append_only(Interruption._meta.db_table)
    sql("UPDATE avrules_interruption SET reason = %s WHERE id = %s", ["另一原因", note.pk])
    assert found(verify_log(), "altered", f"av_interruption:{note.pk}").code == v.E004
    sql("DELETE FROM avrules_interruption WHERE id = %s", [note.pk])
    assert found(verify_log(), "deleted", f"av_interruption:{note.pk}").code == v.E006
    sql("INSERT INTO avrules_interruption (id, case_id, record_id, before_id, after_id, reason, noted_by_id, noted_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        [note.pk + 100, note.case_id, note.record_id, note.before_id, note.after_id, note.reason, note.noted_by_id,
         note.noted_at])
    assert found(verify_log(), "inserted", f"av_interruption:{note.pk + 100}").code == v.E005


def test_rows_are_append_only(stored):
    from liuhen.common.append_only import AppendOnlyError

    world, trip, note = stored
    with pytest.raises(AppendOnlyError):
        trip.save()
    with pytest.raises(AppendOnlyError):
        note.delete()
    with pytest.raises(AppendOnlyError):
        FieldTrip.objects.update(place="x")
