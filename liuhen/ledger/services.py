"""`append()` — the one way anything enters the ledger — and its batched form.

Every service that changes a record calls it inside its `transaction.atomic()` block; views call
it for reads (record views, downloads, exports, logins). Code that appends many events in one
transaction (an import, the record-type catalog sync) wraps them in `appending()` or calls
`append_many()`: the same entries, leaf for leaf, in one multi-row INSERT per hundred.
"""
import contextlib
import contextvars
import datetime
import itertools
import json
from collections.abc import Iterable, Mapping
from json.encoder import c_make_encoder

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from liuhen.common import context

from . import vocabulary
from .core.canonical import canonical_bytes
from .core.hashing import digest_function, leaf_hash
from .config import hash_algo
from .identity import check_append
from .models import Entry

LEAF_VERSION = 1
CHUNK = 100  # rows per multi-row INSERT: 9 columns x 100 = 900 parameters, under SQLite's old limit of 999
_UTC = datetime.timezone.utc


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
    Inside `appending()` the entry is written when the batch ends (its pk is None until then).
    """
    batch = _batch.get()
    if batch is not None:  # inside appending(), on this thread's connection
        conn = batch.conn
        row = _row(conn, action, actor, object_type, object_id, object_version, content_sha256, blobs, detail)
        check_append(conn)
        return batch.add(row)
    conn = connections[DEFAULT_DB_ALIAS]  # once: each attribute read through django.db.connection costs a lookup
    if not conn.in_atomic_block and not vocabulary.is_read(action):
        raise _outside_atomic(action)
    row = _row(conn, action, actor, object_type, object_id, object_version, content_sha256, blobs, detail)
    check_append(conn)  # this process hashes as the log does (LIUHEN_LEDGER_HASH), or it writes nothing
    if conn.in_atomic_block:
        return _write_one(conn, row)
    with transaction.atomic(savepoint=False):  # a read outside any transaction: both rows or neither
        return _write_one(conn, row)


def append_many(events: Iterable[Mapping]) -> list[Entry]:
    """Append several events, each a mapping of `append()`'s arguments (`action` included), in one
    write: the same entries, in the same order, as one `append()` each. Every event is built and
    checked before anything is written; one that cannot be (a name too wide, a write outside a
    transaction) writes none of them. Inside `appending()`, they join its batch."""
    batch = _batch.get()
    conn = batch.conn if batch is not None else connections[DEFAULT_DB_ALIAS]
    events = list(events)
    if not conn.in_atomic_block:
        for event in events:
            if not vocabulary.is_read(event["action"]):
                raise _outside_atomic(event["action"])
        with transaction.atomic(savepoint=False):
            return append_many(events)
    rows = [_row_of(conn, **event) for event in events]
    check_append(conn)
    if batch is not None:
        return [batch.add(row) for row in rows]
    entries = [_entry(conn, row, None) for row in rows]
    if rows:
        _write_many(conn, rows, entries)
    return entries


@contextlib.contextmanager
def appending():
    """Buffer the `append()` calls made inside, and write them when the block ends: one multi-row
    INSERT per hundred entries (and one per 900 queue rows) instead of two INSERTs each, in the same
    transaction — the same entries, ids in the same order, the same leaves, as without it.

    It runs inside `transaction.atomic()`. An exception leaving the block writes none of them (the
    transaction it is in rolls back the writes they describe). An `append()` inside a savepoint opened
    within the block (a nested `transaction.atomic()`) is refused: that savepoint may be rolled back
    alone, and the event must go with it — end the batch before it. Entries returned inside the
    block get their pk when it ends; nothing inside can read them back. Nested, the outer block writes."""
    conn = connections[DEFAULT_DB_ALIAS]
    if not conn.in_atomic_block:
        raise RuntimeError("ledger.appending() must run inside transaction.atomic(): its entries commit with "
                           "the writes they describe")
    if _batch.get() is not None:
        yield
        return
    batch = _Batch(conn)
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    batch.write()  # not reached after an exception: nothing of the batch is written


def _outside_atomic(action: str) -> RuntimeError:
    # No change without its entry: a write's entry must commit with the write. Reads are the
    # actions declared as such (vocabulary.register_read_actions), by their full name.
    return RuntimeError(f"ledger.append({action!r}) for a write must run inside transaction.atomic() "
                        "(a read action must be declared with liuhen.ledger.vocabulary.register_read_actions)")


# ---- the row and its leaf -----------------------------------------------------------------------

def _row(conn, action, actor, object_type, object_id, object_version, content_sha256, blobs, detail) -> list:
    """The entry's columns, in INSERT order, and its time: [created_at, action, actor_id, object_type,
    object_id, object_version, request_id, leaf, leaf_hash, now]."""
    object_id = str(object_id)
    if len(action) > 64 or len(object_type) > 64 or len(object_id) > 64:
        # the index columns' width, on every database (SQLite would not say)
        name, value = next((n, v) for n, v in (("action", action), ("object_type", object_type),
                                               ("object_id", object_id)) if len(v) > 64)
        raise ValueError(f"ledger.append: {name} longer than 64 characters: {value[:80]!r}")
    ctx = context.current()
    now = timezone.now()
    time = now.isoformat(timespec="microseconds")
    if actor is not None:
        actor_id = actor.pk
        roles = sorted(actor.role_codes()) if hasattr(actor, "role_codes") else []
        username = actor.get_username()
    else:
        actor_id = roles = username = None
    blobs = sorted(blobs)
    leaf = _leaf(time, action, actor_id, roles, username, object_type, object_id, object_version, content_sha256,
                 blobs, ctx, detail)
    return [_db_time(conn, now, time), action, actor_id, object_type, object_id, object_version, ctx.request_id,
            leaf, digest_function(hash_algo())(b"\x00" + leaf).hex(), now]


def _row_of(conn, action, *, actor=None, object_type="", object_id="", object_version=None, content_sha256="",
            blobs=(), detail=None) -> list:
    """_row() from append()'s arguments (append_many's events)."""
    return _row(conn, action, actor, object_type, object_id, object_version, content_sha256, blobs, detail)


def event_dict(time, action, actor_id, roles, username, object_type, object_id, object_version, content_sha256,
               blobs, ctx, detail) -> dict:
    """The event `append()` logs (its canonical bytes are the leaf)."""
    return {
        "v": LEAF_VERSION,
        "time": time,
        "action": action,
        "actor": {"id": actor_id, "username": username, "roles": roles} if roles is not None else None,
        "object": {"type": object_type, "id": object_id, "version": object_version},
        "content_sha256": content_sha256,
        "blobs": blobs,
        "request": {"id": ctx.request_id, "channel": ctx.channel, "ip": ctx.ip},
        "detail": detail or {},
    }


_str = json.encoder.encode_basestring  # a JSON string without \u escapes of non-ASCII, as canonical_bytes
_default = json.JSONEncoder().default  # refuses what JSON cannot hold, as json.dumps does


def _json(obj) -> str:
    """json.dumps(obj) as canonical_bytes calls it (sorted keys, no spaces, no ASCII escapes), straight
    from the C encoder that json.dumps ends in: without the two Python layers above it, half the time."""
    if c_make_encoder is None:  # an interpreter without json's C accelerator
        return canonical_bytes(obj).decode("utf-8")
    return "".join(c_make_encoder({}, _default, _str, None, ":", ",", True, False, True)(obj, 0))


_request = (None, "")  # (context, its "request" member): one request appends many times


def _leaf(time, action, actor_id, roles, username, object_type, object_id, object_version, content_sha256,
          blobs, ctx, detail) -> bytes:
    """canonical_bytes(event_dict(...)), written out: the keys in sorted order and each value encoded
    as json.dumps encodes it — in a third of the time of json.dumps on the whole dict, on every
    append. Values of other types than append() is given (an id that is not an int, an IP that is
    None…) take json.dumps: _str refuses anything but a str, and ints are checked here."""
    global _request
    if (object_version is None or type(object_version) is int) and (roles is None or type(actor_id) is int):
        try:
            cached = _request
            if cached[0] is ctx:
                request = cached[1]
            else:
                request = f'{{"channel":{_str(ctx.channel)},"id":{_str(ctx.request_id)},"ip":{_str(ctx.ip)}}}'
                _request = (ctx, request)
            actor = "null" if roles is None else \
                f'{{"id":{actor_id},"roles":[{",".join(map(_str, roles))}],"username":{_str(username)}}}'
            # The ISO time is digits, "-", ":", "T", "." and "+": nothing JSON escapes.
            return (f'{{"action":{_str(action)},"actor":{actor},"blobs":[{",".join(map(_str, blobs))}],'
                    f'"content_sha256":{_str(content_sha256)},"detail":{_json(detail) if detail else "{}"},'
                    f'"object":{{"id":{_str(object_id)},"type":{_str(object_type)},'
                    f'"version":{"null" if object_version is None else object_version}}},'
                    f'"request":{request},"time":"{time}","v":{LEAF_VERSION}}}').encode("utf-8")
        except TypeError:
            pass
    return canonical_bytes(event_dict(time, action, actor_id, roles, username, object_type, object_id,
                                      object_version, content_sha256, blobs, ctx, detail))


def _db_time(conn, now, time: str):
    """created_at as the ORM would pass it. On SQLite in UTC that is str() of the naive time, cut
    here from its ISO form (no microseconds when they are 0, as str() has it)."""
    if conn.vendor == "sqlite" and now.tzinfo is _UTC and conn.timezone is _UTC:
        return f"{time[:10]} {time[11:26] if now.microsecond else time[11:19]}"
    return conn.ops.adapt_datetimefield_value(now)


# ---- writing ------------------------------------------------------------------------------------
# Every change and every read of the system passes here: plain INSERTs on the driver's own cursor,
# no savepoint and no model machinery (the ORM path cost three quarters of the time, Django's
# cursor wrapper a fifth of the rest — measured by bench/ledger.py). They are not in Django's
# DEBUG query log; the log itself records them.

_COLUMNS = "created_at, action, actor_id, object_type, object_id, object_version, request_id, leaf, leaf_hash"
_INSERT_ENTRY = f"INSERT INTO ledger_entry ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id"
_INSERT_PENDING = "INSERT INTO ledger_pending (entry_id) VALUES (%s)"
_STATEMENTS: dict = {}


def _statement(sql: str, vendor: str, rows: int = 1) -> str:
    """`sql` (one row's VALUES) for `rows` rows, in the driver's parameter style: SQLite's driver
    takes qmark parameters, psycopg takes them as written."""
    key = (sql, vendor, rows)
    text = _STATEMENTS.get(key)
    if text is None:
        head, values = sql.split(" VALUES ", 1)
        values, returning = (values.split(" RETURNING ", 1) + [""])[:2]
        text = f"{head} VALUES {', '.join([values] * rows)}" + (f" RETURNING {returning}" if returning else "")
        if vendor == "sqlite":
            text = text.replace("%s", "?")
        if rows in (1, CHUNK, CHUNK * 9):  # the sizes that recur; a batch's last chunk is made anew
            _STATEMENTS[key] = text
    return text


def _write_one(conn, row: list) -> Entry:
    conn.validate_no_broken_transaction()  # as Django's own cursor would
    cur = conn.connection.cursor()  # the transaction has begun: the connection is open
    try:
        cur.execute(_statement(_INSERT_ENTRY, conn.vendor), row[:9])
        pk = cur.fetchone()[0]
        cur.execute(_statement(_INSERT_PENDING, conn.vendor), (pk,))  # the integrator gives it its leaf index
    except Exception as exc:
        _mark_for_rollback(conn, exc)
        raise
    finally:
        cur.close()
    return _entry(conn, row, pk)


def _write_many(conn, rows: list[list], entries: list[Entry]) -> None:
    """Write the rows, CHUNK a statement, then their queue rows, and give each entry its pk."""
    conn.validate_no_broken_transaction()
    vendor = conn.vendor
    cur = conn.connection.cursor()
    try:
        ids = []
        for k in range(0, len(rows), CHUNK):
            chunk = rows[k:k + CHUNK]
            cur.execute(_statement(_INSERT_ENTRY, vendor, len(chunk)),
                        list(itertools.chain.from_iterable(r[:9] for r in chunk)))
            # Ids grow in the order the rows are inserted; RETURNING promises no order of its own.
            ids += sorted(r[0] for r in cur.fetchall())
        for k in range(0, len(ids), CHUNK * 9):
            chunk = ids[k:k + CHUNK * 9]
            cur.execute(_statement(_INSERT_PENDING, vendor, len(chunk)), chunk)
    except Exception as exc:
        _mark_for_rollback(conn, exc)
        raise
    finally:
        cur.close()
    for entry, pk in zip(entries, ids):
        entry.__dict__["id"] = pk
        entry._state.adding = False


def _mark_for_rollback(conn, exc) -> None:
    # As transaction.mark_for_rollback_on_error: a half-written pair never commits, even if the
    # caller catches the error.
    if conn.in_atomic_block:
        conn.needs_rollback = True
        conn.rollback_exc = exc


def _entry(conn, row: list, pk) -> Entry:
    """The Entry of a written row, without Model.__init__ (a quarter of append()'s time): its
    fields set as Django's unpickling sets them."""
    entry = Entry.__new__(Entry)
    state = ModelState()
    state.adding, state.db = pk is None, conn.alias
    entry.__dict__.update(_state=state, id=pk, created_at=row[9], action=row[1], actor_id=row[2],
                          object_type=row[3], object_id=row[4], object_version=row[5], request_id=row[6],
                          leaf=row[7], leaf_hash=row[8])
    return entry


class _Batch:
    """The entries of one `appending()` block, written when it ends."""

    def __init__(self, conn):
        self.conn = conn
        self.depth = len(conn.savepoint_ids)
        self.rows: list[list] = []
        self.entries: list[Entry] = []

    def add(self, row: list) -> Entry:
        conn = self.conn
        if conn.needs_rollback:
            conn.validate_no_broken_transaction()  # it raises, where a single append() would have
        if len(conn.savepoint_ids) != self.depth and \
                any(sid is not None for sid in conn.savepoint_ids[self.depth:]):
            raise RuntimeError("ledger.appending(): an append() inside a savepoint opened within the batch "
                               "(a nested transaction.atomic()) cannot be buffered — the savepoint may be rolled "
                               "back without the batch; end the batch before it")
        entry = _entry(conn, row, None)
        self.rows.append(row)
        self.entries.append(entry)
        return entry

    def write(self) -> None:
        if self.rows:
            _write_many(self.conn, self.rows, self.entries)


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("liuhen_ledger_batch", default=None)


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
