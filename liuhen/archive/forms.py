"""The archive room's forms: they read the request into the services' arguments and check only the
shape of the input; what may be done (an archived case, the archivist's right, the file's type) is the
services' to say and to record when refused."""
from django import forms

from .models import SupplementKind


class SupplementForm(forms.Form):
    """补充材料: what it is, its kind, a note, the file (a scan or the court's PDF)."""

    title = forms.CharField(label="题名", max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": "如：××人民法院行政判决书（2026）×行初×号"}))
    kind = forms.ChoiceField(label="类别", choices=SupplementKind.choices)
    note = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="文件（PDF、JPEG 或 PNG）", required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,.pdf"}))

