"""Several processes at once, and a process killed with SIGKILL: the log neither forks nor loses
an acknowledged write.

The writers (ledger_writer.py) and the integrator (`liuhen integrator`) are real processes, each
test on a database of its own (liuhen.testing.ledger_processes); the test reads the outcome
through the helper's `dump` command and `liuhen verify`, both fresh processes as after a restart.
"""
import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from liuhen.testing.ledger_processes import LIUHEN

pytestmark = pytest.mark.django_db(transaction=True)


def _acks(text: str) -> list[str]:
    """Acknowledged object ids: complete 'ACK …' lines only."""
    return [line[4:] for line in text.split("\n")[:-1] if line.startswith("ACK ")] if text else []


def _check_log(d: dict, acked: list[str]) -> None:
    """No fork, no loss: every acknowledged write is an entry exactly once, every entry has exactly
    one leaf index, the indexes are 0..n-1, the checkpoints only grow, and the log verifies."""
    ids = [oid for _, oid in d["entries"]]
    assert len(ids) == len(set(ids)), "an entry was written twice"
    missing = set(acked) - set(ids)
    assert not missing, f"{len(missing)} acknowledged writes are lost, e.g. {sorted(missing)[:5]}"
    n = d["entry_count"]
    assert d["pending"] == 0
    assert [s for s, _ in d["sequenced"]] == list(range(n)), "leaf indexes are not 0..n-1"
    assert len({e for _, e in d["sequenced"]}) == n, "an entry holds two leaf indexes"
    assert d["state"][0] == n
    sizes = [s for s, _ in d["checkpoints"]]
    assert sizes == sorted(sizes), f"a later checkpoint is smaller: {sizes}"
    assert sizes[-1] == n and d["checkpoints"][-1][1] == d["state"][1] == d["report"]["root"]
    roots = {}
    for size, root in d["checkpoints"]:
        assert roots.setdefault(size, root) == root, f"two roots for size {size}: the log forked"
    assert d["published_size"] is not None and d["published_size"] <= n
    assert d["report"]["ok"], d["report"]["findings"]
    assert d["report"]["size"] == n


WRITERS, WRITES = 4, 300


def test_concurrent_writers_and_integrators_never_fork_or_lose(child_env, tmp_path):
    barrier = tmp_path / "go"
    # Four writers; two of them also integrate every 50 writes, racing the integrator process.
    writers = [child_env.writer(f"w{k}", str(WRITES), "--integrate-every", "50" if k % 2 else "0",
                                "--barrier", str(barrier)) for k in range(WRITERS)]
    for w in writers:
        line = w.stdout.readline()
        assert line == "READY\n", line + w.stderr.read()
    integrator = child_env.integrator()
    barrier.touch()  # all at once
    acked = []
    for w in writers:
        out, err = w.communicate(timeout=60)
        assert w.returncode == 0, err
        assert out.endswith("DONE\n")
        acked += _acks(out)
    assert len(acked) == WRITERS * WRITES
    assert integrator.poll() is None, "the integrator died: " + integrator.stderr.read()
    integrator.send_signal(signal.SIGTERM)
    integrator.wait(timeout=30)
    d = child_env.dump()
    _check_log(d, acked)
    assert sorted(oid for _, oid in d["entries"]) == sorted(f"w{k}-{i}" for k in range(WRITERS) for i in range(WRITES))
    # Each writer's own entries are in its own order in the tree (one writer, one sequence).
    seq_of = {e: s for s, e in d["sequenced"]}
    for k in range(WRITERS):
        mine = [(seq_of[eid], int(oid.split("-")[1])) for eid, oid in d["entries"] if oid.startswith(f"w{k}-")]
        assert [i for _, i in sorted(mine)] == list(range(WRITES))
    assert len(d["checkpoints"]) > 3  # several integrators did sign along the way


def _kill_mid_writing(child_env, worker: str, at_least: int) -> list[str]:
    """Start a writer of 5000 entries (integrating every 64) beside the integrator process; once
    `at_least` writes are acknowledged, SIGKILL both. Returns every acknowledged object id."""
    writer = child_env.writer(worker, "5000", "--integrate-every", "64")
    integrator = child_env.integrator()
    acked = []
    deadline = time.monotonic() + 30
    while len(acked) < at_least:
        line = writer.stdout.readline()
        assert line, "the writer stopped early: " + writer.stderr.read()
        if line.startswith("ACK "):
            acked.append(line[4:].rstrip("\n"))
        assert time.monotonic() < deadline
    os.kill(writer.pid, signal.SIGKILL)
    os.kill(integrator.pid, signal.SIGKILL)
    acked += _acks(writer.stdout.read())  # lines flushed before the kill were acknowledged too
    writer.wait(timeout=30)
    integrator.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL and integrator.returncode == -signal.SIGKILL
    assert len(acked) < 5000  # killed in the middle of writing
    return acked


def test_sigkill_in_the_middle_of_writing_loses_no_acknowledged_write(child_env):
    acked = _kill_mid_writing(child_env, "a", 1000)
    # After a restart: verify passes (a fresh process, the full command with its domain checks)...
    r = child_env.run(str(LIUHEN), "verify")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "通过" in r.stdout
    d = child_env.dump()
    _check_log(d, acked)
    # ...every acknowledged write is there, and at most the one in flight besides: no gap.
    _check_prefix(d, "a", acked)

    # Writing resumes after the restart, and a second crash is as harmless.
    acked += _kill_mid_writing(child_env, "b", 200)
    r = child_env.run(str(LIUHEN), "verify")
    assert r.returncode == 0, r.stdout + r.stderr
    d = child_env.dump()
    _check_log(d, acked)
    _check_prefix(d, "a", acked)
    _check_prefix(d, "b", acked)


def _check_prefix(d: dict, worker: str, acked: list[str]) -> None:
    written = [oid for _, oid in d["entries"] if oid.startswith(f"{worker}-")]
    mine = [a for a in acked if a.startswith(f"{worker}-")]
    assert written == [f"{worker}-{i}" for i in range(len(written))]
    assert len(mine) <= len(written) <= len(mine) + 1


@pytest.mark.parametrize("nested", [False, True], ids=["integrated-alone", "inside-the-callers-transaction"])
def test_a_checkpoint_is_published_only_once_its_leaves_are_on_disk(child_env, nested):
    """WAL + synchronous=NORMAL survives a killed process, not a power cut: the transaction after
    which a checkpoint is published commits with synchronous=FULL (an fsync of the -wal file, which
    holds every earlier commit as well); then the checkpoint file is fsync'ed, renamed into place,
    and its directory fsync'ed."""
    r = child_env.run(sys.executable, "-m", "liuhen.ledger.tests.ledger_writer", "publish-trace",
                      *(["--nested"] if nested else []))
    assert r.returncode == 0, r.stderr
    ops = json.loads(r.stdout)
    published = str(child_env.home / "checkpoints" / "checkpoint")
    renames = [k for k, op in enumerate(ops) if op[0] == "replace" and op[2] == published]
    assert len(renames) == 1, ops
    k = renames[0]
    tmp = ops[k][1]
    assert ["fsync", tmp] in ops[:k], "the checkpoint file was renamed into place unsynced"
    assert ["fsync", str(Path(published).parent)] in ops[k + 1:], "the rename itself was not made durable"
    if connection.vendor == "sqlite":
        # The last commit before the checkpoint went out ran under synchronous=FULL: its fsync of the
        # -wal file covers it and every commit before it (the leaves' and the integration's).
        level, commits = "NORMAL", []
        for op in ops[:k]:
            q = op[1].strip().upper() if op[0] == "sql" else ""
            if q.startswith("PRAGMA SYNCHRONOUS="):
                level = {"1": "NORMAL", "2": "FULL"}.get(q.split("=", 1)[1], q.split("=", 1)[1])
            elif q == "COMMIT":
                commits.append(level)
        assert commits and commits[-1] == "FULL", f"published after a commit not synced: {commits}"
    else:  # the integrating transaction waits for its WAL flush, whatever the server's default
        assert ["sql", "SET LOCAL synchronous_commit TO on"] in ops[:k], ops


def test_verify_reads_one_snapshot_while_the_server_writes(child_env):
    """A row and its event written while verify runs — after it read the events, before it read the
    rows — must not be reported as inserted: verify reads from one snapshot."""
    r = child_env.run(sys.executable, "-m", "liuhen.ledger.tests.ledger_writer", "verify-racing-write")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == []
