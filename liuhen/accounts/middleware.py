"""A password an administrator set must be changed by its owner before anything else (等保 2.0
身份鉴别; three-person separation: the administrator who set it must not be able to use it)."""
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Sends a logged-in person whose password was set by an administrator (must_change_password)
    to the password change page for every other page — the configuration admin included — until
    they have changed it. Logging out and static files stay reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            target = reverse("accounts:password_change")
            allowed = (target, reverse("logout"), settings.STATIC_URL)
            if not request.path.startswith(allowed):
                if request.headers.get("HX-Request"):  # htmx follows this header, not a 302
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
        return self.get_response(request)
