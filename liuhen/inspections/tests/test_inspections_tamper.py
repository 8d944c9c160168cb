"""`liuhen verify` holds the inspections to what the log recorded: a round's seed or sample changed
by SQL (the re-draw no longer gives the recorded sample), footage slipped into a round's population
behind the log's back, a 不合格 finding turned into 合格, rows deleted or inserted — each named with
its stable code; and it passes after a full round."""
import json

import pytest
from django.utils import timezone

from liuhen.footage.models import FootageItem
from liuhen.inspections import sampling, services
from liuhen.inspections import vocabulary as v
from liuhen.inspections.models import Finding, Round, RoundClose
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.devices import device_admin
from liuhen.testing.inspections import command, finish, recorded_footage, supervisor
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def rounds(verified_world, tmp_path):
    world = verified_world
    insp = supervisor(world)
    items = recorded_footage(world, tmp_path, device_admin(world), n=4)
    today = timezone.localdate()
    closed = services.draw_round(insp, kind="footage", period_from=today, period_to=today, size=2)
    finish(closed, insp, fail={"opening_words": "未录制开场用语"})
    services.check_redraw(insp, closed)
    open_ = services.draw_round(insp, kind="device", period_from=today, period_to=today, size=1)
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]  # a full round verifies clean
    return world, insp, items, closed, open_


def codes(report, obj) -> set:
    return {f.code for f in report.findings if f.object == obj}


def test_a_seed_changed_by_sql_no_longer_redraws_the_sample(rounds):
    world, insp, items, closed, open_ = rounds
    drop_append_only(Round._meta.db_table)
    # Another seed (the first of 1, 2, 3… flipped into it that draws other items: with 2 of 4 items
    # one seed in twelve happens to give the same sample, and then nothing differs to be found).
    keys = sampling.population(closed.criteria)
    tampered = next(s for s in (format(int(closed.seed, 16) ^ n, "032x") for n in range(1, 100))
                    if sampling.draw(s, keys, 2) != closed.sample)
    sql("UPDATE inspections_round SET seed = %s WHERE id = %s", [tampered, closed.pk])
    obj = f"inspection_round:{closed.pk}"
    assert codes(verify_log(), obj) >= {v.E001, v.E005}
    result = services.redraw(Round.objects.get(pk=closed.pk))
    assert not result.match and {c for c, _ in result.problems} >= {v.E001, v.E005}
    run = command("redraw", str(closed.pk))
    assert run.code == 1 and "不一致" in run.out


def test_a_sample_changed_by_sql(rounds):
    world, insp, items, closed, open_ = rounds
    drop_append_only(Round._meta.db_table)
    other = next(i.pk for i in items if i.pk not in closed.sample)
    sql("UPDATE inspections_round SET sample = %s WHERE id = %s", [json.dumps([other, closed.sample[1]]), closed.pk])
    report = verify_log()
    assert codes(report, f"inspection_round:{closed.pk}") == {v.E001, v.E005}
    draw = Entry.objects.get(action=v.DRAW, object_id=str(closed.pk))
    assert {f.entry_id for f in report.findings if f.object == f"inspection_round:{closed.pk}"} == {draw.pk}


def test_footage_slipped_into_a_population(rounds):
    world, insp, items, closed, open_ = rounds
    a = items[0]
    # An item ingested after the draw, back-dated by SQL: the round's population would now differ.
    drop_append_only(FootageItem._meta.db_table)
    sql("UPDATE footage_footageitem SET ingested_at = %s WHERE id = %s",
        [timezone.now() + timezone.timedelta(days=1), a.pk])
    report = verify_log()
    assert v.E004 in codes(report, f"inspection_round:{closed.pk}")
    assert codes(report, f"footage:{a.pk}") == {"footage.E001"}
    assert not services.redraw(Round.objects.get(pk=closed.pk)).match


def test_a_failed_finding_turned_into_a_pass(rounds):
    world, insp, items, closed, open_ = rounds
    f = Finding.objects.get(round=closed, footage_id=closed.sample[0])
    drop_append_only(Finding._meta.db_table)
    passed = [dict(r, result="pass", note="") for r in f.results]
    sql("UPDATE inspections_finding SET results = %s WHERE id = %s", [json.dumps(passed), f.pk])
    found_ = found(verify_log(), "altered", f"inspection_finding:{f.pk}",
                   Entry.objects.get(action=v.FINDING, object_id=str(f.pk)))
    assert found_.code == v.E006


def test_rows_deleted_and_inserted(rounds):
    world, insp, items, closed, open_ = rounds
    drop_append_only(RoundClose._meta.db_table, Finding._meta.db_table, Round._meta.db_table)
    closing = RoundClose.objects.get(round=closed)
    sql("DELETE FROM inspections_roundclose WHERE id = %s", [closing.pk])
    f = Finding.objects.filter(round=closed).order_by("pk").last()
    sql("DELETE FROM inspections_finding WHERE id = %s", [f.pk])
    sql("DELETE FROM inspections_round WHERE id = %s", [open_.pk])
    report = verify_log()
    assert found(report, "deleted", f"inspection_close:{closing.pk}").code == v.E011
    assert found(report, "deleted", f"inspection_finding:{f.pk}").code == v.E008
    assert found(report, "deleted", f"inspection_round:{open_.pk}").code == v.E003
    # A round forged in its place, a finding and a closing slipped in: no event logged them.
    sql("INSERT INTO inspections_round (agency_id, kind, unit_id, period_from, period_to, criteria, requested,"
        " percent, population_size, population_digest, seed, sample, checklist, drawn_by_id, drawn_at, attribution)"
        " SELECT agency_id, kind, unit_id, period_from, period_to, criteria, requested, percent, population_size,"
        " population_digest, seed, sample, checklist, drawn_by_id, drawn_at, attribution FROM inspections_round"
        " WHERE id = %s",
        [closed.pk])
    forged = Round.objects.order_by("pk").last()
    sql("INSERT INTO inspections_finding (round_id, footage_id, results, note, inspector_id, recorded_at)"
        " SELECT round_id, footage_id, results, '', inspector_id, recorded_at FROM inspections_finding"
        " WHERE round_id = %s AND supersedes_id IS NULL LIMIT 1", [closed.pk])
    slipped = Finding.objects.order_by("pk").last()
    sql("INSERT INTO inspections_roundclose (round_id, summary, closed_by_id, closed_at) VALUES (%s, %s, %s, %s)",
        [forged.pk, json.dumps({"items": 2}), insp.pk, timezone.now()])
    closing2 = RoundClose.objects.get(round=forged)
    report = verify_log()
    assert codes(report, f"inspection_round:{forged.pk}") == {v.E002}
    assert found(report, "inserted", f"inspection_finding:{slipped.pk}").code == v.E007
    assert found(report, "inserted", f"inspection_close:{closing2.pk}").code == v.E010


def test_a_closing_altered(rounds):
    world, insp, items, closed, open_ = rounds
    closing = RoundClose.objects.get(round=closed)
    drop_append_only(RoundClose._meta.db_table)
    sql("UPDATE inspections_roundclose SET summary = %s WHERE id = %s",
        [json.dumps({"items": 2, "failed_items": 0, "failed_checks": 0}), closing.pk])
    assert found(verify_log(), "altered", f"inspection_close:{closing.pk}").code == v.E009


def test_a_device_list_changed_in_the_criteria(rounds):
    world, insp, items, closed, open_ = rounds
    drop_append_only(Round._meta.db_table)
    criteria = dict(open_.criteria, devices=[])
    sql("UPDATE inspections_round SET criteria = %s WHERE id = %s", [json.dumps(criteria), open_.pk])
    assert codes(verify_log(), f"inspection_round:{open_.pk}") >= {v.E001, v.E004}


def test_every_code_is_listed_once():
    listed = [getattr(v, f"E{n:03d}") for n in range(1, 13)]
    assert len(set(listed)) == 12 and all(c.startswith("inspections.E") for c in listed)
    assert {c for kinds in v.STATE_CODES.values() for c in kinds.values()} == set(listed) - {v.E004, v.E005, v.E012}
    assert v.READ_ACTIONS <= set(v.ACTION_LABELS)
    from liuhen.ledger.vocabulary import is_read

    assert all(is_read(a) for a in v.READ_ACTIONS)
