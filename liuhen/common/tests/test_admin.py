"""The configuration admin: records are not in it, changes are ledgered, nothing is deleted."""
import pytest
from django.contrib import admin

from liuhen.accounts.models import Agency
from liuhen.testing.otp import login_verified
from liuhen.ledger.models import Entry
from liuhen.records.models import Attachment, Record, RecordType, RecordVersion, RecordVoid, Signature




def test_records_are_not_editable_through_the_admin():
    for model in (Record, RecordVersion, Signature, Attachment, RecordVoid):
        assert not admin.site.is_registered(model), model
    assert admin.site.is_registered(RecordType)


def test_system_admin_change_is_in_the_ledger_and_cannot_delete(client, world):
    login_verified(client, world.sysadmin)
    url = f"/admin/accounts/agency/{world.agency.pk}/change/"
    assert client.get(url).status_code == 200
    resp = client.post(url, {"name": "测试市水务局（更名）", "short_name": "测水", "credit_code": "",
                             "address": "", "phone": "024-1234567"})
    assert resp.status_code == 302, resp.content[:500]
    assert Agency.objects.get(pk=world.agency.pk).phone == "024-1234567"
    entry = Entry.objects.filter(action="admin.change").get()
    assert entry.actor_id == world.sysadmin.pk and entry.object_type == "agency"  # as the services name it
    assert client.get(f"/admin/accounts/agency/{world.agency.pk}/delete/").status_code == 403


def test_officer_cannot_open_the_admin(client, world):
    login_verified(client, world.officer)
    resp = client.get("/admin/accounts/agency/")
    assert resp.status_code == 302 and "/admin/login/" in resp["Location"]


def test_admin_refuses_combined_admin_roles(client, world):
    """三员分立 through the admin's user form as well: the security administrator cannot give one
    person two administrator roles."""
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    security = acc.create_user(None, username="anquan", full_name="安全管理员", password=world.PASSWORD,
                               agency=world.agency, roles=[Role.SECURITY_ADMIN])
    login_verified(client, security)
    user = world.reviewer
    groups = [acc.role_group(Role.SYSTEM_ADMIN).pk, acc.role_group(Role.AUDIT_ADMIN).pk]
    data = {"username": user.username, "full_name": user.full_name, "is_active": "on", "groups": groups,
            "agency": world.agency.pk, "unit": "", "phone": "", "email": "",
            "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}
    resp = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert resp.status_code == 200  # the form comes back with its error
    assert "三员分立" in resp.content.decode()
    assert user.groups.filter(name__in=[Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN]).count() == 0
    assert not Entry.objects.filter(action="admin.change").exists()


@pytest.mark.django_db(transaction=True)
def test_admin_change_commits_with_its_entry_outside_a_test_transaction(client, world, settings, tmp_path):
    """The change form runs in the admin's own transaction (Django's changeform_view is atomic), so
    the ledger accepts its entry; the entry names the object by type and id, not by str(obj)."""
    from liuhen.ledger.services import event_of

    settings.LIUHEN_HOME = tmp_path / "home"
    login_verified(client, world.sysadmin)
    resp = client.post(f"/admin/accounts/agency/{world.agency.pk}/change/", {
        "name": "测试市水务局", "short_name": "测水", "credit_code": "", "address": "", "phone": "024-7654321"})
    assert resp.status_code == 302
    entry = Entry.objects.get(action="admin.change")
    assert entry.object_id == str(world.agency.pk)
    assert set(event_of(entry)["detail"]) == {"message"}
