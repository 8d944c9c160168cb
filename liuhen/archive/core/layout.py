"""The layout of an archival package (归档信息包): a BagIt bag (RFC 8493, sha256 manifests) whose
payload is

    data/catalog.json                    卷内目录: the case, the items numbered in procedural order
                                         (立案 → 调查 → 审查 → 决定 → 送达 → 执行), each with its file,
                                         its metadata file, its SHA-256 and the leaf indexes of the
                                         ledger entries about it; the checkpoint they are proven against
    data/volume.pdf                      the 案卷 as one PDF/A: 卷宗封面, 卷内目录 (the catalog's items in
                                         its order, each document's 页号 range), the documents' pages
                                         numbered 1…M top right, 音像资料目录, 备考表; catalog.json
                                         names it {"volume": {"path", "sha256", "pages"}} and the
                                         export event carries its SHA-256
    data/documents/<serial>-<code>.pdf   each complete record as PDF/A (the issued archive copy, else
                                         rendered at export)
    data/media/<sha256>-<name>           the case's linked footage, byte for byte
    data/metadata/document-<serial>.xml  DA/T 46 metadata of a document
    data/metadata/media-<sha256>.xml     DA/T 63 (audio-video) / DA/T 54 (photo) metadata
    data/supplements/<n>-<name>          归档后补充材料 (a court's later judgement…), each as it was registered
    data/ledger/entries.jsonl            the ledger entries, one a line {"seq", "leaf", "proof"}
    data/ledger/checkpoint.note          the one signed checkpoint every proof is against
    data/ledger/log.vkey                 the log's verifier keys (check with a key got apart: --vkey)
"""
FORMAT = "liuhen-archive/1"
CATALOG = "catalog.json"
VOLUME = "volume.pdf"
DOCUMENTS = "documents"
MEDIA = "media"
SUPPLEMENTS = "supplements"
METADATA = "metadata"
LEDGER = "ledger"
ENTRIES = "ledger/entries.jsonl"
CHECKPOINT = "ledger/checkpoint.note"
VKEY = "ledger/log.vkey"

# Ledger actions the checker reads (archive/vocabulary.py, footage and documents vocabularies).
EXPORT = "archive.export"
FOOTAGE_ADD = "footage.add"
DOCUMENT_ISSUE = "documents.issue"
SUPPLEMENT = "archive.supplement"

# The metadata sets: the root element, and the elements every file of the kind carries (non-empty).
DOCUMENT_ROOT = "文书类电子文件元数据"  # DA/T 46
DOCUMENT_ELEMENTS = ("题名", "文号", "责任者", "日期", "件号", "页数", "密级", "保管期限", "格式", "哈希值")
MEDIA_ROOT = "录音录像类电子档案元数据"  # DA/T 63 (DA/T 54 for a photo)
PHOTO_ROOT = "照片类电子档案元数据"
MEDIA_ELEMENTS = ("题名", "拍摄者", "设备", "时间", "时长", "格式", "哈希值")
HASH_ELEMENT = "哈希值"
PAGES_ELEMENT = "页数"
DURATION_ELEMENT = "时长"  # "12.0秒", or 不适用 (a photo), 未知 (not probed)
FORMAT_ELEMENT = "格式"  # a document's "PDF/A-3b"; a media file's one of MEDIA_FORMAT_NAMES' values
# A media file's 格式 by the format its magic bytes say (check.sniff).
MEDIA_FORMAT_NAMES = {"mp4": "MP4", "wav": "WAV", "mp3": "MP3", "jpeg": "JPEG", "png": "PNG"}
