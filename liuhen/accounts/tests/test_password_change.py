"""A password an administrator set must be changed by its owner at the next login (issue 12 §4):
until then every page sends them to the password form; the change is logged and clears the flag,
which `liuhen verify` holds to the log."""
import pytest

from liuhen.accounts import services as acc
from liuhen.accounts.models import User
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.accounts import reset_and_release
from liuhen.testing.tampering import found, sql
from liuhen.testing.otp import login_verified
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log

SET_BY_ADMIN = "Set-by-admin-2026"
OWN = "My-own-secret-2026"
FORM = "/account/password/"


@pytest.fixture
def reset_officer(world):
    return reset_and_release(world, world.officer, SET_BY_ADMIN)


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


@pytest.mark.parametrize("path", ["/cases/", "/admin/", "/audit/", "/"])
def test_every_page_sends_to_the_password_form(client, reset_officer, path):
    resp = login(client, "zhang", SET_BY_ADMIN)
    assert resp.status_code == 302
    resp = client.get(path)
    assert resp.status_code == 302 and resp["Location"] == FORM
    # htmx requests are told where to go in its own header
    resp = client.get(path, headers={"HX-Request": "true"})
    assert resp["HX-Redirect"] == FORM
    page = client.get(FORM)
    assert page.status_code == 200
    assert "您的密码由管理员设置或重置" in page.content.decode()
    assert client.post("/logout/").status_code == 302  # logging out stays possible


def test_changing_it_is_logged_and_frees_the_account(client, reset_officer):
    login(client, "zhang", SET_BY_ADMIN)
    # The password the administrator set is not a new one.
    resp = client.post(FORM, {"old_password": SET_BY_ADMIN, "new_password1": SET_BY_ADMIN,
                              "new_password2": SET_BY_ADMIN})
    assert resp.status_code == 400 and "新密码不能与原密码相同" in resp.content.decode()
    assert User.objects.get(pk=reset_officer.pk).must_change_password
    resp = client.post(FORM, {"old_password": SET_BY_ADMIN, "new_password1": OWN, "new_password2": OWN})
    assert resp.status_code == 302 and resp["Location"] == "/oversight/todo/"  # 我的待办, their first page
    user = User.objects.get(pk=reset_officer.pk)
    assert not user.must_change_password and user.check_password(OWN)
    entry = Entry.objects.get(action="accounts.password_change")
    assert entry.actor_id == user.pk and entry.object_id == str(user.pk)
    assert event_of(entry)["content_sha256"] == user.ledger_digest()
    assert OWN.encode() not in bytes(entry.leaf)
    assert client.get("/cases/").status_code == 200  # still logged in (session hash updated)


def test_an_administrator_who_logs_in_with_it_is_stopped_and_seen(client, world, reset_officer):
    """The tester's path: reset an officer's password, log in as them, read cases. The login lands
    on the password form, no case is read, and whatever happens next is in the log under the
    officer's account from the administrator's address, after the administrator's reset."""
    login(client, "zhang", SET_BY_ADMIN)
    case_entries = Entry.objects.filter(action="case.view").count()
    assert client.get("/cases/").status_code == 302
    assert Entry.objects.filter(action="case.view").count() == case_entries
    reset = Entry.objects.get(action="accounts.password_reset")
    assert reset.actor_id == world.sysadmin.pk
    assert Entry.objects.filter(action="auth.login", actor_id=reset_officer.pk, id__gt=reset.pk).exists()


def test_a_new_account_from_the_admin_must_change_too(client, world):
    user = acc.create_user(world.sysadmin, username="xinren", full_name="新人", password=SET_BY_ADMIN,
                           agency=world.agency, unit=world.unit)
    assert user.must_change_password
    login(client, "xinren", SET_BY_ADMIN)
    assert client.get("/cases/")["Location"] == FORM


def test_the_system_and_the_owner_set_no_flag(world):
    assert not User.objects.filter(must_change_password=True).exists()  # the world: created by the system


@pytest.mark.usefixtures("fresh_home")
def test_flag_cleared_by_sql_is_found(verified_world):
    """Cleared behind the log's back, the flag would let the administrator who set the password go
    on using it: verify reports the person altered, against the reset that set it."""
    acc.reset_password(verified_world.sysadmin, verified_world.officer, SET_BY_ADMIN)
    integrate_all()  # verify only reads: the reset gets its leaf index from the integrator
    assert verify_log().ok
    sql("UPDATE accounts_user SET must_change_password = %s WHERE id = %s", [False, verified_world.officer.pk])
    f = found(verify_log(), "altered", f"user:{verified_world.officer.pk}",
              Entry.objects.get(action="accounts.password_reset"))
    assert f.code == "accounts.E004"


def test_the_admin_password_link_leads_to_the_logged_page(client, world):
    login_verified(client, world.sysadmin)
    resp = client.get("/admin/password_change/")
    assert resp.status_code == 302 and resp["Location"] == FORM
    client.post(FORM, {"old_password": world.PASSWORD, "new_password1": OWN, "new_password2": OWN})
    entry = Entry.objects.get(action="accounts.password_change")
    assert entry.actor_id == world.sysadmin.pk
