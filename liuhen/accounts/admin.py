from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from liuhen.common.admin import LedgeredAdmin

from .models import Agency, Certificate, Unit, User
from .services import check_role_combination


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


class LiuhenUserChangeForm(UserAdmin.form):
    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if groups is not None:
            check_role_combination({g.name for g in groups})  # 三员分立
        return groups


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


admin.site.site_header = "留痕 系统配置"
admin.site.site_title = "留痕"
admin.site.index_title = "配置（机构、人员、执法证、记录类型）"
