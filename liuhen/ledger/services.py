"""`append()` — the one way anything enters the ledger.

Every service that changes a record calls it inside its `transaction.atomic()` block; views call
it for reads (record views, downloads, exports, logins).
"""
import datetime
import json

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from liuhen.common import context

from .core.canonical import canonical_bytes
from .core.hashing import leaf_hash
from .models import Entry

LEAF_VERSION = 1


def hash_algo() -> str:
    return getattr(settings, "LIUHEN_LEDGER_HASH", "sha256")


def append(
    action: str,
    *,
    actor=None,
    object_type: str = "",
    object_id="",
    object_version: int | None = None,
    content_sha256: str = "",
    blobs: list[str] | tuple[str, ...] = (),
    detail: dict | None = None,
) -> Entry:
    """Append one event. Writes must call this inside their own atomic block.

    `actor` is a user (or None for the system); `content_sha256` is the hash of the object's
    content as it is after the change; `blobs` the SHA-256 of each stored file it covers.
    """
    if action.split(".")[-1] not in READ_ACTIONS and not connection.in_atomic_block:
        # No change without its entry: a write's entry must commit with the write.
        raise RuntimeError(f"ledger.append({action!r}) for a write must run inside transaction.atomic()")
    ctx = context.current()
    now = timezone.now()
    roles = sorted(actor.role_codes()) if actor is not None and hasattr(actor, "role_codes") else []
    event = {
        "v": LEAF_VERSION,
        "time": now.isoformat(timespec="microseconds"),
        "action": action,
        "actor": {"id": actor.pk, "username": actor.get_username(), "roles": roles} if actor is not None else None,
        "object": {"type": object_type, "id": str(object_id), "version": object_version},
        "content_sha256": content_sha256,
        "blobs": sorted(blobs),
        "request": {"id": ctx.request_id, "channel": ctx.channel, "ip": ctx.ip},
        "detail": detail or {},
    }
    leaf = canonical_bytes(event)
    with transaction.atomic():
        return Entry.objects.create(
            created_at=now,
            action=action,
            actor_id=actor.pk if actor is not None else None,
            object_type=object_type,
            object_id=str(object_id),
            object_version=object_version,
            request_id=ctx.request_id,
            leaf=leaf,
            leaf_hash=leaf_hash(leaf, hash_algo()).hex(),
        )


# Actions that record a read: they may be appended outside a write transaction.
READ_ACTIONS = {"view", "download", "export", "login", "logout", "login_failed", "denied"}


def event_of(entry: Entry) -> dict:
    return json.loads(bytes(entry.leaf).decode("utf-8"))


def trail(object_type: str, object_id) -> list[dict]:
    """Every event about one object, oldest first (a record's 留痕 trace)."""
    entries = Entry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("id")
    out = []
    for e in entries:
        event = event_of(e)
        out.append(dict(event, entry_id=e.pk, at=datetime.datetime.fromisoformat(event["time"])))
    return out
