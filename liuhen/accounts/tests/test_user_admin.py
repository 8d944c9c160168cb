"""The people admin and 三员分立: nobody changes their own roles or admin access, nobody moves in
one step between an administrator role and a case role, every role change is in the ledger, and
a password reset commits with its ledger entry."""
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from liuhen.accounts import services as acc
from liuhen.testing.otp import login_verified
from liuhen.accounts.models import User
from liuhen.accounts.roles import Role
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of


@pytest.fixture
def security(world):
    return acc.create_user(None, username="anquan", full_name="安全管理员甲", password=world.PASSWORD,
                           agency=world.agency, roles=[Role.SECURITY_ADMIN])


def form_data(user, roles, *, is_staff=None, **changes) -> dict:
    """What the change form posts for `user`, with `roles` as its groups."""
    data = {"username": user.username, "full_name": user.full_name, "is_active": "on",
            "groups": [acc.role_group(Role(r)).pk for r in roles],
            "agency": user.agency_id or "", "unit": user.unit_id or "", "phone": "", "email": "",
            "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}
    if user.is_staff if is_staff is None else is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return data


def post_change(client, actor, user, data):
    login_verified(client, actor)
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def roles_of(user) -> set[str]:
    return User.objects.get(pk=user.pk).role_codes()


def test_security_admin_cannot_give_themselves_a_case_role(client, world, security):
    resp = post_change(client, security, security, form_data(security, [Role.SECURITY_ADMIN, Role.OFFICER]))
    assert resp.status_code == 200 and "三员分立" in resp.content.decode()
    # Dropping the admin role in the same step does not help: one's own roles are not one's to change.
    resp = post_change(client, security, security, form_data(security, [Role.OFFICER]))
    assert resp.status_code == 200
    assert "不能修改本人的角色" in resp.content.decode()
    assert roles_of(security) == {"security_admin"}
    assert not Entry.objects.filter(action__in=["admin.change", "accounts.role_grant"], actor_id=security.pk).exists()


def test_admin_access_follows_the_roles_and_is_nobodys_to_tick(client, world, security):
    """is_staff is read-only on the form (it follows the roles): unticking it changes nothing, for
    oneself or anyone."""
    assert security.is_staff
    resp = post_change(client, security, security, form_data(security, [Role.SECURITY_ADMIN], is_staff=False))
    assert resp.status_code == 302
    assert User.objects.get(pk=security.pk).is_staff
    resp = post_change(client, world.sysadmin, security, form_data(security, [Role.SECURITY_ADMIN], is_staff=False))
    assert resp.status_code == 302
    assert User.objects.get(pk=security.pk).is_staff
    assert not Entry.objects.filter(action__in=["accounts.role_grant", "accounts.role_revoke"],
                                    actor_id=security.pk).exists()


@pytest.mark.parametrize("who,roles", [
    ("sysadmin", [Role.OFFICER]),  # an administrator moved to a case role
    ("officer3", [Role.AUDIT_ADMIN]),  # a case officer moved to an administrator role
    ("reviewer", [Role.SYSTEM_ADMIN]),
])
def test_no_move_between_admin_and_case_roles(client, world, security, who, roles):
    user = getattr(world, who)
    before = roles_of(user)
    resp = post_change(client, security, user, form_data(user, roles))
    assert resp.status_code == 200
    assert "三员分立：不能将管理员调整为业务角色" in resp.content.decode()
    assert roles_of(user) == before
    assert not Entry.objects.filter(action__startswith="accounts.role_", actor_id=security.pk).exists()


def test_role_grants_and_revokes_through_the_admin_are_logged(client, world, security):
    user = world.officer3
    resp = post_change(client, security, user, form_data(user, [Role.OFFICER, Role.UNIT_HEAD]))
    assert resp.status_code == 302
    assert roles_of(user) == {"officer", "unit_head"}
    [grant] = Entry.objects.filter(action="accounts.role_grant", actor_id=security.pk)
    assert grant.object_type == "user" and grant.object_id == str(user.pk)
    assert event_of(grant)["detail"] == {"role": "unit_head", "username": "wang"}

    resp = post_change(client, security, user, form_data(user, [Role.UNIT_HEAD]))
    assert resp.status_code == 302
    assert roles_of(user) == {"unit_head"}
    [revoke] = Entry.objects.filter(action="accounts.role_revoke", actor_id=security.pk)
    assert event_of(revoke)["detail"] == {"role": "officer", "username": "wang"}
    assert revoke.pk > grant.pk
    # A save that changes no role logs none.
    post_change(client, security, user, form_data(user, [Role.UNIT_HEAD], email="w@b.cn"))
    assert Entry.objects.filter(action__startswith="accounts.role_", actor_id=security.pk).count() == 2


def test_admin_entries_keep_no_full_names(client, world, security):
    user = world.officer3
    resp = post_change(client, world.sysadmin, user, form_data(user, [Role.OFFICER], full_name="王芳芳"))
    assert resp.status_code == 302
    assert User.objects.get(pk=user.pk).full_name == "王芳芳"
    entry = Entry.objects.get(action="admin.change", actor_id=world.sysadmin.pk)
    assert event_of(entry)["detail"]["username"] == "wang"
    for name in ("王芳", "系统管理员"):
        assert not any(name.encode() in bytes(e.leaf) for e in Entry.objects.all()), name


def test_roles_are_not_edited_through_the_admin(client, world, security):
    assert not admin.site.is_registered(Group)
    login_verified(client, security)
    assert client.get("/admin/auth/group/").status_code == 404
    assert client.get("/admin/auth/group/add/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_password_reset_by_the_system_admin_commits_with_its_entry(client, world, security, settings, tmp_path):
    """Django's password view runs outside a transaction: the ledger's append would refuse after the
    password is saved (a 500 and no entry). Outside any test transaction here, as in production.
    The reset is its own event and obliges the owner to change the password at the next login;
    the security administrator may not reset a password at all."""
    settings.LIUHEN_HOME = tmp_path / "home"
    user = world.officer3
    new = "Another-secret-2026"
    login_verified(client, security)
    resp = client.post(f"/admin/accounts/user/{user.pk}/password/",
                       {"password1": new, "password2": new, "usable_password": "true"})
    assert resp.status_code == 403
    assert not User.objects.get(pk=user.pk).check_password(new)
    assert Entry.objects.filter(action="access.denied", actor_id=security.pk).exists()

    login_verified(client, world.sysadmin)
    resp = client.post(f"/admin/accounts/user/{user.pk}/password/",
                       {"password1": new, "password2": new, "usable_password": "true"})
    assert resp.status_code == 302
    fresh = User.objects.get(pk=user.pk)
    assert fresh.check_password(new) and fresh.must_change_password
    entry = Entry.objects.get(action="accounts.password_reset", object_id=str(user.pk))
    assert entry.actor_id == world.sysadmin.pk and entry.object_type == "user"
    assert event_of(entry)["content_sha256"] == fresh.ledger_digest()
    assert new.encode() not in bytes(entry.leaf)
    assert not Entry.objects.filter(action="admin.change", object_id=str(user.pk)).exists()
