"""The findings engine (问题发现): evaluates cases against their profile and keeps the open
findings and clocks in the oversight tables.

Public API (stable; the oversight pages, evaluation and the CLI use these):

  FindingData                                   one finding as computed (frozen dataclass)
  evaluate(case_ids, *, now=None) -> dict[int, tuple[list[FindingData], list[ClockData]]]
        compute, store nothing: each case's findings and clocks (set-based reads)
  recheck(case_ids, *, now=None) -> ScanResult  compute and store the difference (Finding rows
        added/deleted, FindingEvent opened/resolved, Clock rows), writing nothing when nothing changed
  recheck_case(case) -> ScanResult              the incremental re-check of one case (signals call it)
  scan(*, agency=None, now=None, batch_size=2000, progress=None) -> ScanResult
        the full scan (`liuhen check`): every case of `agency` (or all) in batches;
        progress(done, total) is called after each batch
  open_findings(case) -> QuerySet[Finding]      the case's open findings, errors first
  case_clocks(case) -> QuerySet[Clock]          the case's stored clocks
  verify_findings(run=False) -> list[FindingData]  what `liuhen verify` found (see ledger_checks)

Findings and clocks are derived data, not evidence: they are NOT appended to the ledger (a full
scan of 100 000 cases would add an entry per finding and per change of status, and every one of
them can be recomputed from facts that are in the ledger). Their history is the append-only
FindingEvent table.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

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


def evaluate(case_ids: Iterable[int], *, now: datetime.datetime | None = None
             ) -> dict[int, tuple[list[FindingData], list[ClockData]]]:
    """Each case's findings and clocks as of `now`, computed from set-based reads; stores nothing."""
    raise NotImplementedError  # filled in next


def recheck(case_ids: Iterable[int], *, now: datetime.datetime | None = None) -> ScanResult:
    """Evaluate `case_ids` and store the difference with what is stored: new findings are added with
    an `opened` FindingEvent, gone ones deleted with a `resolved` one, clocks rewritten only when
    changed. No change: no write."""
    raise NotImplementedError


def recheck_case(case) -> ScanResult:
    """The incremental re-check of one case (a Case or its id), called on commit after a change."""
    return recheck([getattr(case, "pk", case)])


def scan(*, agency=None, now: datetime.datetime | None = None, batch_size: int = 2000,
         progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """The full scan: every case (of `agency`, else all) in batches of `batch_size`."""
    raise NotImplementedError


def open_findings(case):
    """The case's open findings (Finding rows), errors first, then by stage and code."""
    from .finding_models import Finding
    return Finding.objects.filter(case=case).order_by("severity", "stage", "code", "key")


def case_clocks(case):
    """The case's stored clocks (Clock rows), by due date (unknown last)."""
    from django.db.models import F

    from .finding_models import Clock
    return Clock.objects.filter(case=case).order_by(F("due_at").asc(nulls_last=True), "key")
