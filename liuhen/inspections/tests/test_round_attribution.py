"""A round records who and which unit answered for each sampled item at the draw (Round.attribution,
LW-D 14 检查台账): an officer transferred, a device moved afterwards leave the closed round's 台账,
its Excel export and its failure counts as they were; `liuhen verify` finds an attribution altered
behind the log's back; migration 0002 fills rounds drawn before it from the data as it then is."""
import importlib
import io
import json
import types

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from liuhen.devices import services as dev
from liuhen.inspections import exports, selectors, services
from liuhen.inspections import vocabulary as v
from liuhen.inspections.models import Round
from liuhen.ledger import services as ledger
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.subjects import model_states, state_digest
from liuhen.ledger.verify import verify_log
from liuhen.testing.devices import camera, device_admin
from liuhen.testing.inspections import finish, recorded_footage, supervisor
from liuhen.testing.tampering import drop_append_only, sql

pytestmark = pytest.mark.usefixtures("fresh_home")

migration = importlib.import_module("liuhen.inspections.migrations.0002_round_attribution")


def _sheet(data: bytes, name: str) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(data), read_only=True)[name].iter_rows(values_only=True))


def test_footage_failures_stay_with_the_officer_unit_and_device_of_the_draw(world, tmp_path):
    admin = device_admin(world)
    insp = supervisor(world)
    world.officer.unit = world.unit
    world.officer.save()
    recorded_footage(world, tmp_path, admin, n=2, number="JL-FA1")
    today = timezone.localdate()
    round_ = services.draw_round(insp, kind="footage", period_from=today, period_to=today, size=1)
    key = round_.sample[0]
    assert round_.attribution[str(key)] == {
        "officer_id": world.officer.pk, "officer": world.officer.display_name, "unit_id": world.unit.pk,
        "unit": world.unit.name, "device": "JL-FA1"}
    finish(round_, insp, fail={round_.checklist[0]["code"]: "未录制开场用语"})
    before = selectors.failure_counts(selectors.ledger(world.agency.pk))
    assert before["units"] == [(world.unit.name, 1, 1)]
    assert before["officers"] == [(world.officer.display_name, 1, 1)]

    # The officer transferred and renamed afterwards: the round still answers with who it was then.
    name_then = world.officer.display_name
    world.officer.unit, world.officer.full_name = world.other_unit, "改名后"
    world.officer.save()
    rounds = selectors.ledger(world.agency.pk)
    assert selectors.failure_counts(rounds) == before
    item = rounds[0].items[0]
    assert (item.officer.display_name, item.unit.name, item.device_number) == (name_then, world.unit.name, "JL-FA1")
    data, _ = exports.xlsx_bytes(rounds, selectors.failure_counts(rounds))
    row = _sheet(data, "检查结果")[1]
    assert (row[2], row[7], row[8]) == (world.unit.name, name_then, "JL-FA1")
    assert ("科室", world.unit.name, 1, 1) in _sheet(data, "问题统计")


def test_the_ledger_page_shows_the_device_round_as_drawn(world, client):
    admin = device_admin(world)
    insp = supervisor(world)
    device = camera(world, number="JL-TZ2", unit=world.unit, custodian=world.officer)
    today = timezone.localdate()
    round_ = services.draw_round(insp, kind="device", period_from=today, period_to=today, size=1)
    assert round_.attribution[str(device.pk)] == {"unit_id": world.unit.pk, "unit": world.unit.name,
                                                  "custodian_id": world.officer.pk,
                                                  "custodian": world.officer.display_name}
    finish(round_, insp, fail={round_.checklist[0]["code"]: "电池无法充电"})
    dev.change_device(admin, device, unit=world.other_unit, custodian=world.outsider)
    client.force_login(insp)
    page = client.get("/inspections/ledger/").content.decode()
    assert world.officer.display_name in page and world.outsider.display_name not in page


def test_an_attribution_altered_behind_the_log_is_found(verified_world):
    world = verified_world
    insp = supervisor(world)
    camera(world, number="JL-TZ3", unit=world.unit, custodian=world.officer)
    today = timezone.localdate()
    round_ = services.draw_round(insp, kind="device", period_from=today, period_to=today, size=1)
    event = ledger.event_of(Entry.objects.filter(action=v.DRAW, object_id=str(round_.pk)).get())
    assert round_.attribution and event["content_sha256"] == round_.ledger_digest()
    assert event["detail"]["attribution"] == round_.attribution
    integrate_all()
    assert verify_log().ok
    drop_append_only(Round._meta.db_table)
    forged = {k: dict(a, unit_id=world.other_unit.pk, unit=world.other_unit.name)
              for k, a in round_.attribution.items()}
    sql("UPDATE inspections_round SET attribution = %s WHERE id = %s", [json.dumps(forged), round_.pk])
    report = verify_log()
    assert {f.code for f in report.findings if f.object == f"inspection_round:{round_.pk}"} == {v.E001}


def test_migration_0002_fills_an_older_round_from_current_data_and_logs_a_baseline(verified_world):
    world = verified_world
    insp = supervisor(world)
    device = camera(world, number="JL-TZ4", unit=world.unit, custodian=world.officer)
    today = timezone.localdate()
    drawn = services.draw_round(insp, kind="device", period_from=today, period_to=today, size=1)
    # A round as drawn before 0002: no attribution, logged with the narrower state.
    drop_append_only(Round._meta.db_table)
    sql("INSERT INTO inspections_round (agency_id, kind, unit_id, period_from, period_to, criteria, requested,"
        " percent, population_size, population_digest, seed, sample, checklist, drawn_by_id, drawn_at, attribution)"
        " SELECT agency_id, kind, unit_id, period_from, period_to, criteria, requested, percent, population_size,"
        " population_digest, seed, sample, checklist, drawn_by_id, drawn_at, '{}' FROM inspections_round"
        " WHERE id = %s", [drawn.pk])
    old = Round.objects.order_by("pk").last()
    detail = services.draw_event(drawn.pk)
    [(_, narrower)] = model_states(Round, migration.OLD_FIELDS, pks=[old.pk])
    ledger.append(v.DRAW, actor=insp, object_type=Round.ledger_object_type, object_id=old.pk,
                  content_sha256=state_digest(narrower),
                  detail={k: val for k, val in detail.items() if k != "attribution"})
    dev.change_device(device_admin(world), device, unit=world.other_unit)  # moved since that draw

    migration.fill_from_current_data(apps, types.SimpleNamespace(connection=connection))

    old = Round.objects.get(pk=old.pk)
    # Filled from the data as it is now (documented): the device's unit today.
    assert old.attribution[str(device.pk)]["unit"] == world.other_unit.name
    assert Round.objects.get(pk=drawn.pk).attribution == drawn.attribution  # a recorded one is left alone
    baseline = Entry.objects.filter(action=v.STATE_BASELINE, object_type=Round.ledger_object_type)
    assert [e.object_id for e in baseline] == [str(old.pk)]
    assert ledger.event_of(baseline[0])["content_sha256"] == old.ledger_digest()
    integrate_all()
    report = verify_log()
    assert not [f for f in report.findings if f.object.startswith("inspection_round:")], \
        [str(f) for f in report.findings]
