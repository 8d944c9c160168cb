"""The inspections app's ledger vocabulary (音像记录抽检, LW-D 14): the actions it appends, which are
reads, their Chinese labels, and the stable codes of `liuhen verify`'s findings about its rows
(inspections/ledger_checks.py) and of its system checks. Action names are part of the log: never
renamed once used."""

# ---- actions ------------------------------------------------------------------------------------

# A round drawn: its criteria, the population's size and digest, the random seed and the sampled
# keys — everything anyone needs to draw the same sample again from the log.
DRAW = "inspections.draw"
FINDING = "inspections.finding"      # 检查结果 of one sampled item (a later one supersedes it)
CLOSE = "inspections.close"          # the round closed: every sampled item has a finding
VIEW = "inspections.view"            # the rounds, a round or the 抽检台账 looked at
EXPORT = "inspections.export"        # the 抽检台账 downloaded as an Excel workbook
REDRAW = "inspections.redraw"        # the sample drawn again from the logged seed and compared
DENIED = "inspections.denied"        # a service refused a person's act (its codes, never its text)
REFUSED = "inspections.refused"      # a web form refused before any service ran
# Migration 0002 widened a round's state (its attribution): one baseline event per round it filled.
STATE_BASELINE = "inspections.state_baseline"

READ_ACTIONS = frozenset({VIEW, EXPORT, REDRAW, DENIED, REFUSED})

ACTION_LABELS = {
    DRAW: "抽取抽检样本",
    FINDING: "记录抽检结果",
    CLOSE: "结束抽检轮次",
    VIEW: "查看抽检台账",
    EXPORT: "导出抽检台账",
    REDRAW: "重新抽取核对",
    DENIED: "拒绝抽检操作",
    REFUSED: "拒绝抽检表单",
    STATE_BASELINE: "状态基线（升级迁移）",
}

# Events about the agency's inspections as a whole (the list, the 台账, its export, a refused draw):
# the object id is the agency's. Not a checked subject — no row holds a state for it.
LEDGER = "inspection_ledger"

# ---- finding codes of `liuhen verify` -------------------------------------------------------------

E001 = "inspections.E001"  # a round row altered (its criteria, seed, sample…)
E002 = "inspections.E002"  # a round row with no event (inserted)
E003 = "inspections.E003"  # a round row the log knows is gone (deleted)
E004 = "inspections.E004"  # the population re-derived from the logged criteria has another digest or size
E005 = "inspections.E005"  # the sample re-drawn from the logged seed differs from the recorded sample
E006 = "inspections.E006"  # a finding row altered
E007 = "inspections.E007"  # a finding row inserted
E008 = "inspections.E008"  # a finding row deleted
E009 = "inspections.E009"  # a round's closing altered
E010 = "inspections.E010"  # a round's closing inserted
E011 = "inspections.E011"  # a round's closing deleted
E012 = "inspections.E012"  # a round's draw event is missing or unreadable (nothing to re-draw from)

STATE_CODES = {
    "inspection_round": {"altered": E001, "inserted": E002, "deleted": E003},
    "inspection_finding": {"altered": E006, "inserted": E007, "deleted": E008},
    "inspection_close": {"altered": E009, "inserted": E010, "deleted": E011},
}

# ---- system checks (`liuhen check`, and before every management command) ---------------------------

# Issue 15: both settings are replaced by the agency profile's inspections: section; each id now
# refuses its setting when still set (what they refused before, the profile loader refuses).
CHECK_CHECKLIST = "liuhen.inspections.E001"  # LIUHEN_INSPECTION_CHECKLIST is set: retired (was: malformed)
CHECK_ROLES = "liuhen.inspections.E002"      # LIUHEN_INSPECTION_ROLES is set: retired (was: an unknown role)
