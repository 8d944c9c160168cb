"""The archive app's ledger vocabulary. Action names are part of the log: never renamed once used."""

EXPORT = "archive.export"  # a case's archival package made: the case, every file's SHA-256 (blobs)
VOLUME = "archive.volume"  # the 案卷 PDF downloaded: its SHA-256, pages and counts (detail)
REFUSED = "archive.refused"  # a refused act: its codes, never its text

# The export and the volume write no row: they are reads of the case's content, logged with what they produced.
READ_ACTIONS = frozenset({EXPORT, VOLUME})

ACTION_LABELS = {EXPORT: "导出归档信息包", VOLUME: "下载案卷（PDF）", REFUSED: "档案操作被拒绝"}
