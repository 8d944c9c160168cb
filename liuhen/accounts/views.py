"""The owner's own password change (a forced one after an administrator set the password)."""
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.db import transaction
from django.urls import reverse

from liuhen.ledger import refusals

from . import lockout, services
from . import vocabulary as v
from .models import User
from .roles import Role


_FIRST_PAGES: list = []


def register_first_page(fn) -> None:
    """`fn(user) -> str | None`: the url of `user`'s first page, or None to leave it to others.
    Apps above accounts offer a home page this way (the to-do list, liuhen.oversight), registered in
    their ready(); the first that answers wins."""
    if fn not in _FIRST_PAGES:
        _FIRST_PAGES.append(fn)


def first_page_url(user) -> str:
    """Each to their own first page: administrators (系统/安全管理员) to the configuration admin, the
    审计管理员 to the audit log, everyone who works cases to the page an app above registered (their
    to-do list, 我的待办), else to their cases (三员分立: administrators see no case)."""
    if user.is_staff:
        return reverse("admin:index")
    if user.has_role(Role.AUDIT_ADMIN):
        return reverse("audit:search")
    if user.role_codes() == {str(Role.DEVICE_ADMIN)}:
        return reverse("devices:list")  # a 设备管理员 and nothing else works in the device registry
    for fn in _FIRST_PAGES:
        url = fn(user)
        if url:
            return url
    return reverse("cases:mine")


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's form, refusing the password the administrator set (they know it)."""

    def clean_new_password1(self):
        password = self.cleaned_data.get("new_password1")
        if password and self.user.check_password(password):
            raise forms.ValidationError("新密码不能与原密码相同。", code="password_unchanged")
        return password


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm
    template_name = "accounts/password_change.html"

    def get_success_url(self):
        return first_page_url(self.request.user)

    def post(self, request, *args, **kwargs):
        # A locked account or address may not guess here either (even with the right password).
        refused = self._lock_refusal(request)
        if refused is not None:
            return refused
        return super().post(request, *args, **kwargs)

    def _lock_refusal(self, request):
        """403 and the end of the session if the account or the client address is locked out (the
        session may be stolen: whoever holds it must log in again, which the lock refuses)."""
        username = request.user.get_username()
        if lockout.is_locked(username):
            message = lockout.locked_message()
        elif lockout.is_address_locked():
            message = lockout.address_locked_message()
        else:
            return None
        refusals.record_refusal(request, v.REFUSED, [message], User.ledger_object_type, request.user.pk, status=403,
                                errors=[ValidationError(message, code="locked")])
        logout(request)
        return render(request, "web/error.html", {"title": "账号已锁定", "lines": [message], "back": "/login/"},
                      status=403)

    def form_invalid(self, form):
        """Every refusal is a 400 and a ledger event; a wrong old password (等保 2.0 登录失败处理) is
        a guess, logged about ("login", username) like a failed login, so that the lockout counts
        it per user and per address — and at the limit locks the account and ends the session."""
        request = self.request
        username = request.user.get_username()
        shown = [e for errors in form.errors.values() for e in errors]
        if form.has_error("old_password", "password_incorrect"):
            refusals.record_refusal(request, v.PASSWORD_REFUSED, shown, "login", username[:64], form=form)
            refused = self._lock_refusal(request)
            if refused is not None:
                return refused
        else:
            refusals.record_refusal(request, v.REFUSED, shown, User.ledger_object_type, request.user.pk, form=form)
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        # The new password, the cleared flag and the ledger entry commit together.
        with transaction.atomic():
            response = super().form_valid(form)
            services.password_changed_by_owner(form.user)
        messages.success(self.request, "密码已修改。")
        return response
