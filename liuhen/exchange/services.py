"""Writes of the exchange app (数据交换), each row in one transaction with its ledger entry: a client
registered with its token (returned once, only its SHA-256 kept), a client revoked; the token looked up
for a call (a refusal in the ledger with its code, never the token); the per-minute call counter; the
trace of each answered call."""
import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from liuhen.accounts import services as accounts
from liuhen.accounts.roles import Role
from liuhen.common import text
from liuhen.ledger import services as ledger

from . import vocabulary as v
from .models import ApiClient, ApiClientRevocation, CallCount

TOKEN_PREFIX = "lhx_"
MAX_DAYS = 3650


def token_digest(token: str) -> str:
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def _scopes(scopes) -> list[str]:
    wanted = sorted(set(scopes or ()))
    unknown = [s for s in wanted if s not in v.SCOPES]
    if unknown:
        raise ValidationError(f"权限范围“{'、'.join(unknown)}”无效，可选：{'、'.join(v.SCOPES)}。", code="scope")
    if not wanted:
        raise ValidationError("请至少给出一项权限范围。", code="scope_required")
    return wanted


def add_client(actor, *, agency, name: str, scopes, days: int) -> tuple[ApiClient, str]:
    """登记对接平台: a client of `agency` with `scopes`, its token valid `days` days (returned once)."""
    name = text.clean(name or "", "名称", max_length=100).strip()
    if not name:
        raise ValidationError("请填写对接平台名称。", code="name_required")
    scopes = _scopes(scopes)
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"有效天数应为 1 至 {MAX_DAYS} 的整数。", code="days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        if ApiClient.objects.filter(agency=agency, name=name).exists():
            raise ValidationError(f"对接平台“{name}”已登记。", code="duplicate")
        account = _account(agency, name) if v.MATTERS_WRITE in scopes else None
        client = ApiClient.objects.create(agency=agency, name=name, scopes=scopes, token_sha256=token_digest(token),
                                          expires_at=timezone.now() + datetime.timedelta(days=days),
                                          account=account, created_by=actor)
        client = ApiClient.objects.get(pk=client.pk)  # as the database keeps it: the digest is of that
        ledger.append_row(v.CLIENT_ADD, actor, client, name=name, scopes=scopes, days=days)
    return client, token


def _account(agency, name: str):
    """The account a matters:write client drafts as: 执法人员 of the agency, because drafting a 事前公开
    entry is an officer's act (publicity's draft_roles) — the draft still waits for a person's review
    and approval. Its password is random and never kept: nobody logs in as it."""
    return accounts.create_user(None, username=f"api-{secrets.token_hex(6)}", full_name=f"对接平台：{name}"[:150],
                                password=secrets.token_urlsafe(32), agency=agency, roles=[Role.OFFICER])


def revoke_client(actor, client: ApiClient) -> ApiClientRevocation:
    """停用: the client's token is refused from now on."""
    with transaction.atomic():
        if ApiClientRevocation.objects.filter(client=client).exists():
            raise ValidationError(f"对接平台“{client.name}”已停用。", code="already_revoked")
        row = ApiClientRevocation.objects.create(client=client, revoked_by=actor)
        row = ApiClientRevocation.objects.get(pk=row.pk)
        ledger.append_row(v.CLIENT_REVOKE, actor, row, client=client.pk, name=client.name)
    return row


def refuse(code: str, *, client: ApiClient | None = None, route: str = "", status: int = 401, **more) -> None:
    """A refused call in the ledger: its code and route, the client when it is known — never the token."""
    ledger.append(v.REFUSED, object_type=ApiClient.ledger_object_type if client else v.CLIENTS,
                  object_id=client.pk if client else "",
                  detail={"code": code, "status": status, "route": route[:200], **more})


def client_for_token(token: str, *, route: str) -> tuple[ApiClient | None, str]:
    """The client whose live token this is, or None and the refusal's code (recorded)."""
    client = None
    if token and token.startswith(TOKEN_PREFIX) and len(token) <= 200:
        client = ApiClient.objects.filter(token_sha256=token_digest(token)).select_related("agency").first()
    if client is None:
        code = v.UNKNOWN if token else v.MISSING
    elif ApiClientRevocation.objects.filter(client=client).exists():
        code = v.REVOKED
    elif client.expires_at <= timezone.now():
        code = v.EXPIRED
    else:
        return client, ""
    refuse(code, client=client, route=route)
    return None, code


def count_call(client: ApiClient, now: datetime.datetime | None = None) -> tuple[int, int]:
    """One more call of `client` this minute: (calls this minute including this one, seconds left in the
    minute). One UPDATE … SET n = n + 1 on the minute's row — atomic in the database, so gunicorn's
    workers count together; the row is made by the minute's first call (a racing twin's insert fails on
    the unique constraint and it updates instead)."""
    now = now or timezone.now()
    minute = now.replace(second=0, microsecond=0)
    with transaction.atomic():
        if not CallCount.objects.filter(client=client, minute=minute).update(n=F("n") + 1):
            try:
                with transaction.atomic():
                    CallCount.objects.create(client=client, minute=minute, n=1)
            except IntegrityError:
                CallCount.objects.filter(client=client, minute=minute).update(n=F("n") + 1)
        n = CallCount.objects.filter(client=client, minute=minute).values_list("n", flat=True).get()
    return n, 60 - now.second


def over_limit(client: ApiClient, *, route: str) -> int:
    """0 when the call is within LIUHEN_API_CALLS_PER_MINUTE, else the seconds to wait (recorded)."""
    n, left = count_call(client)
    if n <= settings.LIUHEN_API_CALLS_PER_MINUTE:
        return 0
    refuse(v.RATE_LIMITED, client=client, route=route, status=429)
    return left


def log_call(client: ApiClient, *, route: str, status: int = 200, count: int = 0, **detail) -> None:
    """The trace of an answered call: which client asked which route, the status and how many items."""
    ledger.append(v.CALL, object_type=ApiClient.ledger_object_type, object_id=client.pk,
                  detail={"route": route[:200], "status": status, "count": count, **detail})


def log_view(actor) -> None:
    ledger.append(v.VIEW, actor=actor, object_type=v.CLIENTS, object_id="")
