"""执行 — the performance of a decision's fine (行政处罚法 66-72): the payments made, each with its
voucher (the bank slip or receipt), the party's application to defer or pay by instalments and the
head's decision on it.

Amounts are integer 分 (fen): a bank slip may carry 角 and 分, a late fine of 3% a day does, and integer
arithmetic never rounds a yuan away. Every row is appended with its ledger event in the same
transaction (services.py) and never updated; what is owed is derived from the rows (selectors.py) —
the late fine (加处罚款) is computed and shown, never stored as owed."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class Channel(models.TextChoices):
    """缴款方式 (行政处罚法 67-69)."""

    BANK = "银行缴款", "银行缴款"
    ONLINE = "电子缴款", "电子缴款"
    ON_SITE = "当场收缴", "当场收缴"


class Towards(models.TextChoices):
    """What a payment pays: the fine, the additional late fine (行政处罚法 72), or the illegal gains the
    decision confiscates (没收违法所得, 行政处罚法 9(二), 28: handed over in money; no late fine runs on it)."""

    FINE = "fine", "罚款"
    LATE_FINE = "late_fine", "加处罚款"
    CONFISCATION = "confiscation", "没收违法所得"


class DeferralKind(models.TextChoices):
    """暂缓（延期）或者分期缴纳 (行政处罚法 66)."""

    DEFER = "延期", "延期缴纳"
    INSTALMENTS = "分期", "分期缴纳"


class Payment(LedgerState, AppendOnlyModel):
    """缴款 — one payment of the party, with the bank slip or receipt that proves it."""

    ledger_object_type = "execution_payment"
    ledger_state_fields = ("case_id", "amount_fen", "towards", "paid_on", "channel", "voucher_id",
                           "voucher_name", "recorded_by_id", "recorded_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    amount_fen = models.BigIntegerField("金额（分）")
    towards = models.CharField("款项", max_length=20, choices=Towards.choices, default=Towards.FINE)
    paid_on = models.DateField("缴款日期")
    channel = models.CharField("缴款方式", max_length=20, choices=Channel.choices)
    voucher = models.ForeignKey("media.Blob", on_delete=models.PROTECT, related_name="+", verbose_name="缴款凭证")
    voucher_name = models.CharField("凭证文件名", max_length=200)
    voucher_type = models.CharField("凭证类型", max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "缴款记录"
        ordering = ["id"]


class DeferralRequest(LedgerState, AppendOnlyModel):
    """当事人延期或者分期缴纳罚款的申请 (行政处罚法 66), recorded by an officer: for 延期 the new due date,
    for 分期 the instalments [{"due_on": "YYYY-MM-DD", "amount_fen": n}, …] covering the balance."""

    ledger_object_type = "execution_deferral_request"
    ledger_state_fields = ("case_id", "kind", "reason", "new_due_on", "instalments", "balance_fen",
                           "requested_by_id", "requested_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    kind = models.CharField("申请事项", max_length=10, choices=DeferralKind.choices)
    reason = models.TextField("申请理由")
    new_due_on = models.DateField("延期至", null=True, blank=True)
    instalments = models.JSONField("分期计划", default=list)
    balance_fen = models.BigIntegerField("申请时未缴罚款（分）")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="登记人")
    requested_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "延期（分期）缴纳申请"
        ordering = ["id"]


class DeferralDecision(LedgerState, AppendOnlyModel):
    """The head's decision on an application (行政处罚法 66: 经…行政机关批准), once; `paid_fen` is what
    had been paid of the fine when it was approved — the schedule covers the rest."""

    ledger_object_type = "execution_deferral_decision"
    ledger_state_fields = ("request_id", "approved", "opinion", "paid_fen", "decided_by_id", "decided_at")

    request = models.OneToOneField(DeferralRequest, on_delete=models.PROTECT, related_name="decision")
    approved = models.BooleanField("批准")
    opinion = models.CharField("意见", max_length=500, blank=True)
    paid_fen = models.BigIntegerField("批准时已缴罚款（分）", default=0)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "延期（分期）缴纳审批"
        ordering = ["id"]
