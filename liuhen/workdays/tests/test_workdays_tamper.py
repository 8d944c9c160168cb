"""`liuhen verify` holds each loaded schedule to what the log recorded: a holiday moved, an
adjusted working weekend slipped in, a row deleted or inserted behind the log's back — each named
with its stable code (workdays.E001–E004); and it is clean after real loads."""
import hashlib
import json

import pytest

from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.tampering import drop_append_only, sql
from liuhen.testing.workdays import FICTIONAL_2038, clean_calendar, schedule_text  # noqa: F401
from liuhen.workdays import services
from liuhen.workdays import vocabulary as v
from liuhen.workdays.models import YearSchedule

pytestmark = pytest.mark.usefixtures("fresh_home", "clean_calendar")
TABLE = YearSchedule._meta.db_table


@pytest.fixture
def loaded(verified_world):
    world = verified_world
    a = services.load_schedule(None, schedule_text(2026), reason="国办发明电〔2025〕7号")
    b = services.load_schedule(world.sysadmin, FICTIONAL_2038, reason="测试")
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return a, b


def codes(report, pk) -> set:
    return {f.code for f in report.findings if f.object == f"{YearSchedule.ledger_object_type}:{pk}"}


def test_a_holiday_moved_by_sql(loaded):
    a, b = loaded
    drop_append_only(TABLE)
    holidays = [dict(h, to="2026-02-24") if h["name"] == "春节" else h for h in a.holidays]
    sql(f"UPDATE {TABLE} SET holidays = %s WHERE id = %s", [json.dumps(holidays, ensure_ascii=False), a.pk])
    assert codes(verify_log(), a.pk) == {v.E001, v.E004}
    event = Entry.objects.get(action=v.LOAD, object_id=str(a.pk))
    assert {f.entry_id for f in verify_log().findings} == {event.pk}


def test_the_file_and_its_digest_rewritten_together(loaded):
    a, b = loaded
    drop_append_only(TABLE)
    text = b.text.replace("workdays: [2038-02-13]", "workdays: [2038-02-13, 2038-02-20]")
    sql(f"UPDATE {TABLE} SET text = %s, sha256 = %s WHERE id = %s",
        [text, hashlib.sha256(text.encode()).hexdigest(), b.pk])
    # the row's state differs from the log, and its file no longer yields its dates
    assert codes(verify_log(), b.pk) == {v.E001, v.E004}


def test_a_row_deleted_or_inserted(loaded):
    a, b = loaded
    drop_append_only(TABLE)
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [b.pk])
    report = verify_log()
    assert codes(report, b.pk) == {v.E003}
    YearSchedule.objects.create(year=2039, notice="2039年", number="伪造", holidays=[], workdays=[],
                                sha256="0" * 64, text="year: 2039\n")
    new = YearSchedule.objects.get(year=2039)
    assert v.E002 in codes(verify_log(), new.pk)


def test_the_load_event_carries_the_dates(loaded):
    a, b = loaded
    leaf = json.loads(bytes(Entry.objects.get(action=v.LOAD, object_id=str(b.pk)).leaf))
    assert leaf["detail"]["year"] == 2038 and leaf["detail"]["workdays"] == ["2038-02-13"]
    assert leaf["detail"]["holidays"][1] == {"name": "春节", "from": "2038-02-06", "to": "2038-02-12"}
    assert leaf["detail"]["file_sha256"] == b.sha256 and leaf["actor"]["id"] == b.loaded_by_id
    assert v.READ_ACTIONS <= set(v.ACTION_LABELS)
