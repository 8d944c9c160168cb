"""System checks (`liuhen check`, and before every management command): the agency's changes to the
acts that need audio-video recording (LIUHEN_AV_RULES) are read on every stage move; a mistyped one
would otherwise surface as an error in an officer's request, or — worse — a rule an agency believes
it set and which does not apply. Refused at start, with what is wrong."""
from django.conf import settings
from django.core import checks

from liuhen.records.catalog import CATALOG

from . import vocabulary as v
from .rules import KIND_LABELS, acts_for


def av_rules_setting(app_configs=None, **kwargs):
    value = getattr(settings, "LIUHEN_AV_RULES", None) or {}
    hint = '例如 LIUHEN_AV_RULES=\'{"本水": {"inquiry": {"required": true}}}\'（liuhen/avrules/rules.py）'
    if isinstance(value, str) or not isinstance(value, dict) or not all(
            isinstance(acts, dict) and all(isinstance(act, dict) for act in acts.values()) for acts in value.values()):
        detail = value if isinstance(value, str) else "应为 {文号简称: {环节: {字段: 值}}} 形式的 JSON 对象"
        return [checks.Error(f"LIUHEN_AV_RULES 无效：{detail}", hint=hint, id=v.CHECK_SETTING)]
    codes = {t["code"] for t in CATALOG}
    errors = []
    for agency, acts in value.items():
        try:
            table = acts_for(overrides=acts)
        except (TypeError, ValueError) as exc:
            errors.append(checks.Error(f"LIUHEN_AV_RULES[{agency!r}]：{exc}", hint=hint, id=v.CHECK_ACT))
            continue
        for act in table:
            for code, _method in act.records:
                if code not in codes:
                    errors.append(checks.Error(f"LIUHEN_AV_RULES[{agency!r}] 环节 {act.id!r}：文书类型 {code!r} 不存在",
                                               hint=hint, id=v.CHECK_ACT))
            for kind in act.kinds:
                if kind not in KIND_LABELS:
                    errors.append(checks.Error(f"LIUHEN_AV_RULES[{agency!r}] 环节 {act.id!r}：音像类别 {kind!r} 无效"
                                               f"（可用：{'、'.join(KIND_LABELS)}）", hint=hint, id=v.CHECK_ACT))
    return errors
