"""System checks (`liuhen check`, every management command, and wsgi.py before it serves): the
setting LIUHEN_AV_RULES of issue 13 is replaced by the agency profile (its `av_acts:`). A setting
still present would be a rule an agency believes it set and which no longer applies: it is refused
at start, pointing to the profile that replaced it."""
from django.conf import settings
from django.core import checks

from . import vocabulary as v

HINT = ("音像记录环节现由机关的执法规则配置规定（av_acts）：编辑配置文件后用 "
        "liuhen profile load FILE --agency 文号简称 载入（docs/profiles.md），并删除 LIUHEN_AV_RULES")


def av_rules_setting(app_configs=None, **kwargs):
    value = getattr(settings, "LIUHEN_AV_RULES", None)
    if not value:
        return []
    return [checks.Error("LIUHEN_AV_RULES 已停用：需要音像记录的环节改由机关的执法规则配置规定", hint=HINT,
                         id=v.CHECK_SETTING)]
