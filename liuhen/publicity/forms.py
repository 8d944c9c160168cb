"""The staff's 公示 forms: they read the request into the services' arguments and check only its shape;
what may be drafted, reviewed, approved, withdrawn is the services' to say (and to record when refused)."""
from django import forms

from . import redact
from .models import REVIEW_CHECKS, EntryKind, ExemptionGround

TEXTAREA = forms.Textarea(attrs={"rows": 3})
PASSED = (("1", "通过"), ("0", "退回"))

# 事前公开 (LW-P 7): the summary fields each kind of entry publishes, in order; `title` falls back to the
# first of them for a matter and a channel.
KIND_FIELDS = {
    EntryKind.MATTER: ("事项名称", "法规依据", "办理条件", "办理程序", "办理时限"),
    EntryKind.AGENCY: ("机构设置", "职责", "网址", "办公时间"),
    EntryKind.CHANNEL: ("渠道名称", "方式", "受理范围", "反馈时限"),
    EntryKind.BENCHMARK: (),
}
TITLE_FROM = {EntryKind.MATTER: "事项名称", EntryKind.CHANNEL: "渠道名称"}


def _passed():
    return forms.TypedChoiceField(label="结论", choices=PASSED, coerce=lambda x: x == "1", widget=forms.RadioSelect)


class RedactForm(forms.Form):
    """隐去: a fragment of the served text (every occurrence) and its category."""

    fragment = forms.CharField(label="要隐去的内容", max_length=200,
                               help_text="照原文填写（如证人的姓名），原文中每一处都将隐去。")
    category = forms.ChoiceField(label="类别", choices=list(redact.CATEGORIES.items()))


class ReviewForm(forms.Form):
    """审核 (LW-P 9): each item confirmed, pass or return with the opinion."""

    checks = forms.MultipleChoiceField(label="审核事项（通过须逐项确认）", choices=REVIEW_CHECKS, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    passed = _passed()
    opinion = forms.CharField(label="审核意见（退回时必填）", max_length=1000, required=False, widget=TEXTAREA)

    def service_checks(self) -> dict:
        return {code: code in self.cleaned_data["checks"] for code, _ in REVIEW_CHECKS}


class ApproveForm(forms.Form):
    """批准 (LW-P 6): passing publishes at once."""

    passed = _passed()
    opinion = forms.CharField(label="批准意见（退回时必填）", max_length=1000, required=False, widget=TEXTAREA)


class ReasonForm(forms.Form):
    """撤回 / 提前撤下: the reason (a withdrawal's is shown to the public in the entry's place)."""

    reason = forms.CharField(label="理由", max_length=500, widget=TEXTAREA)

    def __init__(self, *args, label="理由", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label


class ReplyForm(forms.Form):
    text = forms.CharField(label="答复", max_length=2000, widget=TEXTAREA)


class ExemptForm(forms.Form):
    """不予公开: the ground and why (政府信息公开条例 14-15)."""

    ground = forms.ChoiceField(label="理由", choices=ExemptionGround.choices)
    note = forms.CharField(label="说明", max_length=500, widget=TEXTAREA)


class _SummaryForm(forms.Form):
    """A form with one field per summary label (s0, s1, … in order: labels are Chinese, names are not)."""

    def _add_summary(self, labels, initial=None):
        self.labels = list(labels)
        for i, label in enumerate(self.labels):
            self.fields[f"s{i}"] = forms.CharField(label=label, max_length=2000, required=False, widget=TEXTAREA,
                                                   initial=(initial or {}).get(label, ""))

    def summary(self) -> dict:
        return {label: self.cleaned_data[f"s{i}"] for i, label in enumerate(self.labels)}

    def summary_fields(self):
        return [self[f"s{i}"] for i in range(len(self.labels))]


class ContentForm(_SummaryForm):
    """事前公开 content of one kind: the title, the kind's summary fields, the text."""

    title = forms.CharField(label="标题", max_length=300, required=False)
    body = forms.CharField(label="公示内容", max_length=50000, required=False,
                           widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self._add_summary(KIND_FIELDS[kind])
        if kind not in TITLE_FROM:
            self.fields["title"].required = True
        if kind == EntryKind.BENCHMARK:
            self.fields["body"].required = True

    def clean(self):
        data = super().clean()
        if not data.get("title") and self.kind in TITLE_FROM:
            name = TITLE_FROM[self.kind]
            data["title"] = data.get(f"s{self.labels.index(name)}", "")
            if not data["title"]:
                self.add_error(f"s{self.labels.index(name)}", forms.ValidationError(f"请填写{name}。", code="required"))
        return data


class ReviseForm(_SummaryForm):
    """更正 (LW-P 13): the reason, the summary (prefilled with the live one), the text for content kinds."""

    reason = forms.CharField(label="更正理由", max_length=500, widget=TEXTAREA)
    body = forms.CharField(label="公示内容", max_length=50000, required=False,
                           widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_body = version.entry.kind != EntryKind.DECISION
        self._add_summary(version.summary.keys(), version.summary)
        if self.with_body:
            self.fields["body"].initial = version.body
        else:
            del self.fields["body"]
