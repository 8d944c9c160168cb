"""三员分立 against one administrator (issue 12 §4): each sensitive act takes two of the three.

The security tester's findings, each a test: the security administrator alone created an account,
gave it a case role and read cases; or reset an officer's password and logged in as them."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.models import User
from liuhen.accounts.roles import Role
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.accounts import audit_admin, role_ids, security_admin, user_form
from liuhen.testing.otp import login_verified


def today():
    return timezone.localdate()  # at each use, not at import: a run may cross midnight


NEW = dict(username="xinren", full_name="新人", password="Liuhen-new-2026-x")


@pytest.fixture
def security(world):
    return security_admin(world)


# ---- services -------------------------------------------------------------------------------------

def test_security_admin_cannot_create_an_account(world, security):
    with pytest.raises(PermissionDenied, match="只有系统管理员可以创建账号"):
        acc.create_user(security, agency=world.agency, **NEW)
    assert not User.objects.filter(username="xinren").exists()
    [denied] = Entry.objects.filter(action="accounts.denied", actor_id=security.pk)
    assert event_of(denied)["detail"]["act"] == "user_create"


@pytest.mark.parametrize("who", ["officer", "agency_head", "auditor"])
def test_nobody_else_creates_accounts_or_certificates(world, who):
    actor = audit_admin(world) if who == "auditor" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        acc.create_user(actor, agency=world.agency, **NEW)
    with pytest.raises(PermissionDenied, match="只有系统管理员可以发放执法证"):
        acc.issue_certificate(actor, world.unit_head, number="X-1", valid_from=today(),
                              valid_until=today())
    assert Entry.objects.filter(action="accounts.denied", actor_id=actor.pk).count() == 2


def test_system_admin_creates_the_account_and_cannot_give_it_a_role(world):
    """The system administrator creates accounts, not roles: passing roles fails as a whole."""
    with pytest.raises(PermissionDenied, match="只有安全管理员可以授予或撤销角色"):
        acc.create_user(world.sysadmin, agency=world.agency, unit=world.unit, roles=[Role.OFFICER], **NEW)
    assert not User.objects.filter(username="xinren").exists()
    user = acc.create_user(world.sysadmin, agency=world.agency, unit=world.unit, **NEW)
    assert user.must_change_password  # the administrator knows the password
    assert user.role_codes() == set()
    entry = Entry.objects.get(action="accounts.user_create", object_id=str(user.pk))
    assert entry.actor_id == world.sysadmin.pk and event_of(entry)["content_sha256"] == user.ledger_digest()
    with pytest.raises(PermissionDenied):
        acc.grant_role(world.sysadmin, user, Role.OFFICER)
    assert User.objects.get(pk=user.pk).role_codes() == set()


def test_two_people_make_an_officer(world, security):
    user = acc.create_user(world.sysadmin, agency=world.agency, unit=world.unit, **NEW)
    acc.grant_role(security, user, Role.OFFICER)
    acc.issue_certificate(world.sysadmin, user, number="1401777777", valid_from=today(), valid_until=today())
    assert User.objects.get(pk=user.pk).role_codes() == {"officer"}
    actors = {e.action: e.actor_id for e in Entry.objects.filter(object_type="user", object_id=str(user.pk))}
    assert actors == {"accounts.user_create": world.sysadmin.pk, "accounts.role_grant": security.pk}


def test_nobody_grants_a_role_on_an_account_they_created_or_changed_today(world, security):
    """One person cannot create an account and then give it a role — not even after changing
    administrator role in between (system → security administrator, by someone else)."""
    creator = acc.create_user(None, username="ab", full_name="甲乙", password="Liuhen-ab-2026-x",
                              agency=world.agency, roles=[Role.SYSTEM_ADMIN])
    user = acc.create_user(creator, agency=world.agency, unit=world.unit, **NEW)
    acc.revoke_role(security, creator, Role.SYSTEM_ADMIN)
    acc.grant_role(security, creator, Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError) as exc:
        acc.grant_role(creator, user, Role.OFFICER)
    assert exc.value.messages == ["三员分立：您今天创建或修改过该账号，不能再为其授予或撤销角色，须由另一位管理员办理。"]
    assert User.objects.get(pk=user.pk).role_codes() == set()
    assert event_of(Entry.objects.filter(action="accounts.denied", actor_id=creator.pk).get())["detail"]["act"] \
        == "role_grant"
    # A password reset is a change too.
    other = world.officer3
    acc.revoke_role(security, creator, Role.SECURITY_ADMIN)
    acc.grant_role(security, creator, Role.SYSTEM_ADMIN)
    acc.reset_password(creator, other, "Liuhen-reset-2026-x")
    acc.revoke_role(security, creator, Role.SYSTEM_ADMIN)
    acc.grant_role(security, creator, Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError, match="今天创建或修改过该账号"):
        acc.revoke_role(creator, other, Role.OFFICER)
    # Someone else may, and so may the same person on another day (the check reads today's events).
    acc.grant_role(security, user, Role.OFFICER)
    assert User.objects.get(pk=user.pk).role_codes() == {"officer"}


def test_is_staff_follows_the_administrator_roles(world, security):
    user = acc.create_user(world.sysadmin, agency=world.agency, **NEW)
    acc.grant_role(security, user, Role.SYSTEM_ADMIN)
    assert User.objects.get(pk=user.pk).is_staff
    grant = Entry.objects.get(action="accounts.role_grant", object_id=str(user.pk))
    assert event_of(grant)["content_sha256"] == User.objects.get(pk=user.pk).ledger_digest()
    acc.revoke_role(security, user, Role.SYSTEM_ADMIN)
    assert not User.objects.get(pk=user.pk).is_staff
    acc.grant_role(security, user, Role.AUDIT_ADMIN)
    assert not User.objects.get(pk=user.pk).is_staff  # the auditor has no configuration admin


def test_password_reset_only_by_the_system_admin_and_never_ones_own(world, security):
    with pytest.raises(PermissionDenied, match="只有系统管理员可以重置密码"):
        acc.reset_password(security, world.officer, "Liuhen-reset-2026-x")
    with pytest.raises(ValidationError, match="本人的密码"):
        acc.reset_password(world.sysadmin, world.sysadmin, "Liuhen-reset-2026-x")
    acc.reset_password(world.sysadmin, world.officer, "Liuhen-reset-2026-x")
    officer = User.objects.get(pk=world.officer.pk)
    assert officer.check_password("Liuhen-reset-2026-x") and officer.must_change_password
    entry = Entry.objects.get(action="accounts.password_reset")
    assert (entry.actor_id, entry.object_id) == (world.sysadmin.pk, str(officer.pk))
    assert b"Liuhen-reset-2026-x" not in bytes(entry.leaf)


# ---- the configuration admin, driven by each administrator ---------------------------------------

def test_security_admin_cannot_add_accounts_in_the_admin(client, world, security):
    login_verified(client, security)
    assert client.get("/admin/accounts/user/add/").status_code == 403
    resp = client.post("/admin/accounts/user/add/", {"username": "houmen", "full_name": "后门", "agency": world.agency.pk,
                                                     "password1": NEW["password"], "password2": NEW["password"]})
    assert resp.status_code == 403
    assert not User.objects.filter(username="houmen").exists()
    assert "/admin/accounts/user/add/" not in client.get("/admin/accounts/user/").content.decode()
    assert Entry.objects.filter(action="access.denied", actor_id=security.pk).count() == 2


def test_security_admin_changes_only_roles(client, world, security):
    """On the person form the security administrator edits the roles; name, unit, active are shown,
    not taken; the password hash and the phone number are not shown at all."""
    user = world.officer3
    login_verified(client, security)
    page = client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="groups"' in page and 'name="unit"' not in page and 'name="is_active"' not in page
    assert "md5$" not in page and "../password/" not in page
    resp = client.post(f"/admin/accounts/user/{user.pk}/change/",
                       user_form(user, unit=world.other_unit.pk, full_name="改名", is_active=None,
                                 groups=role_ids(Role.OFFICER, Role.UNIT_HEAD)))
    assert resp.status_code == 302
    fresh = User.objects.get(pk=user.pk)
    assert (fresh.unit_id, fresh.full_name, fresh.is_active) == (world.unit.pk, "王芳", True)
    assert fresh.role_codes() == {"officer", "unit_head"}
    # Only the role is logged: a role-only save is no account change (and so does not bar the same
    # administrator from the next role change today).
    assert not Entry.objects.filter(action="admin.change", actor_id=security.pk).exists()
    resp = client.post(f"/admin/accounts/user/{user.pk}/change/", user_form(user, groups=role_ids(Role.OFFICER)))
    assert resp.status_code == 302
    assert User.objects.get(pk=user.pk).role_codes() == {"officer"}


def test_system_admin_changes_the_account_not_its_roles(client, world):
    user = world.officer3
    login_verified(client, world.sysadmin)
    page = client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="groups"' not in page and "执法人员" in page  # shown, in Chinese
    resp = client.post(f"/admin/accounts/user/{user.pk}/change/",
                       user_form(user, unit=world.other_unit.pk, groups=role_ids(Role.AGENCY_HEAD)))
    assert resp.status_code == 302
    fresh = User.objects.get(pk=user.pk)
    assert fresh.unit_id == world.other_unit.pk and fresh.role_codes() == {"officer"}
    entry = Entry.objects.get(action="admin.change", actor_id=world.sysadmin.pk)
    assert event_of(entry)["content_sha256"] == fresh.ledger_digest()


def test_system_admin_adds_an_account_whose_owner_must_change_the_password(client, world, security):
    login_verified(client, world.sysadmin)
    resp = client.post("/admin/accounts/user/add/", {
        "username": "houlai", "full_name": "后来者", "agency": world.agency.pk, "unit": world.unit.pk,
        "password1": NEW["password"], "password2": NEW["password"], "usable_password": "true"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    user = User.objects.get(username="houlai")
    assert user.must_change_password and user.role_codes() == set()
    added = Entry.objects.get(action="admin.add", object_id=str(user.pk))
    assert added.actor_id == world.sysadmin.pk and event_of(added)["content_sha256"] == user.ledger_digest()
    # The same day, the security administrator gives it its role.
    login_verified(client, security)
    resp = client.post(f"/admin/accounts/user/{user.pk}/change/", {"groups": role_ids(Role.OFFICER)})
    assert resp.status_code == 302
    assert User.objects.get(pk=user.pk).role_codes() == {"officer"}


def test_superuser_bootstraps_through_the_admin_and_no_further(client, world, monkeypatch):
    root = User.objects.create_superuser("root", password=world.PASSWORD)
    login_verified(client, root)
    assert 'name="is_superuser"' not in client.get(f"/admin/accounts/user/{world.officer3.pk}/change/").content.decode()
    resp = client.post(f"/admin/accounts/user/{world.officer3.pk}/change/",
                       user_form(world.officer3, groups=role_ids(Role.OFFICER, Role.AGENCY_HEAD)))
    assert resp.status_code == 200 and "超级用户只用于初始化三员管理员" in resp.content.decode()
    assert User.objects.get(pk=world.officer3.pk).role_codes() == {"officer"}
    assert Entry.objects.filter(action="accounts.denied", actor_id=root.pk).exists()
    head = acc.create_user(root, username="xinju", full_name="新局长", password=NEW["password"], agency=world.agency)
    resp = client.post(f"/admin/accounts/user/{head.pk}/change/", user_form(head, groups=role_ids(Role.SECURITY_ADMIN),
                                                                             is_superuser="on"))
    assert resp.status_code == 302
    head = User.objects.get(pk=head.pk)
    assert head.role_codes() == {"security_admin"} and head.is_staff and not head.is_superuser



def test_a_refused_admin_act_keeps_its_code_never_the_message(world, security):
    """accounts.denied goes through the one recorder of refused acts (ledger.refusals): the act and
    its stable code; the Chinese message stays out of the log."""
    with pytest.raises(ValidationError, match="安全管理员不能同时担任业务角色"):
        acc.grant_role(security, security, Role.OFFICER)
    [denied] = Entry.objects.filter(action="accounts.denied", actor_id=security.pk)
    assert event_of(denied)["detail"] == {"act": "role_grant", "codes": ["admin_with_business_role"]}
