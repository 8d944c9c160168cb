"""The portal's forms: the decisions' filters, the certificate lookup, a comment, the verification token.
Each refuses what it cannot take with a Chinese message (the view answers 400 and records the code)."""
from django import forms
from django.core.exceptions import ValidationError

from liuhen.common import text as texts
from liuhen.documents.selectors import well_formed_token

from . import portal_selectors as ps
from . import selectors as s
from .models import CommentKind

COMMENT_MAX = 2000
NAME_MAX = 50
CONTACT_MAX = 100


def _line(value, label, max_length) -> str:
    return texts.clean(value, label, max_length=max_length).strip()


class DecisionFilterForm(forms.Form):
    """?year=&penalty=&q=&page= of /public/decisions/ (all optional)."""

    year = forms.IntegerField(label="年度", required=False, min_value=2000,
                              error_messages={"invalid": "年度应为四位数字。", "min_value": "年度不能早于2000年。"})
    penalty = forms.ChoiceField(label="处罚类别", required=False,
                                choices=[("", "全部")] + [(x, x) for x in ps.PENALTY_LABELS],
                                error_messages={"invalid_choice": "处罚类别不正确。"})
    q = forms.CharField(label="当事人名称", required=False, strip=False)
    page = forms.IntegerField(label="页码", required=False, min_value=1,
                              error_messages={"invalid": "页码应为正整数。", "min_value": "页码应为正整数。"})

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and year > s.today().year:
            raise ValidationError("年度不能晚于今年。", code="max_value")
        return year

    def clean_q(self):
        return _line(self.cleaned_data.get("q") or "", "当事人名称", ps.MAX_Q)

    def filter(self) -> ps.DecisionFilter:
        d = self.cleaned_data
        return ps.DecisionFilter(year=d.get("year"), penalty=d.get("penalty") or "", q=d.get("q") or "")


class LookupForm(forms.Form):
    """?number= of /public/officers/: a 执法证号."""

    number = forms.CharField(label="执法证号", max_length=60, strip=False,
                             error_messages={"required": "请输入执法证号。",
                                             "max_length": "执法证号最多40个字符。"})

    def clean_number(self):
        number = ps.normal_certificate_number(self.cleaned_data["number"])
        if number is None:
            raise ValidationError("执法证号格式不正确：应为4至40位数字、字母或汉字。", code="malformed")
        return number


class CommentForm(forms.Form):
    """公众意见 on a published decision: the kind and the text; a name and a way to answer optional."""

    kind = forms.ChoiceField(label="意见类别", choices=CommentKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "请选择意见类别。", "invalid_choice": "请选择意见类别。"})
    text = forms.CharField(label="意见内容", widget=forms.Textarea(attrs={"rows": 5, "maxlength": COMMENT_MAX}),
                           strip=False, error_messages={"required": "请填写意见内容。"})
    name = forms.CharField(label="姓名（选填）", required=False, strip=False,
                           widget=forms.TextInput(attrs={"maxlength": NAME_MAX, "autocomplete": "name"}))
    contact = forms.CharField(label="联系方式（选填，用于答复）", required=False, strip=False,
                              widget=forms.TextInput(attrs={"maxlength": CONTACT_MAX, "autocomplete": "tel"}))

    def clean_text(self):
        value = texts.clean(self.cleaned_data["text"], "意见内容", multiline=True, max_length=COMMENT_MAX).strip()
        if not value:
            raise ValidationError("请填写意见内容。", code="required")
        return value

    def clean_name(self):
        return _line(self.cleaned_data.get("name") or "", "姓名", NAME_MAX)

    def clean_contact(self):
        return _line(self.cleaned_data.get("contact") or "", "联系方式", CONTACT_MAX)


class VerifyForm(forms.Form):
    """/public/verify/?token=: the 验真码 printed under a document's QR code."""

    token = forms.CharField(label="验真码", max_length=64, strip=True,
                            error_messages={"required": "请输入文书上的验真码。", "max_length": "验真码格式不正确。"})

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not well_formed_token(token):
            raise ValidationError("验真码格式不正确：请核对文书二维码下方印制的验真码。", code="malformed")
        return token


def first_error(form) -> tuple[str, str]:
    """(code, message) of the form's first error: the code goes to the ledger, the message to the page."""
    for errors in form.errors.as_data().values():
        for error in errors:
            return (error.code or "invalid"), error.messages[0]
    return "invalid", "输入有误。"
