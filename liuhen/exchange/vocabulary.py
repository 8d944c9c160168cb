"""The exchange app's ledger vocabulary (数据交换): its actions, which are reads, their Chinese labels,
the scopes a client may be granted and the stable codes of its refusals. Action names and codes are
part of the log: never renamed once used."""

CLIENT_ADD = "exchange.client_add"        # a platform's client registered (its scopes, expiry; the token's SHA-256 in its state)
CLIENT_REVOKE = "exchange.client_revoke"  # a client's token refused from now on
CALL = "exchange.call"                    # one answered call: the client, route, status, count of items
REFUSED = "exchange.refused"              # a refused call: its code (missing, unknown, expired, revoked, scope,
                                          # too_large, rate_limited, malformed…), never the token
VIEW = "exchange.view"                    # the list of clients looked at (`liuhen api client list`)
OFFICER_RECEIVE = "exchange.officer_receive"  # an officer received from the provincial platform: its id → the account made
PUSH_BATCH = "exchange.push_batch"        # a batch of changes made for the supervision platform (its SHA-256, counts)
PUSH_ATTEMPT = "exchange.push_attempt"    # one sending of a batch: the platform's status (none: unreachable)

READ_ACTIONS = frozenset({CALL, REFUSED, VIEW})

ACTION_LABELS = {
    CLIENT_ADD: "登记对接平台",
    CLIENT_REVOKE: "停用对接平台令牌",
    CALL: "接口调用",
    REFUSED: "拒绝接口调用",
    VIEW: "查看对接平台",
    OFFICER_RECEIVE: "接收平台报送的执法人员",
    PUSH_BATCH: "生成推送批次",
    PUSH_ATTEMPT: "向监督平台推送",
}

# Events about the instance's clients as a whole (a refused call that names no client).
CLIENTS = "api_clients"

# ---- scopes -----------------------------------------------------------------------------------------

CASES_READ = "cases:read"
DECISIONS_READ = "decisions:read"
PUBLICITY_READ = "publicity:read"
STATISTICS_READ = "statistics:read"
MATTERS_WRITE = "matters:write"
OFFICERS_WRITE = "officers:write"
# 上级监督: with it, the client's read scopes also read the agencies its agency supervises now
# (accounts.Supervision, not ended) — `?agency=` names one; never another's writes.
SUPERVISED_READ = "supervised:read"

SCOPES = {
    CASES_READ: "读取案件",
    DECISIONS_READ: "读取处罚决定",
    PUBLICITY_READ: "读取双公示信息",
    STATISTICS_READ: "读取年度统计",
    MATTERS_WRITE: "报送执法事项",
    OFFICERS_WRITE: "报送执法人员和执法证",
    SUPERVISED_READ: "读取本机关所监督机关的数据（与各读取权限合用，`agency=` 指定机关）",
}
READ_SCOPES = frozenset({CASES_READ, DECISIONS_READ, PUBLICITY_READ, STATISTICS_READ})

# ---- refusal codes ------------------------------------------------------------------------------------

MISSING = "missing"
UNKNOWN = "unknown"
EXPIRED = "expired"
REVOKED = "revoked"
SCOPE = "scope"
TOO_LARGE = "too_large"
RATE_LIMITED = "rate_limited"
UNKNOWN_FIELD = "unknown_field"
MALFORMED = "malformed"
INVALID = "invalid"          # a body the drafting service refused (its error codes in the event)
AGENCY = "agency"            # `agency=` names an agency the client's agency does not supervise now

# ---- finding codes of `liuhen verify` ---------------------------------------------------------------

E001 = "exchange.E001"  # a client altered (its scopes widened, its expiry moved, another token's SHA-256)
E002 = "exchange.E002"  # a client inserted behind the log's back (a token nobody issued)
E003 = "exchange.E003"  # a client deleted
E004 = "exchange.E004"  # a revocation altered
E005 = "exchange.E005"  # a revocation inserted
E006 = "exchange.E006"  # a revocation deleted (a revoked token working again)
E007 = "exchange.E007"  # a received officer's link altered (the platform's id now names another account)
E008 = "exchange.E008"  # a received officer inserted
E009 = "exchange.E009"  # a received officer deleted
E010 = "exchange.E010"  # a push batch altered (what the log says was sent is not what is kept)
E011 = "exchange.E011"  # a push batch inserted
E012 = "exchange.E012"  # a push batch deleted
E013 = "exchange.E013"  # a push attempt altered (a failure turned into an acknowledgement)
E014 = "exchange.E014"  # a push attempt inserted
E015 = "exchange.E015"  # a push attempt deleted

# ---- system checks (`liuhen check`, and `liuhen api push` before it sends) ---------------------------

CHECK_TARGETS = "liuhen.exchange.E001"        # LIUHEN_PUSH_TARGETS unreadable, not JSON, an entry malformed
CHECK_TARGET_URL = "liuhen.exchange.E002"     # a target's url is not an http(s) URL with a host
CHECK_TARGET_TOKEN = "liuhen.exchange.E003"   # a target's token_env is not set in the environment
CHECK_TARGET_AGENCY = "liuhen.exchange.W001"  # a target names no agency of the instance (or several)

STATE_CODES = {
    "api_client": {"altered": E001, "inserted": E002, "deleted": E003},
    "api_client_revocation": {"altered": E004, "inserted": E005, "deleted": E006},
    "received_officer": {"altered": E007, "inserted": E008, "deleted": E009},
    "push_batch": {"altered": E010, "inserted": E011, "deleted": E012},
    "push_attempt": {"altered": E013, "inserted": E014, "deleted": E015},
}
