"""The filters of the supervision pages. Bad input (a month that is no month, a unit outside the
user's scope, an unknown severity, a period too long) is a Chinese error and a 400, recorded —
never a 500."""
import calendar
import datetime
import re

from django import forms
from django.utils import timezone

from liuhen.cases.models import Kind, Stage

MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
DEFAULT_MONTHS = 6
MAX_MONTHS = 36
SEVERITIES = [("", "全部"), ("error", "错误"), ("warning", "提示")]
STATUSES = [("", "全部"), ("open", "未整改"), ("resolved", "已整改")]
CLOCK_FILTERS = [("", "全部"), ("overdue", "有逾期期限"), ("running", "有进行中的期限"), ("unknown", "有无法计算的期限")]


def month_start(d: datetime.date) -> datetime.date:
    return d.replace(day=1)


def month_end(d: datetime.date) -> datetime.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: datetime.date, n: int) -> datetime.date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return datetime.date(y, m + 1, 1)


class MonthField(forms.CharField):
    """A month as YYYY-MM (what <input type="month"> sends)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        m = MONTH.match(value)
        if not m or not 1 <= int(m.group(2)) <= 12 or not 1970 <= int(m.group(1)) <= 9998:
            raise forms.ValidationError(f"月份“{value[:20]}”无效：应为“年-月”，如 2026-11，年份在 1970 至 9998 之间。",
                                        code="month")
        return datetime.date(int(m.group(1)), int(m.group(2)), 1)


class ScopeMixin:
    """Units and officers limited to what the user supervises. A 监督人员 whose agency supervises
    others (上级监督) chooses the agency too: `self.user` is then the user as seen from the chosen
    agency (selectors.AgencyView) — what the pages count goes by it."""

    def __init__(self, *args, user=None, **kwargs):
        from django.contrib.auth import get_user_model

        from . import selectors

        super().__init__(*args, **kwargs)
        agencies = selectors.viewable_agencies(user)
        if len(agencies) > 1:
            self.fields["agency"].queryset = agencies
            chosen = agencies.filter(pk=self.data.get("agency")).first() if str(self.data.get("agency", "")).isdigit() \
                else None
            if chosen is not None and chosen.pk != user.agency_id:
                user = selectors.AgencyView(user, chosen.pk)
        else:
            del self.fields["agency"]
        self.user = user
        units = selectors.scope_units(user)
        self.fields["unit"].queryset = units
        self.fields["officer"].queryset = (get_user_model().objects.filter(agency_id=user.agency_id,
                                                                           unit__in=units.values("pk"))
                                           .order_by("unit__name", "username"))
        self.fields["officer"].label_from_instance = lambda u: u.display_name


class PeriodForm(ScopeMixin, forms.Form):
    agency = forms.ModelChoiceField(label="执法机关", queryset=None, required=False, empty_label="本机关",
                                    error_messages={"invalid_choice": "所选执法机关不存在或不在您的监督范围内。"})
    start = MonthField(label="起始月份", required=False)
    end = MonthField(label="截止月份", required=False)
    unit = forms.ModelChoiceField(label="科室", queryset=None, required=False, empty_label="全部科室",
                                  error_messages={"invalid_choice": "所选科室不存在或不在您的监督范围内。"})
    officer = forms.ModelChoiceField(label="执法人员", queryset=None, required=False, empty_label="全部人员",
                                     error_messages={"invalid_choice": "所选执法人员不存在或不在您的监督范围内。",
                                                     "invalid_pk_value": "所选执法人员无效。"})

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        last = data.get("end") or month_start(today)
        first = data.get("start") or add_months(last, -(DEFAULT_MONTHS - 1))
        if first > last:
            raise forms.ValidationError("起始月份不能晚于截止月份。", code="order")
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        if months > MAX_MONTHS:
            raise forms.ValidationError(f"统计期间最长 {MAX_MONTHS} 个月。", code="too_long")
        data["first"], data["last"] = first, month_end(last)
        data["months"] = [add_months(first, i) for i in range(months)]
        return data

    def filter_detail(self) -> dict:
        """The filters as the read event keeps them: ids and codes, never a typed name."""
        d = self.cleaned_data
        out = {"from": d["first"].isoformat(), "to": d["last"].isoformat()}
        for name in ("agency", "unit", "officer"):
            if d.get(name) is not None:
                out[name] = d[name].pk
        for name in ("code", "severity", "status", "stage", "kind", "clock"):
            if d.get(name):
                out[name] = d[name]
        return out


class FindingFilterForm(PeriodForm):
    """执法监督: findings found in the period, by unit, officer, kind (code), severity, month."""

    code = forms.ChoiceField(label="问题类型", required=False, choices=[],
                             error_messages={"invalid_choice": "问题类型无效。"})
    severity = forms.ChoiceField(label="严重程度", required=False, choices=SEVERITIES,
                                 error_messages={"invalid_choice": "严重程度无效：应为“错误”或“提示”。"})
    status = forms.ChoiceField(label="整改情况", required=False, choices=STATUSES,
                               error_messages={"invalid_choice": "整改情况无效。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "全部")] + code_choices(self.user)


def code_choices(user) -> list[tuple[str, str]]:
    """The engine's finding codes (vocabulary.CODES) and any other code found in the agency."""
    from .finding_models import FindingEvent
    from .stats import code_with_label

    try:
        from .vocabulary import CODES
    except ImportError:  # pragma: no cover — the engine's vocabulary not merged yet
        CODES = {}
    codes = set(CODES) | set(FindingEvent.objects.filter(agency_id=user.agency_id).values_list("code", flat=True)
                             .distinct())
    return [(c, code_with_label(c)) for c in sorted(codes)]


class CaseFilterForm(PeriodForm):
    """案件列表: opened in the period, searched by number, cause or party; by stage, kind and clocks."""

    q = forms.CharField(label="案件编号、案由或当事人", required=False, max_length=100)
    stage = forms.ChoiceField(label="阶段", required=False, choices=[("", "全部")] + list(Stage.choices)
                              + [("archived", "已归档")], error_messages={"invalid_choice": "阶段无效。"})
    kind = forms.ChoiceField(label="执法类别", required=False, choices=[("", "全部")] + list(Kind.choices),
                             error_messages={"invalid_choice": "执法类别无效。"})
    clock = forms.ChoiceField(label="期限", required=False, choices=CLOCK_FILTERS,
                              error_messages={"invalid_choice": "期限筛选无效。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["officer"]  # cases by officer: through the findings page
        self.fields["q"].widget.attrs["placeholder"] = "编号、案由或当事人名称/证件号"

    def clean_q(self):
        from liuhen.common import text

        value = self.cleaned_data.get("q") or ""
        try:
            return text.clean(value, "搜索内容").strip() if value else ""
        except forms.ValidationError:
            raise
        except Exception:  # noqa: BLE001
            raise forms.ValidationError("搜索内容无效。", code="q") from None


class StatsFilterForm(PeriodForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["officer"]
