"""对接平台 — a supervision or provincial platform that calls the exchange API with a bearer token.

A client is an append-only row: its agency, the scopes it was granted, the token's SHA-256 (never the
token: a stolen database gives no working token) and when the token expires; a revocation is a row of
its own. Both are ledger subjects: scopes widened or an expiry moved by SQL is a finding of `liuhen
verify`. The per-minute call counter is the one mutable table: a rate limit, not a record."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class ApiClient(LedgerState, AppendOnlyModel):
    """对接平台 — its name within the agency, its scopes (vocabulary.SCOPES), its token's expiry and, for
    matters:write, the account its drafts are made as."""

    ledger_object_type = "api_client"
    ledger_state_fields = ("agency_id", "name", "scopes", "token_sha256", "expires_at", "account_id",
                           "created_by_id", "created_at")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name="执法机关")
    name = models.CharField("名称", max_length=100)
    scopes = models.JSONField("权限范围", default=list)
    token_sha256 = models.CharField("令牌摘要", max_length=64, unique=True)
    expires_at = models.DateTimeField("令牌有效期至")
    # The client's own account (matters:write only): who drafts what the platform sends, in the ledger
    # and on the draft — an officer-role account nobody can log in to (its password was never kept).
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="api_client", verbose_name="平台账号")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "对接平台"
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="api_client_unique_name")]
        ordering = ["name"]

    def __str__(self):
        return self.name


class ApiClientRevocation(LedgerState, AppendOnlyModel):
    """停用 — the client's token is refused from now on (a leaked token, a platform retired)."""

    ledger_object_type = "api_client_revocation"
    ledger_state_fields = ("client_id", "revoked_by_id", "revoked_at")

    client = models.OneToOneField(ApiClient, on_delete=models.PROTECT, related_name="revocation")
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="停用人")
    revoked_at = models.DateTimeField("停用时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "对接平台停用"


class CallCount(models.Model):
    """The calls of one client in one minute (the rate limit): raised by one atomic UPDATE … SET n = n + 1,
    so several server processes count together, on SQLite as on PostgreSQL."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "minute"], name="api_call_count_once")]


class ReceivedOfficer(LedgerState, AppendOnlyModel):
    """省级平台报送的执法人员 — the provincial platform's id of a person of the agency and the account
    made for them: a second call with the same id finds the account instead of making another."""

    ledger_object_type = "received_officer"
    ledger_state_fields = ("agency_id", "officer_id", "user_id", "client_id", "created_at")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法机关")
    officer_id = models.CharField("平台人员编号", max_length=64)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="received_as",
                                verbose_name="人员")
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="+", verbose_name="报送平台")
    created_at = models.DateTimeField("报送时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "平台报送的执法人员"
        constraints = [models.UniqueConstraint(fields=["agency", "officer_id"], name="received_officer_once")]


class PushBatch(LedgerState, AppendOnlyModel):
    """推送批次 — what is sent to the supervision platform for one agency: the cases, decisions and
    双公示 records changed since the previous acknowledged batch, and the year's figures, as the exact
    JSON bytes sent (every retry sends the same bytes) with their SHA-256."""

    ledger_object_type = "push_batch"
    ledger_state_fields = ("agency_id", "since", "until", "payload_sha256", "counts", "created_at")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法机关")
    since = models.DateTimeField("变化起始", null=True, blank=True)
    until = models.DateTimeField("变化截至")
    payload = models.TextField("推送内容（JSON）")
    payload_sha256 = models.CharField("推送内容摘要", max_length=64)
    counts = models.JSONField("条数", default=dict)
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "推送批次"
        ordering = ["pk"]


class PushAttempt(LedgerState, AppendOnlyModel):
    """推送尝试 — one sending of a batch and the platform's answer: its HTTP status (None: no answer —
    refused connection, timeout) and the start of its body; a 2xx acknowledges the batch."""

    ledger_object_type = "push_attempt"
    ledger_state_fields = ("batch_id", "n", "url", "status", "acknowledged", "answer", "at")

    batch = models.ForeignKey(PushBatch, on_delete=models.PROTECT, related_name="attempts", verbose_name="推送批次")
    n = models.PositiveIntegerField("第几次")
    url = models.CharField("推送地址", max_length=500)
    status = models.PositiveIntegerField("应答状态码", null=True, blank=True)
    acknowledged = models.BooleanField("已确认接收", default=False)
    answer = models.TextField("应答（节选）", blank=True)
    at = models.DateTimeField("推送时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "推送尝试"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "n"], name="push_attempt_once")]
