from django import forms

from .vocabulary import OBJECT_TYPE_LABELS


class SearchForm(forms.Form):
    """The audit log's search: who (操作人), what object, which action, when. Every field optional."""

    actor = forms.CharField(label="操作人", required=False, max_length=150,
                            help_text="用户名、姓名或人员编号；填“系统”查系统自身的操作。")
    object_type = forms.CharField(label="对象类型", required=False, max_length=64)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    action = forms.CharField(label="操作", required=False, max_length=64,
                             help_text="操作代码，如 accounts.role_grant；以 * 结尾按前缀查，如 accounts.*。")
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": "请输入有效的日期，如 2026-12-01。"})
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": "请输入有效的日期，如 2026-12-01。"})

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError("截止日期不能早于起始日期。")
        for name in ("actor", "object_type", "object_id", "action"):
            if name in data:
                data[name] = data[name].strip()
        return data

    def filters(self) -> dict:
        """The non-empty filters, as text (what the ledger records about a search or an export)."""
        return {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                for k, v in self.cleaned_data.items() if v not in (None, "")}

    @staticmethod
    def object_types():
        return sorted(OBJECT_TYPE_LABELS.items())
