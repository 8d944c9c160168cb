"""`liuhen verify` holds the 案卷评查 to what the log recorded: a round's seed or sample changed by
SQL (the re-draw no longer gives the recorded sample), a file slipped into a round's population
behind the log's back, a score raised, an objection turned into acceptance, a response or closing
altered, rows deleted or inserted — each named with its stable code; and it passes after a full
round with answers."""
import datetime
import json

import pytest
from django.utils import timezone

from liuhen.common import sampling
from liuhen.evaluation import services
from liuhen.evaluation import vocabulary as v
from liuhen.evaluation.models import Answer, Response, Round, RoundClose, Score
from liuhen.ledger.models import Entry
from liuhen.ledger.verify import verify_log
from liuhen.testing.evaluation import command
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def rounds(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in with its keys and files (liuhen.testing.demo): rounds_scene
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.evaluation:rounds_scene", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    return restore_scene(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)


def codes(report, obj) -> set:
    return {f.code for f in report.findings if f.object == obj}


def test_a_seed_changed_by_sql_no_longer_redraws_the_sample(rounds):
    world, ev, files, closed, open_, answer, response = rounds
    keys = services.population(closed.criteria)
    tampered = next(s for s in (format(int(closed.seed, 16) ^ n, "032x") for n in range(1, 100))
                    if sampling.draw(s, keys, 2) != closed.sample)
    drop_append_only(Round._meta.db_table)
    sql("UPDATE evaluation_round SET seed = %s WHERE id = %s", [tampered, closed.pk])
    assert codes(verify_log(), f"evaluation_round:{closed.pk}") >= {v.E001, v.E005}
    code, out, _ = command("redraw", str(closed.pk))
    assert code == 1 and "不一致" in out


def test_a_sample_changed_by_sql(rounds):
    world, ev, files, closed, open_, answer, response = rounds
    other = next(c.pk for c in files if c.pk not in closed.sample)
    drop_append_only(Round._meta.db_table)
    sql("UPDATE evaluation_round SET sample = %s WHERE id = %s", [json.dumps([other, closed.sample[1]]), closed.pk])
    report = verify_log()
    assert codes(report, f"evaluation_round:{closed.pk}") == {v.E001, v.E005}
    opened = Entry.objects.get(action=v.OPEN, object_id=str(closed.pk))
    assert {f.entry_id for f in report.findings if f.object == f"evaluation_round:{closed.pk}"} == {opened.pk}


def test_a_file_slipped_into_a_population(rounds):
    world, ev, files, closed, open_, answer, response = rounds
    # a case not archived, given an archive time inside the round's period by SQL
    case = world.open_case()
    sql("UPDATE cases_case SET archived_at = %s WHERE id = %s", [timezone.now() - datetime.timedelta(hours=1), case.pk])
    report = verify_log()
    assert v.E004 in codes(report, f"evaluation_round:{closed.pk}")
    assert not services.redraw(Round.objects.get(pk=closed.pk)).match


def test_a_score_raised(rounds):
    world, ev, files, closed, open_, answer, response = rounds
    s = Score.objects.filter(round=closed).first()
    drop_append_only(Score._meta.db_table)
    sql("UPDATE evaluation_score SET total = %s WHERE id = %s", [s.total + 2, s.pk])
    report = verify_log()
    assert codes(report, f"evaluation_score:{s.pk}") == {v.E006, v.E019}
    score_event = Entry.objects.get(action=v.SCORE, object_id=str(s.pk)).pk
    assert {f.entry_id for f in report.findings if f.object == f"evaluation_score:{s.pk}"} == {score_event}


def test_an_objection_turned_into_acceptance_and_a_response_changed(rounds):
    world, ev, files, closed, open_, answer, response = rounds
    drop_append_only(Answer._meta.db_table, Response._meta.db_table, RoundClose._meta.db_table)
    sql("UPDATE evaluation_answer SET stance = 'accept', reason = '' WHERE id = %s", [answer.pk])
    sql("UPDATE evaluation_response SET text = %s WHERE id = %s", ["异议成立。", response.pk])
    closing = RoundClose.objects.get(round=closed)
    sql("UPDATE evaluation_roundclose SET summary = %s WHERE id = %s", [json.dumps({"files": 2}), closing.pk])
    report = verify_log()
    assert codes(report, f"evaluation_answer:{answer.pk}") == {v.E009}
    assert codes(report, f"evaluation_response:{response.pk}") == {v.E012}
    assert codes(report, f"evaluation_close:{closing.pk}") == {v.E015}


def test_rows_deleted_and_inserted(rounds):
    world, ev, files, closed, open_, answer, response = rounds
    drop_append_only(*(m._meta.db_table for m in (Response, Answer, RoundClose, Score, Round)))
    closing = RoundClose.objects.get(round=closed)
    sql("DELETE FROM evaluation_response WHERE id = %s", [response.pk])
    sql("DELETE FROM evaluation_roundclose WHERE id = %s", [closing.pk])
    report = verify_log()
    assert found(report, "deleted", f"evaluation_response:{response.pk}").code == v.E014
    assert found(report, "deleted", f"evaluation_close:{closing.pk}").code == v.E017
    sql("DELETE FROM evaluation_answer WHERE id = %s", [answer.pk])
    s = Score.objects.filter(round=closed).exclude(pk=answer.score_id).first()
    sql("DELETE FROM evaluation_score WHERE id = %s", [s.pk])
    sql("DELETE FROM evaluation_round WHERE id = %s", [open_.pk])
    report = verify_log()
    assert found(report, "deleted", f"evaluation_answer:{answer.pk}").code == v.E011
    assert found(report, "deleted", f"evaluation_score:{s.pk}").code == v.E008
    assert found(report, "deleted", f"evaluation_round:{open_.pk}").code == v.E003
    # rows slipped in that no event logged
    sql("INSERT INTO evaluation_score (round_id, case_id, card, results, hard_failed, sections, total, grade, note,"
        " reason, evaluator_id, recorded_at) SELECT round_id, case_id, card, results, hard_failed, sections, 100,"
        " grade, '', '', evaluator_id, recorded_at FROM evaluation_score WHERE id = %s", [answer.score_id])
    slipped = Score.objects.order_by("pk").last()
    sql("INSERT INTO evaluation_answer (round_id, case_id, score_id, stance, reason, corrected, answered_by_id,"
        " answered_at) VALUES (%s, %s, %s, 'accept', '', '', %s, %s)",
        [closed.pk, answer.case_id, answer.score_id, world.unit_head.pk, timezone.now()])
    slipped_answer = Answer.objects.order_by("pk").last()
    report = verify_log()
    assert found(report, "inserted", f"evaluation_score:{slipped.pk}").code == v.E007
    assert found(report, "inserted", f"evaluation_answer:{slipped_answer.pk}").code == v.E010


def test_every_code_is_listed_once():
    listed = [getattr(v, f"E{n:03d}") for n in range(1, 20)]
    assert len(set(listed)) == 19 and all(c.startswith("evaluation.E") for c in listed)
    assert ({c for kinds in v.STATE_CODES.values() for c in kinds.values()}
            == set(listed) - {v.E004, v.E005, v.E018, v.E019})
    assert v.READ_ACTIONS <= set(v.ACTION_LABELS)
    from liuhen.ledger.vocabulary import is_read

    assert all(is_read(a) for a in v.READ_ACTIONS)
