"""The calendar page (工作日历, /workdays/): the known years and where each comes from, one year's
holidays and adjusted working weekends as a list and twelve month grids, the loads of that year,
and — for the 系统管理员 — the upload of a schedule file. Everyone logged in may look; a refused
upload is a 4xx page with each problem's line, recorded in the ledger, and nothing is loaded."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from liuhen.ledger import refusals

from . import calendar, selectors, services
from . import vocabulary as v
from .forms import LoadForm


def _page(request, year: int, *, form=None, problems=(), status=200):
    view = selectors.year_view(year, months=True)
    return render(request, "workdays/index.html", {
        "year": year, "view": view, "years": selectors.known_years(), "loads": selectors.loads(year),
        "may_load": services.may_load(request.user), "form": form or LoadForm(), "problems": list(problems),
        "legend": [("work", "工作日"), ("weekend", "休息日"), ("holiday", "放假"), ("adjusted", "调休上班")],
    }, status=status)


def _default_year() -> int:
    today = timezone.localdate().year
    if calendar.known(today):
        return today
    years = calendar.known_years()
    return years[-1] if years else today


@login_required
def index(request):
    raw = request.GET.get("year", "")
    if raw:
        if not (raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100):
            refusals.record_refusal(request, v.REFUSED, ["year"], v.CALENDAR, "", status=400)
            response = _page(request, _default_year(), problems=[f"年度“{raw[:20]}”无效：应为 1900–2100 之间的四位年份。"],
                             status=400)
            return response
        year = int(raw)
    else:
        year = _default_year()
    services.log_view(request.user, year)
    return _page(request, year)


@login_required
@require_POST
def load(request):
    if not services.may_load(request.user):
        raise PermissionDenied("只有系统管理员可以载入放假安排。")
    form = LoadForm(request.POST, request.FILES)
    year = _default_year()
    if not form.is_valid():
        refusals.record_refusal(request, v.REFUSED, [e for errs in form.errors.values() for e in errs],
                                v.CALENDAR, "", status=400, form=form)
        return _page(request, year, form=form, status=400)
    content = form.cleaned_data["file"].read()
    try:
        row = services.load_schedule(request.user, content, reason=form.cleaned_data["reason"])
    except ValidationError as exc:  # recorded by the service (workdays.denied)
        status = 409 if any(getattr(e, "code", "") == "unchanged" for e in exc.error_list) else 400
        return _page(request, year, form=form, problems=exc.messages, status=status)
    messages.success(request, f"已载入 {row.year} 年放假安排：{row.notice}（{row.number}）。")
    return redirect(f"{reverse('workdays:index')}?year={row.year}")
