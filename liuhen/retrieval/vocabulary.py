"""The retrieval app's ledger vocabulary (档案利用): its actions, their Chinese labels, the stable codes of
`liuhen verify`'s findings about its rows. Action names are part of the log: never renamed once used."""

REQUEST = "retrieval.request"    # a 调用单: the case, kind, scope, days, the file's SHA-256
DECIDE = "retrieval.decide"      # approved or refused, once
COPY = "retrieval.copy"          # the watermarked copy made, each item's hashes
CLASSIFY = "retrieval.classify"  # a record's 公开属性 set
SECRET = "retrieval.secret"      # a 涉密材料存放说明
VIEW = "retrieval.view"          # a slip's page opened
DOWNLOAD = "retrieval.download"  # a watermarked copy downloaded
REFUSED = "retrieval.refused"    # a refused act: its codes, never its text

READ_ACTIONS = frozenset({VIEW, DOWNLOAD, REFUSED})

ACTION_LABELS = {
    REQUEST: "提交调用单",
    DECIDE: "审批调用单",
    COPY: "制作档案复制件",
    CLASSIFY: "设定公开属性",
    SECRET: "登记涉密材料存放说明",
    VIEW: "查看调用单",
    DOWNLOAD: "下载档案复制件",
    REFUSED: "拒绝档案利用操作",
}

STATE_CODES = {
    "retrieval_request": {"altered": "retrieval.E001", "inserted": "retrieval.E002", "deleted": "retrieval.E003"},
    "retrieval_decision": {"altered": "retrieval.E004", "inserted": "retrieval.E005", "deleted": "retrieval.E006"},
    "retrieval_copy": {"altered": "retrieval.E007", "inserted": "retrieval.E008", "deleted": "retrieval.E009"},
    "retrieval_copy_item": {"altered": "retrieval.E010", "inserted": "retrieval.E011",
                            "deleted": "retrieval.E012"},
    "retrieval_class": {"altered": "retrieval.E013", "inserted": "retrieval.E014", "deleted": "retrieval.E015"},
    "retrieval_secret_note": {"altered": "retrieval.E016", "inserted": "retrieval.E017",
                              "deleted": "retrieval.E018"},
}
