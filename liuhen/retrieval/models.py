"""档案利用 — the rows of a look at an archived case file (LW-D 15, BX 12, LC 33-34, AS 14-15): the 调用单
(RetrievalRequest) with the file's SHA-256 when it was asked for, its one decision, the copy the archivist
made for an outsider or a party with what it lists (a cover sheet, the records' watermarked PDFs, the
footage as recorded), the archivist's confidentiality class of each record
(公开属性) and where state-secret material is kept (涉密材料存放说明).

Every row is appended with its ledger event in the same transaction (services.py) and never updated:
a request's state (待审批, 已批准, 已拒绝, 已过期) is derived from its decision and the clock."""
import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common import crypto
from liuhen.common.append_only import AppendOnlyModel
from liuhen.common.fields import EncryptedTextField
from liuhen.ledger.subjects import LedgerState


class Kind(models.TextChoices):
    STAFF = "staff", "本机关调阅"
    OUTSIDER = "outsider", "外单位查阅"
    PARTY = "party", "当事人查阅、复制"


class Mode(models.TextChoices):
    VIEW = "view", "查阅"
    COPY = "copy", "复制"


class RetrievalRequest(LedgerState, AppendOnlyModel):
    """调用单 — who asks to look at which archived file, for what, which part of it, to view or copy,
    for how many days, and the file's SHA-256 at that time. A staff member asks for themselves; an
    outsider's (单位, 经办人, 身份证件, 介绍信) or a party's request is entered by the archivist."""

    ledger_object_type = "retrieval_request"
    ledger_state_fields = ("case_id", "kind", "requester_id", "entered_by_id", "organisation", "person",
                           "id_number", "letter_number", "purpose", "record_ids", "footage_ids", "mode", "days",
                           "file_sha256", "requested_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                  blank=True, verbose_name="调阅人")  # staff only
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="登记人")
    organisation = models.CharField("单位", max_length=200, blank=True)
    person = models.CharField("查阅人", max_length=100, blank=True)
    id_number = EncryptedTextField("身份证件号码", blank=True, default="")  # encrypted at rest (SPEC §9)
    letter_number = models.CharField("介绍信编号", max_length=100, blank=True)
    purpose = models.CharField("用途", max_length=500)
    # The scope: sorted Record ids of the case and sorted ids of its linked FootageItems (LW-D 15: the
    # records and the audio-video); both empty: the whole file.
    record_ids = models.JSONField("范围", default=list)
    footage_ids = models.JSONField("音像记录范围", default=list)
    mode = models.CharField("方式", max_length=10, choices=Mode.choices)
    days = models.PositiveSmallIntegerField("期限（天）")
    file_sha256 = models.CharField("案卷 SHA-256", max_length=64)
    requested_at = models.DateTimeField("申请时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "调用单"
        ordering = ["id"]

    @property
    def number(self) -> str:
        """调用单编号: the year and the row's id."""
        return f"调〔{timezone.localtime(self.requested_at).year}〕{self.pk}号"

    @property
    def whole(self) -> bool:
        """整卷: nothing listed, the whole file (its records and its linked footage)."""
        return not self.record_ids and not self.footage_ids

    @property
    def masked_id(self) -> str:
        return crypto.mask(self.id_number, 6, 4) if self.id_number else ""

    @property
    def who(self) -> str:
        if self.kind == Kind.STAFF:
            return self.requester.display_name if self.requester_id else ""
        return f"{self.organisation}　{self.person}" if self.organisation else self.person


class Decision(LedgerState, AppendOnlyModel):
    """审批 — once, by a role the profile names for the kind (AS 15: outsiders the head; a party the
    leader); a refusal says why. An approval runs `days` from its time; a staff member's opens an
    AccessGrant (cases) until then."""

    ledger_object_type = "retrieval_decision"
    ledger_state_fields = ("request_id", "approved", "reason", "expires_at", "grant_id", "decided_by_id",
                           "decided_at")

    request = models.OneToOneField(RetrievalRequest, on_delete=models.PROTECT, related_name="decision")
    approved = models.BooleanField("批准")
    reason = models.CharField("意见", max_length=500, blank=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    grant_id = models.BigIntegerField("调阅授权", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "调用单审批"
        ordering = ["id"]

    @staticmethod
    def expiry(decided_at: datetime.datetime, days: int) -> datetime.datetime:
        return decided_at + datetime.timedelta(days=days)


class Copy(LedgerState, AppendOnlyModel):
    """复制件 — the watermarked copy the archivist made under an approved request, once."""

    ledger_object_type = "retrieval_copy"
    ledger_state_fields = ("request_id", "made_by_id", "made_at")

    request = models.OneToOneField(RetrievalRequest, on_delete=models.PROTECT, related_name="copy")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="制作人")
    made_at = models.DateTimeField("制作时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "档案复制件"
        ordering = ["id"]


class CopyItem(LedgerState, AppendOnlyModel):
    """复制清单 — one item copied, listed in this order: the watermarked cover sheet (neither record nor
    footage), each record (the SHA-256 of its PDF and of the watermarked copy), each footage item (its
    own blob: handed over as recorded, the copy's SHA-256 the source's)."""

    ledger_object_type = "retrieval_copy_item"
    ledger_state_fields = ("copy_id", "record_id", "footage_id", "version", "title", "source_sha256", "blob_id")

    copy = models.ForeignKey(Copy, on_delete=models.PROTECT, related_name="items")
    record = models.ForeignKey("records.Record", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    footage = models.ForeignKey("footage.FootageItem", on_delete=models.PROTECT, related_name="+", null=True,
                                blank=True, verbose_name="音像记录")
    version = models.PositiveIntegerField("版本", null=True, blank=True)  # a record's
    title = models.CharField("题名", max_length=200)
    source_sha256 = models.CharField("原件 SHA-256", max_length=64)
    blob = models.ForeignKey("media.Blob", on_delete=models.PROTECT, related_name="+", verbose_name="复制件")

    class Meta:
        verbose_name = verbose_name_plural = "复制清单"
        ordering = ["id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(record__isnull=True) | models.Q(footage__isnull=True),
            name="retrieval_copyitem_one_source")]

    @property
    def is_cover(self) -> bool:
        return self.record_id is None and self.footage_id is None


class Classification(LedgerState, AppendOnlyModel):
    """公开属性 — the archivist's class of one record of an archived file (profiles.spec.CLASSIFICATIONS);
    appended, the latest wins."""

    ledger_object_type = "retrieval_class"
    ledger_state_fields = ("case_id", "record_id", "code", "set_by_id", "set_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey("records.Record", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("公开属性", max_length=20)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField("设定时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "公开属性"
        ordering = ["id"]


class SecretNote(LedgerState, AppendOnlyModel):
    """涉密材料存放说明 — state-secret material of the file is never stored here (保守国家秘密法):
    the archivist records what it is and where it is kept."""

    ledger_object_type = "retrieval_secret_note"
    ledger_state_fields = ("case_id", "title", "kept_at", "recorded_by_id", "recorded_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("材料名称", max_length=200)
    kept_at = models.CharField("存放处", max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "涉密材料存放说明"
        ordering = ["id"]
