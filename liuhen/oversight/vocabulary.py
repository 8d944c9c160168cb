"""The findings engine's stable codes (发现的问题代码) with their Chinese titles. A code is never
renamed or reused once shipped: statistics, notices and the 评查 score card (ScoreItem.findings)
refer to it. `liuhen check --json` emits these codes; `liuhen verify`'s own codes
(e.g. records.E003) pass through unchanged with `liuhen check --verify`.
"""

MISSING_RECORD = "oversight.F001"
MISSING_SIGNATURE = "oversight.F002"
REFUSAL_UNCONFIRMED = "oversight.F003"
TOO_FEW_OFFICERS = "oversight.F004"
OFFICER_UNCERTIFIED = "oversight.F005"
AV_MISSING = "oversight.F006"
AV_LATE = "oversight.F007"
EMERGENCY_NOT_BACKFILLED = "oversight.F008"
RIGHTS_NOTICE_MISSING = "oversight.F009"
LEGAL_REVIEW_MISSING = "oversight.F010"
LEGAL_REVIEW_OVERDUE = "oversight.F011"
SERVICE_LATE = "oversight.F012"
ARCHIVE_LATE = "oversight.F013"
PUBLICITY_OVERDUE = "oversight.F014"
DEADLINE_OVERDUE = "oversight.F015"
VERIFY = "oversight.F016"
AV_UNDETERMINABLE = "oversight.F017"
DEADLINE_UNKNOWN = "oversight.F018"
WITHDRAWAL_LATE = "oversight.F019"
REPUBLICATION_LATE = "oversight.F020"

CODES = {
    MISSING_RECORD: "缺少应当制作的记录",
    MISSING_SIGNATURE: "记录缺少签字",
    REFUSAL_UNCONFIRMED: "当事人拒签未经两名执法人员确认",
    TOO_FEW_OFFICERS: "执法人员少于两人",
    OFFICER_UNCERTIFIED: "执法人员无有效执法证",
    AV_MISSING: "应当音像记录而未记录且无不适宜说明",
    AV_LATE: "音像记录逾期存储",
    EMERGENCY_NOT_BACKFILLED: "紧急先行启动未按时补批",
    RIGHTS_NOTICE_MISSING: "作出决定前未告知权利",
    LEGAL_REVIEW_MISSING: "重大执法决定未经法制审核",
    LEGAL_REVIEW_OVERDUE: "法制审核超期",
    SERVICE_LATE: "决定书送达超期",
    ARCHIVE_LATE: "立卷归档超期",
    PUBLICITY_OVERDUE: "行政处罚决定公示超期",
    DEADLINE_OVERDUE: "办理期限超期",
    VERIFY: "留痕核验发现问题",
    AV_UNDETERMINABLE: "无法判断音像记录是否按时存储",
    DEADLINE_UNKNOWN: "期限无法计算（工作日历缺少该年度）",
    WITHDRAWAL_LATE: "撤回公示逾期",
    REPUBLICATION_LATE: "重新公示逾期",
}

# The finding code of an overdue (or met-late) clock, by DeadlineSpec id; others: DEADLINE_OVERDUE.
DEADLINE_CODES = {
    "emergency_backfill": EMERGENCY_NOT_BACKFILLED,
    "av_upload": AV_LATE,
    "legal_review": LEGAL_REVIEW_OVERDUE,
    "service": SERVICE_LATE,
    "archive": ARCHIVE_LATE,
    "publicity": PUBLICITY_OVERDUE,
    "withdrawal": WITHDRAWAL_LATE,
    "republication": REPUBLICATION_LATE,
}


def title(code: str) -> str:
    return CODES.get(code, code)
