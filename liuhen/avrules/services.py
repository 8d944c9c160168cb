"""Writes of the avrules app, each in one transaction with its ledger entry: a field trip declared
(外出执法申报, AS 12) and a break in an act's footage explained (音像记录中断说明, LQ 22). A refused
act is in the ledger with its codes (never its text)."""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.accounts.services import require_valid_certificate
from liuhen.cases import access
from liuhen.common import text
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger

from . import vocabulary as v
from .models import FieldTrip, Interruption
from .rules import FIELD_TRIP_MAX_DAYS, rule_of
from .selectors import act_footage, next_on_device, span


def _guarded(act: str, object_type: str):
    return refusals.records_refusals(v.DENIED, act, lambda actor, target=None, *rest: (object_type,
                                                                                       getattr(target, "pk", "")))


def _required(value, label: str, max_length: int) -> str:
    value = text.clean(value or "", label, max_length=max_length).strip()
    if not value:
        raise ValidationError(f"请填写{label}。", code="required")
    return value


def _aware(value, label: str) -> datetime.datetime:
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{label}格式无效。", code="bad_time") from None
    if not isinstance(value, datetime.datetime):
        raise ValidationError(f"请填写{label}。", code="required")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@_guarded("field_trip", "user")
def declare_field_trip(actor, officer, *, starts_at, ends_at, place: str, reason: str) -> FieldTrip:
    """外出执法申报 (AS 12): `officer` works away from `starts_at` to `ends_at` (the declared
    return); footage they record within it is due 24 hours after the return. Declared by the
    officer (with a valid 执法证) or by a 负责人 of their agency (the head of their unit), and before
    the declared return: an excuse for late footage is declared, not found afterwards."""
    if actor is None or not actor.is_active or actor.agency_id != officer.agency_id:
        raise PermissionDenied("无权为该执法人员申报外出执法。")
    if actor.pk == officer.pk:
        if not actor.has_role(Role.OFFICER):
            raise PermissionDenied("只有执法人员可以申报外出执法。")
        require_valid_certificate(actor)
    elif not (actor.has_role(Role.AGENCY_HEAD) or (actor.has_role(Role.UNIT_HEAD) and actor.unit_id == officer.unit_id)):
        raise PermissionDenied("只有本人或其所在单位负责人、机关负责人可以申报外出执法。")
    if not officer.has_role(Role.OFFICER):
        raise ValidationError(f"{officer.display_name}不是执法人员。", code="not_officer")
    starts_at, ends_at = _aware(starts_at, "外出时间"), _aware(ends_at, "返回时间")
    if ends_at <= starts_at:
        raise ValidationError("返回时间必须晚于外出时间。", code="order")
    max_days = rule_of(officer.agency, FIELD_TRIP_MAX_DAYS)  # the agency profile's value (AS 12)
    if ends_at - starts_at > datetime.timedelta(days=max_days.value):
        raise ValidationError(f"一次外出执法申报最长{max_days.value}天（依据：{max_days.basis}）。", code="too_long")
    now = timezone.now()
    if ends_at < now:
        raise ValidationError("外出执法应在返回前申报，不能在返回后补报（依据：AS 12）。", code="after_return")
    place = _required(place, "外出地点", 200)
    reason = _required(reason, "外出事由", 500)
    with transaction.atomic():
        from liuhen.accounts.models import User

        User.objects.select_for_update().filter(pk=officer.pk).first()  # one declaration at a time per officer
        if FieldTrip.objects.filter(officer=officer, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
            raise ValidationError("该执法人员在这段时间已有外出执法申报。", code="overlap")
        row = FieldTrip(agency_id=officer.agency_id, officer=officer, starts_at=starts_at, ends_at=ends_at,
                        place=place, reason=reason, declared_by=actor, declared_at=now)
        row.save()
        row = FieldTrip.objects.get(pk=row.pk)  # times as stored
        ledger.append(v.FIELD_TRIP, actor=actor, object_type=FieldTrip.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(), detail={"officer": officer.pk})
    return row


@_guarded("interruption", "record")
def note_interruption(actor, record, before, after, reason: str) -> Interruption:
    """音像记录中断说明 (LQ 22): the reason for a break in the footage of the act `record` documents,
    between `before` and `after` (two files of one device linked to the record), as the officer
    stated it on resuming; `after=None`: the recording stopped and could not be resumed — then the
    act also needs the written note signed by two or more officers (音像记录中断情况说明)."""
    from liuhen.cases.models import Case

    case = Case.objects.get(pk=record.case_id)  # as stored now: the caller's record may carry a stale case
    access.check_work(actor, case)
    if not access.is_assigned(actor, case):
        raise PermissionDenied("只有本案承办人员可以说明音像记录中断。")
    require_valid_certificate(actor)
    items = act_footage(case, record)
    linked = {i.pk: i for i in items}
    if before.pk not in linked or (after is not None and after.pk not in linked):
        raise ValidationError("中断前后的音像记录都应已关联到该笔录。", code="not_linked")
    if after is not None:
        if after.device_id != before.device_id:
            raise ValidationError("中断前后的音像记录应来自同一设备。", code="device")
        b, a = span(linked[before.pk]), span(linked[after.pk])
        if b is None or a is None or a[0] < b[1]:
            raise ValidationError("恢复后的音像记录应在中断前的音像记录结束之后开始。", code="order")
        if next_on_device(items, linked[before.pk]) != linked[after.pk]:
            # A note is of one actual gap (LQ 22): A→B with a file C between them explains neither gap.
            raise ValidationError("中断前后的音像记录之间还有该设备的其他音像记录，请分别说明每一处中断。",
                                  code="not_adjacent")
    else:
        if record.stage != case.stage:
            # The stop also needs its written 音像记录中断情况说明, a record of the act's stage: once the
            # stage is left it can no longer be made, and the noted stop would block the case for good.
            raise ValidationError("该笔录所属阶段已结束，不能再记录中断未能恢复。", code="stage_left")
        if next_on_device(items, linked[before.pk]) is not None:
            # The device's footage resumed after `before`: the break is explained as a gap (LQ 22:
            # the reason stated on resuming), not as a recording that could not be resumed.
            raise ValidationError("该设备在此之后已有恢复记录的音像记录，请说明这一处中断的原因。",
                                  code="resumed")
    reason = _required(reason, "中断原因", 500)
    with transaction.atomic():
        if Interruption.objects.filter(record_id=record.pk, before=before, after=after).exists():
            raise ValidationError("该中断已有说明。", code="already_noted")
        row = Interruption(case=case, record_id=record.pk, before=before, after=after, reason=reason,
                           noted_by=actor, noted_at=timezone.now())
        row.save()
        row = Interruption.objects.get(pk=row.pk)
        ledger.append(v.INTERRUPTION, actor=actor, object_type=Interruption.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"case": case.pk, "record": record.pk, "before": before.pk,
                              "after": after.pk if after is not None else None})
    return row
