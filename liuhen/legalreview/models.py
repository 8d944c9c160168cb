"""重大执法决定法制审核 (LW-L; 行政处罚法 58): what is major, the submission and its materials, the
review point by point, its clock's extension, and a disagreement decided after collective discussion.

Every row is appended with its ledger event in the same transaction (services.py) and never updated:
the state of a review is read from the rows (selectors.py). The reviewer's conclusion and opinion are
also the reviewer's signature on the case's 法制审核意见 record (records.Signature: decision, opinion),
which is what the documents app renders and seals as the 法制审核意见书; the review points answered
one by one are the `Review` row bound to that signature.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class Outcome(models.TextChoices):
    """审核结论 (LW-L 15): the five outcomes, in the words the reviewer signs (records' reviewer_decisions)."""

    AGREE = "同意", "同意"
    INVESTIGATE = "补充调查或不予决定", "补充调查或不予决定"
    CHANGE = "变更", "变更"
    CORRECT = "纠正程序", "纠正程序"
    TRANSFER = "移送", "移送"


class Verdict(models.TextChoices):
    """How one review point (审核要点) stands."""

    FINE = "符合规定", "符合规定"
    PROBLEM = "存在问题", "存在问题"
    NOT_APPLICABLE = "不涉及", "不涉及"


class RulingConclusion(models.TextChoices):
    """The head's decision after the collective discussion of a disagreement (LW-L 17)."""

    FOLLOW_REVIEW = "follow_review", "采纳法制审核意见"
    FOLLOW_UNIT = "follow_unit", "采纳承办机构意见，按拟定决定办理"


class Assessment(LedgerState, AppendOnlyModel):
    """重大执法决定认定: the system's proposal from the case's facts (`proposed`, the criteria met and the
    facts read) and the handler's conclusion (`major`); a conclusion that differs from the proposal
    carries its reason. The latest row of a case counts; earlier ones stay as its history."""

    ledger_object_type = "major_assessment"
    ledger_state_fields = ("case_id", "proposed", "criteria", "judged", "facts", "major", "reason", "decided_by_id",
                           "decided_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    proposed = models.BooleanField("系统建议属于重大执法决定")
    criteria = models.JSONField("符合的标准", default=list)  # ids of the profile's major criteria met
    judged = models.JSONField("承办人员判断的情形", default=list)  # ids of judgement criteria ticked
    facts = models.JSONField("据以判断的事实", default=dict)
    major = models.BooleanField("认定属于重大执法决定")
    reason = models.CharField("理由", max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="认定人")
    decided_at = models.DateTimeField("认定时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "重大执法决定认定"
        ordering = ["id"]


class Submission(LedgerState, AppendOnlyModel):
    """送审 (LW-L 11-12): the package as it was when submitted — each item with the records it holds,
    by id, version and content hash — and the 法制审核意见 record made for it, which the reviewer signs.
    The review clock runs from it (LW-L 16)."""

    ledger_object_type = "review_submission"
    ledger_state_fields = ("case_id", "record_id", "package", "note", "submitted_by_id", "submitted_at")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    record = models.OneToOneField("records.Record", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="法制审核意见记录")
    package = models.JSONField("送审材料")
    note = models.TextField("送审说明", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="送审人")
    submitted_at = models.DateTimeField("送审时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "法制审核送审"
        ordering = ["id"]


class MaterialRequest(LedgerState, AppendOnlyModel):
    """补充材料 (LW-L 11: 在指定期限内提交): the reviewer finds the materials wanting and asks for more by a date."""

    ledger_object_type = "review_material_request"
    ledger_state_fields = ("submission_id", "what", "due_on", "requested_by_id", "requested_at")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="requests")
    what = models.TextField("需补充的材料")
    due_on = models.DateField("补充期限")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "补充材料通知"
        ordering = ["id"]


class MaterialAnswer(LedgerState, AppendOnlyModel):
    """The handlers' answer to a request: what they supplied (a note, and the records added since)."""

    ledger_object_type = "review_material_answer"
    ledger_state_fields = ("request_id", "note", "records", "answered_by_id", "answered_at")

    request = models.OneToOneField(MaterialRequest, on_delete=models.PROTECT, related_name="answer")
    note = models.TextField("补充说明")
    records = models.JSONField("补充的记录", default=list)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "补充材料"
        ordering = ["id"]


class ExtensionRequest(LedgerState, AppendOnlyModel):
    """延长审核期限的申请 (LW-L 16): by the reviewer, with the reason."""

    ledger_object_type = "review_extension_request"
    ledger_state_fields = ("submission_id", "reason", "requested_by_id", "requested_at")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="extension_requests")
    reason = models.CharField("理由", max_length=500)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "延长审核期限申请"
        ordering = ["id"]


class ExtensionDecision(LedgerState, AppendOnlyModel):
    """The head's answer to an extension request (LW-L 16: once, with approval)."""

    ledger_object_type = "review_extension_decision"
    ledger_state_fields = ("request_id", "approved", "opinion", "decided_by_id", "decided_at")

    request = models.OneToOneField(ExtensionRequest, on_delete=models.PROTECT, related_name="decision")
    approved = models.BooleanField("批准")
    opinion = models.CharField("意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "延长审核期限审批"
        ordering = ["id"]


class Review(LedgerState, AppendOnlyModel):
    """审核意见 (LW-L 13, 15): each review point with its verdict and note, the outcome and the opinion —
    the outcome and opinion are those of the reviewer's signature (`signature`) on the submission's
    法制审核意见 record, written in the same transaction."""

    ledger_object_type = "legal_review"
    ledger_state_fields = ("submission_id", "signature_id", "points", "outcome", "opinion", "reviewer_id",
                           "reviewed_at")

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="review")
    signature = models.OneToOneField("records.Signature", on_delete=models.PROTECT, related_name="+")
    points = models.JSONField("审核要点")
    outcome = models.CharField("审核结论", max_length=20, choices=Outcome.choices)
    opinion = models.TextField("审核意见")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="审核人")
    reviewed_at = models.DateTimeField("审核时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "法制审核意见"
        ordering = ["id"]


class Disagreement(LedgerState, AppendOnlyModel):
    """承办机构的不同意见 (LW-L 17): both opinions go to the agency head."""

    ledger_object_type = "review_disagreement"
    ledger_state_fields = ("review_id", "opinion", "raised_by_id", "raised_at")

    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="disagreement")
    opinion = models.TextField("承办机构意见")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见分歧"
        ordering = ["id"]


class Ruling(LedgerState, AppendOnlyModel):
    """The agency head's decision on a disagreement after the collective discussion (集体讨论), whose
    minutes, participants and conclusion are the case's complete 集体讨论记录 (`discussion`)."""

    ledger_object_type = "review_ruling"
    ledger_state_fields = ("disagreement_id", "discussion_id", "conclusion", "opinion", "decided_by_id",
                           "decided_at")

    disagreement = models.OneToOneField(Disagreement, on_delete=models.PROTECT, related_name="ruling")
    discussion = models.ForeignKey("records.Record", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="集体讨论记录")
    conclusion = models.CharField("决定", max_length=20, choices=RulingConclusion.choices)
    opinion = models.TextField("意见")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "分歧决定"
        ordering = ["id"]


class Qualification(LedgerState, AppendOnlyModel):
    """法律职业资格 of a 法制审核人员 (行政处罚法 58 第二款: 初次从事法制审核的人员应当取得): the
    certificate number, recorded by a system administrator. The latest row of a person counts."""

    ledger_object_type = "reviewer_qualification"
    ledger_state_fields = ("user_id", "certificate_number", "obtained_on", "recorded_by_id", "recorded_at")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="法制审核人员")
    certificate_number = models.CharField("法律职业资格证书编号", max_length=40)
    obtained_on = models.DateField("取得日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "法律职业资格"
        ordering = ["id"]
