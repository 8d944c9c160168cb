"""Thin views of the AV rules: the field-trip declarations (外出执法申报, AS 12) and, from the case
page's 音像记录 part, footage of the stage attached to an act's record and an interruption noted
(LQ 22). Each calls one service; a refused act is in the ledger (the services record it) and
answered with its Chinese reason and a 4xx."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from liuhen.accounts.roles import Role
from liuhen.cases import access
from liuhen.footage import services as footage
from liuhen.footage.models import FootageItem, FootageLink
from liuhen.ledger import refusals
from liuhen.records.models import Record

from . import services
from . import vocabulary as v
from .forms import FieldTripForm, declarable_officers
from .models import FieldTrip


def _refused(request, title, msgs, back, status=400):
    return render(request, "web/error.html", {"title": title, "lines": msgs, "back": back}, status=status)


@login_required
def field_trips(request):
    user = request.user
    if not (user.has_role(Role.OFFICER) or user.has_role(Role.UNIT_HEAD) or user.has_role(Role.AGENCY_HEAD)):
        raise PermissionDenied("只有执法人员和负责人可以申报外出执法。")
    form = FieldTripForm(request.POST or None, user=user, initial={"officer": user.pk})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                trip = services.declare_field_trip(user, d["officer"], starts_at=d["starts_at"], ends_at=d["ends_at"],
                                                   place=d["place"], reason=d["reason"])
            except ValidationError as exc:
                for m in exc.messages:
                    form.add_error(None, m)
            else:
                messages.success(request, f"已申报外出执法：{trip.officer.display_name}，"
                                          f"返回后24小时内存储音像记录。")
                return redirect("avrules:trips")
        else:
            refusals.record_refusal(request, v.DENIED, [e for errs in form.errors.values() for e in errs],
                                    "user", user.pk, form=form)
        status = 400
    trips = (FieldTrip.objects.filter(officer__in=declarable_officers(user))
             .select_related("officer", "declared_by").order_by("-starts_at")[:100])
    return render(request, "avrules/trips.html", {"form": form, "trips": trips}, status=status)


def _record(request, pk) -> Record:
    record = Record.objects.select_related("case", "record_type").filter(pk=pk).first()
    if record is None or not access.can_view(request.user, record.case):
        if record is not None:
            refusals.record_denied(request, "record", record.pk)
        raise Http404
    return record


def _back(record) -> str:
    return reverse("cases:detail", args=[record.case_id]) + f"#av-{record.stage}"


def _item(request, record, field: str):
    """The footage item the form names, among those linked to the record's case (else None)."""
    raw = request.POST.get(field, "")
    if not raw:
        return None
    item = FootageItem.objects.filter(pk=raw).first() if raw.isdigit() else None
    if item is None or not FootageLink.objects.filter(item=item, case_id=record.case_id, unlink__isnull=True).exists():
        raise ValidationError("所选音像记录不属于本案件。", code="item")
    return item


@login_required
@require_POST
def link_to_record(request, pk):
    """An item linked to the record's stage (from the holding area) attached to the act's record."""
    record = _record(request, pk)
    try:
        item = _item(request, record, "item")
        if item is None:
            raise ValidationError("请选择音像记录。", code="item")
    except ValidationError as exc:
        refusals.record_refusal(request, v.DENIED, exc.messages, "record", record.pk, errors=[exc])
        return _refused(request, "未能关联音像记录", exc.messages, _back(record))
    try:
        footage.link(request.user, item, record.case, record.stage, record)  # refusals logged by the service
    except ValidationError as exc:
        return _refused(request, "未能关联音像记录", exc.messages, _back(record),
                        status=409 if "already_linked" in {e.code for e in exc.error_list} else 400)
    messages.success(request, f"已将“{item.name}”关联到{record.record_type.name}第{record.serial}号")
    return redirect(_back(record))


@login_required
@require_POST
def interruption(request, pk):
    """音像记录中断说明 (LQ 22): `before`, `after` (empty: could not resume) and the reason."""
    record = _record(request, pk)
    try:
        before, after = _item(request, record, "before"), _item(request, record, "after")
        if before is None:
            raise ValidationError("请选择中断前的音像记录。", code="item")
    except ValidationError as exc:
        refusals.record_refusal(request, v.DENIED, exc.messages, "record", record.pk, errors=[exc])
        return _refused(request, "未能记录中断说明", exc.messages, _back(record))
    try:
        services.note_interruption(request.user, record, before, after, request.POST.get("reason", ""))
    except ValidationError as exc:
        return _refused(request, "未能记录中断说明", exc.messages, _back(record))
    messages.success(request, "已记录音像记录中断说明" + ("" if after else "；请另行制作两名执法人员签字的音像记录中断情况说明"))
    return redirect(_back(record))
