"""Supervision views of footage (音像记录监督): for the 监督人员, the 机关负责人 and a 承办机构负责人
(their own unit only), by unit and by officer, for a period (default: the last 30 days):

- hours recorded (时长): the durations of the videos and audio recordings attributed to the officer
  (LQ 27: to the officer who held the device), or to the unit's officers; and files (件数);
- files stored late (逾期存储, LC 31, LQ 23, AS 12) — the verdicts of selectors.late_many;
- acts needing audio-video recording with neither footage nor an approved 不适宜音像记录说明
  (LQ 19, AS 8) — what the AV gate (gates.py) would find, counted over many cases at once;
- clock drift beyond tolerance (SPEC §3, LW-D 7): files whose ingest found the device clock off
  or never set (footage flags clock_drift / clock_never_set), and the sign-out and return checks
  that found it so (devices.ClockFlag, LQ 24).

Each number is the length of a list (`facts`), and each list is a page (`/av/supervision/list/`).
Everything is read in a fixed number of queries however many items, cases and officers (no N+1):
the footage of the period in one query, their late verdicts in two, the acts' records and their
notes through records.selectors.states_of. Looking is a read in the ledger (log_view).

Also here: the footage taken from a device, for the device's history page (devices.selectors
.register_history_source — devices is below footage and cannot read it; avrules can)."""
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.footage import vocabulary as fv
from liuhen.footage.models import FootageItem, FootageLink, Ingest
from liuhen.ledger import services as ledger

from . import rules
from . import vocabulary as v
from .selectors import NOT_SUITABLE_CODES, _notes_for, late_many

DEFAULT_DAYS = 30
MAX_DAYS = 366
COUNTED_KINDS = ("video", "audio", "photo")  # not sidecars (a GPS track goes with its video)
TIMED_KINDS = ("video", "audio")  # hours: what has a duration
DRIFT_FLAGS = (fv.FLAG_CLOCK_DRIFT, fv.FLAG_CLOCK_NEVER_SET)
WHATS = {"files": "音像记录", "late": "逾期存储", "missing": "缺少音像记录的执法环节", "drift": "设备时间误差超限的文件",
         "checks": "领用/归还时设备时间误差超限"}
NONE = "none"  # the key of footage attributed to no officer (or no unit)


# ---- who may look, and at what --------------------------------------------------------------------

def may_supervise(user) -> bool:
    return (user.is_authenticated and user.agency_id is not None
            and user.has_role(Role.SUPERVISOR, Role.AGENCY_HEAD, Role.UNIT_HEAD))


def scope_units(user):
    """The units `user` supervises: all of the agency's for the 监督人员 and the 机关负责人, their
    own for a 承办机构负责人 (none without a unit)."""
    from liuhen.accounts.models import Unit

    units = Unit.objects.filter(agency_id=user.agency_id).order_by("name")
    if user.has_role(Role.SUPERVISOR, Role.AGENCY_HEAD):
        return units
    return units.filter(pk=user.unit_id) if user.unit_id else units.none()


def agency_wide(user) -> bool:
    return user.has_role(Role.SUPERVISOR, Role.AGENCY_HEAD)


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both days included, in the agency's local time."""

    first: datetime.date
    last: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.first, datetime.time()))

    @property
    def end(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.last + datetime.timedelta(days=1), datetime.time()))

    @classmethod
    def default(cls, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(today - datetime.timedelta(days=DEFAULT_DAYS - 1), today)


# ---- the facts behind the numbers ------------------------------------------------------------------

@dataclass
class MissingAct:
    """An act needing AV (LQ 19) with neither footage nor an approved 不适宜音像记录说明 (AS 8)."""

    state: object  # records.selectors.RecordState
    act: rules.AvAct
    unit_id: int | None
    officer_ids: tuple  # who did it: the officers who signed its record (else who wrote it)
    pending: bool = False  # a 不适宜音像记录说明 exists, not (yet) approved

    @property
    def record(self):
        return self.state.record


@dataclass
class Facts:
    items: list = field(default_factory=list)  # FootageItem, each with .unit_key and .late (verdict or None)
    checks: list = field(default_factory=list)  # (kind "领用"/"归还", row, officer, unit id)
    missing: list = field(default_factory=list)  # MissingAct


def _unit_of_item(item):
    return item.officer_unit if item.officer_id else item.device_unit


def _items(agency_id, period: Period, unit_ids) -> list:
    in_period = (Q(recorded_utc__gte=period.start, recorded_utc__lt=period.end)
                 | Q(recorded_utc__isnull=True, ingested_at__gte=period.start, ingested_at__lt=period.end))
    qs = (FootageItem.objects.filter(in_period, agency_id=agency_id, video__isnull=True, kind__in=COUNTED_KINDS)
          .annotate(officer_unit=F("officer__unit_id"), device_unit=F("device__unit_id"))
          .select_related("officer", "device").order_by("recorded_utc", "pk"))
    if unit_ids is not None:
        qs = qs.filter(Q(officer__unit_id__in=unit_ids) | Q(officer__isnull=True, device__unit_id__in=unit_ids))
    items = list(qs)
    verdicts = late_many(items)
    for it in items:
        it.unit_key = _unit_of_item(it)
        it.late = verdicts.get(it.pk)
        it.drifted = any(f in DRIFT_FLAGS for f in (it.flags or []))
    return items


def _checks(agency_id, period: Period, unit_ids) -> list:
    """Sign-outs and returns whose check found the device clock off or never set (LQ 24)."""
    from liuhen.devices.models import ClockFlag, Return, SignOut

    flagged = (ClockFlag.DRIFT, ClockFlag.NEVER_SET)
    outs = SignOut.objects.filter(device__agency_id=agency_id, server_time__gte=period.start,
                                  server_time__lt=period.end, clock_flag__in=flagged).select_related("officer", "device")
    backs = Return.objects.filter(signout__device__agency_id=agency_id, server_time__gte=period.start,
                                  server_time__lt=period.end, clock_flag__in=flagged
                                  ).select_related("signout__officer", "signout__device")
    if unit_ids is not None:
        outs = outs.filter(officer__unit_id__in=unit_ids)
        backs = backs.filter(signout__officer__unit_id__in=unit_ids)
    rows = [("领用", s, s.officer, s.device) for s in outs] + [("归还", r, r.signout.officer, r.signout.device)
                                                             for r in backs]
    rows.sort(key=lambda r: r[1].server_time)
    return rows


def _missing(agency, period: Period, unit_ids) -> list[MissingAct]:
    """The acts of the period (their records made in it) that need AV and have neither footage of a
    kind that counts linked to their record nor an approved 不适宜音像记录说明 — the AV gate's own
    test (selectors.case_av), for all the cases at once."""
    from liuhen.records.models import Outcome, Record, SignerRole
    from liuhen.records.selectors import states_of

    acts = rules.acts_for(agency)
    qs = Record.objects.filter(case__agency_id=agency.pk, record_type__code__in=rules.act_codes(acts),
                               created_at__gte=period.start, created_at__lt=period.end)
    if unit_ids is not None:
        qs = qs.filter(case__unit_id__in=unit_ids)
    found = []
    for st in states_of(qs.order_by("created_at", "pk")):
        if st.voided:
            continue
        act = rules.act_of(acts, st.record.record_type.code, st.latest.content)
        if act is not None and act.required:
            found.append((st, act))
    if not found:
        return []
    kinds = {}
    for record_id, case_id, kind in (FootageLink.objects.filter(record_id__in=[st.record.pk for st, _ in found],
                                                                unlink__isnull=True)
                                     .values_list("record_id", "case_id", "item__kind")):
        kinds.setdefault((record_id, case_id), set()).add(kind)
    case_ids = {st.record.case_id for st, _ in found}
    notes = {}
    for n in states_of(Record.objects.filter(case_id__in=case_ids, record_type__code__in=NOT_SUITABLE_CODES)):
        if not n.voided:
            notes.setdefault(n.record.case_id, []).append(n)
    out = []
    for st, act in found:
        if kinds.get((st.record.pk, st.record.case_id), set()) & set(act.kinds):
            continue
        mine = _notes_for(notes.get(st.record.case_id, []), st)
        if any(n.complete for n in mine):
            continue
        signers = tuple(sorted({s.signer_id for s in st.record.signatures.all()
                                if s.role == SignerRole.OFFICER and s.outcome == Outcome.SIGNED and s.signer_id}))
        out.append(MissingAct(st, act, st.record.case.unit_id, signers or (st.record.created_by_id,), bool(mine)))
    return out


def facts(user, period: Period) -> Facts:
    """Everything the supervision page counts, within what `user` supervises."""
    unit_ids = None if agency_wide(user) else list(scope_units(user).values_list("pk", flat=True))
    return Facts(items=_items(user.agency_id, period, unit_ids), checks=_checks(user.agency_id, period, unit_ids),
                 missing=_missing(user.agency, period, unit_ids))


# ---- the numbers -------------------------------------------------------------------------------------

@dataclass
class Tally:
    key: object  # a unit id, an officer id, or NONE
    label: str
    unit: str = ""
    seconds: float = 0.0
    files: int = 0
    late: int = 0
    drift: int = 0
    checks: int = 0
    missing: int = 0

    @property
    def hours(self) -> float:
        return round(self.seconds / 3600, 2)

    @property
    def duration_label(self) -> str:
        """The hours recorded as h:mm:ss (a day's clips are minutes; a month's, hours)."""
        total = int(round(self.seconds))
        return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"

    def add_item(self, item) -> None:
        self.files += 1
        if item.kind in TIMED_KINDS:
            self.seconds += item.duration or 0
        self.late += item.late is not None
        self.drift += item.drifted


def _item_keys(item, by):
    return [item.officer_id or NONE] if by == "officer" else [item.unit_key or NONE]


def _check_keys(check, by):
    officer = check[2]
    return [officer.pk] if by == "officer" else [officer.unit_id or NONE]


def _act_keys(m: MissingAct, by):
    return list(m.officer_ids) if by == "officer" else [m.unit_id or NONE]


def selected(f: Facts, what: str, by: str, key) -> list:
    """The rows behind one number: `what` of the unit or officer `key` (None: all)."""
    def match(keys):
        return key is None or str(key) in {str(k) for k in keys}
    if what in ("files", "late", "drift"):
        rows = [i for i in f.items if match(_item_keys(i, by))]
        if what == "late":
            rows = [i for i in rows if i.late is not None]
        elif what == "drift":
            rows = [i for i in rows if i.drifted]
        return rows
    if what == "checks":
        return [c for c in f.checks if match(_check_keys(c, by))]
    if what == "missing":
        return [m for m in f.missing if match(_act_keys(m, by))]
    raise ValueError(what)


def tally(user, f: Facts, by: str) -> tuple[list[Tally], Tally]:
    """Rows by unit (every unit supervised) or by officer (every active officer of those units, and
    whoever else the facts name), and the total."""
    from django.contrib.auth import get_user_model

    units = list(scope_units(user))
    rows: dict = {}
    if by == "unit":
        for u in units:
            rows[u.pk] = Tally(u.pk, u.name)
    else:
        people = (get_user_model().objects.filter(agency_id=user.agency_id, is_active=True,
                                                 unit__in=[u.pk for u in units], groups__name=str(Role.OFFICER))
                  .select_related("unit").distinct())
        for p in people:
            rows[p.pk] = Tally(p.pk, p.display_name, p.unit.name if p.unit else "")
    named = {i.officer_id: i.officer for i in f.items if i.officer_id}
    named.update({c[2].pk: c[2] for c in f.checks})

    def row(key):
        if key not in rows:
            if key == NONE:
                rows[key] = Tally(NONE, "未归属执法人员" if by == "officer" else "未归属科室")
            elif by == "officer":
                p = named.get(key)
                rows[key] = Tally(key, p.display_name if p else f"#{key}")
            else:
                rows[key] = Tally(key, f"#{key}")
        return rows[key]

    total = Tally(None, "合计")
    for it in f.items:
        for k in _item_keys(it, by):
            row(k).add_item(it)
        total.add_item(it)
    for c in f.checks:
        for k in _check_keys(c, by):
            row(k).checks += 1
        total.checks += 1
    if by == "officer":
        ids = {k for m in f.missing for k in m.officer_ids if k not in rows and k not in named}
        named.update(get_user_model().objects.in_bulk(ids) if ids else {})
    for m in f.missing:
        for k in _act_keys(m, by):
            row(k).missing += 1
        total.missing += 1
    ordered = sorted(rows.values(), key=lambda t: (t.key == NONE, t.unit, t.label))
    return ordered, total


def log_view(user, what: str, period: Period, by: str, key=None, count: int | None = None) -> None:
    """Looking at the supervision page or one of its lists is a read (留痕): who, what, which
    period, which unit or officer — ids, no names."""
    detail = {"what": what, "from": period.first.isoformat(), "to": period.last.isoformat(), "by": by}
    if key is not None:
        detail["key"] = str(key)
    if count is not None:
        detail["count"] = count
    with transaction.atomic():
        ledger.append(v.SUPERVISION, actor=user, object_type=v.SUPERVISION_OBJECT, object_id=user.agency_id or "",
                      detail=detail)


# ---- the footage taken from a device (its history page) --------------------------------------------

def device_footage_history(device) -> list:
    """One line per ingest of footage from `device`: when, by whom, how many files, recorded when
    (for devices.selectors.device_history). One query."""
    from liuhen.devices.selectors import HistoryItem

    ingests = (Ingest.objects.filter(device=device).select_related("ingested_by")
               .annotate(n=Count("items", filter=Q(items__video__isnull=True)),
                         first=Min("items__recorded_utc", filter=Q(items__video__isnull=True)),
                         last=Max("items__recorded_utc", filter=Q(items__video__isnull=True)),
                         seconds=Sum("items__duration", filter=Q(items__kind__in=TIMED_KINDS)))
               .order_by("server_time", "pk"))
    out = []
    for ing in ingests:
        span = ""
        if ing.first is not None:
            a, b = timezone.localtime(ing.first), timezone.localtime(ing.last)
            span = f"，录制于 {a:%Y-%m-%d %H:%M}" + (f" 至 {b:%Y-%m-%d %H:%M}" if b != a else "")
        length = f"，时长共 {round(ing.seconds / 60, 1)} 分钟" if ing.seconds else ""
        source = {"cli": "命令行导入", "dock": "采集站上传", "web": "网页上传"}.get(ing.source, ing.source)
        badges = [("导入时设备时间误差超限", "badge-bad")] if ing.clock_flag in ("drift", "never_set") else []
        out.append(HistoryItem(ing.server_time, "导入音像记录", ing.ingested_by, kind="footage",
                               detail=f"{source}：{ing.n} 个文件{span}{length}", badges=badges))
    return out
