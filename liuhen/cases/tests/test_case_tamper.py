"""Case rows changed behind the application's back: `liuhen verify` names the row and the event.

An attacker with database access drops the append-only triggers (as a database superuser would)
and inserts, deletes or alters a CaseOfficer row (who may work on the case), a StageTransition row
(the case's history), or case columns the snapshot covers (agency, creator, archive time).
"""
import datetime

import pytest
from django.db import connection
from django.utils import timezone

from liuhen.cases import access
from liuhen.cases import services as cases
from liuhen.cases.models import Case, CaseOfficer, Stage, StageTransition
from liuhen.ledger import storage
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.ledger.verify import verify_log

from liuhen.testing.cases import add_person, complete, drop_append_only, sql, to_archived


pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no tile cached from another tree




def case_findings(report) -> list:
    """The findings that name a case (this file is about case rows)."""
    return [f for f in report.findings if f.object.startswith("case:")]


def clean(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        storage.integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def found(report, kind, obj):
    out = [f for f in case_findings(report) if f.kind == kind and f.object == obj]
    assert out, f"no [{kind}] finding for {obj}; findings: {[str(f) for f in report.findings]}"
    return out


def only_kinds(report) -> set:
    return {f.kind for f in report.findings}


def event_naming(action, key, pk) -> Entry:
    [entry] = [e for e in Entry.objects.filter(action=action) if event_of(e)["detail"].get(key) == pk]
    return entry


@pytest.fixture
def scene(world, django_capture_on_commit_callbacks):
    """A case with a party, two officers and one move past 程序启动, verifying clean."""
    case = world.open_case()
    add_person(world, case)
    complete(world, case, "start_approval")
    case = cases.advance(world.officer, case, note="批准立案调查")
    clean(django_capture_on_commit_callbacks)
    return case


def _now():
    return connection.ops.adapt_datetimefield_value(timezone.now())


# ---- CaseOfficer ------------------------------------------------------------------------------

def test_inserted_case_officer_is_found(scene, world):
    """An officer of another unit slipped onto the case gets work rights: verify must say so."""
    assert not access.can_work(world.outsider, scene)
    sql("INSERT INTO cases_caseofficer (case_id, officer_id, is_lead, certificate_number, assigned_by_id, "
        "assigned_at) VALUES (%s, %s, %s, %s, %s, %s)",
        [scene.pk, world.outsider.pk, False, world.outsider.certificates.get().number, world.unit_head.pk, _now()])
    link = CaseOfficer.objects.get(case=scene, officer=world.outsider)
    assert access.can_work(world.outsider, Case.objects.get(pk=scene.pk))  # the harm done
    report = verify_log()
    [f] = found(report, "inserted", f"case:{scene.pk} officer:{link.pk}")
    assert "未经指派" in f.message
    assert only_kinds(report) == {"inserted"}


def test_deleted_case_officer_is_found(scene, world):
    link = CaseOfficer.objects.get(case=scene, officer=world.officer2)
    drop_append_only("cases_caseofficer")
    assert sql("DELETE FROM cases_caseofficer WHERE id = %s", [link.pk]) == 1
    report = verify_log()
    [f] = found(report, "deleted", f"case:{scene.pk} officer:{link.pk}")
    assert f.entry_id == event_naming("case.officer_assign", "case_officer", link.pk).pk
    assert only_kinds(report) == {"deleted"}


@pytest.mark.parametrize("column,value", [
    ("is_lead", True),
    ("certificate_number", "1401999999"),
    ("officer_id", "outsider"),
    ("assigned_by_id", "unit_head"),
    ("assigned_at", "backdated"),
])
def test_altered_case_officer_is_found(scene, world, column, value):
    link = CaseOfficer.objects.get(case=scene, officer=world.officer2)
    if value in ("outsider", "unit_head"):
        value = getattr(world, value).pk
    elif value == "backdated":
        value = connection.ops.adapt_datetimefield_value(link.assigned_at - datetime.timedelta(days=30))
    drop_append_only("cases_caseofficer")
    assert sql(f"UPDATE cases_caseofficer SET {column} = %s WHERE id = %s", [value, link.pk]) == 1
    report = verify_log()
    [f] = found(report, "altered", f"case:{scene.pk} officer:{link.pk}")
    assert f.entry_id == event_naming("case.officer_assign", "case_officer", link.pk).pk
    assert only_kinds(report) == {"altered"}


# ---- StageTransition --------------------------------------------------------------------------

def test_inserted_stage_transition_is_found(scene, world):
    sql("INSERT INTO cases_stagetransition (case_id, from_stage, to_stage, actor_id, note, at) "
        "VALUES (%s, %s, %s, %s, %s, %s)",
        [scene.pk, Stage.INVESTIGATION, Stage.DECISION, world.officer.pk, "调查终结", _now()])
    st = StageTransition.objects.filter(case=scene).order_by("-id").first()
    report = verify_log()
    found(report, "inserted", f"case:{scene.pk} transition:{st.pk}")
    assert only_kinds(report) == {"inserted"}


def test_deleted_start_transition_points_at_the_creation_event(scene):
    first = StageTransition.objects.filter(case=scene).order_by("id").first()
    assert (first.from_stage, first.to_stage, first.note) == ("", Stage.START, "立案")
    drop_append_only("cases_stagetransition")
    assert sql("DELETE FROM cases_stagetransition WHERE id = %s", [first.pk]) == 1
    report = verify_log()
    [f] = found(report, "deleted", f"case:{scene.pk} transition:{first.pk}")
    assert f.entry_id == Entry.objects.get(action="case.create", object_id=str(scene.pk)).pk


@pytest.mark.parametrize("column,value", [
    ("note", "（事后改写的审批意见）"),
    ("to_stage", Stage.DECISION),
    ("actor_id", "unit_head"),
    ("at", "backdated"),
])
def test_altered_stage_transition_is_found(scene, world, column, value):
    st = StageTransition.objects.filter(case=scene).order_by("id").last()
    assert st.note == "批准立案调查"
    if value == "unit_head":
        value = world.unit_head.pk
    elif value == "backdated":
        value = connection.ops.adapt_datetimefield_value(st.at - datetime.timedelta(days=10))
    drop_append_only("cases_stagetransition")
    assert sql(f"UPDATE cases_stagetransition SET {column} = %s WHERE id = %s", [value, st.pk]) == 1
    report = verify_log()
    [f] = found(report, "altered", f"case:{scene.pk} transition:{st.pk}")
    assert f.entry_id == event_naming("case.transition", "transition", st.pk).pk
    assert only_kinds(report) == {"altered"}


# ---- the case row: columns the snapshot now covers -------------------------------------------

@pytest.mark.parametrize("column", ["agency_id", "created_by_id"])
def test_altered_case_agency_or_creator_is_found(scene, world, column):
    from liuhen.accounts.models import Agency

    value = (Agency.objects.create(name="另一局", short_name="另").pk if column == "agency_id"
             else world.officer2.pk)
    assert sql(f"UPDATE cases_case SET {column} = %s WHERE id = %s", [value, scene.pk]) == 1
    report = verify_log()
    [f] = found(report, "altered", f"case:{scene.pk}")
    assert f.entry_id == event_naming("case.transition", "transition", scene.transitions.last().pk).pk


def test_backdated_archive_time_is_found(world, django_capture_on_commit_callbacks):
    case = to_archived(world)
    clean(django_capture_on_commit_callbacks)
    earlier = Case.objects.get(pk=case.pk).archived_at - datetime.timedelta(days=90)
    sql("UPDATE cases_case SET archived_at = %s WHERE id = %s",
        [connection.ops.adapt_datetimefield_value(earlier), case.pk])
    report = verify_log()
    [f] = found(report, "altered", f"case:{case.pk}")
    archived = [e for e in Entry.objects.filter(action="case.transition", object_id=str(case.pk))
                if event_of(e)["detail"]["to"] == "archived"]
    assert [f.entry_id] == [e.pk for e in archived]
