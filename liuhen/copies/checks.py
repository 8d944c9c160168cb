"""Who approves a copy of evidence and who makes it — read from the agency profile's `copies:`
section (liuhen/profiles; until issue 15 the setting LIUHEN_COPIES) — and the system check that
refuses the retired setting at start (`liuhen check`, every management command, wsgi.py).

Which profile: the ACTIVE profile of the agency the request belongs to (`active_profile(agency)`),
not the profile its case was opened under. Approving and making a copy are acts of the agency's
present organisation of powers (LW-D 15: the principal leader's consent; LW-D 13: the responsible
office), not steps of the case's procedure: an agency that changes who approves changes it for every
request from then on, and a case opened years ago keeps no approver the agency has since replaced.
The roles are checked when the profile is loaded (known role codes, no administrator: 三员分立)."""
from django.conf import settings
from django.core import checks

from liuhen.profiles import selectors as profiles

from . import vocabulary as v

HINT = ("审批和制作证据复制的角色现由机关的执法规则配置规定（copies: approve_roles、maker_roles）：编辑配置文件后用 "
        "liuhen profile load FILE --agency 文号简称 载入（docs/profiles.md），并删除 LIUHEN_COPIES。"
        " / Copy roles are now the agency profile's `copies:` section; remove LIUHEN_COPIES.")


def copies_setting(app_configs=None, **kwargs):
    if not getattr(settings, "LIUHEN_COPIES", None):
        return []
    return [checks.Error("LIUHEN_COPIES 已停用：证据复制的审批和制作角色改由机关的执法规则配置规定", hint=HINT,
                         id=v.CHECK_SETTING)]


def rules(agency_id=None):
    """The `copies:` section in force for the agency with this id (the packaged default for None)."""
    if not agency_id:
        return profiles.default_profile().copies
    from liuhen.accounts.models import Agency

    return profiles.active_profile(Agency(pk=agency_id)).copies  # an unsaved stand-in: no query for the row


def approve_roles(agency_id=None) -> list[str]:
    return list(rules(agency_id).approve_roles)


def maker_roles(agency_id=None) -> list[str]:
    return list(rules(agency_id).maker_roles)
