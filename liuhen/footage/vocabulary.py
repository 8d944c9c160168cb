"""The footage app's ledger vocabulary (音像记录): the actions it appends, which are reads, their
Chinese labels, the flags a footage item may carry, and the stable codes of the findings
`liuhen verify` makes about its rows (footage/ledger_checks.py). Action names are part of the log:
never renamed once used."""

# ---- actions ------------------------------------------------------------------------------------

INGEST = "footage.ingest"        # one ingest run began: device, who, the device clock against ours
ADD = "footage.add"              # one file taken into custody (the blob, its facts, its attribution)
LINK = "footage.link"            # linked to a case, a stage and optionally a record
UNLINK = "footage.unlink"        # that link ended (a new row; the link row stays)
MARK = "footage.mark"            # 重点文件 set or cleared
# A file of an ingest refused (not media, empty, outside the folder…): the code, never the name.
REJECTED = "footage.rejected"
# A refused act of a person (no right, an unknown device…).
DENIED = "footage.denied"
# The holding area or a case's footage was looked at.
VIEW = "footage.view"
# The playback page of one item was opened (object: the item; never a name).
PLAY = "footage.play"
# The item's bytes were served for playback or download (object: the item): one event per playback
# start, not one per range request (footage/playback.py says which requests are logged).
STREAM = "footage.stream"
# A sidecar (.NMEA, .gps, .txt, Info.dat) was downloaded.
DOWNLOAD = "footage.download"
# 音像记录查询: a search of the footage list (the filters as codes and ids, never a typed name).
SEARCH = "footage.search"

# Events about an agency's footage as a whole (a look at the holding area, a refused ingest).
HOLDING = "footage_holding"

READ_ACTIONS = frozenset({REJECTED, DENIED, VIEW, PLAY, STREAM, DOWNLOAD, SEARCH})

ACTION_LABELS = {
    INGEST: "导入音像记录",
    ADD: "音像记录入库",
    LINK: "音像记录关联案件",
    UNLINK: "取消音像记录关联",
    MARK: "标记重点文件",
    REJECTED: "拒收音像文件",
    DENIED: "拒绝音像记录操作",
    VIEW: "查看音像记录",
    PLAY: "打开音像记录播放页",
    STREAM: "播放音像记录",
    DOWNLOAD: "下载音像附属文件",
    SEARCH: "查询音像记录",
}

# ---- flags of a footage item (kept, shown; never resolved by guessing) ----------------------------

FLAG_NOT_SIGNED_OUT = "not_signed_out"      # the device was not signed out at the recording time
FLAG_UPLOADER_NOT_HOLDER = "uploader_not_holder"  # an officer ingested footage another officer held
FLAG_NO_TIME = "no_recording_time"          # neither metadata nor name gives the recording time
FLAG_CLOCK_NEVER_SET = "clock_never_set"    # the file's own time is a camera epoch (1970, 2000…)
FLAG_CLOCK_DRIFT = "clock_drift"            # the device clock at ingest was off by more than allowed
FLAG_NAME_MISMATCH = "name_mismatch"        # the name's device/officer/time disagree (discrepancies)

FLAG_LABELS = {
    FLAG_NOT_SIGNED_OUT: "录制时设备未被领用，未归属执法人员",
    FLAG_UPLOADER_NOT_HOLDER: "导入人不是录制时的设备领用人",
    FLAG_NO_TIME: "无法确定录制时间",
    FLAG_CLOCK_NEVER_SET: "设备时钟未设置",
    FLAG_CLOCK_DRIFT: "导入时设备时间误差超限",
    FLAG_NAME_MISMATCH: "文件名与登记信息不符",
}

# ---- finding codes of `liuhen verify` -------------------------------------------------------------

E001 = "footage.E001"  # a footage item row altered
E002 = "footage.E002"  # a footage item row with no event (inserted)
E003 = "footage.E003"  # a footage item the log knows is gone (deleted)
E004 = "footage.E004"  # a footage item's stored bytes no longer hash to its SHA-256 (or are gone)
E005 = "footage.E005"  # an ingest row altered
E006 = "footage.E006"  # an ingest row inserted
E007 = "footage.E007"  # an ingest row deleted
E008 = "footage.E008"  # a link row altered
E009 = "footage.E009"  # a link row inserted
E010 = "footage.E010"  # a link row deleted
E011 = "footage.E011"  # an unlink row altered
E012 = "footage.E012"  # an unlink row inserted
E013 = "footage.E013"  # an unlink row deleted
E014 = "footage.E014"  # a mark (重点文件) row altered
E015 = "footage.E015"  # a mark row inserted
E016 = "footage.E016"  # a mark row deleted

STATE_CODES = {
    "footage": {"altered": E001, "inserted": E002, "deleted": E003},
    "footage_ingest": {"altered": E005, "inserted": E006, "deleted": E007},
    "footage_link": {"altered": E008, "inserted": E009, "deleted": E010},
    "footage_unlink": {"altered": E011, "inserted": E012, "deleted": E013},
    "footage_mark": {"altered": E014, "inserted": E015, "deleted": E016},
}

# ---- uploads (断点续传: docking stations and the browser; footage/uploads.py) -----------------------

UPLOAD = "footage.upload"              # an upload declared (name, path, size, SHA-256, device, who)
UPLOAD_END = "footage.upload_end"      # its end: new / duplicate / rejected / mismatch / expired
# A refused request of the upload API (a bad name, an unknown device, a wrong offset, a chunk too
# large, someone else's upload, storage unavailable): the codes and the HTTP status, never the text.
UPLOAD_REFUSED = "footage.upload_refused"
# A dock asked whether files are stored and still hash (before it wipes a camera).
CONFIRM = "footage.confirm"

READ_ACTIONS = READ_ACTIONS | {UPLOAD_REFUSED, CONFIRM}
ACTION_LABELS.update({
    UPLOAD: "开始上传音像记录",
    UPLOAD_END: "音像记录上传结束",
    UPLOAD_REFUSED: "拒绝音像记录上传请求",
    CONFIRM: "核验音像记录是否已存储",
})

E017 = "footage.E017"  # an upload row altered (its device, uploader, declared hash…)
E018 = "footage.E018"  # an upload row inserted
E019 = "footage.E019"  # an upload row deleted
E020 = "footage.E020"  # an upload's end altered (its result, item, confirmation)
E021 = "footage.E021"  # an upload's end inserted
E022 = "footage.E022"  # an upload's end deleted

STATE_CODES.update({
    "footage_upload": {"altered": E017, "inserted": E018, "deleted": E019},
    "footage_upload_end": {"altered": E020, "inserted": E021, "deleted": E022},
})
