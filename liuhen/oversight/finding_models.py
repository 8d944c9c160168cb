"""The findings engine's tables (发现的问题 and 期限): derived data, recomputed from the case's facts.

- `Finding`: the findings open now, one row per (case, key). A scan replaces what changed and
  nothing else: a finding that stays is not rewritten, one that went away is deleted from this table
  (it is derived, not evidence: the facts it was derived from are in the ledger).
- `FindingEvent`: the append-only history — a finding opened, a finding resolved — with the
  finding's fields as they were, for statistics by month and "new findings" notices.
- `Clock`: each deadline (期限) of a case as last computed: start, due, met, status as of the
  last check that changed it. A page recomputes the status against now with `clocks.status_of`.

Keys: `key` is stable for one problem of one case, e.g. "records.F001:decision" or
"clock:av_upload:footage:17", so that the same problem found by the next scan is the same row.
"""
from django.db import models

from liuhen.common.append_only import AppendOnlyModel


class Severity(models.TextChoices):
    ERROR = "error", "错误"
    WARNING = "warning", "提示"


class Finding(models.Model):
    """A problem of a case found by the engine now (发现的问题), with the article it breaks and what
    would fix it. Deleted (with a `resolved` FindingEvent) when a later check no longer finds it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="findings")
    # Denormalised from the case for the supervision pages' counts by unit and agency.
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    code = models.CharField("代码", max_length=40, db_index=True)  # vocabulary.CODES
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    stage = models.CharField("阶段", max_length=20, blank=True)  # cases.models.Stage or ""
    article = models.CharField("依据", max_length=200, blank=True)
    message = models.CharField("问题", max_length=500)
    fix = models.CharField("整改建议", max_length=500, blank=True)
    # Who the problem is about, when one person is (the officer of an act, the signer missing).
    officer = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What it concerns, for links: "record" / "footage" / "deadline" / "" and the id.
    subject_kind = models.CharField(max_length=20, blank=True)
    subject_id = models.CharField(max_length=60, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)  # for deadline findings
    opened_at = models.DateTimeField("发现时间")

    class Meta:
        verbose_name = verbose_name_plural = "发现的问题"
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="finding_case_key")]
        indexes = [models.Index(fields=["agency", "unit", "code"], name="finding_agency_unit_code")]
        ordering = ["case_id", "key"]

    def __str__(self):
        return f"{self.code} {self.message}"

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "case": self.case.number, "stage": self.stage,
                "article": self.article, "message": self.message, "fix": self.fix}


class FindingEventKind(models.TextChoices):
    OPENED = "opened", "发现"
    RESOLVED = "resolved", "已整改"


class FindingEvent(AppendOnlyModel):
    """One finding opened or resolved (发现 / 已整改), with its fields as they were. Append-only."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=10, choices=FindingEventKind.choices)
    key = models.CharField(max_length=200)
    code = models.CharField(max_length=40, db_index=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    stage = models.CharField(max_length=20, blank=True)
    article = models.CharField(max_length=200, blank=True)
    message = models.CharField(max_length=500)
    fix = models.CharField(max_length=500, blank=True)
    officer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题记录"
        indexes = [models.Index(fields=["case", "key"], name="findingevent_case_key")]
        ordering = ["id"]


class ClockStatus(models.TextChoices):
    RUNNING = "running", "进行中"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    MET = "met", "已按期完成"
    MET_LATE = "met_late", "逾期完成"
    UNKNOWN = "unknown", "无法计算"  # the working-day calendar lacks the year: never guessed
    # LW-L 12: the legal review waits for materials the reviewer asked for (the profile's
    # materials_wait "suspend" or "restart"): not running, never overdue while it waits.
    PAUSED = "paused", "暂停计时"


class Clock(models.Model):
    """A deadline of one case (or one footage item of it) as last computed (期限). Derived; a check
    of its case rewrites it only when something changed. Pages recompute the status against now with
    `clocks.status_of(started_at, due_at, met_at, now)` (due soon / overdue move with time)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="clocks")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)  # "<deadline id>" or "<deadline id>:footage:<id>"
    deadline = models.CharField("期限", max_length=60)  # DeadlineSpec.id
    label = models.CharField(max_length=200)
    article = models.CharField(max_length=200, blank=True)
    period = models.CharField(max_length=20)  # Period label, e.g. "7日"
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.ERROR)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)  # None: unknown (calendar lacks the year)
    met_at = models.DateTimeField(null=True, blank=True)
    extended = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ClockStatus.choices)  # as of the last check that changed it

    class Meta:
        verbose_name = verbose_name_plural = "期限"
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="clock_case_key")]
        indexes = [models.Index(fields=["agency", "met_at", "due_at"], name="clock_open_due")]
        ordering = ["case_id", "due_at"]

