"""Drawing a round (抽取), its findings (检查结果) and its closing (结束), through the services: the
sample follows from (seed, population) alone, the log carries all it needs to draw it again, and
bad input is refused in Chinese, recorded, with nothing written."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.inspections import sampling, services
from liuhen.inspections import vocabulary as v
from liuhen.inspections.models import Finding, Round, RoundClose
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.devices import camera, device_admin
from liuhen.testing.inspections import all_pass, command, finish, recorded_footage, restored, supervisor


@pytest.fixture
def scene(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in (liuhen.testing.demo): six videos made and taken in per test cost seconds
    return restored("footage_scene", fresh_home, settings.LIUHEN_BLOB_DIR, tmp_path_factory, django_db_blocker)


def _today():
    return timezone.localdate()


def draw(inspector, **kw):
    args = dict(kind="footage", period_from=_today(), period_to=_today(), size=3)
    args.update(kw)
    return services.draw_round(inspector, **args)


def test_a_round_samples_footage_and_logs_what_redraws_it(scene):
    world, insp, mine, theirs = scene
    r = draw(insp)
    keys = sorted(i.pk for i in mine + theirs)
    assert r.population_size == 6 and r.population_digest == sampling.keys_digest(keys)
    assert len(r.sample) == 3 and set(r.sample) <= set(keys) and len(r.seed) == 32
    assert r.sample == sampling.draw(r.seed, keys, 3)
    detail = event_of(Entry.objects.get(action=v.DRAW, object_id=str(r.pk)))["detail"]
    # From the log alone: the criteria give the population, the seed gives the sample.
    again = sampling.population(detail["criteria"])
    assert again == keys and sampling.keys_digest(again) == detail["population_digest"]
    assert sampling.draw(detail["seed"], again, len(detail["sample"])) == detail["sample"] == r.sample
    assert detail["population_size"] == 6 and detail["requested"] == 3
    assert services.redraw(r).match


def test_two_rounds_draw_their_own_seeds(scene):
    world, insp, *_ = scene
    a, b = draw(insp, size=6), draw(insp, size=6)
    assert a.seed != b.seed and sorted(a.sample) == sorted(b.sample)  # the whole population, in another order


SEED = "00112233445566778899aabbccddeeff"


def test_the_draw_as_documented():
    """The rank of a key is HMAC-SHA256(seed bytes, key in decimal); the sample the n lowest ranks —
    computed here independently, as anyone re-drawing from the log would."""
    import hashlib
    import hmac

    keys = list(range(1, 201))
    ranks = sorted((hmac.new(bytes.fromhex(SEED), str(k).encode(), hashlib.sha256).hexdigest(), k) for k in keys)
    assert sampling.draw(SEED, reversed(keys), 10) == [k for _, k in ranks[:10]]
    assert sampling.keys_digest([3, 1, 2]) == hashlib.sha256(b"1\n2\n3").hexdigest()


def test_a_tampered_seed_does_not_redraw_the_same_items():
    keys = list(range(1, 201))
    sample = sampling.draw(SEED, keys, 10)
    for bit in range(128):  # any one bit of the seed flipped
        assert sampling.draw(format(int(SEED, 16) ^ (1 << bit), "032x"), keys, 10) != sample


def test_a_unit_round_takes_the_footage_of_the_units_officers(scene):
    world, insp, mine, theirs = scene
    r = draw(insp, unit=world.unit, size=None, percent=50)
    assert r.population_size == 4 and len(r.sample) == 2 and set(r.sample) <= {i.pk for i in mine}
    assert world.officer.pk in r.criteria["officers"] and world.outsider.pk not in r.criteria["officers"]
    # An officer who moves to another unit later does not change this round's population (the
    # configuration admin's change, here as a plain update: only the population matters).
    from liuhen.accounts.models import User
    User.objects.filter(pk=world.officer.pk).update(unit=world.other_unit)
    assert services.redraw(r).match


def test_footage_taken_in_after_the_draw_is_not_in_its_population(scene, tmp_path):
    from liuhen.accounts.models import User

    world, insp, *_ = scene
    r = draw(insp)
    recorded_footage(world, tmp_path / "later", User.objects.get(username="shebei"), officer=world.officer2,
                     number="JL-LATE", n=1)
    again = services.redraw(r)
    assert again.match and again.population_size == 6


def test_a_device_round(world):
    insp = supervisor(world)
    d1, d2 = camera(world, number="JL-A", unit=world.unit), camera(world, number="JL-B", unit=world.unit)
    camera(world, number="JL-C", unit=world.other_unit)
    r = services.draw_round(insp, kind="device", unit=world.unit, period_from=_today(), period_to=_today(), size=2)
    assert sorted(r.sample) == sorted([d1.pk, d2.pk]) and r.criteria["devices"] == sorted([d1.pk, d2.pk])
    assert [c["code"] for c in r.checklist][:1] == ["intact"]
    finish(r, insp, fail={"battery_storage": "电量仅 5%"})
    assert services.redraw(r).match
    # A device that moves to another unit afterwards stays in this round's population.
    from liuhen.devices import services as dev
    dev.change_device(device_admin(world), d1, unit=world.other_unit)
    assert services.redraw(r).match


@pytest.mark.parametrize("kw, code", [
    ({"size": 0}, "size_min"),
    ({"size": 7}, "too_large"),
    ({"size": None, "percent": 0}, "percent_range"),
    ({"size": 3, "percent": 10}, "size_or_percent"),
    ({"size": None}, "size_or_percent"),
    ({"period_from": datetime.date(2020, 2, 1), "period_to": datetime.date(2020, 1, 1)}, "period_order"),
    ({"period_from": datetime.date(2020, 1, 1), "period_to": datetime.date(2020, 1, 31)}, "empty_population"),
    ({"kind": "cars"}, "kind"),
])
def test_bad_draws_are_refused_recorded_and_write_nothing(scene, kw, code):
    world, insp, *_ = scene
    with pytest.raises(ValidationError) as exc:
        draw(insp, **kw)
    assert code in {e.code for e in exc.value.error_list} and exc.value.messages[0]
    assert not Round.objects.exists() and not Entry.objects.filter(action=v.DRAW).exists()
    denied = event_of(Entry.objects.filter(action=v.DENIED).latest("pk"))
    assert denied["detail"]["act"] == "draw" and code in denied["detail"]["codes"]
    assert denied["actor"]["id"] == insp.pk


def test_a_unit_of_another_agency_is_refused(scene):
    world, insp, *_ = scene
    from liuhen.accounts import services as acc
    other = acc.create_unit(None, acc.create_agency(None, name="别的局", short_name="别"), name="别的科")
    with pytest.raises(ValidationError) as exc:
        draw(insp, unit=other)
    assert exc.value.error_list[0].code == "unit_agency"


@pytest.mark.parametrize("who", ["officer", "unit_head", "reviewer", "sysadmin"])
def test_only_inspectors_draw(scene, who):
    world, *_ = scene
    with pytest.raises(PermissionDenied):
        draw(getattr(world, who))
    assert Entry.objects.filter(action=v.DENIED, actor_id=getattr(world, who).pk).exists()
    assert draw(world.agency_head).pk  # the 机关负责人 may


def test_findings_supersede_and_a_round_closes_once_complete(scene):
    world, insp, *_ = scene
    r = draw(insp, size=2)
    a, b = r.sample
    with pytest.raises(ValidationError) as exc:
        services.close_round(insp, r)
    assert exc.value.error_list[0].code == "incomplete"
    first = services.record_finding(insp, r, a, {**all_pass(r), "opening_words": ("fail", "未录制开场用语")})
    assert first.failures == 1 and first.results[2] == {"code": "opening_words", "result": "fail",
                                                         "note": "未录制开场用语"}
    second = services.record_finding(world.agency_head, r, a, all_pass(r), "复核后更正")
    assert second.supersedes_id == first.pk and services.current_finding(r, a) == second
    assert Finding.objects.filter(pk=first.pk).exists()  # the earlier finding stays
    services.record_finding(insp, r, b, {**all_pass(r), "certificates": "na"})
    closing = services.close_round(insp, r)
    assert closing.summary == {"items": 2, "failed_items": 0, "failed_checks": 0}
    for call, code in ((lambda: services.record_finding(insp, r, a, all_pass(r)), "closed"),
                       (lambda: services.close_round(insp, r), "already_closed")):
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.error_list[0].code == code
    assert RoundClose.objects.count() == 1


@pytest.mark.parametrize("results, code", [
    (lambda r: {**all_pass(r), "opening_words": "fail"}, "fail_note"),
    (lambda r: {k: v_ for k, v_ in all_pass(r).items() if k != "worn"}, "result_required"),
    (lambda r: {**all_pass(r), "worn": "maybe"}, "result_required"),
    (lambda r: {**all_pass(r), "made_up": "pass"}, "unknown_check"),
])
def test_bad_findings_are_refused(scene, results, code):
    world, insp, *_ = scene
    r = draw(insp, size=2)
    with pytest.raises(ValidationError) as exc:
        services.record_finding(insp, r, r.sample[0], results(r))
    assert code in {e.code for e in exc.value.error_list}
    assert not Finding.objects.exists()
    assert Entry.objects.filter(action=v.DENIED).exists()


def test_an_item_not_sampled_gets_no_finding(scene):
    world, insp, mine, theirs = scene
    r = draw(insp, size=2)
    outside = next(i.pk for i in mine + theirs if i.pk not in r.sample)
    with pytest.raises(ValidationError) as exc:
        services.record_finding(insp, r, outside, all_pass(r))
    assert exc.value.error_list[0].code == "not_sampled"


def test_the_checklist_is_the_one_in_force_at_the_draw(scene):
    from liuhen.testing.profiles import load, profile_text

    world, insp, *_ = scene
    r = draw(insp, size=1)
    load(world, profile_text(body="""inspections:
  checklist:
    footage: [{code: other, label: 别的, basis: LW-D 14}]
"""))
    assert services.checklist_for("footage", world.agency.pk)[0]["code"] == "other"  # in force now
    finding = services.record_finding(insp, r, r.sample[0], all_pass(Round.objects.get(pk=r.pk)))
    assert [x["code"] for x in finding.results][:2] == ["worn", "switched_on"]


def test_cli_redraw(scene):
    world, insp, *_ = scene
    r = draw(insp)
    run = command("redraw", str(r.pk), "--json")
    assert run.code == 0 and "一致" in run.out
    import json
    report = json.loads(run.out.strip().splitlines()[-1])
    assert report["match"] and report["sample"] == r.sample
    assert event_of(Entry.objects.filter(action=v.REDRAW).latest("pk"))["detail"]["match"] is True
    assert command("redraw", "999999").code == 2
    assert command("redraw", "abc").code == 2
    assert command("--as", world.officer.username, "redraw", str(r.pk)).code == 2
    listing = command("list", "--json")
    assert listing.code == 0 and json.loads(listing.out)["rounds"][0]["id"] == r.pk
