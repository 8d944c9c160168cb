"""System checks (`liuhen check`, every management command, and wsgi.py before it serves): the
agency's changes to the acts that need audio-video recording (LIUHEN_AV_RULES) are read on every
stage move; a mistyped one would otherwise be a rule an agency believes it set and which does not
apply (rules.acts_for falls back to LQ 19's table). Refused at start, with what is wrong."""
from django.conf import settings
from django.core import checks

from liuhen.records.catalog import CATALOG

from . import vocabulary as v
from .rules import table_with

HINT = '例如 LIUHEN_AV_RULES=\'{"本水": {"inquiry": {"required": true}}}\'（liuhen/avrules/rules.py）'


def av_rules_setting(app_configs=None, **kwargs):
    value = getattr(settings, "LIUHEN_AV_RULES", None) or {}
    if isinstance(value, str) or not isinstance(value, dict) or not all(
            isinstance(acts, dict) and all(isinstance(act, dict) for act in acts.values()) for acts in value.values()):
        detail = value if isinstance(value, str) else "应为 {文号简称: {环节: {字段: 值}}} 形式的 JSON 对象"
        return [checks.Error(f"LIUHEN_AV_RULES 无效：{detail}", hint=HINT, id=v.CHECK_SETTING)]
    codes = {t["code"] for t in CATALOG}
    errors = []
    for agency, acts in value.items():
        try:
            table = table_with(acts)
        except ValueError as exc:
            errors.append(checks.Error(f"LIUHEN_AV_RULES[{agency!r}]：{exc}", hint=HINT, id=v.CHECK_ACT))
            continue
        for act in table:
            for code, _method in act.records:
                if code not in codes:
                    errors.append(checks.Error(f"LIUHEN_AV_RULES[{agency!r}] 环节 {act.id!r}：文书类型 {code!r} 不存在",
                                               hint=HINT, id=v.CHECK_ACT))
    return errors
