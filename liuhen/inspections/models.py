"""抽检 — the agency office's sample inspections of how officers wear and use their recorders and of
the footage they record (LW-D 14), kept as an inspection ledger (检查台账).

Every row is append-only and logged with the digest of its stored state (LedgerState):

- a round (抽检轮次): what was sampled from — footage or devices, a unit, a period — the population's
  size and digest, the random seed, the sampled keys and the checklist in force. The sample is a
  function of (seed, population) alone (sampling.py), so that anyone can draw it again from the log;
- a finding (检查结果) per sampled item: each check passed, failed or not applicable, with a note.
  A finding is never edited: a later row supersedes it (`supersedes`, at most once);
- a round's closing (结束), once every sampled item has a finding.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class Kind(models.TextChoices):
    FOOTAGE = "footage", "音像记录"
    DEVICE = "device", "执法记录设备"


class Result(models.TextChoices):
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"
    NA = "na", "不适用"


class Round(LedgerState, AppendOnlyModel):
    """抽检轮次 — one random sample of the agency's footage or devices (LW-D 14)."""

    ledger_object_type = "inspection_round"
    ledger_state_fields = ("agency_id", "kind", "unit_id", "period_from", "period_to", "criteria", "requested",
                           "percent", "population_size", "population_digest", "seed", "sample", "checklist",
                           "drawn_by_id", "drawn_at", "attribution")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("抽检对象", max_length=20, choices=Kind.choices)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="科室")
    period_from = models.DateField("期间起")
    period_to = models.DateField("期间止")
    # What the population is, exactly: the instants of the period, the officers of the unit at the
    # draw (footage) or the devices (devices), the draw time. sampling.population(criteria) reads it.
    criteria = models.JSONField("抽取条件")
    requested = models.PositiveIntegerField("抽取数量", null=True, blank=True)
    percent = models.PositiveSmallIntegerField("抽取比例（%）", null=True, blank=True)
    population_size = models.PositiveIntegerField("总体数量")
    population_digest = models.CharField("总体摘要", max_length=64)
    seed = models.CharField("随机种子", max_length=64)
    sample = models.JSONField("样本")  # the sampled keys in their drawn order
    checklist = models.JSONField("检查项目")  # [{"code", "label", "basis"}] in force at the draw
    # Who and which unit answered for each sampled item at the draw (LW-D 14 检查台账), keyed by the
    # sampled key as text: footage {"officer_id", "officer", "unit_id", "unit", "device"}, a device
    # {"unit_id", "unit", "custodian_id", "custodian"}. A device's unit and custodian and a person's
    # unit change in place later; the 台账 and its failure counts read this, never today's values.
    # Rounds drawn before migration 0002 were filled from the data as it was when it ran.
    attribution = models.JSONField("归属", default=dict)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="抽检人")
    drawn_at = models.DateTimeField("抽取时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "抽检轮次"
        indexes = [models.Index(fields=["agency", "drawn_at"])]

    def __str__(self):
        return f"第 {self.pk} 轮抽检"


class Finding(LedgerState, AppendOnlyModel):
    """检查结果 — what the inspector found on one sampled item: [{"code", "result", "note"}] in the
    order of the round's checklist. The current finding of an item is the one nobody superseded."""

    ledger_object_type = "inspection_finding"
    ledger_state_fields = ("round_id", "footage_id", "device_id", "results", "note", "supersedes_id",
                           "inspector_id", "recorded_at")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="findings")
    # The sampled item: a footage item (a footage round) or a device (a device round).
    footage = models.ForeignKey("footage.FootageItem", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name="音像记录")
    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="设备")
    results = models.JSONField("检查结果")
    note = models.CharField("备注", max_length=500, blank=True)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name="取代")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="检查人")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "抽检结果"
        constraints = [models.CheckConstraint(
            condition=models.Q(footage__isnull=True, device__isnull=False)
            | models.Q(footage__isnull=False, device__isnull=True), name="inspection_finding_one_item")]

    @property
    def item_key(self) -> int:
        return self.footage_id if self.footage_id is not None else self.device_id

    @property
    def failures(self) -> int:
        return sum(1 for r in self.results if r.get("result") == Result.FAIL)


class RoundClose(LedgerState, AppendOnlyModel):
    """结束抽检 — the round closed, with how many items and checks failed; no finding after it."""

    ledger_object_type = "inspection_close"
    ledger_state_fields = ("round_id", "summary", "closed_by_id", "closed_at")

    round = models.OneToOneField(Round, on_delete=models.PROTECT, related_name="closing")
    summary = models.JSONField("结果统计")  # {"items", "failed_items", "failed_checks"}
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="结束人")
    closed_at = models.DateTimeField("结束时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "结束抽检轮次"
