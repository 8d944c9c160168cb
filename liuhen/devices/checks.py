"""System check (`liuhen check`, every management command, wsgi.py): the setting LIUHEN_DEVICES of
issue 14 (the period of the periodic check, LW-D 4; the equipment ratio per unit) is replaced by the
agency profile (its `devices:` section, liuhen/profiles). A setting still present would be a rule an
agency believes it set and which no longer applies: it is refused at start, pointing to the profile
that replaced it. What its checks refused (a period or a ratio that is not a positive whole number)
the profile loader now refuses, with the line of the file."""
from django.conf import settings
from django.core import checks

from . import vocabulary as v

HINT = ("定期检查周期和执法记录仪配备比例现由机关的执法规则配置规定（devices: check_every_days、equipment_ratio）："
        "编辑配置文件后用 liuhen profile load FILE --agency 文号简称 载入（docs/profiles.md），并删除 LIUHEN_DEVICES。"
        " / Device rules are now the agency profile's `devices:` section; remove LIUHEN_DEVICES.")


def devices_setting(app_configs=None, **kwargs):
    if not getattr(settings, "LIUHEN_DEVICES", None):
        return []
    return [checks.Error("LIUHEN_DEVICES 已停用：定期检查周期和配备比例改由机关的执法规则配置规定", hint=HINT,
                         id=v.CHECK_SETTING)]
