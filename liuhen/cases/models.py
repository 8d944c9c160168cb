"""Cases (行政执法案件), their parties and officers, and the five-stage state machine."""
from django.conf import settings
from django.db import models

from liuhen.common import crypto
from liuhen.common.append_only import AppendOnlyModel
from liuhen.common.fields import EncryptedTextField


class Kind(models.TextChoices):
    """行政执法行为类别."""

    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    LEVY = "levy", "行政征收"
    CONFIRMATION = "confirmation", "行政确认"
    ADJUDICATION = "adjudication", "行政裁决"
    FEE = "fee", "行政收费"
    OTHER = "other", "其他"


# One character of the case number per kind: 本水罚〔2026〕3号
KIND_ABBR = {
    Kind.LICENSING: "许", Kind.PENALTY: "罚", Kind.COERCION: "强", Kind.INSPECTION: "检",
    Kind.LEVY: "征", Kind.CONFIRMATION: "确", Kind.ADJUDICATION: "裁", Kind.FEE: "费", Kind.OTHER: "其",
}


class Procedure(models.TextChoices):
    GENERAL = "general", "一般程序"
    SIMPLIFIED = "simplified", "简易程序"


class StartMode(models.TextChoices):
    """程序启动方式 (BX 5-6, LC 7-9, LQ 8)."""

    APPLICATION = "application", "依申请"
    EX_OFFICIO = "ex_officio", "依职权"
    COMPLAINT = "complaint", "举报投诉"
    ASSIGNED = "assigned", "交办转办"
    TRANSFERRED = "transferred", "移交"
    EMERGENCY = "emergency", "紧急先行启动"  # LC 8, LQ 8: approval back-filled within 24 h


class Stage(models.TextChoices):
    """The five recorded stages of an enforcement act (SPEC §1)."""

    START = "start", "程序启动"
    INVESTIGATION = "investigation", "调查取证"
    DECISION = "decision", "审查决定"
    SERVICE = "service", "送达执行"
    ARCHIVE = "archive", "归档管理"


STAGE_ORDER = [Stage.START, Stage.INVESTIGATION, Stage.DECISION, Stage.SERVICE, Stage.ARCHIVE]


class Case(models.Model):
    """行政执法案件. Its `stage` and `archived_at` change only through services.advance()/send_back(),
    which appends a StageTransition and a ledger entry in the same transaction."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField("案件编号", max_length=60, unique=True)
    title = models.CharField("案由", max_length=200)
    summary = models.TextField("简要案情", blank=True)
    kind = models.CharField("执法类别", max_length=20, choices=Kind.choices)
    procedure = models.CharField("程序", max_length=20, choices=Procedure.choices, default=Procedure.GENERAL)
    start_mode = models.CharField("启动方式", max_length=20, choices=StartMode.choices)
    on_site = models.BooleanField("涉及现场执法", default=True,
                                  help_text="现场执法应有两名以上持证执法人员")
    stage = models.CharField("当前阶段", max_length=20, choices=Stage.choices, default=Stage.START)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The agency profile version (执法规则配置) the case was opened under: its rules hold for the
    # whole case, whatever is loaded later. Null: opened before profiles, or while the agency had
    # none loaded — held to the packaged default (profiles.selectors.profile_for_case).
    profile_version = models.ForeignKey("profiles.ProfileVersion", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name="执法规则配置版本")

    class Meta:
        verbose_name = verbose_name_plural = "案件"
        constraints = [models.UniqueConstraint(fields=["agency", "year", "seq"], name="case_unique_seq")]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(Stage(self.stage))

    def delete(self, *args, **kwargs):
        raise PermissionError("案件不能删除。")


class CaseNumberCounter(models.Model):
    """The last case number given per agency and year, locked while a case is created."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="counter_unique")]


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class Party(AppendOnlyModel):
    """当事人. ID numbers, phones and addresses are encrypted at rest and found through a
    keyed blind index (SPEC §9); lists show them masked."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    kind = models.CharField("类型", max_length=20, choices=PartyKind.choices)
    name = models.CharField("姓名/名称", max_length=200)
    id_number = EncryptedTextField("身份证号码/统一社会信用代码")
    id_index = models.CharField(max_length=64, db_index=True, editable=False)
    legal_representative = models.CharField("法定代表人/负责人", max_length=50, blank=True)
    phone = EncryptedTextField("联系电话", blank=True, default="")
    address = EncryptedTextField("住所/地址", blank=True, default="")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    # A party entered wrongly is corrected by a new row superseding the old one, with the reason
    # (更正): the old row stays, visible in the party's history (nothing is updated in place).
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name="更正前版本")
    correction_reason = models.CharField("更正理由", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "当事人"
        ordering = ["id"]

    def __str__(self):
        return self.name

    @property
    def masked_id(self) -> str:
        # A credit code is public; a natural person's ID number is masked (个人信息保护法).
        if self.kind == PartyKind.ORGANISATION:
            return self.id_number
        return crypto.mask(self.id_number, 6, 4)

    @property
    def masked_phone(self) -> str:
        return crypto.mask(self.phone, 3, 4)

    @property
    def is_current(self) -> bool:
        """Not superseded by a correction."""
        try:
            self.superseded_by
        except Party.DoesNotExist:
            return True
        return False


class CaseOfficer(AppendOnlyModel):
    """An officer named on the case, with the certificate number valid when assigned (LC 10)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="officers")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments")
    is_lead = models.BooleanField("主办", default=False)
    certificate_number = models.CharField("执法证号", max_length=40)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "承办人员"
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="case_officer_once")]
        ordering = ["-is_lead", "id"]


class StageTransition(AppendOnlyModel):
    """One move of a case between stages; the history of `Case.stage`."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)  # blank: archived
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class GrantScope(models.TextChoices):
    VIEW = "view", "查阅"
    WORK = "work", "办理"


class AccessGrant(AppendOnlyModel):
    """A time-limited grant of access to one case (调阅授权, AS 14): honoured only from `valid_from`
    to `valid_until`, and not after a revocation row names it. Given by the agency head or the head
    of the case's unit, with a reason."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_grants")
    scope = models.CharField("范围", max_length=10, choices=GrantScope.choices)
    valid_from = models.DateTimeField("生效时间")
    valid_until = models.DateTimeField("截止时间")
    reason = models.CharField("理由", max_length=500)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "调阅授权"
        ordering = ["id"]


class AccessGrantRevocation(AppendOnlyModel):
    """The end of a grant before its time (撤销授权): appended, the grant row stays."""

    grant = models.OneToOneField(AccessGrant, on_delete=models.PROTECT, related_name="revocation")
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("理由", max_length=500)
    revoked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "撤销调阅授权"
