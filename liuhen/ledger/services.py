"""`append()` — the one way anything enters the ledger.

Every service that changes a record calls it inside its `transaction.atomic()` block; views call
it for reads (record views, downloads, exports, logins).
"""
import datetime
import json

from django.db import connection, transaction
from django.utils import timezone

from liuhen.common import context

from . import vocabulary
from .core.canonical import canonical_bytes
from .core.hashing import leaf_hash
from .config import hash_algo
from .identity import check_append
from .models import Entry

LEAF_VERSION = 1


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
    if not connection.in_atomic_block and not vocabulary.is_read(action):
        # No change without its entry: a write's entry must commit with the write. Reads are the
        # actions declared as such (vocabulary.register_read_actions), by their full name.
        raise RuntimeError(f"ledger.append({action!r}) for a write must run inside transaction.atomic() "
                           "(a read action must be declared with liuhen.ledger.vocabulary.register_read_actions)")
    object_id = str(object_id)
    for name, value in (("action", action), ("object_type", object_type), ("object_id", object_id)):
        if len(value) > 64:  # the index columns' width, on every database (SQLite would not say)
            raise ValueError(f"ledger.append: {name} longer than 64 characters: {value[:80]!r}")
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
    check_append()  # this process hashes as the log does (LIUHEN_LEDGER_HASH), or it writes nothing
    entry = Entry(created_at=now, action=action, actor_id=actor.pk if actor is not None else None,
                  object_type=object_type, object_id=str(object_id), object_version=object_version,
                  request_id=ctx.request_id, leaf=leaf, leaf_hash=leaf_hash(leaf, hash_algo()).hex())
    # Every change and every read of the system passes here: two plain INSERTs on the driver's own
    # cursor, no savepoint and no model machinery (the ORM path cost three quarters of the time,
    # Django's cursor wrapper a fifth of the rest — measured by bench/ledger.py). They are not in
    # Django's DEBUG query log; the log itself records them.
    with transaction.atomic(savepoint=False):
        connection.validate_no_broken_transaction()  # as Django's own cursor would
        cur = connection.connection.cursor()  # the transaction has begun: the connection is open
        try:
            insert_entry, insert_pending = _STATEMENTS[connection.vendor == "sqlite"]
            cur.execute(insert_entry, (
                connection.ops.adapt_datetimefield_value(now), entry.action, entry.actor_id, entry.object_type,
                entry.object_id, entry.object_version, entry.request_id, leaf, entry.leaf_hash))
            entry.pk = cur.fetchone()[0]
            cur.execute(insert_pending, (entry.pk,))  # the integrator gives it its leaf index
        finally:
            cur.close()
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry



def append_public(action: str, object_type: str, object_id, detail: dict, *, content_sha256: str = "") -> Entry:
    """An act of an anonymous visitor of a public page (a read of the verification page, a comment on
    the portal): actor None, and the request's context without the client's IP address — a visitor's
    address is personal data the page has no need of (个人信息保护法 6: no more than the purpose needs);
    the request id still ties the events of one visit. In its own atomic block unless already in one."""
    ctx = context.current()
    token = context.bind(context.RequestContext(request_id=ctx.request_id, ip="", channel=ctx.channel))
    try:
        with transaction.atomic():
            return append(action, actor=None, object_type=object_type, object_id=str(object_id)[:64],
                          content_sha256=content_sha256, detail=detail)
    finally:
        context.reset(token)

def append_row(action: str, actor, row, **detail) -> Entry:
    """Append the event of writing `row` — a ledger subject (ledger.subjects.LedgerState): its type, id
    and the digest of its state — with `detail`. Inside the write's transaction, as `append`."""
    return append(action, actor=actor, object_type=row.ledger_object_type, object_id=row.pk,
                  content_sha256=row.ledger_digest(), detail=detail)


_INSERT_ENTRY = (
    "INSERT INTO ledger_entry (created_at, action, actor_id, object_type, object_id, object_version, "
    "request_id, leaf, leaf_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id")
_INSERT_PENDING = "INSERT INTO ledger_pending (entry_id) VALUES (%s)"
# By "is SQLite": its driver takes qmark parameters, psycopg takes them as written.
_STATEMENTS = {False: (_INSERT_ENTRY, _INSERT_PENDING),
               True: (_INSERT_ENTRY.replace("%s", "?"), _INSERT_PENDING.replace("%s", "?"))}


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


def prove(entry_ids) -> dict:
    """Inclusion proofs of entries against the latest signed checkpoint, each checked here with the
    same verifier an auditor runs (core.tree.verify_inclusion). It reads only: a proof request
    neither sequences nor signs, so an entry the latest signed checkpoint does not cover yet (still
    queued, or integrated since) is "尚未并入已签名的树" until the integrator's next checkpoint.

    What is proven is the hash of the leaf bytes, the very bytes the trail shows, recomputed here:
    not the stored `leaf_hash` column, which would still prove after the bytes had been altered.
    An entry whose bytes no longer hash to its column fails whatever its proof says."""
    from .core import checkpoint as cp
    from .core import tree
    from .signing import verifiers
    from .storage import TileReader, latest_checkpoint

    ckpt = latest_checkpoint()
    if ckpt is None:
        return {"checkpoint": None, "proofs": []}
    body, _ = cp.open_checkpoint(ckpt.note, verifiers())
    algo = hash_algo()
    reader = TileReader(body.size)
    seqs = dict(Entry.objects.filter(id__in=entry_ids, sequenced__isnull=False)
                .values_list("id", "sequenced__seq"))
    rows = {pk: (bytes(leaf), stored) for pk, leaf, stored in
            Entry.objects.filter(id__in=entry_ids).values_list("id", "leaf", "leaf_hash")}
    proofs = []
    for entry_id in entry_ids:
        seq = seqs.get(entry_id)
        if seq is None or seq >= body.size:
            # Not a failure: the integrator has not signed it yet (pending: True tells the two apart).
            proofs.append({"entry_id": entry_id, "seq": seq, "ok": False, "pending": True, "error": "尚未并入已签名的树"})
            continue
        leaf, stored = rows[entry_id]
        h = leaf_hash(leaf, algo)
        proof = reader.proof(tree.inclusion_ranges(seq, body.size))
        try:
            tree.verify_inclusion(h, seq, body.size, proof, body.root_hash, algo=algo)
            ok, error = True, ""
        except ValueError as exc:
            ok, error = False, str(exc)
        if h.hex() != stored:
            ok, error = False, "日志条目内容与其叶哈希不符"
        proofs.append({"entry_id": entry_id, "seq": seq, "ok": ok, "pending": False, "error": error,
                       "leaf_hash": h.hex(), "proof": [p.hex() for p in proof]})
    return {"checkpoint": {"size": body.size, "root": body.root_hash.hex(), "origin": body.origin,
                           "note": ckpt.note, "created_at": ckpt.created_at}, "proofs": proofs}


def count_recent(action: str, object_type: str, object_id: str, since) -> int:
    """How many `action` events about one object since a time (e.g. failed logins of a username)."""
    return Entry.objects.filter(action=action, object_type=object_type, object_id=str(object_id)[:64],
                                created_at__gte=since).count()
