"""System check (`liuhen check`, every management command, and wsgi.py before it serves): who
approves a copy of evidence and who makes it (LIUHEN_COPIES). A mistyped role would leave copies
nobody may approve, or let a role the agency never meant hand out evidence: refused at start."""
from django.conf import settings
from django.core import checks

from liuhen.accounts.roles import case_role_list_problems

from . import vocabulary as v

HINT = ('例如 LIUHEN_COPIES=\'{"approve_roles": ["agency_head"], "maker_roles": ["archivist", "device_admin"]}\''
        '（角色代码见 liuhen/accounts/roles.py）')
KEYS = ("approve_roles", "maker_roles")


def copies_setting_errors(value) -> list[str]:
    """What is wrong with a LIUHEN_COPIES value, in Chinese (empty: nothing)."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, dict):
        return ["应为 JSON 对象 {\"approve_roles\": [...], \"maker_roles\": [...]}"]
    errors = [f"未知的键 {k!r}" for k in value if k not in KEYS]
    for key in KEYS:
        errors += [f"{key}：{p}" for p in case_role_list_problems(value.get(key), "审批或制作证据复制")]
    return errors


def copies_setting(app_configs=None, **kwargs):
    value = getattr(settings, "LIUHEN_COPIES", None)
    return [checks.Error(f"LIUHEN_COPIES 无效：{e}", hint=HINT, id=v.CHECK_SETTING)
            for e in copies_setting_errors(value)]


def approve_roles() -> list[str]:
    return list(settings.LIUHEN_COPIES["approve_roles"])


def maker_roles() -> list[str]:
    return list(settings.LIUHEN_COPIES["maker_roles"])
