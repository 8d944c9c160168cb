"""System checks: LIUHEN_DEFAULT_PROFILE must name a packaged profile that validates (every case of
an agency with no loaded version is held to it), and the old LIUHEN_AV_RULES setting is refused
with a pointer to the profile that replaced it."""
from django.conf import settings
from django.core import checks

from . import loader
from . import vocabulary as v


def retired_setting(name: str, what: str, section: str, check_id: str):
    """The system check that refuses the retired setting `name` (an agency rule that is now the
    profile's `section`): a setting still present would be a rule an agency believes it set and
    which no longer applies — refused at start, pointing to the profile that replaced it."""
    hint = (f"{what}现由机关的执法规则配置规定（{section}:）：编辑配置文件后用 liuhen profile load FILE --agency 文号简称 "
            f"载入（docs/profiles.md），并删除 {name}。 / Now the agency profile's `{section}:` section; remove {name}.")

    def check(app_configs=None, **kwargs):
        if not getattr(settings, name, None):
            return []
        return [checks.Error(f"{name} 已停用：{what}改由机关的执法规则配置规定", hint=hint, id=check_id)]

    check.__name__ = check.__qualname__ = f"{name.lower()}_retired"
    return check


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
