"""The media app's ledger vocabulary: the purge action and the finding codes of `liuhen verify`
(stable ids, as Django's check ids). Action names are part of the log: never renamed once used."""

# ---- actions ------------------------------------------------------------------------------------
PURGE = "media.purge"  # a blob's bytes purged (the row and event first, then the bytes: media/purge.py)

ACTION_LABELS = {PURGE: "清除存储文件"}

# ---- finding codes of `liuhen verify` -------------------------------------------------------------
E001 = "media.E001"  # the store (local disk or S3) could not be reached: stored files left unchecked
E002 = "media.E002"  # a purge row altered (its blob, size, reason, who or when)
E003 = "media.E003"  # a purge row with no event (inserted behind the log's back: a blob "purged" by SQL)
E004 = "media.E004"  # a purge row the log knows is gone (deleted: the blob counts as missing again)

CODES = (E001, E002, E003, E004)

STATE_CODES = {"media_purge": {"altered": E002, "inserted": E003, "deleted": E004}}

# ---- system checks of the store's settings (Django check ids) -------------------------------------
CHECK_S3_ATTEMPTS = "liuhen.media.E001"  # LIUHEN_S3_ATTEMPTS is not a whole number from 1 to 10
CHECK_S3_CONNECT_TIMEOUT = "liuhen.media.E002"  # LIUHEN_S3_CONNECT_TIMEOUT is not a number of seconds in (0, 300]
CHECK_S3_READ_TIMEOUT = "liuhen.media.E003"  # LIUHEN_S3_READ_TIMEOUT is not a number of seconds in (0, 3600]
