"""System checks: LIUHEN_DEFAULT_PROFILE must name a packaged profile that validates (every case of
an agency with no loaded version is held to it), and the old LIUHEN_AV_RULES setting is refused
with a pointer to the profile that replaced it."""
from django.conf import settings
from django.core import checks

from . import loader
from . import vocabulary as v


def default_profile_setting(app_configs=None, **kwargs):
    errors = []
    code = getattr(settings, "LIUHEN_DEFAULT_PROFILE", "base")
    if not isinstance(code, str) or code not in loader.packaged_codes():
        errors.append(checks.Error(f"LIUHEN_DEFAULT_PROFILE“{code}”不是内置的执法规则配置",
                                   hint=f"可用：{'、'.join(loader.packaged_codes())}（liuhen/profiles/data/）",
                                   id=v.CHECK_DEFAULT))
        return errors
    try:
        loader.build(loader.packaged_text(code), label=f"{code}.yaml")
    except loader.ProfileError as exc:
        errors.append(checks.Error(f"内置执法规则配置 {code} 无效：{exc}", id=v.CHECK_PACKAGED))
    return errors
