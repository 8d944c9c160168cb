"""The retention pages' forms: a reason (a hold, a release, a withdrawal, a restoration) and a
long-term ground (its kind among those the user may register, and the reason)."""
from django import forms

from .models import GroundKind

REASON_ERRORS = {"required": "请填写理由。", "max_length": "理由最多 500 个字符。"}


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500, error_messages=REASON_ERRORS,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))


class RowReasonForm(ReasonForm):
    """A release, a withdrawal or a restoration: which row, and why."""

    row = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "缺少对象。", "invalid": "对象无效。"})


class GroundForm(ReasonForm):
    kind = forms.ChoiceField(label="依据", choices=GroundKind.choices,
                             error_messages={"required": "请选择依据。", "invalid_choice": "所选依据无效。"})

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in GroundKind.choices if k in kinds]
        self.order_fields(["kind", "reason"])


class FilterForm(forms.Form):
    cls = forms.ChoiceField(label="保存类别", required=False,
                            choices=[("", "全部"), ("raw", "原始音像资料"), ("evidence", "作为证据使用"),
                                     ("long_term", "长期保存")],
                            error_messages={"invalid_choice": "所选保存类别无效。"})
    state = forms.ChoiceField(label="状态", required=False,
                              choices=[("", "全部"), ("due", "待清理"), ("removed", "已移除"), ("held", "法律保全")],
                              error_messages={"invalid_choice": "所选状态无效。"})
