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


def store_settings_check(app_configs=None, **kwargs):
    """System check: the S3 client's retry and timeout settings (LIUHEN_S3_*) are numbers it can use.
    A bad value is refused at start rather than replaced: a store that gives up at once, or waits
    for ever, is a choice the operator must see made."""
    from django.conf import settings
    from django.core import checks

    from . import vocabulary as v

    def number(value, integer: bool) -> bool:
        if isinstance(value, bool):
            return False
        return isinstance(value, int) if integer else isinstance(value, (int, float)) and value == value

    errors = []
    attempts = getattr(settings, "LIUHEN_S3_ATTEMPTS", 4)
    if not number(attempts, True) or not 1 <= attempts <= 10:
        errors.append(checks.Error(f"LIUHEN_S3_ATTEMPTS 应为 1 到 10 之间的整数（含第一次），现为 {attempts!r}。",
                                   hint="对象存储每次调用的尝试次数（含第一次），默认 4。", id=v.CHECK_S3_ATTEMPTS))
    for name, default, top, check_id, what in (
            ("LIUHEN_S3_CONNECT_TIMEOUT", 5, 300, v.CHECK_S3_CONNECT_TIMEOUT, "建立连接的等待秒数，默认 5"),
            ("LIUHEN_S3_READ_TIMEOUT", 60, 3600, v.CHECK_S3_READ_TIMEOUT, "等待应答的秒数，默认 60")):
        value = getattr(settings, name, default)
        if not number(value, False) or not 0 < value <= top:
            errors.append(checks.Error(f"{name} 应为大于 0、不超过 {top} 的秒数，现为 {value!r}。",
                                       hint=f"对象存储{what}。", id=check_id))
    return errors
