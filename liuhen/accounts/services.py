"""Writes on agency, people, roles and certificates — each with its ledger entry."""
import datetime

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.ledger import services as ledger

from .models import Agency, Certificate, Unit, User
from .roles import ADMIN_ROLES, Role


def check_role_combination(roles: set[str]) -> None:
    """三员分立 (SPEC §9): an administrator holds exactly one admin role and no case role."""
    admin = roles & {str(r) for r in ADMIN_ROLES}
    if len(admin) > 1:
        names = "、".join(Role(r).label for r in sorted(admin))
        raise ValidationError(f"三员分立：{names}不能由同一人兼任。")
    if admin and roles - admin:
        raise ValidationError(f"三员分立：{Role(next(iter(admin))).label}不能同时担任业务角色。")


def check_role_change(actor, user: User, before: set[str], after: set[str]) -> None:
    """三员分立 for a change of someone's roles (the configuration admin's user form): the new set
    must be an allowed combination; nobody changes their own roles; and nobody is moved in one step
    between an administrator role and a case role."""
    check_role_combination(after)
    if before == after:
        return
    if actor is not None and user.pk is not None and actor.pk == user.pk:
        raise ValidationError("三员分立：不能修改本人的角色。")
    admin = {str(r) for r in ADMIN_ROLES}
    if (before & admin and after - admin) or (before - admin and after & admin):
        raise ValidationError("三员分立：不能将管理员调整为业务角色，也不能将业务人员调整为管理员。")


def log_role_changes(actor, user: User, before: set[str], after: set[str]) -> None:
    """One ledger event per role granted or revoked (call inside the transaction that changed them)."""
    for action, roles in (("accounts.role_revoke", before - after), ("accounts.role_grant", after - before)):
        for role in sorted(roles):
            ledger.append(action, actor=actor, object_type=User.ledger_object_type, object_id=user.pk,
                          detail={"role": role, "username": user.username})
    user.__dict__.pop("_role_codes", None)


# What each administrator may do in the configuration admin (三员分立: the system administrator
# configures, the security administrator manages people and roles; neither sees case content).
ADMIN_PERMISSIONS = {
    Role.SYSTEM_ADMIN: [("accounts", m, a) for m in ("agency", "unit", "certificate") for a in ("add", "change", "view")]
    + [("records", "recordtype", a) for a in ("add", "change", "view")] + [("accounts", "user", "view")],
    # Roles are fixed groups (Group is not in the admin): the security administrator assigns them on
    # the user form, nothing more.
    Role.SECURITY_ADMIN: [("accounts", "user", a) for a in ("add", "change", "view")],
}


def role_group(role: Role) -> Group:
    """The auth Group of a role, created with its admin permissions on first use."""
    from django.contrib.auth.models import Permission

    group, created = Group.objects.get_or_create(name=str(role))
    if created and role in ADMIN_PERMISSIONS:
        for app_label, model, action in ADMIN_PERMISSIONS[role]:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label,
                                                         codename=f"{action}_{model}"))
    return group


@transaction.atomic
def grant_role(actor, user: User, role: str) -> None:
    role = Role(role)
    if actor is not None and not actor.is_superuser and not actor.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        raise PermissionDenied("只有系统管理员或安全管理员可以分配角色。")
    check_role_change(actor, user, user.role_codes(), user.role_codes() | {str(role)})
    group = role_group(role)
    user.groups.add(group)
    state = ""
    if role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN) and not user.is_staff:
        user.is_staff = True  # may open the configuration admin, with its group's permissions only
        user.save(update_fields=["is_staff"])
        state = user.ledger_digest()  # the user's state changed: the grant logs the new one
    user.__dict__.pop("_role_codes", None)
    ledger.append("accounts.role_grant", actor=actor, object_type=User.ledger_object_type, object_id=user.pk,
                  content_sha256=state, detail={"role": str(role), "username": user.username})


@transaction.atomic
def create_user(actor, *, username: str, full_name: str, password: str, agency: Agency | None,
                unit: Unit | None = None, roles=(), phone: str = "") -> User:
    if unit is not None and agency is not None and unit.agency_id != agency.pk:
        raise ValidationError("所属科室不属于该执法机关。")
    check_role_combination({str(Role(r)) for r in roles})
    user = User(username=username, full_name=full_name, agency=agency, unit=unit, phone=phone)
    validate_password(password, user)  # SPEC §9: password rules (AUTH_PASSWORD_VALIDATORS)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    # Ids and the login name only: a person's name is personal data and stays out of the ledger.
    ledger.append("accounts.user_create", actor=actor, object_type=User.ledger_object_type, object_id=user.pk,
                  content_sha256=user.ledger_digest(),
                  detail={"username": username, "agency": agency.pk if agency else None,
                          "unit": unit.pk if unit else None})
    for role in roles:
        grant_role(actor, user, role)
    return user


@transaction.atomic
def issue_certificate(actor, holder: User, *, number: str, valid_from: datetime.date,
                      valid_until: datetime.date, issued_by: str = "") -> Certificate:
    if valid_until < valid_from:
        raise ValidationError("执法证有效期止不能早于有效期起。")
    cert = Certificate(holder=holder, number=number.strip(), valid_from=valid_from,
                       valid_until=valid_until, issued_by=issued_by)
    cert.full_clean()
    cert.save()
    # About the certificate itself (its validity is what verify checks); the holder in the detail.
    ledger.append("accounts.certificate_issue", actor=actor, object_type=Certificate.ledger_object_type,
                  object_id=cert.pk, content_sha256=cert.ledger_digest(),
                  detail={"holder": holder.pk, "number": cert.number, "valid_from": cert.valid_from.isoformat(),
                          "valid_until": cert.valid_until.isoformat()})
    return cert


@transaction.atomic
def create_agency(actor, *, name: str, short_name: str, credit_code: str = "", address: str = "",
                  phone: str = "") -> Agency:
    """A new 执法机关, with its state in the ledger (later changes go through the admin)."""
    agency = Agency(name=name.strip(), short_name=short_name.strip(), credit_code=credit_code.strip(),
                    address=address.strip(), phone=phone.strip())
    agency.full_clean()
    agency.save()
    ledger.append("accounts.agency_create", actor=actor, object_type=Agency.ledger_object_type,
                  object_id=agency.pk, content_sha256=agency.ledger_digest(),
                  detail={"name": agency.name, "short_name": agency.short_name})
    return agency


@transaction.atomic
def create_unit(actor, agency: Agency, *, name: str) -> Unit:
    """A new 执法机构/科室 of `agency`, with its state in the ledger."""
    unit = Unit(agency=agency, name=name.strip())
    unit.full_clean()
    unit.save()
    ledger.append("accounts.unit_create", actor=actor, object_type=Unit.ledger_object_type, object_id=unit.pk,
                  content_sha256=unit.ledger_digest(), detail={"agency": agency.pk, "name": unit.name})
    return unit


def require_valid_certificate(user: User, day: datetime.date | None = None) -> Certificate:
    """An officer whose certificate is expired or missing cannot be named on an enforcement act."""
    day = day or timezone.localdate()
    cert = user.certificate_on(day)
    if cert is None:
        latest = user.certificates.order_by("-valid_until").first()
        if latest is None:
            raise ValidationError(f"{user.display_name}没有执法证，不能从事执法活动。")
        if latest.revoked:
            state = "已注销"
        elif latest.valid_from > day:
            state = f"尚未生效（自{latest.valid_from.isoformat()}起有效）"
        else:
            state = f"已于{latest.valid_until.isoformat()}过期"
        raise ValidationError(f"{user.display_name}的执法证（{latest.number}）{state}，不能从事执法活动。")
    return cert
