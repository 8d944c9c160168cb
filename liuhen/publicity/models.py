"""公示 — the rows of what the agency publishes (LW-P; 行政处罚法 48, 85): an entry (公示条目) of a kind — a
decision, the agency's own information, an enforcement matter, a supervision channel, a discretion
benchmark, a year's statistics — with its versions (公示稿: the text the public reads and, for a decision,
the text as served with the map of what was removed), the steps each version went through (审核, 批准,
发布) and the entry's end (撤回 with its public reason, 到期撤下, 提前撤下); a case's decision not to be
published (不予公开) with its ground; the public's comments and the agency's replies.

Every row is appended with its ledger event in the same transaction (services.py) and never updated:
a version's state and an entry's status are derived from the steps and the date (selectors.py)."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.common.fields import EncryptedTextField
from liuhen.ledger.subjects import LedgerState


class EntryKind(models.TextChoices):
    DECISION = "decision", "行政处罚决定"
    AGENCY = "agency", "机关信息"
    MATTER = "matter", "执法事项"
    CHANNEL = "channel", "监督投诉渠道"
    BENCHMARK = "benchmark", "裁量基准"
    STATISTICS = "statistics", "年度执法数据"


class StepKind(models.TextChoices):
    REVIEW = "review", "审核"
    APPROVE = "approve", "批准"
    PUBLISH = "publish", "发布"
    WITHDRAW = "withdraw", "撤回"
    REMOVE = "remove", "到期撤下"
    REMOVE_EARLY = "remove_early", "提前撤下"


# LW-P 9 (公开前审核): what the reviewer confirms before anything appears (10: the secrecy review).
REVIEW_CHECKS = (("scope", "公开范围"), ("secrets", "不涉及国家秘密"), ("trade_secrets", "不涉及商业秘密"),
                 ("privacy", "已去除个人隐私"), ("form", "公开形式"), ("timing", "公开时限"), ("accuracy", "内容准确"))


class ExemptionGround(models.TextChoices):
    MINOR = "minor", "涉及未成年人"
    STATE_SECRET = "state_secret", "涉及国家秘密"
    TRADE_SECRET = "trade_secret", "涉及商业秘密"
    PRIVACY = "privacy", "涉及个人隐私"


class CommentKind(models.TextChoices):
    COMMENT = "comment", "意见建议"
    OBJECTION = "objection", "异议"
    ERROR = "error", "纠错"


class Entry(LedgerState, AppendOnlyModel):
    """公示条目 — one thing the agency publishes, under a number that stays in its URL for good."""

    ledger_object_type = "publicity_entry"
    ledger_state_fields = ("agency_id", "kind", "number", "case_id", "year", "created_by_id", "created_at")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="机关")
    kind = models.CharField("类别", max_length=20, choices=EntryKind.choices)
    number = models.CharField("公示编号", max_length=20, unique=True)  # 2026-0001
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                             verbose_name="案件")
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)  # statistics
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="创建人")
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "公示条目"
        ordering = ["id"]

    def __str__(self):
        return self.number


class Version(LedgerState, AppendOnlyModel):
    """公示稿 — one text of an entry. For a decision: `source` is the text as served (encrypted, never
    public; its SHA-256 is logged), `redactions` the spans removed from it (publicity.redact.Span as
    dicts), and `body` = redact.apply(source, redactions): anyone holding the served text can check that
    the published one is it minus exactly the listed spans (`liuhen verify`: publicity.E019)."""

    ledger_object_type = "publicity_version"
    ledger_state_fields = ("entry_id", "n", "title", "summary", "body", "source_sha256", "redactions",
                           "document_id", "public_until", "reason", "made_by_id", "made_at")

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="versions", verbose_name="条目")
    n = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=300)
    summary = models.JSONField("摘要", default=dict)  # label → text, in order (a decision's 摘要 and 双公示 fields)
    body = models.TextField("公示内容", blank=True)
    source = EncryptedTextField("送达文书文本", blank=True, default="")
    source_sha256 = models.CharField("送达文书文本 SHA-256", max_length=64, blank=True)
    redactions = models.JSONField("隐去内容", default=list)
    document = models.ForeignKey("documents.IssuedDocument", on_delete=models.PROTECT, related_name="+", null=True,
                                 blank=True, verbose_name="送达文书")
    public_until = models.DateField("公示截止", null=True, blank=True)
    reason = models.CharField("更正、变更理由", max_length=500, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="拟稿人")
    made_at = models.DateTimeField("拟稿时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "公示稿"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["entry", "n"], name="publicity_version_once")]


class Step(LedgerState, AppendOnlyModel):
    """审核 / 批准 / 发布 / 撤回 / 到期撤下 / 提前撤下 of a version (the entry's latest)."""

    ledger_object_type = "publicity_step"
    ledger_state_fields = ("version_id", "kind", "passed", "opinion", "checks", "reason", "actor_id", "at")

    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="steps", verbose_name="公示稿")
    kind = models.CharField("环节", max_length=20, choices=StepKind.choices)
    passed = models.BooleanField("通过", default=True)
    opinion = models.CharField("意见", max_length=1000, blank=True)
    checks = models.JSONField("审核事项", default=dict)
    reason = models.CharField("理由（公开）", max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                              blank=True, verbose_name="经办人")  # None: the expiry job
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "公示环节"
        ordering = ["id"]


class Exemption(LedgerState, AppendOnlyModel):
    """不予公开 — a case's decision that is not published online, and why (未成年人, 国家秘密, 商业秘密,
    个人隐私: 政府信息公开条例 14-15; 市场监管公示规定 9)."""

    ledger_object_type = "publicity_exemption"
    ledger_state_fields = ("case_id", "document_id", "ground", "note", "decided_by_id", "at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    document = models.ForeignKey("documents.IssuedDocument", on_delete=models.PROTECT, related_name="+", null=True,
                                 blank=True, verbose_name="决定书")
    ground = models.CharField("理由", max_length=20, choices=ExemptionGround.choices)
    note = models.CharField("说明", max_length=500)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="决定人")
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "不予公开决定"
        ordering = ["id"]


class Comment(LedgerState, AppendOnlyModel):
    """公众意见 — a comment, an objection or an error report on a published entry (LW-P 12)."""

    ledger_object_type = "publicity_comment"
    ledger_state_fields = ("entry_id", "kind", "text", "at")

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="comments", verbose_name="条目")
    kind = models.CharField("类别", max_length=20, choices=CommentKind.choices)
    text = models.TextField("内容")
    name = EncryptedTextField("姓名", blank=True, default="")
    contact = EncryptedTextField("联系方式", blank=True, default="")
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "公众意见"
        ordering = ["id"]


class Reply(LedgerState, AppendOnlyModel):
    """答复 — the agency's reply to a comment."""

    ledger_object_type = "publicity_reply"
    ledger_state_fields = ("comment_id", "text", "by_id", "at")

    comment = models.OneToOneField(Comment, on_delete=models.PROTECT, related_name="reply", verbose_name="意见")
    text = models.TextField("答复")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name="答复人")
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "答复"
        ordering = ["id"]
