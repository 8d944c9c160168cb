"""The accounts app's ledger vocabulary: the actions it appends, which of them are reads, their
Chinese labels (the audit administrator's screen shows these), and the stable codes of the
findings `liuhen verify` makes about its rows (accounts/ledger_checks.py).

Action names are part of the log: events already written keep theirs forever, so a name is never
changed once used (logins have been `auth.*` since the first release).
"""

# ---- actions ------------------------------------------------------------------------------------

LOGIN = "auth.login"
LOGOUT = "auth.logout"
LOGIN_FAILED = "auth.login_failed"  # object: ("login", username); the address is in request.ip

USER_CREATE = "accounts.user_create"
AGENCY_CREATE = "accounts.agency_create"
UNIT_CREATE = "accounts.unit_create"
CERTIFICATE_ISSUE = "accounts.certificate_issue"
# A certificate's dates or issuer changed, a certificate revoked (注销); a person's name, unit or
# 启用 changed — by the system administrator or received from the provincial platform (exchange).
CERTIFICATE_CHANGE = "accounts.certificate_change"
CERTIFICATE_REVOKE = "accounts.certificate_revoke"
USER_CHANGE = "accounts.user_change"
ROLE_GRANT = "accounts.role_grant"
ROLE_REVOKE = "accounts.role_revoke"
# An administrator set a new password for someone (the owner must change it at the next login).
PASSWORD_RESET = "accounts.password_reset"
# The security administrator released an account whose password the system administrator reset
# (三员分立: until then it cannot log in).
PASSWORD_RESET_RELEASE = "accounts.password_reset_release"
# A wrong old password on the owner's password form: refused, and counted by the lockout like a
# failed login (object: ("login", username); the address is in request.ip).
PASSWORD_REFUSED = "accounts.old_password.refused"
# Any other refusal of the owner's password form (the new passwords differ, too weak…).
REFUSED = "accounts.refused"
# The owner changed their own password (clears the must-change flag).
PASSWORD_CHANGE = "accounts.password_change"
# An administrative act refused by 三员分立 or by a missing role (a read: it changes nothing, and
# it is kept even when the refused act's transaction rolls back).
DENIED = "accounts.denied"
STATE_BASELINE = "accounts.state_baseline"
# The second factor (otp.py): a session passed it; a wrong, malformed or replayed code (a guess,
# object ("login", username) like a failed login); an authenticator enrolled or removed.
OTP_VERIFY = "auth.otp_verify"
OTP_FAILED = "auth.otp.refused"
OTP_DEVICE_ADD = "accounts.otp_device_add"
OTP_DEVICE_REMOVE = "accounts.otp_device_remove"
# Sessions (the account page): the owner ended one of theirs, a security administrator all of someone's.
SESSION_END = "accounts.session_end"
SESSIONS_END_ALL = "accounts.sessions_end_all"

# 上级监督: the platform's system administrator declared that one agency supervises another (its
# 监督人员 then read the other's cases), or ended such a supervision.
SUPERVISION_GRANT = "accounts.supervision_grant"
SUPERVISION_END = "accounts.supervision_end"

# The configuration admin's own events (liuhen.ledger.admin.LedgeredAdmin).
ADMIN_ADD = "admin.add"
ADMIN_CHANGE = "admin.change"

ROLE_ACTIONS = (ROLE_GRANT, ROLE_REVOKE)
# Acts that create or change a person's account: whoever did one of these to an account today may
# not also grant or revoke its roles today (两人分权, one person cannot create an account and give it
# a role).
ACCOUNT_CHANGES = (USER_CREATE, USER_CHANGE, ADMIN_ADD, ADMIN_CHANGE, PASSWORD_RESET, PASSWORD_RESET_RELEASE)

# Reads: may be appended outside a write transaction (declared to the ledger in AccountsConfig.ready()).
READ_ACTIONS = frozenset({LOGIN, LOGOUT, LOGIN_FAILED, DENIED, PASSWORD_REFUSED, REFUSED, OTP_VERIFY, OTP_FAILED})
# Events that count towards the lockout (lockout.py): failed logins and wrong old passwords.
GUESSES = (LOGIN_FAILED, PASSWORD_REFUSED, OTP_FAILED)

ACTION_LABELS = {
    LOGIN: "登录",
    LOGOUT: "退出登录",
    LOGIN_FAILED: "登录失败",
    USER_CREATE: "创建账号",
    AGENCY_CREATE: "创建执法机关",
    UNIT_CREATE: "创建执法机构",
    CERTIFICATE_ISSUE: "发放执法证",
    CERTIFICATE_CHANGE: "变更执法证",
    CERTIFICATE_REVOKE: "注销执法证",
    USER_CHANGE: "变更人员信息",
    ROLE_GRANT: "授予角色",
    ROLE_REVOKE: "撤销角色",
    PASSWORD_RESET: "管理员重置密码",
    PASSWORD_CHANGE: "本人修改密码",
    PASSWORD_RESET_RELEASE: "安全管理员确认密码重置",
    PASSWORD_REFUSED: "修改密码时原密码错误",
    REFUSED: "拒绝修改密码",
    DENIED: "拒绝管理操作",
    STATE_BASELINE: "状态基线（升级迁移）",
    OTP_VERIFY: "双因素验证通过",
    OTP_FAILED: "双因素验证码错误",
    OTP_DEVICE_ADD: "绑定验证器",
    OTP_DEVICE_REMOVE: "解绑验证器",
    SESSION_END: "结束会话",
    SESSIONS_END_ALL: "结束全部会话",
    SUPERVISION_GRANT: "登记上级监督",
    SUPERVISION_END: "终止上级监督",
    ADMIN_ADD: "配置新增",
    ADMIN_CHANGE: "配置修改",
}

# ---- finding codes of `liuhen verify` -------------------------------------------------------------

E001 = "accounts.E001"  # the log grants or revokes a role that does not exist
E002 = "accounts.E002"  # a person holds a role the log never granted (inserted)
E003 = "accounts.E003"  # a role the log granted is gone (deleted)
E004 = "accounts.E004"  # a person's state differs from the last state logged (altered)
E005 = "accounts.E005"  # a person with no event logging their state (inserted)
E006 = "accounts.E006"  # a person the log knows is gone (deleted)
E007 = "accounts.E007"  # a certificate (执法证) altered
E008 = "accounts.E008"  # a certificate inserted
E009 = "accounts.E009"  # a certificate deleted
E010 = "accounts.E010"  # an agency altered
E011 = "accounts.E011"  # an agency inserted
E012 = "accounts.E012"  # an agency deleted
E013 = "accounts.E013"  # a unit altered
E014 = "accounts.E014"  # a unit inserted
E015 = "accounts.E015"  # a unit deleted
E016 = "accounts.E016"  # a supervision (上级监督) altered
E017 = "accounts.E017"  # a supervision inserted: an agency's cases opened to another behind the log
E018 = "accounts.E018"  # a supervision deleted
E019 = "accounts.E019"  # the end of a supervision altered
E020 = "accounts.E020"  # the end of a supervision inserted
E021 = "accounts.E021"  # the end of a supervision deleted: a supervision the log ended is open again

# The state findings' codes by object type and kind (check_states makes the findings, these codes
# are given to them).
STATE_CODES = {
    "user": {"altered": E004, "inserted": E005, "deleted": E006},
    "certificate": {"altered": E007, "inserted": E008, "deleted": E009},
    "agency": {"altered": E010, "inserted": E011, "deleted": E012},
    "unit": {"altered": E013, "inserted": E014, "deleted": E015},
    "supervision": {"altered": E016, "inserted": E017, "deleted": E018},
    "supervision_end": {"altered": E019, "inserted": E020, "deleted": E021},
}
