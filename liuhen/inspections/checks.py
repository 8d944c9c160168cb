"""System checks (`liuhen check`, every management command, and wsgi.py before it serves) of the
inspections settings: a malformed checklist would be a round whose items cannot be checked, an
unknown role one nobody may draw; both are refused at start, with what is wrong."""
import re

from django.conf import settings
from django.core import checks

from . import vocabulary as v

KINDS = ("footage", "device")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
HINT = ('例如 LIUHEN_INSPECTION_CHECKLIST=\'{"footage": [{"code": "worn", "label": "佩戴位置规范", '
        '"basis": "LW-D 5"}], "device": [{"code": "intact", "label": "设备完好", "basis": "LW-D 4"}]}\'')


def checklist_problems(value) -> list[str]:
    """What is wrong with a checklist setting, in Chinese; [] when it is well formed."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, dict):
        return ["应为 {抽检对象: [检查项目, …]} 形式的 JSON 对象"]
    problems = []
    unknown = sorted(set(value) - set(KINDS))
    if unknown:
        problems.append(f"未知的抽检对象 {unknown}（可选：footage、device）")
    for kind in KINDS:
        items = value.get(kind)
        if not isinstance(items, list) or not items:
            problems.append(f"{kind}：应为至少一项的检查项目列表")
            continue
        seen = set()
        for i, item in enumerate(items, 1):
            where = f"{kind} 第 {i} 项"
            if not isinstance(item, dict):
                problems.append(f"{where}：应为含 code、label 的对象")
                continue
            extra = sorted(set(item) - {"code", "label", "basis"})
            if extra:
                problems.append(f"{where}：未知的字段 {extra}")
            code, label, basis = item.get("code"), item.get("label"), item.get("basis", "")
            if not isinstance(code, str) or not CODE.match(code):
                problems.append(f"{where}：code 应为小写字母开头的英文标识（最多 40 个字符）")
            elif code in seen:
                problems.append(f"{where}：code {code!r} 重复")
            else:
                seen.add(code)
            if not isinstance(label, str) or not label.strip() or len(label) > 50:
                problems.append(f"{where}：label 应为 1 到 50 个字符的名称")
            if not isinstance(basis, str) or len(basis) > 50:
                problems.append(f"{where}：basis 应为最多 50 个字符的依据")
    return problems


def checklist_setting(app_configs=None, **kwargs):
    value = getattr(settings, "LIUHEN_INSPECTION_CHECKLIST", None)
    return [checks.Error(f"LIUHEN_INSPECTION_CHECKLIST 无效：{p}", hint=HINT, id=v.CHECK_CHECKLIST)
            for p in checklist_problems(value)]


def roles_setting(app_configs=None, **kwargs):
    from liuhen.accounts.roles import case_role_list_problems

    value = getattr(settings, "LIUHEN_INSPECTION_ROLES", None)
    hint = "例如 LIUHEN_INSPECTION_ROLES=supervisor,agency_head"
    return [checks.Error(f"LIUHEN_INSPECTION_ROLES 无效：{p}", hint=hint, id=v.CHECK_ROLES)
            for p in case_role_list_problems(value, "抽检音像记录")]
