"""Forms of the avrules pages: a field trip declared (外出执法申报, AS 12). The services check
again; the form gives the person their errors field by field."""
from django import forms

from liuhen.accounts.models import User
from liuhen.accounts.roles import Role


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.username}）"


def declarable_officers(user):
    """Whom `user` may declare a trip for: themselves (an officer), the officers of their unit (a
    承办机构负责人) or of the agency (a 机关负责人) — as services.declare_field_trip accepts."""
    qs = User.objects.filter(agency_id=user.agency_id, is_active=True, groups__name=str(Role.OFFICER))
    if user.has_role(Role.AGENCY_HEAD):
        return qs.order_by("full_name", "username").distinct()
    if user.has_role(Role.UNIT_HEAD):
        return qs.filter(unit_id=user.unit_id).order_by("full_name", "username").distinct()
    return qs.filter(pk=user.pk)


class FieldTripForm(forms.Form):
    officer = _PersonChoice(label="外出执法人员", queryset=User.objects.none(), empty_label=None)
    starts_at = forms.DateTimeField(label="外出时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label="预计返回时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                  help_text="返回本单位后24小时内应将音像记录存储至系统（AS 12）。须在返回前申报。")
    place = forms.CharField(label="外出地点", max_length=200)
    reason = forms.CharField(label="外出事由", max_length=500,
                             help_text="连续工作、异地工作或在边远、交通不便地区执法的情况")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = declarable_officers(user)
