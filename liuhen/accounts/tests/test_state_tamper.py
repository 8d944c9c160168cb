"""`liuhen verify` holds people, certificates (执法证), agencies and units to the state the log last
recorded for them.

First the normal paths — the services, Django's user manager (`liuhen createsuperuser`) and the
configuration admin driven by the system and security administrators — must leave a log that
verifies clean. Then each test plays a database superuser with plain SQL (these tables are not
append-only): verify must name the row and the log entry whose state it contradicts.
"""
import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.models import Agency, Certificate, Unit, User
from liuhen.accounts.roles import Role
from liuhen.ledger.core.canonical import canonical_bytes
from liuhen.ledger.models import Entry
from liuhen.ledger import services as ledger
from liuhen.ledger.services import event_of
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.subjects import state_digest
from liuhen.testing.tampering import drop_append_only, found, sql
from liuhen.testing.otp import login_verified
from liuhen.ledger.verify import verify_log

pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no tile cached from another tree


def today():
    return timezone.localdate()  # at each use, not at import: a run may cross midnight


STATE_TYPES = ("user", "certificate", "agency", "unit")


def state_findings(report) -> list[str]:
    return [str(f) for f in report.findings if f.object.split(":")[0] in STATE_TYPES]


def last_state_entry(object_type, pk) -> Entry:
    """The last entry about the object that logged its state: the one verify holds the row to."""
    entries = [e for e in Entry.objects.filter(object_type=object_type, object_id=str(pk)).order_by("-id")
               if event_of(e)["content_sha256"]]
    return entries[0]


@pytest.fixture
def security(world):
    return acc.create_user(None, username="anquan", full_name="安全管理员甲", password=world.PASSWORD,
                           agency=world.agency, roles=[Role.SECURITY_ADMIN])


def admin_post(client, actor, url, data):
    login_verified(client, actor)
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.content.decode()[:3000]
    return resp


def user_form(user, **changes) -> dict:
    """What the user change form posts for `user` (its roles unchanged)."""
    data = {"username": user.username, "full_name": user.full_name, "groups": [g.pk for g in user.groups.all()],
            "agency": user.agency_id or "", "unit": user.unit_id or "", "phone": "", "email": "",
            "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}
    if user.is_active:
        data["is_active"] = "on"
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def cert_form(cert, **changes) -> dict:
    data = {"holder": cert.holder_id, "number": cert.number, "issued_by": cert.issued_by,
            "valid_from": cert.valid_from.isoformat(), "valid_until": cert.valid_until.isoformat()}
    if cert.revoked:
        data["revoked"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# ---- normal use verifies clean ------------------------------------------------------------------

def test_services_admin_and_createsuperuser_verify_clean(client, world, security, monkeypatch):
    # Services: a new unit, a person in it (the system administrator creates the account, the
    # security administrator grants the role), their certificate; an administrator (is_staff flips).
    unit = acc.create_unit(world.sysadmin, world.agency, name="水土保持科")
    newbie = acc.create_user(world.sysadmin, username="xinren", full_name="新人", password=world.PASSWORD,
                             agency=world.agency, unit=unit)
    acc.grant_role(security, newbie, Role.OFFICER)
    acc.issue_certificate(world.sysadmin, newbie, number="14019999", valid_from=today(), valid_until=today())
    auditor = acc.create_user(world.sysadmin, username="shenji", full_name="审计员", password=world.PASSWORD,
                              agency=world.agency)
    acc.grant_role(security, auditor, Role.AUDIT_ADMIN)
    second = acc.create_user(world.sysadmin, username="xitong2", full_name="系统管理员乙", password=world.PASSWORD,
                             agency=world.agency)
    acc.grant_role(security, second, Role.SYSTEM_ADMIN)
    assert User.objects.get(pk=second.pk).is_staff
    acc.revoke_role(security, second, Role.SYSTEM_ADMIN)
    assert not User.objects.get(pk=second.pk).is_staff
    acc.reset_password(world.sysadmin, world.officer2, "Reset-by-admin-2026")
    # Django's own paths: the user manager, and `liuhen createsuperuser`.
    User.objects.create_user("plain", password=world.PASSWORD)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", world.PASSWORD)
    call_command("createsuperuser", interactive=False, username="root", email="root@example.cn", verbosity=0)

    # The system administrator, in the configuration admin: an agency changed, a unit and a
    # certificate added, a certificate revoked and another extended.
    admin_post(client, world.sysadmin, f"/admin/accounts/agency/{world.agency.pk}/change/", {
        "name": world.agency.name, "short_name": "测水", "credit_code": "", "address": "测试路1号", "phone": ""})
    admin_post(client, world.sysadmin, "/admin/accounts/unit/add/", {"agency": world.agency.pk, "name": "法规科"})
    admin_post(client, world.sysadmin, "/admin/accounts/certificate/add/", {
        "holder": world.officer3.pk, "number": "14018888", "issued_by": "测试市人民政府",
        "valid_from": today().isoformat(), "valid_until": (today() + datetime.timedelta(days=30)).isoformat()})
    revoked = world.officer2.certificates.get()
    admin_post(client, world.sysadmin, f"/admin/accounts/certificate/{revoked.pk}/change/",
               cert_form(revoked, revoked="on"))
    renewed = world.expired.certificates.get()
    admin_post(client, world.sysadmin, f"/admin/accounts/certificate/{renewed.pk}/change/",
               cert_form(renewed, valid_until=(today() + datetime.timedelta(days=365)).isoformat()))

    # The system administrator: a person added, one moved to another unit, one deactivated, a
    # password reset. The security administrator: a role granted on the form.
    admin_post(client, world.sysadmin, "/admin/accounts/user/add/", {
        "username": "houlai", "full_name": "后来者", "agency": world.agency.pk, "unit": world.unit.pk,
        "password1": world.PASSWORD, "password2": world.PASSWORD, "usable_password": "true"})
    admin_post(client, world.sysadmin, f"/admin/accounts/user/{world.officer3.pk}/change/",
               user_form(world.officer3, unit=world.other_unit.pk))
    admin_post(client, world.sysadmin, f"/admin/accounts/user/{auditor.pk}/change/", user_form(auditor, is_active=None))
    admin_post(client, world.sysadmin, f"/admin/accounts/user/{world.outsider.pk}/password/",
               {"password1": "Another-secret-2026", "password2": "Another-secret-2026", "usable_password": "true"})
    houlai = User.objects.get(username="houlai")
    assert houlai.must_change_password and User.objects.get(pk=world.outsider.pk).must_change_password
    admin_post(client, security, f"/admin/accounts/user/{houlai.pk}/change/",
               {"groups": [acc.role_group(Role.ARCHIVIST).pk]})
    assert houlai.role_codes() == {"archivist"}
    # Logins change last_login (and may rehash the password): not part of anyone's state.
    client.logout()
    assert client.post("/login/", {"username": "zhang", "password": world.PASSWORD}).status_code == 302

    assert User.objects.get(pk=world.officer3.pk).unit_id == world.other_unit.pk
    assert not User.objects.get(pk=auditor.pk).is_active
    assert Certificate.objects.get(pk=revoked.pk).revoked
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]

    # One object type per model, for the admin's events as for the services'; each carries the
    # digest of the row as saved.
    admin = Entry.objects.filter(action__startswith="admin.")
    assert set(admin.values_list("object_type", flat=True)) == {"agency", "unit", "certificate", "user"}
    for entry in admin:
        assert event_of(entry)["content_sha256"], entry
    root = User.objects.get(username="root")
    assert last_state_entry("user", root.pk).action == "accounts.user_create"
    assert event_of(last_state_entry("certificate", renewed.pk))["content_sha256"] == renewed.ledger_digest()


def test_state_is_what_the_model_declares(world):
    """The digest covers the declared columns, read back from the database, as plain JSON."""
    cert = world.officer.certificates.get()
    assert canonical_bytes(cert.ledger_state()) == canonical_bytes({
        "holder_id": world.officer.pk, "number": cert.number, "issued_by": "",
        "valid_from": cert.valid_from.isoformat(), "valid_until": cert.valid_until.isoformat(), "revoked": False})
    assert cert.ledger_digest() == state_digest(cert.ledger_state())
    # Booleans as JSON true/false on every database (1 == True in Python: compare the bytes).
    assert canonical_bytes(world.officer.ledger_state()) == canonical_bytes({
        "username": "zhang", "agency_id": world.agency.pk, "unit_id": world.unit.pk,
        "is_active": True, "is_staff": False, "is_superuser": False, "must_change_password": False,
        "password_reset_pending": False})
    event = event_of(Entry.objects.get(action="accounts.certificate_issue", object_id=str(cert.pk)))
    assert event["object"]["type"] == "certificate" and event["detail"]["holder"] == world.officer.pk
    assert event["content_sha256"] == cert.ledger_digest()


# ---- certificates -------------------------------------------------------------------------------

def test_expired_certificate_extended_by_sql(verified_world):
    cert = verified_world.expired.certificates.get()
    sql("UPDATE accounts_certificate SET valid_until = %s WHERE id = %s",
        [connection.ops.adapt_datefield_value(today() + datetime.timedelta(days=365)), cert.pk])
    acc.require_valid_certificate(User.objects.get(pk=verified_world.expired.pk))  # the expired officer may act again…
    f = found(verify_log(), "altered", f"certificate:{cert.pk}",
              Entry.objects.get(action="accounts.certificate_issue", object_id=str(cert.pk)))
    assert "执法证" in f.message  # …and verify says so


def test_revoked_certificate_restored_by_sql(client, verified_world):
    cert = verified_world.officer2.certificates.get()
    admin_post(client, verified_world.sysadmin, f"/admin/accounts/certificate/{cert.pk}/change/", cert_form(cert, revoked="on"))
    integrate_all()
    assert verify_log().ok
    sql("UPDATE accounts_certificate SET revoked = %s WHERE id = %s", [False, cert.pk])
    # The revocation through the admin is the state the row is held to.
    found(verify_log(), "altered", f"certificate:{cert.pk}",
          Entry.objects.get(action="admin.change", object_type="certificate", object_id=str(cert.pk)))


def test_certificate_inserted_by_sql(verified_world):
    sql("INSERT INTO accounts_certificate (holder_id, number, issued_by, valid_from, valid_until, revoked) "
        "VALUES (%s, %s, %s, %s, %s, %s)",
        [verified_world.unit_head.pk, "14017777", "", connection.ops.adapt_datefield_value(today()),
         connection.ops.adapt_datefield_value(today() + datetime.timedelta(days=365)), False])
    cert = Certificate.objects.get(number="14017777")
    report = verify_log()
    found(report, "inserted", f"certificate:{cert.pk}")
    assert state_findings(report) == [str(f) for f in report.findings if f.object == f"certificate:{cert.pk}"]


def test_certificate_deleted_by_sql(verified_world):
    cert = verified_world.outsider.certificates.get()
    sql("DELETE FROM accounts_certificate WHERE id = %s", [cert.pk])
    found(verify_log(), "deleted", f"certificate:{cert.pk}",
          Entry.objects.get(action="accounts.certificate_issue", object_id=str(cert.pk)))


def test_certificate_given_to_someone_else_by_sql(verified_world):
    cert = verified_world.officer.certificates.get()
    sql("UPDATE accounts_certificate SET holder_id = %s WHERE id = %s", [verified_world.unit_head.pk, cert.pk])
    found(verify_log(), "altered", f"certificate:{cert.pk}")


# ---- people -------------------------------------------------------------------------------------

@pytest.mark.parametrize("column,value", [
    ("unit_id", "other_unit"),  # would see the other unit's cases
    ("agency_id", None),
    ("is_superuser", True),  # bypasses every permission
    ("is_staff", True),
    ("is_active", False),
    ("username", "zhangsan"),
])
def test_user_changed_by_sql(verified_world, column, value):
    user = verified_world.outsider if column == "unit_id" else verified_world.officer
    if value == "other_unit":
        value = verified_world.unit.pk
    sql(f"UPDATE accounts_user SET {column} = %s WHERE id = %s", [value, user.pk])
    report = verify_log()
    found(report, "altered", f"user:{user.pk}", Entry.objects.get(action="accounts.user_create",
                                                                   object_id=str(user.pk)))
    assert len(state_findings(report)) == 1


def test_admin_access_removed_by_sql_points_at_the_grant(verified_world):
    """The system administrator's state was last logged by the grant that made them staff."""
    sql("UPDATE accounts_user SET is_staff = %s WHERE id = %s", [False, verified_world.sysadmin.pk])
    grant = Entry.objects.get(action="accounts.role_grant", object_id=str(verified_world.sysadmin.pk))
    assert event_of(grant)["content_sha256"]
    found(verify_log(), "altered", f"user:{verified_world.sysadmin.pk}", grant)


def test_user_moved_after_an_admin_change_points_at_it(client, verified_world):
    admin_post(client, verified_world.sysadmin, f"/admin/accounts/user/{verified_world.officer3.pk}/change/",
               user_form(verified_world.officer3, email="w@example.cn"))
    sql("UPDATE accounts_user SET unit_id = %s WHERE id = %s", [verified_world.other_unit.pk, verified_world.officer3.pk])
    integrate_all()  # verify only reads: the admin change's entry gets its leaf index from the integrator
    found(verify_log(), "altered", f"user:{verified_world.officer3.pk}",
          Entry.objects.get(action="admin.change", object_type="user", object_id=str(verified_world.officer3.pk)))


def test_user_inserted_by_sql(verified_world):
    sql("INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
        "is_active, date_joined, full_name, agency_id, unit_id, phone, must_change_password, password_reset_pending) "
        "VALUES (%s, %s, %s, '', '', '', %s, %s, %s, %s, %s, %s, '', %s, %s)",
        ["!", True, "ghost", True, True, connection.ops.adapt_datetimefield_value(timezone.now()), "幽灵",
         verified_world.agency.pk, verified_world.unit.pk, False, False])
    ghost = User.objects.get(username="ghost")
    found(verify_log(), "inserted", f"user:{ghost.pk}")


def test_what_is_not_state_may_change(verified_world):
    """Logins set last_login and may rehash the password; names and phones decide nothing."""
    sql("UPDATE accounts_user SET last_login = %s, password = %s, full_name = %s, email = %s WHERE id = %s",
        [connection.ops.adapt_datetimefield_value(timezone.now()), "!", "张明明", "z@example.cn", verified_world.officer.pk])
    assert state_findings(verify_log()) == []


# ---- agencies and units -------------------------------------------------------------------------

def test_agency_changed_by_sql(verified_world):
    sql("UPDATE accounts_agency SET short_name = %s WHERE id = %s", ["假水", verified_world.agency.pk])
    found(verify_log(), "altered", f"agency:{verified_world.agency.pk}",
          Entry.objects.get(action="accounts.agency_create", object_id=str(verified_world.agency.pk)))


def test_unit_moved_to_another_agency_by_sql(verified_world):
    other = acc.create_agency(None, name="另一局", short_name="另")
    integrate_all()
    sql("UPDATE accounts_unit SET agency_id = %s WHERE id = %s", [other.pk, verified_world.other_unit.pk])
    report = verify_log()
    found(report, "altered", f"unit:{verified_world.other_unit.pk}",
          Entry.objects.get(action="accounts.unit_create", object_id=str(verified_world.other_unit.pk)))
    assert len(state_findings(report)) == 1


def test_unit_inserted_and_agency_inserted_by_sql(verified_world):
    sql("INSERT INTO accounts_agency (name, short_name, credit_code, address, phone) VALUES (%s, %s, '', '', '')",
        ["影子局", "影"])
    agency = Agency.objects.get(name="影子局")
    sql("INSERT INTO accounts_unit (agency_id, name) VALUES (%s, %s)", [agency.pk, "影子科"])
    unit = Unit.objects.get(name="影子科")
    report = verify_log()
    found(report, "inserted", f"agency:{agency.pk}")
    found(report, "inserted", f"unit:{unit.pk}")


# ---- an existing database, upgraded -------------------------------------------------------------

def _migration(name):
    return importlib.import_module(f"liuhen.accounts.migrations.{name}")


def test_migrations_froze_the_state_the_models_declare():
    """Each baseline migration froze the state columns of its time: a change to a model's
    ledger_state_fields needs a new one (as 0003 did for must_change_password)."""
    from django.apps import apps

    frozen = {object_type: (name, fields) for object_type, name, fields in _migration("0002_ledger_state").STATES}
    frozen["user"] = ("User", _migration("0005_password_reset_pending").NEW_FIELDS)
    assert _migration("0003_must_change_password").OLD_FIELDS == _migration("0002_ledger_state").STATES[2][2]
    assert _migration("0005_password_reset_pending").OLD_FIELDS == _migration("0003_must_change_password").NEW_FIELDS
    for object_type, (name, fields) in frozen.items():
        model = apps.get_model("accounts", name)
        assert (model.ledger_object_type, model.ledger_state_fields) == (object_type, fields)


def _upgrade_from_before_0002(apps):
    with transaction.atomic():
        _migration("0002_ledger_state").log_baseline(apps, SimpleNamespace(connection=connection))
    with transaction.atomic():
        _migration("0003_must_change_password").log_new_state(apps, SimpleNamespace(connection=connection))
    with transaction.atomic():
        _migration("0005_password_reset_pending").log_new_state(apps, SimpleNamespace(connection=connection))


def test_baseline_migrations_adopt_existing_rows(verified_world):
    """Rows from before verify checked their state (here: inserted behind the log) are adopted by
    the baseline events of 0002, and 0003 logs their state with the new column; afterwards verify
    is clean again and holds them to it."""
    from django.apps import apps

    sql("UPDATE accounts_user SET unit_id = %s WHERE id = %s", [verified_world.other_unit.pk, verified_world.officer.pk])
    assert state_findings(verify_log())
    _upgrade_from_before_0002(apps)
    integrate_all()  # verify only reads: the baseline's entries get their leaf indexes from the integrator
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    baseline = Entry.objects.filter(action="accounts.state_baseline")
    assert baseline.count() == sum(m.objects.count() for m in (Agency, Unit, User, Certificate)) + 2 * User.objects.count()
    sql("UPDATE accounts_user SET unit_id = %s WHERE id = %s", [verified_world.unit.pk, verified_world.officer.pk])
    last = baseline.filter(object_type="user", object_id=str(verified_world.officer.pk)).latest("id")
    assert event_of(last)["detail"] == {"migration": "accounts.0005_password_reset_pending"}
    found(verify_log(), "altered", f"user:{verified_world.officer.pk}", last)


def test_must_change_password_migration_adopts_no_row_changed_behind_the_log(verified_world):
    """0003 logs the new state only of people whose row still matches the last state logged: a row
    changed by SQL before the upgrade stays reported, against the event it contradicts."""
    from django.apps import apps

    with transaction.atomic():  # the log as a database from before 0003 has it
        _migration("0002_ledger_state").log_baseline(apps, SimpleNamespace(connection=connection))
    old = Entry.objects.filter(action="accounts.state_baseline", object_type="user",
                               object_id=str(verified_world.officer.pk)).get()
    sql("UPDATE accounts_user SET unit_id = %s WHERE id = %s", [verified_world.other_unit.pk, verified_world.officer.pk])
    with transaction.atomic():
        _migration("0003_must_change_password").log_new_state(apps, SimpleNamespace(connection=connection))
    adopted = [e for e in Entry.objects.filter(action="accounts.state_baseline", object_type="user")
         if event_of(e)["detail"]["migration"] == "accounts.0003_must_change_password"]
    assert str(verified_world.officer.pk) not in {e.object_id for e in adopted}
    assert len(adopted) == User.objects.count() - 1
    with transaction.atomic():  # and 0005 after it, which adopts it no more than 0003 did
        _migration("0005_password_reset_pending").log_new_state(apps, SimpleNamespace(connection=connection))
    later = [e for e in Entry.objects.filter(action="accounts.state_baseline", object_type="user")
             if event_of(e)["detail"]["migration"] == "accounts.0005_password_reset_pending"]
    assert str(verified_world.officer.pk) not in {e.object_id for e in later}
    assert len(later) == User.objects.count() - 1
    integrate_all()
    report = verify_log()
    f = found(report, "altered", f"user:{verified_world.officer.pk}", old)
    assert f.code == "accounts.E004"
    assert state_findings(report) == [str(f)]


def test_rolling_a_row_back_and_swapping_entry_ids_is_still_found(verified_world):
    """The last state logged is the last in the tree, not the entry with the highest id: swapping two
    entries' ids (their leaves stay where the tree has them) cannot make an older state the last."""
    w = verified_world
    officer = w.officer
    create = Entry.objects.get(action="accounts.user_create", object_id=str(officer.pk))
    with transaction.atomic():  # a legitimate move to the other unit, logged with its state
        User.objects.filter(pk=officer.pk).update(unit=w.other_unit)
        change = ledger.append("admin.change", actor=w.sysadmin, object_type="user", object_id=officer.pk,
                               content_sha256=User.objects.get(pk=officer.pk).ledger_digest(),
                               detail={"message": "moved"})
    integrate_all()
    assert verify_log().ok
    sql("UPDATE accounts_user SET unit_id = %s WHERE id = %s", [w.unit.pk, officer.pk])  # rolled back
    drop_append_only("ledger_entry", "ledger_sequenced")
    a, b = create.pk, change.pk
    for src, dst in ((a, -1), (b, a), (-1, b)):
        sql("UPDATE ledger_entry SET id = %s WHERE id = %s", [dst, src])
        sql("UPDATE ledger_sequenced SET entry_id = %s WHERE entry_id = %s", [dst, src])
    report = verify_log()
    found(report, "altered", f"user:{officer.pk}")
