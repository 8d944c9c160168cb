"""System check (`liuhen check`, every management command, wsgi.py): the setting LIUHEN_RETENTION of
issue 14 is replaced by the agency profile (its `retention:` section, liuhen/profiles). A setting
still present would be a period an agency believes it set and which no longer applies: it is
refused at start, pointing to the profile that replaced it. What the setting's checks refused (raw
footage kept less than six months, LW-D 11; a bad period; an unknown role) the profile loader now
refuses, with the line of the file."""
from liuhen.profiles.checks import retired_setting

from . import vocabulary as v

retention_setting = retired_setting("LIUHEN_RETENTION", "音像资料的保存期限和保全、长期保存、恢复的角色", "retention",
                                    v.CHECK_SETTING)
