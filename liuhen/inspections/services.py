"""Writes of the inspections app (音像记录抽检, LW-D 14), each in one transaction with its ledger entry:
a round drawn (抽取), a finding recorded (检查结果, superseding the item's earlier one), a round
closed (结束). A refused act of a person is in the ledger with its codes, never its text.

Who: the roles of the agency profile's `inspections: roles` (the 监督人员 and the 机关负责人 in base)
— LW-D 14 gives the inspection to the agency's office, not to the units inspected. What each item is
checked for: the profile's `inspections: checklist`, copied into the round when it is drawn.

Which profile: the ACTIVE profile of the inspecting agency (`active_profile(agency)`). A round is the
agency's own supervision of its officers and recorders (LW-D 14), bound to no case: the rules in
force on the day of the draw apply, and the round keeps its checklist whatever is loaded later.
(Until issue 15 the settings LIUHEN_INSPECTION_ROLES / LIUHEN_INSPECTION_CHECKLIST, now refused.)"""
import datetime
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.common import text
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.ledger.models import Entry
from liuhen.profiles import selectors as profiles

from . import attribution, sampling
from . import vocabulary as v
from .models import Finding, Kind, Result, Round, RoundClose


def rules(agency_id=None):
    """The `inspections:` section in force for the agency with this id (the packaged default for None)."""
    return profiles.agency_section(agency_id, "inspections")


def inspection_roles(agency_id=None) -> set[str]:
    return set(rules(agency_id).roles)


def refusal_text(agency_id=None) -> str:
    """"只有…可以进行音像记录抽检。" naming the roles of the agency's profile."""
    from liuhen.accounts.roles import Role

    names = "或".join(Role(r).label for r in rules(agency_id).roles if r in Role.values)
    return f"只有{names}可以进行音像记录抽检。"


def may_inspect(user) -> bool:
    return (user is not None and user.is_authenticated and user.is_active and user.agency_id is not None
            and bool(user.role_codes() & inspection_roles(user.agency_id)))


def checklist_for(kind: str, agency_id=None) -> list[dict]:
    """The checklist in force for `kind` in the agency (checked when its profile was loaded: every
    item with a code, a label and its basis)."""
    return [c.as_dict() for c in rules(agency_id).checklist_for(kind)]


def _about(actor, target=None, *rest) -> tuple[str, object]:
    if isinstance(target, Round) and target.pk:
        return Round.ledger_object_type, target.pk
    return v.LEDGER, getattr(actor, "agency_id", None) or ""


def _guarded(act: str):
    return refusals.records_refusals(v.DENIED, act, _about)


def _require_inspector(actor, agency_id=None) -> None:
    if not may_inspect(actor):
        raise PermissionDenied(refusal_text(getattr(actor, "agency_id", None)))
    if agency_id is not None and actor.agency_id != agency_id:
        raise PermissionDenied("不能抽检其他执法机关的音像记录。")


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _criteria(kind, agency, unit, period_from, period_to, drawn_at) -> dict:
    """What the population is, exactly and for good (sampling.population reads it): the period's
    instants in the agency's zone, and what of the unit could change later resolved now."""
    until = _day_start(period_to + datetime.timedelta(days=1))
    criteria = {"kind": kind, "agency": agency.pk, "unit": unit.pk if unit is not None else None,
                "from": _utc(_day_start(period_from)), "until": _utc(until), "drawn_at": _utc(drawn_at)}
    if kind == Kind.FOOTAGE:
        from liuhen.accounts.models import User

        criteria["kinds"] = list(sampling.FOOTAGE_KINDS)
        if unit is not None:
            # The unit's people at the draw: footage is attributed to an officer (LQ 27), and a
            # person who changes unit later must not change this round's population.
            criteria["officers"] = sorted(User.objects.filter(agency=agency, unit=unit).values_list("pk", flat=True))
    else:
        from liuhen.devices.models import Device, Status

        # The devices registered by the end of the period and by the draw, not scrapped (报废): a
        # device's unit and status change in place, so the list itself is the criterion.
        qs = Device.objects.filter(agency=agency, created_at__lte=drawn_at, created_at__lt=until).exclude(
            status=Status.SCRAPPED)
        if unit is not None:
            qs = qs.filter(unit=unit)
        criteria["devices"] = sorted(qs.values_list("pk", flat=True))
    return criteria


def _attribution(kind: str, sample: list) -> dict:
    """Each sampled item's officer, unit and device (or a device's unit and custodian) as they are at
    the draw: LW-D 14's 台账 answers who was found wanting then, whatever moves later."""
    from liuhen.devices.models import Device
    from liuhen.footage.models import FootageItem

    return attribution.of(kind, sample, FootageItem, Device)


@_guarded("draw")
def draw_round(actor, *, kind: str, unit=None, period_from: datetime.date, period_to: datetime.date,
               size: int | None = None, percent: int | None = None) -> Round:
    """抽取 (LW-D 14): a random sample of the agency's footage or devices of `unit` (None: all units)
    in [period_from, period_to], `size` items or `percent` % of the population (at least one). The
    seed is drawn here, by the server; the row and its event keep it with everything else needed to
    draw the same sample again (sampling.py)."""
    _require_inspector(actor)
    agency = actor.agency
    if kind not in Kind.values:
        raise ValidationError("请选择抽检对象：音像记录或执法记录设备。", code="kind")
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError("所选科室不属于本执法机关。", code="unit_agency")
    if not isinstance(period_from, datetime.date) or not isinstance(period_to, datetime.date):
        raise ValidationError("请填写抽检期间的起止日期。", code="period_required")
    if period_from > period_to:
        raise ValidationError("抽检期间的起始日期不能晚于截止日期。", code="period_order")
    if period_from.year < 1970 or period_to.year > 9998:  # the day after 9999-12-31 does not exist (a 500)
        raise ValidationError("抽检期间的日期须在 1970 年到 9998 年之间。", code="period_range")
    if (size is None) == (percent is None):
        raise ValidationError("请填写抽取数量或抽取比例（二者选一）。", code="size_or_percent")
    if size is not None and size < 1:
        raise ValidationError("抽取数量至少为 1。", code="size_min")
    if percent is not None and not (1 <= percent <= 100):
        raise ValidationError("抽取比例须在 1% 到 100% 之间。", code="percent_range")
    with transaction.atomic():
        now = timezone.now()
        criteria = _criteria(kind, agency, unit, period_from, period_to, now)
        keys = sampling.population(criteria)
        what = "音像记录" if kind == Kind.FOOTAGE else "执法记录设备"
        if not keys:
            raise ValidationError(f"所选科室和期间内没有可抽检的{what}，未抽取。", code="empty_population")
        n = size if size is not None else max(1, math.ceil(len(keys) * percent / 100))
        if n > len(keys):
            raise ValidationError(f"抽取数量 {n} 超过了可抽检的{what}总数 {len(keys)}，请减少抽取数量。",
                                  code="too_large")
        seed = sampling.new_seed()
        sample = sampling.draw(seed, keys, n)
        row = Round(agency=agency, kind=kind, unit=unit, period_from=period_from, period_to=period_to,
                    criteria=criteria, requested=size, percent=percent, population_size=len(keys),
                    population_digest=sampling.keys_digest(keys), seed=seed, sample=sample,
                    checklist=checklist_for(kind, agency.pk), drawn_by=actor, drawn_at=now,
                    attribution=_attribution(kind, sample))
        row.save()
        row = Round.objects.get(pk=row.pk)  # as stored
        ledger.append(v.DRAW, actor=actor, object_type=Round.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"criteria": row.criteria, "requested": size, "percent": percent,
                              "population_size": row.population_size, "population_digest": row.population_digest,
                              "seed": row.seed, "sample": row.sample,
                              "checklist": [c["code"] for c in row.checklist],
                              "attribution": row.attribution})
    return row


def is_closed(round_: Round) -> bool:
    return RoundClose.objects.filter(round=round_).exists()


def current_finding(round_: Round, key: int) -> Finding | None:
    field = "footage_id" if round_.kind == Kind.FOOTAGE else "device_id"
    return (Finding.objects.filter(round=round_, superseded_by__isnull=True, **{field: key})
            .order_by("-pk").first())


def _results(round_: Round, results: dict) -> list[dict]:
    """The results in the order of the round's checklist, each checked: every item answered, no
    unknown item, a failure explained."""
    if not isinstance(results, dict):
        raise ValidationError("检查结果格式无效。", code="results")
    codes = [c["code"] for c in round_.checklist]
    unknown = sorted(set(results) - set(codes))
    if unknown:
        raise ValidationError(f"未知的检查项目：{'、'.join(unknown)}。", code="unknown_check")
    out, errors = [], []
    for check in round_.checklist:
        value = results.get(check["code"])
        result, note = (value if isinstance(value, (list, tuple)) and len(value) == 2 else (value, ""))
        if result not in Result.values:
            errors.append(ValidationError(f"“{check['label']}”：请选择合格、不合格或不适用。", code="result_required"))
            continue
        note = text.clean(note or "", f"“{check['label']}”的说明", max_length=200).strip()
        if result == Result.FAIL and not note:
            errors.append(ValidationError(f"“{check['label']}”不合格，请写明问题。", code="fail_note"))
            continue
        out.append({"code": check["code"], "result": result, "note": note})
    if errors:
        raise ValidationError(errors)
    return out


@_guarded("finding")
def record_finding(actor, round_: Round, key: int, results: dict, note: str = "") -> Finding:
    """检查结果 of the sampled item `key` (a footage item's or a device's id): `results` maps each
    check's code of the round's checklist to its result (pass / fail / na) or (result, note). An
    item's earlier finding is superseded by this one (it stays, with who and when), never edited."""
    _require_inspector(actor, round_.agency_id)
    if is_closed(round_):
        raise ValidationError("该轮抽检已结束，不能再记录检查结果。", code="closed")
    rows = _results(round_, results)
    note = text.clean(note or "", "备注", max_length=500).strip()
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)  # findings of a round one at a time
        if is_closed(round_):
            raise ValidationError("该轮抽检已结束，不能再记录检查结果。", code="closed")
        if not isinstance(key, int) or key not in round_.sample:
            raise ValidationError("该项目不在本轮抽检样本中。", code="not_sampled")
        earlier = current_finding(round_, key)
        item = {"footage_id": key} if round_.kind == Kind.FOOTAGE else {"device_id": key}
        row = Finding(round=round_, results=rows, note=note, supersedes=earlier, inspector=actor,
                      recorded_at=timezone.now(), **item)
        row.save()
        row = Finding.objects.get(pk=row.pk)
        ledger.append(v.FINDING, actor=actor, object_type=Finding.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"round": round_.pk, "item": key,
                              "results": {r["code"]: r["result"] for r in rows},
                              "supersedes": earlier.pk if earlier is not None else None})
    return row


def current_findings(round_: Round) -> dict[int, Finding]:
    """{sampled key: its current finding} of a round."""
    rows = Finding.objects.filter(round=round_, superseded_by__isnull=True).order_by("pk")
    return {f.item_key: f for f in rows}


@_guarded("close")
def close_round(actor, round_: Round) -> RoundClose:
    """结束: the round is closed once every sampled item has a finding; nothing is recorded after."""
    _require_inspector(actor, round_.agency_id)
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if is_closed(round_):
            raise ValidationError("该轮抽检已经结束。", code="already_closed")
        found = current_findings(round_)
        missing = [k for k in round_.sample if k not in found]
        if missing:
            raise ValidationError(f"还有 {len(missing)} 个抽检项目没有检查结果，不能结束本轮抽检。",
                                  code="incomplete")
        summary = {"items": len(round_.sample),
                   "failed_items": sum(1 for f in found.values() if f.failures),
                   "failed_checks": sum(f.failures for f in found.values())}
        row = RoundClose(round=round_, summary=summary, closed_by=actor, closed_at=timezone.now())
        row.save()
        row = RoundClose.objects.get(pk=row.pk)
        ledger.append(v.CLOSE, actor=actor, object_type=RoundClose.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(), detail={"round": round_.pk, **summary})
    return row


# ---- re-draw (重新抽取核对) ------------------------------------------------------------------------

Redraw = sampling.Redraw
REDRAW_CODES = sampling.RedrawCodes(row=v.E001, population=v.E004, sample=v.E005, absent=v.E012)


def draw_event(round_id) -> dict | None:
    """The detail of the round's logged draw event, or None."""
    entry = Entry.objects.filter(action=v.DRAW, object_type=Round.ledger_object_type,
                                 object_id=str(round_id)).order_by("pk").first()
    return ledger.event_of(entry).get("detail") if entry is not None else None


def redraw(round_: Round, logged: dict | None = ..., *, absent_ok: bool = False) -> Redraw:
    """Draw the round's sample again from its seed and the population its criteria describe now, as
    the row states them and as the log recorded them, and say what differs (liuhen.common.sampling):
    the population (rows added or removed behind the log's back, inspections.E004), the sample (a
    seed or sample changed, E005), the row against its event (E001), or no event at all (E012)."""
    if logged is ...:
        logged = draw_event(round_.pk)
    return sampling.redraw(round_, sampling.population, logged, codes=REDRAW_CODES, labels=_FIELD_LABELS,
                           absent_ok=absent_ok)


_FIELD_LABELS = {"criteria": "抽取条件", "seed": "随机种子", "sample": "样本", "population_size": "总体数量",
                 "population_digest": "总体摘要"}


def check_redraw(actor, round_: Round, channel_detail: dict | None = None) -> Redraw:
    """重新抽取核对 from a page or the CLI: the re-draw, and a read event saying whether it matched."""
    result = redraw(round_)
    with transaction.atomic():
        ledger.append(v.REDRAW, actor=actor, object_type=Round.ledger_object_type, object_id=round_.pk,
                      detail=result.event_detail(**(channel_detail or {})))
    return result


# ---- reads that leave a trace ---------------------------------------------------------------------

def log_view(actor, round_: Round | None = None, **detail) -> None:
    object_type, object_id = ((Round.ledger_object_type, round_.pk) if round_ is not None
                              else (v.LEDGER, actor.agency_id or ""))
    with transaction.atomic():
        ledger.append(v.VIEW, actor=actor, object_type=object_type, object_id=object_id, detail=detail)


def log_export(actor, *, rounds: int, rows: int, digest: str) -> None:
    """The 抽检台账 downloaded (a read): how many rounds and rows, and the workbook's SHA-256."""
    with transaction.atomic():
        ledger.append(v.EXPORT, actor=actor, object_type=v.LEDGER, object_id=actor.agency_id or "",
                      detail={"format": "xlsx", "rounds": rounds, "rows": rows, "sha256": digest})
