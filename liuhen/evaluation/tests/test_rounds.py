"""案卷评查 rounds and scores through the services: the sample is a function of (seed, population),
recorded with the cards pinned; scores follow the card's arithmetic; who may do what."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.common import sampling
from liuhen.evaluation import scoring, services
from liuhen.evaluation import vocabulary as v
from liuhen.evaluation.models import Round, Score
from liuhen.ledger.models import Entry
from liuhen.profiles.spec import Profile, ScoreItem, Scorecard, ScoreSection
from liuhen.testing.evaluation import clean_results, restored_archived_scene, supervisor

SEED = "00112233445566778899aabbccddeeff"


@pytest.fixture
def scene(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in (liuhen.testing.demo): five cases through archiving per test cost seconds
    return restored_archived_scene(fresh_home, settings.LIUHEN_BLOB_DIR, tmp_path_factory, django_db_blocker)


@pytest.fixture
def world(scene):
    return scene[0]


@pytest.fixture
def files(scene):
    return scene[1]


def _item(card):
    return card["sections"][-1]["items"][0]


def opened(world, size=2, seed=SEED, **kw):
    today = timezone.localdate()
    return services.open_round(supervisor(world), title="第四季度案卷评查", period_from=today - datetime.timedelta(days=7),
                               period_to=today, size=size, seed=seed, **kw)


def test_a_round_draws_from_the_archived_files_with_the_seed_recorded(world, files):
    world.open_case()  # not archived: never in the population
    r = opened(world)
    keys = sorted(c.pk for c in files)
    assert r.population_size == 3 and r.population_digest == sampling.keys_digest(keys)
    assert r.sample == sampling.draw(SEED, keys, 2) and r.seed == SEED and r.seed_given
    assert services.population(r.criteria) == keys
    # the score card of each file's profile is pinned, with its version
    from liuhen.cases.models import Case
    from liuhen.profiles.selectors import profile_for_case

    profile = profile_for_case(Case.objects.get(pk=r.sample[0]))
    assert r.card_for(r.sample[0]) == scoring.card_of(profile)
    assert r.case_cards[str(r.sample[0])] == f"{profile.code}:{profile.version}"
    event = Entry.objects.get(action=v.OPEN, object_id=str(r.pk))
    detail = services.open_event(r.pk)
    assert detail["seed"] == SEED and detail["sample"] == r.sample
    assert services.ledger.event_of(event)["content_sha256"] == r.ledger_digest()
    assert services.redraw(r).match
    # the same seed over the same population gives the same sample; another round, another seed
    again = opened(world)
    assert again.sample == r.sample
    drawn = opened(world, seed=None)
    assert drawn.seed != SEED and not drawn.seed_given and sampling.is_seed(drawn.seed)
    assert drawn.sample == sampling.draw(drawn.seed, keys, 2)


def test_a_drawn_round_cannot_be_drawn_again(world, files):
    from liuhen.common.append_only import AppendOnlyError

    r = opened(world)
    r.seed = "ffeeddccbbaa99887766554433221100"
    with pytest.raises(AppendOnlyError):
        r.save()
    with pytest.raises(AppendOnlyError):
        Round.objects.filter(pk=r.pk).update(sample=[])


def test_scope_by_unit_and_kind(world, files):
    with pytest.raises(ValidationError) as exc:
        opened(world, size=1, unit=world.other_unit)
    assert exc.value.code == "empty_population"
    assert opened(world, size=3, unit=world.unit, kind="penalty").population_size == 3
    with pytest.raises(ValidationError):
        opened(world, size=1, kind="licensing")


@pytest.mark.parametrize("kw, code", [
    ({"size": 0}, "size_range"), ({"size": 4}, "too_large"), ({"seed": "not hex"}, "seed"),
    ({"seed": "abcd"}, "seed"), ({"title": ""}, "title_required"),
    ({"period_from": datetime.date(2030, 1, 2), "period_to": datetime.date(2030, 1, 1)}, "period_order"),
    ({"kind": "nonsense"}, "kind")])
def test_bad_input_to_open_is_refused_in_chinese_and_recorded(world, files, kw, code):
    today = timezone.localdate()
    args = dict(title="评查", period_from=today - datetime.timedelta(days=7), period_to=today, size=1, seed=SEED)
    args.update(kw)
    with pytest.raises(ValidationError) as exc:
        services.open_round(supervisor(world), **args)
    assert code in {e.code for e in exc.value.error_list}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.messages[0])
    denied = Entry.objects.filter(action=v.DENIED).last()
    assert denied is not None and code in services.ledger.event_of(denied)["detail"]["codes"]
    assert not Round.objects.exists()


def test_only_a_supervisor_or_the_agency_head_opens_a_round(world, files):
    today = timezone.localdate()
    for who in (world.officer, world.unit_head, world.reviewer):
        with pytest.raises(PermissionDenied):
            services.open_round(who, title="评查", period_from=today, period_to=today, size=1)
    assert services.open_round(world.agency_head, title="评查", period_from=today, period_to=today, size=1)


def test_scoring_hard_fail_deductions_total_and_grade(world, files):
    r = opened(world)
    ev = supervisor(world)
    case_id = r.sample[0]
    card = r.card_for(case_id)
    full = scoring.full_marks(card)
    results = clean_results(card)
    s = services.score_file(ev, r, case_id, results)
    assert (s.total, s.grade, s.hard_failed) == (full, scoring.grade(card, full), False)
    first = card["sections"][0]["items"][0]
    results[first["id"]] = {"deduction": first["points"], "note": "卷内目录缺页码"}
    with pytest.raises(ValidationError) as exc:
        services.score_file(ev, r, case_id, results)  # a correction needs its reason
    assert exc.value.code == "reason_required"
    s2 = services.score_file(ev, r, case_id, results, reason="复核后更正")
    expected = full - min(first["points"], card["sections"][0]["points"])
    assert (s2.total, s2.grade) == (expected, scoring.grade(card, expected)) and s2.supersedes_id == s.pk
    assert s2.sections[0]["score"] == card["sections"][0]["points"] - first["points"]
    assert services.current_score(r, case_id) == s2
    results[card["hard_fail"][0]["id"]] = {"failed": True, "note": "询问笔录仅一名执法人员签名"}
    s3 = services.score_file(ev, r, case_id, results, reason="发现否决项")
    assert (s3.total, s3.hard_failed) == (0, True) and s3.grade == scoring.grade(card, 0)
    assert s3.sections == s2.sections  # the sections as deducted, the file 0


@pytest.mark.parametrize("given, code", [
    (lambda c: {c["hard_fail"][0]["id"]: {"failed": True}}, "fail_note"),
    (lambda c: {c["hard_fail"][0]["id"]: {"failed": "yes"}}, "missing_item"),
    (lambda c: {_item(c)["id"]: {"deduction": _item(c)["points"] + 1, "note": "x"}}, "deduction_range"),
    (lambda c: {_item(c)["id"]: {"deduction": -1, "note": "x"}}, "deduction_range"),
    (lambda c: {_item(c)["id"]: {"deduction": "3", "note": "x"}}, "deduction_range"),
    (lambda c: {_item(c)["id"]: {"deduction": 1}}, "deduction_note"),
    (lambda c: {_item(c)["id"]: None}, "missing_item"),
    (lambda c: {"nonsense": {"deduction": 0}}, "unknown_item")])
def test_bad_scores_are_refused(world, files, given, code):
    r = opened(world)
    results = clean_results(r.card_for(r.sample[0]))
    results.update(given(r.card_for(r.sample[0])))
    with pytest.raises(ValidationError) as exc:
        services.score_file(supervisor(world), r, r.sample[0], results)
    assert code in {e.code for e in exc.value.error_list}
    assert not Score.objects.exists()


def _profile(card):
    return Profile(code="T", name="测试", regulation="", version=3, sha256="", rules={}, stages=(), signatures=(),
                   av_acts=(), deadlines=(), major=(), publicity=None, phrases=(), scorecard=card)


def test_deductions_stop_at_zero_per_section_and_bands():
    card = scoring.card_of(_profile(Scorecard(
        hard_fail=(ScoreItem("cert", "无证执法", 0, "LQ 17"),),
        sections=(ScoreSection("form", "卷面", 10, (ScoreItem("a", "目录", 8, "BX 11"), ScoreItem("b", "页码", 8, "BX 11"))),
                  ScoreSection("content", "内容", 90, (ScoreItem("c", "证据", 30, "LQ 19"),))),
        bands=(("优秀", 90), ("良好", 75), ("合格", 60), ("不合格", 0)))))
    assert card["version"] == 3 and scoring.full_marks(card) == 100

    def out(a=0, b=0, c=0, cert=False):
        results = [{"id": "cert", "failed": cert, "deduction": 0}, {"id": "a", "deduction": a},
                   {"id": "b", "deduction": b}, {"id": "c", "deduction": c}]
        return scoring.outcome(card, [dict({"failed": False}, **r) for r in results])

    o = out(a=8, b=8)
    assert o.sections[0]["deducted"] == 16 and o.sections[0]["score"] == 0  # 扣完为止, not -6
    assert (o.total, o.grade) == (90, "优秀")
    assert out(c=16).grade == "良好" and out(c=15).grade == "良好" and out(c=26).grade == "合格"
    # a section floored at 0 takes nothing from another: 0 + 60, not -1 + 60
    assert (out(c=30, a=8, b=3).total, out(c=30, a=8, b=3).grade) == (60, "合格")
    assert (out(c=30, a=8, b=2).total, out(c=30, a=1).grade) == (60, "合格")
    assert out(c=30, a=8, b=2).sections[0]["score"] == 0
    assert out(cert=True).total == 0 and out(cert=True).grade == "不合格"
    assert scoring.grade({"bands": []}, 89) == "合格" and scoring.grade({"bands": []}, 90) == "优秀"  # defaults


def test_an_officer_of_the_case_cannot_score_it(world, files):
    r = opened(world, size=3)
    # a legal reviewer who was made an officer of one of the files (e.g. moved from the unit)
    reviewer_officer = acc.create_user(None, username="fa2", full_name="法制兼办案", password=world.PASSWORD,
                                       agency=world.agency, unit=world.unit, roles=[Role.LEGAL_REVIEWER])
    from liuhen.cases.models import CaseOfficer

    case_id = r.sample[0]
    CaseOfficer.objects.create(case_id=case_id, officer=reviewer_officer, certificate_number="X",
                               assigned_by=world.officer)
    with pytest.raises(PermissionDenied):
        services.score_file(reviewer_officer, r, case_id, clean_results(r.card_for(case_id)))
    assert Entry.objects.filter(action=v.DENIED, object_id=str(r.pk)).exists()
    # the other files they may score; an officer may score nothing
    other = r.sample[1]
    assert services.score_file(reviewer_officer, r, other, clean_results(r.card_for(other))).total == 100
    with pytest.raises(PermissionDenied):
        services.score_file(world.officer, r, other, clean_results(r.card_for(other)), reason="x")


def test_the_unit_head_answers_only_for_the_unit_and_the_evaluator_responds(world, files):
    r = opened(world)
    ev = supervisor(world)
    case_id = r.sample[0]
    with pytest.raises(ValidationError) as exc:
        services.answer_score(world.unit_head, r, case_id, "accept")
    assert exc.value.code == "not_scored"
    services.score_file(ev, r, case_id, clean_results(r.card_for(case_id)))
    other_head = acc.create_user(None, username="zhao2", full_name="赵科长", password=world.PASSWORD,
                                 agency=world.agency, unit=world.other_unit, roles=[Role.UNIT_HEAD])
    for who in (other_head, world.officer, world.agency_head):
        with pytest.raises(PermissionDenied):
            services.answer_score(who, r, case_id, "accept")
    with pytest.raises(ValidationError) as exc:
        services.answer_score(world.unit_head, r, case_id, "object")
    assert exc.value.code == "reason_required"
    with pytest.raises(ValidationError) as exc:
        services.answer_score(world.unit_head, r, case_id, "maybe")
    assert exc.value.code == "stance"
    a = services.answer_score(world.unit_head, r, case_id, "object", reason="送达回证在卷第 12 页", corrected="已补页码")
    assert a.score == services.current_score(r, case_id) and a.stance == "object"
    with pytest.raises(PermissionDenied):
        services.respond(world.unit_head, a, "x")
    with pytest.raises(ValidationError):
        services.respond(ev, a, "  ")
    resp = services.respond(ev, a, "经核实，异议成立，已更正评分。")
    assert resp.answer == a
    assert Entry.objects.filter(action=v.ANSWER).count() == 1 and Entry.objects.filter(action=v.RESPOND).count() == 1


def test_close_needs_every_file_scored_and_stops_scoring(world, files):
    r = opened(world)
    ev = supervisor(world)
    services.score_file(ev, r, r.sample[0], clean_results(r.card_for(r.sample[0])))
    with pytest.raises(ValidationError) as exc:
        services.close_round(ev, r)
    assert exc.value.code == "incomplete"
    card = r.card_for(r.sample[1])
    results = clean_results(card)
    results[card["hard_fail"][0]["id"]] = {"failed": True, "note": "无证执法"}
    services.score_file(ev, r, r.sample[1], results)
    with pytest.raises(PermissionDenied):
        services.close_round(world.reviewer, r)
    closing = services.close_round(ev, r)
    full = scoring.full_marks(card)
    assert closing.summary["files"] == closing.summary["scored"] == 2 and closing.summary["hard_failed"] == 1
    assert closing.summary["average"] == full / 2
    assert closing.summary["grades"][scoring.grade(card, 0)] == 1 and sum(closing.summary["grades"].values()) == 2
    with pytest.raises(ValidationError) as exc:
        services.score_file(ev, r, r.sample[0], clean_results(r.card_for(r.sample[0])), reason="x")
    assert exc.value.code == "closed"
    with pytest.raises(ValidationError):
        services.close_round(ev, r)
    # the unit still answers after the round is closed
    assert services.answer_score(world.unit_head, r, r.sample[1], "accept", corrected="已组织培训")


def test_a_file_not_sampled_cannot_be_scored(world, files):
    r = opened(world, size=1)
    other = next(c.pk for c in files if c.pk not in r.sample)
    with pytest.raises(ValidationError) as exc:
        services.score_file(supervisor(world), r, other, {})
    assert exc.value.code == "not_sampled"
