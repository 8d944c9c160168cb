"""Full verification: re-hash every leaf from the current rows, rebuild the tree, check every
checkpoint, and ask each domain app whether its rows still say what the log says they said.

The one place that re-hashes everything (proofs never do). Every finding names the object and the
log entry it contradicts, and carries a stable code (vocabulary.py). It only reads: it neither
sequences nor signs. The leaves are replayed by core.replay, as the offline bundle checker does;
every checkpoint must be signed by a key that a logged announcement introduced (signing.py).
"""
import datetime
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from .core import checkpoint as cp
from .core import note as notes
from .core.replay import GAP, NOT_EVENT, ROOT, TRUNCATED, UNCOVERED, Replay, malformed, parse_event
from .core.tiles import TILE_WIDTH, split, tile_root
from .models import Checkpoint, Entry, LogIdentity, LogState, Pending, Sequenced, Tile
from .config import hash_algo
from . import signing
from . import vocabulary as vocab
from .signing import checkpoint_dir
from .subjects import check_subjects, subject_types
from .vocabulary import LoggedEvent


@dataclass
class Finding:
    kind: str  # altered | deleted | inserted | reordered | truncated | checkpoint | tile
    message: str
    object: str = ""
    entry_id: int | None = None
    seq: int | None = None
    code: str = ""  # stable id of the finding ("records.E003"), as Django's check ids

    def __str__(self):
        where = " ".join(x for x in (
            f"对象 {self.object}" if self.object else "",
            f"条目 #{self.entry_id}" if self.entry_id is not None else "",
            f"叶序号 {self.seq}" if self.seq is not None else "") if x)
        tag = f"{self.kind} {self.code}" if self.code else self.kind
        return f"[{tag}] {self.message}" + (f"（{where}）" if where else "")


@dataclass
class Report:
    size: int = 0
    root: str = ""
    checkpoints: int = 0
    pending: int = 0  # entries queued for the integrator: in no tree yet (not a finding)
    unsigned: int = 0  # leaves in the tree under no signed checkpoint yet (not a finding)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def _stream_leaves(chunk: int = 20000):
    """(seq, entry_id, leaf bytes, stored leaf hash, index columns) in leaf order, chunked by seq.
    The index columns are those of INDEX_COLUMNS, in that order."""
    last = -1
    while True:
        rows = list(Sequenced.objects.filter(seq__gt=last).order_by("seq").values_list(
            "seq", "entry_id", "entry__leaf", "entry__leaf_hash",
            *(f"entry__{c}" for c in INDEX_COLUMNS))[:chunk])
        if not rows:
            return
        for row in rows:
            yield row[0], row[1], row[2], row[3], row[4:]
        last = rows[-1][0]


# Every column of an entry beside its leaf, each of which must say what the leaf says.
INDEX_COLUMNS = ("action", "object_type", "object_id", "actor_id", "created_at", "object_version", "request_id")


def _leaf_columns(event: dict) -> tuple:
    """What the leaf says each of INDEX_COLUMNS holds (None where the leaf cannot say)."""
    obj = event.get("object")
    obj = obj if isinstance(obj, dict) else {}
    actor = event.get("actor")
    request = event.get("request")
    try:
        at = datetime.datetime.fromisoformat(event.get("time"))
    except (TypeError, ValueError):
        at = None
    return (event.get("action"), obj.get("type", ""), obj.get("id", ""),
            actor.get("id") if isinstance(actor, dict) else None,
            at, obj.get("version"), request.get("id") if isinstance(request, dict) else None)


def _column_mismatches(event: dict, columns: tuple) -> list[str]:
    """The index columns that do not hold what the leaf says. created_at compares with the leaf's
    time as aware datetimes: the same instant in another offset is equal, a naive time is not."""
    return [name for name, in_leaf, in_row in zip(INDEX_COLUMNS, _leaf_columns(event), columns)
            if in_leaf != in_row or type(in_leaf) is not type(in_row)]


_parse = parse_event  # one replay for verify and the offline verifier: core/replay.py
_malformed = malformed


def compact_event(event: dict | None) -> dict | None:
    """What the domain checks read of an event: action, object {type, id, version}, actor {id} (or
    None), content_sha256, blobs and detail — not the time, the request, the actor's name and roles.
    None for a leaf that is not a well-formed event (the leaf pass has reported it)."""
    if not isinstance(event, dict) or _malformed(event):
        return None
    obj, actor = event["object"], event.get("actor")
    return {"action": event["action"],
            "object": {"type": obj["type"], "id": obj["id"], "version": obj.get("version")},
            "actor": None if actor is None else {"id": actor.get("id")},
            "content_sha256": event.get("content_sha256", ""), "blobs": event.get("blobs", []),
            "detail": event.get("detail", {})}


class StreamedEvents(Mapping):
    """The events about one object type, as the read-only mapping the domain checks take —
    {object id: [(seq, entry_id, compact event), …]} in log order — read from the database object
    by object whenever it is iterated, never held whole: verification of a log of millions of
    leaves needs memory for one object's events (and the set of object ids), not for the log.

    The leaves in the tree come first, in tree order (what the leaf pass re-hashed); then those
    still queued for it (verify does not integrate: their rows are in the same snapshot, and must
    not look inserted). A queued event's seq is None. Only leaves that name the same object as their
    index columns are read (one that does not has been reported by the leaf pass).
    """

    def __init__(self, object_type: str, chunk: int = 5000):
        self.object_type, self.chunk = object_type, chunk
        self._ids: frozenset[str] | None = None

    def _entries(self, **filters):
        queued = Exists(Pending.objects.filter(entry_id=OuterRef("pk")))
        return (Entry.objects.filter(Q(sequenced__isnull=False) | queued, object_type=self.object_type, **filters)
                # In tree order, not entry-id order: the tree fixes the order of events, an id
                # can be rewritten (and "the last state logged" must be the last in the tree).
                .order_by("object_id", F("sequenced__seq").asc(nulls_last=True), "id")
                .values_list("object_id", "sequenced__seq", "id", "leaf"))

    def _events(self, rows):
        for object_id, seq, entry_id, leaf in rows:
            event = compact_event(_parse(bytes(leaf)))
            if event is None or event["object"]["type"] != self.object_type or event["object"]["id"] != object_id:
                continue
            yield object_id, LoggedEvent(seq, entry_id, event)

    def items(self):
        current, evs, seen = None, [], set()
        for object_id, ev in self._events(self._entries().iterator(chunk_size=self.chunk)):
            if object_id != current:
                if evs:
                    seen.add(current)
                    yield current, evs
                current, evs = object_id, []
            evs.append(ev)
        if evs:
            seen.add(current)
            yield current, evs
        self._ids = frozenset(seen)  # a whole pass: the ids, for `in` (a checker's "inserted" test)

    def _keys(self) -> frozenset[str]:
        if self._ids is None:
            for _ in self.items():
                pass
        return self._ids

    def __iter__(self):
        return iter(sorted(self._keys()))

    def __len__(self):
        return len(self._keys())

    def __contains__(self, object_id):
        return str(object_id) in self._keys()

    def __getitem__(self, object_id):
        evs = [ev for _, ev in self._events(self._entries(object_id=str(object_id)))]
        if not evs:
            raise KeyError(object_id)
        return evs


class HeldEvents(Mapping):
    """The events about one object type, as StreamedEvents hands them to the domain checks, but
    read with every other type's in one query and held: what verify does for a log small enough
    (HELD_EVENTS), where a query per type and per pass cost more than the checks themselves."""

    def __init__(self, by_id: dict[str, list]):
        self._by_id = by_id

    def items(self):
        return self._by_id.items()

    def __iter__(self):
        return iter(sorted(self._by_id))

    def __len__(self):
        return len(self._by_id)

    def __contains__(self, object_id):
        return str(object_id) in self._by_id

    def __getitem__(self, object_id):
        return self._by_id[str(object_id)]


# A log of up to this many leaves has its events read at once for the domain checks (a few kB each
# while they are checked); a larger one is streamed type by type and object by object.
HELD_EVENTS = 20_000


def subject_events(types, leaves: int) -> dict[str, Mapping]:
    """{object type: its events} for the domain checks: held when the log has at most HELD_EVENTS
    leaves and queued entries (`leaves`), streamed otherwise — the same events in the same order."""
    if leaves > HELD_EVENTS:
        return {t: StreamedEvents(t) for t in types}
    held: dict[str, dict[str, list]] = {t: {} for t in types}
    queued = Exists(Pending.objects.filter(entry_id=OuterRef("pk")))
    rows = (Entry.objects.filter(Q(sequenced__isnull=False) | queued, object_type__in=list(types))
            .order_by("object_type", "object_id", F("sequenced__seq").asc(nulls_last=True), "id")
            .values_list("object_type", "object_id", "sequenced__seq", "id", "leaf"))
    for object_type, object_id, seq, entry_id, leaf in rows.iterator(chunk_size=2000):
        event = compact_event(_parse(bytes(leaf)))
        if event is None or event["object"]["type"] != object_type or event["object"]["id"] != object_id:
            continue  # reported by the leaf pass (StreamedEvents skips it the same way)
        held[object_type].setdefault(object_id, []).append(LoggedEvent(seq, entry_id, event))
    return {t: HeldEvents(by_id) for t, by_id in held.items()}


def verify_log(verifiers=None, domain: bool = True) -> Report:
    """Check the log and (with `domain`) every app's rows against it. Reads only: it neither
    sequences nor signs (entries still queued are counted in `Report.pending`, and their rows are
    not mistaken for rows inserted behind the log's back)."""
    # The published checkpoint first, then the snapshot: a checkpoint published meanwhile by the
    # integrator can then only be older than the snapshot's log, never newer (read after the
    # snapshot, it could sign leaves the snapshot does not see: a truncation that is not one).
    published = _read_published()
    with _snapshot():
        return _verify(verifiers, domain, published)


def _read_published() -> str | None:
    path = checkpoint_dir() / "checkpoint"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        return f"unreadable: {exc}"  # fails to open below, and is reported


@contextmanager
def _snapshot():
    """Everything verify reads, from one consistent view of the database, while the server goes on
    writing: otherwise a record written between reading the log and reading the rows would look
    inserted. SQLite (WAL): a deferred read transaction sees the database as of its first read and
    blocks no writer. PostgreSQL: a read-only repeatable-read transaction. Inside the caller's own
    transaction (tests), that transaction is the view."""
    if connection.in_atomic_block or not connection.get_autocommit():
        yield
        return
    connection.ensure_connection()
    with connection.cursor() as cur:
        cur.execute("BEGIN DEFERRED" if connection.vendor == "sqlite"
                    else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute("ROLLBACK")


def _signing_keys(note_text: str, verifiers) -> set[tuple[str, bytes]]:
    """(name, key id) of the trusted keys whose signatures are on an opened note."""
    return {(v.name, v.key_id) for v in notes.signers_of(note_text, verifiers)}


def _announced_keys() -> set[tuple[str, bytes]]:
    """(name, key id) of every key a logged announcement introduced: announcements in the tree or
    queued for it (an entry in neither is reported as inserted and introduces nothing)."""
    out = set()
    queued = Exists(Pending.objects.filter(entry_id=OuterRef("pk")))
    for leaf, leaf_hash_col in (Entry.objects.filter(Q(sequenced__isnull=False) | queued, action=vocab.KEY_ANNOUNCE)
                                .values_list("leaf", "leaf_hash")):
        event = compact_event(_parse(bytes(leaf)))
        vkey = event["detail"].get("vkey") if event else None
        if not isinstance(vkey, str):
            continue
        try:
            v = notes.verifier_from_vkey(vkey)
        except ValueError:
            continue
        out.add((v.name, v.key_id))
    return out


def _verify(verifiers, domain: bool, published: str | None) -> Report:
    identity = LogIdentity.objects.filter(pk=1).first()
    algo = identity.hash_algo if identity is not None else hash_algo()
    report = Report()
    find = report.findings.append
    if verifiers is None:
        verifiers = signing.verifiers()  # every key the log has signed with
    announced = _announced_keys()

    def check_key(note_text: str, obj: str) -> None:
        keys = _signing_keys(note_text, verifiers)
        if keys and not keys & announced:
            ids = "、".join(f"{name}+{kid.hex()}" for name, kid in sorted(keys))
            find(Finding("checkpoint", f"检查点由未经日志公告的密钥 {ids} 签名（密钥只能由 liuhen rotate_ledger_key 更换）",
                         object=obj, code=vocab.UNANNOUNCED_KEY))

    def check_origin(body, obj: str) -> None:
        if identity is not None and body.origin != identity.origin:
            find(Finding("checkpoint", f"检查点属于另一个日志（origin {body.origin!r}，本日志为 {identity.origin!r}）",
                         object=obj, code=vocab.CHECKPOINT_ORIGIN))

    # 1. Checkpoints: each signed by a trusted and announced key, its columns matching its body.
    signed: dict[int, bytes] = {}
    for c in Checkpoint.objects.order_by("id"):
        obj = f"checkpoint:{c.pk}"
        try:
            body, _ = cp.open_checkpoint(c.note, verifiers)
        except (notes.NoteError, ValueError) as exc:
            find(Finding("checkpoint", f"检查点签名无效或被伪造：{exc}", object=obj, code=vocab.CHECKPOINT_SIGNATURE))
            continue
        check_key(c.note, obj)
        check_origin(body, obj)
        if body.size != c.size or body.root_hash.hex() != c.root_hash:
            find(Finding("checkpoint", "检查点记录与其签名内容不一致", object=obj, code=vocab.CHECKPOINT_COLUMNS))
        if body.size in signed and signed[body.size] != body.root_hash:
            find(Finding("checkpoint", f"同一规模 {body.size} 有两个不同的已签名根（日志分叉）",
                         object=obj, code=vocab.CHECKPOINT_FORK))
        signed.setdefault(body.size, body.root_hash)
        report.checkpoints += 1
    # The published checkpoint (what witnesses copy), read before the snapshot, counts too:
    # deleting checkpoint rows together with the entries they signed must still show as a truncation.
    if published is not None:
        obj = "checkpoints/checkpoint"
        try:
            body, _ = cp.open_checkpoint(published, verifiers)
        except (notes.NoteError, ValueError) as exc:
            find(Finding("checkpoint", f"已发布的检查点签名无效：{exc}", object=obj, code=vocab.PUBLISHED_SIGNATURE))
        else:
            check_key(published, obj)
            check_origin(body, obj)
            if body.size in signed and signed[body.size] != body.root_hash:
                find(Finding("checkpoint", f"已发布的检查点与数据库中规模 {body.size} 的检查点不同（日志分叉）",
                             object=obj, code=vocab.PUBLISHED_FORK))
            signed.setdefault(body.size, body.root_hash)

    # 2. Leaves, in order (core.replay, as the offline verifier): contiguous indexes, each leaf a
    # well-formed event whose bytes hash to its column and to what the tiles hold, and the signed roots.
    stored_tiles = _stored_level0_reader()
    replay = Replay(algo, signed)
    issues = replay.issues
    level0: list[bytes] = []
    mismatched: list[tuple[int, int, bytes]] = []
    for seq, entry_id, leaf, stored_hash, columns in _stream_leaves():
        leaf = bytes(leaf)
        seen = len(issues)
        h, event = replay.add(seq, leaf)
        if h.hex() != stored_hash:
            find(Finding("altered", "日志条目内容被修改：与其记录的叶哈希不符", entry_id=entry_id, seq=seq,
                         code=vocab.LEAF_ALTERED))
        tile_h = stored_tiles(seq)
        if tile_h is not None and tile_h != h:
            mismatched.append((seq, entry_id, h))
        if event is not None:
            differ = _column_mismatches(event, columns)
            if differ:
                find(Finding("altered", f"日志条目的索引列（{'、'.join(differ)}）与其内容不符",
                             entry_id=entry_id, seq=seq, code=vocab.LEAF_COLUMNS))
        level0.append(h)
        for issue in issues[seen:]:
            _report_issue(issue, find, entry_id)
    before = len(issues)
    replay.finish()
    for issue in issues[before:]:
        if issue.kind == TRUNCATED:
            find(Finding("truncated", f"日志被截断：已签名检查点的规模为 {issue.size}，现仅有 {replay.size} 条",
                         code=vocab.TRUNCATED))
        elif issue.kind == UNCOVERED:
            report.unsigned = issue.last - issue.first + 1  # integrated, not yet signed: not a finding

    # A leaf whose hash the tiles hold at another index was moved there: reordered, not altered.
    where = _tile_positions() if mismatched else {}
    for seq, entry_id, h in mismatched:
        other = where.get(h)
        if other is not None and other != seq:
            find(Finding("reordered", f"日志条目被移动：应在叶序号 {other}，现位于 {seq}", entry_id=entry_id, seq=seq,
                         code=vocab.LEAF_REORDERED))
        else:
            find(Finding("altered", "叶哈希与存储的树不符：条目被修改或替换", entry_id=entry_id, seq=seq,
                         code=vocab.LEAF_TILE_MISMATCH))

    report.size = replay.size
    report.root = replay.root().hex()
    state = LogState.objects.filter(pk=1).first()
    if state is not None and state.size != replay.size:
        find(Finding("truncated", f"日志状态记录的规模为 {state.size}，实际叶数为 {replay.size}", code=vocab.STATE_SIZE))
    if identity is None and replay.size:
        find(Finding("altered", "日志有条目，却没有记录其哈希算法与名称（日志身份被删除）", object="ledger:identity",
                     code=vocab.IDENTITY_MISSING))
    report.pending = Pending.objects.count()
    _check_tiles(level0, algo, find)
    _check_unsequenced(find)
    if domain:
        # After the leaf pass, object by object: each app's rows against the events about them.
        for f in check_subjects(subject_events(subject_types(), report.size + report.pending)):
            find(f if isinstance(f, Finding) else Finding(**f))
    return report


def _report_issue(issue, find, entry_id) -> None:
    if issue.kind == GAP:
        find(Finding("deleted", f"叶序号 {issue.first}–{issue.last} 缺失：日志条目被删除", seq=issue.first,
                     code=vocab.LEAF_GAP))
    elif issue.kind == NOT_EVENT:
        find(Finding("altered", "日志条目不是有效的规范 JSON 事件", entry_id=entry_id, seq=issue.seq,
                     code=vocab.LEAF_NOT_EVENT))
    elif issue.kind == ROOT:
        find(Finding("checkpoint", f"重新计算的规模 {issue.size} 的树根与已签名检查点不符：此前的条目被修改、插入或重排",
                     seq=issue.seq, code=vocab.ROOT_MISMATCH))


def _stored_level0_reader():
    """seq -> stored level-0 tile hash (None if absent), reading tiles in order, one at a time."""
    cache: dict[int, list[bytes]] = {}

    def at(seq: int) -> bytes | None:
        index = seq // TILE_WIDTH
        if index not in cache:
            cache.clear()
            data = Tile.objects.filter(level=0, index=index).values_list("data", flat=True).first()
            cache[index] = split(bytes(data or b""))
        hashes = cache[index]
        k = seq % TILE_WIDTH
        return hashes[k] if k < len(hashes) else None

    return at


def _tile_positions() -> dict[bytes, int]:
    """leaf hash -> the index where the stored tiles hold it (only built when something is off)."""
    out = {}
    for index, data in Tile.objects.filter(level=0).values_list("index", "data").iterator():
        for k, h in enumerate(split(bytes(data))):
            out.setdefault(h, index * TILE_WIDTH + k)
    return out


def _check_tiles(level0: list[bytes], algo: str, find) -> None:
    """Every stored tile must be what the leaves give."""
    level, hashes = 0, level0
    while hashes:
        stored = {i: split(bytes(d)) for i, d in Tile.objects.filter(level=level).values_list("index", "data")}
        roots = []
        for t in range(0, (len(hashes) + TILE_WIDTH - 1) // TILE_WIDTH):
            expect = hashes[t * TILE_WIDTH:(t + 1) * TILE_WIDTH]
            if stored.pop(t, None) != expect:
                find(Finding("tile", f"存储的树瓦片 {level}/{t} 与日志条目不符", code=vocab.TILE_MISMATCH))
            if len(expect) == TILE_WIDTH:
                roots.append(tile_root(expect, algo))
        for t in stored:
            find(Finding("tile", f"多出的树瓦片 {level}/{t}", code=vocab.TILE_EXTRA))
        level, hashes = level + 1, roots
        if len(hashes) < 1:
            break


def _check_unsequenced(find) -> None:
    """An entry row that is neither in the tree nor waiting for it was inserted behind the log's back."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT e.id FROM ledger_entry e WHERE NOT EXISTS (SELECT 1 FROM ledger_sequenced s WHERE s.entry_id = e.id) "
            "AND NOT EXISTS (SELECT 1 FROM ledger_pending p WHERE p.entry_id = e.id) ORDER BY e.id LIMIT 100")
        for (entry_id,) in cur.fetchall():
            find(Finding("inserted", "日志条目不在树中，也不在待处理队列中：被直接插入", entry_id=entry_id,
                         code=vocab.ENTRY_INSERTED))
