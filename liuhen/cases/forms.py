from django import forms
from django.utils import timezone

from django.db.models import Prefetch

from liuhen.accounts.models import Certificate, User
from liuhen.accounts.roles import Role
from liuhen.common import text

from .models import Kind, PartyKind, Procedure, StartMode


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        valid = getattr(obj, "valid_certificates", None)  # prefetched by NewCaseForm
        cert = (valid[0] if valid else None) if valid is not None else obj.certificate_on()
        unit = f"{obj.unit.name} · " if obj.unit_id else ""
        return f"{obj.display_name}（{unit}{cert.number}）" if cert else f"{obj.display_name}（无有效执法证）"


def certified_officers(agency, day=None):
    """The agency's active officers holding a 执法证 valid on `day` (today): the only people a
    picker offers (LC 10: only certified officers act in enforcement)."""
    day = day or timezone.localdate()
    valid = Certificate.objects.filter(valid_from__lte=day, valid_until__gte=day, revoked=False)
    return (User.objects.filter(agency=agency, groups__name=Role.OFFICER, is_active=True, certificates__in=valid)
            .select_related("unit").prefetch_related(
                Prefetch("certificates", queryset=valid.order_by("-valid_until"), to_attr="valid_certificates"))
            .distinct())


def cannot_open_cases_reason(user) -> str:
    """Why `user` cannot open a case, in Chinese ("" if they can)."""
    if not user.has_role(Role.OFFICER, Role.UNIT_HEAD):
        return "只有执法人员或承办机构负责人可以立案。"
    if user.unit_id is None:
        return "您没有所属执法机构，不能立案。"
    if user.has_role(Role.OFFICER) and user.certificate_on() is None:
        return "您没有有效的行政执法证（未持证、已过期或已被吊销），不能立案或承办案件。请联系执法证管理人员办理。"
    return ""


class NewCaseForm(forms.Form):
    title = forms.CharField(label="案由", max_length=200, validators=[text.single_line])
    kind = forms.ChoiceField(label="执法类别", choices=Kind.choices)
    procedure = forms.ChoiceField(label="程序", choices=Procedure.choices, initial=Procedure.GENERAL)
    start_mode = forms.ChoiceField(label="启动方式", choices=StartMode.choices, initial=StartMode.EX_OFFICIO)
    on_site = forms.BooleanField(label="涉及现场执法（需两名以上执法人员）", required=False, initial=True)
    summary = forms.CharField(label="简要案情", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=text.TEXT_MAX, validators=[text.multi_line])
    officers = OfficerChoiceField(label="其他承办人员", queryset=User.objects.none(), required=False,
                                  widget=forms.CheckboxSelectMultiple,
                                  error_messages={"invalid_choice": "所选人员没有有效执法证或不是本机关执法人员。"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        officers = (User.objects.filter(agency=user.agency, groups__name=Role.OFFICER, is_active=True)
                    .exclude(pk=user.pk).order_by("unit_id", "full_name").distinct())
        certified = certified_officers(user.agency).exclude(pk=user.pk).order_by("unit_id", "full_name")
        # Officers without a valid certificate cannot be named on an enforcement act: listed apart.
        self.fields["officers"].queryset = certified
        self.uncertified = [u.display_name for u in officers.exclude(pk__in=certified.values("pk"))]


class PartyForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=PartyKind.choices)
    name = forms.CharField(label="姓名/名称", max_length=200, validators=[text.single_line])
    id_number = forms.CharField(label="身份证号码/统一社会信用代码", max_length=30, validators=[text.single_line])
    legal_representative = forms.CharField(label="法定代表人/负责人", max_length=50, required=False,
                                           validators=[text.single_line])
    phone = forms.CharField(label="联系电话", max_length=30, required=False, validators=[text.single_line])
    address = forms.CharField(label="住所/地址", max_length=200, required=False, validators=[text.single_line])


class CorrectPartyForm(PartyForm):
    reason = forms.CharField(label="更正理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class OfficerPickField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        cert = obj.valid_certificates[0] if getattr(obj, "valid_certificates", None) else None
        return f"{obj.display_name}（{cert.number}）" if cert else obj.display_name


class AssignOfficerForm(forms.Form):
    officer = OfficerPickField(label="执法人员", queryset=User.objects.none(), empty_label="选择执法人员",
                               error_messages={"invalid_choice": "所选人员没有有效执法证或已是承办人员。"})

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        # Only officers with a certificate valid today: the others cannot be named (LC 10).
        self.fields["officer"].queryset = (
            certified_officers(case.agency).exclude(case_assignments__case=case).order_by("full_name"))
