"""The cases app's words in the ledger: the actions its events carry, the reads it logs, and the
stable codes of the findings `liuhen verify` makes about its rows (ledger_checks.py).

Tests and auditors match on these codes, never on messages."""

# ---- writes ------------------------------------------------------------------------------------
CASE_CREATE = "case.create"
CASE_TRANSITION = "case.transition"  # advance, send back, close at start (程序启动 → 归档管理), archive
PARTY_ADD = "case.party_add"
PARTY_CORRECT = "case.party_correct"  # a new version of a party, superseding the old, with a reason
OFFICER_ASSIGN = "case.officer_assign"
GRANT = "case.grant"  # a time-limited access grant (调阅)
GRANT_REVOKE = "case.grant_revoke"

WRITE_ACTIONS = (CASE_CREATE, CASE_TRANSITION, PARTY_ADD, PARTY_CORRECT, OFFICER_ASSIGN, GRANT, GRANT_REVOKE)
STATE_ACTIONS = (CASE_CREATE, CASE_TRANSITION)  # events that log the case's own state
PARTY_ACTIONS = (PARTY_ADD, PARTY_CORRECT)

# ---- reads (每次查阅都留痕) ------------------------------------------------------------------
CASE_VIEW = "case.view"
PARTY_REVEAL = "case.party_reveal"  # an officer asked to see a party's full ID number and phone
REFUSED = "cases.refused"  # a refused act on a case, with its 4xx page (ledger/refusals.py)
READ_ACTIONS = (CASE_VIEW, PARTY_REVEAL, REFUSED)  # declared to the ledger in CasesConfig.ready()

# ---- finding codes ------------------------------------------------------------------------------
E001 = "cases.E001"  # case row gone while the log names it (deleted)
E002 = "cases.E002"  # case state (number, title, stage, archive…) differs from the last logged state
E003 = "cases.E003"  # case creation time differs from the creation event
E004 = "cases.E004"  # case row with no event (inserted)
E005 = "cases.E005"  # a row named twice by events (a second claim covering a rewrite)
E006 = "cases.E006"  # the case's pinned profile version differs from its creation event
E010 = "cases.E010"  # party gone (deleted)
E011 = "cases.E011"  # party data, version link or reason altered
E012 = "cases.E012"  # party with no event (inserted)
E013 = "cases.E013"  # party added by someone else / at another time than logged
E014 = "cases.E014"  # blind index no longer the keyed hash of the ID number
E015 = "cases.E015"  # party row cannot be read (its ciphertext does not decrypt)
E020 = "cases.E020"  # case officer gone (deleted)
E021 = "cases.E021"  # case officer altered
E022 = "cases.E022"  # case officer with no event (inserted)
E030 = "cases.E030"  # stage transition gone
E031 = "cases.E031"  # stage transition altered
E032 = "cases.E032"  # stage transition with no event
E040 = "cases.E040"  # access grant gone
E041 = "cases.E041"  # access grant altered
E042 = "cases.E042"  # access grant with no event
E043 = "cases.E043"  # grant revocation gone
E044 = "cases.E044"  # grant revocation altered
E045 = "cases.E045"  # grant revocation with no event

FINDING_CODES = {
    E001: "案件已不存在", E002: "案件状态被修改", E003: "立案时间被修改", E004: "案件没有日志条目",
    E005: "日志中重复记载同一行", E006: "案件适用的执法规则配置版本被修改",
    E010: "当事人已不存在", E011: "当事人信息被修改", E012: "当事人没有日志条目",
    E013: "当事人登记人或登记时间被修改", E014: "当事人检索索引被修改", E015: "当事人记录无法读取",
    E020: "承办人员记录已不存在", E021: "承办人员记录被修改", E022: "承办人员没有日志条目",
    E030: "阶段流转记录已不存在", E031: "阶段流转记录被修改", E032: "阶段流转没有日志条目",
    E040: "调阅授权已不存在", E041: "调阅授权被修改", E042: "调阅授权没有日志条目",
    E043: "撤销授权记录已不存在", E044: "撤销授权记录被修改", E045: "撤销授权没有日志条目",
}
