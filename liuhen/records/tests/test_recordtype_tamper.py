"""`liuhen verify` holds each record type (记录类型) — its schema, signature rule, stage, whether it is
active — to the state last logged for it by the catalog sync or the configuration admin.

A record type's schema decides what a record must contain and its signature rule who must sign it:
a required field dropped, or the leader's signature removed, by SQL would let incomplete records
through. Each tamper test plays a database superuser (records_recordtype is not append-only).
"""
import importlib
import json
from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.ledger.storage import integrate_all
from liuhen.testing.tampering import drop_append_only, found, sql
from liuhen.testing.otp import login_verified
from liuhen.ledger.verify import verify_log
from liuhen.records.catalog import CATALOG
from liuhen.records.catalog_sync import sync_catalog
from liuhen.records.models import RecordType

pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no tile cached from another tree


def type_findings(report) -> list[str]:
    return [str(f) for f in report.findings if f.object.startswith("recordtype:")]


def sync_entry(rt) -> Entry:
    return Entry.objects.filter(action="records.type_sync", object_type="recordtype",
                                object_id=str(rt.pk)).latest("id")


def type_form(rt, **changes) -> dict:
    """What the record type's admin form posts, JSON columns as text."""
    data = {"code": rt.code, "name": rt.name, "stage": rt.stage, "fields": json.dumps(rt.fields, ensure_ascii=False),
            "signature_rule": json.dumps(rt.signature_rule), "position": rt.position}
    if rt.active:
        data["active"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# ---- the catalog sync and the admin verify clean ------------------------------------------------

def test_migrate_logged_each_catalog_type_with_its_state(db):
    """The database was migrated (post_migrate synced the catalog): one event per type, carrying
    the digest of the row as stored."""
    types = list(RecordType.objects.filter(code__in=[e["code"] for e in CATALOG]))
    assert len(types) == len(CATALOG)
    for rt in types:
        event = event_of(sync_entry(rt))
        assert event["content_sha256"] == rt.ledger_digest()
        assert event["detail"] == {"code": rt.code, "created": True}
    assert type_findings(verify_log()) == []


def test_sync_again_writes_and_logs_nothing(db):
    before = Entry.objects.count()
    sync_catalog()
    assert Entry.objects.count() == before


def test_sync_restores_and_logs_a_type_that_differs_from_the_catalog(db):
    rt = RecordType.objects.get(code="start_approval")
    first = sync_entry(rt)
    RecordType.objects.filter(pk=rt.pk).update(signature_rule={"officers": 1})  # behind the log's back
    assert [f.object for f in verify_log().findings] == [f"recordtype:{rt.pk}"]
    sync_catalog()
    again = sync_entry(rt)
    assert again.pk != first.pk and event_of(again)["detail"] == {"code": "start_approval", "created": False}
    assert RecordType.objects.get(pk=rt.pk).signature_rule == {"officers": 1, "leader": True}
    assert verify_log().ok


def test_admin_changes_verify_clean(client, world):
    login_verified(client, world.sysadmin)
    rt = RecordType.objects.get(code="inspection_record")
    fields = rt.fields + [{"name": "weather", "label": "天气", "type": "text", "required": False}]
    resp = client.post(f"/admin/records/recordtype/{rt.pk}/change/",
                       type_form(rt, fields=json.dumps(fields, ensure_ascii=False)))
    assert resp.status_code == 302, resp.content.decode()[:3000]
    resp = client.post("/admin/records/recordtype/add/", {
        "code": "water_sample", "name": "取水水样记录", "stage": "investigation", "position": 99, "active": "on",
        "fields": json.dumps([{"name": "place", "label": "取样地点", "type": "text", "required": True}],
                             ensure_ascii=False), "signature_rule": json.dumps({"officers": 2})})
    assert resp.status_code == 302, resp.content.decode()[:3000]
    added = RecordType.objects.get(code="water_sample")
    for obj in (rt, added):
        entry = Entry.objects.filter(action__startswith="admin.", object_type="recordtype", object_id=str(obj.pk)).get()
        assert event_of(entry)["content_sha256"] == RecordType.objects.get(pk=obj.pk).ledger_digest()
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


# ---- tampering ----------------------------------------------------------------------------------

@pytest.mark.parametrize("column,value", [
    # A required field of the start approval made optional: the approval no longer needs a reason.
    ("fields", "optional"),
    ("signature_rule", json.dumps({"officers": 1})),  # the leader's signature dropped
    ("stage", "investigation"),
    ("active", False),
    ("name", "程序启动表"),
])
def test_record_type_changed_by_sql(verified_world, column, value):
    rt = RecordType.objects.get(code="start_approval")
    if value == "optional":
        value = json.dumps([{**f, "required": False} for f in rt.fields], ensure_ascii=False)
    sql(f"UPDATE records_recordtype SET {column} = %s WHERE id = %s", [value, rt.pk])
    report = verify_log()
    f = found(report, "altered", f"recordtype:{rt.pk}", sync_entry(rt))
    assert "记录类型" in f.message
    assert type_findings(report) == [str(f)]


def test_schema_changed_after_an_admin_change_points_at_it(client, verified_world):
    rt = RecordType.objects.get(code="inspection_record")
    login_verified(client, verified_world.sysadmin)
    assert client.post(f"/admin/records/recordtype/{rt.pk}/change/",
                       type_form(rt, name="现场检查笔录（新）")).status_code == 302
    sql("UPDATE records_recordtype SET fields = %s WHERE id = %s", ["[]", rt.pk])
    integrate_all()  # verify only reads: the admin change's entry gets its leaf index from the integrator
    found(verify_log(), "altered", f"recordtype:{rt.pk}",
          Entry.objects.get(action="admin.change", object_type="recordtype", object_id=str(rt.pk)))


def test_record_type_inserted_by_sql(verified_world):
    sql("INSERT INTO records_recordtype (code, name, stage, fields, signature_rule, position, active) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s)", ["shadow", "影子记录", "decision", "[]", "{}", 100, True])
    rt = RecordType.objects.get(code="shadow")
    report = verify_log()
    found(report, "inserted", f"recordtype:{rt.pk}")
    assert len(type_findings(report)) == 1


def test_record_type_deleted_by_sql(verified_world):
    rt = RecordType.objects.get(code="court_enforcement")
    tv = rt.versions.get()  # the rule its records pin goes with it
    drop_append_only("records_recordtypeversion")
    sql("DELETE FROM records_recordtypeversion WHERE record_type_id = %s", [rt.pk])
    sql("DELETE FROM records_recordtype WHERE id = %s", [rt.pk])
    report = verify_log()
    found(report, "deleted", f"recordtype:{rt.pk}", sync_entry(rt))
    assert found(report, "deleted", f"recordtypeversion:{tv.pk}").code == "records.E031"


def test_baseline_migration_adopts_existing_types(verified_world):
    """Types from before verify checked their state are adopted by the migration's baseline."""
    from django.apps import apps

    migration = importlib.import_module("liuhen.records.migrations.0002_ledger_state")
    assert migration.FIELDS == RecordType.ledger_state_fields  # a change needs a new baseline
    rt = RecordType.objects.get(code="inspection_record")
    sql("UPDATE records_recordtype SET position = %s WHERE id = %s", [500, rt.pk])
    assert type_findings(verify_log())
    with transaction.atomic():
        migration.log_baseline(apps, SimpleNamespace(connection=connection))
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    assert Entry.objects.filter(action="records.state_baseline").count() == RecordType.objects.count()
