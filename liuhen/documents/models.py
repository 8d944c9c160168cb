"""The documents app's rows: 文号 (document numbers) and issued (sealed) documents (issue 16).

All append-only, each written with its ledger event carrying the digest of its state, checked by
`liuhen verify` (ledger_checks.py):
- DocumentNumber — one 文号 given from the sequence of (agency, document kind, year) when a document
  is issued, never at case creation, never reused (unique per sequence);
- NumberVoid — a 文号 voided with its reason: the number stays listed, so every gap is explained;
- IssuedDocument — a record's document as issued: its 文号, the SHA-256 of the sealed PDF and of its
  PDF/A archive copy (both in the blob store), the token of its verification link. Its status is
  derived (document_status), never written over;
- DocumentWithdrawal — an issued document revoked (撤销) or replaced (被替换) by a later one, with
  its reason: at most one per document, so a document is revoked or replaced once.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common import memo
from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class DocumentNumber(LedgerState, AppendOnlyModel):
    """文号 — e.g. 本水罚〔2026〕第3号: the `n`th number of the agency's sequence for one document
    kind (the record type's code) and year, in the format of the agency profile at the time."""

    ledger_object_type = "document_number"
    ledger_state_fields = ("agency_id", "kind", "year", "n", "text", "record_id", "issued_by_id", "issued_at")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("文书种类", max_length=60)
    year = models.PositiveIntegerField("年度")
    n = models.PositiveIntegerField("序号")
    text = models.CharField("文号", max_length=100)
    record = models.ForeignKey("records.Record", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="记录")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="编号人")
    issued_at = models.DateTimeField("编号时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "文号"
        # Never reused: the database refuses a second row for a number, whatever the processes do.
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "year", "n"], name="document_number_once")]

    def __str__(self):
        return self.text


class NumberVoid(LedgerState, AppendOnlyModel):
    """文号作废 — a number voided with its reason (the document it was given to is void with it)."""

    ledger_object_type = "document_number_void"
    ledger_state_fields = ("number_id", "reason", "voided_by_id", "voided_at")

    number = models.OneToOneField(DocumentNumber, on_delete=models.PROTECT, related_name="void")
    reason = models.CharField("作废理由", max_length=500)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="作废人")
    voided_at = models.DateTimeField("作废时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "文号作废"


class DocumentStatus(models.TextChoices):
    VALID = "valid", "有效"
    VOIDED = "voided", "已作废"
    REVOKED = "revoked", "已撤销"
    REPLACED = "replaced", "已被替换"


class WithdrawalKind(models.TextChoices):
    REVOKED = "revoked", "撤销"
    REPLACED = "replaced", "被替换"


def document_status(*, voided: bool, withdrawal: str | None) -> str:
    """The one rule of a document's status, derived from the append-only rows, never written over:
    voided (its 文号 voided: the document never validly existed) > revoked (its legal effect ended
    by the agency, 行政处罚法 75) > replaced (a corrected document issued in its place) > valid."""
    if voided:
        return DocumentStatus.VOIDED
    if withdrawal == WithdrawalKind.REVOKED:
        return DocumentStatus.REVOKED
    if withdrawal == WithdrawalKind.REPLACED:
        return DocumentStatus.REPLACED
    return DocumentStatus.VALID


class IssuedDocument(LedgerState, AppendOnlyModel):
    """已签发文书 — the sealed PDF a party can hold, of one version of a complete record."""

    ledger_object_type = "issued_document"
    ledger_state_fields = ("record_id", "record_version", "number_id", "kind", "pdf_sha256", "archive_sha256",
                           "token", "issued_by_id", "issued_at")

    record = models.ForeignKey("records.Record", on_delete=models.PROTECT, related_name="+", verbose_name="记录")
    record_version = models.PositiveIntegerField("记录版本")
    number = models.OneToOneField(DocumentNumber, on_delete=models.PROTECT, related_name="document",
                                  verbose_name="文号")
    kind = models.CharField("文书种类", max_length=60)
    # The sealed PDF and its PDF/A archive copy, by SHA-256 (media.Blob's key).
    pdf_sha256 = models.CharField("盖章 PDF SHA-256", max_length=64)
    archive_sha256 = models.CharField("PDF/A 归档件 SHA-256", max_length=64)
    # The short random part of the verification link ({LIUHEN_PUBLIC_URL}/v/<token>).
    token = models.CharField("验真码", max_length=16, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="签发人")
    issued_at = models.DateTimeField("签发时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "已签发文书"
        # One issued document per record version: issuing twice is refused by the service, and the
        # database refuses it when two requests race.
        constraints = [models.UniqueConstraint(fields=["record", "record_version"], name="issued_once_per_version")]

    def __str__(self):
        return f"{self.number.text}"

    @property
    def status(self) -> str:
        """valid / voided / revoked / replaced (DocumentStatus), read from the rows now (once per reading
        request: a case page's parts ask it of the same documents, common.memo)."""
        return memo.remember(("documents.status", self.pk), lambda: document_status(
            voided=NumberVoid.objects.filter(number_id=self.number_id).exists(),
            withdrawal=DocumentWithdrawal.objects.filter(document_id=self.pk).values_list("kind", flat=True).first()))


class DocumentWithdrawal(LedgerState, AppendOnlyModel):
    """文书撤销 / 被替换 — an issued document whose legal effect the agency ended: revoked (撤销, e.g.
    after 行政复议 or the agency's own correction, 行政处罚法 75) or replaced (被替换) by a corrected
    document issued with a new 文号 (`replacement`). Its reason stays with it; the document keeps
    its row, its number and its verification page, which says so."""

    ledger_object_type = "document_withdrawal"
    ledger_state_fields = ("document_id", "kind", "reason", "replacement_id", "withdrawn_by_id", "withdrawn_at")

    # One per document (the database refuses a second): a document is revoked or replaced once.
    document = models.OneToOneField(IssuedDocument, on_delete=models.PROTECT, related_name="withdrawal",
                                    verbose_name="文书")
    kind = models.CharField("类型", max_length=20, choices=WithdrawalKind.choices)
    reason = models.CharField("理由", max_length=500)
    replacement = models.OneToOneField(IssuedDocument, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="replaces", verbose_name="替换文书")
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="决定人")
    withdrawn_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "文书撤销与替换"
        constraints = [
            # A replaced document names the document that replaced it; a revoked one names none.
            models.CheckConstraint(
                condition=(models.Q(kind="replaced", replacement__isnull=False)
                           | models.Q(kind="revoked", replacement__isnull=True)),
                name="withdrawal_replacement_iff_replaced"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.document}"
