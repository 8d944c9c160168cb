"""The records app's words for the ledger: its actions and the codes of its findings.

Services, views and `ledger_checks` use these names, never string literals, so that an auditor's
query or a test matches what the code writes (issue §7). Changing a value changes what new events
say: old events keep the old words, so a value here is never renamed, only added.
"""

# ---- Actions (event `action`, object type "record" unless said) -----------------------------------
CREATE = "record.create"
VERSION = "record.version"
ATTACH = "record.attach"
SIGN = "record.sign"
REFUSE = "record.refuse"  # a party's or witness's refusal to sign (LQ 17)
REFUSAL_CONFIRM = "record.refusal_confirm"
VOID = "record.void"
SUPPLEMENT = "record.supplement"  # 补充材料 added to a signed record
VIEW = "record.view"
DOWNLOAD = "record.download"
MARK_VIEW = "record.mark_view"  # a look at a signature's handwritten mark (签名笔迹) on the record page
TYPE_SYNC = "records.type_sync"  # object type "recordtype": the catalog sync wrote a record type
REFUSED = "records.refused"  # a refused act on a record, with its 4xx page (ledger/refusals.py)
TYPE_VERSION = "records.type_version"  # object type "recordtypeversion": a rule a record type had

# Actions that only read: they change no row, and the checks skip them.
READ_ACTIONS = frozenset({VIEW, DOWNLOAD, MARK_VIEW, REFUSED})  # declared to the ledger in RecordsConfig.ready()
WRITES = frozenset({CREATE, VERSION, ATTACH, SIGN, REFUSE, REFUSAL_CONFIRM, VOID, SUPPLEMENT})

# The audit pages' names for the actions added since the audit app listed the records app's own.
ACTION_LABELS = {MARK_VIEW: "查看签名笔迹"}

RECORD = "record"
TYPE_VERSION_OBJECT = "recordtypeversion"

# ---- Finding codes (liuhen verify) ------------------------------------------------------------------
E001 = "records.E001"  # a record the log names is gone
E002 = "records.E002"  # a record with no event
E003 = "records.E003"  # header (case, type, stage, serial, creator, creation time, pinned rule) altered
E004 = "records.E004"  # a version claimed twice
E005 = "records.E005"  # a version is gone
E006 = "records.E006"  # a version's content altered
E007 = "records.E007"  # a version's author, reason or time altered
E008 = "records.E008"  # a version with no event
E009 = "records.E009"  # an attachment claimed twice
E010 = "records.E010"  # an attachment is gone
E011 = "records.E011"  # an attachment's file, name, type, uploader, size or time altered
E012 = "records.E012"  # an attachment's stored file altered or lost
E013 = "records.E013"  # an attachment with no event
E014 = "records.E014"  # a signature claimed twice
E015 = "records.E015"  # a signature with no event
E016 = "records.E016"  # a signature altered (digest: signer, role, outcome, opinion, decision, time…)
E017 = "records.E017"  # a signature is gone
E018 = "records.E018"  # a refusal confirmation with no event
E019 = "records.E019"  # a refusal confirmation is gone
E020 = "records.E020"  # a void is gone
E021 = "records.E021"  # a void with no event
E022 = "records.E022"  # a void's reason, actor or time altered
E023 = "records.E023"  # a record row that cannot be read (see also ledger.E100)
E024 = "records.E024"  # a refusal confirmation's time altered
E025 = "records.E025"  # a supplement claimed twice
E026 = "records.E026"  # a supplement is gone
E027 = "records.E027"  # a supplement's note, files, author or time altered
E028 = "records.E028"  # a supplement's stored file altered or lost
E029 = "records.E029"  # a supplement with no event
E030 = "records.E030"  # a record type version (pinned rule) altered
E031 = "records.E031"  # a record type version is gone
E032 = "records.E032"  # a record type version with no event
E033 = "records.E033"  # a record's signature summary differs from its signatures (records.summary)
E034 = "records.E034"  # a signature's handwritten mark (签名笔迹): its stored file altered or lost

CHECK_SUMMARY = "liuhen.records.E101"  # the signature summary lacks a column for a (capacity, role) pair
