"""How a platform's client is known to the exchange API: `Authorization: Bearer <令牌>`, looked up by
its SHA-256. Missing, unknown, expired or revoked → 401; a scope not granted → 403; a body over
LIUHEN_API_MAX_BODY_BYTES → 413 before anything reads it; over LIUHEN_API_CALLS_PER_MINUTE → 429 with
Retry-After. Each refusal is an exchange.refused event with its code, never the token."""
import dataclasses
import json
import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from liuhen.common import context

from . import services
from . import vocabulary as v
from .models import ApiClient

NOT_VALID = {
    v.MISSING: "缺少接口令牌（Authorization: Bearer <令牌>）。",
    v.UNKNOWN: "接口令牌无效。",
    v.EXPIRED: "接口令牌已过期，请联系系统管理员更换。",
    v.REVOKED: "接口令牌已停用。",
}


def _body_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _json_body(request: HttpRequest) -> bool:
    """A JSON object in the body (read here, after its size was checked, so that a malformed body is
    refused and recorded like any other refusal; ninja reads the same cached bytes next)."""
    if request.content_type != "application/json":
        return False
    try:
        return isinstance(json.loads(request.body), dict)
    except ValueError:
        return False


class ClientToken(HttpBearer):
    """对接平台令牌 with the scope a route needs: request.auth is the ApiClient."""

    def __init__(self, scope: str):
        assert scope in v.SCOPES, scope
        self.scope = scope
        super().__init__()

    def __call__(self, request: HttpRequest):
        scheme, _, token = (request.headers.get(self.header) or "").partition(" ")
        token = token.strip() if scheme.lower() == self.openapi_scheme else (scheme and "?")
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient:
        client, code = services.client_for_token(token, route=request.path)
        if client is None:
            raise AuthenticationError(401, NOT_VALID[code])
        if self.scope not in client.scopes:
            services.refuse(v.SCOPE, client=client, route=request.path, status=403)
            raise HttpError(403, f"该令牌未获授权“{v.SCOPES[self.scope]}”（{self.scope}）。")
        if _body_size(request) > settings.LIUHEN_API_MAX_BODY_BYTES:
            services.refuse(v.TOO_LARGE, client=client, route=request.path, status=413)
            raise HttpError(413, f"请求体超过 {settings.LIUHEN_API_MAX_BODY_BYTES} 字节的上限。")
        if request.method not in ("GET", "HEAD") and not _json_body(request):
            services.refuse(v.MALFORMED, client=client, route=request.path, status=400)
            raise HttpError(400, "请求体不是有效的 JSON 对象（Content-Type: application/json）。")
        # The request's ledger entries say it came through the API (same request id).
        context.bind(dataclasses.replace(context.current(), channel="api"))
        return client


class ClientRate(BaseThrottle):
    """LIUHEN_API_CALLS_PER_MINUTE per client, counted in the database (services.count_call)."""

    def __init__(self):
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = services.over_limit(request.auth, route=request.path)
        return not self._local.wait

    def wait(self) -> float | None:
        return getattr(self._local, "wait", 0) or None
