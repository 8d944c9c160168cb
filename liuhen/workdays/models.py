"""工作日历 — the State Council's holiday schedules (国务院办公厅关于X年部分节假日安排的通知) an
agency loaded as data, one append-only row per load.

A deadline in working days (SPEC §7; e.g. LW-L 16's ten working days for a legal review, 行政处罚法
art. 85: 期限以工作日计算，不含法定节假日) follows these schedules: a year's holidays (放假) and its
adjusted working weekends (调休上班). The `chinesecalendar` library knows the years up to its
release; a loaded schedule wins over it for its year, and a later load of the same year supersedes
an earlier one (the earlier row stays, with its history). Each row keeps the file it came from
(text and SHA-256), so `liuhen verify` can read it again.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class YearSchedule(LedgerState, AppendOnlyModel):
    """放假安排 — one year's holidays and adjusted working weekends, as one notice states them."""

    ledger_object_type = "workdays_schedule"
    ledger_state_fields = ("year", "notice", "number", "published", "holidays", "workdays", "sha256", "text",
                           "loaded_by_id", "loaded_at", "reason")

    year = models.PositiveSmallIntegerField("年度")
    notice = models.CharField("通知标题", max_length=200)
    number = models.CharField("文号", max_length=60)
    published = models.DateField("发布日期", null=True, blank=True)
    # [{"name": "春节", "from": "2026-02-15", "to": "2026-02-23"}], ranges inclusive, by start date
    holidays = models.JSONField("放假安排")
    workdays = models.JSONField("调休上班日")  # ["2026-02-14", …]: weekend days that are working days
    sha256 = models.CharField("文件 SHA-256", max_length=64)
    text = models.TextField("文件内容")
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="载入人")  # None: the system (CLI, demo)
    loaded_at = models.DateTimeField("载入时间", default=timezone.now)
    reason = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "放假安排"
        indexes = [models.Index(fields=["year", "id"])]

    def __str__(self):
        return f"{self.year} 年放假安排（{self.number}）"
