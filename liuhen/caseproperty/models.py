"""涉案财物 — the property a case holds (LQ 13(四); 行政强制法 24-28): each item listed with where it came
from, where it is kept and by whom, the requests to hand it back, sell, destroy or hand it over, the
approval of each, and the result with its proof and its 罚没物品处理记录.

Every row is appended with its ledger event in the same transaction (services.py) and never updated:
an item's custody is its latest Custody row, its state is derived from the requests, approvals and
results that name it (selectors.py). Amounts are integer 分."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class Source(models.TextChoices):
    """来源: how the item came into the agency's hands."""

    SEALED = "查封", "查封"
    SEIZED = "扣押", "扣押"
    PRESERVED = "先行登记保存", "先行登记保存"
    CONFISCATED = "没收", "没收"
    OTHER = "其他", "其他"


class Kind(models.TextChoices):
    """处理方式 (行政强制法 27-28; 行政处罚法 74)."""

    RETURN = "退还", "退还"
    AUCTION = "拍卖", "拍卖"
    DESTROY = "销毁", "销毁"
    TREASURY = "上缴国库", "上缴国库"
    TRANSFER = "移送有关机关", "移送有关机关"
    RELEASE = "解除查封扣押", "解除查封扣押"


class Item(LedgerState, AppendOnlyModel):
    """涉案财物 — one item (or one lot of the same kind) the case holds, with its source record: the
    查封扣押现场笔录 or 证据登记保存清单 that lists it (行政强制法 24: 清单)."""

    ledger_object_type = "caseproperty_item"
    ledger_state_fields = ("case_id", "name", "specification", "quantity", "unit", "source", "source_record_id",
                           "value_fen", "photo_id", "photo_type", "registered_by_id", "registered_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    name = models.CharField("名称", max_length=200)
    specification = models.CharField("规格型号", max_length=200, blank=True)
    quantity = models.DecimalField("数量", max_digits=15, decimal_places=3)
    unit = models.CharField("计量单位", max_length=20)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    source_record = models.ForeignKey("records.Record", on_delete=models.PROTECT, related_name="+", null=True,
                                      blank=True, verbose_name="来源记录")
    value_fen = models.BigIntegerField("估价（分）", null=True, blank=True)
    photo = models.ForeignKey("media.Blob", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                              verbose_name="照片")
    photo_type = models.CharField("照片类型", max_length=100, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="登记人")
    registered_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "涉案财物"
        ordering = ["id"]


class Custody(LedgerState, AppendOnlyModel):
    """保管 — where the item is kept from a time on, and by whom (行政强制法 26: 妥善保管); the latest is
    where it is."""

    ledger_object_type = "caseproperty_custody"
    ledger_state_fields = ("item_id", "place", "custodian", "from_at", "recorded_by_id", "recorded_at")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="custody", verbose_name="涉案财物")
    place = models.CharField("保管地点", max_length=200)
    custodian = models.CharField("保管人", max_length=100)
    from_at = models.DateTimeField("保管起始时间", default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "涉案财物保管"
        ordering = ["id"]


class HandlingRequest(LedgerState, AppendOnlyModel):
    """处理申请 — an officer asks to handle items of the case one way, with the reason."""

    ledger_object_type = "caseproperty_request"
    ledger_state_fields = ("case_id", "item_ids", "kind", "reason", "requested_by_id", "requested_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    item_ids = models.JSONField("财物", default=list)  # sorted Item ids of the case
    kind = models.CharField("处理方式", max_length=20, choices=Kind.choices)
    reason = models.TextField("理由和依据")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "涉案财物处理申请"
        ordering = ["id"]


class HandlingApproval(LedgerState, AppendOnlyModel):
    """审批 — the head the profile names (case_property.approve_roles) approves or refuses, once."""

    ledger_object_type = "caseproperty_approval"
    ledger_state_fields = ("request_id", "approved", "opinion", "decided_by_id", "decided_at")

    request = models.OneToOneField(HandlingRequest, on_delete=models.PROTECT, related_name="approval")
    approved = models.BooleanField("批准")
    opinion = models.CharField("意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "涉案财物处理审批"
        ordering = ["id"]


class Handling(LedgerState, AppendOnlyModel):
    """处理结果 — what was done under an approved request, on which day, with its proof (the receipt of
    whoever received the items, the auction's confirmation, a photo of the destruction) and the
    罚没物品处理记录 it opened for the two officers to sign."""

    ledger_object_type = "caseproperty_handling"
    ledger_state_fields = ("request_id", "done_on", "recipient", "recipient_relation", "proceeds_fen", "voucher_id",
                           "voucher_name", "record_id", "recorded_by_id", "recorded_at")

    request = models.OneToOneField(HandlingRequest, on_delete=models.PROTECT, related_name="handling")
    done_on = models.DateField("处理日期")
    recipient = models.CharField("接收人", max_length=100, blank=True)
    recipient_relation = models.CharField("与当事人关系", max_length=50, blank=True)
    proceeds_fen = models.BigIntegerField("拍卖所得（分）", null=True, blank=True)
    voucher = models.ForeignKey("media.Blob", on_delete=models.PROTECT, related_name="+", verbose_name="处理凭证")
    voucher_name = models.CharField("凭证文件名", max_length=200)
    voucher_type = models.CharField("凭证类型", max_length=100)
    record = models.ForeignKey("records.Record", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                               verbose_name="罚没物品处理记录")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "涉案财物处理结果"
        ordering = ["id"]
