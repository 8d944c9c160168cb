"""Stored bytes, known only by their SHA-256. The media app knows nothing of cases."""
from django.conf import settings
from django.db import models

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class Blob(AppendOnlyModel):
    """A stored file's content: written once under its hash, never changed."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "存储文件"

    def __str__(self):
        return self.sha256


class BlobPurge(LedgerState, AppendOnlyModel):
    """清除 — the stored bytes of a blob deleted, for good, after their retention ran out (LW-D 11)
    and a recovery period passed. The row and its ledger event (`media.purge`) are committed BEFORE
    the bytes are deleted: a purge interrupted between the two leaves a purged blob whose bytes are
    still there (deleted again by the next run), never bytes gone without a trace. The Blob row and
    its SHA-256 stay: what existed, and when it was removed, remain provable (LQ 29: nothing
    destroyed on one's own — this row says who decided, when and why)."""

    ledger_object_type = "media_purge"
    ledger_state_fields = ("blob_id", "size", "reason", "purged_by_id", "purged_at")

    blob = models.OneToOneField(Blob, on_delete=models.PROTECT, primary_key=True, related_name="purge")
    size = models.BigIntegerField("大小（字节）")
    reason = models.CharField("依据", max_length=500)
    # The person who ran the purge, or None for the scheduled run (the system).
    purged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="执行人")
    purged_at = models.DateTimeField("清除时间")

    class Meta:
        verbose_name = verbose_name_plural = "存储文件清除"

    def __str__(self):
        return self.blob_id
