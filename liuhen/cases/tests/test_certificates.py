"""Pickers and certificates (issue 12 §2): only officers with a valid 执法证 today are offered,
and every write as an officer in cases needs one."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.accounts.models import Certificate
from liuhen.cases import services as cases
from liuhen.cases.forms import AssignOfficerForm, NewCaseForm
from liuhen.cases.models import Case, CaseOfficer, Party
from liuhen.testing.cases import add_person


def test_the_new_case_picker_offers_only_certified_officers(world):
    form = NewCaseForm(user=world.officer)
    offered = set(form.fields["officers"].queryset)
    assert world.officer2 in offered and world.officer3 in offered
    assert world.expired not in offered and world.officer not in offered
    assert "赵刚" in form.uncertified


def test_the_add_officer_picker_offers_only_certified_officers(world):
    case = world.open_case()
    offered = set(AssignOfficerForm(case=case).fields["officer"].queryset)
    assert world.officer3 in offered and world.outsider in offered
    assert world.expired not in offered  # certificate expired yesterday
    assert world.officer2 not in offered  # already on the case
    future = world.officer3.certificates.get()
    Certificate.objects.filter(pk=future.pk).update(valid_from=timezone.localdate() + datetime.timedelta(days=1))
    assert world.officer3 not in set(AssignOfficerForm(case=case).fields["officer"].queryset)


def test_posting_an_uncertified_officer_is_refused(client, world):
    case = world.open_case()
    client.force_login(world.officer)
    client.post(f"/cases/{case.pk}/officers/add/", {"officer": world.expired.pk})
    assert not CaseOfficer.objects.filter(case=case, officer=world.expired).exists()


def test_an_officer_without_a_certificate_sees_why_before_any_form(client, world):
    client.force_login(world.expired)
    resp = client.get("/cases/new/")
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "您目前不能立案" in page and "没有有效的行政执法证" in page
    assert 'name="title"' not in page  # no form to fill in
    resp = client.post("/cases/new/", {"title": "x", "kind": "penalty", "procedure": "general",
                                       "start_mode": "ex_officio"})
    assert resp.status_code == 403
    assert Case.objects.count() == 0


def test_a_certified_officer_gets_the_form(client, world):
    client.force_login(world.officer)
    page = client.get("/cases/new/").content.decode()
    assert 'name="title"' in page and "您目前不能立案" not in page


def test_opening_a_case_needs_the_openers_certificate(world):
    with pytest.raises(ValidationError, match="执法证"):
        cases.open_case(world.expired, title="x", kind="penalty", procedure="general", start_mode="ex_officio",
                        on_site=False, officers=[world.officer2])
    assert Case.objects.count() == 0


def test_a_unit_head_opens_and_assigns_without_a_certificate(world):
    """The unit head acts as a leader (assigning the team), not as an officer."""
    case = cases.open_case(world.unit_head, title="x", kind="penalty", procedure="general",
                           start_mode="ex_officio", on_site=True, officers=[world.officer, world.officer2])
    assert not world.unit_head.certificates.exists()
    cases.assign_officer(world.unit_head, case, world.officer3)
    assert case.officers.count() == 3


def test_an_officer_whose_certificate_lapsed_cannot_assign_or_add_parties(world):
    case = world.open_case()
    Certificate.objects.filter(holder=world.officer).update(revoked=True)
    with pytest.raises(ValidationError, match="执法证"):
        cases.assign_officer(world.officer, case, world.officer3)
    with pytest.raises(ValidationError, match="执法证"):
        add_person(world, case)
    assert not CaseOfficer.objects.filter(officer=world.officer3).exists()
    assert not Party.objects.exists()


def test_a_unit_head_without_a_certificate_cannot_register_a_party(world):
    """Registering a party is an officer's act: the unit head's leader role does not cover it."""
    case = world.open_case()
    with pytest.raises(ValidationError, match="执法证"):
        add_person(world, case, actor=world.unit_head)
