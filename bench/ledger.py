"""Benchmark of the Liuhen ledger, side by side with pymerkle 7.x (SQLite backend), in one run.

    .venv/bin/python bench/ledger.py                # full: 1e4, 1e5, 1e6 entries (a few minutes)
    .venv/bin/python bench/ledger.py --quick        # 1e3 and 1e4 entries, under a minute
    .venv/bin/python bench/ledger.py --sizes 1e4,1e5

Needs pymerkle 7.x in the same virtualenv (`.venv/bin/pip install 'pymerkle>=7,<8'`).

What it measures (bench/README.md says it at length):

1. Append throughput on fresh trees, entries/s, integration included:
   - single: every entry in its own transaction (Liuhen: `with transaction.atomic(): append(...)`,
     then `integrate_all()`; pymerkle: `append_entry()`, one transaction each);
   - batched: 1000 entries per transaction (Liuhen: `services.append_many()` of 1000 events in one
     atomic block — the batch path: one multi-row INSERT per hundred —, then `integrate_all()`;
     pymerkle: `append_entries()` of 1000, its bulk path: one transaction, `executemany`).
   Both sides write the same canonical event bytes (built the way `ledger.services.append` builds
   them, inside the timed loop on both sides) to a SQLite file in the same temporary directory,
   with the same durability settings (WAL, synchronous=NORMAL: the project's settings; pymerkle's
   own connection is given the same two PRAGMAs). pymerkle with its default PRAGMAs (rollback
   journal, synchronous=FULL: an fsync per commit) is shown as well, for information.
2. Trees of 1e4, 1e5, 1e6 entries holding the same leaves on both sides (roots cross-checked:
   both are RFC 6962 trees). Liuhen's rows are bulk-loaded (Entry + Pending rows written with
   executemany, exactly the columns `append()` writes) and then sequenced by the real integrator
   (`storage.integrate(batch=...)`, timed separately); pymerkle grows by `append_entries()`.
3. Inclusion and consistency proofs at each size: the same random (index, size) / (old, new)
   queries on both sides; warm mean and p99 (after a warm-up of as many other random queries),
   cold mean (process caches emptied before each query: Liuhen's tile cache, pymerkle's subroot
   cache); size = number of hashes x 32 bytes. Every warm Liuhen proof is checked with
   `core.tree.verify_inclusion` / `verify_consistency` against the signed checkpoint, every
   pymerkle proof with pymerkle's verifier, and the two inclusion paths are compared hash by hash.
4. Full verification at the largest size: `verify_log(domain=False)`.
5. The SQLite ceiling, for reading the append ratios: a bare `sqlite3` loop (no Django, no event
   building, the leaves made beforehand) writing the same rows into a copy of Liuhen's own
   ledger_entry and ledger_pending tables (their DDL and indexes), same PRAGMAs, one transaction
   per entry and then 1000 per transaction. No implementation storing these rows in SQLite can
   append faster than this; the JSON reports it as a ratio to pymerkle too. It alternates with
   Liuhen's appends (single, and batched through `append_many()`) for `--rounds` rounds; the best
   round of each side counts, and `batched_vs_ceiling` / `single_vs_ceiling` are Liuhen ÷ ceiling,
   the append alone (what the ceiling does) and with the integration, wall and CPU time.

The last line printed (stdout) is one JSON object with the figures, the ratios and the targets.
Progress goes to stderr.
"""
from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYMERKLE_REQUIREMENT = "pymerkle>=7,<8"

# --------------------------------------------------------------------------------------- setup


def _need_pymerkle():
    try:
        import pymerkle
    except ImportError:
        sys.exit(f"bench/ledger.py compares against pymerkle 7.x, which is not installed here.\n"
                 f"Install it into this virtualenv:  {sys.executable} -m pip install '{PYMERKLE_REQUIREMENT}'")
    version = getattr(pymerkle, "__version__", "?")
    if not version.startswith("7."):
        sys.exit(f"bench/ledger.py needs pymerkle 7.x, found {version}.\n"
                 f"Install it:  {sys.executable} -m pip install '{PYMERKLE_REQUIREMENT}'")
    return pymerkle


def _setup_django(home: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "liuhen.settings"
    os.environ["LIUHEN_HOME"] = str(home)
    if os.environ.pop("DATABASE_URL", None):
        log("note: DATABASE_URL ignored: the benchmark always uses a fresh SQLite file")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def label(n: int) -> str:
    """1e4 for 10000; the plain number otherwise."""
    k = round(math.log10(n)) if n > 0 else 0
    return f"1e{k}" if n == 10 ** k else str(n)


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(float(s)) for s in text.split(",") if s.strip()})
    if not sizes or sizes[0] < 2:
        raise argparse.ArgumentTypeError("sizes must be integers >= 2, e.g. 1e4,1e5,1e6")
    return sizes


def stats_ms(samples_ns: list[int]) -> dict:
    s = sorted(samples_ns)
    if not s:
        return {"mean": None, "p99": None, "n": 0}
    p99 = s[min(len(s) - 1, math.ceil(0.99 * len(s)) - 1)]
    return {"mean": sum(s) / len(s) / 1e6, "p99": p99 / 1e6, "n": len(s)}


def db_bytes(cursor) -> int:
    """Bytes the database's live pages take (WAL checkpointed first; free pages not counted)."""
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cursor.fetchall()
    values = []
    for pragma in ("page_count", "freelist_count", "page_size"):
        cursor.execute(f"PRAGMA {pragma}")
        values.append(cursor.fetchone()[0])
    return (values[0] - values[1]) * values[2]


# ------------------------------------------------------------------------- the event, both sides


class Events:
    """The event `ledger.services.append()` writes, as canonical bytes, for entry number i.

    The same dict as append() builds (checked against a real appended leaf in phase 1), so both
    libraries store and hash the same bytes. Built inside the timed loops on the pymerkle side
    because append() builds it inside its own call on the Liuhen side."""

    def __init__(self):
        from django.utils import timezone

        from liuhen.common import context
        from liuhen.ledger.core.canonical import canonical_bytes
        from liuhen.ledger.services import LEAF_VERSION

        self.timezone, self.context, self.canonical_bytes, self.version = timezone, context, canonical_bytes, LEAF_VERSION

    @staticmethod
    def args(i: int) -> dict:
        # content_sha256 is a fixed-width hex string, as services pass it (the hash of the content)
        return {"action": "record.update", "object_type": "record", "object_id": str(i),
                "object_version": i % 7 + 1, "content_sha256": f"{i:064x}",
                "detail": {"field": "conclusion", "stage": "investigation"}}

    def leaf(self, i: int, now=None) -> bytes:
        a = self.args(i)
        ctx = self.context.current()
        now = now or self.timezone.now()
        return self.canonical_bytes({
            "v": self.version,
            "time": now.isoformat(timespec="microseconds"),
            "action": a["action"],
            "actor": None,
            "object": {"type": a["object_type"], "id": a["object_id"], "version": a["object_version"]},
            "content_sha256": a["content_sha256"],
            "blobs": [],
            "request": {"id": ctx.request_id, "channel": ctx.channel, "ip": ctx.ip},
            "detail": a["detail"],
        })


# ------------------------------------------------------------------------------- Liuhen side


class Liuhen:
    def __init__(self):
        from django.db import connection, transaction

        from liuhen.common import context
        from liuhen.ledger import services, storage, verify
        from liuhen.ledger.config import hash_algo
        from liuhen.ledger.core import checkpoint as cp
        from liuhen.ledger.core import tree
        from liuhen.ledger.core.hashing import leaf_hash
        from liuhen.ledger.models import Entry, LogState, Pending, Sequenced
        from liuhen.ledger.signing import verifier

        self.connection, self.transaction, self.context = connection, transaction, context
        self.services, self.storage, self.verify, self.tree, self.cp = services, storage, verify, tree, cp
        self.Entry, self.Pending, self.Sequenced, self.LogState = Entry, Pending, Sequenced, LogState
        self.algo = hash_algo()
        self.leaf_hash = leaf_hash
        self.verifier = verifier

    def append_one(self, i: int) -> None:
        a = Events.args(i)
        with self.transaction.atomic():
            self.services.append(a.pop("action"), **a)

    def append_many(self, first: int, count: int) -> None:
        """The batch path: `services.append_many()` of `count` events in one atomic block (one
        multi-row INSERT per hundred entries)."""
        self.append_events([Events.args(i) for i in range(first, first + count)])

    def append_events(self, events: list[dict]) -> None:
        with self.transaction.atomic():
            self.services.append_many(events)

    def append_each(self, events: list[dict]) -> None:
        """One `append()` in its own transaction per event."""
        atomic, append = self.transaction.atomic, self.services.append
        for a in events:
            with atomic():
                append(**a)

    def integrate_all(self) -> int:
        return self.storage.integrate_all()

    def bulk_load(self, first: int, leaves: list[bytes], now) -> None:
        """Entry + Pending rows for these leaves, as append() would write them, with executemany.

        A loader for building large trees fast; the rows are exactly append()'s (the same columns,
        the leaf and its leaf hash), and `verify_log` at the end re-checks every one of them."""
        entry = self.Entry._meta
        created = self.connection.ops.adapt_datetimefield_value(now)
        request_id = self.context.current().request_id
        rows = []
        with self.connection.cursor() as cur:
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {entry.db_table}")
            next_id = cur.fetchone()[0] + 1
        for k, leaf in enumerate(leaves):
            a = Events.args(first + k)
            rows.append((next_id + k, created, a["action"], None, a["object_type"], a["object_id"],
                         a["object_version"], request_id, leaf, self.leaf_hash(leaf, self.algo).hex()))
        cols = ["id", "created_at", "action", "actor_id", "object_type", "object_id", "object_version",
                "request_id", "leaf", "leaf_hash"]
        assert {f.column for f in entry.concrete_fields} == set(cols), "Entry's columns changed: update the loader"
        with self.transaction.atomic(), self.connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {entry.db_table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})", rows)
            cur.executemany(f"INSERT INTO {self.Pending._meta.db_table} (entry_id) VALUES (%s)",
                            [(r[0],) for r in rows])

    def integrate_batched(self, batch: int) -> int:
        """integrate_all() with a larger batch (integrate_all has no batch argument): sequence
        everything pending, then sign one checkpoint."""
        total = 0
        while True:
            n = self.storage.integrate(batch=batch, sign=False)
            total += n
            if n == 0:
                break
        self.sign()
        return total

    def sign(self) -> None:
        storage = self.storage
        with self.transaction.atomic():
            state = self.LogState.objects.select_for_update().get(pk=1)
            note = storage.sign_checkpoint(state.size, bytes.fromhex(state.root_hash))
            self.transaction.on_commit(lambda: storage.publish_checkpoint(note))

    def checkpoint(self):
        """(size, root) of the latest signed checkpoint, its signature checked."""
        ckpt = self.storage.latest_checkpoint()
        body, _ = self.cp.open_checkpoint(ckpt.note, [self.verifier()])
        return body.size, body.root_hash

    def clear_cache(self) -> None:
        self.storage._cache.clear()

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return self.storage.inclusion_proof(index, size)

    def consistency(self, old: int, new: int) -> list[bytes]:
        return self.storage.consistency_proof(old, new)

    def leaf_hashes(self, seqs) -> dict[int, bytes]:
        out = {}
        seqs = list(seqs)
        for k in range(0, len(seqs), 500):
            for seq, h in self.Sequenced.objects.filter(seq__in=seqs[k:k + 500]).values_list("seq", "entry__leaf_hash"):
                out[seq] = bytes.fromhex(h)
        return out

    def prefix_root(self, m: int, size: int) -> bytes:
        return self.storage.TileReader(size).range_hash(0, m)

    def reset(self) -> None:
        """Start a new, empty log: empty the benchmark database (Django's flush, the only delete the
        append-only triggers let through) and remove the published checkpoint file, which belongs
        to the log just emptied (verify_log compares the two)."""
        from django.core.management import call_command

        from liuhen.ledger.signing import checkpoint_dir

        call_command("flush", interactive=False, verbosity=0)
        # flush re-runs post_migrate, whose record-type catalog sync logs each type it creates: the
        # benchmark's trees start from leaf 0 (their roots are compared with pymerkle's), so the
        # ledger's own tables are emptied once more, the way flush does it.
        from django.apps import apps
        from django.core.management.color import no_style

        ops = self.connection.ops
        tables = [m._meta.db_table for m in apps.get_app_config("ledger").get_models()]
        ops.execute_sql_flush(ops.sql_flush(no_style(), tables))
        (checkpoint_dir() / "checkpoint").unlink(missing_ok=True)
        self.clear_cache()
        self.preset_key()

    def preset_key(self) -> None:
        """The log's identity with its signing key recorded as current, but not yet announced by a
        leaf: a new log would announce its first key in its first batch (leaf 0), and the
        benchmark's trees hold only its own leaves, leaf for leaf the same as pymerkle's. The key is
        announced before verification (announce_key), as a queued entry that changes no tree."""
        from liuhen.ledger import identity, signing
        from liuhen.ledger.models import LogIdentity

        s = signing.signer()
        identity.forget()
        LogIdentity.objects.update_or_create(pk=1, defaults=dict(
            hash_algo=self.algo, origin=signing.origin(), vkey=s.vkey(), signature_algo=signing.kind_of(s)))

    def announce_key(self) -> None:
        from liuhen.ledger import signing
        from liuhen.ledger.models import LogIdentity

        with self.transaction.atomic():
            signing.announce(LogIdentity.objects.get(pk=1), signing.signer(), reason="bench")


# ----------------------------------------------------------------------------- pymerkle side


class Pymerkle:
    def __init__(self, pymerkle, path: Path, same_pragmas: bool = True):
        self.pm = pymerkle
        self.path = path
        # SHA-256 with the RFC 6962 prefixes (its default "security" on): the same hashing as Liuhen.
        # Its subroot cache stays on with the default threshold and capacity: that is its fast path.
        self.tree = pymerkle.SqliteTree(str(path), algorithm="sha256")
        if same_pragmas:
            # The project's SQLite settings (liuhen/settings.py): WAL and synchronous=NORMAL, so
            # both sides commit with the same durability.
            self.tree.con.execute("PRAGMA journal_mode=WAL")
            self.tree.con.execute("PRAGMA synchronous=NORMAL")

    def close(self):
        self.tree.close()

    def size(self) -> int:
        return self.tree.get_size()

    def root(self, size: int) -> bytes:
        return self.tree.get_root(size)

    def inclusion(self, index: int, size: int):
        return self.tree.prove_inclusion(index + 1, size)  # pymerkle counts leaves from one

    def consistency(self, old: int, new: int):
        return self.tree.prove_consistency(old, new)

    def clear_cache(self):
        self.tree.cache_clear()


# ------------------------------------------------------------------------------------ phases


def phase_append(lh: Liuhen, pm_mod, tmp: Path, events: Events, n_single: int, n_batched: int,
                 n_default: int, txn: int) -> dict:
    out = {}
    pm = Pymerkle(pm_mod, tmp / "pymerkle-append.sqlite3")
    pm_default = Pymerkle(pm_mod, tmp / "pymerkle-default-pragmas.sqlite3", same_pragmas=False)

    # -- single: one transaction per entry
    log(f"[append] single: {n_single} entries, one transaction each")
    gc.collect()
    t0 = time.perf_counter()
    for i in range(n_single):
        lh.append_one(i)
    t1 = time.perf_counter()
    lh.integrate_all()
    t2 = time.perf_counter()
    append_entry = pm.tree.append_entry
    leaf = events.leaf
    t3 = time.perf_counter()
    for i in range(n_single):
        append_entry(leaf(i))
    t4 = time.perf_counter()
    for i in range(n_default):
        pm_default.tree.append_entry(leaf(i))
    t5 = time.perf_counter()
    out["single"] = {
        "n": n_single,
        "liuhen": n_single / (t2 - t0),
        "liuhen_append_only": n_single / (t1 - t0),
        "liuhen_integrate": n_single / (t2 - t1),
        "pymerkle": n_single / (t4 - t3),
        "pymerkle_default_pragmas": n_default / (t5 - t4) if n_default else None,
        "n_default_pragmas": n_default,
    }

    # The bench's leaves must be append()'s leaves: same keys, same shape.
    real = json.loads(bytes(lh.Entry.objects.order_by("id").values_list("leaf", flat=True).first()))
    mine = json.loads(events.leaf(0))
    if sorted(real) != sorted(mine) or sorted(real["object"]) != sorted(mine["object"]):
        raise SystemExit(f"the benchmark's event differs from services.append()'s: {sorted(real)} vs {sorted(mine)}")

    # -- batched: `txn` entries per transaction
    log(f"[append] batched: {n_batched} entries, {txn} per transaction")
    first = n_single
    gc.collect()
    t0 = time.perf_counter()
    for s in range(first, first + n_batched, txn):
        lh.append_many(s, min(txn, first + n_batched - s))
    t1 = time.perf_counter()
    lh.integrate_all()
    t2 = time.perf_counter()
    append_entries = pm.tree.append_entries
    t3 = time.perf_counter()
    for s in range(first, first + n_batched, txn):
        append_entries([leaf(i) for i in range(s, min(s + txn, first + n_batched))])
    t4 = time.perf_counter()
    out["batched"] = {
        "n": n_batched, "per_txn": txn,
        "liuhen": n_batched / (t2 - t0),
        "liuhen_append_only": n_batched / (t1 - t0),
        "liuhen_integrate": n_batched / (t2 - t1),
        "pymerkle": n_batched / (t4 - t3),
    }
    # Same work done? Both trees now hold n_single + n_batched leaves (different times in them).
    size, _ = lh.checkpoint()
    assert size == n_single + n_batched == pm.size(), (size, pm.size())
    pm.close()
    pm_default.close()
    return out


class Ceiling:
    """Bare sqlite3 into a copy of Liuhen's tables (see the module docstring, 5.): the most SQLite
    allows. One database, growing round after round as Liuhen's log does."""

    INSERT = ("INSERT INTO ledger_entry (id, created_at, action, actor_id, object_type, object_id, object_version, "
              "request_id, leaf, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")

    def __init__(self, lh: Liuhen, tmp: Path, events: Events):
        import sqlite3

        with lh.connection.cursor() as cur:
            cur.execute("SELECT sql FROM sqlite_master WHERE tbl_name IN ('ledger_entry', 'ledger_pending') "
                        "AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC")
            ddl = [r[0] for r in cur.fetchall()]
        self.con = sqlite3.connect(tmp / "ceiling.sqlite3", isolation_level=None)
        self.con.execute("PRAGMA journal_mode=WAL")
        self.con.execute("PRAGMA synchronous=NORMAL")
        self.con.execute("PRAGMA foreign_keys=ON")  # as Django's connection has it
        for stmt in ddl:
            self.con.execute(stmt)
        self.lh, self.events, self.next_id = lh, events, 1

    def rows(self, count: int) -> list[tuple]:
        """The next `count` rows, built before any clock starts: ids, leaves and their hashes."""
        ev, lh = self.events, self.lh
        now = ev.timezone.now()
        created = lh.connection.ops.adapt_datetimefield_value(now)
        request_id = ev.context.current().request_id
        out = []
        for i in range(self.next_id, self.next_id + count):
            leaf, a = ev.leaf(i, now), Events.args(i)
            out.append((i, created, a["action"], None, a["object_type"], a["object_id"], a["object_version"],
                        request_id, leaf, lh.leaf_hash(leaf, lh.algo).hex()))
        self.next_id += count
        return out

    def single(self, count: int) -> tuple[float, float]:
        """(wall, CPU) seconds: one BEGIN; INSERT …; INSERT …; COMMIT per entry."""
        con, rows = self.con, self.rows(count)
        insert = self.INSERT.replace("(id, ", "(").replace("VALUES (?, ", "VALUES (") + " RETURNING id"
        gc.collect()
        c, t = time.process_time(), time.perf_counter()
        for row in rows:
            con.execute("BEGIN")
            entry_id = con.execute(insert, row[1:]).fetchone()[0]
            con.execute("INSERT INTO ledger_pending (entry_id) VALUES (?)", (entry_id,))
            con.execute("COMMIT")
        return time.perf_counter() - t, time.process_time() - c

    def batched(self, count: int, txn: int) -> tuple[float, float]:
        """(wall, CPU) seconds: executemany, `txn` entries per transaction."""
        con = self.con
        batches = [self.rows(min(txn, count - s)) for s in range(0, count, txn)]
        gc.collect()
        c, t = time.process_time(), time.perf_counter()
        for batch in batches:
            con.execute("BEGIN")
            con.executemany(self.INSERT, batch)
            con.executemany("INSERT INTO ledger_pending (entry_id) VALUES (?)", [(r[0],) for r in batch])
            con.execute("COMMIT")
        return time.perf_counter() - t, time.process_time() - c


def phase_vs_ceiling(lh: Liuhen, tmp: Path, events: Events, n_single: int, n_batched: int, txn: int,
                     rounds: int, first: int) -> dict:
    """Liuhen's appends against the SQLite ceiling, alternating, `rounds` times: the best round of
    each side counts (wall and CPU apart), so that a burst of load from elsewhere on a shared machine
    does not decide a ratio. Liuhen: `append()` one transaction each, then `append_many()` of `txn`
    per transaction (the batch path), each then integrated (timed apart)."""
    ceiling = Ceiling(lh, tmp, events)
    runs = {k: [] for k in ("ceiling_single", "ceiling_batched", "single", "batched", "integrate_single",
                            "integrate_batched")}

    def timed(fn, *args):
        gc.collect()
        c, t = time.process_time(), time.perf_counter()
        fn(*args)
        return time.perf_counter() - t, time.process_time() - c

    for r in range(rounds):
        log(f"[ceiling] round {r + 1}/{rounds}: bare sqlite3, then Liuhen, single and batched")
        runs["ceiling_single"].append(ceiling.single(n_single))
        runs["ceiling_batched"].append(ceiling.batched(n_batched, txn))
        # Liuhen's input made before the clock starts, as the ceiling's rows are (which are its
        # output too: leaves and hashes); building the leaves is Liuhen's work, and timed.
        single = [Events.args(i) for i in range(first, first + n_single)]
        runs["single"].append(timed(lh.append_each, single))
        runs["integrate_single"].append(timed(lh.integrate_all))
        first += n_single
        batches = [[Events.args(i) for i in range(s, min(s + txn, first + n_batched))]
                   for s in range(first, first + n_batched, txn)]
        runs["batched"].append(timed(lambda: [lh.append_events(b) for b in batches]))
        runs["integrate_batched"].append(timed(lh.integrate_all))
        first += n_batched
    ceiling.con.close()

    def best(key: str, n: int, k: int) -> float:  # entries/s of the fastest round (k: 0 wall, 1 CPU)
        return n / min(run[k] for run in runs[key])

    def with_integration(key: str, n: int, k: int) -> float:
        return n / min(a[k] + b[k] for a, b in zip(runs[key], runs[f"integrate_{key}"]))

    out = {"rounds": rounds, "n_single": n_single, "n_batched": n_batched, "per_txn": txn}
    for k, clock in ((0, ""), (1, "_cpu")):
        for kind, n in (("single", n_single), ("batched", n_batched)):
            c = best(f"ceiling_{kind}", n, k)
            out[f"ceiling_{kind}{clock}"] = c
            out[f"liuhen_{kind}{clock}"] = best(kind, n, k)
            out[f"liuhen_{kind}_with_integration{clock}"] = with_integration(kind, n, k)
    return out


def grow(lh: Liuhen, pm: Pymerkle | None, events: Events, start: int, end: int, chunk: int, batch: int,
         timing: dict) -> None:
    """Add leaves [start, end) to both trees: the same bytes on both sides."""
    from django.utils import timezone

    for s in range(start, end, chunk):
        e = min(end, s + chunk)
        now = timezone.now()
        t = time.perf_counter()
        leaves = [events.leaf(i, now) for i in range(s, e)]
        timing["generate_s"] += time.perf_counter() - t
        t = time.perf_counter()
        lh.bulk_load(s, leaves, now)
        timing["liuhen_load_s"] += time.perf_counter() - t
        if pm is not None:
            t = time.perf_counter()
            pm.tree.append_entries(leaves)
            timing["pymerkle_append_s"] += time.perf_counter() - t
    t = time.perf_counter()
    lh.integrate_batched(batch)
    timing["liuhen_integrate_s"] += time.perf_counter() - t


def time_queries(fn, queries, clear=None, budget_s: float | None = None, min_n: int = 3):
    samples, results = [], []
    spent = 0.0
    clock = time.perf_counter_ns
    for q in queries:
        if clear is not None:
            clear()
        t = clock()
        r = fn(*q)
        d = clock() - t
        samples.append(d)
        results.append(r)
        spent += d / 1e9
        if budget_s is not None and spent > budget_s and len(samples) >= min_n:
            break
    return samples, results


def phase_proofs(lh: Liuhen, pm: Pymerkle | None, n: int, samples: int, cold: int, cold_budget: float,
                 rnd: random.Random) -> dict:
    tree = lh.tree
    gc.collect()  # the tree building left garbage: collect it now, not inside a timed query
    size, root = lh.checkpoint()
    assert size == n, (size, n)
    out = {"n": n}
    inc_q = [(rnd.randrange(n), n) for _ in range(samples)]
    inc_warmup = [(rnd.randrange(n), n) for _ in range(samples)]
    con_q = [(rnd.randrange(1, n), n) for _ in range(samples)]
    con_warmup = [(rnd.randrange(1, n), n) for _ in range(samples)]
    inc_cold = [(rnd.randrange(n), n) for _ in range(cold)]
    con_cold = [(rnd.randrange(1, n), n) for _ in range(cold)]

    # -- Liuhen: cold (tile cache emptied before each), then warm-up, then the measured queries
    out["liuhen_inc_cold"] = stats_ms(time_queries(lh.inclusion, inc_cold, lh.clear_cache)[0])
    out["liuhen_con_cold"] = stats_ms(time_queries(lh.consistency, con_cold, lh.clear_cache)[0])
    time_queries(lh.inclusion, inc_warmup)
    time_queries(lh.consistency, con_warmup)
    s_inc, p_inc = time_queries(lh.inclusion, inc_q)
    s_con, p_con = time_queries(lh.consistency, con_q)
    out["liuhen_inc"] = stats_ms(s_inc)
    out["liuhen_con"] = stats_ms(s_con)
    out["liuhen_inc_bytes"] = sum(len(p) for p in p_inc) * 32 / len(p_inc)
    out["liuhen_con_bytes"] = sum(len(p) for p in p_con) * 32 / len(p_con)

    # Every measured proof, checked by the auditor's verifier against the signed checkpoint.
    hashes = lh.leaf_hashes(i for i, _ in inc_q)
    for (i, sz), proof in zip(inc_q, p_inc):
        tree.verify_inclusion(hashes[i], i, sz, proof, root, algo=lh.algo)
    old_roots = {m: lh.prefix_root(m, n) for m, _ in con_q}
    for (m, sz), proof in zip(con_q, p_con):
        tree.verify_consistency(m, sz, old_roots[m], root, proof, algo=lh.algo)

    if pm is None:
        return out
    # -- pymerkle: the same queries, the same order of cold / warm-up / measured
    out["pymerkle_inc_cold"] = stats_ms(time_queries(pm.inclusion, inc_cold, pm.clear_cache, cold_budget)[0])
    out["pymerkle_con_cold"] = stats_ms(time_queries(pm.consistency, con_cold, pm.clear_cache, cold_budget)[0])
    time_queries(pm.inclusion, inc_warmup)
    time_queries(pm.consistency, con_warmup)
    s_inc, q_inc = time_queries(pm.inclusion, inc_q)
    s_con, q_con = time_queries(pm.consistency, con_q)
    out["pymerkle_inc"] = stats_ms(s_inc)
    out["pymerkle_con"] = stats_ms(s_con)
    out["pymerkle_inc_bytes"] = sum(len(p.path) for p in q_inc) * 32 / len(q_inc)
    out["pymerkle_con_bytes"] = sum(len(p.path) for p in q_con) * 32 / len(q_con)

    # pymerkle's proofs by pymerkle's verifier; its inclusion path is [leaf hash] + the RFC 6962
    # path, so after the leaf it must be Liuhen's proof hash for hash; its old roots must be ours.
    for (i, sz), proof, mine in zip(inc_q, q_inc, p_inc):
        pm.pm.verify_inclusion(hashes[i], root, proof, index=i + 1, size=sz)
        if proof.path[1:] != mine:
            raise SystemExit(f"pymerkle and Liuhen disagree on the inclusion proof of {i} in {sz}")
    for (m, sz), proof in zip(con_q, q_con):
        old = pm.root(m)
        if old != old_roots[m]:
            raise SystemExit(f"pymerkle and Liuhen disagree on the root of size {m}")
        pm.pm.verify_consistency(old, root, proof, prior_size=m, later_size=sz)
    return out


def phase_verify(lh: Liuhen, n: int) -> dict:
    lh.announce_key()  # queued: in no tree, and verify reads it as the key's announcement
    gc.collect()
    t = time.perf_counter()
    report = lh.verify.verify_log(domain=False)
    elapsed = time.perf_counter() - t
    if not report.ok or report.size != n:
        raise SystemExit(f"verify_log failed at {n}: size {report.size}, findings {report.findings[:5]}")
    return {"n": n, "liuhen": elapsed, "checkpoints": report.checkpoints}


# ------------------------------------------------------------------------------------ output


def fmt(x, spec=".3f"):
    return "—" if x is None else format(x, spec)


def table(rows: list[list[str]], head: list[str]) -> str:
    widths = [max(len(str(r[k])) for r in rows + [head]) for k in range(len(head))]
    line = lambda r: "  ".join(str(c).rjust(w) if k else str(c).ljust(w) for k, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="1e3 and 1e4 entries, shorter loops (under a minute)")
    ap.add_argument("--sizes", type=parse_sizes, help="tree sizes for proofs, e.g. 1e4,1e5,1e6")
    ap.add_argument("--samples", type=int, help="warm proof queries per kind and size (default 200, quick 100)")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--pymerkle-budget", type=float, default=180.0,
                    help="seconds pymerkle may take to grow to the next size; beyond that it stops there")
    ap.add_argument("--rounds", type=int, default=3,
                    help="rounds of the ceiling and of Liuhen's appends, alternating; the best of each counts")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory (databases)")
    args = ap.parse_args(argv)

    pm_mod = _need_pymerkle()
    quick = args.quick
    sizes = args.sizes or ([1_000, 10_000] if quick else [10_000, 100_000, 1_000_000])
    samples = args.samples or (100 if quick else 200)
    cold = 10 if quick else 20
    cold_budget = 2.0 if quick else 15.0
    n_single, n_batched, n_default, txn = (1_000, 10_000, 200, 1000) if quick else (5_000, 50_000, 1_000, 1000)
    integrate_batch = 10_000

    tmp = Path(tempfile.mkdtemp(prefix="liuhen-bench-"))
    started = time.perf_counter()
    try:
        _setup_django(tmp)
        import django

        lh = Liuhen()
        events = Events()
        log(f"[setup] {tmp}  Django {django.get_version()}  pymerkle {pm_mod.__version__}  "
            f"sizes {','.join(label(n) for n in sizes)}")

        # 1. append throughput, fresh trees
        lh.reset()
        appends = phase_append(lh, pm_mod, tmp, events, n_single, n_batched, n_default, txn)
        log("[append] the SQLite ceiling: bare sqlite3 into Liuhen's tables, alternating with Liuhen")
        ceiling = phase_vs_ceiling(lh, tmp, events, n_single, n_batched, txn, args.rounds,
                                   first=n_single + n_batched)

        # 2 + 3. grow both trees to each size, proofs at each
        lh.reset()
        pm = Pymerkle(pm_mod, tmp / "pymerkle.sqlite3")
        pm_size, pm_spent = 0, 0.0
        proofs, builds = {}, {}
        have = 0
        for n in sizes:
            timing = {"added": n - have, "generate_s": 0.0, "liuhen_load_s": 0.0, "liuhen_integrate_s": 0.0,
                      "pymerkle_append_s": 0.0}
            if pm is not None and pm_size and (n - pm_size) * pm_spent / pm_size > args.pymerkle_budget:
                log(f"[grow] pymerkle would take ~{(n - pm_size) * pm_spent / pm_size:.0f} s to grow to {label(n)} "
                    f"(--pymerkle-budget {args.pymerkle_budget:.0f} s): it stays at {label(pm_size)}")
                pm.close()
                pm = None
            log(f"[grow] to {label(n)}")
            grow(lh, pm, events, have, n, 20_000, integrate_batch, timing)
            have = n
            builds[label(n)] = timing
            if pm is not None:
                pm_size, pm_spent = n, pm_spent + timing["pymerkle_append_s"]
                t = time.perf_counter()
                pm_root = pm.root(n)
                timing["pymerkle_root_cold_s"] = time.perf_counter() - t
                if pm_root != lh.checkpoint()[1]:
                    raise SystemExit(f"different roots at {n}: pymerkle {pm_root.hex()}, Liuhen {lh.checkpoint()[1].hex()}")
            log(f"[proofs] at {label(n)}")
            proofs[label(n)] = phase_proofs(lh, pm, n, samples, cold, cold_budget, random.Random(args.seed + n))
        with lh.connection.cursor() as cur:
            disk = {"liuhen": db_bytes(cur) / have}
        if pm is not None:
            pm.tree.con.row_factory = None
            disk["pymerkle"] = db_bytes(pm.tree.con.cursor()) / pm_size
            pm.close()
        else:
            disk["pymerkle"] = None

        # 4. full verification at the largest size
        log(f"[verify] verify_log at {label(have)}")
        verified = phase_verify(lh, have)
    finally:
        if args.keep:
            log(f"[keep] {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    total = time.perf_counter() - started

    # ------------------------------------------------------------------------------ report
    a1, a2 = appends["single"], appends["batched"]
    print(f"Liuhen ledger vs pymerkle {pm_mod.__version__} (SqliteTree), SQLite {__import__('sqlite3').sqlite_version}, "
          f"Python {sys.version.split()[0]}, {'quick' if quick else 'full'} run, {total:.1f} s")
    print()
    print("Append throughput, entries/s (fresh trees; Liuhen = append + integrate + one signed checkpoint)")
    rows = [
        [f"single ({a1['n']}, 1/txn)", fmt(a1["liuhen"], ".0f"), fmt(a1["liuhen_append_only"], ".0f"),
         fmt(a1["liuhen_integrate"], ".0f"), fmt(a1["pymerkle"], ".0f"), fmt(a1["liuhen"] / a1["pymerkle"], ".3f"),
         fmt(a1["pymerkle_default_pragmas"], ".0f")],
        [f"batched ({a2['n']}, {a2['per_txn']}/txn)", fmt(a2["liuhen"], ".0f"), fmt(a2["liuhen_append_only"], ".0f"),
         fmt(a2["liuhen_integrate"], ".0f"), fmt(a2["pymerkle"], ".0f"), fmt(a2["liuhen"] / a2["pymerkle"], ".3f"), "—"],
    ]
    print(table(rows, ["", "liuhen", "(append)", "(integrate)", "pymerkle", "ratio", "pymerkle default PRAGMAs"]))
    print(f"SQLite ceiling (bare sqlite3, prebuilt rows, Liuhen's tables): single {ceiling['ceiling_single']:.0f}/s = "
          f"{ceiling['ceiling_single'] / a1['pymerkle']:.2f}x pymerkle, batched {ceiling['ceiling_batched']:.0f}/s = "
          f"{ceiling['ceiling_batched'] / a2['pymerkle']:.2f}x pymerkle: the most any code storing these rows can reach")
    print()
    print(f"Liuhen against the SQLite ceiling, entries/s, best of {ceiling['rounds']} alternating rounds "
          f"(wall; CPU in brackets); batched = services.append_many(), {txn} per transaction")
    rows = []
    for kind in ("single", "batched"):
        c = lambda key, clock="": ceiling[f"{key}{clock}"]
        rows.append([kind, f"{c(f'ceiling_{kind}'):.0f} ({c(f'ceiling_{kind}', '_cpu'):.0f})",
                     f"{c(f'liuhen_{kind}'):.0f} ({c(f'liuhen_{kind}', '_cpu'):.0f})",
                     f"{c(f'liuhen_{kind}') / c(f'ceiling_{kind}'):.2f}x "
                     f"({c(f'liuhen_{kind}', '_cpu') / c(f'ceiling_{kind}', '_cpu'):.2f}x)",
                     f"{c(f'liuhen_{kind}_with_integration'):.0f}",
                     f"{c(f'liuhen_{kind}_with_integration') / c(f'ceiling_{kind}'):.2f}x "
                     f"({c(f'liuhen_{kind}_with_integration', '_cpu') / c(f'ceiling_{kind}', '_cpu'):.2f}x)"])
    print(table(rows, ["", "ceiling", "liuhen append", "ratio", "+ integration", "ratio"]))
    print()
    print(f"Proofs: warm mean / p99 over {samples} random queries after {samples} others; cold = process caches "
          "emptied before each query; size = hashes x 32 B")
    rows = []
    for key, p in proofs.items():
        for kind, name in (("inc", "inclusion"), ("con", "consistency")):
            lw, lc = p[f"liuhen_{kind}"], p[f"liuhen_{kind}_cold"]
            pw, pc = p.get(f"pymerkle_{kind}"), p.get(f"pymerkle_{kind}_cold")
            rows.append([
                f"{key} {name}",
                f"{fmt(lw['mean'])} / {fmt(lw['p99'])}", fmt(lc["mean"]), fmt(p[f"liuhen_{kind}_bytes"], ".0f"),
                f"{fmt(pw and pw['mean'])} / {fmt(pw and pw['p99'])}",
                f"{fmt(pc and pc['mean'])} ({pc['n'] if pc else 0})", fmt(p.get(f"pymerkle_{kind}_bytes"), ".0f"),
            ])
    print(table(rows, ["size", "liuhen ms", "cold ms", "bytes", "pymerkle ms", "cold ms (n)", "bytes"]))
    print()
    print("Building the trees (s): Liuhen rows bulk-loaded, then sequenced by storage.integrate(batch="
          f"{integrate_batch}); pymerkle append_entries()")
    rows = []
    for key, b in builds.items():
        rows.append([f"+{b['added']} to {key}", fmt(b["generate_s"], ".2f"), fmt(b["liuhen_load_s"], ".2f"),
                     fmt(b["liuhen_integrate_s"], ".2f"), fmt(b["added"] / b["liuhen_integrate_s"], ".0f"),
                     fmt(b["pymerkle_append_s"] if "pymerkle_root_cold_s" in b else None, ".2f"),
                     fmt(b.get("pymerkle_root_cold_s"), ".2f")])
    print(table(rows, ["", "events", "liuhen load", "integrate", "integrated/s", "pymerkle append", "pymerkle root"]))
    print(f"database bytes per entry at {label(have)}: liuhen {disk['liuhen']:.0f} (entry row and its indexes, "
          f"sequence, tiles, checkpoints), pymerkle {fmt(disk['pymerkle'], '.0f')} (leaf row)")
    print()
    print(f"Full verification (verify_log, domain=False) of {verified['n']} entries, "
          f"{verified['checkpoints']} checkpoints: {verified['liuhen']:.2f} s")
    if pm_size < have:
        print(f"note: pymerkle stopped at {label(pm_size)} (growing further was over --pymerkle-budget)")

    # -- the JSON line
    max_key = label(have)
    common = [k for k, p in proofs.items() if "pymerkle_inc" in p]

    def per_size(kind: str, what: str) -> dict:
        out = {}
        for key, p in proofs.items():
            if what == "ms":
                d = {"liuhen": p[f"liuhen_{kind}"]["mean"], "pymerkle": (p.get(f"pymerkle_{kind}") or {}).get("mean"),
                     "liuhen_p99": p[f"liuhen_{kind}"]["p99"], "pymerkle_p99": (p.get(f"pymerkle_{kind}") or {}).get("p99"),
                     "liuhen_cold": p[f"liuhen_{kind}_cold"]["mean"],
                     "pymerkle_cold": (p.get(f"pymerkle_{kind}_cold") or {}).get("mean")}
            else:
                d = {"liuhen": p[f"liuhen_{kind}_bytes"], "pymerkle": p.get(f"pymerkle_{kind}_bytes")}
            out[key] = d
        return out

    inc_ms, con_ms = per_size("inc", "ms"), per_size("con", "ms")
    first_key = label(sizes[0])
    growth = {"inclusion": inc_ms[max_key]["liuhen"] / inc_ms[first_key]["liuhen"],
              "consistency": con_ms[max_key]["liuhen"] / con_ms[first_key]["liuhen"]}
    r1, r2 = a1["liuhen"] / a1["pymerkle"], a2["liuhen"] / a2["pymerkle"]

    def vs_ceiling(kind: str) -> dict:
        c = ceiling
        return {"append": c[f"liuhen_{kind}"] / c[f"ceiling_{kind}"],
                "with_integration": c[f"liuhen_{kind}_with_integration"] / c[f"ceiling_{kind}"],
                "append_cpu": c[f"liuhen_{kind}_cpu"] / c[f"ceiling_{kind}_cpu"],
                "with_integration_cpu": c[f"liuhen_{kind}_with_integration_cpu"] / c[f"ceiling_{kind}_cpu"]}

    batched_vs, single_vs = vs_ceiling("batched"), vs_ceiling("single")
    batched_vs.update(target=0.5, judged_on="append", met=batched_vs["append"] >= 0.5)
    result = {
        "append_single_per_s": {"liuhen": a1["liuhen"], "pymerkle": a1["pymerkle"], "ratio": r1, "n": a1["n"],
                                "liuhen_append_only": a1["liuhen_append_only"], "liuhen_integrate": a1["liuhen_integrate"],
                                "pymerkle_default_pragmas": a1["pymerkle_default_pragmas"],
                                "ratio_vs_default_pragmas": a1["liuhen"] / a1["pymerkle_default_pragmas"]},
        "append_batched_per_s": {"liuhen": a2["liuhen"], "pymerkle": a2["pymerkle"], "ratio": r2, "n": a2["n"],
                                 "per_txn": a2["per_txn"], "liuhen_append_only": a2["liuhen_append_only"],
                                 "liuhen_integrate": a2["liuhen_integrate"]},
        "sqlite_ceiling_per_s": {"single": ceiling["ceiling_single"], "batched": ceiling["ceiling_batched"],
                                 "ratio_single": ceiling["ceiling_single"] / a1["pymerkle"],
                                 "ratio_batched": ceiling["ceiling_batched"] / a2["pymerkle"]},
        "vs_ceiling_per_s": ceiling,
        "batched_vs_ceiling": batched_vs,
        "single_vs_ceiling": single_vs,
        "inclusion_ms": inc_ms,
        "inclusion_bytes": per_size("inc", "bytes"),
        "consistency_ms": con_ms,
        "consistency_bytes": per_size("con", "bytes"),
        "verify_full_s": {"n": verified["n"], "liuhen": verified["liuhen"]},
        "build_s": builds,
        "db_bytes_per_entry": disk,
        "pymerkle_max_size": pm_size,
        "proof_sizes_compared": common,
        "targets": {
            "append_ratio_ge_5": r1 >= 5 and r2 >= 5,
            "batched_append_ge_half_ceiling": batched_vs["met"],
            "proof_under_1ms_at_max": inc_ms[max_key]["liuhen"] < 1 and con_ms[max_key]["liuhen"] < 1,
            "verify_under_20s": (verified["liuhen"] < 20) if verified["n"] >= 1_000_000 else None,
            "proof_growth_first_to_max": growth,
        },
        "quick": quick,
        "seconds": total,
    }
    print()
    print("Targets: append >= 5x pymerkle (single and batched): "
          f"{'met' if result['targets']['append_ratio_ge_5'] else 'MISSED'} ({r1:.3f}x, {r2:.3f}x); "
          f"proof < 1 ms at {max_key} (warm mean): {'met' if result['targets']['proof_under_1ms_at_max'] else 'MISSED'}; "
          f"verify 1e6 < 20 s: " + {True: "met", False: "MISSED", None: "not judged (largest size < 1e6)"}[
              result["targets"]["verify_under_20s"]] +
          f"; batched append >= 0.5x the SQLite ceiling: {'met' if batched_vs['met'] else 'MISSED'} "
          f"({batched_vs['append']:.2f}x; {batched_vs['with_integration']:.2f}x with integration)")
    print(json.dumps(result, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
