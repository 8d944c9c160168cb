"""Who approves a copy of evidence and who makes it — read from the agency profile's `copies:`
section (liuhen/profiles; until issue 15 the setting LIUHEN_COPIES) — and the system check that
refuses the retired setting at start (`liuhen check`, every management command, wsgi.py).

Which profile: the ACTIVE profile of the agency the request belongs to (`active_profile(agency)`),
not the profile its case was opened under. Approving and making a copy are acts of the agency's
present organisation of powers (LW-D 15: the principal leader's consent; LW-D 13: the responsible
office), not steps of the case's procedure: an agency that changes who approves changes it for every
request from then on, and a case opened years ago keeps no approver the agency has since replaced.
The roles are checked when the profile is loaded (known role codes, no administrator: 三员分立)."""
from liuhen.profiles import selectors as profiles
from liuhen.profiles.checks import retired_setting

from . import vocabulary as v

copies_setting = retired_setting("LIUHEN_COPIES", "证据复制的审批和制作角色", "copies", v.CHECK_SETTING)


def rules(agency_id=None):
    """The `copies:` section in force for the agency with this id (the packaged default for None)."""
    return profiles.agency_section(agency_id, "copies")


def approve_roles(agency_id=None) -> list[str]:
    return list(rules(agency_id).approve_roles)


def maker_roles(agency_id=None) -> list[str]:
    return list(rules(agency_id).maker_roles)
