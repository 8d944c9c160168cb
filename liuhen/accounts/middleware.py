"""A password an administrator set must be changed by its owner before anything else (等保 2.0
身份鉴别; three-person separation: the administrator who set it must not be able to use it)."""
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import otp, passwords


def _send_to(request, target):
    if request.headers.get("HX-Request"):  # htmx follows this header, not a 302
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


class SecondFactorRequiredMiddleware:
    """An administrator's session (otp.required), or anyone's who bound an authenticator, reaches no page — the configuration admin
    included — before it has passed the second factor (django-otp's OTPMiddleware sets
    request.user.is_verified()): to enrol an authenticator if they have none, else to enter the
    code. Logging out and static files stay reachable. A session logged in by any other way than
    the login page (a test's force_login) is not verified either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not otp.is_verified(request):
            device = otp.confirmed_device(user)  # whoever bound one (optional for others) uses it too
            if device is None and not otp.required(user):
                return self.get_response(request)
            target = reverse("accounts:otp_verify" if device else "accounts:otp_enrol")
            # This one page exactly (not its neighbours: removing the device must need the code too).
            if request.path not in (target, reverse("logout")) and not request.path.startswith(settings.STATIC_URL):
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return _send_to(request, f"{target}?{query}" if query else target)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Sends a logged-in person whose password was set by an administrator (must_change_password),
    or whose password is older than its maximum age (passwords.expired), to the password change page for every other page — the configuration admin included — until
    they have changed it. Logging out and static files stay reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and (
                getattr(user, "must_change_password", False) or passwords.expired(user)):
            target = reverse("accounts:password_change")
            allowed = (target, reverse("logout"), settings.STATIC_URL)
            if not request.path.startswith(allowed):
                return _send_to(request, target)
        return self.get_response(request)
