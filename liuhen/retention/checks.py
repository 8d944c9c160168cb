"""System check (`liuhen check`, every management command, wsgi.py): the setting LIUHEN_RETENTION of
issue 14 is replaced by the agency profile (its `retention:` section, liuhen/profiles). A setting
still present would be a period an agency believes it set and which no longer applies: it is
refused at start, pointing to the profile that replaced it. What the setting's checks refused (raw
footage kept less than six months, LW-D 11; a bad period; an unknown role) the profile loader now
refuses, with the line of the file."""
from django.conf import settings
from django.core import checks

from . import vocabulary as v

HINT = ("音像资料的保存期限和保全、长期保存、恢复的角色现由机关的执法规则配置规定（retention:）：编辑配置文件后用 "
        "liuhen profile load FILE --agency 文号简称 载入（docs/profiles.md），并删除 LIUHEN_RETENTION。"
        " / Retention is now the agency profile's `retention:` section; remove LIUHEN_RETENTION.")


def retention_setting(app_configs=None, **kwargs):
    if not getattr(settings, "LIUHEN_RETENTION", None):
        return []
    return [checks.Error("LIUHEN_RETENTION 已停用：音像资料保存期限改由机关的执法规则配置规定", hint=HINT,
                         id=v.CHECK_SETTING)]
