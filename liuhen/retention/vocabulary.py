"""The retention app's ledger vocabulary (音像资料保存与清理): its actions, their Chinese labels,
the stable codes of `liuhen verify`'s findings about its rows and of its system checks. Action
names are part of the log: never renamed once used."""

GROUND = "retention.ground"              # a long-term ground registered (LW-D 12)
GROUND_WITHDRAW = "retention.ground_withdraw"  # a ground withdrawn (a new row, with its reason)
HOLD = "retention.hold"                  # a legal hold placed (法律保全)
HOLD_RELEASE = "retention.hold_release"  # a hold released (a new row, with its reason)
NOTICE = "retention.notice"              # a file announced for purge (清理公告)
REMOVE = "retention.remove"              # a file removed (移除: recoverable)
RESTORE = "retention.restore"            # a removal undone within its recovery period (恢复)
RUN = "retention.purge_run"              # one `liuhen purge` run: what it did, in counts
DENIED = "retention.denied"              # a refused act (no right, bad input): its codes, never its text
VIEW = "retention.view"                  # the retention pages looked at

READ_ACTIONS = frozenset({DENIED, VIEW})

ACTION_LABELS = {
    GROUND: "登记长期保存依据",
    GROUND_WITHDRAW: "撤销长期保存依据",
    HOLD: "法律保全",
    HOLD_RELEASE: "解除法律保全",
    NOTICE: "音像资料清理公告",
    REMOVE: "移除音像资料",
    RESTORE: "恢复已移除的音像资料",
    RUN: "执行音像资料清理",
    DENIED: "拒绝保存与清理操作",
    VIEW: "查看保存期限",
}

# ---- finding codes of `liuhen verify` -------------------------------------------------------------
E001 = "retention.E001"  # a long-term ground altered
E002 = "retention.E002"  # a long-term ground inserted behind the log's back
E003 = "retention.E003"  # a long-term ground deleted
E004 = "retention.E004"  # a legal hold altered
E005 = "retention.E005"  # a legal hold inserted
E006 = "retention.E006"  # a legal hold deleted (footage unfrozen by SQL)
E007 = "retention.E007"  # a purge notice altered
E008 = "retention.E008"  # a purge notice inserted (a file "announced" by SQL)
E009 = "retention.E009"  # a purge notice deleted
E010 = "retention.E010"  # a removal altered
E011 = "retention.E011"  # a removal inserted
E012 = "retention.E012"  # a removal deleted
E013 = "retention.E013"  # a restoration altered
E014 = "retention.E014"  # a restoration inserted
E015 = "retention.E015"  # a restoration deleted

STATE_CODES = {
    "retention_ground": {"altered": E001, "inserted": E002, "deleted": E003},
    "retention_hold": {"altered": E004, "inserted": E005, "deleted": E006},
    "retention_notice": {"altered": E007, "inserted": E008, "deleted": E009},
    "retention_removal": {"altered": E010, "inserted": E011, "deleted": E012},
    "retention_restoration": {"altered": E013, "inserted": E014, "deleted": E015},
}

# ---- system checks (`liuhen check`, and before every management command) ---------------------------
CHECK_SETTING = "liuhen.retention.E001"     # LIUHEN_RETENTION is set: replaced by the agency profile's retention: (issue 15)
# Retired with the setting (issue 15), never reused: the profile loader refuses these, with the line.
CHECK_RAW_MONTHS = "liuhen.retention.E002"  # (issue 14, retired) raw_months below 6 (LW-D 11)
CHECK_NUMBER = "liuhen.retention.E003"      # (issue 14, retired) a period that is not a positive whole number
CHECK_ROLES = "liuhen.retention.E004"       # (issue 14, retired) a role list empty or naming an unknown role
