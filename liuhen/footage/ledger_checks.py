"""What `liuhen verify` asks of the footage app: does each ingest, footage item, link, unlink and
mark still say what the log last recorded for it, and do a footage item's stored bytes still hash
to the SHA-256 it names? A footage row re-attributed by SQL, a link deleted, or a byte flipped in
the stored video would each change the evidence (LQ 27, LW-D 10)."""
from liuhen.ledger.subjects import finding, state_checker
from liuhen.media.checks import BlobChecks

from . import vocabulary as v
from .models import FootageItem, FootageLink, FootageMark, FootageUnlink, Ingest, Upload, UploadEnd


def _coded_checker(model):
    return state_checker(model, codes=v.STATE_CODES[model.ledger_object_type])


check_ingest = _coded_checker(Ingest)
check_link = _coded_checker(FootageLink)
check_unlink = _coded_checker(FootageUnlink)
check_mark = _coded_checker(FootageMark)
check_upload = _coded_checker(Upload)
check_upload_end = _coded_checker(UploadEnd)
_check_item_rows = _coded_checker(FootageItem)


def check_item(events):
    """The rows against the log, then each item's stored bytes re-read and re-hashed (streamed)."""
    out = _check_item_rows(events)
    rows = FootageItem.objects.order_by("pk").values_list("pk", "blob_id", "name").iterator(chunk_size=500)
    blobs = BlobChecks("音像记录", FootageItem.ledger_object_type)
    for pk, sha, name in rows:
        if blobs.intact(sha) is False:
            evs = events.get(str(pk)) or []
            out.append(finding("altered", f"音像记录“{name}”的存储文件被修改或丢失（SHA-256 {sha[:12]}…）",
                               f"footage:{pk} blob:{sha}", evs[-1] if evs else None, code=v.E004))
    out.extend(blobs.findings())  # the store unreachable: said once, the rest checked all the same
    return out
