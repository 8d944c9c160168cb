"""The ledger's rows. An Entry is one event — a write or a read — in canonical form.

The entry is written in the same database transaction as the change it describes, so neither
exists without the other. The Merkle tree over the entries (indexes, tiles, checkpoints) is built
from these rows by the integrator (issue 3).
"""
from django.db import models

from liuhen.common.append_only import AppendOnlyModel


class Entry(AppendOnlyModel):
    """日志条目 — one event in the tamper-evident log."""

    created_at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_version = models.IntegerField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # The exact bytes of the leaf (canonical JSON, UTF-8) and their RFC 6962 leaf hash.
    leaf = models.BinaryField()
    leaf_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "日志条目"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"
