"""证据复制 — footage given out to a procuratorate or a court, from the request to the handover.

LW-D 13: footage used as evidence that must go to a 检察院 or 法院 is provided centrally by the
responsible office, which keeps a copy (统一提供并复制留存); LW-D 15: a copy for someone outside
the agency needs the principal leader's consent and is recorded (记录在案); BX 11: officers do not
carry or keep the records themselves. So a copy is four append-only rows, each logged with the
digest of its state: the request (申请), the leader's decision (批准 / 不予批准), the package the
office made (制作) and its handover (移交). Nothing is updated in place: a request's status is
which of its rows exist."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class ReceiverKind(models.TextChoices):
    PROCURATORATE = "procuratorate", "人民检察院"
    COURT = "court", "人民法院"
    OTHER = "other", "其他有权机关"


class HandoverMethod(models.TextChoices):
    IN_PERSON = "in_person", "当面移交"
    POST = "post", "邮寄"
    CONFIDENTIAL = "confidential", "机要交换"
    OTHER = "other", "其他"


class CopyRequest(LedgerState, AppendOnlyModel):
    """证据复制申请 — an officer of the case (or its unit head) asks for copies of the case's footage
    for a receiving body (a 检察院 or 法院), with the purpose and the court's 案号 when known."""

    ledger_object_type = "copy_request"
    ledger_state_fields = ("agency_id", "case_id", "item_ids", "receiver_kind", "receiver_name", "purpose",
                           "court_case_number", "requested_by_id", "requested_at", "case_number")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="copy_requests",
                             verbose_name="案件")
    # The case's number (案件编号) as the request was made: what a court files the evidence under. In
    # the request's logged state, so that the number a package's manifest shows is bound to the log
    # without the package carrying the case's own events (which hold its title and summary).
    case_number = models.CharField("案件编号", max_length=60, blank=True, default="")
    # The footage items (ids, ascending), each linked to the case when the request was made: a
    # JSON list in the row's state, so that an item added or removed by SQL alters the request.
    item_ids = models.JSONField("音像记录", default=list)
    receiver_kind = models.CharField("接收机关类别", max_length=20, choices=ReceiverKind.choices)
    receiver_name = models.CharField("接收机关", max_length=200)
    purpose = models.CharField("用途", max_length=500)
    court_case_number = models.CharField("案号", max_length=100, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "证据复制申请"
        indexes = [models.Index(fields=["agency", "requested_at"])]

    def __str__(self):
        return f"证据复制申请 {self.pk}"

    def items(self) -> list:
        """The footage items asked for, in the order of their ids."""
        from liuhen.footage.models import FootageItem

        found = {i.pk: i for i in FootageItem.objects.filter(pk__in=self.item_ids or [])
                 .select_related("device", "officer")}
        return [found[pk] for pk in self.item_ids or [] if pk in found]

    def item_blobs(self) -> list[str]:
        return [i.blob_id for i in self.items()]


class CopyApproval(LedgerState, AppendOnlyModel):
    """批准 / 不予批准 — the leader's decision with their opinion (LW-D 15: 主要领导同意). One per
    request: a request refused is asked again by a new request."""

    ledger_object_type = "copy_approval"
    ledger_state_fields = ("request_id", "approved", "opinion", "decided_by_id", "decided_at")

    request = models.OneToOneField(CopyRequest, on_delete=models.PROTECT, related_name="approval")
    approved = models.BooleanField("批准")
    opinion = models.CharField("意见", max_length=500)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "证据复制审批"


class CopyPackage(LedgerState, AppendOnlyModel):
    """复制包 — the package the office made of an approved request (LW-D 13 统一提供并复制留存): the
    files, a manifest of their hashes, the ledger entries with inclusion proofs against one signed
    checkpoint and the log's keys. `manifest_sha256` binds all of it: the manifest names the SHA-256
    of every other file of the package."""

    ledger_object_type = "copy_package"
    ledger_state_fields = ("request_id", "made_by_id", "made_at", "path", "manifest_sha256", "files", "size",
                           "checkpoint_size", "checkpoint_root")

    request = models.OneToOneField(CopyRequest, on_delete=models.PROTECT, related_name="package")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="制作人")
    made_at = models.DateTimeField("制作时间", default=timezone.now)
    # Where the kept copy (留存) is: relative to LIUHEN_HOME/copies, or absolute when written elsewhere
    # by `liuhen copies make`.
    path = models.CharField("存放位置", max_length=1000)
    manifest_sha256 = models.CharField("复制包 SHA-256（manifest.json）", max_length=64)
    files = models.PositiveIntegerField("文件数")
    size = models.BigIntegerField("文件总大小（字节）")
    checkpoint_size = models.BigIntegerField("检查点大小")
    checkpoint_root = models.CharField("检查点根哈希", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "证据复制包"


class CopyHandover(LedgerState, AppendOnlyModel):
    """移交 — who received the package, for which body, when and how, and the SHA-256 of what was
    handed over (LW-D 15 记录在案)."""

    ledger_object_type = "copy_handover"
    ledger_state_fields = ("package_id", "receiver_person", "receiver_org", "handed_on", "method", "package_sha256",
                           "note", "recorded_by_id", "recorded_at")

    package = models.OneToOneField(CopyPackage, on_delete=models.PROTECT, related_name="handover")
    receiver_person = models.CharField("接收人", max_length=100)
    receiver_org = models.CharField("接收单位", max_length=200)
    handed_on = models.DateField("移交日期")
    method = models.CharField("移交方式", max_length=20, choices=HandoverMethod.choices)
    package_sha256 = models.CharField("复制包 SHA-256", max_length=64)
    note = models.CharField("备注", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "证据复制移交"
