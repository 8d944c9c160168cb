"""System check (`liuhen check`, every management command, wsgi.py): the setting LIUHEN_DEVICES of
issue 14 (the period of the periodic check, LW-D 4; the equipment ratio per unit) is replaced by the
agency profile (its `devices:` section, liuhen/profiles). A setting still present would be a rule an
agency believes it set and which no longer applies: it is refused at start, pointing to the profile
that replaced it. What its checks refused (a period or a ratio that is not a positive whole number)
the profile loader now refuses, with the line of the file."""
from liuhen.profiles.checks import retired_setting

from . import vocabulary as v

devices_setting = retired_setting("LIUHEN_DEVICES", "定期检查周期和执法记录仪配备比例", "devices", v.CHECK_SETTING)
