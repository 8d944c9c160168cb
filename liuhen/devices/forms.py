"""The device administrator's forms (设备登记、领用、归还、修改). Services check again; the forms give
the person their errors field by field."""
from django import forms
from django.utils import timezone

from liuhen.accounts.models import Unit, User
from liuhen.accounts.roles import Role

from .models import Kind, Status


def _people(agency_id):
    return User.objects.filter(agency_id=agency_id, is_active=True).order_by("full_name", "username")


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.username}）"


class DeviceForm(forms.Form):
    number = forms.CharField(label="设备编号", max_length=40, help_text="机身编号，如 JL-001；登记后不能修改。")
    model_name = forms.CharField(label="型号", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=Kind.choices, initial=Kind.BODY_CAMERA)
    unit = forms.ModelChoiceField(label="使用科室", queryset=Unit.objects.none(), required=False, empty_label="—")
    custodian = _PersonChoice(label="保管人", queryset=User.objects.none(), required=False, empty_label="—")

    def __init__(self, *args, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency_id=agency_id).order_by("name")
        self.fields["custodian"].queryset = _people(agency_id)


class ChangeDeviceForm(DeviceForm):
    status = forms.ChoiceField(label="状态", choices=Status.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["number"]


class CheckForm(forms.Form):
    """The check at sign-out and return (LQ 24: 电池容量、内存空间; SPEC §3: the device clock)."""
    battery_percent = forms.IntegerField(label="电量（%）", min_value=0, max_value=100, required=False)
    storage_free_gb = forms.DecimalField(label="剩余存储（GB）", min_value=0, max_digits=9, decimal_places=2,
                                         required=False)
    device_time = forms.DateTimeField(
        label="设备显示的日期时间", required=False,
        input_formats=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}),
        help_text="照设备屏幕上显示的时间填写（精确到秒），与服务器时间比对；误差超限或时钟未设置将被标记。")

    def clean_device_time(self):
        value = self.cleaned_data.get("device_time")
        if value is not None and not (1900 <= value.year <= 2100):
            raise forms.ValidationError("日期须在 1900 年到 2100 年之间。", code="device_time")
        return value


class SignOutForm(CheckForm):
    officer = _PersonChoice(label="领用人", queryset=User.objects.none(), empty_label="请选择")

    field_order = ["officer", "battery_percent", "storage_free_gb", "device_time"]

    def __init__(self, *args, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # Only officers with a valid 执法证 (the service refuses anyone else; none is offered).
        self.fields["officer"].queryset = _people(agency_id).filter(
            groups__name=str(Role.OFFICER), certificates__valid_from__lte=today,
            certificates__valid_until__gte=today, certificates__revoked=False).distinct()
