"""The device administrator's forms (设备登记、领用、归还、修改). Services check again; the forms give
the person their errors field by field."""
from django import forms
from django.utils import timezone

from liuhen.accounts.models import Unit, User
from liuhen.accounts.roles import Role

from .models import Kind, LifeResult


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
    """The registry's facts; the status changes only through the device's life events (LQ 26)."""

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


# ---- the device's life (LW-D 4, LQ 24, LQ 26) ------------------------------------------------------
# Required texts (the fault, the supplier, the work done, the reason) are checked by the services,
# which say why in the words of the article and record the refusal (devices.denied).

_DAY = dict(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), help_text="不填为今天。")


class LifeCheckForm(forms.Form):
    """定期检查保养 (LW-D 4: 电池容量、内存空间; SPEC §3: the clock)."""
    done_on = forms.DateField(label="检查日期", **_DAY)
    result = forms.ChoiceField(label="检查结果", choices=[(LifeResult.OK, "正常"), (LifeResult.PROBLEM, "发现问题")],
                               widget=forms.RadioSelect, initial=LifeResult.OK)
    battery_health_percent = forms.IntegerField(label="电池健康度（%）", min_value=0, max_value=100, required=False)
    storage_free_gb = forms.DecimalField(label="剩余存储（GB）", min_value=0, max_digits=9, decimal_places=2,
                                         required=False)
    device_time = CheckForm.base_fields["device_time"]
    note = forms.CharField(label="说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="发现问题的，写明问题；设备将停用，须送修。")

    def clean_device_time(self):
        return CheckForm.clean_device_time(self)


class FaultForm(forms.Form):
    """故障报告 (LW-D 8, LQ 26)."""
    note = forms.CharField(label="故障情况", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="设备将停用，不能再领用，直至供应商修复并检查合格。")


class RepairOutForm(forms.Form):
    """送修 (LQ 26: 交由专业人员维修)."""
    supplier = forms.CharField(label="供应商/维修单位", required=False, max_length=200,
                               help_text="必填：设备不得私自拆装、更换（LQ 26）。")
    done_on = forms.DateField(label="送修日期", **_DAY)
    note = forms.CharField(label="说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class RepairBackForm(forms.Form):
    """修复返回."""
    result = forms.ChoiceField(label="维修结果", widget=forms.RadioSelect, initial=LifeResult.REPAIRED,
                               choices=[(LifeResult.REPAIRED, "已修复"), (LifeResult.NOT_REPAIRED, "未能修复")])
    work_done = forms.CharField(label="维修情况", required=False, max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 2}), help_text="供应商做了什么（更换电池、主板维修等）。")
    supplier = forms.CharField(label="维修单位", required=False, max_length=200, help_text="不填为送修时的单位。")
    done_on = forms.DateField(label="返回日期", **_DAY)


class ScrapForm(forms.Form):
    """报废."""
    reason = forms.CharField(label="报废原因", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="报废后不能恢复，也不能再领用。")
    done_on = forms.DateField(label="报废日期", **_DAY)
