"""Profile versions per agency: each load a new numbered version with its ledger event; a bad file is
refused (recorded) and the active profile stays; a case keeps the version it was opened under; the
stage gates, signatures and AV rules of a case follow its version; `liuhen verify` holds every
version and every case's pinned version to the log."""
import pytest
from django.core.exceptions import PermissionDenied

from liuhen.cases import services as cases
from liuhen.cases.models import Case
from liuhen.cases.requirements import stage_requirements
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.profiles import loader, selectors, services
from liuhen.profiles import vocabulary as V
from liuhen.profiles.models import ProfileVersion
from liuhen.records import rules as record_rules
from liuhen.testing.cases import complete, to_investigation
from liuhen.testing.profiles import EXTRA_REQUIREMENT, load, profile_text
from liuhen.testing.tampering import drop_append_only, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


def test_an_agency_with_nothing_loaded_has_the_packaged_default(world, settings):
    assert selectors.active_profile(world.agency) is loader.packaged("base")
    case = world.open_case()
    assert case.profile_version is None and selectors.profile_for_case(case) is loader.packaged("base")
    settings.LIUHEN_DEFAULT_PROFILE = "LQ"
    assert selectors.active_profile(world.agency).code == "LQ"


def test_each_load_is_a_numbered_version_with_its_ledger_event(world):
    one = load(world, loader.packaged_text("BX"), actor=world.sysadmin, reason="首次载入")
    two = load(world, loader.packaged_text("LW"), actor=world.agency_head)
    assert (one.number, two.number) == (1, 2) and (one.code, two.code) == ("BX", "LW")
    assert selectors.active_profile(world.agency).code == "LW"
    assert selectors.active_profile(world.agency).version == 2
    [entry] = Entry.objects.filter(action=V.LOAD, object_id=str(one.pk))
    event = event_of(entry)
    assert event["detail"]["sha256"] == one.sha256 and event["detail"]["reason"] == "首次载入"
    assert event["actor"]["id"] == world.sysadmin.pk and event["object"]["version"] == 1


def test_only_a_system_admin_or_the_agency_head_loads(world):
    with pytest.raises(PermissionDenied):
        load(world, loader.packaged_text("BX"), actor=world.officer)
    assert not ProfileVersion.objects.exists()


def test_a_refused_file_is_recorded_and_the_active_profile_stays(world):
    load(world, loader.packaged_text("BX"))
    bad = profile_text(body="stages:\n  - stage: start\n    requirements:\n      - {id: a, codes: [nope], article: BX 5}\n")
    with pytest.raises(services.ProfileRefused) as exc:
        load(world, bad, actor=world.sysadmin)
    assert exc.value.messages == ["test.yaml 第7行：文书类型“nope”不是已知的文书类型"]
    assert selectors.active_profile(world.agency).code == "BX"
    assert ProfileVersion.objects.count() == 1
    [refusal] = Entry.objects.filter(action=V.REFUSED)
    assert event_of(refusal)["detail"] == {"act": "load", "codes": ["invalid_profile"], "file": "test.yaml",
                                           "lines": [7], "errors": 1}


@pytest.mark.parametrize("bad", [
    profile_text(body="extends: base\n"),  # a duplicate key
    "code: X\nname: 环\nextends: X\n",  # a cycle
    profile_text(body="deadlines:\n  - {id: d, label: 期限, start: case.started, period: 2 months, end: [case.archived], article: BX 11}\n"),
    profile_text(body="rules:\n  - {id: r, value: 1}\n"),  # no article
])
def test_each_kind_of_bad_file_leaves_the_active_profile(world, bad):
    load(world, loader.packaged_text("LQ"))
    with pytest.raises(services.ProfileRefused) as exc:
        load(world, bad)
    assert exc.value.profile_error.first_line is not None
    assert selectors.active_profile(world.agency).code == "LQ" and ProfileVersion.objects.count() == 1


def test_a_case_keeps_the_version_it_was_opened_under(world):
    old = world.open_case()
    pv = load(world, EXTRA_REQUIREMENT)
    new = world.open_case()
    assert old.profile_version_id is None and new.profile_version_id == pv.pk
    assert [r.id for r in stage_requirements(new, "investigation")][-1] == "investigation_report"
    assert "investigation_report" not in [r.id for r in stage_requirements(old, "investigation")]
    # The new rule holds the new case at 调查取证; the old case leaves it as before.
    for case in (old, new):
        case = to_investigation(world, case)
        complete(world, case, "rights_notice")
        complete(world, case, "inquiry_record")
    assert cases.transition_blockers(Case.objects.get(pk=old.pk)) == []
    assert any("调查终结报告" in b for b in cases.transition_blockers(Case.objects.get(pk=new.pk)))
    # A third load does not reach back into either.
    load(world, loader.packaged_text("BX"))
    assert Case.objects.get(pk=new.pk).profile_version_id == pv.pk
    assert selectors.profile_for_case(Case.objects.get(pk=new.pk)).code == "EXTRA"


def test_a_profiles_signature_rule_applies_to_its_cases(world):
    # LC 8: the 程序启动审批表 is approved by the unit's head (本单位负责人).
    load(world, loader.packaged_text("LC"))
    case = world.open_case()
    rule = record_rules.effective_rule({"officers": 1, "leader": True}, case.kind, case.procedure, "start_approval",
                                       case=case)
    assert rule.leader == "unit_head"
    assert record_rules.effective_rule({"leader": True}, "penalty", "general", "start_approval").leader == "any"


def test_the_profiles_valued_rule_applies_to_new_cases(world):
    from django.core.exceptions import ValidationError

    load(world, profile_text(body="rules:\n  - {id: on_site_officers, value: 3, article: LQ 17}\n"))
    with pytest.raises(ValidationError, match="两名以上"):
        world.open_case()  # two officers are no longer enough
    case = world.open_case(officers=[world.officer2, world.officer3])
    assert case.profile_version_id is not None


def test_the_parsed_profile_is_cached_per_version(world, django_assert_num_queries):
    pv = load(world, loader.packaged_text("AS"))
    case = world.open_case()
    selectors._BY_VERSION.clear()
    first = selectors.profile_for_case(case)
    with django_assert_num_queries(0):
        assert selectors.profile_for_case(case) is first and first.version == pv.number


# ---- verify: tamper tests -----------------------------------------------------------------------------

def _verified(world):
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return report


def _codes(report):
    return sorted(f.code for f in report.findings)


def test_verify_is_clean_after_loads_and_cases(verified_world):
    world = verified_world
    load(world, loader.packaged_text("BX"))
    world.open_case()
    _verified(world)


def test_a_changed_source_text_is_found(verified_world):
    pv = load(verified_world, loader.packaged_text("BX"))
    _verified(verified_world)
    drop_append_only("profiles_profileversion")
    sql("UPDATE profiles_profileversion SET source = %s WHERE id = %s",
        [pv.source.replace("value: 30", "value: 300"), pv.pk])
    assert _codes(verify_log()) == [V.E004]


def test_a_changed_version_row_is_found(verified_world):
    pv = load(verified_world, loader.packaged_text("BX"), reason="原因")
    drop_append_only("profiles_profileversion")
    sql("UPDATE profiles_profileversion SET number = 7 WHERE id = %s", [pv.pk])
    assert _codes(verify_log()) == [V.E002]


def test_a_deleted_and_an_inserted_version_are_found(verified_world):
    world = verified_world
    pv = load(world, loader.packaged_text("BX"))
    drop_append_only("profiles_profileversion")
    sql("DELETE FROM profiles_profileversion WHERE id = %s", [pv.pk])
    assert _codes(verify_log()) == [V.E001]
    sql("INSERT INTO profiles_profileversion (agency_id, code, name, number, source, sha256, loaded_at, reason) "
        "VALUES (%s, 'LQ', '伪造', 1, %s, %s, %s, '')",
        [world.agency.pk, pv.source, pv.sha256, pv.loaded_at])
    assert V.E003 in _codes(verify_log())


def test_a_cases_pinned_version_changed_behind_the_log_is_found(verified_world):
    world = verified_world
    early = world.open_case()  # opened with nothing loaded: its event pins no version
    one = load(world, loader.packaged_text("BX"))
    case = world.open_case()
    two = load(world, loader.packaged_text("LQ"))
    _verified(world)
    sql("UPDATE cases_case SET profile_version_id = %s WHERE id = %s", [two.pk, case.pk])
    assert _codes(verify_log()) == ["cases.E006"]
    sql("UPDATE cases_case SET profile_version_id = %s WHERE id = %s", [one.pk, case.pk])
    _verified(world)
    # A case opened with nothing loaded, pointed at a version afterwards.
    sql("UPDATE cases_case SET profile_version_id = %s WHERE id = %s", [one.pk, early.pk])
    assert _codes(verify_log()) == ["cases.E006"]
