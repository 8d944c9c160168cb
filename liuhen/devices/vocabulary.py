"""The devices app's ledger vocabulary: the actions it appends, which of them are reads, their
Chinese labels (the audit administrator's screen shows these), and the stable codes of the findings
`liuhen verify` makes about its rows (devices/ledger_checks.py). Action names are part of the log:
never renamed once used."""

# ---- actions ------------------------------------------------------------------------------------

DEVICE_ADD = "devices.add"            # a recorder entered in the registry (设备登记)
DEVICE_CHANGE = "devices.change"      # its model, unit, custodian or status changed
SIGN_OUT = "devices.signout"          # 领用, with the pre-use check (LW-D 4, LQ 24)
RETURN = "devices.return"             # 归还, with its own check
STATION_ADD = "devices.station_add"        # a docking station (采集站) registered, its token made
STATION_ROTATE = "devices.station_rotate"  # its token replaced by a new one
STATION_REVOKE = "devices.station_revoke"  # its token no longer accepted
# A request with a station token that is wrong, or of a revoked station: refused (401), a read.
STATION_REFUSED = "devices.station_refused"
# A refused act (no right, a device already out, a device out of service…): a read, kept even
# though the act's transaction rolls back. The detail holds the act and error codes, no text.
DENIED = "devices.denied"
# A web form refused before any service ran (liuhen.ledger.refusals.record_refusal).
REFUSED = "devices.refused"
# The registry and a device's history were looked at.
VIEW = "devices.view"

# The device's life (LW-D 4, LQ 24, LQ 26): each a device_event row; a change of the device's status
# it brings is a DEVICE_STATUS event about the device (its new state's digest).
LIFE_CHECK = "devices.life_check"            # 定期检查保养: result, battery health, storage, clock
LIFE_FAULT = "devices.life_fault"            # 故障报告: out of service, no sign-out (LQ 26, LW-D 8)
LIFE_REPAIR_OUT = "devices.life_repair_out"  # 送修, to a named supplier (LQ 26: never self-repaired)
LIFE_REPAIR_BACK = "devices.life_repair_back"  # 修复返回: what was done, by whom, result
LIFE_SCRAP = "devices.life_scrap"            # 报废: final
DEVICE_STATUS = "devices.status"             # the status a life event brought
LIFE_ACTIONS = {"check": LIFE_CHECK, "fault": LIFE_FAULT, "repair_out": LIFE_REPAIR_OUT,
                "repair_back": LIFE_REPAIR_BACK, "scrap": LIFE_SCRAP}

# The object type of events about the registry as a whole (a look at the list, a refused new
# device): its id is the agency's. Not a checked subject — no row holds a state for it.
REGISTRY = "device_registry"

READ_ACTIONS = frozenset({DENIED, REFUSED, VIEW, STATION_REFUSED})

ACTION_LABELS = {
    DEVICE_ADD: "登记音像记录设备",
    DEVICE_CHANGE: "修改音像记录设备",
    SIGN_OUT: "领用设备",
    RETURN: "归还设备",
    DENIED: "拒绝设备操作",
    REFUSED: "拒绝设备表单",
    VIEW: "查看设备台账",
    LIFE_CHECK: "设备定期检查保养",
    LIFE_FAULT: "设备故障报告",
    LIFE_REPAIR_OUT: "设备送修",
    LIFE_REPAIR_BACK: "设备修复返回",
    LIFE_SCRAP: "设备报废",
    DEVICE_STATUS: "设备状态变更",
    STATION_ADD: "登记采集站",
    STATION_ROTATE: "更换采集站令牌",
    STATION_REVOKE: "停用采集站令牌",
    STATION_REFUSED: "拒绝采集站令牌",
}

# The object type of a refused token that names no station (a wrong token): its id is empty.
STATION_TOKENS = "dock_station_token"

# ---- finding codes of `liuhen verify` -------------------------------------------------------------

E001 = "devices.E001"  # a device's state differs from the last state logged (altered)
E002 = "devices.E002"  # a device with no event logging its state (inserted)
E003 = "devices.E003"  # a device the log knows is gone (deleted)
E004 = "devices.E004"  # a sign-out (领用) row altered
E005 = "devices.E005"  # a sign-out row with no event (inserted)
E006 = "devices.E006"  # a sign-out row the log knows is gone (deleted)
E007 = "devices.E007"  # a return (归还) row altered
E008 = "devices.E008"  # a return row with no event (inserted)
E009 = "devices.E009"  # a return row the log knows is gone (deleted)
E010 = "devices.E010"  # a docking station (采集站) altered: agency, active, token digest…
E011 = "devices.E011"  # a docking station with no event (inserted: a token slipped in by SQL)
E012 = "devices.E012"  # a docking station the log knows is gone (deleted)
E013 = "devices.E013"  # a life event (检查、故障、送修、修复返回、报废) altered
E014 = "devices.E014"  # a life event with no event in the log (inserted)
E015 = "devices.E015"  # a life event the log knows is gone (deleted)

STATE_CODES = {
    "device": {"altered": E001, "inserted": E002, "deleted": E003},
    "device_signout": {"altered": E004, "inserted": E005, "deleted": E006},
    "device_return": {"altered": E007, "inserted": E008, "deleted": E009},
    "dock_station": {"altered": E010, "inserted": E011, "deleted": E012},
    "device_event": {"altered": E013, "inserted": E014, "deleted": E015},
}

# ---- system check of the retired LIUHEN_DEVICES (devices/checks.py) -------------------------------------------

CHECK_SETTING = "liuhen.devices.E001"        # LIUHEN_DEVICES is set: replaced by the agency profile's devices: (issue 15)
# Retired with the setting (issue 15), never reused: the profile loader refuses these, with the line.
CHECK_EVERY_DAYS = "liuhen.devices.E002"     # (issue 14, retired) check_every_days not a positive whole number
CHECK_RATIO = "liuhen.devices.E003"          # (issue 14, retired) equipment_ratio not {"cameras": n, "officers": m}
