"""The publicity app's ledger vocabulary (公示): its actions, their Chinese labels, the stable codes of
`liuhen verify`'s findings about its rows. Action names are part of the log: never renamed once used."""

DRAFT = "publicity.draft"          # a version made (a decision's draft, a correction, a change, 事前公开 content)
REVIEW = "publicity.review"        # 审核: passed or returned, with the LW-P 9 items
APPROVE = "publicity.approve"      # 批准: passed or returned
PUBLISH = "publicity.publish"      # 发布: the version is what the public reads
WITHDRAW = "publicity.withdraw"    # 撤回, with its public reason
REMOVE = "publicity.remove"        # 到期撤下 (the job) or 提前撤下 (with its reason)
EXEMPT = "publicity.exempt"        # 不予公开, with its ground
COMMENT = "publicity.comment"      # a comment from the public (no actor)
REPLY = "publicity.reply"          # the agency's reply
LOOKUP = "publicity.lookup"        # a certificate number looked up on the portal (no actor)
EXPORT = "publicity.export"        # the 双公示 records exported
VIEW = "publicity.view"            # a version's served text (with the personal data) opened by staff
REFUSED = "publicity.refused"      # a refused act: its codes, never its text

READ_ACTIONS = frozenset({LOOKUP, EXPORT, VIEW, REFUSED})

ACTION_LABELS = {
    DRAFT: "拟定公示稿",
    REVIEW: "审核公示稿",
    APPROVE: "批准公示",
    PUBLISH: "发布公示",
    WITHDRAW: "撤回公示",
    REMOVE: "撤下公示",
    EXEMPT: "决定不予公开",
    COMMENT: "收到公众意见",
    REPLY: "答复公众意见",
    LOOKUP: "查询执法证",
    EXPORT: "导出双公示数据",
    VIEW: "查看公示稿原文",
    REFUSED: "拒绝公示操作",
}

STATE_CODES = {
    "publicity_entry": {"altered": "publicity.E001", "inserted": "publicity.E002", "deleted": "publicity.E003"},
    "publicity_version": {"altered": "publicity.E004", "inserted": "publicity.E005", "deleted": "publicity.E006"},
    "publicity_step": {"altered": "publicity.E007", "inserted": "publicity.E008", "deleted": "publicity.E009"},
    "publicity_exemption": {"altered": "publicity.E010", "inserted": "publicity.E011",
                            "deleted": "publicity.E012"},
    "publicity_comment": {"altered": "publicity.E013", "inserted": "publicity.E014", "deleted": "publicity.E015"},
    "publicity_reply": {"altered": "publicity.E016", "inserted": "publicity.E017", "deleted": "publicity.E018"},
}
BODY_NOT_SOURCE = "publicity.E019"    # a published body that is not its source minus its redactions
SOURCE_ALTERED = "publicity.E020"     # a source whose SHA-256 is not the one logged
