"""copies.0002: a request made before its state held the case number (案件编号) gets it from its case
and one baseline event (copies.state_baseline) with the wider state; afterwards verify is clean, a
package made of it carries that baseline as the request's logged state and passes offline."""
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection, transaction

from liuhen.copies import services
from liuhen.copies import vocabulary as v
from liuhen.copies.models import CopyRequest
from liuhen.copies.package import package_dir
from liuhen.ledger import services as ledger
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.subjects import model_states, state_digest
from liuhen.ledger.verify import verify_log
from liuhen.testing.copies import approved, case_with_footage, check_offline, vkey_file
from liuhen.testing.tampering import drop_append_only, sql

pytestmark = pytest.mark.usefixtures("fresh_home")

migration = importlib.import_module("liuhen.copies.migrations.0002_copy_request_case_number")


def test_an_old_request_is_adopted_and_its_package_passes_offline(verified_world, tmp_path):
    world = verified_world
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = approved(c)
    # The request as a database from before 0002 has it: no number, its last logged state the old one.
    drop_append_only(CopyRequest._meta.db_table)
    sql("UPDATE copies_copyrequest SET case_number = '' WHERE id = %s", [row.pk])
    old = dict(model_states(CopyRequest, migration.OLD_FIELDS))[str(row.pk)]
    with transaction.atomic():
        ledger.append(v.REQUEST, actor=world.officer, object_type="copy_request", object_id=row.pk,
                      content_sha256=state_digest(old), detail={"case": c.case.pk, "items": row.item_ids})
    with transaction.atomic():
        migration.fill_and_log(apps, SimpleNamespace(connection=connection))
    row = CopyRequest.objects.get(pk=row.pk)
    assert row.case_number == c.case.number
    baseline = Entry.objects.filter(action=v.STATE_BASELINE, object_type="copy_request", object_id=str(row.pk))
    assert baseline.count() == 1
    assert ledger.event_of(baseline.get())["content_sha256"] == row.ledger_digest()
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]

    package = services.make_package(world.archivist, row)
    run = check_offline(package_dir(package), vkey_file(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_request_changed_behind_the_log_is_not_adopted(verified_world, tmp_path):
    world = verified_world
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = approved(c)
    drop_append_only(CopyRequest._meta.db_table)
    sql("UPDATE copies_copyrequest SET case_number = '', purpose = '改过的用途' WHERE id = %s", [row.pk])
    with transaction.atomic():
        migration.fill_and_log(apps, SimpleNamespace(connection=connection))
    assert not Entry.objects.filter(action=v.STATE_BASELINE, object_id=str(row.pk)).exists()
    integrate_all()
    assert any(f"copy_request:{row.pk}" in str(f) for f in verify_log().findings)
