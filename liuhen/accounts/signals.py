"""Logins, logouts and failed logins go into the ledger (SPEC §4: every access traced)."""
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from liuhen.ledger import services as ledger

from . import vocabulary as v


@receiver(user_logged_in, dispatch_uid="liuhen-login")
def on_login(sender, request, user, **kwargs):
    ledger.append(v.LOGIN, actor=user, object_type="user", object_id=user.pk)


@receiver(user_logged_out, dispatch_uid="liuhen-logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        ledger.append(v.LOGOUT, actor=user, object_type="user", object_id=user.pk)


@receiver(user_login_failed, dispatch_uid="liuhen-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username: never the password that was tried.
    username = str(credentials.get("username", ""))[:150]
    ledger.append(v.LOGIN_FAILED, object_type="login", object_id=username[:64], detail={"username": username})


@receiver(user_logged_in, dispatch_uid="liuhen-session-device")
def on_login_device(sender, request, user, **kwargs):
    # What the account page shows of each session (sessions.py): the browser and the address.
    if request is not None and hasattr(request, "session"):
        from . import sessions

        sessions.describe(request)
