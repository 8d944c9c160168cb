"""The evaluation app's ledger vocabulary (案卷评查): the actions it appends, which are reads, their
Chinese labels, and the stable codes of `liuhen verify`'s findings about its rows
(evaluation/ledger_checks.py). Action names are part of the log: never renamed once used."""

# ---- actions ------------------------------------------------------------------------------------

# A round opened and drawn at once: its criteria, the population's size and digest, the seed (and
# whether the evaluator gave it), the sampled case ids and the pinned score cards' keys — everything
# anyone needs to draw the same sample again from the log.
OPEN = "evaluation.open"
SCORE = "evaluation.score"          # 评分 of one sampled file (a correction supersedes the earlier one)
ANSWER = "evaluation.answer"        # 整改反馈: the unit's answer to a file's score
RESPOND = "evaluation.respond"      # the evaluator's response to an answer
CLOSE = "evaluation.close"          # the round closed: every sampled file has a score
VIEW = "evaluation.view"            # rounds, a round, a file's score or the unit's results looked at
EXPORT = "evaluation.export"        # a round downloaded as an Excel workbook
REDRAW = "evaluation.redraw"        # the sample drawn again from the logged seed and compared
DENIED = "evaluation.denied"        # a service refused a person's act (its codes, never its text)
REFUSED = "evaluation.refused"      # a web form refused before any service ran

READ_ACTIONS = frozenset({VIEW, EXPORT, REDRAW, DENIED, REFUSED})

ACTION_LABELS = {
    OPEN: "组织案卷评查（抽取案卷）",
    SCORE: "案卷评分",
    ANSWER: "整改反馈",
    RESPOND: "回复整改反馈",
    CLOSE: "结束案卷评查",
    VIEW: "查看案卷评查",
    EXPORT: "导出案卷评查",
    REDRAW: "重新抽取核对（评查）",
    DENIED: "拒绝评查操作",
    REFUSED: "拒绝评查表单",
}

# Events about the agency's evaluation as a whole (the list, a refused opening, the unit's page):
# the object id is the agency's. Not a checked subject — no row holds a state for it.
LEDGER = "evaluation_ledger"

# ---- finding codes of `liuhen verify` -------------------------------------------------------------

E001 = "evaluation.E001"  # a round row altered (its scope, seed, sample, cards…)
E002 = "evaluation.E002"  # a round row with no event (inserted)
E003 = "evaluation.E003"  # a round row the log knows is gone (deleted)
E004 = "evaluation.E004"  # the population re-derived from the logged criteria has another digest or size
E005 = "evaluation.E005"  # the sample re-drawn from the logged seed differs from the recorded sample
E006 = "evaluation.E006"  # a score row altered
E007 = "evaluation.E007"  # a score row inserted
E008 = "evaluation.E008"  # a score row deleted
E009 = "evaluation.E009"  # an answer row altered
E010 = "evaluation.E010"  # an answer row inserted
E011 = "evaluation.E011"  # an answer row deleted
E012 = "evaluation.E012"  # a response row altered
E013 = "evaluation.E013"  # a response row inserted
E014 = "evaluation.E014"  # a response row deleted
E015 = "evaluation.E015"  # a round's closing altered
E016 = "evaluation.E016"  # a round's closing inserted
E017 = "evaluation.E017"  # a round's closing deleted
E018 = "evaluation.E018"  # a round's open event is missing (nothing to re-draw from)
E019 = "evaluation.E019"  # a score's total or grade does not follow from its items and its round's card

STATE_CODES = {
    "evaluation_round": {"altered": E001, "inserted": E002, "deleted": E003},
    "evaluation_score": {"altered": E006, "inserted": E007, "deleted": E008},
    "evaluation_answer": {"altered": E009, "inserted": E010, "deleted": E011},
    "evaluation_response": {"altered": E012, "inserted": E013, "deleted": E014},
    "evaluation_close": {"altered": E015, "inserted": E016, "deleted": E017},
}
