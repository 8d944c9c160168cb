"""The archive app's ledger vocabulary. Action names are part of the log: never renamed once used."""

EXPORT = "archive.export"  # a case's archival package made: the case, every file's SHA-256 (blobs)
ASSEMBLE = "archive.assemble"  # 组卷: the 案卷 and the documents' PDF/A rendered once and stored (blobs)
ASSEMBLE_DOCUMENT = "archive.assemble_document"  # one document's PDF/A of an assembly: its record, version, SHA-256
VOLUME = "archive.volume"  # the 案卷 PDF downloaded: its SHA-256, pages and counts (detail)
SUPPLEMENT = "archive.supplement"  # a paper added to an archived case (补充材料): its file's SHA-256
IMPORT = "archive.import"  # another instance's package taken in after its 四性检测: tagmanifest, catalog
IMPORT_FILE = "archive.import_file"  # one file of an imported package, stored: its path and SHA-256
VIEW = "archive.view"  # the archive room read: a supplement's or an imported file opened, a package's page
REFUSED = "archive.refused"  # a refused act (an import failing its 四性检测, a supplement, a volume): its codes, never text

# The export and the volume write no row: they are reads of the case's content, logged with what they produced.
READ_ACTIONS = frozenset({EXPORT, VOLUME, VIEW, REFUSED})

ACTION_LABELS = {
    EXPORT: "导出归档信息包",
    ASSEMBLE: "组卷",
    ASSEMBLE_DOCUMENT: "组卷：卷内文件 PDF/A",
    VOLUME: "下载案卷（PDF）",
    SUPPLEMENT: "登记归档后补充材料",
    IMPORT: "接收归档信息包",
    IMPORT_FILE: "存入接收的归档信息包文件",
    VIEW: "查看档案",
    REFUSED: "拒绝档案操作",
}

# `liuhen verify`: a row whose state differs from the last the log recorded (altered), a row the log
# never recorded (inserted), a row the log recorded that is gone (deleted) — per table.
STATE_CODES = {
    "archive_supplement": {"altered": "archive.E001", "inserted": "archive.E002", "deleted": "archive.E003"},
    "archive_imported_package": {"altered": "archive.E004", "inserted": "archive.E005", "deleted": "archive.E006"},
    "archive_imported_file": {"altered": "archive.E007", "inserted": "archive.E008", "deleted": "archive.E009"},
    "archive_assembled_file": {"altered": "archive.E010", "inserted": "archive.E011", "deleted": "archive.E012"},
    "archive_assembled_document": {"altered": "archive.E013", "inserted": "archive.E014", "deleted": "archive.E015"},
}
