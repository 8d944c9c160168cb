"""The defects the independent review of issue 12 found in the cases app (/tmp/review12.md §2, §8 and
the emergency approval's time), each with the test that showed it."""
import datetime
import types

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.cases import selectors
from liuhen.cases import services as cases
from liuhen.cases.models import AccessGrant, Case, Stage
from liuhen.ledger.models import Entry
from liuhen.records import services as rec
from liuhen.testing.cases import add_person, complete, make_record, to_decision


def window():
    now = timezone.now()
    return {"valid_from": now - datetime.timedelta(minutes=1), "valid_until": now + datetime.timedelta(hours=1)}


@pytest.mark.parametrize("scope", ["work", "view"])
def test_nobody_grants_themselves_access(world, scope):
    case = to_decision(world)
    with pytest.raises(ValidationError, match="不能向本人授予调阅权限"):
        cases.grant_access(world.agency_head, case, world.agency_head, scope=scope, reason="自授", **window())
    assert not AccessGrant.objects.filter(case=case).exists()


def test_who_approved_in_the_case_is_not_assigned_to_it(world):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    both = acc.create_user(None, username="both", full_name="双角色", password=world.PASSWORD, agency=world.agency,
                           unit=world.unit, roles=[Role.OFFICER, Role.UNIT_HEAD])
    today = timezone.localdate()
    acc.issue_certificate(None, both, number="14019999", valid_from=today - datetime.timedelta(days=1),
                          valid_until=today + datetime.timedelta(days=100))
    case = world.open_case()
    add_person(world, case)
    approval = make_record(world, case, "start_approval")
    rec.sign_as_officer(world.officer, approval)
    rec.sign_as_leader(both, approval)
    with pytest.raises(ValidationError, match="不能再担任本案承办人员"):
        cases.assign_officer(world.unit_head, case, both)
    assert not case.officers.filter(officer=both).exists()


def test_the_close_at_start_note_passes_the_text_checks(world):
    case = world.open_case(start_mode="application", on_site=False, officers=[], title="取水许可申请")
    complete(world, case, "non_acceptance_decision")
    with pytest.raises(ValidationError, match="控制字符"):
        cases.close_at_start(world.officer, case, "不予受理\x01")
    with pytest.raises(ValidationError, match="控制字符"):
        cases.close_at_start(world.officer, case, "不予受理\u202e")
    assert Case.objects.get(pk=case.pk).stage == Stage.START
    case = cases.close_at_start(world.officer, case, "申请材料\n不符合法定形式")
    assert case.stage == Stage.ARCHIVE


def test_the_close_at_start_note_over_http_is_a_recorded_refusal(world, client):
    case = world.open_case(start_mode="application", on_site=False, officers=[], title="取水许可申请")
    complete(world, case, "non_acceptance_decision")
    client.force_login(world.officer)
    resp = client.post(f"/cases/{case.pk}/close-at-start/", {"note": "x\x01"})
    assert resp.status_code == 409 and Case.objects.get(pk=case.pk).stage == Stage.START
    assert Entry.objects.filter(action="cases.refused", object_id=str(case.pk)).exists()


def test_the_emergency_approval_is_the_leaders_signature_not_a_later_one(world, monkeypatch):
    """LC 8, LQ 8: the leader approves within 24 hours of the start. An officer who signs the form
    after the leader does not move the approval later."""
    from liuhen.records import services as record_services

    case = world.open_case(start_mode="emergency", kind="coercion", title="河道阻水障碍物紧急清除")
    add_person(world, case)
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - datetime.timedelta(hours=23))
    case = Case.objects.get(pk=case.pk)
    approval = make_record(world, case, "emergency_start_approval")
    leader = rec.sign_as_leader(world.unit_head, approval)  # in time: 23 hours after the start
    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(record_services, "timezone", types.SimpleNamespace(now=lambda: later))
    rec.sign_as_officer(world.officer, approval)  # the officer signs 25 hours after the start
    monkeypatch.undo()
    clock = selectors.emergency_clock(case)
    assert clock.approved_at == leader.signed_at
    assert clock.approved and not clock.late and clock.label == "已按时补批"
    assert selectors.late_emergency_approvals(Case.objects.filter(pk=case.pk)) == []
