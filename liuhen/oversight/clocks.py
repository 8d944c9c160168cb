"""Deadlines (期限) of a case from its profile's `DeadlineSpec`s: when each started, when it is due
(in working days through `liuhen.workdays.calendar.due`), when it was met, and its status.

Public API (stable; the oversight pages use it):
  ClockData                                  one computed clock (a frozen dataclass)
  due(start, period) -> datetime | None      the due time of `period` from `start`; None = unknown
  status_of(due_at, met_at, now, *, extended=False) -> str   a ClockStatus value
  clocks_for(facts, profile, now) -> list[ClockData]          every clock of one case's facts
  DUE_SOON_WORKING_DAYS                      "due soon" threshold (within 3 working days / 24 h)
  review_clock(rv, spec, lr, now) / submission_clock(rv, profile, now)  a 送审's clock (facts.review_facts)

A working-day deadline in a year the calendar does not know is **unknown** (due_at None, status
"unknown"): never computed Monday–Friday.

The legal review's deadline (profile.legal_review.deadline) of a case with a 送审 (legalreview
Submission) is that submission's clock, by legalreview.clock's rule (review_clock): from the
submission, with the approved extension (LW-L 16) and the material waits as the profile says (LW-L
12; "paused" while a request is unanswered). Cases without one (older data) keep the record anchors.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from liuhen.profiles.spec import HOURS, DeadlineSpec, Period
from liuhen.workdays import calendar
from liuhen.legalreview import clock as review_clock_rule
from liuhen.records import duedates

from .finding_models import ClockStatus

DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class ClockData:
    """One deadline of a case as computed now."""

    key: str  # unique in the case: the deadline id, or "<id>:footage:<footage id>"
    deadline: str  # DeadlineSpec.id
    label: str
    article: str
    period: str  # e.g. "7日", "10个工作日"
    severity: str
    started_at: datetime.datetime
    due_at: datetime.datetime | None  # None: unknown
    met_at: datetime.datetime | None
    extended: bool
    status: str  # ClockStatus value
    subject_kind: str = ""  # "footage" for per-footage clocks, "submission" for a 送审's legal review
    subject_id: str = ""


_DAY_CACHE: dict = {}


def due(start: datetime.datetime, period: Period) -> datetime.datetime | None:
    """When `period` from `start` ends; None when unknown (the calendar lacks a year it needs).
    Calendar-day and working-day periods depend only on the start's local date: computed once per
    date and period within a scan (clear_cache() between scans: a calendar may be loaded)."""
    fn = calendar.due  # the working-day calendar (liuhen.workdays): None for a year it does not know
    if period.unit == HOURS:
        return fn(start, period.amount, period.unit)
    tz = local_zone()
    key = (start.astimezone(tz).date(), period.amount, period.unit)
    if key not in _DAY_CACHE:
        _DAY_CACHE[key] = (fn(start, period.amount, period.unit),)
    return _DAY_CACHE[key][0]


_TZ: list = []  # the current time zone, read once per scan


def local_zone():
    """The current time zone (timezone.get_current_timezone() once per scan: it is a thread-local look-up)."""
    if not _TZ:
        from django.utils import timezone

        _TZ[:] = [timezone.get_current_timezone()]
    return _TZ[0]


def clear_cache() -> None:
    _DAY_CACHE.clear()
    _TZ.clear()
    _SPECS.clear()
    _COMPLETION_CODES.clear()


def status_of(due_at: datetime.datetime | None, met_at: datetime.datetime | None, now: datetime.datetime,
              *, soon_at: datetime.datetime | None = None) -> str:
    """The ClockStatus of a clock at `now`: met / met late once its end anchor fired; otherwise
    overdue after `due_at`, due soon after `soon_at`, running; unknown when `due_at` is None and
    nothing can be said (a met clock whose due date is unknown is "met": it is done, not judged)."""
    if due_at is None:
        return ClockStatus.MET if met_at is not None else ClockStatus.UNKNOWN
    if met_at is not None:
        return ClockStatus.MET if met_at <= due_at else ClockStatus.MET_LATE
    if now > due_at:
        return ClockStatus.OVERDUE
    if soon_at is not None and now >= soon_at:
        return ClockStatus.DUE_SOON
    return ClockStatus.RUNNING


# ---- anchors and the clocks of one case -----------------------------------------------------------

def _record_anchors(cf, wanted: frozenset | None = None) -> dict:
    """{(code, "drafted"|"completed"): first time} over the case's not-voided records, in one pass;
    completion only for the record types in `wanted` (None: all) — the deadlines of a profile name a
    few, and the other records' completion times are then never parsed."""
    hit = getattr(cf, "_anchors", None)
    if hit is not None and (hit[0] is wanted or hit[0] is None):
        return hit[1]
    out = {}
    for r in cf.records:
        if r.voided:
            continue
        k = (r.code, "drafted")
        if k not in out or r.created_at < out[k]:
            out[k] = r.created_at
        if (wanted is None or r.code in wanted) and r.completed_at is not None:
            k = (r.code, "completed")
            if k not in out or r.completed_at < out[k]:
                out[k] = r.completed_at
    cf._anchors = (wanted, out)
    return out


_COMPLETION_CODES: dict = {}


def _completion_codes(profile) -> frozenset:
    """The record types whose completion a deadline of `profile` starts or ends on ("record.X.completed")."""
    hit = _COMPLETION_CODES.get(id(profile))
    if hit is None or hit[0] is not profile:
        names = {n for d in getattr(profile, "deadlines", ()) for n in (d.start, *d.end)}
        codes = frozenset(n.split(".")[1] for n in names if n.startswith("record.") and n.endswith(".completed")
                          and n.count(".") == 2)
        hit = _COMPLETION_CODES[id(profile)] = (profile, codes)
    return hit[1]


def anchor(cf, name: str) -> datetime.datetime | None:
    """When the named anchor (profiles.spec docstring) fired for the case `cf` (facts.CaseFacts),
    or None. delivery.served: the decision served with its method's proof (facts.CaseFacts.served_at);
    decision.* and publication.*: the publicity app's anchors (facts.CaseFacts.publication)."""
    if name == "case.started":
        return cf.created_at
    if name == "case.archived":
        return cf.archived_at
    if name == "delivery.served":
        return cf.served_at
    if name.startswith(("decision.", "publication.")):
        return cf.publication.get(name)
    parts = name.split(".")
    if len(parts) == 3 and parts[0] == "stage" and parts[2] == "entered":
        at = cf.first_entered.get(parts[1])
        return at if at is not None or parts[1] != "start" else cf.created_at
    if len(parts) == 3 and parts[0] == "record":
        return _record_anchors(cf).get((parts[1], parts[2]))
    return None


def _soon_at(due_at: datetime.datetime | None, period: Period) -> datetime.datetime | None:
    if due_at is None:
        return None
    if period.unit == HOURS:
        return due_at - datetime.timedelta(hours=max(1, period.amount // 4))
    return due_at - datetime.timedelta(days=DUE_SOON_WORKING_DAYS)


def _label(spec: DeadlineSpec) -> str:
    return spec.label


_SPECS: dict = {}


def _specs(profile, cf, per: str) -> list:
    """The profile's deadlines for the case's kind × procedure × start mode, each with its start
    and end anchors parsed once (profiles are immutable: memoised per profile object)."""
    key = (id(profile), cf.kind, cf.procedure, cf.start_mode, per)
    hit = _SPECS.get(key)
    if hit is None or hit[0] is not profile:
        wanted = _completion_codes(profile)
        hit = _SPECS[key] = (profile, [(spec, _compiled(spec.start, wanted),
                                        tuple(_compiled(e, wanted) for e in spec.end))
                                       for spec in profile.deadlines_for(cf.kind, cf.procedure, cf.start_mode, per=per)])
    return hit[1]


def _compiled(name: str, wanted: frozenset):
    """`anchor(cf, name)` as a function of `cf` alone (`wanted`: the completions its profile's
    deadlines name)."""
    parts = name.split(".")
    if len(parts) == 3 and parts[0] == "record":
        key = (parts[1], parts[2])
        return lambda cf: _record_anchors(cf, wanted).get(key)
    if len(parts) == 3 and parts[0] == "stage" and parts[2] == "entered" and parts[1] != "start":
        stage = parts[1]
        return lambda cf: cf.first_entered.get(stage)
    return lambda cf: anchor(cf, name)


def review_clock(rv, spec: DeadlineSpec, lr, now: datetime.datetime) -> ClockData:
    """The clock of a 送审 (facts.ReviewFacts `rv`) under the deadline `spec` and the
    profile's LegalReviewSpec `lr` — legalreview.clock.due_of, the rule clock_of uses, on the facts read in bulk:
    the period runs from the submission; the working days waiting for materials are added
    ("suspend"), or the period runs again from the last answer ("restart"), or they count ("count");
    the one approved extension is added after (LW-L 16: 经批准可延长); met when the review is signed.
    While a request is unanswered a "suspend"/"restart" clock is paused, never overdue. A working
    day count the calendar cannot make is unknown (a met one is met, as status_of says)."""
    met = rv.reviewed_at
    extended = bool(spec.extension) and rv.extended
    d = review_clock_rule.due_of(spec, lr.materials_wait, rv.submitted_at, rv.requests, extended=extended,
                                 reviewed_at=met, now=now)
    due_at = d.due_at
    if due_at is not None and met is None and d.paused:
        status = ClockStatus.PAUSED
    else:
        status = status_of(due_at, met, now, soon_at=_soon_at(due_at, spec.period))
    return _review_data(spec, rv, due_at, met, extended, status)


def submission_clock(rv, profile, now: datetime.datetime) -> ClockData | None:
    """review_clock of `rv` under `profile`'s legal review deadline; None where it names none."""
    spec = profile.deadline(profile.legal_review.deadline)
    return None if spec is None else review_clock(rv, spec, profile.legal_review, now)


def _review_data(spec, rv, due_at, met, extended: bool, status: str) -> ClockData:
    period = spec.period.label + (f"，延长{spec.extension.label}" if extended else "")  # Clock.period: 20 chars
    return ClockData(spec.id, spec.id, spec.label, spec.article, period, spec.severity, rv.submitted_at, due_at,
                     met, extended, status, "submission", str(rv.submission_id))


def _record_due_dates(cf, profile, now: datetime.datetime) -> list[ClockData]:
    """The deadlines the case's records set (records.duedates: 整改期限, 催告期限, 申请法院强制执行…)."""
    return [ClockData(d.key, d.key.split(":", 1)[0], d.label, d.article, d.period, d.severity, d.started_at,
                      d.due_at, d.met_at, False, status_of(d.due_at, d.met_at, now), d.subject_kind, d.subject_id)
            for d in duedates.due_dates(cf.records, profile, served_at=cf.served_at, now=now)]


def clocks_for(cf, profile, now: datetime.datetime) -> list[ClockData]:
    """Every clock of one case (facts.CaseFacts) under `profile`: each DeadlineSpec that applies to
    its kind × procedure × start mode and whose start anchor fired. Per-footage deadlines
    (per="footage") use avrules' verdicts (drift and field trips, AS 12) and give a clock only for
    footage stored late or whose lateness cannot be judged."""
    out = []
    review_deadline = getattr(getattr(profile, "legal_review", None), "deadline", None)
    for spec, start, ends in _specs(profile, cf, "case"):
        if spec.id == review_deadline and cf.review is not None:
            out.append(review_clock(cf.review, spec, profile.legal_review, now))
            continue
        started = start(cf)
        if started is None:
            continue
        met = None
        for end in ends:
            t = end(cf)
            if t is not None and (met is None or t < met):
                met = t
        due_at = due(started, spec.period)
        extended = False  # without a 送审 no fact records an approved extension (LW-L 16)
        out.append(ClockData(spec.id, spec.id, spec.label, spec.article, spec.period.label, spec.severity,
                             started, due_at, met, extended,
                             status_of(due_at, met, now, soon_at=_soon_at(due_at, spec.period))))
    out.extend(_record_due_dates(cf, profile, now))
    if not cf.footage:
        return out
    for spec, _, _ in _specs(profile, cf, "footage"):
        for f in cf.footage:
            v = f.late
            if v is None:
                continue
            key = f"{spec.id}:footage:{f.item_id}"
            if v.status == "unknown" or f.recorded_end is None:
                out.append(ClockData(key, spec.id, spec.label, spec.article, spec.period.label, spec.severity,
                                     f.ingested_at, None, f.ingested_at, False, ClockStatus.UNKNOWN,
                                     "footage", str(f.item_id)))
            else:
                out.append(ClockData(key, spec.id, spec.label, v.basis, spec.period.label, spec.severity,
                                     v.recorded_end, v.due, f.ingested_at, v.trip is not None,
                                     ClockStatus.MET_LATE, "footage", str(f.item_id)))
    return out
