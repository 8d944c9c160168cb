"""The retention rules in force (保存期限与权限), read from the agency profile's `retention:` section
(liuhen/profiles; until issue 15 the setting LIUHEN_RETENTION, now retired and refused at start).

Which profile: retention is the custodian's duty now, not a step of a case's procedure, so a file is
kept by the rules of its agency's ACTIVE profile (`active_profile(agency)`), and a person's powers
(hold, decide, restore) are those of their agency's active profile. A profile asking less than LW-D
11 (raw footage six months) is refused when it is loaded, so no agency ever holds a lower value.

The one exception, the years evidence is kept after its case is archived (LW-D 11: 与案卷保存期限
相同), is per case in policy.py: the longer of the agency's value now and the value of the profile
the case was opened under (`profile_for_case`) — a profile loaded later may lengthen a case file's
period, never shorten one the case was run under (LQ 29: 不得擅自毁损、删除)."""
from liuhen.profiles import selectors as profiles
from liuhen.profiles.spec import RetentionSpec

ROLE_KEYS = ("hold_roles", "decide_roles", "restore_roles")


def for_agency(agency_id) -> RetentionSpec:
    """The retention rules of the agency with this id (the packaged default for None)."""
    return profiles.agency_section(agency_id, "retention")


def for_user(user) -> RetentionSpec:
    return for_agency(getattr(user, "agency_id", None))


def for_case(case) -> RetentionSpec:
    """The rules of the profile `case` was opened under (its case-file years: see the docstring)."""
    return profiles.profile_for_case(case).retention


def roles(name: str, user) -> tuple[str, ...]:
    """Who may hold / decide / restore in `user`'s agency."""
    assert name in ROLE_KEYS, name
    return getattr(for_user(user), name)
