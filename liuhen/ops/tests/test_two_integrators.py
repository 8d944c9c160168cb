"""One integrator (issue 21 §3): two `liuhen integrator` processes started together on one database
— an operator's slip, a unit started twice — never fork the log. They take turns on the log's row
lock (ledger.storage.integrate): each integrates, the tree stays one, verify passes and the
checkpoints only grow. On SQLite, and on PostgreSQL in the PostgreSQL pass.
"""
import signal
import time

import pytest

from liuhen.ledger import vocabulary as vocab
from liuhen.testing.ledger_processes import LIUHEN

pytestmark = pytest.mark.django_db(transaction=True)

def _acks(text: str) -> list[str]:
    """Acknowledged object ids: complete 'ACK …' lines only."""
    return [line[4:] for line in text.split("\n")[:-1] if line.startswith("ACK ")]


def _check_log(d: dict, acked: list[str]) -> None:
    """One tree: every acknowledged write is an entry once, leaf indexes are 0..n-1 and each entry
    holds one, checkpoints only grow and never give two roots for a size, and the log verifies."""
    ids = [oid for _, oid in d["entries"]]
    assert sorted(ids) == sorted(acked), "a write is lost or written twice"
    n = d["entry_count"]
    assert d["pending"] == 0 and d["state"][0] == n
    assert [s for s, _ in d["sequenced"]] == list(range(n)), "leaf indexes are not 0..n-1"
    assert len({e for _, e in d["sequenced"]}) == n, "an entry holds two leaf indexes"
    sizes = [s for s, _ in d["checkpoints"]]
    assert sizes == sorted(sizes), f"a later checkpoint is smaller: {sizes}"
    roots = {}
    for size, root in d["checkpoints"]:
        assert roots.setdefault(size, root) == root, f"two roots for size {size}: the log forked"
    assert d["checkpoints"][-1] == [n, d["state"][1]] and d["published_size"] == n
    assert d["report"]["ok"], d["report"]["findings"]


def _integrated_by_others(children, size_before: int) -> int:
    """Wait until the running integrators (not this test) have sequenced everything queued and
    published the checkpoint over it (published after the commit: a SIGTERM before it would leave
    the file behind the log). Read from this process: a child per look would cost seconds."""
    deadline = time.monotonic() + 60
    while True:
        [(pending,)] = children.query("SELECT count(*) FROM ledger_pending")
        size = (children.query("SELECT size FROM ledger_logstate WHERE id = 1") or [(0,)])[0][0]
        published = children.published_size()
        if pending == 0 and size > size_before and published == size:
            return size
        assert time.monotonic() < deadline, f"the queued entries were not integrated and published: {pending=} {size=} {published=}"
        time.sleep(0.05)


def _write(children, worker: str, count: int) -> list[str]:
    w = children.writer(worker, str(count))
    out, err = w.communicate(timeout=120)
    assert w.returncode == 0, err
    return _acks(out)


def _stop(p) -> None:
    """SIGTERM an integrator, which must have run until then without an error: one that died at
    any time (a unique-key clash of two integrators sequencing the same leaves) exited with 1, or
    printed its traceback while the signal came."""
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)
    err = p.stderr.read()
    assert p.returncode == -signal.SIGTERM and "Traceback" not in err, f"an integrator failed ({p.returncode}): {err}"


def test_two_integrators_started_together_never_fork_the_log(child_env, tmp_path):
    # Both started at once on a log with no entry yet: they race for its first key announcement too.
    first, second = child_env.integrator(), child_env.integrator()
    barrier = tmp_path / "go"
    writers = [child_env.writer(f"w{k}", "150", "--barrier", str(barrier)) for k in range(3)]
    for w in writers:
        assert w.stdout.readline() == "READY\n", w.stderr.read()
    barrier.touch()
    acked = []
    for w in writers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
        acked += _acks(out)
    size = _integrated_by_others(child_env, 0)
    assert first.poll() is None and second.poll() is None, "an integrator stopped: " + (
        (first.stderr.read() if first.poll() is not None else "") + (second.stderr.read() if second.poll() is not None else ""))

    # Each of them integrates on its own: stop one, the other sequences what comes; and the other way.
    _stop(first)
    acked += _write(child_env, "only-second", 50)
    size = _integrated_by_others(child_env, size)
    first = child_env.integrator()
    _stop(second)
    acked += _write(child_env, "only-first", 50)
    _integrated_by_others(child_env, size)
    _stop(first)

    d = child_env.dump()
    _check_log(d, acked)  # one tree: leaf indexes 0..n-1, no entry twice, checkpoints only grow, verify passes
    assert len(acked) == 3 * 150 + 100
    announced = child_env.query(f"SELECT count(*) FROM ledger_entry WHERE action = '{vocab.KEY_ANNOUNCE}'")
    assert announced == [(1,)], "the log's first key is announced once"
    r = child_env.run(str(LIUHEN), "verify")
    assert r.returncode == 0 and "通过" in r.stdout, r.stdout + r.stderr
