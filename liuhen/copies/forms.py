"""Forms of the copies pages: a request (申请), a decision (审批), a handover (移交). The services
check everything again; the forms give the person their errors field by field."""
from django import forms
from django.utils import timezone

from .models import HandoverMethod, ReceiverKind


class RequestForm(forms.Form):
    items = forms.MultipleChoiceField(label="音像记录", widget=forms.CheckboxSelectMultiple,
                                      help_text="只能选择已关联到本案件的音像记录",
                                      error_messages={"required": "请至少选择一个音像记录。",
                                                      "invalid_choice": "所选音像记录未关联到本案件。"})
    receiver_kind = forms.ChoiceField(label="接收机关类别", choices=ReceiverKind.choices,
                                      error_messages={"invalid_choice": "请选择接收机关类别。"})
    receiver_name = forms.CharField(label="接收机关", max_length=200, help_text="如：本溪市平山区人民检察院")
    court_case_number = forms.CharField(label="案号", max_length=100, required=False,
                                        help_text="检察院、法院的案号（已知时填写）")
    purpose = forms.CharField(label="用途", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="如：行政非诉执行审查、行政诉讼举证")

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [
            (str(i.pk), f"{i.name} · {i.device.number} · {i.recorded_local.replace('T', ' ') if i.recorded_local else '录制时间未知'}"
                        f" · {i.officer.display_name if i.officer_id else '未归属'}") for i in items]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审批意见", choices=[("approve", "批准"), ("decline", "不予批准")],
                                 widget=forms.RadioSelect, error_messages={"required": "请选择批准或不予批准。"})
    opinion = forms.CharField(label="意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="不予批准时必填")


class HandoverForm(forms.Form):
    receiver_person = forms.CharField(label="接收人", max_length=100)
    receiver_org = forms.CharField(label="接收单位", max_length=200)
    handed_on = forms.DateField(label="移交日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                error_messages={"invalid": "请填写有效的日期。"})
    method = forms.ChoiceField(label="移交方式", choices=HandoverMethod.choices)
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"handed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class FilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + [
        ("pending", "待审批"), ("declined", "不予批准"), ("approved", "已批准，待制作"), ("made", "已制作，待移交"),
        ("handed_over", "已移交")], error_messages={"invalid_choice": "所选状态无效。"})
