"""The evaluation forms: a round to open (名称、承办机构、执法类别、归档日期、数量、随机种子), a file's
score item by item (否决项: 符合 / 不符合; 扣分项: points off with a note), the unit's answer and the
evaluator's response. The services check everything again."""
from django import forms

from liuhen.accounts.models import Unit
from liuhen.cases.models import Kind

from . import scoring
from .models import Stance

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpenForm(forms.Form):
    title = forms.CharField(label="评查名称", max_length=100, error_messages={"required": "请填写评查名称。"})
    unit = forms.ModelChoiceField(label="承办机构", queryset=Unit.objects.none(), required=False, empty_label="全部",
                                  error_messages={"invalid_choice": "所选承办机构不存在，请重新选择。"})
    kind = forms.ChoiceField(label="执法类别", choices=[("", "全部")] + list(Kind.choices), required=False,
                             error_messages={"invalid_choice": "所选执法类别不存在，请重新选择。"})
    period_from = forms.DateField(label="归档日期起", widget=_DATE,
                                  error_messages={"invalid": "请输入有效的日期。", "required": "请填写归档日期起。"})
    period_to = forms.DateField(label="归档日期止", widget=_DATE,
                                error_messages={"invalid": "请输入有效的日期。", "required": "请填写归档日期止。"})
    size = forms.IntegerField(label="抽取数量", min_value=1, max_value=1000,
                              error_messages={"required": "请填写抽取数量。", "invalid": "抽取数量应为整数。",
                                              "min_value": "抽取数量至少为 1。", "max_value": "抽取数量最多为 1000。"})
    seed = forms.RegexField(label="随机种子（可选）", regex=r"^\s*[0-9a-fA-F]{32}\s*$", required=False,
                            help_text="留空由系统生成；也可以填写当众产生的 32 位十六进制数。种子和样本一并记入日志。",
                            error_messages={"invalid": "随机种子应为 32 位十六进制数字（0-9、a-f），或留空。"})

    def __init__(self, *args, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency_id=agency_id).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            self.add_error("period_to", forms.ValidationError("截止日期不能早于起始日期。", code="period_order"))
        return data


HARD_CHOICES = (("ok", "符合"), ("fail", "不符合（否决）"))


class ScoreForm(forms.Form):
    """One line per item of the file's pinned card: a hard-fail item's 符合 / 不符合, a deduction
    item's points off (0 to the item's points); each with its note. Then the opinion and, for a
    correction, its reason."""

    def __init__(self, *args, card: dict, correcting: bool, suggestions: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.card = card
        self.suggestions = suggestions or {}
        for section, item in scoring.items(card):
            basis = f"（{item['article']}）" if item.get("article") else ""
            if not section:
                self.fields[f"i_{item['id']}"] = forms.ChoiceField(
                    label=f"{item['label']}{basis}", choices=HARD_CHOICES, widget=forms.RadioSelect, initial="ok",
                    error_messages={"required": "请选择符合或不符合。", "invalid_choice": "请选择符合或不符合。"})
            else:
                self.fields[f"i_{item['id']}"] = forms.IntegerField(
                    label=f"{item['label']}{basis}", min_value=0, max_value=item["points"], initial=0,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": item["points"]}),
                    error_messages={"required": "请填写扣分（不扣分填 0）。", "invalid": "扣分应为整数。",
                                    "min_value": f"扣分须在 0 到 {item['points']} 之间。",
                                    "max_value": f"扣分须在 0 到 {item['points']} 之间。"})
            self.fields[f"n_{item['id']}"] = forms.CharField(
                label="说明", max_length=300, required=False,
                widget=forms.TextInput(attrs={"placeholder": "不符合或扣分时写明问题"}))
        self.fields["note"] = forms.CharField(label="评查意见", max_length=1000, required=False,
                                              widget=forms.Textarea(attrs={"rows": 2}))
        self.fields["reason"] = forms.CharField(label="更正理由", max_length=500, required=correcting,
                                                error_messages={"required": "更正评分请写明更正理由。"})

    def clean(self):
        data = super().clean()
        for section, item in scoring.items(self.card):
            value = data.get(f"i_{item['id']}")
            note = (data.get(f"n_{item['id']}") or "").strip()
            if ((not section and value == "fail") or (section and value)) and not note:
                self.add_error(f"n_{item['id']}", forms.ValidationError("不符合或扣分的项目请写明问题。", code="note"))
        return data

    def sections(self):
        """[(section or None for the hard-fail items, [(item, value field, note field, suggested findings)])]."""
        rows = {}
        for section, item in scoring.items(self.card):
            rows.setdefault(section, []).append((item, self[f"i_{item['id']}"], self[f"n_{item['id']}"],
                                                 self.suggestions.get(item["id"], [])))
        heads = {s["id"]: s for s in self.card["sections"]}
        return [(heads.get(key), items) for key, items in rows.items()]

    def results(self) -> dict:
        out = {}
        for section, item in scoring.items(self.card):
            value = self.cleaned_data[f"i_{item['id']}"]
            note = self.cleaned_data.get(f"n_{item['id']}") or ""
            out[item["id"]] = {"failed": value == "fail", "note": note} if not section else {"deduction": value,
                                                                                             "note": note}
        return out


class AnswerForm(forms.Form):
    stance = forms.ChoiceField(label="对评查结果的意见", choices=Stance.choices, widget=forms.RadioSelect,
                               error_messages={"required": "请选择无异议或有异议。",
                                               "invalid_choice": "请选择无异议或有异议。"})
    reason = forms.CharField(label="异议理由", max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}), help_text="有异议的，写明理由和依据。")
    corrected = forms.CharField(label="整改情况", max_length=1000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}), help_text="已整改的问题和措施。")

    def clean(self):
        data = super().clean()
        if data.get("stance") == Stance.OBJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", forms.ValidationError("有异议的，请写明异议理由。", code="reason_required"))
        return data


class ResponseForm(forms.Form):
    text = forms.CharField(label="回复", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "请填写回复内容。"})
