"""System checks of LIUHEN_RETENTION (`liuhen check`, every management command, wsgi.py): a bad
value must stop the system, not keep footage shorter than the law asks (LW-D 11)."""
from django.conf import settings
from django.core import checks

from liuhen.accounts.roles import case_role_list_problems

from . import vocabulary as v
from .conf import DEFAULTS

HINT = '例如 LIUHEN_RETENTION=\'{"raw_months": 6, "notice_days": 30}\'（liuhen/retention/conf.py）'


# What each role list lets its holders do (for the refusal of an administrator role).
ROLE_ACTS = {"hold_roles": "采取法律保全", "decide_roles": "决定长期保存", "restore_roles": "恢复已移除的音像资料"}


def _int(value, low=None, allow_none=False) -> bool:
    if value is None:
        return allow_none
    return isinstance(value, int) and not isinstance(value, bool) and (low is None or value >= low)


def retention_setting(app_configs=None, **kwargs):
    value = getattr(settings, "LIUHEN_RETENTION", None)
    if value is None:
        return []
    if not isinstance(value, dict):
        return [checks.Error("LIUHEN_RETENTION 无效：应为 JSON 对象", hint=HINT, id=v.CHECK_SETTING)]
    errors = []
    unknown = sorted(set(value) - set(DEFAULTS))
    if unknown:
        errors.append(checks.Error(f"LIUHEN_RETENTION 含未知的键：{'、'.join(unknown)}", hint=HINT, id=v.CHECK_SETTING))
    if "raw_months" in value and not (_int(value["raw_months"], 6)):
        errors.append(checks.Error(
            f"LIUHEN_RETENTION raw_months = {value['raw_months']!r}：原始音像资料应保存不少于6个月"
            "（《水行政执法全过程记录工作规定》第十一条，LW-D 11），不能小于 6", hint=HINT, id=v.CHECK_RAW_MONTHS))
    for name, low, none in (("case_file_years", 1, False), ("long_term_years", 1, True),
                            ("notice_days", 1, False), ("recovery_days", 1, False)):
        if name in value and not _int(value[name], low, allow_none=none):
            errors.append(checks.Error(f"LIUHEN_RETENTION {name} = {value[name]!r}：应为不小于 {low} 的整数"
                                       + ("，或 null（永久）" if none else ""), hint=HINT, id=v.CHECK_NUMBER))
    if _int(value.get("case_file_years"), 1) and value.get("raw_months") is not None and _int(value["raw_months"], 6):
        if value["case_file_years"] * 12 < value["raw_months"]:
            errors.append(checks.Error("LIUHEN_RETENTION：作为证据的音像资料（与案卷同期）不能比原始资料保存得更短",
                                       hint=HINT, id=v.CHECK_NUMBER))
    for name in ("hold_roles", "decide_roles", "restore_roles"):
        if name not in value:
            continue
        errors += [checks.Error(f"LIUHEN_RETENTION {name} 无效：{p}", hint=HINT, id=v.CHECK_ROLES)
                   for p in case_role_list_problems(value[name], ROLE_ACTS[name])]
    return errors
