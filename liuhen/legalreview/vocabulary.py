"""The legal review's ledger vocabulary (重大执法决定法制审核): its actions, their Chinese labels, the
stable codes of `liuhen verify`'s findings about its rows. Action names are part of the log: never
renamed once used."""

ASSESS = "legalreview.assess"              # 重大执法决定认定: the proposal, the handler's conclusion (reason by hash)
SUBMIT = "legalreview.submit"              # 送审: the package (record ids, versions, hashes) and its record
REQUEST = "legalreview.request"            # the reviewer asks for more materials, by a date
ANSWER = "legalreview.answer"              # the handlers supply them
EXTEND_REQUEST = "legalreview.extend_request"  # the reviewer asks to extend the clock (LW-L 16)
EXTEND_DECIDE = "legalreview.extend_decide"    # the head approves or refuses it
REVIEW = "legalreview.review"              # the review: points, outcome (the reviewer's signature in the same transaction)
DISAGREE = "legalreview.disagree"          # the handling unit disagrees (LW-L 17)
RULE = "legalreview.rule"                  # the head decides after the collective discussion
QUALIFY = "legalreview.qualify"            # a reviewer's 法律职业资格 recorded
VIEW = "legalreview.view"                  # a review's page read
REFUSED = "legalreview.refused"            # a refused act: its codes, never its text

READ_ACTIONS = frozenset({VIEW, REFUSED})

ACTION_LABELS = {
    ASSESS: "认定重大执法决定",
    SUBMIT: "送法制审核",
    REQUEST: "要求补充材料",
    ANSWER: "补充材料",
    EXTEND_REQUEST: "申请延长审核期限",
    EXTEND_DECIDE: "审批延长审核期限",
    REVIEW: "出具法制审核意见",
    DISAGREE: "提出不同意见",
    RULE: "集体讨论后作出决定",
    QUALIFY: "登记法律职业资格",
    VIEW: "查看法制审核",
    REFUSED: "拒绝法制审核操作",
}

# `liuhen verify`: a row whose state differs from the last the log recorded (altered), a row the log
# never recorded (inserted), a row the log recorded that is gone (deleted) — per table.
STATE_CODES = {
    "major_assessment": {"altered": "legalreview.E001", "inserted": "legalreview.E002", "deleted": "legalreview.E003"},
    "review_submission": {"altered": "legalreview.E004", "inserted": "legalreview.E005", "deleted": "legalreview.E006"},
    "review_material_request": {"altered": "legalreview.E007", "inserted": "legalreview.E008",
                                "deleted": "legalreview.E009"},
    "review_material_answer": {"altered": "legalreview.E010", "inserted": "legalreview.E011",
                               "deleted": "legalreview.E012"},
    "review_extension_request": {"altered": "legalreview.E013", "inserted": "legalreview.E014",
                                 "deleted": "legalreview.E015"},
    "review_extension_decision": {"altered": "legalreview.E016", "inserted": "legalreview.E017",
                                  "deleted": "legalreview.E018"},
    "legal_review": {"altered": "legalreview.E019", "inserted": "legalreview.E020", "deleted": "legalreview.E021"},
    "review_disagreement": {"altered": "legalreview.E022", "inserted": "legalreview.E023",
                            "deleted": "legalreview.E024"},
    "review_ruling": {"altered": "legalreview.E025", "inserted": "legalreview.E026", "deleted": "legalreview.E027"},
    "reviewer_qualification": {"altered": "legalreview.E028", "inserted": "legalreview.E029",
                               "deleted": "legalreview.E030"},
}
