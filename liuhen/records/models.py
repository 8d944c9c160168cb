"""Text records of a case: a header, immutable versions, attachments, signatures and voids.

Nothing here is updated or deleted (SPEC §4): editing creates a RecordVersion, signing a Signature,
voiding a RecordVoid. A record's state is derived from those rows.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.cases.models import Stage
from liuhen.common.append_only import AppendOnlyModel, AppendOnlyQuerySet
from liuhen.ledger.subjects import LedgerState


class RecordType(LedgerState, models.Model):
    """记录类型 — one kind of document, with the fields it holds and who must sign it."""

    # Every column: the schema decides what a record must contain, the signature rule who must sign
    # it, the stage where it belongs, `active` whether it may still be made. Written by the catalog
    # sync (catalog_sync) and the admin, each logging the digest; `liuhen verify` checks it.
    ledger_object_type = "recordtype"
    ledger_state_fields = ("code", "name", "stage", "fields", "signature_rule", "position", "active")

    code = models.SlugField("代码", max_length=60, unique=True,
                            help_text="英文小写字母、数字、连字符或下划线，创建后请勿更改")
    name = models.CharField("名称", max_length=60)
    stage = models.CharField("所属阶段", max_length=20, choices=Stage.choices)
    fields = models.JSONField(
        "字段", default=list,
        help_text='字段列表（JSON 数组），每个字段如 {"name": "place", "label": "地点", "type": "text"}；'
                  "类型可为 text（单行文本）、textarea（多行文本）、date（日期）、datetime（日期时间）、"
                  'integer（整数）、choice（单选，须有 "choices" 选项列表）、bool（是/否）；'
                  '"required": false 表示选填。修改只对此后新建的记录生效。')
    signature_rule = models.JSONField(
        "签字要求", default=dict,
        help_text='如 {"officers": 2, "party": true, "leader": "agency_head"}：officers 执法人员人数，'
                  "party 当事人签字，leader 负责人（true 任一负责人，unit_head 承办机构负责人，"
                  "agency_head 机关负责人），reviewer 法制审核人员，archivist 档案管理员。"
                  "修改只对此后新建的记录生效。")
    position = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True, help_text="停用后不能再新建该类型的记录，已有记录不受影响")

    class Meta:
        verbose_name = verbose_name_plural = "记录类型"
        ordering = ["position"]

    def __str__(self):
        return self.name


class RecordTypeVersion(AppendOnlyModel):
    """记录类型版本 — the fields and signature rule a record type had from a moment on.

    Appended whenever a type is created or its fields or rule change (catalog sync, admin); each
    record pins the version it was made under, so that a changed rule applies only to records made
    after it. Logged (`records.type_version`) and checked by `liuhen verify`.
    """

    record_type = models.ForeignKey(RecordType, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本")
    fields = models.JSONField("字段")
    signature_rule = models.JSONField("签字要求")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "记录类型版本"
        constraints = [models.UniqueConstraint(fields=["record_type", "number"], name="type_version_once")]
        ordering = ["record_type", "number"]


class Record(AppendOnlyModel):
    """执法记录 — a document of a case, in one stage."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="records")
    record_type = models.ForeignKey(RecordType, on_delete=models.PROTECT, related_name="+")
    # The rule the record was made under. Empty only for records made before rules were pinned
    # (migration 0004): those were made under the type's version 1.
    type_version = models.ForeignKey(RecordTypeVersion, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # The rule in force for this record when it was made: its type's pinned rule with the overrides
    # of its case's kind and procedure (rules.OVERRIDES, e.g. 行政处罚法 art. 57). A later change of
    # the overrides does not reach back (issue 12 review §5). Empty for records made before it was
    # pinned: those are judged as they were then (selectors.rule_of). Logged by `record.create`.
    rule = models.JSONField("适用的签字要求", null=True, blank=True)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    serial = models.PositiveIntegerField("案内序号")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法记录"
        constraints = [models.UniqueConstraint(fields=["case", "serial"], name="record_serial_once")]
        ordering = ["serial"]

    def __str__(self):
        return f"{self.record_type.name}（第{self.serial}号）"


class RecordVersion(AppendOnlyModel):
    """One version of a record's content. Version 1 is the record as first written."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本")
    content = models.JSONField("内容")
    content_sha256 = models.CharField(max_length=64)
    reason = models.CharField("修改理由", max_length=500, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "记录版本"
        constraints = [models.UniqueConstraint(fields=["record", "number"], name="version_number_once")]
        ordering = ["number"]


class Attachment(AppendOnlyModel):
    """附件 — a stored file (by hash) attached to a record while it was unsigned."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="attachments")
    blob = models.ForeignKey("media.Blob", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["id"]


class SignerRole(models.TextChoices):
    OFFICER = "officer", "执法人员"
    PARTY = "party", "当事人"
    WITNESS = "witness", "见证人"
    LEADER = "leader", "负责人"
    REVIEWER = "reviewer", "法制审核人员"
    ARCHIVIST = "archivist", "档案管理员"
    OTHER = "other", "其他人员"


class Outcome(models.TextChoices):
    SIGNED = "signed", "已签字"
    REFUSED = "refused", "拒绝签字"


class MarkKind(models.TextChoices):
    """签名笔迹 — how the handwritten signature of a party or witness was taken (issue 16 §5)."""

    CANVAS = "canvas", "手写板签名"  # drawn with a finger or stylus on a tablet or phone
    PHOTO = "photo", "纸质签字照片"  # a photo of the paper the person signed


class SignatureQuerySet(AppendOnlyQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        from .summary import refresh

        refresh({o.record_id for o in objs})  # as Signature.save does, whatever the path
        return objs


class Signature(AppendOnlyModel):
    """签字/盖章 on one version — or a refusal to sign, with its reason (LQ 17).

    Officers and leaders sign as themselves (their login). A party or witness signs on paper or
    pad in front of the officer who records it (`recorded_by`) under the name given.
    `digest` binds every field of the row (signer id and name, role, outcome, refusal reason,
    recording officer, time) to the exact content and files signed; the ledger event keeps the
    signature's id and digest, never the name or reason (ledger_checks.signature_digest).
    """

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="signatures")
    version = models.ForeignKey(RecordVersion, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField("身份", max_length=20, choices=SignerRole.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    signer_name = models.CharField("签字人", max_length=100)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.SIGNED)
    refusal_reason = models.CharField("拒签事由", max_length=500, blank=True)
    # A 负责人, 法制审核人员 or 档案管理员 writes their own part when signing: the decision (同意 /
    # 不同意 / 退回, or the 法制审核 conclusions of LW-L 15) and the opinion (意见), required when
    # the decision is not 同意. Empty for officers, parties and witnesses.
    decision = models.CharField("决定", max_length=20, blank=True)
    # The role the signer held and signed as (承办机构负责人, 机关负责人, 法制审核人员, 档案管理员):
    # a signature counts for what its signer was when signing, not for the roles they hold today
    # (issue 12 review §5). Bound by digest scheme 4; empty for officers, parties and witnesses, and
    # for capacity signatures made before (scheme 2-3), which are judged by the signer's roles.
    signer_role = models.CharField("签字时身份", max_length=20, blank=True)
    opinion = models.CharField("意见", max_length=2000, blank=True)
    # 签名笔迹: the image of a party's, witness's or other person's handwritten signature — drawn on
    # a tablet or phone, or a photo of the signed paper — kept as the bytes taken (evidence) in the
    # content-addressed store. A foreign key to the Blob (whose key is the SHA-256), as attachments
    # and 补充材料 do: the row cannot name bytes that were never stored, the store's blob checks and
    # retention's "who still needs these bytes" see it. Bound by digest scheme 5; empty for
    # officers' and capacity signatures, refusals, and every signature made before (schemes 2-4).
    mark = models.ForeignKey("media.Blob", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="签名笔迹")
    mark_kind = models.CharField("签名笔迹类型", max_length=10, choices=MarkKind.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    digest = models.CharField(max_length=64)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "签字"
        ordering = ["id"]

    @property
    def in_capacity(self) -> bool:
        """Signed as 负责人, 法制审核人员 or 档案管理员: with a decision and an opinion of their own."""
        return self.role in (SignerRole.LEADER, SignerRole.REVIEWER, SignerRole.ARCHIVIST)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .summary import refresh

        refresh([self.record_id])  # in the signature's transaction: the scan never sees one without the other


class SignatureSummary(models.Model):
    """A record's signatures summed up — derived, never a record of its own: what the findings scan
    reads in place of two and a half signatures per record (records.bulk). Rewritten from the
    signatures in the transaction that stores each one (`Signature.save` → `summary.refresh`);
    `liuhen verify` recomputes every summary and reports one that differs (records.E033). A record
    with no signature has no row. The columns are `summary.COLUMNS`; `first_<capacity>_<role>`: the
    first signature in that capacity by a signer who signed as that role (`bulk._PIVOT`; check
    records.E101 asks for one column per pair)."""

    record = models.OneToOneField(Record, primary_key=True, on_delete=models.PROTECT, related_name="+")
    officer_rows = models.PositiveIntegerField(default=0)  # signatures as officer
    officer_low = models.BigIntegerField(null=True)  # lowest and highest officer who signed: two
    officer_high = models.BigIntegerField(null=True)  # rows by two officers are two officers
    officer_last = models.DateTimeField(null=True)
    party_first = models.DateTimeField(null=True)
    odd = models.PositiveIntegerField(default=0)  # signatures only a look at each can judge
    first_leader_agency_head = models.DateTimeField(null=True)
    first_leader_unit_head = models.DateTimeField(null=True)
    first_reviewer_legal_reviewer = models.DateTimeField(null=True)
    first_archivist_archivist = models.DateTimeField(null=True)

    class Meta:
        verbose_name = verbose_name_plural = "签字汇总"


class RefusalConfirmation(AppendOnlyModel):
    """An officer's confirmation of a refusal to sign; a refusal stands with two or more (LQ 17)."""

    signature = models.ForeignKey(Signature, on_delete=models.PROTECT, related_name="confirmations")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signature", "officer"], name="confirm_once")]


class Supplement(AppendOnlyModel):
    """补充材料 — files added to a record after it was signed (a photo of the signed paper copy, a
    later document), with a note. The signed version and its digest stay as they were."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="supplements")
    note = models.CharField("说明", max_length=1000, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "补充材料"
        ordering = ["id"]


class SupplementFile(AppendOnlyModel):
    """One file of a 补充材料."""

    supplement = models.ForeignKey(Supplement, on_delete=models.PROTECT, related_name="files")
    blob = models.ForeignKey("media.Blob", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "补充材料文件"
        ordering = ["id"]


class RecordVoid(AppendOnlyModel):
    """作废 — the record stays, with its history, marked void with the reason."""

    record = models.OneToOneField(Record, on_delete=models.PROTECT, related_name="void")
    reason = models.CharField("作废理由", max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voided_at = models.DateTimeField(auto_now_add=True)
