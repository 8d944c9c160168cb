"""The configuration admin for agencies, units, people and 执法证 — in Chinese, and split between the
administrators (三员分立, SPEC §9, 等保 2.0):

- 系统管理员 creates and changes accounts (name, agency, unit, active or not), resets passwords and
  issues 执法证; on the person form the roles are shown, not editable.
- 安全管理员 grants and revokes roles: on the person form only the roles are editable; no account is
  added, no password set. A password the system administrator reset cannot be used to log in until
  the security administrator releases it (the change list's action 确认密码重置; the list shows
  which accounts wait for it).
- 审计管理员 has no access here (is_staff is false): the audit log is their screen (liuhen.audit).
- A superuser exists only from `liuhen createsuperuser` (no form here sets is_superuser) and only
  to bootstrap: it may create accounts and grant the three administrator roles, never a case role.
- Several agencies on one instance: an agency's administrators see and keep only their agency — its
  row, its units, its people and their 执法证 (another agency's answer as not there, and the attempt
  is in the ledger); the platform's administrators (of no agency) and a superuser keep every agency's
  and alone add agencies (services.same_home).

What an administrator may do here goes by their role (checked by the ledger), not by Django's
permission table (which `liuhen verify` does not check). Every refusal of a role change is logged
(accounts.denied); every change is in the ledger (LedgeredAdmin, role grants and revocations by
name, password resets as accounts.password_reset).
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Q
from django.shortcuts import redirect

from liuhen.ledger import refusals
from liuhen.ledger.admin import LedgeredAdmin

from . import services
from .models import Agency, Certificate, Supervision, Unit, User
from .roles import Role

# Roles are fixed groups, created by the code (services.role_group) with their permissions:
# nobody edits them, or what a group may do, through the admin.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def _is(user, role) -> bool:
    return user.is_active and user.has_role(role)


def _home(request):
    """The agency whose configuration `request.user` keeps: their own; None (every agency's) for the
    platform's administrators, of no agency, and a superuser."""
    return services.home_agency_id(request.user)


class AgencyScoped:
    """An admin whose rows belong to an agency (`agency_path` names it): an agency's administrator
    sees only their agency's rows and chooses only their agency (and its units, its people) on a form.
    Asking for another agency's row by its id answers as for one that does not exist, and is logged."""

    agency_path = "agency"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        home = _home(request)
        return qs if home is None else qs.filter(**{self.agency_path: home})

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and _home(request) is not None and \
                self.model._default_manager.filter(pk=object_id if str(object_id).isdigit() else None).exists():
            refusals.record_denied(request, getattr(self.model, "ledger_object_type", "") or
                                   self.model._meta.label_lower, object_id)
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        home = _home(request)
        if home is not None:
            choices = {"agency": Agency.objects.filter(pk=home), "unit": Unit.objects.filter(agency_id=home),
                       "holder": User.objects.filter(agency_id=home)}
            if db_field.name in choices:
                # An agency's administrator gives no one "no agency": that is a platform account.
                kwargs.update(queryset=choices[db_field.name], required=db_field.name != "unit")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Agency)
class AgencyAdmin(AgencyScoped, LedgeredAdmin):
    agency_path = "pk"
    list_display = ("name", "short_name", "phone")

    def has_add_permission(self, request):
        return _home(request) is None and super().has_add_permission(request)


@admin.register(Unit)
class UnitAdmin(AgencyScoped, LedgeredAdmin):
    list_display = ("name", "agency")


@admin.register(Certificate)
class CertificateAdmin(AgencyScoped, LedgeredAdmin):
    """执法证: issued and changed by the system administrator only."""

    agency_path = "holder__agency"

    list_display = ("number", "holder", "valid_from", "valid_until", "revoked")
    search_fields = ("number", "holder__full_name")

    def has_view_permission(self, request, obj=None):
        return _is(request.user, Role.SYSTEM_ADMIN) or request.user.is_superuser

    def has_add_permission(self, request):
        return _is(request.user, Role.SYSTEM_ADMIN)

    def has_change_permission(self, request, obj=None):
        return _is(request.user, Role.SYSTEM_ADMIN)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    """上级监督, as a list to read: who supervises whom since when, on what basis, and whether it ended.
    Declared and ended by the platform's system administrator with `liuhen agency supervise` /
    `end-supervision` (accounts.services: each a ledger event, verified) — never edited here. An
    agency's system administrator sees the supervisions their agency is part of."""

    list_display = ("supervisor", "supervised", "basis", "granted_at", "status")
    list_select_related = ("supervisor", "supervised", "end")

    @admin.display(description="状态")
    def status(self, obj):
        end = getattr(obj, "end", None)
        return f"已终止（{end.ended_at:%Y-%m-%d}：{end.reason}）" if end is not None else "有效"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        home = _home(request)
        return qs if home is None else qs.filter(Q(supervisor_id=home) | Q(supervised_id=home))

    def has_view_permission(self, request, obj=None):
        return _is(request.user, Role.SYSTEM_ADMIN) or request.user.is_superuser

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _role_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True)) if user.pk else set()


class RoleChoiceField(forms.ModelMultipleChoiceField):
    """The roles as their Chinese names (执法人员), never their codes (officer)."""

    def label_from_instance(self, obj):
        return Role(obj.name).label if obj.name in Role.values else obj.name


# Chinese labels and help texts for the person form, in place of Django's defaults (in English
# where the browser asks for it, and about "groups" and "staff" rather than roles).
LABELS = {
    "username": ("用户名", "登录用的名称，最多150个字符，只能包含字母、数字和 @ . + - _。"),
    "full_name": ("姓名", ""),
    "agency": ("执法机关", ""),
    "unit": ("执法机构（科室）", "业务人员所在的科室；局机关人员和管理员留空。"),
    "phone": ("手机号", "加密保存。"),
    "email": ("电子邮箱", ""),
    "is_active": ("启用", "取消勾选即停用该账号：不能登录，账号和记录保留（不删除）。"),
    "groups": ("角色", "由安全管理员授予或撤销。系统管理员、安全管理员、审计管理员三员分立，"
                      "不能互相兼任，也不能担任业务角色。"),
    "password1": ("初始密码", "至少10个字符，不能全为数字，不能过于常见或与用户名相近。本人首次登录时必须修改。"),
    "password2": ("确认密码", "再次输入同一密码。"),
}


def _chinese(form):
    for name, (label, help_text) in LABELS.items():
        if name in form.fields:
            form.fields[name].label = label
            form.fields[name].help_text = help_text


class LiuhenUserChangeForm(UserAdmin.form):
    """The person form. 三员分立 on the roles (services.check_role_change): an allowed combination;
    nobody changes their own roles; only the security administrator grants roles; nobody moves in
    one step between an administrator and a case role; nobody grants roles on an account they
    created or changed today."""

    editor = None  # the user making the change; set by LiuhenUserAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _chinese(self)
        if "groups" in self.fields:
            # Every role can be chosen, also one nobody holds yet (a role's group is made on first
            # use; it holds no state of its own: who holds a role is what the log records).
            for role in Role:
                services.role_group(role)
            self.fields["groups"] = RoleChoiceField(
                queryset=Group.objects.filter(name__in=Role.values).order_by("id"), required=False,
                widget=forms.CheckboxSelectMultiple, label=LABELS["groups"][0], help_text=LABELS["groups"][1],
                initial=self.initial.get("groups"))
        if "phone" in self.fields:
            self.fields["phone"].widget = forms.TextInput(attrs={"autocomplete": "off"})
        if "password" in self.fields:
            self.fields["password"].label = "密码"
            self.fields["password"].help_text = (
                "密码不以明文保存，任何人都无法查看。可以<a href=\"../password/\">重置密码</a>；"
                "重置后须经安全管理员确认才能登录，本人登录时必须修改。")

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if groups is not None:
            try:
                services.check_role_change(self.editor, self.instance, _role_names(self.instance),
                                           {g.name for g in groups})
            except (ValidationError, PermissionDenied) as exc:
                # The admin's transaction commits (the form comes back with its error): the
                # refusal stays in the ledger.
                services.refused(self.editor, "role_change", self.instance, exc)
                raise ValidationError(getattr(exc, "messages", None) or [str(exc)]) from None
        return groups


class LiuhenUserCreationForm(UserAdmin.add_form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _chinese(self)
        if "usable_password" in self.fields:  # not on the add form (add_fieldsets): always a password
            self.fields["usable_password"].help_text = ""


class LiuhenPasswordResetForm(AdminPasswordChangeForm):
    """The system administrator's password reset, in Chinese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "新密码"
        self.fields["password1"].help_text = ("至少10个字符，不能全为数字，不能过于常见或与用户名相近。"
                                              "重置后须经安全管理员确认才能登录，本人登录时必须修改。")
        self.fields["password2"].label = "确认新密码"
        self.fields["password2"].help_text = "再次输入同一密码。"
        if "usable_password" in self.fields:
            field = self.fields["usable_password"]
            field.label = "密码登录"
            field.choices = [("true", "启用"), ("false", "停用")]
            field.help_text = "停用后该人员不能再用密码登录，原密码作废。"


class RoleFilter(admin.SimpleListFilter):
    title = "角色"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return list(Role.choices)

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(groups__name=self.value())
        return queryset


@admin.register(User)
class LiuhenUserAdmin(AgencyScoped, LedgeredAdmin, UserAdmin):
    form = LiuhenUserChangeForm
    add_form = LiuhenUserCreationForm
    change_password_form = LiuhenPasswordResetForm
    list_display = ("username", "full_name", "roles_display", "agency", "unit", "is_active", "password_state")
    actions = ["release_password_reset"]
    list_filter = (RoleFilter, "is_active")
    filter_horizontal = ()
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "agency", "unit",
                                                               "password1", "password2")}),)
    search_fields = ("username", "full_name")
    ordering = ("username",)

    ACCOUNT = ("人员信息", {"fields": ("full_name", "agency", "unit", "phone", "email")})
    TIMES = ("时间", {"fields": ("last_login", "date_joined")})
    ALWAYS_READONLY = ("is_staff", "must_change_password", "password_reset_pending", "last_login", "date_joined",
                       "roles_display")
    STATE = ("账号状态", {"fields": ("is_active", "is_staff", "must_change_password", "password_reset_pending")})

    @admin.display(description="角色")
    def roles_display(self, obj):
        return "、".join(Role(c).label for c in sorted(obj.role_codes())) or "—"

    @admin.display(description="密码状态")
    def password_state(self, obj):
        if obj.password_reset_pending:
            return "密码重置待确认（须安全管理员确认后才能登录）"
        if obj.must_change_password:
            return "须本人修改密码"
        return "—"

    # -- the security administrator's release of a password reset (三员分立) ------------------------
    def get_actions(self, request):
        actions = super().get_actions(request)
        if not (self._security(request) or request.user.is_superuser):
            actions.pop("release_password_reset", None)
        return actions

    @admin.action(description="确认密码重置（允许所选人员登录）")
    def release_password_reset(self, request, queryset):
        """Each release is its own ledger event with the person's state (services); each refusal
        (not pending, one's own account, an account one changed today) is logged as accounts.denied
        and shown, the others go ahead."""
        released = 0
        for user in queryset.order_by("username"):
            try:
                services.release_password_reset(request.user, user)
            except (ValidationError, PermissionDenied) as exc:
                for message in getattr(exc, "messages", None) or [str(exc)]:
                    self.message_user(request, f"{user.username}：{message}", messages.ERROR)
            else:
                released += 1
        if released:
            self.message_user(request, f"已确认{released}个账号的密码重置；本人登录后须立即修改密码。",
                              messages.SUCCESS)

    # -- who may do what: by role ------------------------------------------------------------------
    def _system(self, request) -> bool:
        return _is(request.user, Role.SYSTEM_ADMIN) or request.user.is_superuser

    def _security(self, request) -> bool:
        return _is(request.user, Role.SECURITY_ADMIN)

    def has_view_permission(self, request, obj=None):
        return self._system(request) or self._security(request)

    def has_change_permission(self, request, obj=None):
        return self._system(request) or self._security(request)

    def has_add_permission(self, request):
        return self._system(request)  # the security administrator creates no account

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    # -- what each sees and edits on the person form ---------------------------------------------
    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if self._security(request) and not request.user.is_superuser:
            # Roles only; no password hash, no phone number: nothing they need to grant a role.
            return ((None, {"fields": ("username", "full_name", "agency", "unit")}),
                    ("角色", {"fields": ("groups",)}), self.STATE)
        roles = ("groups",) if request.user.is_superuser else ("roles_display",)
        return ((None, {"fields": ("username", "password")}), self.ACCOUNT,
                self.STATE, ("角色", {"fields": roles}), self.TIMES)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if self._security(request) and not request.user.is_superuser:
            return ("username", "full_name", "agency", "unit", "is_active") + self.ALWAYS_READONLY
        return self.ALWAYS_READONLY

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user})

    # -- writes ----------------------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        if not change:
            # The administrator chose this password: its owner must change it at the first login.
            obj.must_change_password = True
        # A save that changed only roles is logged by its role events; anything else about the
        # account (and every new account) is an account change (admin.add / admin.change).
        request._liuhen_account_changed = not change or bool(set(form.changed_data) - {"groups"})
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The groups are saved here (the form's m2m): each role granted or revoked goes into the
        # ledger, within the admin view's transaction, and admin access (is_staff) follows them.
        user = form.instance
        before = _role_names(user)
        super().save_related(request, form, formsets, change)
        services.log_role_changes(request.user, user, before, _role_names(user))

    def log_change(self, request, obj, message):
        if getattr(request, "_liuhen_password_reset", False):
            # Django's password form saved the new password: the owner must change it, and the
            # reset is its own event (never the password).
            services.password_was_reset(request.user, obj)
            return admin.ModelAdmin.log_change(self, request, obj, message)
        if not getattr(request, "_liuhen_account_changed", True):
            return admin.ModelAdmin.log_change(self, request, obj, message)
        return super().log_change(request, obj, message)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        # Only the system administrator sets someone's password (a superuser to bootstrap); one's
        # own password is changed on the password page, knowing the old one.
        if not self._system(request) or (user is not None and user.pk == request.user.pk):
            raise PermissionDenied("三员分立：只有系统管理员可以重置他人的密码。")
        request._liuhen_password_reset = True
        # Django runs this view outside a transaction; the password and its ledger entry must
        # commit together.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().user_change_password(request, id, form_url)


def _own_password_change(request, extra_context=None):
    """The admin's "修改密码" link leads to Liuhen's own password page, where the change is logged
    (accounts.password_change) and clears must_change_password — not to Django's, which logs nothing."""
    return redirect("accounts:password_change")


admin.site.password_change = _own_password_change

admin.site.site_header = "留痕 系统配置"
admin.site.site_title = "留痕 系统配置"
admin.site.index_title = "配置（机构、人员、执法证、记录类型）"
