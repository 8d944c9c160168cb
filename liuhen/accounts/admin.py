from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import router, transaction

from liuhen.common.admin import LedgeredAdmin

from .models import Agency, Certificate, Unit, User
from .services import check_role_change, log_role_changes

# Roles are fixed groups, created by the code (services.role_group) with their permissions:
# nobody edits them, or what a group may do, through the admin.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Agency)
class AgencyAdmin(LedgeredAdmin):
    list_display = ("name", "short_name", "phone")


@admin.register(Unit)
class UnitAdmin(LedgeredAdmin):
    list_display = ("name", "agency")


@admin.register(Certificate)
class CertificateAdmin(LedgeredAdmin):
    list_display = ("number", "holder", "valid_from", "valid_until", "revoked")
    search_fields = ("number", "holder__full_name")


def _role_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True)) if user.pk else set()


class LiuhenUserChangeForm(UserAdmin.form):
    """三员分立 (SPEC §9) in the admin: an allowed combination of roles; nobody changes their own
    roles or admin access; nobody is moved in one step between an administrator and a case role."""

    editor = None  # the user making the change; set by LiuhenUserAdmin.get_form

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if groups is not None:
            check_role_change(self.editor, self.instance, _role_names(self.instance), {g.name for g in groups})
        return groups

    def clean_is_staff(self):
        is_staff = self.cleaned_data.get("is_staff")
        if (self.editor is not None and self.instance.pk == self.editor.pk
                and bool(is_staff) != bool(self.instance.is_staff)):
            raise ValidationError("三员分立：不能修改本人的管理权限。")
        return is_staff


@admin.register(User)
class LiuhenUserAdmin(LedgeredAdmin, UserAdmin):
    form = LiuhenUserChangeForm
    list_display = ("username", "full_name", "agency", "unit", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("人员信息", {"fields": ("full_name", "agency", "unit", "phone", "email")}),
        ("权限", {"fields": ("is_active", "is_staff", "groups")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "agency", "unit",
                                                               "password1", "password2")}),)
    search_fields = ("username", "full_name")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user})

    def save_related(self, request, form, formsets, change):
        # The groups are saved here (the form's m2m): each role granted or revoked goes into the
        # ledger, within the admin view's transaction.
        user = form.instance
        before = _role_names(user)
        super().save_related(request, form, formsets, change)
        log_role_changes(request.user, user, before, _role_names(user))

    def user_change_password(self, request, id, form_url=""):
        # Django runs this view outside a transaction; the password and its ledger entry
        # (LedgeredAdmin.log_change) must commit together.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().user_change_password(request, id, form_url)


admin.site.site_header = "留痕 系统配置"
admin.site.site_title = "留痕"
admin.site.index_title = "配置（机构、人员、执法证、记录类型）"
