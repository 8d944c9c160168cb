"""The profiles app's ledger vocabulary: its actions, which are reads, and the stable codes of the
findings `liuhen verify` makes about its rows (ledger_checks.py). Never renamed once used."""

LOAD = "profiles.load"        # a profile version loaded for an agency (ProfileVersion row)
REFUSED = "profiles.refused"  # a profile file refused (its errors' lines, no text): a read
VIEW = "profiles.view"        # the agency's profile page looked at
OBJECT_TYPE = "profile_version"
AGENCY_OBJECT = "agency_profile"  # events about an agency's profile as a whole (refusals, views)

READ_ACTIONS = frozenset({REFUSED, VIEW})

ACTION_LABELS = {LOAD: "载入执法规则配置", REFUSED: "拒绝载入执法规则配置", VIEW: "查看执法规则配置"}

E001 = "profiles.E001"  # a profile version gone while the log names it (deleted)
E002 = "profiles.E002"  # a profile version's row differs from its load event (altered)
E003 = "profiles.E003"  # a profile version with no load event (inserted)
E004 = "profiles.E004"  # a profile version's source text no longer hashes to its recorded SHA-256

FINDING_LABELS = {E001: "执法规则配置版本已不存在", E002: "执法规则配置版本被修改",
                  E003: "执法规则配置版本没有日志条目", E004: "执法规则配置文本被修改"}

# System checks.
CHECK_DEFAULT = "liuhen.profiles.E001"  # LIUHEN_DEFAULT_PROFILE names no valid packaged profile
CHECK_PACKAGED = "liuhen.profiles.E002"  # a packaged profile file does not validate
