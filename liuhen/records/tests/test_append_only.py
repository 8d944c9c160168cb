"""Nothing deleted, nothing altered (SPEC §4): the ORM refuses, and so does the database."""
import io

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from liuhen.common.append_only import AppendOnlyError, AppendOnlyModel, install_triggers
from liuhen.ledger.models import Entry
from liuhen.records import services
from liuhen.records.models import Record, RecordType, RecordVersion, Signature




@pytest.fixture
def signed(world):
    """A record with a version, an attachment and an officer's signature, and its ledger entries."""
    case = world.to_investigation(world.open_case())
    record = services.create_record(world.officer, case, RecordType.objects.get(code="inspection_record"), {
        "time": "2026-03-02T09:30", "place": "取水口", "certificates_shown": True, "findings": "正在取水"})
    services.attach(world.officer, record, io.BytesIO(b"photo"), "p.jpg")
    services.sign_as_officer(world.officer, record)
    return record


def _rows(record):
    return {
        "record": Record.objects.get(pk=record.pk),
        "version": RecordVersion.objects.get(record=record),
        "signature": Signature.objects.get(record=record),
        "entry": Entry.objects.filter(object_type="record", object_id=str(record.pk)).first(),
    }


KINDS = ["record", "version", "signature", "entry"]
FIELD = {"record": "stage", "version": "content_sha256", "signature": "signer_name", "entry": "action"}


@pytest.mark.parametrize("kind", KINDS)
def test_save_of_existing_row_refused(signed, kind):
    row = _rows(signed)[kind]
    field = FIELD[kind]
    original = getattr(row, field)
    setattr(row, field, "x")
    with pytest.raises(AppendOnlyError, match="append-only: update refused"):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.save(update_fields=[field])
    assert getattr(type(row).objects.get(pk=row.pk), field) == original


@pytest.mark.parametrize("kind", KINDS)
def test_delete_of_row_refused(signed, kind):
    row = _rows(signed)[kind]
    with pytest.raises(AppendOnlyError, match="delete refused"):
        row.delete()
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_queryset_update_and_delete_refused(signed, kind):
    model = type(_rows(signed)[kind])
    before = model.objects.count()
    with pytest.raises(AppendOnlyError):
        model.objects.all().update(**{FIELD[kind]: "x"})
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk__gt=0).delete()
    with pytest.raises(AppendOnlyError):
        model.objects.bulk_update(list(model.objects.all()), ["pk"])
    assert model.objects.count() == before
    assert not model.objects.filter(**{FIELD[kind]: "x"}).exists()


def test_related_managers_refuse_update_and_delete(signed):
    with pytest.raises(AppendOnlyError):
        signed.versions.update(reason="悄悄改")
    with pytest.raises(AppendOnlyError):
        signed.signatures.all().delete()
    assert RecordVersion.objects.get(record=signed).reason == ""


@pytest.mark.parametrize("sql", [
    "UPDATE records_recordversion SET content_sha256 = 'x'",
    "UPDATE records_signature SET signer_name = 'x'",
    "UPDATE records_record SET serial = 42",
    "UPDATE ledger_entry SET action = 'x'",
    "UPDATE media_blob SET size = 1",
    "UPDATE records_attachment SET filename = 'x'",
])
def test_raw_sql_update_refused_by_the_database(signed, sql):
    table = sql.split()[1]
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        assert cur.fetchone()[0] >= 1  # there is a row the UPDATE would change
    with pytest.raises(DatabaseError, match="append-only table"):  # IntegrityError is a DatabaseError
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(sql)
    assert RecordVersion.objects.get(record=signed).content_sha256 != "x"
    assert Signature.objects.get(record=signed).signer_name == "张明"


@pytest.mark.parametrize("table", ["records_recordversion", "records_signature", "ledger_entry", "media_blob"])
def test_raw_sql_delete_refused_by_the_database(signed, table):
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        before = cur.fetchone()[0]
    assert before >= 1
    # SQLite answers through the trigger ("append-only table …") — or, for a client without our
    # backend, "no such function: liuhen_flushing"; PostgreSQL through its trigger function.
    with pytest.raises(DatabaseError, match="append-only table"):
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(f"DELETE FROM {table}")
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        assert cur.fetchone()[0] == before


def _tables_with_triggers() -> dict[str, set[str]]:
    """{table: {"update", "delete"}} as the database itself reports its triggers."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            rows = [(t, "update" if n.endswith("_no_update") else "delete") for t, n in cur.fetchall()
                    if n.endswith(("_no_update", "_no_delete"))]
        else:
            cur.execute("SELECT event_object_table, lower(event_manipulation) FROM information_schema.triggers "
                        "WHERE trigger_name LIKE '%%_append_only'")
            rows = cur.fetchall()
    out: dict[str, set[str]] = {}
    for table, op in rows:
        out.setdefault(table, set()).add(op)
    return out


def test_triggers_cover_every_append_only_table(db):
    expected = {m._meta.db_table for m in apps.get_models() if issubclass(m, AppendOnlyModel)}
    assert {"records_record", "records_recordversion", "records_signature", "records_attachment",
            "records_refusalconfirmation", "records_recordvoid", "ledger_entry", "media_blob",
            "cases_party", "cases_caseofficer", "cases_stagetransition"} <= expected
    installed = _tables_with_triggers()
    assert {t for t, ops in installed.items() if ops == {"update", "delete"}} >= expected
    # install_triggers itself reports every such table and is idempotent
    assert set(install_triggers(connection)) == expected
    assert _tables_with_triggers() == installed


def test_non_append_only_tables_stay_writable(db):
    """The triggers are targeted: configuration such as record types may still change."""
    rt = RecordType.objects.get(code="inspection_record")
    RecordType.objects.filter(pk=rt.pk).update(position=999)
    assert RecordType.objects.get(pk=rt.pk).position == 999
