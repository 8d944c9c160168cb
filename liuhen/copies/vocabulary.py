"""The copies app's ledger vocabulary (证据复制): its actions, which are reads, their Chinese labels,
the stable codes of `liuhen verify`'s findings about its rows and of its system check. Action names
are part of the log: never renamed once used."""

REQUEST = "copies.request"      # a copy requested (the case, the items' SHA-256, the receiving body)
APPROVE = "copies.approve"      # the leader's decision: approved or not (detail "approved")
MAKE = "copies.make"            # the package made (its manifest SHA-256, the checkpoint it proves against)
HANDOVER = "copies.handover"    # the package handed over (receiver, method, the package's SHA-256)
VIEW = "copies.view"            # the list or a request page was looked at
DOWNLOAD = "copies.download"    # the package downloaded as a .zip (by the office that made it)
DENIED = "copies.denied"        # a refused act (no right, no approval, bad input): its codes, never its text
STATE_BASELINE = "copies.state_baseline"  # a request's wider state adopted by a migration (0002: case_number)

READ_ACTIONS = frozenset({VIEW, DOWNLOAD, DENIED})

ACTION_LABELS = {
    REQUEST: "申请证据复制",
    APPROVE: "审批证据复制",
    MAKE: "制作证据复制包",
    HANDOVER: "移交证据复制包",
    VIEW: "查看证据复制",
    DOWNLOAD: "下载证据复制包",
    DENIED: "拒绝证据复制操作",
    STATE_BASELINE: "状态基线（升级迁移）",
}

# Events about the agency's copies as a whole (the list page, a refused request of a new copy).
REGISTER = "copy_register"

# ---- finding codes of `liuhen verify` -------------------------------------------------------------

E001 = "copies.E001"  # a copy request altered (its items, receiver, requester…)
E002 = "copies.E002"  # a copy request inserted behind the log's back
E003 = "copies.E003"  # a copy request deleted
E004 = "copies.E004"  # an approval altered (a refusal turned into an approval…)
E005 = "copies.E005"  # an approval inserted (an approval nobody gave)
E006 = "copies.E006"  # an approval deleted
E007 = "copies.E007"  # a package row altered (its manifest SHA-256, its checkpoint…)
E008 = "copies.E008"  # a package row inserted
E009 = "copies.E009"  # a package row deleted
E010 = "copies.E010"  # a handover altered (receiver, date, the package's SHA-256…)
E011 = "copies.E011"  # a handover inserted
E012 = "copies.E012"  # a handover deleted

STATE_CODES = {
    "copy_request": {"altered": E001, "inserted": E002, "deleted": E003},
    "copy_approval": {"altered": E004, "inserted": E005, "deleted": E006},
    "copy_package": {"altered": E007, "inserted": E008, "deleted": E009},
    "copy_handover": {"altered": E010, "inserted": E011, "deleted": E012},
}

# ---- system check (`liuhen check`, and before every management command) -----------------------------

CHECK_SETTING = "liuhen.copies.E001"  # LIUHEN_COPIES is set: replaced by the agency profile's copies: (issue 15)
