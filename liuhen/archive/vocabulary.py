"""The archive app's ledger vocabulary. Action names are part of the log: never renamed once used."""

EXPORT = "archive.export"  # a case's archival package made: the case, every file's SHA-256 (blobs)

# The export writes no row: it is a read of the case's content, logged with what it produced.
READ_ACTIONS = frozenset({EXPORT})

ACTION_LABELS = {EXPORT: "导出归档信息包"}
