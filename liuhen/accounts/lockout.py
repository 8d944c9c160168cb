"""Lockout after repeated failed logins (SPEC §9, 等保 2.0 身份鉴别: 登录失败处理).

Failed logins are ledger events (auth.login_failed, by username); a username with
LIUHEN_LOGIN_MAX_FAILURES failures within LIUHEN_LOGIN_LOCK_MINUTES is refused until the window
has passed — even with the right password — and the refusal is itself a failed login.
"""
import datetime

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from liuhen.ledger import services as ledger


def max_failures() -> int:
    return int(getattr(settings, "LIUHEN_LOGIN_MAX_FAILURES", 5))


def lock_minutes() -> int:
    return int(getattr(settings, "LIUHEN_LOGIN_LOCK_MINUTES", 15))


def is_locked(username: str) -> bool:
    since = timezone.now() - datetime.timedelta(minutes=lock_minutes())
    return ledger.count_recent("auth.login_failed", "login", username, since) >= max_failures()


def locked_message() -> str:
    return f"登录失败次数过多，账号已暂时锁定，请{lock_minutes()}分钟后再试。"


class LockoutBackend(ModelBackend):
    """Django's model backend, refusing a locked username before checking the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and is_locked(username):
            raise PermissionDenied(locked_message())  # authenticate() stops and reports a failure
        return super().authenticate(request, username=username, password=password, **kwargs)
