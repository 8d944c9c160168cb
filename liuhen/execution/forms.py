"""Execution's forms (执行): they read the request into the services' arguments and check only the
shape of the input; what may be done is the services' to say."""
import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from .models import Channel, DeferralKind, Towards

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"})


class PaymentForm(forms.Form):
    """缴款: amount in 元, the day, the channel, what it pays, the voucher (a phone's camera or a PDF).
    The voucher is not required here: its absence is the service's to refuse (and record)."""

    amount = forms.DecimalField(label="缴款金额（元）", min_value=Decimal("0.01"), max_digits=13, decimal_places=2,
                                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    paid_on = forms.DateField(label="缴款日期", widget=DATE)
    channel = forms.ChoiceField(label="缴款方式", choices=Channel.choices)
    towards = forms.ChoiceField(label="缴纳款项", choices=Towards.choices, initial=Towards.FINE)
    voucher = forms.FileField(label="缴款凭证（银行缴款书、收据照片或电子凭证）", required=False,
                              widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf"}))


def parse_instalments(value: str) -> list[tuple[datetime.date, int]]:
    """"2026-12-31 1000.50" per line → [(date, 分)]."""
    out = []
    for n, line in enumerate((value or "").splitlines(), 1):
        line = line.strip().replace("，", " ").replace(",", " ")
        if not line:
            continue
        parts = line.split()
        try:
            due = datetime.date.fromisoformat(parts[0])
            amount = Decimal(parts[1])
        except (IndexError, ValueError, ArithmeticError):
            raise ValidationError(f"第{n}行应为“日期 金额”，如 2026-12-31 1000。", code="instalment_line")
        if len(parts) != 2 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(f"第{n}行应为“日期 金额”，金额最多两位小数。", code="instalment_line")
        out.append((due, int(amount * 100)))
    return out


class DeferralRequestForm(forms.Form):
    kind = forms.ChoiceField(label="申请事项", choices=DeferralKind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="申请理由（当事人确有经济困难的情况）", max_length=2000, widget=TEXTAREA)
    new_due_on = forms.DateField(label="延期至（延期缴纳）", required=False, widget=DATE)
    instalments = forms.CharField(label="分期计划（分期缴纳：每行一期，“日期 金额”）", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-12-31 2500\n2027-01-31 2500"}))

    def clean_instalments(self):
        return parse_instalments(self.cleaned_data.get("instalments") or "")


class DeferralDecisionForm(forms.Form):
    approved = forms.TypedChoiceField(label="审批", choices=(("1", "批准"), ("0", "不予批准")),
                                      coerce=lambda v: v == "1", widget=forms.RadioSelect)
    opinion = forms.CharField(label="意见（不予批准时必填）", required=False, max_length=500, widget=TEXTAREA)
