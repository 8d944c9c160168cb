"""The documents app's ledger vocabulary (执法文书): its actions, which are reads, their Chinese
labels, the stable codes of `liuhen verify`'s findings about its rows and of its system check.
Action names are part of the log: never renamed once used."""

NUMBER = "documents.number"        # a 文号 given from its sequence (agency, kind, year, n, its text)
VOID = "documents.number_void"     # a 文号 voided with its reason (stays listed: the gap is explained)
ISSUE = "documents.issue"          # a document issued: its 文号, the sealed PDF's and the archive copy's SHA-256
SEAL_IMPORT = "documents.seal_import"  # the agency's seal certificate imported from a PKCS#12 (its fingerprint)
EXPORT = "documents.export"        # an issued document's PDF (or a draft) written out by `liuhen document`
NUMBERS_VIEW = "documents.numbers_view"  # the 文号 register read (which kind / year, how many rows)
REFUSED = "documents.refused"      # a refused act (incomplete record, issued twice, no right): its codes, never its text

READ_ACTIONS = frozenset({EXPORT, REFUSED, NUMBERS_VIEW})

ACTION_LABELS = {
    NUMBER: "编制文号",
    VOID: "作废文号",
    ISSUE: "签发文书（加盖电子印章）",
    SEAL_IMPORT: "导入电子印章证书",
    EXPORT: "导出文书",
    NUMBERS_VIEW: "查看文号登记簿",
    REFUSED: "拒绝文书操作",
}

# Events about an agency's seal as a whole (the certificate imported).
SEAL = "agency_seal"

# ---- finding codes of `liuhen verify` -------------------------------------------------------------

E001 = "documents.E001"  # a 文号 altered (its n, its text, the record it was given to…)
E002 = "documents.E002"  # a 文号 inserted behind the log's back
E003 = "documents.E003"  # a 文号 deleted (a gap nobody explained)
E004 = "documents.E004"  # a void altered (its reason…)
E005 = "documents.E005"  # a void inserted (a number voided without a trace)
E006 = "documents.E006"  # a void deleted (a voided number shown valid again)
E007 = "documents.E007"  # an issued document altered (its PDF's SHA-256, its token…)
E008 = "documents.E008"  # an issued document inserted
E009 = "documents.E009"  # an issued document deleted

STATE_CODES = {
    "document_number": {"altered": E001, "inserted": E002, "deleted": E003},
    "document_number_void": {"altered": E004, "inserted": E005, "deleted": E006},
    "issued_document": {"altered": E007, "inserted": E008, "deleted": E009},
}

# ---- system check (`liuhen check`, and before every management command) -----------------------------

CHECK_PUBLIC_URL = "liuhen.documents.E001"  # LIUHEN_PUBLIC_URL is not an http(s) URL without query or fragment
