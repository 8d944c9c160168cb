"""The archive room's rows, each appended with its ledger event (services.py) and never updated:

- Supplement (案卷归档后补充材料): a later paper added to an archived case — a court's judgement, a
  reconsideration decision — by the archivist; the archived file itself never changes.
- ImportedPackage / ImportedFile: an archival package (归档信息包) of another Liuhen instance taken in
  after its 四性检测 passed (issue 19 item 4), kept read-only: every file of the bag a stored blob."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class SupplementKind(models.TextChoices):
    JUDGEMENT = "法院判决", "法院判决"
    RECONSIDERATION = "复议决定", "复议决定"
    OTHER = "其他", "其他"


class Supplement(LedgerState, AppendOnlyModel):
    """补充材料 — one paper added to an archived case after archiving, with its file (PDF, JPEG, PNG)."""

    ledger_object_type = "archive_supplement"
    ledger_state_fields = ("case_id", "title", "kind", "note", "file_id", "filename", "content_type",
                           "added_by_id", "added_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    title = models.CharField("题名", max_length=200)
    kind = models.CharField("类别", max_length=20, choices=SupplementKind.choices)
    note = models.TextField("说明", blank=True)
    file = models.ForeignKey("media.Blob", on_delete=models.PROTECT, related_name="+", verbose_name="文件")
    filename = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="登记人")
    added_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "归档后补充材料"
        ordering = ["id"]


class AssembledFile(LedgerState, AppendOnlyModel):
    """组卷 — the case file as assembled (BX 11, LC 31, LQ 28): the 案卷 PDF/A and each document never
    issued as its own PDF/A, rendered once and stored, so that every later export and download hands on
    the same bytes — a template or a profile changed later never changes an archived file. Appended
    again only when the file changed (a record completed in 归档管理, a supplement after archiving):
    `key` names what was assembled (archive.assembly.file_key), the latest row with the case's key is
    the file."""

    ledger_object_type = "archive_assembled_file"
    ledger_state_fields = ("case_id", "key", "volume_id", "volume_pages", "document_pages", "assembled_by_id",
                           "assembled_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    key = models.CharField("组卷内容标识", max_length=64)
    volume = models.ForeignKey("media.Blob", on_delete=models.PROTECT, related_name="+", verbose_name="案卷 PDF")
    volume_pages = models.PositiveIntegerField("案卷总页数")
    document_pages = models.PositiveIntegerField("卷内文件页数")
    assembled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                     verbose_name="组卷人")
    assembled_at = models.DateTimeField("组卷时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "组卷"
        ordering = ["id"]


class AssembledDocument(LedgerState, AppendOnlyModel):
    """One document of an assembled file never issued, as its own PDF/A (an issued one is its stored
    archive copy already): the record, its version, the PDF/A stored and its pages."""

    ledger_object_type = "archive_assembled_document"
    ledger_state_fields = ("assembly_id", "record_id", "version", "blob_id", "pages")

    assembly = models.ForeignKey(AssembledFile, on_delete=models.PROTECT, related_name="documents")
    record = models.ForeignKey("records.Record", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField("版本")
    blob = models.ForeignKey("media.Blob", on_delete=models.PROTECT, related_name="+")
    pages = models.PositiveIntegerField("页数")

    class Meta:
        verbose_name = verbose_name_plural = "组卷文件"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["assembly", "record"], name="archive_assembled_document_once")]


class ImportedPackage(LedgerState, AppendOnlyModel):
    """接收的归档信息包 — a package of another instance, as it was checked: where it came from, its
    卷内目录, the checkpoint it proves against, the key it was checked with, the 四性 report's lines."""

    ledger_object_type = "archive_imported_package"
    ledger_state_fields = ("agency_id", "source_agency", "source_origin", "case_number", "title", "catalog",
                           "catalog_sha256", "checkpoint", "vkey", "own_key", "report", "tagmanifest_sha256",
                           "imported_by_id", "imported_at")

    # The agency of whoever imported it (None: imported by the system, seen by every agency's archive).
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    source_agency = models.CharField("来源机关", max_length=200)
    source_origin = models.CharField("来源日志", max_length=200)
    case_number = models.CharField("案件编号", max_length=100)
    title = models.CharField("案由", max_length=300)
    catalog = models.JSONField("卷内目录")
    catalog_sha256 = models.CharField("目录 SHA-256", max_length=64, unique=True)
    checkpoint = models.TextField("检查点")
    vkey = models.TextField("验证公钥")
    own_key = models.BooleanField("用包内自带公钥验证", default=False)
    report = models.JSONField("四性检测报告")  # the checker's lines, in order
    tagmanifest_sha256 = models.CharField("标签清单 SHA-256", max_length=64, unique=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True, verbose_name="接收人")
    imported_at = models.DateTimeField("接收时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "接收的归档信息包"
        ordering = ["-id"]


class ImportedFile(LedgerState, AppendOnlyModel):
    """One file of an imported bag (its payload, metadata, ledger entries, the bag's own tag files), by
    its path in the bag, stored as a blob."""

    ledger_object_type = "archive_imported_file"
    ledger_state_fields = ("package_id", "path", "blob_id", "size", "number")

    package = models.ForeignKey(ImportedPackage, on_delete=models.PROTECT, related_name="files")
    path = models.CharField("路径", max_length=500)
    blob = models.ForeignKey("media.Blob", on_delete=models.PROTECT, related_name="+")
    size = models.BigIntegerField("大小")
    number = models.PositiveIntegerField("件号", null=True, blank=True)  # the catalog item's, for its content file

    class Meta:
        verbose_name = verbose_name_plural = "接收的归档信息包文件"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["package", "path"], name="archive_imported_file_once")]
