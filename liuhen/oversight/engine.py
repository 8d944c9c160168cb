"""The findings engine (问题发现): evaluates cases against their profile and keeps the open
findings and clocks in the oversight tables.

Public API (stable; the oversight pages, evaluation and the CLI use these):

  FindingData                                   one finding as computed (frozen dataclass)
  evaluate(case_ids, *, now=None, profile_for=None) -> dict[int, tuple[list[FindingData], list[ClockData]]]
        compute, store nothing: each case's findings and clocks (set-based reads)
  recheck(case_ids, *, now=None, profile_for=None) -> ScanResult  compute and store the difference (Finding rows
        added/deleted, FindingEvent opened/resolved, Clock rows), writing nothing when nothing changed
  recheck_case(case) -> ScanResult              the incremental re-check of one case (signals call it)
  scan(*, agency=None, now=None, batch_size=2000, progress=None) -> ScanResult
        the full scan (`liuhen check`): every case of `agency` (or all) in batches;
        progress(done, total) is called after each batch
  open_findings(case) -> QuerySet[Finding]      the case's open findings, errors first
  case_clocks(case) -> QuerySet[Clock]          the case's stored clocks
  (`liuhen check --verify` adds what `liuhen verify` finds: see management/commands/check.py)

Findings and clocks are derived data, not evidence: they are NOT appended to the ledger (a full
scan of 100 000 cases would add an entry per finding and per change of status, and every one of
them can be recomputed from facts that are in the ledger). Their history is the append-only
FindingEvent table.
"""
from __future__ import annotations

import contextlib
import datetime
import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter

from .clocks import ClockData


@dataclass(frozen=True)
class FindingData:
    """One finding: `code` (vocabulary.CODES), `severity` ("error" / "warning"), the case's id and
    number, `stage` (a cases Stage value or ""), `article`, `message` and `fix` in Chinese, and
    `key`, stable for the same problem of the same case across scans."""

    key: str
    code: str
    severity: str
    case_id: int
    case_number: str
    stage: str
    article: str
    message: str
    fix: str
    officer_id: int | None = None
    subject_kind: str = ""
    subject_id: str = ""
    due_at: datetime.datetime | None = None

    def as_json(self) -> dict:
        """The `liuhen check --json` shape."""
        return {"code": self.code, "severity": self.severity, "case": self.case_number, "stage": self.stage,
                "article": self.article, "message": self.message, "fix": self.fix}


@dataclass
class ScanResult:
    cases: int = 0
    opened: int = 0
    resolved: int = 0
    clocks_changed: int = 0
    findings: list[FindingData] = field(default_factory=list)  # every finding found (open now)


def evaluate(case_ids: Iterable[int], *, now: datetime.datetime | None = None, _certs: dict | None = None,
             profile_for=None) -> dict[int, tuple[list[FindingData], list[ClockData]]]:
    """Each case's findings and clocks as of `now`, computed from set-based reads; stores nothing.
    `profile_for(case)` replaces profiles.selectors.profile_for_case (tests, what-if)."""
    from django.utils import timezone

    from . import checks, facts
    from .clocks import clear_cache, clocks_for

    now = now or timezone.now()
    if _certs is None:  # a new evaluation, not a batch of a scan
        clear_cache()
    checks.load_type_names()
    loaded, certs = facts.load(case_ids, certificates=_certs, profile_for=profile_for)
    out = {}
    for cid, cf in loaded.items():
        cf._certs = certs
        clocks = clocks_for(cf, cf.profile, now)
        found = checks.run(cf, clocks, now)
        out[cid] = (found, clocks)
    return out


_FINDING_FIELDS = ("code", "severity", "stage", "article", "message", "fix", "officer_id", "subject_kind",
                   "subject_id", "due_at")
_CLOCK_FIELDS = ("deadline", "label", "article", "period", "severity", "started_at", "due_at", "met_at", "extended",
                 "status")


_finding_values, _clock_values = attrgetter(*_FINDING_FIELDS), attrgetter(*_CLOCK_FIELDS)
_EVENT_FIELDS = tuple(n for n in _FINDING_FIELDS if n not in ("subject_kind", "subject_id", "due_at"))
_event_values = attrgetter(*_EVENT_FIELDS)


def _insert(model, names: tuple, rows: list) -> None:
    """INSERT `rows` (tuples of the fields `names`, attnames) into `model`'s table with one
    executemany: datetimes adapted as Django would (connection.ops), every other value as is."""
    if not rows:
        return
    from django.db import connection

    fields = [model._meta.get_field(n) for n in names]
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    dts = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"]
    adapt = _sqlite_datetime if connection.vendor == "sqlite" else connection.ops.adapt_datetimefield_value
    if dts:
        rows = [list(r) for r in rows]
        for r in rows:
            for i in dts:
                r[i] = adapt(r[i])
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({cols}) VALUES ({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cur:
        for i in range(0, len(rows), 5000):
            cur.executemany(sql, rows[i:i + 5000])


def _sqlite_datetime(value):
    """An aware datetime as Django writes it into SQLite (ops.adapt_datetimefield_value with USE_TZ:
    naive UTC, str()), without its per-value settings and time-zone lookups."""
    if value is None:
        return None
    return value.astimezone(_UTC).isoformat(" ")[:-6]  # str() of the naive UTC time: "+00:00" cut off


_UTC = datetime.timezone.utc


def _stored(model, names: tuple, case_ids: list) -> list[tuple]:
    """(case_id, key, id, *names) of `model`'s rows of `case_ids`, in plain SQL: datetimes parsed by
    records.bulk.to_datetime (the ORM's converter per value costs more than the comparison)."""
    from django.db import connection

    from liuhen.records.bulk import sql_datetime, sql_rows, to_datetime

    fields = [model._meta.get_field(n) for n in ("case_id", "key", "id") + names]
    dts = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"]
    bools = [i for i, f in enumerate(fields) if f.get_internal_type() == "BooleanField"]
    q = connection.ops.quote_name
    cols = ", ".join(sql_datetime(q(f.column)) if i in dts else q(f.column) for i, f in enumerate(fields))
    rows = sql_rows(f"SELECT {cols} FROM {q(model._meta.db_table)} WHERE case_id IN ({','.join(['%s'] * len(case_ids))})",
                    case_ids)
    if not (dts or bools):
        return rows
    out = []
    for row in rows:
        row = list(row)
        for i in dts:
            row[i] = to_datetime(row[i])
        for i in bools:
            row[i] = bool(row[i])
        out.append(tuple(row))
    return out


def _same_time(a, b) -> bool:
    return a == b or (a is not None and b is not None and abs((a - b).total_seconds()) < 1e-3)


def _differs(stored: tuple, new: tuple) -> bool:
    for a, b in zip(stored, new):
        if isinstance(a, datetime.datetime) or isinstance(b, datetime.datetime):
            if not _same_time(a, b):
                return True
        elif a != b:
            return True
    return False


def recheck(case_ids: Iterable[int], *, now: datetime.datetime | None = None, _certs: dict | None = None,
            profile_for=None) -> ScanResult:
    """Evaluate `case_ids` and store the difference with what is stored: new findings are added with
    an `opened` FindingEvent, gone ones deleted with a `resolved` one, a finding whose wording
    changed is updated in place (same problem, no event); clocks are added, changed or deleted only
    where they differ. No change: no write."""
    from django.db import transaction
    from django.utils import timezone

    from .finding_models import Clock, Finding, FindingEvent, FindingEventKind

    now = now or timezone.now()
    case_ids = list(case_ids)
    result = ScanResult(cases=len(case_ids))
    computed = evaluate(case_ids, now=now, _certs=_certs, profile_for=profile_for)
    stored_f: dict[int, dict[str, tuple]] = {}
    stored_c: dict[int, dict[str, tuple]] = {}
    for i in range(0, len(case_ids), 900):
        chunk = case_ids[i:i + 900]
        for row in _stored(Finding, _FINDING_FIELDS, chunk):
            stored_f.setdefault(row[0], {})[row[1]] = row[2:]
        for row in _stored(Clock, _CLOCK_FIELDS, chunk):
            stored_c.setdefault(row[0], {})[row[1]] = row[2:]
    add_f, upd_f, del_f, add_c, upd_c, del_c = [], [], [], [], [], []
    units = {}
    for cid, (found, clocks) in computed.items():
        result.findings.extend(found)
        mine_f, mine_c = stored_f.get(cid, {}), stored_c.get(cid, {})
        seen = set()
        for f in found:
            seen.add(f.key)
            vals = _finding_values(f)
            old = mine_f.get(f.key)
            if old is None:
                add_f.append((cid, f))
            elif old[1:] != vals and _differs(old[1:], vals):
                upd_f.append((old[0], f))
        for key, old in mine_f.items():
            if key not in seen:
                del_f.append((cid, key, old))
        seen_c = set()
        for k in clocks:
            seen_c.add(k.key)
            vals = _clock_values(k)
            old = mine_c.get(k.key)
            if old is None:
                add_c.append((cid, k))
            elif old[1:] != vals and _differs(old[1:], vals):
                upd_c.append((old[0], cid, k))
        for key, old in mine_c.items():
            if key not in seen_c:
                del_c.append(old[0])
    if not (add_f or upd_f or del_f or add_c or upd_c or del_c):
        return result
    from liuhen.cases.models import Case

    touched = {c for c, _ in add_f} | {f.case_id for _, f in upd_f} | {c for c, _, _ in del_f} | \
        {c for c, _ in add_c} | {c for _, c, _ in upd_c}
    for i in range(0, len(touched), 900):
        chunk = list(touched)[i:i + 900]
        units.update({pk: (a, u) for pk, a, u in Case.objects.filter(pk__in=chunk)
                      .values_list("pk", "agency_id", "unit_id")})
    with transaction.atomic():
        # Plain executemany of tuples: Model instances and bulk_create's per-value preparation cost
        # more than computing the findings (a first scan writes several rows per case).
        _insert(Finding, ("case_id", "agency_id", "unit_id", "key", "opened_at") + _FINDING_FIELDS,
                [(cid, *units[cid], f.key, now, *_finding_values(f)) for cid, f in add_f])
        event_rows = [(cid, *units[cid], FindingEventKind.OPENED.value, f.key, now,
                       *_event_values(f)) for cid, f in add_f]
        if upd_f:
            rows = []
            for pk, f in upd_f:
                row = Finding(pk=pk, **{n: getattr(f, n) for n in _FINDING_FIELDS})
                rows.append(row)
            Finding.objects.bulk_update(rows, list(_FINDING_FIELDS), batch_size=500)
        if del_f:
            for cid, key, old in del_f:
                agency_id, unit_id = units.setdefault(cid, tuple(Case.objects.filter(pk=cid)
                                                                 .values_list("agency_id", "unit_id").get()))
                vals = dict(zip(_FINDING_FIELDS, old[1:]))
                event_rows.append((cid, agency_id, unit_id, FindingEventKind.RESOLVED.value, key, now,
                                   *(vals[n] for n in _EVENT_FIELDS)))
            ids = [old[0] for _, _, old in del_f]
            for i in range(0, len(ids), 900):
                Finding.objects.filter(pk__in=ids[i:i + 900]).delete()
        _insert(FindingEvent, ("case_id", "agency_id", "unit_id", "event", "key", "at") + _EVENT_FIELDS, event_rows)
        _insert(Clock, ("case_id", "agency_id", "unit_id", "key") + _CLOCK_FIELDS,
                [(cid, *units[cid], k.key, *_clock_values(k)) for cid, k in add_c])
        if upd_c:
            Clock.objects.bulk_update([Clock(pk=pk, **{n: getattr(k, n) for n in _CLOCK_FIELDS})
                                       for pk, _, k in upd_c], list(_CLOCK_FIELDS), batch_size=500)
        for i in range(0, len(del_c), 900):
            Clock.objects.filter(pk__in=del_c[i:i + 900]).delete()
    result.opened, result.resolved = len(add_f), len(del_f)
    result.clocks_changed = len(add_c) + len(upd_c) + len(del_c)
    return result


def recheck_case(case) -> ScanResult:
    """The incremental re-check of one case (a Case or its id), called on commit after a change."""
    return recheck([getattr(case, "pk", case)])


def scan(*, agency=None, now: datetime.datetime | None = None, batch_size: int = 2000,
         progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """The full scan: every case (of `agency`, else all) in batches of `batch_size`; `progress(done,
    total)` after each batch. Certificates are read once for the whole scan."""
    from django.utils import timezone

    from liuhen.cases.models import Case

    now = now or timezone.now()
    qs = Case.objects.all() if agency is None else Case.objects.filter(agency=agency)
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    total = ScanResult()
    certs: dict = {}
    from .clocks import clear_cache

    clear_cache()
    for i in range(0, len(ids), batch_size):
        with _cyclic_gc_paused():
            r = recheck(ids[i:i + batch_size], now=now, _certs=certs)
        total.cases += r.cases
        total.opened += r.opened
        total.resolved += r.resolved
        total.clocks_changed += r.clocks_changed
        total.findings.extend(r.findings)
        if progress is not None:
            progress(min(i + batch_size, len(ids)), len(ids))
    if progress is not None and not ids:
        progress(0, 0)
    return total


@contextlib.contextmanager
def _cyclic_gc_paused():
    """A batch of the scan with Python's cycle collector paused: the batch makes some two million
    short-lived objects (facts, records, findings), freed by reference counting as it ends; the
    collector's passes over them while they live cost a quarter to a third of the scan's CPU
    (bench/check.py, 20 000 cases: 12-15 s → 8-10 s). It runs again between batches."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def open_findings(case):
    """The case's open findings (Finding rows), errors first, then by stage and code."""
    from .finding_models import Finding
    return Finding.objects.filter(case=case).order_by("severity", "stage", "code", "key")


def case_clocks(case):
    """The case's stored clocks (Clock rows), by due date (unknown last)."""
    from django.db.models import F

    from .finding_models import Clock
    return Clock.objects.filter(case=case).order_by(F("due_at").asc(nulls_last=True), "key")
