"""Password expiry and reuse, and the account page's sessions (issue 21 §2, SPEC §9 等保 2.0)."""
import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liuhen.accounts import passwords, sessions
from liuhen.accounts import vocabulary as v
from liuhen.accounts.models import PasswordHistory
from liuhen.accounts.roles import Role
from liuhen.ledger.models import Entry
from liuhen.testing.accounts import security_admin
from liuhen.testing.otp import login_verified
from liuhen.testing.world import World

FORM = reverse("accounts:password_change")


def person_since(days, username, *roles):
    """A person whose password was set `days` ago: made by Django's own manager (which keeps no
    password history), so the account's creation date is when the password was set."""
    from liuhen.accounts import services as acc
    from liuhen.accounts.models import User

    user = User.objects.create_user(username=username, password=World.PASSWORD, full_name=username,
                                    date_joined=timezone.now() - datetime.timedelta(days=days))
    for role in roles:
        acc.grant_role(None, user, role)
    return User.objects.get(pk=user.pk)


def change(client, old, new):
    return client.post(FORM, {"old_password": old, "new_password1": new, "new_password2": new})


def test_an_administrators_password_expires_after_the_set_days(client, world, settings):
    settings.LIUHEN_PASSWORD_MAX_AGE_DAYS = 90
    young, old = person_since(89, "young", Role.SYSTEM_ADMIN), person_since(91, "old", Role.SYSTEM_ADMIN)
    assert not passwords.expired(young) and passwords.expired(old)
    login_verified(client, young)
    assert client.get("/admin/").status_code == 200
    login_verified(client, old)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == FORM
    assert "90天" in client.get(FORM).content.decode()
    assert change(client, World.PASSWORD, "Brand-new-secret-2026").status_code == 302
    assert not passwords.expired(old)
    assert client.get("/admin/").status_code == 200
    settings.LIUHEN_PASSWORD_MAX_AGE_DAYS = 0  # never
    assert not passwords.expired(person_since(3650, "ancient", Role.SYSTEM_ADMIN))


def test_others_passwords_never_expire_unless_set(client, world, settings):
    officer = person_since(3650, "longago")
    assert not passwords.expired(officer)
    client.force_login(officer)
    assert client.get("/account/").status_code == 200
    settings.LIUHEN_PASSWORD_MAX_AGE_DAYS_OTHERS = 180
    assert passwords.expired(officer)
    assert client.get("/account/")["Location"] == FORM


def test_the_last_passwords_may_not_be_chosen_again(client, world, settings):
    settings.LIUHEN_PASSWORD_HISTORY = 3
    client.force_login(world.officer)
    first, second = "First-chosen-secret-1", "Second-chosen-secret-2"
    assert change(client, World.PASSWORD, first).status_code == 302
    assert change(client, first, second).status_code == 302
    response = change(client, second, first)
    assert response.status_code == 400 and "最近使用过的密码" in response.content.decode()
    assert Entry.objects.filter(action=v.REFUSED, actor_id=world.officer.pk).exists()
    assert PasswordHistory.objects.filter(user=world.officer).count() == 3  # created, then two changes


def test_the_account_page_lists_sessions_and_ends_another(world):
    phone, desk = Client(HTTP_USER_AGENT="Phone Browser 1.0"), Client(HTTP_USER_AGENT="Desk Browser 2.0")
    for c in (phone, desk):
        assert c.post("/login/", {"username": world.officer.username, "password": World.PASSWORD}).status_code == 302
    page = desk.get("/account/").content.decode()
    assert "Phone Browser 1.0" in page and "Desk Browser 2.0" in page and "当前会话" in page
    open_ = sessions.open_sessions(world.officer, desk.session.session_key)
    other = next(s for s in open_ if not s.current)
    assert other.key not in page  # the key is a credential: forms name a digest
    assert desk.post(reverse("accounts:session_end"), {"session": other.ref}).status_code == 302
    assert phone.get("/cases/").status_code == 302  # logged out
    assert Entry.objects.filter(action=v.SESSION_END, actor_id=world.officer.pk).count() == 1
    current = sessions.ref(desk.session.session_key)
    response = desk.post(reverse("accounts:session_end"), {"session": current})  # not the current one
    assert response.status_code == 400 and Entry.objects.filter(action=v.REFUSED, actor_id=world.officer.pk).exists()


def test_a_security_administrator_ends_all_sessions_of_a_person(client, world):
    other = Client()
    other.force_login(world.officer)
    url = reverse("accounts:person_sessions", args=[world.officer.pk])
    login_verified(client, world.sysadmin)
    assert client.post(url).status_code == 403  # 三员分立: not the system administrator
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.sysadmin.pk).exists()
    security = security_admin(world)
    login_verified(client, security)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert other.get("/cases/").status_code == 302
    entry = Entry.objects.get(action=v.SESSIONS_END_ALL)
    assert entry.actor_id == security.pk and entry.object_id == str(world.officer.pk)


@pytest.mark.parametrize("ref", ["", "nonsense", "0" * 16])
def test_ending_an_unknown_session_is_refused(client, world, ref):
    client.force_login(world.officer)
    assert client.post(reverse("accounts:session_end"), {"session": ref}).status_code == 400


def test_a_session_slides_its_expiry_at_most_once_a_minute(world):
    # The idle timeout slides with use, but the session row is written once a minute, not per page.
    from django.contrib.sessions.models import Session

    c = Client()
    assert c.post("/login/", {"username": world.officer.username, "password": World.PASSWORD}).status_code == 302
    key = c.session.session_key
    assert c.get("/cases/").status_code == 200
    first = Session.objects.get(pk=key).expire_date
    Session.objects.filter(pk=key).update(expire_date=first - datetime.timedelta(seconds=30))
    assert c.get("/cases/").status_code == 200
    assert Session.objects.get(pk=key).expire_date == first - datetime.timedelta(seconds=30)  # not saved again
    session = c.session
    session[sessions.REFRESHED_KEY] -= sessions.REFRESH_SECONDS  # its last save a minute ago
    session.save()
    Session.objects.filter(pk=key).update(expire_date=first - datetime.timedelta(seconds=30))
    assert c.get("/cases/").status_code == 200
    assert Session.objects.get(pk=key).expire_date >= first  # saved: the idle timeout moved on
