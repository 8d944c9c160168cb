"""The avrules app's own rows, append-only and logged with the digest of their state:

- 外出执法申报 (FieldTrip, AS 12): an officer declares a trip away — from, to (the declared return),
  where; footage recorded within it is due 24 hours after the return, not after its recording;
- 音像记录中断说明 (Interruption, LQ 22): a case officer notes the reason given on resuming after a
  break between two files of one device (the spoken reason, as written down), or that the recording
  stopped and could not be resumed — then the act also needs its two-officer written note
  (record type 音像记录中断情况说明).
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class FieldTrip(LedgerState, AppendOnlyModel):
    """外出执法申报 — 连续工作、异地工作或在边远、交通不便地区执法 (AS 12)."""

    ledger_object_type = "av_field_trip"
    ledger_state_fields = ("agency_id", "officer_id", "starts_at", "ends_at", "place", "reason", "declared_by_id",
                           "declared_at")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="field_trips",
                                verbose_name="执法人员")
    starts_at = models.DateTimeField("外出时间")
    ends_at = models.DateTimeField("返回时间")
    place = models.CharField("外出地点", max_length=200)
    reason = models.CharField("外出事由", max_length=500)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="申报人")
    declared_at = models.DateTimeField("申报时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "外出执法申报"
        indexes = [models.Index(fields=["officer", "starts_at"])]


class Interruption(LedgerState, AppendOnlyModel):
    """音像记录中断说明 — one break in the footage of an act (LQ 22, LW-D 8): `before` is the last
    file before the break, `after` the first after it (None: the recording could not be resumed)."""

    ledger_object_type = "av_interruption"
    ledger_state_fields = ("case_id", "record_id", "before_id", "after_id", "reason", "noted_by_id", "noted_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    # The act's record, by id: records sit above avrules' inputs (footage keeps it the same way).
    record_id = models.BigIntegerField("笔录")
    before = models.ForeignKey("footage.FootageItem", on_delete=models.PROTECT, related_name="+",
                               verbose_name="中断前的音像记录")
    after = models.ForeignKey("footage.FootageItem", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name="恢复后的音像记录")
    reason = models.CharField("中断原因", max_length=500)
    noted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="说明人")
    noted_at = models.DateTimeField("说明时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "音像记录中断说明"
        # One note per actual gap — the pair of files either side of it — and one "could not be
        # resumed" per last file: a stop noted after A does not bar explaining the break A→B once the
        # resumed file B is linked (that later fact supersedes the stop, selectors.case_av), and a
        # note of A→B does not cover A→C if a file C between them is linked later.
        constraints = [
            models.UniqueConstraint(fields=["record_id", "before", "after"], condition=models.Q(after__isnull=False),
                                    name="av_interruption_once_per_gap"),
            models.UniqueConstraint(fields=["record_id", "before"], condition=models.Q(after__isnull=True),
                                    name="av_interruption_stop_once"),
        ]

    @property
    def resumed(self) -> bool:
        return self.after_id is not None
