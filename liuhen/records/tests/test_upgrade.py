"""A database from before issue 12 verifies clean once migrated: records made then have no pinned
rule (their type's version 1) and header events without times; their signatures keep digest scheme 2."""
import importlib

import pytest
from django.db import transaction

from liuhen.ledger import services as ledger
from liuhen.ledger.core.canonical import content_sha256
from liuhen.testing.tampering import drop_append_only, found, sql
from liuhen.ledger.verify import verify_log
from liuhen.records import selectors
from liuhen.records.ledger_checks import type_version_digest
from liuhen.records.models import Record, RecordTypeVersion, RecordVersion
from liuhen.testing.records import INSPECTION, investigating, rtype

pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no checkpoint or tile from another tree

MIGRATION = importlib.import_module("liuhen.records.migrations.0004_opinions_pinned_rules_supplements")


def test_migration_logs_version_one_as_verify_computes_it(db):
    for tv in RecordTypeVersion.objects.select_related("record_type"):
        assert MIGRATION.version_digest(tv.record_type.code, tv) == type_version_digest(tv)


def legacy_record(world, case):
    """A record written the way services did before issue 12: no pinned rule, no times logged."""
    with transaction.atomic():
        record = Record.objects.create(case=case, record_type=rtype("inspection_record"), stage=case.stage,
                                       serial=case.records.count() + 1, created_by=world.officer)
        content = {**INSPECTION, "time": "2026-03-02T09:30+08:00"}
        RecordVersion.objects.create(record=record, number=1, content=content,
                                     content_sha256=content_sha256(content), author=world.officer)
        ledger.append("record.create", actor=world.officer, object_type="record", object_id=record.pk,
                      object_version=1, content_sha256=content_sha256(content),
                      detail={"case": case.pk, "type": "inspection_record", "stage": record.stage,
                              "serial": record.serial, "created_by": world.officer.pk})
    return record


def test_legacy_record_verifies_and_keeps_version_one(verified_world):
    world = verified_world
    record = legacy_record(world, investigating(world))
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    st = selectors.record_with_state(record.pk)
    assert st.rule.officers == 2 and st.fields == rtype("inspection_record").versions.get(number=1).fields
    # …and pinning it afterwards to some version is found
    drop_append_only("records_record")
    sql("UPDATE records_record SET type_version_id = %s WHERE id = %s",
        [RecordTypeVersion.objects.get(record_type__code="item_list").pk, record.pk])
    assert found(verify_log(), "altered", f"record:{record.pk}").code == "records.E003"
