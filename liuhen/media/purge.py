"""Purging stored bytes (清除) in two steps that each leave a trace, and who else needs a blob.

A blob's bytes are deleted only by `purge_blob`: first its BlobPurge row and `media.purge` event,
committed; THEN the bytes, through the store (local disk or S3; idempotent). An interruption
between the two — a crash, the S3 service down — leaves a purged blob whose bytes are still
there: `pending_deletions()` names them and the next purge deletes them (`delete_bytes`). There is
never a blob gone without its event: `liuhen verify` reports one as missing (each checker's
BlobChecks), and a purged one as purged — information, not a finding.

Who decides that a blob may go is above media (the retention app, LW-D 11-12). Media only answers
one question for it: does any other row still need these bytes? Apps whose rows name blobs
register a `users` function (`register_blob_user`) that returns, of the SHA-256 given, those they
still need: a record's attachment (附件) or 补充材料 needs its file for as long as the record exists.
"""
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from liuhen.ledger import services as ledger

from . import store
from . import vocabulary as v
from .models import Blob, BlobPurge

BlobUser = Callable[[set[str]], set[str]]
_USERS: list[BlobUser] = []


def register_blob_user(fn: BlobUser) -> None:
    """`fn(shas) -> the subset of shas some row of the caller's still needs` (a bounded number of
    queries, whatever the number of SHA-256 given)."""
    if fn not in _USERS:
        _USERS.append(fn)


def needed_elsewhere(shas: Iterable[str]) -> set[str]:
    """Of `shas`, those some registered user still needs (never purged whatever their retention)."""
    wanted = set(shas)
    out: set[str] = set()
    for fn in list(_USERS):
        if not wanted:
            break
        out |= set(fn(set(wanted))) & wanted
    return out


def purged(shas: Iterable[str] | None = None) -> set[str]:
    """The SHA-256 of purged blobs (of `shas`, or all)."""
    qs = BlobPurge.objects.all()
    if shas is not None:
        qs = qs.filter(blob_id__in=list(shas))
    return set(qs.values_list("blob_id", flat=True))


def is_purged(sha256: str) -> bool:
    return BlobPurge.objects.filter(blob_id=sha256).exists()


def record_purge(blob: Blob, *, actor, reason: str, detail: dict | None = None) -> BlobPurge:
    """Step one: the purge row and its `media.purge` event, in one transaction (the caller commits
    it before `delete_bytes`). The SHA-256 stays in the Blob row and in the event (`blobs`)."""
    with transaction.atomic():
        row = BlobPurge(blob=blob, size=blob.size, reason=reason[:500], purged_by=actor, purged_at=timezone.now())
        row.save()
        ledger.append(v.PURGE, actor=actor, object_type=BlobPurge.ledger_object_type, object_id=blob.sha256,
                      content_sha256=row.ledger_digest(), blobs=[blob.sha256],
                      detail={"size": blob.size, **(detail or {})})
    return row


def delete_bytes(sha256: str) -> bool:
    """Step two, only for a purged blob: delete its bytes from the store (True if they were there).
    Raises StorageError / OSError when the store fails: the purge row stays, and the next run tries
    again (`pending_deletions`)."""
    if not is_purged(sha256):
        raise ValueError(f"blob {sha256} has no purge row: its bytes are not deleted")
    return store.delete(sha256)


def pending_deletions() -> list[str]:
    """Purged blobs whose bytes are still in the store (a purge interrupted after its event, or the
    store down then): the next purge run deletes them."""
    return [sha for sha in BlobPurge.objects.order_by("purged_at", "blob_id").values_list("blob_id", flat=True)
            if store.exists(sha)]
