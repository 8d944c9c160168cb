"""Caseproperty's forms (涉案财物): they read the request into the services' arguments and check only the
shape of the input; what may be done — the source record of this case, items not yet handled — is the
services' to say (and to record when refused)."""
from django import forms

from liuhen.common.formfields import IdsField

from .models import Kind, Source
from .selectors import STATE_LABELS

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"})
YUAN = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})


class ItemForm(forms.Form):
    """登记财物: what it is, how much, where it came from and the record listing it, a photo (the phone's
    camera), where it is first kept."""

    name = forms.CharField(label="财物名称", max_length=200)
    specification = forms.CharField(label="规格型号", max_length=200, required=False)
    quantity = forms.DecimalField(label="数量", max_digits=15, decimal_places=3,
                                  widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    unit = forms.CharField(label="计量单位", max_length=20, widget=forms.TextInput(attrs={"placeholder": "台、件、千克…"}))
    source = forms.ChoiceField(label="来源", choices=Source.choices)
    source_record = forms.TypedChoiceField(label="来源记录（查封扣押现场笔录或证据登记保存清单）", required=False,
                                           coerce=int, empty_value=None, choices=())
    value = forms.DecimalField(label="估价（元）", required=False, max_digits=13, decimal_places=2, widget=YUAN)
    photo = forms.FileField(label="照片", required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}))
    place = forms.CharField(label="保管地点", max_length=200, required=False)
    custodian = forms.CharField(label="保管人", max_length=100, required=False)

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["source_record"]
        field.choices = [("", "（无）")] + [(r.pk, f"{r.record_type.name}（第 {r.serial} 号）") for r in records]
        # The id posted is checked by the service (this case's, complete, of the right type) — not here.
        field.valid_value = lambda value: True


class CustodyForm(forms.Form):
    place = forms.CharField(label="保管地点", max_length=200)
    custodian = forms.CharField(label="保管人", max_length=100)
    from_at = forms.DateTimeField(label="起始时间（不填为现在）", required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class RequestForm(forms.Form):
    items = IdsField(invalid="所选财物无效。", code="items", label="财物")
    kind = forms.ChoiceField(label="处理方式", choices=Kind.choices)
    reason = forms.CharField(label="理由和依据", max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].widget.choices = [(v.item.pk, f"{v.item.name} {v.item.quantity.normalize():f}{v.item.unit}")
                                               for v in items]


class DecisionForm(forms.Form):
    approved = forms.TypedChoiceField(label="审批", choices=(("1", "批准"), ("0", "不予批准")),
                                      coerce=lambda v: v == "1", widget=forms.RadioSelect)
    opinion = forms.CharField(label="意见（不予批准时必填）", required=False, max_length=500, widget=TEXTAREA)


class HandlingForm(forms.Form):
    """处理结果: the day, who received (退还), what the auction brought (拍卖), the proof. The proof is not
    required here: its absence is the service's to refuse (and record)."""

    done_on = forms.DateField(label="处理日期", widget=DATE)
    recipient = forms.CharField(label="接收人（退还）", max_length=100, required=False)
    relation = forms.CharField(label="接收人与当事人的关系（退还）", max_length=50, required=False,
                               widget=forms.TextInput(attrs={"placeholder": "本人、法定代表人、委托代理人…"}))
    proceeds = forms.DecimalField(label="拍卖所得（元，拍卖）", required=False, max_digits=13, decimal_places=2, widget=YUAN)
    voucher = forms.FileField(label="处理凭证（签收单、拍卖成交确认书、销毁照片或移交清单）", required=False,
                              widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf"}))


class FilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False)
    source = forms.ChoiceField(label="来源", required=False, choices=[("", "全部")] + list(Source.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "全部")] + list(STATE_LABELS.items())
