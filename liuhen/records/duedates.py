"""Deadlines that a case's records set (期限由文书确定): the 整改期限 of a 责令改正通知书, the 履行期限 of a
催告书, the window to apply to a court (行政强制法 53), a seized item's custody term… — unlike the
profile's `deadlines:` (a period from an anchor), each is a date written in a record or computed
from several. A registry, filled by the apps above records in their `AppConfig.ready()`.

A source is a pure function `fn(records, profile, *, served_at, now) -> list[DueDate]`:
  records    the case's records in serial order, each with `id, code, voided, complete, completed_at,
             created_at, content` (content: the latest version's, for the codes the source declared);
             `records.bulk.RecordFact` has them, and `views_of_states(states)` makes them from
             `records.selectors.states_for_case(case)` for one case's page;
  profile    the case's `profiles.spec.Profile`;
  served_at  when the decision counts as served (delivery), or None;
  now        the time of the scan.
No query inside: the oversight scan calls it for 100 000 cases with what it has loaded. The oversight
clocks turn each DueDate into a clock (its status by `due_at`, `met_at` and now) and an overdue one
into a deadline finding; the apps' own cards and to-do lists read the same DueDates.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DueDate:
    """One deadline set by records. `key` is unique in the case and stable across scans (e.g.
    "rectification:<order record id>"); `subject_kind` / `subject_id` name what it is about."""

    key: str
    label: str  # e.g. 整改复查
    article: str  # e.g. "BX 10"
    started_at: datetime.datetime
    due_at: datetime.datetime | None  # None: unknown (a working-day calendar the system lacks)
    met_at: datetime.datetime | None = None
    severity: str = "error"  # oversight Severity value
    period: str = ""  # how the due time was set, shown with the clock (e.g. "整改期限届满后5个工作日"; ≤ 20 characters: the stored clock's column)
    subject_kind: str = ""
    subject_id: str = ""


@dataclass(frozen=True)
class RecordView:
    """A record as a source reads it (the attributes of records.bulk.RecordFact)."""

    id: int
    code: str
    voided: bool
    complete: bool
    completed_at: datetime.datetime | None
    created_at: datetime.datetime
    content: dict | None


@dataclass(frozen=True)
class _Source:
    fn: Callable
    content_codes: frozenset


_SOURCES: dict[str, _Source] = {}


def register_due_source(name: str, fn: Callable, *, content_codes=frozenset()) -> None:
    """Add a source; `content_codes`: the record types whose content it reads (the scan loads those)."""
    _SOURCES[name] = _Source(fn, frozenset(content_codes))


def content_codes() -> frozenset:
    """Every record type whose content some source reads."""
    return frozenset().union(*(s.content_codes for s in _SOURCES.values()))


def due_dates(records, profile, *, served_at=None, now=None) -> list[DueDate]:
    """Every registered source's DueDates for one case, in registration order."""
    out: list[DueDate] = []
    for source in list(_SOURCES.values()):
        out.extend(source.fn(records, profile, served_at=served_at, now=now))
    return out


def _completed_at(state) -> datetime.datetime | None:
    if not state.complete:
        return None
    times = [s.signed_at for s in state.record.signatures.all()]
    return max(times) if times else state.latest.created_at


def views_of_states(states) -> list[RecordView]:
    """RecordViews of `records.selectors.states_for_case(case)` (one case's page; signatures prefetched)."""
    return [RecordView(st.record.pk, st.record.record_type.code, st.voided, st.complete, _completed_at(st),
                       st.record.created_at, st.latest.content if st.latest is not None else None)
            for st in states]
