"""Parties (issue 12 §8): corrections are new versions with a reason; officers of the case see the
address, and the full ID number and phone on request, each reveal logged; others see them masked."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.cases import selectors
from liuhen.cases import services as cases
from liuhen.cases.models import Party
from liuhen.common.append_only import AppendOnlyError
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.cases import OTHER_PERSON_ID, PERSON_ID, add_person

FIELDS = dict(kind="person", name="王五", id_number=PERSON_ID, phone="13812345678", address="本溪市平山区1号")


def correct(world, party, actor=None, reason="身份证号码登记错误", **kw):
    args = dict(FIELDS, id_number=OTHER_PERSON_ID)
    args.update(kw)
    return cases.correct_party(actor or world.officer, party, reason=reason, **args)


def test_a_correction_is_a_new_version_and_the_old_one_stays(world):
    case = world.open_case()
    old = add_person(world, case)
    new = correct(world, old)
    assert new.pk != old.pk and new.supersedes == old and new.correction_reason == "身份证号码登记错误"
    assert Party.objects.get(pk=old.pk).id_number == PERSON_ID  # untouched
    assert list(selectors.current_parties(case)) == [new]
    assert selectors.party_history(new) == [old]
    assert not Party.objects.get(pk=old.pk).is_current and new.is_current
    assert list(selectors.find_parties_by_id_number(OTHER_PERSON_ID)) == [new]
    [entry] = Entry.objects.filter(action="case.party_correct", object_id=str(case.pk))
    ev = event_of(entry)
    assert ev["detail"] == {"party": new.pk, "at": new.added_at.isoformat(timespec="microseconds"),
                            "supersedes": old.pk}
    assert ev["content_sha256"] == cases.content_sha256(cases.party_snapshot(new))
    assert OTHER_PERSON_ID.encode() not in bytes(entry.leaf) and "登记错误".encode() not in bytes(entry.leaf)
    with pytest.raises(AppendOnlyError):
        old.name = "改名"
        old.save()


def test_a_correction_needs_a_reason_a_change_and_the_latest_version(world):
    case = world.open_case()
    old = add_person(world, case)
    with pytest.raises(ValidationError, match="更正理由"):
        correct(world, old, reason="  ")
    with pytest.raises(ValidationError, match="没有变化"):
        correct(world, old, id_number=PERSON_ID)
    with pytest.raises(ValidationError, match="校验位"):
        correct(world, old, id_number="110105194912310021")
    correct(world, old)
    with pytest.raises(ValidationError, match="最新版本"):
        correct(world, old, name="王五五")
    assert Party.objects.filter(case=case).count() == 2


def test_a_correction_needs_work_access_and_a_valid_certificate(world):
    case = world.open_case()
    old = add_person(world, case)
    with pytest.raises(PermissionDenied):
        correct(world, old, actor=world.outsider)
    cases.assign_officer(world.unit_head, case, world.officer3)
    from liuhen.accounts.models import Certificate

    Certificate.objects.filter(holder=world.officer3).update(revoked=True)
    with pytest.raises(ValidationError, match="执法证"):
        correct(world, old, actor=world.officer3)


def test_correction_form_on_the_case_page(client, world):
    case = world.open_case()
    old = add_person(world, case)
    client.force_login(world.officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/parties/{old.pk}/correct/" in page
    form = client.get(f"/cases/{case.pk}/parties/{old.pk}/correct/").content.decode()
    assert "更正理由" in form and "这是第一版" in form
    resp = client.post(f"/cases/{case.pk}/parties/{old.pk}/correct/", dict(FIELDS, reason=""))
    assert resp.status_code == 400
    resp = client.post(f"/cases/{case.pk}/parties/{old.pk}/correct/",
                       dict(FIELDS, name="王伍", reason="姓名录入错误"))
    assert resp.status_code == 302
    new = Party.objects.get(supersedes=old)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "王伍" in page and "姓名录入错误" in page
    assert "历史版本" in page and "王五 ·" in page  # the old version stays visible, masked
    history = client.get(f"/cases/{case.pk}/parties/{new.pk}/correct/").content.decode()
    assert "王五" in history and "历史版本" in history


def test_officers_see_the_address_and_reveal_the_full_numbers_on_request(client, world):
    case = world.open_case()
    party = add_person(world, case)
    client.force_login(world.officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "本溪市平山区1号" in page
    assert PERSON_ID not in page and "13812345678" not in page
    assert "110105********002X" in page
    resp = client.post(f"/cases/{case.pk}/parties/{party.pk}/reveal/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert PERSON_ID in body and "13812345678" in body and "已记入留痕日志" in body
    [entry] = Entry.objects.filter(action="case.party_reveal")
    ev = event_of(entry)
    assert ev["actor"]["id"] == world.officer.pk and ev["detail"] == {"party": party.pk}
    assert PERSON_ID.encode() not in bytes(entry.leaf)
    # As an htmx fragment, for the button on the case page.
    frag = client.post(f"/cases/{case.pk}/parties/{party.pk}/reveal/", HTTP_HX_REQUEST="true").content.decode()
    assert PERSON_ID in frag and "<html" not in frag
    assert Entry.objects.filter(action="case.party_reveal").count() == 2


@pytest.mark.parametrize("who", ["officer3", "agency_head", "reviewer"])
def test_others_see_masked_values_only_and_cannot_reveal(client, world, who):
    case = world.open_case()
    party = add_person(world, case)
    client.force_login(getattr(world, who))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert PERSON_ID not in page and "13812345678" not in page
    assert "查看完整证件号和电话" not in page
    resp = client.post(f"/cases/{case.pk}/parties/{party.pk}/reveal/")
    assert resp.status_code == 403
    assert PERSON_ID not in resp.content.decode()
    assert not Entry.objects.filter(action="case.party_reveal").exists()
    assert Entry.objects.filter(action="access.denied").exists()


def test_reveal_is_a_post(client, world):
    case = world.open_case()
    party = add_person(world, case)
    client.force_login(world.officer)
    assert client.get(f"/cases/{case.pk}/parties/{party.pk}/reveal/").status_code == 405


def test_a_party_of_another_case_is_not_found(client, world):
    case, other = world.open_case(), world.open_case()
    party = add_person(world, other)
    client.force_login(world.officer)
    assert client.post(f"/cases/{case.pk}/parties/{party.pk}/reveal/").status_code == 404


def test_the_case_list_names_the_current_version_only(client, world):
    case = world.open_case()
    correct(world, add_person(world, case), name="王伍", id_number=PERSON_ID)
    client.force_login(world.officer)
    page = client.get("/cases/").content.decode()
    assert "王伍" in page and "王五" not in page


@pytest.mark.django_db(transaction=True)
def test_a_reveal_outside_a_test_transaction_is_logged(client):
    """As in production: no surrounding transaction (the `world` fixture's test runs in one, which
    hid that the ledger refused the reveal's entry outside a transaction)."""
    from liuhen.testing.world import World

    world = World()
    case = world.open_case()
    party = add_person(world, case)
    client.force_login(world.officer)
    resp = client.post(f"/cases/{case.pk}/parties/{party.pk}/reveal/")
    assert resp.status_code == 200 and PERSON_ID in resp.content.decode()
    assert Entry.objects.filter(action="case.party_reveal").count() == 1
