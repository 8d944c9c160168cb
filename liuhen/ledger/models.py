"""The ledger's rows.

- Entry: one event — a write or a read — in canonical form (the leaf). Written in the same database
  transaction as the change it describes, so neither exists without the other.
- Pending: the queue of entries not yet in the tree (Trillian's "unsequenced" table), written in
  that same transaction; the integrator empties it.
- Sequenced: leaf index → entry, given by the one integrator running at a time, so that a slow or
  rolled-back writer leaves no gap and no fork.
- Tile: C2SP tlog-tiles — up to 256 hashes of the tree's nodes at height 8·level. Derived data,
  rewritten as the right edge grows; `liuhen verify` recomputes every tile.
- LogState: the integrator's lock and its right edge (compact range), one row.
- Checkpoint: signed tree heads (C2SP tlog-checkpoint in a signed note), append-only.
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


class Pending(models.Model):
    """An entry waiting for its leaf index."""

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, primary_key=True, related_name="+")


class Sequenced(AppendOnlyModel):
    """叶序号 — the entry at leaf index `seq` of the Merkle tree."""

    seq = models.BigIntegerField(primary_key=True)
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="sequenced")


class Tile(models.Model):
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    data = models.BinaryField()  # width × hash size bytes

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="tile_once")]


class LogState(models.Model):
    size = models.BigIntegerField(default=0)
    edge = models.BinaryField(default=b"")  # the compact range: complete subtree hashes, left to right
    root_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class Checkpoint(AppendOnlyModel):
    """签名检查点 — a signed statement of the tree's size and root at a time."""

    size = models.BigIntegerField(db_index=True)
    root_hash = models.CharField(max_length=64)
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class LogIdentity(models.Model):
    """日志身份 — what is fixed for the life of one log, one row: the hash of its leaves and nodes
    and its origin (the first line of every checkpoint), set by the first write (or, for a log
    older than this table, by migration 0003 from its first leaves and checkpoints); and the
    signing key in use, set when the key is announced in the log — the first one automatically at
    the first integration, every later one by `liuhen rotate_ledger_key` only.

    A process configured with another hash or origin refuses to write (storage.LogIdentityError):
    leaves of two hashes in one tree would never verify again."""

    hash_algo = models.CharField(max_length=16)
    origin = models.CharField(max_length=200)
    signature_algo = models.CharField(max_length=16, blank=True)  # of the announced key
    vkey = models.TextField(blank=True)  # the announced signing key's verifier key (signed-note vkey)
    key_entry_id = models.BigIntegerField(null=True, blank=True)  # the entry that announced it
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "日志身份"
