"""The batched append (services.appending / append_many): the same entries as single appends, leaf
for leaf and root for root, or none at all; and the leaf written out by hand is json.dumps's."""
import datetime
import itertools
import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError
from hypothesis import given, settings as hsettings, strategies as st

from liuhen.common import context
from liuhen.ledger import services as ledger
from liuhen.ledger.core import tree
from liuhen.ledger.core.canonical import canonical_bytes
from liuhen.ledger.core.hashing import leaf_hash
from liuhen.ledger.models import Entry, Pending
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log

COLUMNS = ["created_at", "action", "actor_id", "object_type", "object_id", "object_version", "request_id",
           "leaf", "leaf_hash"]


def last_id() -> int:
    return Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def rows_after(before: int) -> list[tuple]:
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in Entry.objects.filter(pk__gt=before).order_by("id").values_list("id", *COLUMNS)]


@pytest.fixture
def clock(monkeypatch):
    """Django's clock at fixed, distinct instants (one a whole second: no microseconds), restarted by
    `clock.restart()` — so that two runs of the same events log the same times."""
    import django.utils.timezone as tz

    start = datetime.datetime(2026, 12, 3, 1, 2, 3, 0, tzinfo=datetime.timezone.utc)

    class Clock:
        def restart(self):
            self.ticks = (start + datetime.timedelta(microseconds=37 * k) for k in itertools.count())

    c = Clock()
    c.restart()
    monkeypatch.setattr(tz, "now", lambda: next(c.ticks))
    return c


@pytest.fixture
def request_ctx():
    token = context.bind(context.RequestContext(request_id="req-batch", ip="10.0.0.9", channel="web"))
    yield
    context.reset(token)


def events(world) -> list[dict]:
    """Events of every shape append() is given: system and personal, files, Chinese and escapes."""
    out = []
    for i in range(230):  # more than two CHUNKs, not a multiple of one
        out.append({
            "action": ("record.update", "case.view", "copies.package")[i % 3],
            "actor": (None, world.officer, world.unit_head, world.agency_head)[i % 4],
            "object_type": ("record", "case", "")[i % 3],
            "object_id": i if i % 2 else f"对象-{i}",
            "object_version": None if i % 5 == 0 else i % 7,
            "content_sha256": f"{i:064x}" if i % 4 else "",
            "blobs": [f"{(i * 7) % 97:064x}", f"{i:064x}"][: i % 3],
            "detail": {} if i % 6 == 0 else {"意见": "同意\"立案\"\\", "n": i, "ratio": i / 7, "list": [1, None, True],
                                             "nested": {"b": "\u0007", "a": "😀"}},
        })
    return out


@pytest.mark.django_db(transaction=True)
def test_the_batch_writes_what_single_appends_write(world, fresh_home, clock, request_ctx):
    """The same events, once appended one by one (a transaction each) and once through the batch path
    with the same clock: the same columns, the same leaf bytes and hashes, the same tree over each;
    ids in the order appended; and the log, integrated and signed, verifies."""
    evs = events(world)
    with transaction.atomic():  # the log's identity checked (and its first write's clock reading) before
        ledger.append("test.write", object_type="warm-up")
    clock.restart()
    before = last_id()
    for ev in evs:
        with transaction.atomic():
            ledger.append(**ev)
    middle = last_id()
    clock.restart()
    with transaction.atomic():
        with ledger.appending():
            returned = [ledger.append(**ev) for ev in evs[:100]]
            assert all(e.pk is None for e in returned)  # written when the block ends
        returned += ledger.append_many(evs[100:])
    single, batched = rows_after(before)[:len(evs)], rows_after(middle)
    assert len(batched) == len(single) == len(evs)
    assert [r[1:] for r in batched] == [r[1:] for r in single]
    assert [r[0] for r in batched] == sorted(r[0] for r in batched)  # ids in the order appended
    assert [e.pk for e in returned] == [r[0] for r in batched]
    for entry, row in zip(returned, batched):
        assert [getattr(entry, c) for c in COLUMNS[1:]] == list(row[2:])
        assert not entry._state.adding
    for row in batched:
        leaf = row[COLUMNS.index("leaf") + 1]
        assert row[-1] == leaf_hash(leaf).hex()
        assert json.loads(leaf)["time"].startswith("2026-12-03T01:02:03")
    roots = [tree.root_from_leaf_hashes([bytes.fromhex(r[-1]) for r in rows]) for rows in (single, batched)]
    assert roots[0] == roots[1]
    assert set(Pending.objects.values_list("entry_id", flat=True)) >= {r[0] for r in single + batched}
    integrate_all()
    report = verify_log(domain=False)
    assert report.ok, [str(f) for f in report.findings]


@pytest.mark.django_db(transaction=True)
def test_single_append_returns_the_row_it_wrote(world):
    with transaction.atomic():
        entry = ledger.append("record.update", actor=world.officer, object_type="record", object_id=5,
                              object_version=2, content_sha256="ab" * 32, blobs=["cd" * 32], detail={"x": "叶"})
    stored = Entry.objects.get(pk=entry.pk)
    for c in COLUMNS:
        value = getattr(stored, c)
        assert (bytes(value) if isinstance(value, memoryview) else value) == getattr(entry, c), c
    assert not entry._state.adding and entry._state.db == "default"
    # a read outside any transaction commits both its rows
    read = ledger.append("record.view", actor=world.officer, object_type="record", object_id=5)
    assert Pending.objects.filter(entry_id=read.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_failure_inside_the_batch_writes_nothing(world):
    before = last_id()
    # an event that cannot be built, after others were appended
    with pytest.raises(ValueError, match="object_type"):
        with transaction.atomic(), ledger.appending():
            ledger.append("test.write", object_type="record", object_id=1)
            ledger.append("test.write", object_type="x" * 65, object_id=2)
    with pytest.raises(ValueError, match="object_id"):
        with transaction.atomic():
            ledger.append_many([{"action": "test.write", "object_id": 1},
                                {"action": "test.write", "object_id": "9" * 65}])
    # an error of the caller inside the batch, caught outside it by a savepoint: nothing of it
    with transaction.atomic():
        try:
            with transaction.atomic(), ledger.appending():
                ledger.append("test.write", object_type="record", object_id=3)
                raise DatabaseError("a failed write")
        except DatabaseError:
            pass
        ledger.append("test.write", object_type="record", object_id=4)
    assert [r[5] for r in rows_after(before)] == ["4"]
    # a write outside a transaction: refused, with the reads of the same call
    with pytest.raises(RuntimeError, match="transaction.atomic"):
        ledger.append_many([{"action": "record.view", "object_id": 5}, {"action": "test.write", "object_id": 6}])
    with pytest.raises(RuntimeError, match="transaction.atomic"):
        with ledger.appending():
            pass
    assert [r[5] for r in rows_after(before)] == ["4"]
    # reads alone, outside a transaction: written, in one
    ledger.append_many([{"action": "record.view", "object_id": 7}, {"action": "case.view", "object_id": 8}])
    assert [r[5] for r in rows_after(before)] == ["4", "7", "8"]
    assert not Pending.objects.filter(entry_id__gt=before).exclude(
        entry_id__in=Entry.objects.filter(pk__gt=before).values("pk")).exists()


@pytest.mark.django_db(transaction=True)
def test_an_append_in_a_savepoint_inside_the_batch_is_refused(world):
    """A savepoint inside the batch may be rolled back alone: its event cannot wait for the batch."""
    before = last_id()
    with pytest.raises(RuntimeError, match="savepoint"):
        with transaction.atomic(), ledger.appending():
            ledger.append("test.write", object_type="record", object_id=1)
            with transaction.atomic():
                ledger.append("test.write", object_type="record", object_id=2)
    assert rows_after(before) == []
    # a block without a savepoint (as Model.save opens) is the batch's own level
    with transaction.atomic(), ledger.appending():
        with transaction.atomic(savepoint=False):
            ledger.append("test.write", object_type="record", object_id=3)
        with ledger.appending():  # nested: the outer batch writes
            ledger.append("test.write", object_type="record", object_id=4)
        assert rows_after(before) == []
    assert [r[5] for r in rows_after(before)] == ["3", "4"]


@pytest.mark.django_db(transaction=True)
def test_the_batch_refuses_a_transaction_marked_for_rollback(world):
    before = last_id()
    with transaction.atomic():
        with pytest.raises(TransactionManagementError):
            with ledger.appending():
                ledger.append("test.write", object_type="record", object_id=1)
                transaction.set_rollback(True)
                ledger.append("test.write", object_type="record", object_id=2)
    assert rows_after(before) == []


def test_the_database_time_is_the_orms():
    tz = connection.timezone
    for micro in (0, 1, 999999, 120000):
        now = datetime.datetime(2026, 1, 2, 3, 4, 5, micro, tzinfo=datetime.timezone.utc)
        assert ledger._db_time(connection, now, now.isoformat(timespec="microseconds")) == \
            connection.ops.adapt_datetimefield_value(now), (micro, tz)


# ---- the leaf, written out: json.dumps's bytes ------------------------------------------------------

def outcome(f):
    try:
        return f()
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError (a lone surrogate) is a ValueError
        return type(exc)


def leaf_both(time="2026-01-02T03:04:05.000001+00:00", action="a.b", actor=None, object_type="t", object_id="1",
              object_version=None, content_sha256="", blobs=(), ctx=None, detail=None):
    """(services._leaf, canonical_bytes of the event): the bytes, or the error each raised."""
    ctx = ctx or context.RequestContext(request_id="r", ip="", channel="web")
    actor_id, roles, username = actor if actor is not None else (None, None, None)
    args = (time, action, actor_id, roles, username, object_type, object_id, object_version, content_sha256,
            sorted(blobs), ctx, detail)
    return outcome(lambda: ledger._leaf(*args)), outcome(lambda: canonical_bytes(ledger.event_dict(*args)))


@pytest.mark.parametrize("kw", [
    {},
    {"actor": (7, ["officer", "unit_head"], "张三")},
    {"actor": (7, [], "")},
    {"actor": ("7", ["x"], "u")},  # an id that is not an int: json.dumps's path
    {"actor": (True, ["x"], "u")},
    {"actor": (7, ["x"], None)},
    {"object_version": True},  # a bool is not a version number, and JSON says true
    {"object_version": 3},
    {"object_version": 2.5},
    {"ctx": context.RequestContext(request_id="r", ip=None, channel="cli")},
    {"action": 'q"uote\\back\nline\x00\u2028', "object_type": "类型", "object_id": "😀"},
    {"blobs": ["b" * 64, "a" * 64]},
    {"detail": {"z": 1, "a": [1.5, float("inf"), None, {"y": "\u0085", "x": ""}], "中": {"文": True}}},
    {"detail": ["a", "list"]},
    {"detail": {}},
])
def test_the_leaf_written_out_is_json_dumps(kw):
    mine, theirs = leaf_both(**kw)
    assert isinstance(theirs, bytes) and mine == theirs


def test_the_leaf_refuses_what_json_refuses():
    loop: dict = {}
    loop["self"] = loop
    for detail, error in (({"x": object()}, TypeError), ({"x": {1, 2}}, TypeError), ({("a", "b"): 1}, TypeError),
                          ({1: "int key", "1": "str key"}, TypeError), (loop, ValueError)):
        assert leaf_both(detail=detail) == (error, error)
    assert leaf_both(object_id="\ud800") == (UnicodeEncodeError, UnicodeEncodeError)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8)


@hsettings(max_examples=300, deadline=None)
@given(action=st.text(max_size=20), object_type=st.text(max_size=10), object_id=st.text(max_size=10),
       version=st.none() | st.integers(), sha=st.text(max_size=10), blobs=st.lists(st.text(max_size=5), max_size=3),
       actor=st.none() | st.tuples(st.integers(), st.lists(st.text(max_size=5), max_size=2), st.text(max_size=8)),
       ip=st.text(max_size=8), detail=st.none() | st.dictionaries(st.text(max_size=6), json_values, max_size=4))
def test_the_leaf_written_out_is_json_dumps_for_any_event(action, object_type, object_id, version, sha, blobs, actor,
                                                         ip, detail):
    ctx = context.RequestContext(request_id="r-1", ip=ip, channel="api")
    mine, theirs = leaf_both(action=action, object_type=object_type, object_id=object_id, object_version=version,
                             content_sha256=sha, blobs=blobs, actor=actor and (actor[0], sorted(actor[1]), actor[2]),
                             ctx=ctx, detail=detail)
    assert mine == theirs
