"""The owner's own password change (a forced one after an administrator set the password)."""
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.urls import reverse

from . import services
from .roles import Role


def first_page_url(user) -> str:
    """Each to their own first page: administrators (系统/安全管理员) to the configuration admin, the
    审计管理员 to the audit log, everyone else to their cases (三员分立: administrators see no case)."""
    if user.is_staff:
        return reverse("admin:index")
    if user.has_role(Role.AUDIT_ADMIN):
        return reverse("audit:search")
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

    def form_valid(self, form):
        # The new password, the cleared flag and the ledger entry commit together.
        with transaction.atomic():
            response = super().form_valid(form)
            services.password_changed_by_owner(form.user)
        messages.success(self.request, "密码已修改。")
        return response
