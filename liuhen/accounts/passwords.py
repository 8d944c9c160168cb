"""Password expiry and reuse (等保 2.0 身份鉴别: 口令定期更换、不得重复使用).

How long a password lasts comes from settings: LIUHEN_PASSWORD_MAX_AGE_DAYS for the three
administrators (90 by default), LIUHEN_PASSWORD_MAX_AGE_DAYS_OTHERS for everyone else (0: never).
When a password was set is the newest PasswordHistory row (else the account's creation)."""
import datetime

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.utils import timezone

from .roles import ADMIN_ROLES


def max_age_days(user) -> int:
    if user.is_superuser or user.has_role(*ADMIN_ROLES):
        return int(getattr(settings, "LIUHEN_PASSWORD_MAX_AGE_DAYS", 90))
    return int(getattr(settings, "LIUHEN_PASSWORD_MAX_AGE_DAYS_OTHERS", 0))


def set_at(user) -> datetime.datetime:
    from .models import PasswordHistory

    latest = PasswordHistory.objects.filter(user=user).values_list("created_at", flat=True).first()
    return latest or user.date_joined


def expired(user) -> bool:
    days = max_age_days(user)
    return days > 0 and timezone.now() - set_at(user) > datetime.timedelta(days=days)


def remember(user) -> None:
    """Keep the hash of the password `user` now has (call inside the write's transaction)."""
    from .models import PasswordHistory

    PasswordHistory.objects.create(user=user, password=user.password)


def reused(user, raw: str) -> bool:
    """Is `raw` the current password or one of the last LIUHEN_PASSWORD_HISTORY?"""
    from .models import PasswordHistory

    n = int(getattr(settings, "LIUHEN_PASSWORD_HISTORY", 5))
    hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:max(n, 0)])
    return user.check_password(raw) or any(check_password(raw, h) for h in hashes)


def expired_message(user) -> str:
    return f"您的密码已超过{max_age_days(user)}天未修改，请先修改密码。"
