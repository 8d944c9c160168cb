"""The ledger vocabulary of the oversight pages (待办, 提醒, 执法监督, 统计, 导出): the actions they
append, their Chinese labels, and the stable codes of `liuhen verify`'s findings about the notice
marks (notice_models.NoticeMark). Action names are part of the log: never renamed once used.

(The findings engine's own codes are in the engine's vocabulary; these pages only read them.)"""

# ---- actions ------------------------------------------------------------------------------------

TODO_VIEW = "oversight.todo_view"        # 我的待办 looked at (it shows case numbers, titles, records)
NOTICES_VIEW = "oversight.notices_view"  # the list of notices looked at
NOTICES_SEEN = "oversight.notices_seen"  # "mark as seen": a NoticeMark appended (a write)
VIEW = "oversight.view"                  # a supervision page looked at (findings, cases, statistics)
EXPORT = "oversight.export"              # findings or statistics downloaded as an Excel workbook
REFUSED = "oversight.refused"            # a filter or form refused (400), before anything was read

READ_ACTIONS = frozenset({TODO_VIEW, NOTICES_VIEW, VIEW, EXPORT, REFUSED})

ACTION_LABELS = {
    TODO_VIEW: "查看我的待办",
    NOTICES_VIEW: "查看提醒",
    NOTICES_SEEN: "提醒标记为已读",
    VIEW: "查看执法监督",
    EXPORT: "导出执法监督数据",
    REFUSED: "拒绝执法监督查询",
}

# Reads of the agency's oversight as a whole: the object id is the agency's (not a checked subject).
SUPERVISION_OBJECT = "oversight"
# The user's to-do list and notices: the object id is the user's.
TODO_OBJECT = "oversight_todo"

# ---- finding codes of `liuhen verify` about the notice marks -------------------------------------

E501 = "oversight.E501"  # a notice mark altered (who, up to which finding event, which deadlines)
E502 = "oversight.E502"  # a notice mark with no event (inserted behind the log's back)
E503 = "oversight.E503"  # a notice mark the log knows is gone (deleted)

NOTICE_MARK_OBJECT = "oversight_notice_mark"
STATE_CODES = {NOTICE_MARK_OBJECT: {"altered": E501, "inserted": E502, "deleted": E503}}

# ---- system checks -------------------------------------------------------------------------------

CHECK_TODO_DAYS = "liuhen.oversight.E501"  # LIUHEN_TODO_DUE_DAYS is not a whole number from 1 to 60
