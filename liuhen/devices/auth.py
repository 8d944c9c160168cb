"""How a docking station (采集站) and a person are known to the JSON API (liuhen/web/api.py).

A station sends `Authorization: Bearer <token>`: the token is looked up by its SHA-256 (never
stored) among active stations; a wrong or revoked token is refused with 401 and the refusal is in
the ledger (devices.station_refused). A person uses the browser's session, and the CSRF token in
the X-CSRFToken header for anything but a read (Django's own check). Either way the ledger entries
of the request say channel "api"."""
import dataclasses

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from liuhen.common import context

from . import services


def _as_api(request: HttpRequest) -> None:
    """The request's entries in the ledger say it came through the API (same request id)."""
    context.bind(dataclasses.replace(context.current(), channel="api"))


class StationToken(HttpBearer):
    """采集站令牌: the station itself is the caller (request.auth is the DockStation)."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header) or ""
        if not header:
            return None  # no token: perhaps a person with a session
        scheme, _, token = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            services.station_for_token("")  # logged as a refused token
            raise AuthenticationError(401, "采集站令牌无效或已停用。")
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str):
        station = services.station_for_token(token)
        if station is None:  # a token was sent: no fallback to a session, a clear 401
            raise AuthenticationError(401, "采集站令牌无效或已停用。")
        _as_api(request)
        return station


class Session(APIKeyCookie):
    """A logged-in person (the browser): Django's session, CSRF checked for writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None  # no CSRF question for someone not logged in: a plain 401
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key):
        _as_api(request)
        return request.user
