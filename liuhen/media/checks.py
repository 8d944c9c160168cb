"""The stored-file checks of `liuhen verify`, shared by the apps whose rows name blobs (footage
items, record attachments, 补充材料).

Each stored file is re-read and re-hashed (store.verify). When the store itself cannot be reached
(S3 service down, the disk unmounted or unreadable) that is not a finding about one file: the
checker reports it once — "存储不可达", code media.E001, with how many files went unchecked — skips
the other blob checks of that checker (each would wait for the same dead service) and goes on with
everything else; verify then exits non-zero, since nothing vouches for those files.

A purged blob (media/purge.py: a BlobPurge row, logged as `media.purge`) is not read at all: its
bytes were deleted on purpose, with a trace — `intact` answers None (nothing to report) and the
checker counts it (`purged`). A blob gone WITHOUT a purge row is missing, as before; a purge row
inserted behind the log's back is itself a finding (media.E003, `check_purge`), and a deleted one
makes its blob missing again."""
from liuhen.ledger.subjects import finding

from . import store
from . import vocabulary as v

UNREACHABLE = "unreachable"  # the finding's kind


class BlobChecks:
    """store.verify for one checker, which stops asking once the store is found unreachable."""

    def __init__(self, label: str, object_type: str):
        self.label, self.object_type = label, object_type
        self.error: OSError | None = None
        self.unchecked = 0
        self.purged = 0
        self._purged: set[str] | None = None

    def is_purged(self, sha256: str) -> bool:
        if self._purged is None:  # one query per checker, loaded when first needed
            from .models import BlobPurge

            self._purged = set(BlobPurge.objects.values_list("blob_id", flat=True))
        return sha256 in self._purged

    def intact(self, sha256: str) -> bool | None:
        """True when the stored bytes hash to `sha256`, False when they do not or are gone; None
        when the store could not be asked or the blob was purged (then the caller reports nothing
        about this file: a purged blob is counted in `purged`)."""
        if self.is_purged(sha256):
            self.purged += 1
            return None
        if self.error is not None:
            self.unchecked += 1
            return None
        try:
            return store.verify(sha256)
        except OSError as exc:  # StorageError (S3) or the disk failing: one file's, or the store's?
            if store.reachable():
                return False  # the store answers, this file cannot be read back whole: as if altered
            self.error = exc
            self.unchecked += 1
            return None

    def findings(self) -> list[dict]:
        if self.error is None:
            return []
        return [finding(UNREACHABLE, f"存储不可达：{self.unchecked} 个{self.label}的存储文件未能核对"
                                     f"（{str(self.error)[:300]}）；恢复存储后请重新核对",
                        f"{self.object_type}:*", code=v.E001)]


def check_purge(events):
    """Each purge row against the log (state_checker): altered, inserted (a blob declared purged by
    SQL, to hide its bytes' deletion) or deleted (then its blob is missing again: each checker's
    BlobChecks reports it)."""
    from liuhen.ledger.subjects import state_checker

    from .models import BlobPurge

    return state_checker(BlobPurge, codes=v.STATE_CODES[BlobPurge.ledger_object_type])(events)


def purged_summary() -> str:
    """The informational line of `liuhen verify` about purged blobs (not a finding)."""
    from .models import BlobPurge

    n = BlobPurge.objects.count()
    if not n:
        return ""
    return f"另有 {n} 个存储文件已按保存期限清除（media.purge 日志条目可证其曾存在及清除时间；不是问题）。"
