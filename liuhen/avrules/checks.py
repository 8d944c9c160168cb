"""System checks (`liuhen check`, every management command, and wsgi.py before it serves): the
setting LIUHEN_AV_RULES of issue 13 is replaced by the agency profile (its `av_acts:`). A setting
still present would be a rule an agency believes it set and which no longer applies: it is refused
at start, pointing to the profile that replaced it."""
from liuhen.profiles.checks import retired_setting

from . import vocabulary as v

av_rules_setting = retired_setting("LIUHEN_AV_RULES", "需要音像记录的环节", "av_acts", v.CHECK_SETTING)
