"""Lockout after repeated failed logins (SPEC §9, 等保 2.0 身份鉴别: 登录失败处理).

Failed logins are ledger events (auth.login_failed, about the username tried, with the client's
address in the event's request context). Within LIUHEN_LOGIN_LOCK_MINUTES:
- a username with LIUHEN_LOGIN_MAX_FAILURES failures is refused, from any address;
- an address with LIUHEN_LOGIN_MAX_FAILURES_PER_ADDRESS failures is refused, whatever username it
  tries (one address guessing a common password across many usernames);
until the window has passed — even with the right password — and the refusal is itself a failed
login.
"""
import datetime
import json

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from liuhen.common import context
from liuhen.ledger import services as ledger
from liuhen.ledger.models import Entry

from . import vocabulary as v


def max_failures() -> int:
    return int(getattr(settings, "LIUHEN_LOGIN_MAX_FAILURES", 5))


def max_failures_per_address() -> int:
    return int(getattr(settings, "LIUHEN_LOGIN_MAX_FAILURES_PER_ADDRESS", 20))


def lock_minutes() -> int:
    return int(getattr(settings, "LIUHEN_LOGIN_LOCK_MINUTES", 15))


def _since():
    return timezone.now() - datetime.timedelta(minutes=lock_minutes())


def is_locked(username: str) -> bool:
    return ledger.count_recent(v.LOGIN_FAILED, "login", username, _since()) >= max_failures()


def address_failures(address: str, limit: int) -> int:
    """Failed logins from `address` within the window, counted up to `limit` (newest first, so a
    locked address stops the count early). The address is read from each event's request context,
    where the ledger recorded it."""
    n = 0
    leaves = (Entry.objects.filter(action=v.LOGIN_FAILED, created_at__gte=_since()).order_by("-id")
              .values_list("leaf", flat=True).iterator(chunk_size=500))
    for leaf in leaves:
        try:
            ip = json.loads(bytes(leaf).decode("utf-8"))["request"]["ip"]
        except (ValueError, KeyError, TypeError):
            continue
        if ip == address:
            n += 1
            if n >= limit:
                break
    return n


def is_address_locked(address: str | None = None) -> bool:
    """Is the client address of the current request (as the ledger records it) locked out?"""
    address = context.current().ip if address is None else address
    limit = max_failures_per_address()
    return bool(address) and limit > 0 and address_failures(address, limit) >= limit


def locked_message() -> str:
    return f"登录失败次数过多，账号已暂时锁定，请{lock_minutes()}分钟后再试。"


def address_locked_message() -> str:
    return f"本机登录失败次数过多，已暂时禁止登录，请{lock_minutes()}分钟后再试。"


class LockoutBackend(ModelBackend):
    """Django's model backend, refusing a locked username or address before checking the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and is_locked(username):
            raise PermissionDenied(locked_message())  # authenticate() stops and reports a failure
        if username is not None and is_address_locked():
            raise PermissionDenied(address_locked_message())
        return super().authenticate(request, username=username, password=password, **kwargs)
