"""System checks (`liuhen check`, every management command, and wsgi.py before it serves): the
settings LIUHEN_INSPECTION_CHECKLIST and LIUHEN_INSPECTION_ROLES of issue 14 are replaced by the
agency profile (its `inspections:` section, liuhen/profiles). A setting still present would be a
checklist or a role an agency believes it set and which no longer applies: each is refused at
start, pointing to the profile that replaced it. What their checks refused (a malformed checklist,
an unknown role) the profile loader now refuses, with the line of the file."""
from liuhen.profiles.checks import retired_setting

from . import vocabulary as v

checklist_setting = retired_setting("LIUHEN_INSPECTION_CHECKLIST", "音像记录抽检的检查项目", "inspections",
                                    v.CHECK_CHECKLIST)
roles_setting = retired_setting("LIUHEN_INSPECTION_ROLES", "音像记录抽检的角色", "inspections", v.CHECK_ROLES)
