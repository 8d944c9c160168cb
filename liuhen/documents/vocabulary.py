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
REVOKE = "documents.revoke"        # an issued document revoked (撤销) by the 机关负责人: the withdrawal's digest
REPLACE = "documents.replace"      # an issued document replaced by a re-issued one (被替换): both ids, the digest
# The public verification page (扫码验真, anyone, no login): actor None, never the client's address.
PUBLIC_VIEW = "documents.public_view"    # the page of an issued document seen (its id)
PUBLIC_CHECK = "documents.public_check"  # a PDF compared there: the upload's SHA-256 and the verdict (never stored)

READ_ACTIONS = frozenset({EXPORT, REFUSED, NUMBERS_VIEW, PUBLIC_VIEW, PUBLIC_CHECK})

ACTION_LABELS = {
    NUMBER: "编制文号",
    VOID: "作废文号",
    ISSUE: "签发文书（加盖电子印章）",
    SEAL_IMPORT: "导入电子印章证书",
    EXPORT: "导出文书",
    NUMBERS_VIEW: "查看文号登记簿",
    REFUSED: "拒绝文书操作",
    REVOKE: "撤销文书",
    REPLACE: "文书被替换（重新签发）",
    PUBLIC_VIEW: "查看文书验真页",
    PUBLIC_CHECK: "上传文书比对验真",
}

# Refusal codes of the public page's upload check (documents.refused, act "public_check") and of a
# visit to an unknown or malformed link (act "public_view").
PUBLIC_CODES = ("no_file", "empty", "not_pdf", "too_large", "no_length", "method", "unknown_token", "bad_token")

# Verdicts of an upload check (in the documents.public_check event).
MATCH_PDF, MATCH_ARCHIVE, MISMATCH = "match_pdf", "match_archive", "mismatch"

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
E010 = "documents.E010"  # a revocation / replacement altered (its kind, reason, replacement…)
E011 = "documents.E011"  # a revocation / replacement inserted (a valid document shown revoked without a trace)
E012 = "documents.E012"  # a revocation / replacement deleted (a revoked document shown valid again)

STATE_CODES = {
    "document_number": {"altered": E001, "inserted": E002, "deleted": E003},
    "document_number_void": {"altered": E004, "inserted": E005, "deleted": E006},
    "issued_document": {"altered": E007, "inserted": E008, "deleted": E009},
    "document_withdrawal": {"altered": E010, "inserted": E011, "deleted": E012},
}

# ---- system check (`liuhen check`, and before every management command) -----------------------------

CHECK_PUBLIC_URL = "liuhen.documents.E001"  # LIUHEN_PUBLIC_URL is not an http(s) URL without query or fragment
