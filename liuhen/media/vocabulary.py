"""The media app's finding codes of `liuhen verify` (stable ids, as Django's check ids)."""

# ---- finding codes of `liuhen verify` -------------------------------------------------------------
E001 = "media.E001"  # the store (local disk or S3) could not be reached: stored files left unchecked

CODES = (E001,)
