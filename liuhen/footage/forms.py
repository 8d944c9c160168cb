"""The link form of the holding area: which of the officer's cases, which stage."""
from django import forms

from liuhen.cases.models import Case, Stage


class LinkForm(forms.Form):
    case = forms.ModelChoiceField(label="案件", queryset=Case.objects.none(), empty_label="选择本人承办的案件",
                                  error_messages={"required": "请选择案件。", "invalid_choice": "所选案件无效。"})
    stage = forms.ChoiceField(label="阶段", choices=Stage.choices,
                              error_messages={"required": "请选择阶段。", "invalid_choice": "所选阶段无效。"})

    def __init__(self, *args, officer=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The officer's own open cases (承办): only an officer of the case links footage to it.
        self.fields["case"].queryset = (Case.objects.filter(officers__officer=officer, archived_at__isnull=True)
                                        .order_by("-pk") if officer is not None else Case.objects.none())
