"""The legal review's forms (重大执法决定法制审核): they read the request into the services' arguments
and check only the shape of the input; what may be done is the services' to say."""
from django import forms
from django.utils import timezone

from .models import Outcome, RulingConclusion, Verdict
from .selectors import REVIEW_POINTS

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class AssessForm(forms.Form):
    """重大执法决定认定: the judgement criteria ticked, 属于 / 不属于, and the reason where it differs."""

    major = forms.TypedChoiceField(label="认定结论", choices=(("1", "属于重大执法决定"), ("0", "不属于重大执法决定")),
                                   coerce=lambda v: v == "1", widget=forms.RadioSelect)
    judged = forms.MultipleChoiceField(label="承办人员判断的情形", required=False,
                                       widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="理由（与系统建议不同时必填）", required=False, max_length=500, widget=TEXTAREA)

    def __init__(self, *args, judgement=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judged"].choices = [(c.id, c.label) for c in judgement]


class SubmitForm(forms.Form):
    note = forms.CharField(label="送审说明", required=False, max_length=2000, widget=TEXTAREA)


class AnswerForm(forms.Form):
    note = forms.CharField(label="补充说明", max_length=2000, widget=TEXTAREA,
                           help_text="说明已补充的材料；请求后新增的记录随答复一并列明。")


class MaterialRequestForm(forms.Form):
    what = forms.CharField(label="需补充的材料", max_length=2000, widget=TEXTAREA)
    days = forms.IntegerField(label="补充期限（工作日）", min_value=1, max_value=60, required=False)


class ExtensionForm(forms.Form):
    reason = forms.CharField(label="延长理由", max_length=500, widget=TEXTAREA)


class ExtensionDecisionForm(forms.Form):
    approved = forms.TypedChoiceField(label="审批", choices=(("1", "批准延长"), ("0", "不予批准")),
                                      coerce=lambda v: v == "1", widget=forms.RadioSelect)
    opinion = forms.CharField(label="意见（不予批准时必填）", required=False, max_length=500, widget=TEXTAREA)


class ReviewForm(forms.Form):
    """审核 (LW-L 13, 15): each review point with its verdict and note, the outcome and the opinion.
    A point left unanswered is the service's to refuse (it names them all)."""

    outcome = forms.ChoiceField(label="审核结论", choices=[("", "请选择")] + list(Outcome.choices))
    opinion = forms.CharField(label="审核意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for pid, label in REVIEW_POINTS:
            self.fields[f"verdict_{pid}"] = forms.ChoiceField(label=label, choices=Verdict.choices, required=False,
                                                             widget=forms.RadioSelect)
            self.fields[f"note_{pid}"] = forms.CharField(label=f"“{label}”的说明", required=False, max_length=1000,
                                                        widget=forms.Textarea(attrs={"rows": 2}))

    def points_rows(self):
        """(label, verdict field, note field) for each point, in order, for the template."""
        return [(label, self[f"verdict_{pid}"], self[f"note_{pid}"]) for pid, label in REVIEW_POINTS]

    def points(self) -> dict:
        d = self.cleaned_data
        return {pid: {"verdict": d.get(f"verdict_{pid}") or "", "note": d.get(f"note_{pid}") or ""}
                for pid, _ in REVIEW_POINTS}


class DisagreeForm(forms.Form):
    opinion = forms.CharField(label="承办机构意见", max_length=2000, widget=TEXTAREA)


class RulingForm(forms.Form):
    """The head's decision on a disagreement, after the collective discussion (LW-L 17)."""

    discussion = forms.TypedChoiceField(label="集体讨论记录", coerce=int)
    conclusion = forms.ChoiceField(label="决定", choices=RulingConclusion.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(label="意见", max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, discussions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discussion"].choices = [("", "请选择")] + [
            (r.pk, f"集体讨论记录（第{r.serial}号，{timezone.localtime(r.created_at):%Y-%m-%d}）") for r in discussions]


class QualificationForm(forms.Form):
    user = forms.TypedChoiceField(label="法制审核人员", coerce=int)
    certificate_number = forms.CharField(label="法律职业资格证书编号", max_length=40)
    obtained_on = forms.DateField(label="取得日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "请选择")] + [(u.pk, u.display_name) for u in reviewers]


class StatsForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)

    def year_or_now(self) -> int:
        return (self.cleaned_data.get("year") if self.is_valid() else None) or timezone.localdate().year
