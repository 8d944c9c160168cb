"""The execution app's ledger vocabulary (执行): its actions, their Chinese labels, the stable codes of
`liuhen verify`'s findings about its rows. Action names are part of the log: never renamed once used."""

PAY = "execution.pay"                      # 缴款: amount, what it pays, date, channel, the voucher's hash
DEFER_REQUEST = "execution.defer_request"  # 延期/分期缴纳申请 recorded (行政处罚法 66)
DEFER_DECIDE = "execution.defer_decide"    # the head approves or refuses it
VIEW = "execution.view"                    # a voucher opened
REFUSED = "execution.refused"              # a refused act: its codes, never its text

READ_ACTIONS = frozenset({VIEW, REFUSED})

ACTION_LABELS = {
    PAY: "登记缴款",
    DEFER_REQUEST: "登记延期（分期）缴纳申请",
    DEFER_DECIDE: "审批延期（分期）缴纳",
    VIEW: "查看缴款凭证",
    REFUSED: "拒绝执行操作",
}

# `liuhen verify`: a row whose state differs from the last the log recorded (altered), a row the log
# never recorded (inserted), a row the log recorded that is gone (deleted) — per table.
STATE_CODES = {
    "execution_payment": {"altered": "execution.E001", "inserted": "execution.E002", "deleted": "execution.E003"},
    "execution_deferral_request": {"altered": "execution.E004", "inserted": "execution.E005",
                                   "deleted": "execution.E006"},
    "execution_deferral_decision": {"altered": "execution.E007", "inserted": "execution.E008",
                                    "deleted": "execution.E009"},
}
