"""案卷评查 — the agency's evaluation of its archived case files against the score card of each
case's profile (BX 4, LQ 20, LQ 30: evaluation of the files feeds the supervision of enforcement).

Every row is append-only and logged with the digest of its stored state (LedgerState):

- a round (评查轮次): the scope (archived case files of a period, a unit, a kind), the population's
  size and digest, the seed, the drawn sample and the score cards pinned from each sampled case's
  profile — the sample is a function of (seed, population) alone (liuhen.common.sampling), so
  anyone can draw it again from the log, and nobody can draw it again differently;
- a score (评分) per sampled case file, item by item; a correction is a new row superseding the
  earlier one (at most once), with its reason;
- the unit's answer (整改反馈) to a file's score, and the evaluator's response to it;
- a round's closing (结束), once every sampled file has a score.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class Stance(models.TextChoices):
    ACCEPT = "accept", "无异议"
    OBJECT = "object", "有异议"


class Round(LedgerState, AppendOnlyModel):
    """评查轮次 — one random sample of the agency's archived case files, with the score cards they
    are held to (each case's profile version, pinned here as data)."""

    ledger_object_type = "evaluation_round"
    ledger_state_fields = ("agency_id", "title", "unit_id", "kind", "period_from", "period_to", "criteria",
                           "requested", "population_size", "population_digest", "seed", "seed_given", "sample",
                           "cards", "case_cards", "opened_by_id", "opened_at")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("评查名称", max_length=100)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="承办机构")
    kind = models.CharField("执法类别", max_length=20, blank=True)  # a cases.models.Kind code, "" for all
    period_from = models.DateField("归档日期起")
    period_to = models.DateField("归档日期止")
    # What the population is, exactly: the instants of the period, the unit, the kind, the draw time.
    # selectors.population(criteria) reads it.
    criteria = models.JSONField("抽取条件")
    requested = models.PositiveIntegerField("抽取数量")
    population_size = models.PositiveIntegerField("总体数量")
    population_digest = models.CharField("总体摘要", max_length=64)
    seed = models.CharField("随机种子", max_length=64)
    seed_given = models.BooleanField("种子由评查人给定", default=False)
    sample = models.JSONField("样本")  # the sampled case ids in their drawn order
    # The score cards in force for the sampled files, pinned: {card key: card} where a card is the
    # profile's Scorecard as data with the profile's code, version and sha256 (scoring.card_of).
    cards = models.JSONField("评查标准")
    case_cards = models.JSONField("案卷适用的评查标准")  # {case id as text: card key}
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="组织人")
    opened_at = models.DateTimeField("抽取时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "评查轮次"
        indexes = [models.Index(fields=["agency", "opened_at"])]

    def __str__(self):
        return self.title or f"第 {self.pk} 轮评查"

    @property
    def kind_label(self) -> str:
        from liuhen.cases.models import Kind

        return Kind(self.kind).label if self.kind in Kind.values else "全部执法类别"

    def card_for(self, case_id) -> dict:
        return self.cards[self.case_cards[str(case_id)]]


class Score(LedgerState, AppendOnlyModel):
    """评分 — one evaluator's score of one sampled case file, item by item. The current score of a
    file is the one nobody superseded; a later one supersedes it with a reason (更正理由)."""

    ledger_object_type = "evaluation_score"
    ledger_state_fields = ("round_id", "case_id", "card", "results", "hard_failed", "sections", "total", "grade",
                           "note", "reason", "supersedes_id", "evaluator_id", "recorded_at")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="scores")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    card = models.CharField("评查标准", max_length=100)  # the key of the round's pinned card
    # [{"id", "section" ("" for a hard-fail item), "failed" (hard-fail), "deduction", "note"}] in card order
    results = models.JSONField("评查结果")
    hard_failed = models.BooleanField("一票否决", default=False)
    sections = models.JSONField("分项得分")  # [{"id", "label", "points", "deducted", "score"}]
    total = models.PositiveSmallIntegerField("总分")
    grade = models.CharField("等次", max_length=20)
    note = models.CharField("评查意见", max_length=1000, blank=True)
    reason = models.CharField("更正理由", max_length=500, blank=True)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name="取代")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="评查人")
    recorded_at = models.DateTimeField("评分时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "案卷评分"


class Answer(LedgerState, AppendOnlyModel):
    """整改反馈 — the unit's answer to the score of one of its files: no objection, or an objection
    with its reason; and what the unit corrected. A later answer stands beside the earlier ones."""

    ledger_object_type = "evaluation_answer"
    ledger_state_fields = ("round_id", "case_id", "score_id", "stance", "reason", "corrected", "answered_by_id",
                           "answered_at")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="answers")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    score = models.ForeignKey(Score, on_delete=models.PROTECT, related_name="answers", verbose_name="所答评分")
    stance = models.CharField("意见", max_length=10, choices=Stance.choices)
    reason = models.CharField("异议理由", max_length=1000, blank=True)
    corrected = models.CharField("整改情况", max_length=1000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="反馈人")
    answered_at = models.DateTimeField("反馈时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "整改反馈"


class Response(LedgerState, AppendOnlyModel):
    """评查人回复 — the evaluator's response to a unit's answer (e.g. to an objection)."""

    ledger_object_type = "evaluation_response"
    ledger_state_fields = ("answer_id", "text", "responded_by_id", "responded_at")

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="responses")
    text = models.CharField("回复", max_length=1000)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="回复人")
    responded_at = models.DateTimeField("回复时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "评查回复"


class RoundClose(LedgerState, AppendOnlyModel):
    """结束评查 — the round closed, with its grade distribution; no score after it."""

    ledger_object_type = "evaluation_close"
    ledger_state_fields = ("round_id", "summary", "closed_by_id", "closed_at")

    round = models.OneToOneField(Round, on_delete=models.PROTECT, related_name="closing")
    summary = models.JSONField("结果统计")  # {"files", "average", "grades": {label: n}, "hard_failed"}
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="结束人")
    closed_at = models.DateTimeField("结束时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "结束评查轮次"
