"""The admin of profile versions: an agency's profile is loaded by pasting or uploading its YAML
file. The file is validated as `liuhen profile load` does — each error with its line and reason as
a form error, the refusal in the ledger — and a version, once loaded, is never changed or deleted:
a correction is a new version."""
from django import forms
from django.contrib import admin

from liuhen.accounts.models import Agency
from liuhen.accounts.services import home_agency_id
from liuhen.ledger.admin import LedgeredAdmin

from . import loader, services
from .services import LOAD_ROLES
from .models import ProfileVersion


class ProfileVersionForm(forms.ModelForm):
    upload = forms.FileField(label="上传配置文件（YAML）", required=False,
                             help_text="或在下方粘贴配置文本；两者都给出时以上传的文件为准。")
    source = forms.CharField(label="配置文本（YAML）", required=False, widget=forms.Textarea(attrs={"rows": 30}),
                             help_text="格式见 docs/profiles.md；可继承内置的 base 配置（extends: base）。")
    agency = forms.ModelChoiceField(Agency.objects.all(), label="执法机关")
    reason = forms.CharField(label="载入原因", max_length=500, required=False)

    class Meta:
        model = ProfileVersion
        fields = ("agency", "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        home = home_agency_id(getattr(self, "actor", None))
        if home is not None and "agency" in self.fields:  # an agency's administrator loads its own profile only
            self.fields["agency"].queryset = Agency.objects.filter(pk=home)

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        text = data.get("source") or ""
        label = "配置文本"
        if upload is not None:
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError("上传的文件不是 UTF-8 编码的文字。") from None
            label = upload.name[:100]
        if not text.strip():
            raise forms.ValidationError("请粘贴或上传配置文件。")
        try:
            loader.build(text, label=label)
        except loader.ProfileError as exc:
            if data.get("agency") is not None:
                services.record_refusal(getattr(self, "actor", None), data["agency"], exc, label)
            raise forms.ValidationError(["配置文件被拒绝，现行配置不变。"] + exc.lines()) from None
        data["text"], data["label"] = text, label
        return data


@admin.register(ProfileVersion)
class ProfileVersionAdmin(LedgeredAdmin):
    form = ProfileVersionForm
    list_display = ("agency", "number", "code", "name", "loaded_by", "loaded_at", "reason")
    list_filter = (("agency", admin.RelatedOnlyFieldListFilter),)
    readonly_fields = ("agency", "number", "code", "name", "sha256", "loaded_by", "loaded_at", "reason", "source")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def get_queryset(self, request):
        # Several agencies on one instance: an agency's administrator sees its own profile's versions.
        home = home_agency_id(request.user)
        qs = super().get_queryset(request)
        return qs if home is None else qs.filter(agency_id=home)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("agency", "upload", "source", "reason")
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    # The system administrator loads an agency's profile here (the agency head, who answers for the
    # agency's rules, loads with `liuhen profile load` or is given admin access as the agency decides).
    def _may(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or (hasattr(user, "has_role") and user.has_role(*LOAD_ROLES)))

    def has_view_permission(self, request, obj=None):
        return self._may(request)

    def has_add_permission(self, request):
        return self._may(request)

    def has_module_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return False  # a loaded version is never changed: load a new one

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        pv = services.load_profile(request.user, data["agency"], data["text"], reason=data.get("reason") or "",
                                   label=data["label"])
        obj.__dict__.update({k: v for k, v in pv.__dict__.items() if k != "_state"})
        obj._state.adding = False
        obj._state.db = pv._state.db

    def log_addition(self, request, obj, message):
        # The load is in the ledger already (profiles.load, with its digest); Django's own log only.
        return admin.ModelAdmin.log_addition(self, request, obj, message)
