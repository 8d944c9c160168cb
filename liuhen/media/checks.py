"""The stored-file checks of `liuhen verify`, shared by the apps whose rows name blobs (footage
items, record attachments, 补充材料).

Each stored file is re-read and re-hashed (store.verify). When the store itself cannot be reached
(S3 service down, the disk unmounted or unreadable) that is not a finding about one file: the
checker reports it once — "存储不可达", code media.E001, with how many files went unchecked — skips
the other blob checks of that checker (each would wait for the same dead service) and goes on with
everything else; verify then exits non-zero, since nothing vouches for those files."""
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

    def intact(self, sha256: str) -> bool | None:
        """True when the stored bytes hash to `sha256`, False when they do not or are gone; None
        when the store could not be asked (then the caller reports nothing about this file)."""
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
