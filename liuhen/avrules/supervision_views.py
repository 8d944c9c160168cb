"""The supervision page of footage (音像记录监督, supervision.py) and the lists behind its numbers:
for the 监督人员, the 机关负责人, and a 承办机构负责人 (their own unit). Anyone else: 403 (the 403
handler records it). A bad period: 400 with the Chinese error, recorded. Each look is a read in the
ledger (avrules.supervision)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from liuhen.ledger import refusals

from . import supervision as sv
from . import vocabulary as v

DAY_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


class PeriodForm(forms.Form):
    start = forms.DateField(label="开始日期", required=False, widget=DAY_WIDGET)
    end = forms.DateField(label="结束日期", required=False, widget=DAY_WIDGET)
    by = forms.ChoiceField(label="统计方式", required=False, choices=[("unit", "按科室"), ("officer", "按执法人员")])

    def clean(self):
        data = super().clean()
        default = sv.Period.default()
        first, last = data.get("start") or default.first, data.get("end") or default.last
        if not self.errors:
            if first.year < 1970 or last.year > 9998:  # 9999-12-31's next day, 0001-01-01 in UTC: out of range
                raise forms.ValidationError("统计期间的日期须在 1970 年到 9998 年之间。", code="range")
            if first > last:
                raise forms.ValidationError("开始日期不能晚于结束日期。", code="order")
            if (last - first).days + 1 > sv.MAX_DAYS:
                raise forms.ValidationError(f"统计期间最长 {sv.MAX_DAYS} 天。", code="too_long")
        data["period"] = sv.Period(first, last)
        data["by"] = data.get("by") or "unit"
        return data


class ListForm(PeriodForm):
    what = forms.ChoiceField(choices=list(sv.WHATS.items()))
    key = forms.CharField(required=False, max_length=20)

    def clean_key(self):
        key = self.cleaned_data.get("key") or ""
        if key and key != sv.NONE and not key.isdigit():
            raise forms.ValidationError("统计对象无效。", code="key")
        return key or None


def _allowed(request):
    if not sv.may_supervise(request.user):
        raise PermissionDenied("只有监督人员、机关负责人和承办机构负责人可以查看音像记录监督统计。")


def _bad(request, form, template, context):
    refusals.record_refusal(request, v.DENIED, [e for errs in form.errors.values() for e in errs], form=form)
    return render(request, template, {"form": form, **context}, status=400)


@login_required
def supervision(request):
    """音像记录监督: hours, files, late storage, acts without AV, clock drift — by unit or officer."""
    _allowed(request)
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _bad(request, form, "avrules/supervision.html", {"rows": None})
    data = form.cleaned_data if form.is_bound else {"period": sv.Period.default(), "by": "unit"}
    # The form shows the period counted, the default one included.
    form = PeriodForm(initial={"start": data["period"].first, "end": data["period"].last, "by": data["by"]})
    period, by = data["period"], data["by"]
    f = sv.facts(request.user, period)
    rows, total = sv.tally(request.user, f, by)
    sv.log_view(request.user, "summary", period, by)
    return render(request, "avrules/supervision.html", {
        "form": form, "rows": rows, "total": total, "period": period, "by": by,
        "scope": "本机关全部科室" if sv.agency_wide(request.user) else "本科室",
        "tolerance": rules_tolerance()})


def rules_tolerance() -> str:
    from liuhen.devices.services import drift_limit_ms

    return f"{drift_limit_ms() / 1000:g}"


@login_required
def supervision_list(request):
    """The rows behind one number of the supervision page."""
    _allowed(request)
    form = ListForm(request.GET or None)
    if not form.is_valid():
        return _bad(request, form, "avrules/supervision_list.html", {"rows": None})
    d = form.cleaned_data
    period, by, what, key = d["period"], d["by"], d["what"], d["key"]
    rows = sv.selected(sv.facts(request.user, period), what, by, key)
    sv.log_view(request.user, what, period, by, key, len(rows))
    return render(request, "avrules/supervision_list.html", {
        "form": form, "rows": rows, "what": what, "title": sv.WHATS[what], "period": period, "by": by,
        "key": key, "back": request.GET.urlencode()})


