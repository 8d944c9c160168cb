"""Test helpers for the accounts and audit apps: the administrators the `world` fixture lacks, and
what the configuration admin's person form posts."""
from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role


def administrator(world, role: Role, username: str, full_name: str):
    """An administrator created by the system itself (actor None), as the demo loader does."""
    return acc.create_user(None, username=username, full_name=full_name, password=world.PASSWORD,
                           agency=world.agency, roles=[role])


def security_admin(world):
    return administrator(world, Role.SECURITY_ADMIN, "anquan", "安全管理员甲")


def reset_and_release(world, user, password: str, *, by=None):
    """A password reset as it happens: the system administrator (`by`, else world.sysadmin) resets
    it, a security administrator releases it (三员分立). Returns the person as now stored."""
    from liuhen.accounts.models import User

    acc.reset_password(by or world.sysadmin, user, password)
    security = User.objects.filter(username="anquan").first() or security_admin(world)
    acc.release_password_reset(security, User.objects.get(pk=user.pk))
    return User.objects.get(pk=user.pk)


def audit_admin(world):
    return administrator(world, Role.AUDIT_ADMIN, "shenji", "审计管理员甲")


def user_form(user, **changes) -> dict:
    """What the person change form posts for `user` (its roles unchanged unless `groups` is given).
    A value None leaves the field out (an unticked checkbox)."""
    data = {"username": user.username, "full_name": user.full_name, "groups": [g.pk for g in user.groups.all()],
            "agency": user.agency_id or "", "unit": user.unit_id or "", "phone": "", "email": ""}
    if user.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def role_ids(*roles) -> list[int]:
    return [acc.role_group(Role(r)).pk for r in roles]
