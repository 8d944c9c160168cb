"""The inspector's forms: a round to draw (抽检对象、科室、期间、数量或比例) and the findings of one
sampled item (each check: 合格 / 不合格 / 不适用, with a note). The services check again."""
from django import forms

from liuhen.accounts.models import Unit

from .models import Kind, Result

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DrawForm(forms.Form):
    kind = forms.ChoiceField(label="抽检对象", choices=Kind.choices, initial=Kind.FOOTAGE, widget=forms.RadioSelect,
                             help_text="音像记录：按录制时间；执法记录设备：期间结束前登记、未报废的设备。")
    unit = forms.ModelChoiceField(label="科室", queryset=Unit.objects.none(), required=False,
                                  empty_label="全部科室",
                                  error_messages={"invalid_choice": "所选科室不存在，请重新选择。"})
    period_from = forms.DateField(label="期间起", widget=_DATE, error_messages={"invalid": "请输入有效的日期。"})
    period_to = forms.DateField(label="期间止", widget=_DATE, error_messages={"invalid": "请输入有效的日期。"})
    size = forms.IntegerField(label="抽取数量", required=False, min_value=1, max_value=100000,
                              error_messages={"min_value": "抽取数量至少为 1。"})
    percent = forms.IntegerField(label="或抽取比例（%）", required=False, min_value=1, max_value=100,
                                 error_messages={"min_value": "抽取比例须在 1% 到 100% 之间。",
                                                 "max_value": "抽取比例须在 1% 到 100% 之间。"})

    def __init__(self, *args, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency_id=agency_id).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            self.add_error("period_to", forms.ValidationError("截止日期不能早于起始日期。", code="period_order"))
        if "size" in data and "percent" in data and (data["size"] is None) == (data["percent"] is None):
            raise forms.ValidationError("请填写抽取数量或抽取比例（二者选一）。", code="size_or_percent")
        return data


class FindingForm(forms.Form):
    """One radio group and one note per check of the round's checklist, then a general note."""

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        for check in checklist:
            basis = f"（{check['basis']}）" if check.get("basis") else ""
            self.fields[f"r_{check['code']}"] = forms.ChoiceField(
                label=f"{check['label']}{basis}", choices=Result.choices, widget=forms.RadioSelect,
                error_messages={"required": "请选择合格、不合格或不适用。"})
            self.fields[f"n_{check['code']}"] = forms.CharField(
                label="说明", max_length=200, required=False,
                widget=forms.TextInput(attrs={"placeholder": "不合格时写明问题"}))
        self.fields["note"] = forms.CharField(label="备注", max_length=500, required=False,
                                              widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        for check in self.checklist:
            if data.get(f"r_{check['code']}") == Result.FAIL and not (data.get(f"n_{check['code']}") or "").strip():
                self.add_error(f"n_{check['code']}", forms.ValidationError("不合格的项目请写明问题。", code="fail_note"))
        return data

    def rows(self):
        """(check, result field, note field) for the template."""
        return [(c, self[f"r_{c['code']}"], self[f"n_{c['code']}"]) for c in self.checklist]

    def results(self) -> dict:
        return {c["code"]: (self.cleaned_data[f"r_{c['code']}"], self.cleaned_data.get(f"n_{c['code']}") or "")
                for c in self.checklist}


class LedgerFilterForm(forms.Form):
    """The 抽检台账's filters (GET): what was sampled, the unit, and when the rounds were drawn — a
    month's or a quarter's rounds for the regular report (LW-D 14: 定期通报)."""

    kind = forms.ChoiceField(label="抽检对象", choices=[("", "全部")] + list(Kind.choices), required=False)
    unit = forms.ModelChoiceField(label="科室", queryset=Unit.objects.none(), required=False, empty_label="全部",
                                  error_messages={"invalid_choice": "所选科室不存在，请重新选择。"})
    drawn_from = forms.DateField(label="抽取日期起", required=False, widget=_DATE,
                                 error_messages={"invalid": "请输入有效的日期。"})
    drawn_to = forms.DateField(label="抽取日期止", required=False, widget=_DATE,
                               error_messages={"invalid": "请输入有效的日期。"})

    def __init__(self, *args, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency_id=agency_id).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("drawn_from"), data.get("drawn_to")
        if start and end and start > end:
            self.add_error("drawn_to", forms.ValidationError("截止日期不能早于起始日期。", code="period_order"))
        return data
