"""The workdays app's ledger vocabulary (工作日历): the actions it appends, which are reads, their
Chinese labels, and the stable codes of `liuhen verify`'s findings about its rows. Action names are
part of the log: never renamed once used."""

# ---- actions ------------------------------------------------------------------------------------

# A year's schedule loaded (from a file, the page or the demo): the row's state digest, and in the
# detail the year, the file's SHA-256, the notice's number, the holidays and adjusted workdays — the
# calendar can be rebuilt from the log alone.
LOAD = "workdays.load"
VIEW = "workdays.view"          # the calendar page looked at
DENIED = "workdays.denied"      # a service refused a person's act (its codes, never its text)
REFUSED = "workdays.refused"    # a web form refused before any service ran

READ_ACTIONS = frozenset({VIEW, DENIED, REFUSED})

ACTION_LABELS = {
    LOAD: "载入放假安排",
    VIEW: "查看工作日历",
    DENIED: "拒绝载入放假安排",
    REFUSED: "拒绝工作日历表单",
}

# Events about the calendar as a whole (the page, a refused load): not a checked subject.
CALENDAR = "workdays_calendar"

# ---- finding codes of `liuhen verify` -------------------------------------------------------------

E001 = "workdays.E001"  # a schedule row altered (its dates, notice, file…)
E002 = "workdays.E002"  # a schedule row with no event (inserted behind the log)
E003 = "workdays.E003"  # a schedule row the log knows is gone (deleted)
E004 = "workdays.E004"  # a schedule row whose stored file no longer hashes or no longer says its dates

STATE_CODES = {"altered": E001, "inserted": E002, "deleted": E003}
