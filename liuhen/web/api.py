"""The project's JSON API (接口), django-ninja, mounted at /api/: OpenAPI docs at /api/docs, the
schema at /api/openapi.json. Each app brings its router (footage: /api/footage/, resumable uploads
for docking stations and the browser). Errors are JSON with a Chinese `detail`, like the pages."""
from django.db import transaction
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from liuhen.devices.models import DockStation
from liuhen.exchange import api as exchange_api
from liuhen.exchange.api import router as exchange_router
from liuhen.footage.api import router as footage_router
from liuhen.ledger import services as ledger

api = NinjaAPI(
    title="留痕 接口",
    version="1",
    description=exchange_api.DESCRIPTION,
    urls_namespace="api",
)
api.add_router("/footage/", footage_router)
api.add_router("/v1/", exchange_router)


def _json(request, status: int, detail: str, **more):
    return api.create_response(request, {"detail": detail, **more}, status=status)


def _field(loc) -> str:
    """A field's name from a pydantic location (body/data/size → size): our names and list indexes
    only — a part that is neither (a key the client made up) is not repeated."""
    loc = tuple(loc)
    # ("body", "data", "size"): "data" is the view's parameter holding the JSON body, not a field.
    loc = loc[2:] if len(loc) > 2 and loc[0] == "body" else loc[1:] or loc
    return "/".join(str(p)[:40] for p in loc if isinstance(p, int) or (isinstance(p, str) and p.isidentifier()))


@api.exception_handler(NinjaValidationError)
def invalid(request, exc):
    fields = [_field(e.get("loc", ())) for e in exc.errors]
    # A refused request is in the ledger like every other refusal: which fields and pydantic's
    # error types (missing, int_parsing…), never the values sent.
    codes = list(dict.fromkeys(str(e.get("type", ""))[:40] for e in exc.errors if e.get("type")))
    who = getattr(request, "auth", None)
    station = who if isinstance(who, DockStation) else None
    user = getattr(request, "user", None)
    with transaction.atomic():
        ledger.append("web.refused", actor=user if station is None and user is not None and user.is_authenticated
                      else None, object_type="path", object_id=request.path[:64],
                      detail={"method": request.method, "path": request.path[:200], "status": 400,
                              "codes": codes[:20] or ["invalid"], "fields": sorted(set(f for f in fields if f))[:40],
                              **({"station": station.pk} if station is not None else {})})
    return _json(request, 400, f"请求参数无效：{'、'.join(f for f in fields if f) or '请求体'}。", code="invalid",
                 errors=exc.errors)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    detail = exc.message if exc.message != "Unauthorized" else "未登录，或缺少采集站令牌（Authorization: Bearer …）。"
    return _json(request, 401, detail, code="unauthenticated")


@api.exception_handler(HttpError)
def http_error(request, exc):
    detail = {"CSRF check Failed": "CSRF 校验失败，请刷新页面后重试。",
              "Cannot parse request body": "请求体不是有效的 JSON。",
              "Too many requests.": "调用过于频繁，请按 Retry-After 的秒数稍后再试。"}.get(exc.message, exc.message)
    return _json(request, exc.status_code, detail)
