"""Retrieval's forms (档案利用): they read the request into the services' arguments and check only the shape
of the input; what may be asked, approved or copied is the services' to say (and to record when refused)."""
from django import forms

from liuhen.common.formfields import IdsField
from liuhen.profiles.spec import CLASSIFICATIONS

from .models import Kind, Mode

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class FindForm(forms.Form):
    """Pick an archived case of the agency by its number."""

    number = forms.CharField(label="案件编号", max_length=64,
                             widget=forms.TextInput(attrs={"placeholder": "如 本水罚〔2026〕1号"}))
    kind = forms.ChoiceField(label="类别", choices=Kind.choices, initial=Kind.STAFF)


class RequestForm(forms.Form):
    """调用单: purpose, scope — records and the linked footage (none checked: the whole file) —, view or copy,
    days; for an outsider or a party (entered by the archivist) who and with which papers."""

    purpose = forms.CharField(label="调阅用途", max_length=500, widget=TEXTAREA)
    records = IdsField(invalid="调阅范围无效。", code="scope", label="调阅范围（不选即为整卷）", required=False)
    footage = IdsField(invalid="调阅范围无效。", code="scope", label="音像记录", required=False)
    mode = forms.ChoiceField(label="方式", choices=Mode.choices, initial=Mode.VIEW)
    days = forms.IntegerField(label="期限（天）", min_value=1, max_value=366, initial=7)
    organisation = forms.CharField(label="单位名称", max_length=200, required=False)
    person = forms.CharField(label="查阅人姓名", max_length=100, required=False)
    id_number = forms.CharField(label="查阅人身份证号码", max_length=40, required=False)
    letter_number = forms.CharField(label="介绍信编号", max_length=100, required=False)

    def __init__(self, *args, items=(), footage=(), label=str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].widget.choices = [
            (st.record.pk, f"{st.record.record_type.name}（第 {st.record.serial} 号）") for st in items]
        self.fields["footage"].widget.choices = [(it.pk, label(it)) for it in footage]


class DecisionForm(forms.Form):
    approved = forms.TypedChoiceField(label="审批", choices=(("1", "批准"), ("0", "不予批准")),
                                      coerce=lambda x: x == "1", widget=forms.RadioSelect)
    reason = forms.CharField(label="意见", max_length=500, required=False, widget=TEXTAREA)


class ClassForm(forms.Form):
    record = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(label="公开属性", max_length=20,
                           widget=forms.Select(choices=list(CLASSIFICATIONS.items())))


class SecretForm(forms.Form):
    """涉密材料存放说明: the name and the place (a file posted with it is refused by the service)."""

    title = forms.CharField(label="涉密材料名称", max_length=200)
    kept_at = forms.CharField(label="存放处", max_length=200)
