"""The avrules app's ledger vocabulary (音像记录规则): its actions, their Chinese labels and the
stable codes of `liuhen verify`'s findings about its rows. Action names are part of the log: never
renamed once used."""

FIELD_TRIP = "avrules.field_trip"        # an officer's field trip declared (AS 12)
INTERRUPTION = "avrules.interruption"    # a break in an act's footage explained (LQ 22)
DENIED = "avrules.denied"                # a refused act (no right, bad input): its codes, never its text
# The supervision page of footage (supervision.py) or one of its lists looked at: a read.
SUPERVISION = "avrules.supervision"
SUPERVISION_OBJECT = "av_supervision"    # its object: the agency supervised (id: the agency's)

READ_ACTIONS = frozenset({DENIED, SUPERVISION})

ACTION_LABELS = {
    FIELD_TRIP: "外出执法申报",
    INTERRUPTION: "音像记录中断说明",
    DENIED: "拒绝音像记录规则操作",
    SUPERVISION: "查看音像记录监督统计",
}

E001 = "avrules.E001"  # a field-trip declaration altered
E002 = "avrules.E002"  # a field-trip declaration inserted behind the log's back
E003 = "avrules.E003"  # a field-trip declaration deleted
E004 = "avrules.E004"  # an interruption note altered
E005 = "avrules.E005"  # an interruption note inserted
E006 = "avrules.E006"  # an interruption note deleted

STATE_CODES = {
    "av_field_trip": {"altered": E001, "inserted": E002, "deleted": E003},
    "av_interruption": {"altered": E004, "inserted": E005, "deleted": E006},
}

# ---- system checks (`liuhen check`, and before every management command) ---------------------------

CHECK_SETTING = "liuhen.avrules.E001"  # LIUHEN_AV_RULES is set: replaced by the agency profile (issue 15)
CHECK_ACT = "liuhen.avrules.E002"      # (issue 13, retired) an act change named an unknown field, kind or record type
