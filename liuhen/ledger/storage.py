"""Tree storage and the integrator: leaves get their index, tiles grow, checkpoints are signed.

Separated as Trillian/Tessera do it: `services.append()` writes the leaf and a Pending row in the
writer's transaction; `integrate()` — one at a time, under the LogState row lock — takes pending
leaves in batches, gives them consecutive indexes, extends the tiles and the compact range, and
signs a checkpoint. Proofs read O(log n) stored hashes (≤ 3 tile levels at 10^7) and never
re-hash the tree; only `verify` re-hashes everything.
"""
import logging
import os
from collections import OrderedDict

from django.db import connection, transaction

from liuhen.common.batches import SQL_BATCH, in_batches

from . import identity as log_identity
from . import signing
from .core import checkpoint as cp
from .core import tree
from .core.tiles import HASH_SIZE, TILE_HEIGHT, TILE_WIDTH, expand, node_location, split, tile_root
from .identity import LedgerConfigError  # noqa: F401 — raised by integrate(): a configuration that is not the log's
from .models import Checkpoint, LogIdentity, LogState, Sequenced, Tile
from .config import hash_algo
from .signing import KeyNotAnnouncedError, checkpoint_dir  # noqa: F401

logger = logging.getLogger("liuhen.ledger")

BATCH = 256  # Tessera's default batch: 256 entries (or whatever is pending, at most this)
# integrate_all() catches up on a backlog: each batch costs a few queries and a transaction, so
# it takes larger ones (half the time per entry of 256 at 10^4 pending, bench/ledger.py).
BACKLOG_BATCH = 4096


# ---- reading tiles ------------------------------------------------------------------------------

class _TileCache:
    """Expanded tiles by (algo, level, index, width). Tiles only ever grow, so a tile read at a
    given width never changes: safe to keep per process. `verify` reads around this cache."""

    def __init__(self, capacity: int = 8192):
        self.capacity = capacity
        self.data: OrderedDict = OrderedDict()

    def get(self, key):
        levels = self.data.get(key)
        if levels is not None:
            self.data.move_to_end(key)
        return levels

    def put(self, key, levels):
        self.data[key] = levels
        if len(self.data) > self.capacity:
            self.data.popitem(last=False)

    def clear(self):
        self.data.clear()


_cache = _TileCache()


class TileReader:
    """Computes the hash of any complete node of the tree of `size` leaves from the stored tiles,
    reading each tile at most once (one query per proof) and hashing inside it at most 255 times."""

    def __init__(self, size: int, algo: str | None = None, use_cache: bool = True):
        self.size = size
        self.algo = algo or hash_algo()
        self.use_cache = use_cache
        self.local: dict = {}

    def _key(self, level: int, index: int) -> tuple:
        width = min(TILE_WIDTH, (self.size >> (TILE_HEIGHT * level)) - TILE_WIDTH * index)
        return (self.algo, level, index, max(width, 0))

    def _remember(self, key, data: bytes) -> list[list[bytes]]:
        width = key[3]
        levels = expand(split(bytes(data)[:width * HASH_SIZE]), self.algo)
        self.local[key] = levels
        if self.use_cache and len(levels[0]) == width:
            _cache.put(key, levels)
        return levels

    def _levels(self, level: int, index: int) -> list[list[bytes]]:
        key = self._key(level, index)
        levels = self.local.get(key)
        if levels is None and self.use_cache:
            levels = _cache.get(key)
        if levels is None:
            row = Tile.objects.filter(level=level, index=index).values_list("data", flat=True).first()
            levels = self._remember(key, row or b"")
        return levels

    def prefetch(self, nodes) -> None:
        """Read every tile the nodes need that is not cached yet, in one query."""
        missing = []
        for level, index in {node_location(h, i)[:2] for h, i in nodes}:
            key = self._key(level, index)
            if key in self.local:
                continue
            cached = _cache.get(key) if self.use_cache else None
            if cached is not None:
                self.local[key] = cached
            else:
                missing.append((level, index))
        if not missing:
            return
        where = " OR ".join(['(level = %s AND "index" = %s)'] * len(missing))
        with connection.cursor() as cur:
            cur.execute(f'SELECT level, "index", data FROM ledger_tile WHERE {where}',
                        [x for pair in missing for x in pair])
            for level, index, data in cur.fetchall():
                self._remember(self._key(level, index), data)

    def node(self, height: int, index: int) -> bytes:
        level, tile_index, offset, sub = node_location(height, index)
        levels = self._levels(level, tile_index)
        k = offset >> sub
        if sub >= len(levels) or k >= len(levels[sub]):
            raise LookupError(f"node ({height}, {index}) is not stored: the tile is missing or short")
        return levels[sub][k]

    def range_hash(self, start: int, end: int) -> bytes:
        if not 0 <= start < end <= self.size:
            raise ValueError(f"range [{start}, {end}) is outside the tree of size {self.size}")
        return tree.fold_right([self.node(h, i) for h, i in tree.complete_subtrees(start, end)], self.algo)

    def proof(self, ranges) -> list[bytes]:
        self.prefetch([n for s, e in ranges for n in tree.complete_subtrees(s, e)])
        return [self.range_hash(s, e) for s, e in ranges]


# ---- the integrator -----------------------------------------------------------------------------

def _state_for_update() -> LogState:
    LogState.objects.get_or_create(pk=1)
    return LogState.objects.select_for_update().get(pk=1)


def _append_to_tiles(first: int, hashes: list[bytes], algo: str) -> None:
    """Append hashes at tree height 0 starting at leaf index `first`; full tiles carry upwards."""
    level = 0
    while hashes:
        t_first, t_last = first // TILE_WIDTH, (first + len(hashes) - 1) // TILE_WIDTH
        rows = {t.index: t for t in Tile.objects.filter(level=level, index__gte=t_first, index__lte=t_last)}
        carry, carry_first = [], None
        pos = 0
        for t_index in range(t_first, t_last + 1):
            tile = rows.get(t_index) or Tile(level=level, index=t_index, data=b"")
            have = len(tile.data) // HASH_SIZE
            start_in_tile = first + pos - t_index * TILE_WIDTH
            if start_in_tile != have:
                raise RuntimeError(f"tile {level}/{t_index} has {have} hashes, expected {start_in_tile}: "
                                   "the stored tree is not in step with the log state")
            take = min(TILE_WIDTH - have, len(hashes) - pos)
            tile.data = bytes(tile.data) + b"".join(hashes[pos:pos + take])
            pos += take
            tile.save()
            if have + take == TILE_WIDTH:
                if carry_first is None:
                    carry_first = t_index
                carry.append(tile_root(split(tile.data), algo))
        level += 1
        hashes, first = carry, (carry_first or 0)


def integrate(batch: int = BATCH, sign: bool = True) -> int:
    """Sequence up to `batch` pending entries, extend the tree and sign a checkpoint.

    Returns how many entries were integrated (0 when nothing was pending). Safe to call from any
    number of processes: they take turns on the LogState row lock. Raises LedgerConfigError when
    this process's hash or origin is not the log's, KeyNotAnnouncedError when its signing key is
    not the key the log announced (nothing is sequenced then: the entries wait).
    """
    algo = hash_algo()
    with transaction.atomic():
        state = _state_for_update()
        identity = log_identity.ensure()
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                # The checkpoint published after this commit must not outlive the leaves it covers:
                # this commit waits for the WAL flush whatever the server's default (make_log_durable).
                cur.execute("SET LOCAL synchronous_commit TO on")
            cur.execute("SELECT p.entry_id, e.leaf_hash FROM ledger_pending p JOIN ledger_entry e ON e.id = p.entry_id "
                        "ORDER BY p.entry_id LIMIT %s", [batch])
            rows = cur.fetchall()
            if not rows:
                return 0
            if not identity.vkey and not Checkpoint.objects.exists():
                # A new log: its first key is announced in its first batch, under its first checkpoint.
                signing.announce(identity, signing.signer(), reason="first")
            if identity.key_entry_id is not None and identity.key_entry_id not in {r[0] for r in rows}:
                # The current key's announcement goes into the tree before the key signs a checkpoint.
                cur.execute("SELECT p.entry_id, e.leaf_hash FROM ledger_pending p JOIN ledger_entry e "
                            "ON e.id = p.entry_id WHERE p.entry_id = %s", [identity.key_entry_id])
                rows += cur.fetchall()
            start = state.size
            hashes = [bytes.fromhex(h) for _, h in rows]
            # Plain multi-row statements: model instances for 10^4 rows a batch cost more than the
            # hashing, and one statement per row (executemany) twice what one per SQL_BATCH costs.
            ids = [entry_id for entry_id, _ in rows]
            for k in range(0, len(ids), SQL_BATCH // 2):
                chunk = ids[k:k + SQL_BATCH // 2]
                cur.execute("INSERT INTO ledger_sequenced (seq, entry_id) VALUES "
                            + ", ".join(["(%s, %s)"] * len(chunk)),
                            [x for j, entry_id in enumerate(chunk, start + k) for x in (j, entry_id)])
            # By exact id, not by range: on PostgreSQL a smaller id may still be uncommitted.
            for chunk in in_batches(ids):
                cur.execute(f"DELETE FROM ledger_pending WHERE entry_id IN ({', '.join(['%s'] * len(chunk))})", chunk)
        _append_to_tiles(start, hashes, algo)
        edge = tree.CompactRange(algo, start, split(bytes(state.edge)))
        edge.extend(hashes)
        state.size = edge.size
        state.edge = b"".join(edge.hashes)
        state.root_hash = edge.root().hex()
        state.save()
        if sign:
            _sign(state, identity)
    return len(rows)


def integrate_all(batch: int = BACKLOG_BATCH, sign_each_batch: bool = False) -> int:
    """Integrate everything pending (signing one checkpoint at the end unless asked otherwise)."""
    announced = LogIdentity.objects.filter(pk=1).values_list("vkey", flat=True).first()
    if announced:
        _signer_for(announced)  # refuse before sequencing anything, not after
    total = 0
    while True:
        n = integrate(batch, sign=sign_each_batch)
        total += n
        if n == 0:
            break
    with transaction.atomic():
        state = _state_for_update()
        latest = latest_checkpoint()
        # Sign whenever leaves are not yet under a checkpoint — also those a process integrated
        # before it died, short of signing.
        if state.size and (latest is None or latest.size != state.size):
            _sign(state, log_identity.ensure())
    return total


def _sign(state: LogState, identity) -> None:
    """Sign the state's tree with the announced key and publish it after the commit."""
    s = _signer_for(identity.vkey)
    note = sign_checkpoint(state.size, bytes.fromhex(state.root_hash), s)
    transaction.on_commit(lambda: publish_checkpoint(note))


def _signer_for(announced_vkey: str):
    """The configured signer, if it is the announced key; KeyNotAnnouncedError otherwise."""
    s = signing.signer()
    if s.vkey() != announced_vkey:
        s = signing.signer(reload=True)  # another process may have rotated the key file
    if s.vkey() != announced_vkey:
        raise KeyNotAnnouncedError(signing.not_announced_message(s, announced_vkey))
    return s


def sign_checkpoint(size: int, root: bytes, s=None) -> str:
    note = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), size, root), [s or signing.signer()])
    Checkpoint.objects.create(size=size, root_hash=root.hex(), note=note)
    return note


class CheckpointRefused(RuntimeError):
    """A checkpoint that is not a consistent extension of the published one: not published."""


def _consistent(a, b) -> str:
    """'' when checkpoint bodies a and b (either order) are one log, the smaller a prefix of the
    larger — proved as a witness proves it: an RFC 9162 consistency proof read from the stored
    tiles, checked by core.tree.verify_consistency. Otherwise why not."""
    old, new = (a, b) if a.size <= b.size else (b, a)
    if old.origin != new.origin:
        return f"origin {old.origin!r} ≠ {new.origin!r}"
    if old.size == new.size:
        return "" if old.root_hash == new.root_hash else f"two roots for size {old.size} (fork)"
    if old.size == 0:
        return ""
    try:
        proof = consistency_proof(old.size, new.size)
        tree.verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof, algo=hash_algo())
    except (ValueError, LookupError) as exc:
        return f"no consistency proof from {old.size} to {new.size}: {exc}"
    return ""


def publish_checkpoint(note: str) -> None:
    """Write the latest checkpoint where a witness can copy it (atomic replace).

    Integrators in several processes publish after their commits, in whatever order those land:
    under a file lock, a checkpoint never replaces a larger one, so the file never goes back.

    Called after the commit that signed it (transaction.on_commit). First every commit so far is
    made durable (`make_log_durable`), so the leaves it covers are on disk before a witness can copy
    it; then the file itself is fsync'ed, renamed and its directory fsync'ed: after a crash it is
    the old or the new checkpoint, whole.
    """
    import fcntl

    make_log_durable()
    directory = checkpoint_dir()
    path = directory / "checkpoint"
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        body = cp.parse_checkpoint(note.split("\n\n", 1)[0] + "\n")
        current = None
        if path.exists():
            try:
                current = cp.parse_checkpoint(path.read_text(encoding="utf-8").split("\n\n", 1)[0] + "\n")
            except (ValueError, OSError) as exc:
                logger.warning("the published checkpoint %s cannot be read (%s): replaced", path, exc)
        if current is not None:
            # The server keeps its own evidence: what it publishes must extend what it published.
            why = _consistent(current, body)
            if why:
                _refuse(current, body, why)
            if current.size > body.size:
                return
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(note)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_path(directory)


def _refuse(current, body, why: str) -> None:
    """Not published: logged (Python log and the ledger itself), and raised to the integrator."""
    from . import services
    from . import vocabulary as vocab

    message = (f"checkpoint of size {body.size} (root {body.root_hash.hex()}) not published: it is not consistent "
               f"with the published checkpoint of size {current.size} (root {current.root_hash.hex()}): {why}")
    logger.error(message)
    with transaction.atomic():
        services.append(vocab.CHECKPOINT_REFUSED, object_type="ledger", object_id=body.size,
                        detail={"size": body.size, "root": body.root_hash.hex(), "published_size": current.size,
                                "published_root": current.root_hash.hex(), "reason": why[:300]})
    raise CheckpointRefused("拒绝发布检查点：" + message)


def make_log_durable() -> None:
    """Every transaction committed so far, on disk against a power cut.

    SQLite runs in WAL mode with synchronous=NORMAL: a commit survives a killed process but is not
    fsync'ed, so a power cut may lose the last ones. Were those leaves already under a published
    checkpoint, the log would then contradict what a witness holds. So one small commit is made
    under synchronous=FULL: it fsyncs the -wal file, which holds every earlier commit too (or a
    WAL checkpoint already synced them into the database). (Not by fsync'ing the files from here:
    closing any descriptor of a database file drops the SQLite locks this process holds on it —
    writes were lost that way.) The level can only change outside a transaction, as in an on_commit
    hook; inside one, the caller's commit decides and nothing can be done from here.
    PostgreSQL: `integrate` commits under synchronous_commit = on, which flushed the WAL up to it."""
    if connection.vendor != "sqlite" or connection.in_atomic_block or not connection.get_autocommit():
        return
    from django.utils import timezone

    with connection.cursor() as cur:
        cur.execute("PRAGMA synchronous")
        level = int(cur.fetchone()[0])
        cur.execute("PRAGMA synchronous=FULL")
    try:
        with transaction.atomic():
            LogState.objects.filter(pk=1).update(updated_at=timezone.now())
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA synchronous={level:d}")


def _fsync_path(path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---- reading the tree ---------------------------------------------------------------------------

def current_size() -> int:
    state = LogState.objects.filter(pk=1).first()
    return state.size if state else 0


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-id").first()


def inclusion_proof(seq: int, size: int) -> list[bytes]:
    return TileReader(size).proof(tree.inclusion_ranges(seq, size))


def consistency_proof(old_size: int, new_size: int) -> list[bytes]:
    return TileReader(new_size).proof(tree.consistency_ranges(old_size, new_size))


def leaf_index(entry_id: int) -> int | None:
    return Sequenced.objects.filter(entry_id=entry_id).values_list("seq", flat=True).first()
