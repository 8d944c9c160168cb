"""The owner's own password change (a forced one after an administrator set the password)."""
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django.db import transaction
from django.urls import reverse

from liuhen.ledger import refusals

from . import lockout, otp, passwords, services, sessions
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
        if password and passwords.reused(self.user, password):
            raise forms.ValidationError("新密码不能与最近使用过的密码相同。", code="password_reused")
        return password


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm
    template_name = "accounts/password_change.html"

    def get_success_url(self):
        return first_page_url(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        expired = passwords.expired(user) and passwords.expired_message(user)
        return super().get_context_data(**kwargs, password_expired=expired)

    def post(self, request, *args, **kwargs):
        # A locked account or address may not guess here either (even with the right password).
        refused = self._lock_refusal(request)
        if refused is not None:
            return refused
        return super().post(request, *args, **kwargs)

    def _lock_refusal(self, request):
        """403 and the end of the session if the account or the client address is locked out (the
        session may be stolen: whoever holds it must log in again, which the lock refuses)."""
        return _locked_out(request)

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


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return first_page_url(request.user)


def _code_refused(request, error: ValidationError, template: str, context: dict):
    """A wrong, malformed or replayed code: a guess like a wrong password (lockout.py counts it,
    about ("login", username)); at the limit the session ends and the account is locked."""
    username = request.user.get_username()
    refusals.record_refusal(request, v.OTP_FAILED, [error.message], "login", username[:64], errors=[error])
    locked = _locked_out(request)
    if locked is not None:
        return locked
    return render(request, template, {**context, "error": error.message, "next": _next_url(request)}, status=400)


def _locked_out(request):
    """403 and the end of the session if the account or the client address is locked out (the
    session may be stolen: whoever holds it must log in again, which the lock refuses); else None."""
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


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """双因素验证: the code from the authenticator, after the password."""
    device = otp.confirmed_device(request.user)
    if device is None:
        return redirect(reverse("accounts:otp_enrol"))
    if otp.is_verified(request):
        return redirect(_next_url(request))
    if request.method == "POST":
        locked = _locked_out(request)
        if locked is not None:
            return locked
        try:
            otp.check_code(device, request.POST.get("code", ""))
        except ValidationError as error:
            return _code_refused(request, error, "accounts/otp_verify.html", {})
        otp.verified(request, device)
        return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """绑定验证器: a QR code of the otpauth URI; the first code confirms it. A person who already has
    one must pass it first (whoever knows only the password cannot bind their own phone)."""
    if otp.confirmed_device(request.user) and not otp.is_verified(request):
        return redirect(reverse("accounts:otp_verify"))
    device = otp.pending_device(request.user)
    context = {"qr": otp.qr_svg(device), "secret": otp.secret_text(device), "required": otp.required(request.user),
               "replacing": otp.confirmed_device(request.user) is not None}
    if request.method == "POST":
        locked = _locked_out(request)
        if locked is not None:
            return locked
        try:
            otp.confirm(request, device, request.POST.get("code", ""))
        except ValidationError as error:
            return _code_refused(request, error, "accounts/otp_enrol.html", context)
        messages.success(request, "验证器已绑定，以后登录时须输入验证器上的6位数字。")
        return redirect(_next_url(request))
    return render(request, "accounts/otp_enrol.html", {**context, "next": _next_url(request)})


@login_required
@require_POST
def otp_remove(request):
    """解绑验证器 (optional for everyone but the administrators, who must bind a new one at once)."""
    try:
        otp.remove(request.user, request.user)
    except ValidationError as error:
        refusals.record_refusal(request, v.REFUSED, [error.message], User.ledger_object_type, request.user.pk,
                                errors=[error])
        return render(request, "web/error.html", {"title": "无法解绑", "lines": [error.message],
                                                  "back": reverse("accounts:account")}, status=400)
    messages.success(request, "验证器已解绑。")
    return redirect(reverse("accounts:account"))


@login_required
def account(request):
    """我的账号: the password, the authenticator, the open sessions."""
    return render(request, "accounts/account.html", {
        "device": otp.confirmed_device(request.user), "otp_required": otp.required(request.user),
        "sessions": sessions.open_sessions(request.user, request.session.session_key),
        "password_set_at": passwords.set_at(request.user), "password_days": passwords.max_age_days(request.user),
    })


@login_required
@require_POST
def session_end(request):
    """The owner ends another of their sessions (a browser left logged in elsewhere)."""
    if not sessions.end_one(request.user, request.POST.get("session", ""), request.session.session_key):
        error = ValidationError("没有这个会话，或它是当前会话（请用“退出登录”）。", code="no_session")
        refusals.record_refusal(request, v.REFUSED, [error.message], User.ledger_object_type, request.user.pk,
                                errors=[error])
        return render(request, "web/error.html", {"title": "无法结束会话", "lines": [error.message],
                                                  "back": reverse("accounts:account")}, status=400)
    messages.success(request, "该会话已结束。")
    return redirect(reverse("accounts:account"))


@login_required
@require_http_methods(["GET", "POST"])
def person_sessions(request, pk: int):
    """A security administrator sees and ends all sessions of a person (安全管理员)."""
    if not request.user.has_role(Role.SECURITY_ADMIN):
        error = PermissionDenied("三员分立：只有安全管理员可以结束他人的会话。")
        refusals.record_refusal(request, v.DENIED, [str(error)], User.ledger_object_type, pk, status=403,
                                errors=[ValidationError(str(error), code="not_security_admin")])
        return render(request, "web/error.html", {"title": "无权访问", "lines": [str(error)], "back": "/"},
                      status=403)
    person = get_object_or_404(User, pk=pk)
    if services.home_agency_id(request.user) not in (None, person.agency_id):
        # Another agency's person: kept by their own agency's administrators (or the platform's).
        refusals.record_denied(request, User.ledger_object_type, person.pk)
        raise Http404
    if request.method == "POST":
        n = sessions.end_all(request.user, person)
        messages.success(request, f"已结束{person.display_name}的{n}个会话。")
        return redirect(reverse("accounts:person_sessions", args=[person.pk]))
    return render(request, "accounts/person_sessions.html", {
        "person": person, "sessions": sessions.open_sessions(person)})
