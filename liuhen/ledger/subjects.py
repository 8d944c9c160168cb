"""Domain checks for `liuhen verify`, registered by the apps that own the rows.

The ledger imports no domain app: each app registers, for the object types it writes, a function
that receives every event about those objects — {object_id: [(seq, entry_id, event), …]} — and
returns findings (dicts with kind, message, object, entry_id, seq) for rows that no longer say
what the log says they said (altered), are gone (deleted), or exist with no event (inserted).

To keep verification of a large log in bounded memory, the mapping a checker gets is not a dict
held in memory but streamed from the database object by object (verify.StreamedEvents; a small
log's are read at once and held, verify.HeldEvents, with the same interface): iterate it with
`.items()` (one pass reads the log's events about that type once), test `in` it, and load rows a
chunk at a time (`logged_rows`); don't gather it whole. An event is not the whole leaf but
only what checks read: a dict with "action", "object" ({"type", "id", "version"}), "actor"
({"id"} or None), "content_sha256", "blobs" and "detail".

Rows that administrators edit (people, certificates, agencies, units, record types) are checked by
the one generic checker below: a model declares its state (LedgerState), every write logs the
digest of that state, and `state_checker` compares each row with the last digest logged for it.
"""
import datetime
import decimal
from collections.abc import Callable
from contextlib import contextmanager

from .core.canonical import canonical_bytes, content_sha256

Checker = Callable[[dict[str, list]], list[dict]]
_SUBJECTS: dict[str, Checker] = {}


def finding(kind: str, message: str, obj: str, event=None, *, code: str = "") -> dict:
    """A finding about `obj`, pointing at the (seq, entry_id, event) it contradicts, if any.

    `code` is the finding's stable id, as Django's check ids ("records.E003"): each app lists its
    codes in its ledger vocabulary module, and tests and auditors match on them, not on messages."""
    seq, entry_id = (event[0], event[1]) if event else (None, None)
    return {"kind": kind, "message": message, "object": obj, "entry_id": entry_id, "seq": seq, "code": code}


class Unreadable:
    """A row that is in the table but cannot be read back: a ciphertext that no longer decrypts, a
    date column holding text no date parses from. `logged_rows` hands one out in the row's place, so
    that the checker reports that row (`unreadable_finding`) and goes on with every other: one
    flipped byte must not hide the rest of what was changed."""

    def __init__(self, pk, error: BaseException):
        self.pk = pk
        self.error = f"{type(error).__name__}: {error}"[:300]

    def __repr__(self):
        return f"Unreadable({self.pk!r}, {self.error!r})"


UNREADABLE_CODE = "ledger.E100"


def unreadable_finding(object_type: str, row: "Unreadable", label: str, event=None) -> dict:
    return finding("altered", f"{label}的数据库记录无法读取（{row.error}），已被改动", f"{object_type}:{row.pk}",
                   event, code=UNREADABLE_CODE)


def key_of(value):
    """A value from an event's detail used as a row key, made hashable. Events come from leaves, and
    a forged leaf may hold a list or a mapping where append() writes an id: it then names no row and
    is reported as such, instead of stopping the check."""
    return value if value is None or isinstance(value, (int, str)) else canonical_bytes(value).decode("utf-8")


def register_subject(object_type: str, checker: Checker) -> None:
    _SUBJECTS[object_type] = checker


def subject_types() -> frozenset[str]:
    """The object types some app checks: `liuhen verify` keeps events only for these."""
    return frozenset(_SUBJECTS)


def check_subjects(events: dict[str, dict[str, list]]) -> list[dict]:
    findings = []
    for object_type, checker in _SUBJECTS.items():
        try:
            findings.extend(checker(events.get(object_type, {})))
        except Exception as exc:  # noqa: BLE001 — verify reports, it never stops half-way
            # Leaves can hold anything someone with the database wrote there; a checker that
            # cannot read what it was given has found something wrong, not run out of luck.
            findings.append(finding("altered", f"核对“{object_type}”时日志中的事件无法解读："
                                               f"{type(exc).__name__}: {exc}"[:500], f"{object_type}:*"))
    return findings


def logged_rows(queryset, events, chunk: int = 500, prepare=None):
    """(object id, row or None, its events) for each object the log names, the rows loaded a chunk
    at a time, so that a checker holds one chunk of rows and of events, not the table or the log.
    A row that is gone (or an id that names no row) comes as None. `prepare(rows)`, if given, is
    called with each chunk's rows before they are handed out: the place to load what the checker
    reads of their related rows, a query per relation and chunk."""
    batch = []
    for oid, evs in events.items():
        batch.append((oid, evs))
        if len(batch) == chunk:
            yield from _with_rows(queryset, batch, prepare)
            batch = []
    yield from _with_rows(queryset, batch, prepare)


def row_pk(object_id: str) -> int | None:
    """The primary key an event's object id names, or None when it can name no row: ids are decimal
    digits within a 64-bit key (a forged leaf may hold anything, e.g. a number too large for it)."""
    return int(object_id) if object_id.isascii() and object_id.isdigit() and len(object_id) <= 18 else None


def load_rows(queryset, pks, prepare=None) -> dict:
    """{str(pk): row} for the rows of `pks` that exist — an `Unreadable` for each that cannot be
    read. A chunk is loaded (and prepared) in one query per relation; only when that fails is it
    loaded again row by row, to tell the unreadable rows from the others."""
    if not pks:
        return {}
    try:
        with _savepoint(queryset.db):
            rows = {str(row.pk): row for row in queryset.filter(pk__in=pks)}
            if prepare is not None and rows:
                prepare(list(rows.values()))
        return rows
    except Exception:  # noqa: BLE001 — some row of the chunk cannot be read: find which
        pass
    rows = {}
    for pk in pks:
        try:
            with _savepoint(queryset.db):
                found = list(queryset.filter(pk=pk))
                if found and prepare is not None:
                    prepare(found)
        except Exception as exc:  # noqa: BLE001
            rows[str(pk)] = Unreadable(pk, exc)
            continue
        if found:
            rows[str(pk)] = found[0]
    return rows


def _with_rows(queryset, batch, prepare):
    rows = load_rows(queryset, [pk for pk in (row_pk(oid) for oid, _ in batch) if pk is not None], prepare)
    for oid, evs in batch:
        yield oid, rows.get(oid), evs


def unlogged_ids(model, events: dict[str, list]):
    """Ids of the rows of `model` the log has no event about (inserted behind its back), streamed."""
    for pk in model._default_manager.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000):
        if str(pk) not in events:
            yield str(pk)


# ---- Rows whose state the log vouches for ---------------------------------------------------------
#
# Configuration rows — people, 执法证, agencies, units, record types — are not append-only: an
# administrator edits them. What the log can vouch for is their state after each write. A model
# declares its security-relevant state (状态) as a tuple of column names, `ledger_state_fields`,
# and the name its events use, `ledger_object_type`; every write puts the digest of the state as
# stored into its event's content_sha256, and the checker compares each row with the last digest
# logged for it. Changing `ledger_state_fields` changes every row's digest: it needs a migration
# that logs the new state of every row (as accounts/migrations/0002_ledger_state does).


def plain(value):
    """A column value as plain JSON. Dates and times become ISO 8601 text (aware times in UTC, so
    that the same instant read through another time zone gives the same digest); decimals become
    text; JSON columns, strings, numbers, booleans and None are kept as they are."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def state_digest(state: dict) -> str:
    """SHA-256 (hex) of a state's canonical JSON: what a write's event logs as its content_sha256."""
    return content_sha256(state)


def model_states(model, fields=None, *, pks=None, using=None, chunk_size: int = 2000):
    """(object id, state) of each row of `model` as stored, in primary-key order, streamed.

    `fields` defaults to `model.ledger_state_fields`; a migration passes them itself, as its
    historical models carry no such attribute.
    A row whose columns cannot be read (a date column holding text no date parses from) comes as
    (object id, Unreadable), and the rows around it still come.
    """
    fields = tuple(fields if fields is not None else model.ledger_state_fields)
    qs = model._default_manager.using(using)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    ids = qs.order_by("pk").values_list("pk", flat=True)  # the key alone always reads
    # A few rows named by key (a write's own state, stored_state): one plain read. Streamed, it is a
    # server-side cursor on PostgreSQL — DECLARE, FETCH, FETCH, CLOSE: four round trips for one row.
    few = pks is not None and len(pks) <= chunk_size
    chunk = []
    for pk in (list(ids) if few else ids.iterator(chunk_size=chunk_size)):
        chunk.append(pk)
        if len(chunk) == chunk_size:
            yield from _states(qs, fields, chunk)
            chunk = []
    yield from _states(qs, fields, chunk)


@contextmanager
def _savepoint(using):
    """A failed read inside verify's snapshot must not end it (PostgreSQL aborts a transaction at
    its first error). Raw SQL, as verify's snapshot is a raw BEGIN that Django's atomic() knows
    nothing of; outside any transaction there is nothing to protect."""
    from django.db import connections

    conn = connections[using]
    conn.ensure_connection()
    raw = conn.connection
    in_tx = raw.in_transaction if conn.vendor == "sqlite" else raw.info.transaction_status != 0  # 0: IDLE
    if not in_tx:
        yield
        return
    with conn.cursor() as cur:
        cur.execute("SAVEPOINT liuhen_read")
    try:
        yield
    except BaseException:
        with conn.cursor() as cur:
            cur.execute("ROLLBACK TO SAVEPOINT liuhen_read")
            cur.execute("RELEASE SAVEPOINT liuhen_read")
        raise
    with conn.cursor() as cur:
        cur.execute("RELEASE SAVEPOINT liuhen_read")


def _states(qs, fields, pks):
    def read(pks):
        with _savepoint(qs.db):
            return [(str(pk), {name: plain(v) for name, v in zip(fields, values)})
                    for pk, *values in qs.filter(pk__in=pks).order_by("pk").values_list("pk", *fields)]
    if not pks:
        return []
    try:
        return read(pks)
    except Exception:  # noqa: BLE001 — find the row that cannot be read
        out = []
        for pk in pks:
            try:
                out.extend(read([pk]))
            except Exception as exc:  # noqa: BLE001
                out.append((str(pk), Unreadable(pk, exc)))
        return out


def stored_state(obj) -> dict:
    """The state of `obj`'s row read back from the database, not from the instance: what verify will
    compute. A write calls this after saving, inside its transaction, so the digest it logs cannot
    differ from verify's because of an unconverted value in memory (a date given as text, 1 for True)."""
    model = type(obj)
    fields = tuple(model.ledger_state_fields)
    # One SELECT: the write's transaction is Django's, and a row it cannot read back fails the write
    # (model_states' key read and savepoint serve verify's stream, where one bad row must not end it).
    try:
        values = model._default_manager.using(obj._state.db).filter(pk=obj.pk).values_list(*fields).first()
    except Exception as exc:  # noqa: BLE001 — said as what it is, whatever the driver raised
        raise ValueError(f"{model._meta.label} {obj.pk} cannot be read back: {exc}") from exc
    if values is None:
        raise model.DoesNotExist(f"{model._meta.label} {obj.pk} is not stored")
    return {name: plain(v) for name, v in zip(fields, values)}


class LedgerState:
    """A model whose state `liuhen verify` compares with the log (状态留痕): set
    `ledger_object_type` (the object type of every event about the row, from services and the
    admin alike) and `ledger_state_fields` (the columns that make up its state)."""

    ledger_object_type: str = ""
    ledger_state_fields: tuple[str, ...] = ()

    def ledger_state(self) -> dict:
        return stored_state(self)

    def ledger_digest(self) -> str:
        """The digest of the stored state, for the content_sha256 of the event about a write."""
        return state_digest(stored_state(self))


def check_states(object_type: str, events: dict[str, list], rows, label: str | None = None) -> list[dict]:
    """Compare rows with the last state the log recorded for each.

    `rows` is an iterable of (object id, state) — it may be a stream over the whole table. A row
    whose state's digest differs from that of the last event about it carrying a content_sha256 is
    altered (the finding points at that event); a row with no such event is inserted; an object the
    log has events about but that has no row is deleted.
    """
    label = label or object_type
    last: dict[str, tuple] = {}
    for oid, evs in events.items():
        for ev in reversed(evs):
            if ev[2].get("content_sha256"):
                last[oid] = ev
                break
    unseen = set(events)  # bounded by the objects the log names, not by the rows streamed
    out = []
    for oid, state in rows:
        oid = str(oid)
        unseen.discard(oid)
        ev = last.get(oid)
        obj = f"{object_type}:{oid}"
        if isinstance(state, Unreadable):
            out.append(unreadable_finding(object_type, state, label, ev))
        elif ev is None:
            out.append(finding("inserted", f"{label}没有记载其状态的日志条目", obj))
        elif ev[2].get("content_sha256") != state_digest(state):
            out.append(finding("altered", f"{label}被修改，与日志最后记载的状态摘要不符", obj, ev))
    for oid in sorted(unseen):
        out.append(finding("deleted", f"{label}已不存在，而日志记载了它", f"{object_type}:{oid}",
                           last.get(oid) or events[oid][-1]))
    return out


def adopt_wider_state(model, object_type: str, old_fields, new_fields, migration: str, using: str) -> int:
    """For a migration that adds columns to a model's state: log one baseline event with the new
    state for each row that still matches the last state the log recorded for it. A row already
    changed behind the log's back gets none, so verify goes on reporting it against the event it
    contradicts instead of the migration adopting the change. Returns how many rows it logged."""
    import json

    from . import services as ledger
    from .models import Entry

    if not model._default_manager.using(using).exists():
        return 0
    logged = {}
    rows = (Entry.objects.using(using).filter(object_type=object_type).order_by("id")
            .values_list("object_id", "leaf").iterator(chunk_size=2000))
    for object_id, leaf in rows:
        try:
            digest = json.loads(bytes(leaf).decode("utf-8")).get("content_sha256")
        except (ValueError, AttributeError):
            continue  # an unreadable leaf: verify reports it
        if digest:
            logged[object_id] = digest
    old = dict(model_states(model, old_fields, using=using))
    adopted = 0
    for pk, state in model_states(model, new_fields, using=using):
        before = old.get(pk)
        if isinstance(state, Unreadable) or isinstance(before, Unreadable):
            continue
        if logged.get(pk) != state_digest(before):
            continue  # changed behind the log's back (or never logged): verify keeps reporting it
        ledger.append(f"{model._meta.app_label}.state_baseline", object_type=object_type, object_id=pk,
                      content_sha256=state_digest(state), detail={"migration": migration})
        adopted += 1
    return adopted


def with_codes(findings: list[dict], codes: dict[str, str]) -> list[dict]:
    """Give each finding the stable code its kind has in `codes` ({"altered": "devices.E001", …}),
    keeping a code already given (a row that cannot be read is ledger.E100)."""
    for f in findings:
        if not f.get("code"):
            f["code"] = codes.get(f["kind"], "")
    return findings


def state_checker(model, label: str | None = None, codes: dict[str, str] | None = None) -> Checker:
    """The checker of a LedgerState model: every row of its table against the events about it,
    each finding with its code from `codes` (kind → code, the app's vocabulary)."""
    def check(events: dict[str, list]) -> list[dict]:
        findings = check_states(model.ledger_object_type, events, model_states(model),
                                label or str(model._meta.verbose_name))
        return with_codes(findings, codes or {})
    return check


# Apps also contribute the content an offline bundle needs: fn(content_dir, blob_dir) -> (files, blobs).
Exporter = Callable[..., tuple[int, int]]
_EXPORTERS: list[Exporter] = []


def register_exporter(exporter: Exporter) -> None:
    if exporter not in _EXPORTERS:
        _EXPORTERS.append(exporter)


def exporters() -> list[Exporter]:
    return list(_EXPORTERS)


# Apps may add informational lines to `liuhen verify` — facts, not findings (e.g. media: how many
# stored files were purged on purpose, each with its event): fn() -> a line, or "" for none.
Note = Callable[[], str]
_NOTES: list[Note] = []


def register_note(fn: Note) -> None:
    if fn not in _NOTES:
        _NOTES.append(fn)


def notes() -> list[str]:
    return [line for line in (fn() for fn in list(_NOTES)) if line]
