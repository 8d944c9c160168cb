"""A separate process for the crash and concurrency tests (test_crash_and_concurrency.py).

    python -m liuhen.ledger.tests.ledger_writer write WORKER COUNT [--integrate-every K] [--barrier FILE]
    python -m liuhen.ledger.tests.ledger_writer dump
    python -m liuhen.ledger.tests.ledger_writer publish-trace [--nested]
    python -m liuhen.ledger.tests.ledger_writer verify-racing-write
    python -m liuhen.ledger.tests.ledger_writer verify-racing-publish

`write` appends COUNT ledger entries ("test.write", object "test:WORKER-i"), each in its own
transaction, and after each commit prints "ACK WORKER-i" and flushes: a line on stdout is a write
the caller may count on. With --integrate-every K it also runs the integrator after every K writes.
With --barrier it first connects, prints "READY", and waits for FILE to exist, so that several
writers start at the same moment.

`dump` integrates whatever is pending, runs verify_log(domain=False) and prints one JSON object
with the test entries, the leaf order, the checkpoints, the published checkpoint and the report.

`publish-trace` writes one entry, integrates and publishes a checkpoint with os.fsync and os.replace
watched (they still do their work) and, on SQLite, the statements SQLite runs traced; it prints
them in order, as JSON.

The database and key directory come from the environment (DATABASE_URL, LIUHEN_HOME), as for the
`liuhen` command: the caller points them at a database of its own, never at the test runner's.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
    import django

    django.setup()


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def write(worker: str, count: int, integrate_every: int = 0, barrier: str | None = None) -> None:
    from django.db import connection, transaction

    from liuhen.ledger import services as ledger
    from liuhen.ledger.storage import integrate

    connection.ensure_connection()
    if barrier:
        _say("READY")
        deadline = time.monotonic() + 60
        while not Path(barrier).exists():
            if time.monotonic() > deadline:
                raise SystemExit("barrier never opened")
            time.sleep(0.005)
    for i in range(count):
        with transaction.atomic():
            ledger.append("test.write", object_type="test", object_id=f"{worker}-{i}",
                          detail={"worker": worker, "i": i, "pid": os.getpid()})
        _say(f"ACK {worker}-{i}")  # only once the commit has returned
        if integrate_every and (i + 1) % integrate_every == 0:
            integrate()
    _say("DONE")


def dump() -> None:
    from liuhen.ledger.core import checkpoint as cp
    from liuhen.ledger.models import Checkpoint, Entry, LogState, Pending, Sequenced
    from liuhen.ledger.signing import checkpoint_dir, verifier
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log

    integrate_all()
    report = verify_log(domain=False)
    state = LogState.objects.filter(pk=1).first()
    published = checkpoint_dir() / "checkpoint"
    published_size = None
    if published.exists():
        published_size = cp.open_checkpoint(published.read_text(encoding="utf-8"), [verifier()])[0].size
    print(json.dumps({
        "entries": list(Entry.objects.filter(object_type="test").order_by("id").values_list("id", "object_id")),
        "entry_count": Entry.objects.count(),
        "sequenced": list(Sequenced.objects.order_by("seq").values_list("seq", "entry_id")),
        "pending": Pending.objects.count(),
        "state": [state.size, state.root_hash] if state else None,
        "checkpoints": list(Checkpoint.objects.order_by("id").values_list("size", "root_hash")),
        "published_size": published_size,
        "report": {"ok": report.ok, "size": report.size, "root": report.root,
                   "findings": [str(f) for f in report.findings]},
    }))


def publish_trace(nested: bool = False) -> None:
    from django.db import connection, transaction

    from liuhen.ledger import services as ledger
    from liuhen.ledger.storage import integrate_all

    ops = []
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        connection.connection.set_trace_callback(lambda sql: ops.append(["sql", sql]))
    else:  # PostgreSQL: what goes through Django's cursors

        def wrapper(execute, sql, params, many, context):
            ops.append(["sql", sql])
            return execute(sql, params, many, context)

        connection.execute_wrappers.append(wrapper)
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        ops.append(["fsync", os.readlink(f"/proc/self/fd/{fd}")])
        return real_fsync(fd)

    def replace(src, dst, **kw):
        ops.append(["replace", os.path.abspath(src), os.path.abspath(dst)])
        return real_replace(src, dst, **kw)

    os.fsync, os.replace = fsync, replace
    try:
        if nested:  # the caller's transaction holds the append and the integration
            with transaction.atomic():
                ledger.append("test.write", object_type="test", object_id="trace-0")
                integrate_all()
        else:
            with transaction.atomic():
                ledger.append("test.write", object_type="test", object_id="trace-0")
            integrate_all()
    finally:
        os.fsync, os.replace = real_fsync, real_replace
    print(json.dumps(ops))


def verify_racing_write() -> None:
    """`liuhen verify` while another connection writes: an agency (its row and its event, one
    transaction) is created by a second thread after verify has read the agency events and before
    it reads the agency rows. Prints the findings as JSON."""
    import threading

    from django.db import connection

    from liuhen.accounts import services as acc
    from liuhen.accounts.models import Agency
    from liuhen.ledger import subjects
    from liuhen.ledger.verify import verify_log

    real = subjects.model_states

    def write_meanwhile():
        try:
            acc.create_agency(None, name="校验期间新建的机关", short_name="新建")
        finally:
            connection.close()

    fired = []

    def model_states(model, *args, **kwargs):
        if model is not Agency or fired:  # once: the write itself reads its row back through here
            return real(model, *args, **kwargs)
        fired.append(True)

        def rows():  # a generator: the write happens when the check starts reading the rows
            t = threading.Thread(target=write_meanwhile)
            t.start()
            t.join()
            yield from real(model, *args, **kwargs)

        return rows()

    subjects.model_states = model_states
    report = verify_log()
    assert Agency.objects.filter(short_name="新建").exists()  # the write did happen
    print(json.dumps([str(f) for f in report.findings], ensure_ascii=False))


def verify_racing_publish() -> None:
    """`liuhen verify` while the integrator publishes: a second thread appends, integrates and
    publishes a larger checkpoint right after verify's snapshot began (its first read). The
    published file must have been read before the snapshot, or the new checkpoint would sign
    leaves the snapshot does not see: a false truncation. Prints the findings as JSON."""
    import threading

    from django.db import connection, transaction

    from liuhen.ledger import services as ledger
    from liuhen.ledger.signing import checkpoint_dir
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log

    for i in range(3):
        with transaction.atomic():
            ledger.append("test.write", object_type="test", object_id=f"before-{i}")
    integrate_all()
    before = (checkpoint_dir() / "checkpoint").read_text(encoding="utf-8")

    def publish_meanwhile():
        try:
            with transaction.atomic():
                ledger.append("test.write", object_type="test", object_id="meanwhile")
            integrate_all()  # commits, then publishes the larger checkpoint
        finally:
            connection.close()

    state = {"begun": False, "fired": False}

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("BEGIN"):
            state["begun"] = True
        elif state["begun"] and not state["fired"]:  # the snapshot's first read has run
            state["fired"] = True
            t = threading.Thread(target=publish_meanwhile)
            t.start()
            t.join()
        return result

    with connection.execute_wrapper(wrapper):
        report = verify_log(domain=False)
    assert state["fired"]
    assert (checkpoint_dir() / "checkpoint").read_text(encoding="utf-8") != before  # it did publish
    print(json.dumps([str(f) for f in report.findings], ensure_ascii=False))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("worker")
    w.add_argument("count", type=int)
    w.add_argument("--integrate-every", type=int, default=0)
    w.add_argument("--barrier")
    sub.add_parser("dump")
    sub.add_parser("verify-racing-write")
    sub.add_parser("verify-racing-publish")
    t = sub.add_parser("publish-trace")
    t.add_argument("--nested", action="store_true", help="append and integrate inside one outer transaction")
    args = parser.parse_args(argv)
    _setup()
    if args.command == "write":
        write(args.worker, args.count, args.integrate_every, args.barrier)
    elif args.command == "dump":
        dump()
    elif args.command == "verify-racing-write":
        verify_racing_write()
    elif args.command == "verify-racing-publish":
        verify_racing_publish()
    else:
        publish_trace(args.nested)
    return 0


if __name__ == "__main__":
    sys.exit(main())
