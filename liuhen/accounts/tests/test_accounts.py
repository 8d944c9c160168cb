"""Accounts: 三员分立, role grants, certificates, login tracing, encrypted staff phone numbers."""
import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.models import Certificate, User
from liuhen.accounts.roles import ADMIN_ROLES, Role
from liuhen.common import crypto
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.accounts import audit_admin, security_admin


def today():
    return timezone.localdate()  # at each use, not at import: a run may cross midnight


DAY = datetime.timedelta(days=1)
BUSINESS_ROLES = [r for r in Role if r not in ADMIN_ROLES]




def _user(world, username, roles=(), **kw):
    return acc.create_user(None, username=username, full_name=kw.pop("full_name", username), password=world.PASSWORD,
                           agency=world.agency, unit=kw.pop("unit", None), roles=roles, **kw)


# ---- 三员分立 --------------------------------------------------------------------------------

@pytest.mark.parametrize("a,b", list(itertools.combinations(sorted(ADMIN_ROLES), 2)))
def test_two_admin_roles_cannot_be_combined(a, b):
    with pytest.raises(ValidationError) as exc:
        acc.check_role_combination({str(a), str(b)})
    msg = exc.value.messages[0]
    assert msg.startswith("三员分立：")
    assert Role(a).label in msg and Role(b).label in msg
    assert "不能由同一人兼任" in msg


def test_all_three_admin_roles_cannot_be_combined():
    with pytest.raises(ValidationError, match="三员分立"):
        acc.check_role_combination({str(r) for r in ADMIN_ROLES})


@pytest.mark.parametrize("admin", sorted(ADMIN_ROLES))
@pytest.mark.parametrize("business", BUSINESS_ROLES)
def test_admin_role_cannot_be_combined_with_business_role(admin, business):
    with pytest.raises(ValidationError) as exc:
        acc.check_role_combination({str(admin), str(business)})
    assert exc.value.messages == [f"三员分立：{Role(admin).label}不能同时担任业务角色。"]


@pytest.mark.parametrize("roles", [set(), {"officer"}, {"officer", "unit_head"}, {"system_admin"},
                                   {"audit_admin"}, {"agency_head", "legal_reviewer", "archivist"}])
def test_allowed_role_combinations(roles):
    assert acc.check_role_combination(roles) is None


def test_create_user_with_conflicting_roles_leaves_nothing(world):
    before = Entry.objects.count()
    with pytest.raises(ValidationError, match="三员分立"):
        _user(world, "dual", roles=[Role.SYSTEM_ADMIN, Role.OFFICER])
    with pytest.raises(ValidationError, match="三员分立"):
        _user(world, "dual2", roles=[Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
    assert not User.objects.filter(username__in=["dual", "dual2"]).exists()
    assert Entry.objects.count() == before


def test_grant_second_admin_role_refused_and_unchanged(world):
    with pytest.raises(ValidationError) as exc:
        acc.grant_role(None, world.sysadmin, Role.AUDIT_ADMIN)
    assert "三员分立" in exc.value.messages[0]
    fresh = User.objects.get(pk=world.sysadmin.pk)
    assert fresh.role_codes() == {"system_admin"}


def test_admin_cannot_be_given_a_business_role(world):
    with pytest.raises(ValidationError, match="不能同时担任业务角色"):
        acc.grant_role(world.sysadmin, world.sysadmin, Role.OFFICER)
    with pytest.raises(ValidationError, match="不能同时担任业务角色"):
        acc.grant_role(None, world.officer, Role.SECURITY_ADMIN)
    assert User.objects.get(pk=world.officer.pk).role_codes() == {"officer"}


def test_nobody_grants_themselves_a_role(world):
    root = User.objects.create_superuser("root", password=world.PASSWORD)
    with pytest.raises(ValidationError) as exc:
        acc.grant_role(root, root, Role.SECURITY_ADMIN)
    assert exc.value.messages == ["三员分立：不能修改本人的角色。"]
    assert User.objects.get(pk=root.pk).role_codes() == set()


def test_superuser_only_bootstraps_the_administrators(world):
    """A superuser (`createsuperuser`) creates the administrators' accounts and grants their roles,
    and nothing else: a case role is the security administrator's to grant."""
    root = User.objects.create_superuser("root", password=world.PASSWORD)
    admin = acc.create_user(root, username="xinanquan", full_name="新安全管理员", password=world.PASSWORD,
                            agency=world.agency, roles=[Role.SECURITY_ADMIN])
    assert admin.role_codes() == {"security_admin"} and admin.is_staff and admin.must_change_password
    with pytest.raises(PermissionDenied, match="超级用户只用于初始化三员管理员"):
        acc.grant_role(root, world.officer3, Role.UNIT_HEAD)
    with pytest.raises(PermissionDenied, match="超级用户只用于初始化三员管理员"):
        acc.create_user(root, username="ghost", full_name="幽灵", password=world.PASSWORD, agency=world.agency,
                        roles=[Role.AGENCY_HEAD])
    assert not User.objects.filter(username="ghost").exists()
    assert User.objects.get(pk=world.officer3.pk).role_codes() == {"officer"}
    denied = Entry.objects.filter(action="accounts.denied", actor_id=root.pk)
    assert [event_of(e)["detail"]["act"] for e in denied] == ["role_grant"]  # the other rolled back with its act


@pytest.mark.parametrize("before,after", [({"system_admin"}, {"officer"}), ({"officer"}, {"audit_admin"}),
                                          ({"legal_reviewer", "archivist"}, {"security_admin"})])
def test_no_move_between_admin_and_case_roles(world, before, after):
    with pytest.raises(ValidationError, match="不能将管理员调整为业务角色"):
        acc.check_role_change(security_admin(world), world.officer3, before, after)


def test_role_changes_that_keep_the_separation(world):
    security = security_admin(world)
    for before, after in [(set(), {"officer"}), ({"officer"}, {"officer", "unit_head"}), ({"system_admin"}, set()),
                          (set(), {"audit_admin"}), ({"officer"}, {"officer"})]:
        assert acc.check_role_change(security, world.officer3, before, after) is None


def test_only_the_security_admin_grants_roles(world):
    """三员分立: not the system administrator (who creates accounts), the audit administrator or
    anyone else; each refusal is in the ledger."""
    for actor in (world.officer, world.unit_head, world.agency_head, world.sysadmin, audit_admin(world)):
        with pytest.raises(PermissionDenied) as exc:
            acc.grant_role(actor, world.officer3, Role.UNIT_HEAD)
        assert str(exc.value) == "三员分立：只有安全管理员可以授予或撤销角色。"
        with pytest.raises(PermissionDenied):
            acc.revoke_role(actor, world.officer3, Role.OFFICER)
        denied = Entry.objects.filter(action="accounts.denied", actor_id=actor.pk).order_by("id")
        assert [event_of(e)["detail"]["act"] for e in denied] == ["role_grant", "role_revoke"]
        assert denied[0].object_id == str(world.officer3.pk)
    assert User.objects.get(pk=world.officer3.pk).role_codes() == {"officer"}
    assert not Entry.objects.filter(action__startswith="accounts.role_", actor_id__isnull=False).exists()


def test_grant_and_revoke_by_the_security_admin_are_logged(world):
    granter = security_admin(world)
    acc.grant_role(granter, world.officer3, Role.UNIT_HEAD)
    assert world.officer3.role_codes() == {"officer", "unit_head"}  # cache refreshed
    assert User.objects.get(pk=world.officer3.pk).has_role(Role.UNIT_HEAD)
    entry = Entry.objects.filter(action="accounts.role_grant").latest("id")
    assert entry.actor_id == granter.pk
    assert entry.object_id == str(world.officer3.pk)
    ev = event_of(entry)
    assert ev["detail"] == {"role": "unit_head", "username": "wang"}
    assert ev["actor"]["roles"] == ["security_admin"]
    acc.revoke_role(granter, world.officer3, Role.UNIT_HEAD)
    assert User.objects.get(pk=world.officer3.pk).role_codes() == {"officer"}
    assert event_of(Entry.objects.filter(action="accounts.role_revoke").latest("id"))["detail"]["role"] == "unit_head"


def test_create_user_unit_must_belong_to_agency(world):
    from liuhen.accounts.models import Agency, Unit

    other = Agency.objects.create(name="另一局", short_name="另")
    foreign_unit = Unit.objects.create(agency=other, name="监察队")
    with pytest.raises(ValidationError, match="所属科室不属于该执法机关"):
        _user(world, "foreign", unit=foreign_unit)
    assert not User.objects.filter(username="foreign").exists()


def test_create_user_is_logged_without_password_or_name(world):
    user = _user(world, "newbie", roles=[Role.OFFICER], full_name="新人甲", unit=world.unit)
    entry = Entry.objects.get(action="accounts.user_create", object_id=str(user.pk))
    assert event_of(entry)["detail"] == {"username": "newbie", "agency": world.agency.pk, "unit": world.unit.pk}
    assert world.PASSWORD.encode() not in bytes(entry.leaf)
    _no_leaf_contains("新人甲")  # the person's name is personal data: not in any leaf
    assert user.check_password(world.PASSWORD)


def test_create_user_enforces_password_rules(world):
    with pytest.raises(ValidationError):
        acc.create_user(None, username="weak", full_name="弱密码", password="123", agency=world.agency)


# ---- 执法证 ----------------------------------------------------------------------------------

def test_valid_certificate_returned(world):
    cert = acc.require_valid_certificate(world.officer)
    assert cert.holder_id == world.officer.pk
    assert cert.number == "1401000001"


def test_expired_certificate_refused(world):
    with pytest.raises(ValidationError) as exc:
        acc.require_valid_certificate(world.expired)
    number = world.expired.certificates.get().number
    assert exc.value.messages == [
        f"赵刚的执法证（{number}）已于{(today() - DAY).isoformat()}过期，不能从事执法活动。"]


def test_revoked_certificate_refused(world):
    cert = world.officer.certificates.get()
    cert.revoked = True
    cert.save()
    with pytest.raises(ValidationError) as exc:
        acc.require_valid_certificate(world.officer)
    assert exc.value.messages == [f"张明的执法证（{cert.number}）已注销，不能从事执法活动。"]
    assert world.officer.certificate_on() is None


def test_missing_certificate_refused(world):
    with pytest.raises(ValidationError) as exc:
        acc.require_valid_certificate(world.unit_head)
    assert exc.value.messages == ["陈队长没有执法证，不能从事执法活动。"]


def test_certificate_checked_on_a_given_day(world):
    # Yesterday the expired officer's certificate was still valid.
    assert acc.require_valid_certificate(world.expired, today() - DAY).number == world.expired.certificates.get().number
    with pytest.raises(ValidationError):
        acc.require_valid_certificate(world.officer, today() + datetime.timedelta(days=366))


def test_not_yet_valid_certificate_message(world):
    acc.issue_certificate(None, world.unit_head, number="F-1", valid_from=today() + DAY,
                          valid_until=today() + 400 * DAY)
    with pytest.raises(ValidationError) as exc:
        acc.require_valid_certificate(world.unit_head)
    msg = exc.value.messages[0]
    assert "F-1" in msg
    assert "过期" not in msg


def test_certificate_on_picks_the_valid_one(world):
    user = world.unit_head
    acc.issue_certificate(None, user, number="OLD", valid_from=today() - 800 * DAY, valid_until=today() - 400 * DAY)
    revoked = acc.issue_certificate(None, user, number="REV", valid_from=today() - DAY, valid_until=today() + 900 * DAY)
    revoked.revoked = True
    revoked.save()
    acc.issue_certificate(None, user, number="FUT", valid_from=today() + 10 * DAY, valid_until=today() + 999 * DAY)
    acc.issue_certificate(None, user, number="NOW", valid_from=today() - DAY, valid_until=today() + 30 * DAY)
    acc.issue_certificate(None, user, number="NOW2", valid_from=today(), valid_until=today() + 60 * DAY)
    assert user.certificate_on().number == "NOW2"  # the valid one lasting longest
    assert user.certificate_on(today() - 500 * DAY).number == "OLD"
    assert user.certificate_on(today() + 100 * DAY).number == "FUT"
    assert user.certificate_on(today() - 1000 * DAY) is None
    assert acc.require_valid_certificate(user).number == "NOW2"


def test_certificate_is_valid_on_bounds(world):
    cert = world.officer.certificates.get()
    assert cert.is_valid_on(cert.valid_from) and cert.is_valid_on(cert.valid_until)
    assert not cert.is_valid_on(cert.valid_until + DAY)
    assert not cert.is_valid_on(cert.valid_from - DAY)


def test_issue_certificate_checks_dates_and_uniqueness(world):
    with pytest.raises(ValidationError, match="有效期止不能早于有效期起"):
        acc.issue_certificate(None, world.unit_head, number="X1", valid_from=today(), valid_until=today() - DAY)
    with pytest.raises(ValidationError):
        acc.issue_certificate(None, world.unit_head, number="1401000001", valid_from=today(), valid_until=today())
    assert not Certificate.objects.filter(holder=world.unit_head).exists()


def test_issue_certificate_is_logged(world):
    cert = acc.issue_certificate(world.sysadmin, world.unit_head, number=" 99 ", valid_from=today(),
                                 valid_until=today())
    entry = Entry.objects.filter(action="accounts.certificate_issue").latest("id")
    assert entry.actor_id == world.sysadmin.pk
    # About the certificate, whose state the event carries; the holder in the detail.
    assert (entry.object_type, entry.object_id) == ("certificate", str(cert.pk))
    assert event_of(entry)["detail"] == {"holder": world.unit_head.pk, "number": "99", "valid_from": str(today()),
                                         "valid_until": str(today())}
    assert event_of(entry)["content_sha256"] == cert.ledger_digest()


# ---- login tracing ---------------------------------------------------------------------------

def _no_leaf_contains(secret: str):
    for entry in Entry.objects.all():
        assert secret.encode("utf-8") not in bytes(entry.leaf), entry


def test_login_is_logged_without_password(client, world):
    resp = client.post("/login/", {"username": "zhang", "password": world.PASSWORD})
    assert resp.status_code == 302
    entry = Entry.objects.filter(action="auth.login").latest("id")
    assert entry.actor_id == world.officer.pk
    ev = event_of(entry)
    assert ev["object"] == {"type": "user", "id": str(world.officer.pk), "version": None}
    assert ev["request"]["channel"] == "web"
    _no_leaf_contains(world.PASSWORD)


def test_failed_login_is_logged_without_password(client, world):
    tried = "Wrong-Secret-7731"
    resp = client.post("/login/", {"username": "zhang", "password": tried})
    assert resp.status_code == 200
    assert "用户名或密码不正确" in resp.content.decode()
    entries = list(Entry.objects.filter(action="auth.login_failed"))
    assert len(entries) == 1
    assert entries[0].actor_id is None
    assert event_of(entries[0])["detail"] == {"username": "zhang"}
    assert not Entry.objects.filter(action="auth.login").exists()
    _no_leaf_contains(tried)
    _no_leaf_contains(world.PASSWORD)


def test_failed_login_of_unknown_user_is_logged(client, world):
    client.post("/login/", {"username": "nobody", "password": "whatever-123456"})
    entry = Entry.objects.get(action="auth.login_failed")
    assert event_of(entry)["detail"] == {"username": "nobody"}


def test_logout_is_logged(client, world):
    client.post("/login/", {"username": "li", "password": world.PASSWORD})
    client.post("/logout/")
    entry = Entry.objects.filter(action="auth.logout").latest("id")
    assert entry.actor_id == world.officer2.pk


# ---- staff personal information ------------------------------------------------------------

def test_staff_phone_encrypted_at_rest(world):
    user = _user(world, "phoned", phone="13812345678")
    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        raw = cur.fetchone()[0]
    assert "13812345678" not in raw
    assert raw.startswith("intl:")
    assert crypto.decrypt(raw) == "13812345678"
    fresh = User.objects.get(pk=user.pk)
    assert fresh.phone == "13812345678"
    assert fresh.masked_phone == "138****5678"
    _no_leaf_contains("13812345678")


def test_staff_phone_encrypted_with_gm_suite(world, settings):
    settings.LIUHEN_CRYPTO = "gm"
    user = _user(world, "gmphone", phone="13900001111")
    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        raw = cur.fetchone()[0]
    assert raw.startswith("gm:") and "13900001111" not in raw
    assert User.objects.get(pk=user.pk).phone == "13900001111"


def test_role_labels_and_display_name(world):
    assert world.officer.role_labels() == ["执法人员"]
    assert world.officer.display_name == "张明"
    assert str(world.officer) == "张明"
