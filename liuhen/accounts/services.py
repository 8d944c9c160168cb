"""Writes on agency, people, roles and certificates — each with its ledger entry."""
import datetime

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.ledger.models import Entry

from . import passwords
from . import vocabulary as v
from .models import Agency, Certificate, Supervision, SupervisionEnd, Unit, User
from .roles import ADMIN_ROLES, Role


def check_role_combination(roles: set[str]) -> None:
    """三员分立 (SPEC §9): an administrator holds exactly one admin role and no case role."""
    admin = roles & {str(r) for r in ADMIN_ROLES}
    if len(admin) > 1:
        names = "、".join(Role(r).label for r in sorted(admin))
        raise ValidationError(f"三员分立：{names}不能由同一人兼任。", code="admin_roles_combined")
    if admin and roles - admin:
        raise ValidationError(f"三员分立：{Role(next(iter(admin))).label}不能同时担任业务角色。",
                              code="admin_with_business_role")


def acted_on_today(actor, user: User) -> bool:
    """Did `actor` create or change `user`'s account today (local day)? Read from the ledger, where
    every such act is (vocabulary.ACCOUNT_CHANGES)."""
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    return Entry.objects.filter(actor_id=actor.pk, object_type=User.ledger_object_type, object_id=str(user.pk),
                                action__in=v.ACCOUNT_CHANGES, created_at__gte=start).exists()


def home_agency_id(actor):
    """The agency whose people `actor` administers: their own; None — every agency's — for the system
    itself (actor None), a superuser and the platform's administrators (of no agency)."""
    return None if actor is None or actor.is_superuser else actor.agency_id


def check_same_home(actor, agency_id, what: str = "人员") -> None:
    """Several agencies on one instance: an agency's administrators keep only their own agency's
    people (accounts, roles, passwords, 执法证); another agency's are kept by its own or the platform's."""
    home = home_agency_id(actor)
    if home is not None and agency_id != home:
        raise PermissionDenied(f"只能管理本机关的{what}。")


def may_manage_accounts(actor) -> bool:
    """系统管理员 creates and changes accounts and issues 执法证 (not roles); None is the system itself
    (the demo loader, tests); a superuser only bootstraps (creates the administrators' accounts)."""
    return actor is None or actor.is_superuser or actor.has_role(Role.SYSTEM_ADMIN)


def may_assign_roles(actor) -> bool:
    """安全管理员 grants and revokes roles (not accounts); a superuser only the three administrator
    roles, to bootstrap them (check_role_change)."""
    return actor is None or actor.is_superuser or actor.has_role(Role.SECURITY_ADMIN)


def check_role_change(actor, user: User, before: set[str], after: set[str]) -> None:
    """三员分立 for a change of someone's roles — the one gate of the services and the configuration
    admin's user form:

    - the new set is an allowed combination (check_role_combination);
    - nobody changes their own roles;
    - only the security administrator grants or revokes roles; a superuser (created once by
      `createsuperuser` to bootstrap) only the three administrator roles, never a case role;
    - nobody is moved in one step between an administrator role and a case role;
    - nobody grants or revokes roles on an account they created or changed today (两人分权: the
      system administrator creates the account, another person decides what it may do).
    `actor` None is the system itself (demo, tests): only the combination is checked."""
    check_role_combination(after)
    if before == after or actor is None:
        return
    if user.pk is not None and actor.pk == user.pk:
        raise ValidationError("三员分立：不能修改本人的角色。", code="own_roles")
    check_same_home(actor, user.agency_id)
    admin = {str(r) for r in ADMIN_ROLES}
    changed = before ^ after
    bootstrap = actor.is_superuser and not actor.has_role(Role.SECURITY_ADMIN)
    if bootstrap and changed - admin:
        raise PermissionDenied("三员分立：超级用户只用于初始化三员管理员，业务角色须由安全管理员授予。")
    if not may_assign_roles(actor):
        raise PermissionDenied("三员分立：只有安全管理员可以授予或撤销角色。")
    if (before & admin and after - admin) or (before - admin and after & admin):
        raise ValidationError("三员分立：不能将管理员调整为业务角色，也不能将业务人员调整为管理员。",
                              code="admin_business_swap")
    if not bootstrap and user.pk is not None and acted_on_today(actor, user):
        raise ValidationError("三员分立：您今天创建或修改过该账号，不能再为其授予或撤销角色，"
                              "须由另一位管理员办理。", code="acted_today")


def refused(actor, act: str, user: User | None, exc: Exception) -> None:
    """Record an administrator's refused act in the ledger through the one recorder of refused acts
    (ledger.refusals.record_refused_act): the act and its error codes, never the message — a
    message may name a person. The system's own refusals (actor None) are errors, not acts."""
    refusals.record_refused_act(actor, v.DENIED, act, exc, User.ledger_object_type,
                                user.pk if user is not None and user.pk else "")


def _checked(actor, act: str, user, check) -> None:
    try:
        check()
    except (ValidationError, PermissionDenied) as exc:
        refused(actor, act, user, exc)
        raise


def _sync_staff(user: User) -> bool:
    """Whoever holds the system or security administrator role may open the configuration admin
    (with their role's rights only), and nobody else: is_staff follows the roles. True if changed."""
    staff = user.is_superuser or bool(user.role_codes() & {str(Role.SYSTEM_ADMIN), str(Role.SECURITY_ADMIN)})
    if staff == user.is_staff:
        return False
    user.is_staff = staff
    user.save(update_fields=["is_staff"])
    return True


def log_role_changes(actor, user: User, before: set[str], after: set[str]) -> None:
    """One ledger event per role granted or revoked (call inside the transaction that changed them).
    When the change gives or takes away access to the configuration admin (is_staff), the last
    event carries the person's new state."""
    user.__dict__.pop("_role_codes", None)
    state_changed = _sync_staff(user)
    events = [(action, role) for action, roles in ((v.ROLE_REVOKE, before - after), (v.ROLE_GRANT, after - before))
              for role in sorted(roles)]
    for i, (action, role) in enumerate(events):
        last = i == len(events) - 1
        ledger.append(action, actor=actor, object_type=User.ledger_object_type, object_id=user.pk,
                      content_sha256=user.ledger_digest() if last and state_changed else "",
                      detail={"role": role, "username": user.username})
    user.__dict__.pop("_role_codes", None)


# What each administrator may do in the configuration admin (三员分立: the system administrator
# configures and keeps the accounts and certificates, the security administrator grants roles;
# neither sees case content). The people and certificate admins go by the roles themselves
# (accounts.admin), these permissions serve the other models' admins.
ADMIN_PERMISSIONS = {
    Role.SYSTEM_ADMIN: [("accounts", m, a) for m in ("agency", "unit", "certificate") for a in ("add", "change", "view")]
    + [("records", "recordtype", a) for a in ("add", "change", "view")]
    + [("accounts", "user", a) for a in ("add", "change", "view")],
    # Roles are fixed groups (Group is not in the admin): the security administrator assigns them on
    # the user form, nothing more.
    Role.SECURITY_ADMIN: [("accounts", "user", a) for a in ("change", "view")],
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


def grant_role(actor, user: User, role: str) -> None:
    """Give `user` a role (安全管理员; see check_role_change)."""
    role = Role(role)
    before = set(user.role_codes())
    _checked(actor, "role_grant", user, lambda: check_role_change(actor, user, before, before | {str(role)}))
    with transaction.atomic():
        user.groups.add(role_group(role))
        log_role_changes(actor, user, before, before | {str(role)})


def revoke_role(actor, user: User, role: str) -> None:
    """Take a role from `user` (安全管理员; see check_role_change)."""
    role = Role(role)
    before = set(user.role_codes())
    _checked(actor, "role_revoke", user, lambda: check_role_change(actor, user, before, before - {str(role)}))
    with transaction.atomic():
        user.groups.remove(role_group(role))
        log_role_changes(actor, user, before, before - {str(role)})


def create_user(actor, *, username: str, full_name: str, password: str, agency: Agency | None,
                unit: Unit | None = None, roles=(), phone: str = "") -> User:
    """A new account (系统管理员). Its password was chosen by the administrator: the owner must change
    it at the first login. `roles` are granted by the same actor, so only the system itself (actor
    None: the demo, tests) or a superuser bootstrapping the administrators can pass them; a system
    administrator's account is given its roles by the security administrator (grant_role)."""
    def authorize():
        if not may_manage_accounts(actor):
            raise PermissionDenied("三员分立：只有系统管理员可以创建账号。")
        check_same_home(actor, agency.pk if agency is not None else None)
    _checked(actor, "user_create", None, authorize)
    with transaction.atomic():
        if unit is not None and agency is not None and unit.agency_id != agency.pk:
            raise ValidationError("所属科室不属于该执法机关。", code="unit_agency")
        check_role_combination({str(Role(r)) for r in roles})
        user = User(username=username, full_name=full_name, agency=agency, unit=unit, phone=phone,
                    must_change_password=actor is not None)
        validate_password(password, user)  # SPEC §9: password rules (AUTH_PASSWORD_VALIDATORS)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        passwords.remember(user)
        # Ids and the login name only: a person's name is personal data and stays out of the ledger.
        ledger.append(v.USER_CREATE, actor=actor, object_type=User.ledger_object_type, object_id=user.pk,
                      content_sha256=user.ledger_digest(),
                      detail={"username": username, "agency": agency.pk if agency else None,
                              "unit": unit.pk if unit else None})
        for role in roles:
            grant_role(actor, user, role)
    return user


def reset_password(actor, user: User, password: str) -> None:
    """An administrator sets a new password for someone (系统管理员): they know it, so its owner must
    change it at the next login (must_change_password)."""
    def authorize():
        if actor is not None and actor.pk == user.pk:
            raise ValidationError("本人的密码请在“修改密码”中修改。", code="own_password")
        if not may_manage_accounts(actor):
            raise PermissionDenied("三员分立：只有系统管理员可以重置密码。")
        check_same_home(actor, user.agency_id)
    _checked(actor, "password_reset", user, authorize)
    with transaction.atomic():
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        password_was_reset(actor, user)


def password_was_reset(actor, user: User) -> None:
    """After an administrator's form saved a new password for `user` (inside its transaction): the
    owner must change it, and the reset is in the ledger (never the password).

    三员分立 for a reset: the administrator who set the password knows it, so the account cannot log
    in until the security administrator releases it (release_password_reset) — one administrator
    alone cannot take over an account. The system itself (actor None: the demo, tests) needs no
    second person."""
    user.must_change_password = True
    user.password_reset_pending = actor is not None
    user.save(update_fields=["must_change_password", "password_reset_pending"])
    passwords.remember(user)
    ledger.append(v.PASSWORD_RESET, actor=actor, object_type=User.ledger_object_type, object_id=user.pk,
                  content_sha256=user.ledger_digest(),
                  detail={"username": user.username, "pending_release": user.password_reset_pending})


def check_release(actor, user: User) -> None:
    """Who may release an account whose password was reset (三员分立): a security administrator who
    is not its owner and did not create or change it today (so not the one who reset it, even if
    they have since changed role); a superuser (bootstrap) only an administrator's account, for when
    the only security administrator's own password was reset. `actor` None is the system itself."""
    if not user.password_reset_pending:
        raise ValidationError("该账号没有待确认的密码重置。", code="not_pending")
    if actor is None:
        return
    if actor.pk == user.pk:
        raise ValidationError("三员分立：不能确认本人账号的密码重置。", code="own_account")
    admin = {str(r) for r in ADMIN_ROLES}
    bootstrap = actor.is_superuser and not actor.has_role(Role.SECURITY_ADMIN) and user.role_codes() & admin
    if not (actor.is_active and actor.has_role(Role.SECURITY_ADMIN)) and not bootstrap:
        raise PermissionDenied("三员分立：只有安全管理员可以确认系统管理员的密码重置。")
    check_same_home(actor, user.agency_id)
    if acted_on_today(actor, user):
        raise ValidationError("三员分立：您今天创建或修改过该账号，不能确认其密码重置，须由另一位管理员办理。",
                              code="acted_today")


def release_password_reset(actor, user: User) -> None:
    """The security administrator confirms a reset (安全管理员确认密码重置): the account may log in
    again — with the reset password, which its owner must change at once (must_change_password
    stays). Release it when the owner asked for the reset and is the one to log in next."""
    _checked(actor, "password_reset_release", user, lambda: check_release(actor, user))
    with transaction.atomic():
        user.password_reset_pending = False
        user.save(update_fields=["password_reset_pending"])
        ledger.append(v.PASSWORD_RESET_RELEASE, actor=actor, object_type=User.ledger_object_type,
                      object_id=user.pk, content_sha256=user.ledger_digest(), detail={"username": user.username})


def password_changed_by_owner(user: User) -> None:
    """After the owner's own password change was saved (inside its transaction): the must-change flag
    is cleared and the change is in the ledger."""
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    passwords.remember(user)
    ledger.append(v.PASSWORD_CHANGE, actor=user, object_type=User.ledger_object_type, object_id=user.pk,
                  content_sha256=user.ledger_digest(), detail={"username": user.username})


def issue_certificate(actor, holder: User, *, number: str, valid_from: datetime.date,
                      valid_until: datetime.date, issued_by: str = "") -> Certificate:
    """A 执法证 for `holder` (系统管理员, or the system itself)."""
    def authorize():
        if not (actor is None or actor.has_role(Role.SYSTEM_ADMIN)):
            raise PermissionDenied("三员分立：只有系统管理员可以发放执法证。")
        check_same_home(actor, holder.agency_id)
    _checked(actor, "certificate_issue", holder, authorize)
    with transaction.atomic():
        return _issue_certificate(actor, holder, number=number, valid_from=valid_from, valid_until=valid_until,
                                  issued_by=issued_by)


def _issue_certificate(actor, holder, *, number, valid_from, valid_until, issued_by):
    if valid_until < valid_from:
        raise ValidationError("执法证有效期止不能早于有效期起。", code="certificate_dates")
    cert = Certificate(holder=holder, number=number.strip(), valid_from=valid_from,
                       valid_until=valid_until, issued_by=issued_by)
    cert.full_clean()
    cert.save()
    # About the certificate itself (its validity is what verify checks); the holder in the detail.
    ledger.append(v.CERTIFICATE_ISSUE, actor=actor, object_type=Certificate.ledger_object_type,
                  object_id=cert.pk, content_sha256=cert.ledger_digest(),
                  detail={"holder": holder.pk, "number": cert.number, "valid_from": cert.valid_from.isoformat(),
                          "valid_until": cert.valid_until.isoformat()})
    return cert


def _keeps_certificates(actor) -> None:
    if not (actor is None or actor.has_role(Role.SYSTEM_ADMIN)):
        raise PermissionDenied("三员分立：只有系统管理员可以变更或注销执法证。")


def change_certificate(actor, cert: Certificate, *, valid_from: datetime.date, valid_until: datetime.date,
                       issued_by: str = "") -> list[str]:
    """变更执法证: new validity dates or issuer (系统管理员, or the system itself: the provincial
    platform's data through the exchange API). The fields changed; [] and nothing written when none."""
    _checked(actor, "certificate_change", cert.holder, lambda: _keeps_certificates(actor))
    if cert.revoked:
        raise ValidationError(f"执法证（{cert.number}）已注销，不能变更。", code="certificate_revoked")
    if valid_until < valid_from:
        raise ValidationError("执法证有效期止不能早于有效期起。", code="certificate_dates")
    new = {"valid_from": valid_from, "valid_until": valid_until, "issued_by": issued_by.strip()}
    changed = [k for k, value in new.items() if getattr(cert, k) != value]
    if not changed:
        return []
    with transaction.atomic():
        for k in changed:
            setattr(cert, k, new[k])
        cert.full_clean()
        cert.save(update_fields=changed)
        ledger.append(v.CERTIFICATE_CHANGE, actor=actor, object_type=Certificate.ledger_object_type,
                      object_id=cert.pk, content_sha256=cert.ledger_digest(),
                      detail={"holder": cert.holder_id, "number": cert.number, "changed": changed,
                              "valid_from": cert.valid_from.isoformat(), "valid_until": cert.valid_until.isoformat()})
    return changed


def revoke_certificate(actor, cert: Certificate) -> None:
    """注销执法证: its holder may no longer act on it (系统管理员, or the system itself)."""
    _checked(actor, "certificate_revoke", cert.holder, lambda: _keeps_certificates(actor))
    if cert.revoked:
        raise ValidationError(f"执法证（{cert.number}）已注销。", code="certificate_revoked")
    with transaction.atomic():
        cert.revoked = True
        cert.save(update_fields=["revoked"])
        ledger.append(v.CERTIFICATE_REVOKE, actor=actor, object_type=Certificate.ledger_object_type,
                      object_id=cert.pk, content_sha256=cert.ledger_digest(),
                      detail={"holder": cert.holder_id, "number": cert.number})


def change_person(actor, user: User, *, full_name: str, unit: Unit | None, is_active: bool) -> list[str]:
    """变更人员信息: a person's name, unit (执法机构) or 启用 (系统管理员, or the system itself: an officer
    received from the provincial platform). The fields changed; [] and nothing written when none.
    The name is personal data: the ledger names the changed fields, never the name."""
    def authorize():
        if actor is not None and actor.pk == user.pk:
            raise ValidationError("不能修改本人的账号状态。", code="own_account")
        if not may_manage_accounts(actor):
            raise PermissionDenied("三员分立：只有系统管理员可以修改人员信息。")
    _checked(actor, "user_change", user, authorize)
    if unit is not None and unit.agency_id != user.agency_id:
        raise ValidationError("所属科室不属于该执法机关。", code="unit_agency")
    new = {"full_name": full_name.strip(), "unit": unit, "is_active": is_active}
    changed = [k for k, value in new.items() if getattr(user, k) != value]
    if not changed:
        return []
    with transaction.atomic():
        for k in changed:
            setattr(user, k, new[k])
        user.full_clean(exclude=["password"])
        user.save(update_fields=changed)
        ledger.append(v.USER_CHANGE, actor=actor, object_type=User.ledger_object_type, object_id=user.pk,
                      content_sha256=user.ledger_digest(),
                      detail={"username": user.username, "changed": changed, "unit": user.unit_id,
                              "is_active": user.is_active})
    return changed


@transaction.atomic
def create_agency(actor, *, name: str, short_name: str, credit_code: str = "", address: str = "",
                  phone: str = "") -> Agency:
    """A new 执法机关, with its state in the ledger (later changes go through the admin)."""
    agency = Agency(name=name.strip(), short_name=short_name.strip(), credit_code=credit_code.strip(),
                    address=address.strip(), phone=phone.strip())
    agency.full_clean()
    agency.save()
    ledger.append(v.AGENCY_CREATE, actor=actor, object_type=Agency.ledger_object_type,
                  object_id=agency.pk, content_sha256=agency.ledger_digest(),
                  detail={"name": agency.name, "short_name": agency.short_name})
    return agency


@transaction.atomic
def create_unit(actor, agency: Agency, *, name: str) -> Unit:
    """A new 执法机构/科室 of `agency`, with its state in the ledger."""
    unit = Unit(agency=agency, name=name.strip())
    unit.full_clean()
    unit.save()
    ledger.append(v.UNIT_CREATE, actor=actor, object_type=Unit.ledger_object_type, object_id=unit.pk,
                  content_sha256=unit.ledger_digest(), detail={"agency": agency.pk, "name": unit.name})
    return unit


# ---- 上级监督: one agency supervises another ----------------------------------------------------------

def may_declare_supervision(actor) -> bool:
    """Who declares or ends a supervision: the platform's system administrator (系统管理员 of no agency),
    or the system itself (actor None: the CLI, the demo). An agency's own system administrator may
    not — declaring that their agency supervises another would open the other's cases to them."""
    return actor is None or (actor.is_active and actor.has_role(Role.SYSTEM_ADMIN) and actor.agency_id is None)


def _check_declarer(actor) -> None:
    if not may_declare_supervision(actor):
        raise PermissionDenied("只有平台系统管理员（不属于任何执法机关）可以登记或终止上级监督。")


def _supervision_about(actor, *args, **kwargs):
    return Supervision.ledger_object_type, ""


@refusals.records_refusals(v.DENIED, "supervision_grant", _supervision_about)
@transaction.atomic
def grant_supervision(actor, supervisor: Agency, supervised: Agency, *, basis: str) -> Supervision:
    """`supervisor` supervises `supervised` from now on (上级监督): the supervising agency's 监督人员
    read the supervised agency's cases. Not oneself, not twice, and no cycle (an agency supervised,
    directly or not, by the one it would supervise)."""
    from .selectors import supervised_agency_ids

    _check_declarer(actor)
    basis = (basis or "").strip()
    if not basis:
        raise ValidationError("请写明监督依据（如上下级关系或文件）。", code="no_basis")
    if supervisor.pk == supervised.pk:
        raise ValidationError("执法机关不能监督其本身。", code="self")
    reach, frontier = set(), {supervised.pk}
    while frontier:  # every agency `supervised` already reaches, through active supervisions
        reach |= frontier
        frontier = set().union(*(supervised_agency_ids(a) for a in frontier)) - reach
    if supervisor.pk in reach:
        raise ValidationError(f"{supervised.name}已直接或间接监督{supervisor.name}，不能反向监督（不能成环）。",
                              code="cycle")
    if supervised.pk in supervised_agency_ids(supervisor.pk):
        raise ValidationError(f"{supervisor.name}已在监督{supervised.name}。", code="duplicate")
    row = Supervision(supervisor=supervisor, supervised=supervised, basis=basis, granted_by=actor)
    row.full_clean()
    row.save()
    ledger.append(v.SUPERVISION_GRANT, actor=actor, object_type=Supervision.ledger_object_type,
                  object_id=row.pk, content_sha256=row.ledger_digest(),
                  detail={"supervisor": supervisor.pk, "supervised": supervised.pk})
    return row


def _end_about(actor, supervision, *args, **kwargs):
    return Supervision.ledger_object_type, supervision.pk


@refusals.records_refusals(v.DENIED, "supervision_end", _end_about)
@transaction.atomic
def end_supervision(actor, supervision: Supervision, *, reason: str) -> SupervisionEnd:
    """The supervision ends now (终止上级监督): its 监督人员 no longer read the supervised agency's cases."""
    _check_declarer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请写明终止理由。", code="no_reason")
    if SupervisionEnd.objects.filter(supervision=supervision).exists():
        raise ValidationError("该上级监督已终止。", code="ended")
    end = SupervisionEnd(supervision=supervision, reason=reason, ended_by=actor)
    end.full_clean()
    end.save()
    ledger.append(v.SUPERVISION_END, actor=actor, object_type=SupervisionEnd.ledger_object_type,
                  object_id=end.pk, content_sha256=end.ledger_digest(),
                  detail={"supervision": supervision.pk, "supervisor": supervision.supervisor_id,
                          "supervised": supervision.supervised_id})
    return end


def require_valid_certificate(user: User, day: datetime.date | None = None) -> Certificate:
    """An officer whose certificate is expired or missing cannot be named on an enforcement act."""
    day = day or timezone.localdate()
    cert = user.certificate_on(day)
    if cert is None:
        latest = user.certificates.order_by("-valid_until").first()
        if latest is None:
            raise ValidationError(f"{user.display_name}没有执法证，不能从事执法活动。", code="no_certificate")
        if latest.revoked:
            state = "已注销"
        elif latest.valid_from > day:
            state = f"尚未生效（自{latest.valid_from.isoformat()}起有效）"
        else:
            state = f"已于{latest.valid_until.isoformat()}过期"
        raise ValidationError(f"{user.display_name}的执法证（{latest.number}）{state}，不能从事执法活动。",
                              code="certificate_invalid")
    return cert
