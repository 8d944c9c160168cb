"""System checks (`liuhen check`, every management command, and wsgi.py before it serves): the
settings LIUHEN_INSPECTION_CHECKLIST and LIUHEN_INSPECTION_ROLES of issue 14 are replaced by the
agency profile (its `inspections:` section, liuhen/profiles). A setting still present would be a
checklist or a role an agency believes it set and which no longer applies: each is refused at
start, pointing to the profile that replaced it. What their checks refused (a malformed checklist,
an unknown role) the profile loader now refuses, with the line of the file."""
from django.conf import settings
from django.core import checks

from . import vocabulary as v

HINT = ("音像记录抽检的角色和检查项目现由机关的执法规则配置规定（inspections: roles、checklist）：编辑配置文件后用 "
        "liuhen profile load FILE --agency 文号简称 载入（docs/profiles.md），并删除 {name}。"
        " / Sample inspections are now the agency profile's `inspections:` section; remove {name}.")


def _retired(name: str, what: str, check_id: str) -> list:
    if not getattr(settings, name, None):
        return []
    return [checks.Error(f"{name} 已停用：音像记录抽检的{what}改由机关的执法规则配置规定", hint=HINT.format(name=name),
                         id=check_id)]


def checklist_setting(app_configs=None, **kwargs):
    return _retired("LIUHEN_INSPECTION_CHECKLIST", "检查项目", v.CHECK_CHECKLIST)


def roles_setting(app_configs=None, **kwargs):
    return _retired("LIUHEN_INSPECTION_ROLES", "角色", v.CHECK_ROLES)
