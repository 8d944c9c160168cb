"""The caseproperty app's ledger vocabulary (涉案财物): its actions, their Chinese labels, the stable codes
of `liuhen verify`'s findings about its rows. Action names are part of the log: never renamed once used."""

REGISTER = "caseproperty.register"  # an item listed, with its source record and photo's hash
CUSTODY = "caseproperty.custody"    # where it is kept and by whom, from a time on (行政强制法 26)
REQUEST = "caseproperty.request"    # a handling asked for: the items, the kind, the reason
DECIDE = "caseproperty.decide"      # the head approves or refuses it
HANDLE = "caseproperty.handle"      # the result recorded: the day, the proof's hash, the record opened
VIEW = "caseproperty.view"          # the agency's list opened, a photo or proof opened
REFUSED = "caseproperty.refused"    # a refused act: its codes, never its text

READ_ACTIONS = frozenset({VIEW, REFUSED})

ACTION_LABELS = {
    REGISTER: "登记涉案财物",
    CUSTODY: "登记涉案财物保管",
    REQUEST: "申请处理涉案财物",
    DECIDE: "审批涉案财物处理",
    HANDLE: "登记涉案财物处理结果",
    VIEW: "查看涉案财物",
    REFUSED: "拒绝涉案财物操作",
}

# `liuhen verify`: a row whose state differs from the last the log recorded (altered), a row the log
# never recorded (inserted), a row the log recorded that is gone (deleted) — per table.
STATE_CODES = {
    "caseproperty_item": {"altered": "caseproperty.E001", "inserted": "caseproperty.E002",
                          "deleted": "caseproperty.E003"},
    "caseproperty_custody": {"altered": "caseproperty.E004", "inserted": "caseproperty.E005",
                             "deleted": "caseproperty.E006"},
    "caseproperty_request": {"altered": "caseproperty.E007", "inserted": "caseproperty.E008",
                             "deleted": "caseproperty.E009"},
    "caseproperty_approval": {"altered": "caseproperty.E010", "inserted": "caseproperty.E011",
                              "deleted": "caseproperty.E012"},
    "caseproperty_handling": {"altered": "caseproperty.E013", "inserted": "caseproperty.E014",
                              "deleted": "caseproperty.E015"},
}
