"""Lockout after repeated failed logins (SPEC §9, 等保 2.0 身份鉴别: 登录失败处理).

Failed logins are ledger events (auth.login_failed, about the username tried, with the client's
address in the event's request context), and so are wrong old passwords on the owner's password
form (accounts.password_refused, about the same ("login", username) object): a stolen session
cannot guess the password without limit. Both count (vocabulary.GUESSES). Within LIUHEN_LOGIN_LOCK_MINUTES:
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
    return Entry.objects.filter(action__in=v.GUESSES, object_type="login", object_id=str(username)[:64],
                                created_at__gte=_since()).count() >= max_failures()


def address_failures(address: str, limit: int) -> int:
    """Failed logins from `address` within the window, counted up to `limit` (newest first, so a
    locked address stops the count early). The address is read from each event's request context,
    where the ledger recorded it."""
    n = 0
    leaves = (Entry.objects.filter(action__in=v.GUESSES, created_at__gte=_since()).order_by("-id")
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


def reset_pending_message() -> str:
    return "您的密码已由系统管理员重置，须经安全管理员确认后才能登录。请联系安全管理员。"


def reset_awaiting_release(username: str, password: str) -> bool:
    """Is this the right password of an account whose reset awaits the security administrator's
    release? (Said only to whoever knows the password: a wrong one learns nothing.)"""
    from .models import User

    user = User.objects.filter(username=username, password_reset_pending=True, is_active=True).first()
    return user is not None and user.check_password(password)


class LockoutBackend(ModelBackend):
    """Django's model backend, refusing a locked username or address before checking the password,
    and an account whose password reset awaits the security administrator's release (三员分立:
    the system administrator who set that password must not be able to use it alone) — at login
    and for a session already open."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and is_locked(username):
            raise PermissionDenied(locked_message())  # authenticate() stops and reports a failure
        if username is not None and is_address_locked():
            raise PermissionDenied(address_locked_message())
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username is not None and password is not None \
                and reset_awaiting_release(username, password):
            raise PermissionDenied(reset_pending_message())  # a failed login, logged as such
        return user

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not getattr(user, "password_reset_pending", False)
