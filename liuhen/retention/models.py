"""The retention app's own rows (音像资料保存与清理), append-only and logged with the digest of
their state. Nothing is updated in place: a ground is withdrawn, a hold released and a removal
restored each by a new row that points at the old one, with who, when and why.

- 长期保存依据 (LongTermGround, LW-D 12): the party objected, complained or petitioned about the
  act (一, on a case: all its footage), the officers were evaded, refused, obstructed, insulted or
  assaulted (二, a flag on a footage item), or another important situation by decision (三, on a
  case or an item);
- 法律保全 (LegalHold): footage or a case's footage frozen; nothing held is purged, whatever its
  class;
- 清理公告 (PurgeNotice): the custodians told, before its retention ends, that a file will go;
- 移除 (Removal): a file taken out of use after its retention ran out — recoverable (恢复,
  Restoration) for the recovery period, then its bytes are purged (media.BlobPurge).
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class GroundKind(models.TextChoices):
    OBJECTION = "objection", "当事人提出异议、投诉或上访"          # LW-D 12 (一)
    OBSTRUCTION = "obstruction", "执法人员遭逃避、拒绝、阻碍、谩骂、侮辱或殴打"  # LW-D 12 (二)
    IMPORTANT = "important", "其他重要情形（经决定）"              # LW-D 12 (三)


class LongTermGround(LedgerState, AppendOnlyModel):
    """长期保存依据 — a fact that makes footage long-term (LW-D 12). On a case (OBJECTION, IMPORTANT)
    it covers all footage linked to the case; on an item (OBSTRUCTION, IMPORTANT) that item and its
    sidecars. A withdrawal (撤销) is a row of its own with `withdraws` set and its reason."""

    ledger_object_type = "retention_ground"
    ledger_state_fields = ("agency_id", "kind", "case_id", "item_id", "reason", "withdraws_id", "made_by_id",
                           "made_at")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("依据", max_length=20, choices=GroundKind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="案件")
    item = models.ForeignKey("footage.FootageItem", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="音像记录")
    reason = models.CharField("理由", max_length=500)
    withdraws = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="withdrawal", verbose_name="撤销的依据")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="登记人")
    made_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "长期保存依据"


class LegalHold(LedgerState, AppendOnlyModel):
    """法律保全 — footage frozen (on a case: all its footage; on an item: that item); a release
    (解除) is a row of its own with `releases` set and its reason."""

    ledger_object_type = "retention_hold"
    ledger_state_fields = ("agency_id", "case_id", "item_id", "reason", "releases_id", "made_by_id", "made_at")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="案件")
    item = models.ForeignKey("footage.FootageItem", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="音像记录")
    reason = models.CharField("理由", max_length=500)
    releases = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="release", verbose_name="解除的保全")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="决定人")
    made_at = models.DateTimeField("决定时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "法律保全"


class PurgeNotice(LedgerState, AppendOnlyModel):
    """清理公告 — a file whose retention ends on `due` announced to its custodians. A file is removed
    only once a notice for its current due date is at least notice_days old."""

    ledger_object_type = "retention_notice"
    ledger_state_fields = ("item_id", "due", "retention_class", "announced_at")

    item = models.ForeignKey("footage.FootageItem", on_delete=models.PROTECT, related_name="+")
    due = models.DateField("保存期限至")
    retention_class = models.CharField("保存类别", max_length=20)
    announced_at = models.DateTimeField("公告时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "清理公告"
        constraints = [models.UniqueConstraint(fields=["item", "due"], name="retention_notice_once_per_due")]


class Removal(LedgerState, AppendOnlyModel):
    """移除 — a file taken out of use: not played, not listed; recoverable until `recoverable_until`,
    then its bytes are purged. The notice it followed is named."""

    ledger_object_type = "retention_removal"
    ledger_state_fields = ("item_id", "notice_id", "due", "recoverable_until", "removed_by_id", "removed_at")

    item = models.ForeignKey("footage.FootageItem", on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey(PurgeNotice, on_delete=models.PROTECT, related_name="+")
    due = models.DateField("保存期限至")
    recoverable_until = models.DateTimeField("可恢复至")
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="执行人")
    removed_at = models.DateTimeField("移除时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "移除"


class Restoration(LedgerState, AppendOnlyModel):
    """恢复 — a removal undone within its recovery period, with the reason."""

    ledger_object_type = "retention_restoration"
    ledger_state_fields = ("removal_id", "reason", "restored_by_id", "restored_at")

    removal = models.OneToOneField(Removal, on_delete=models.PROTECT, related_name="restoration")
    reason = models.CharField("理由", max_length=500)
    restored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="恢复人")
    restored_at = models.DateTimeField("恢复时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "恢复"
