"""Reads of the AV rules: for each act of a case that needs audio-video recording (rules.acts_for),
whether footage is linked to its record or an approved 不适宜音像记录说明 stands in for it; late
footage (LC 31, LQ 23, AS 12); the act's written time against the footage's span (LW-D 7); breaks
in an act's footage and their notes (LQ 22). Everything is computed from stored facts — recording
time and duration, the device clock's drift measured at ingest, the ingest time — and shown with
its basis; nothing is corrected in place.

For other apps: `late(item)`, `late_many(items)` (a list page, no N+1), `span(item)`,
`case_av(case)` (every act of the case with its status and flags), `stage_part(case)` (the case
page's 音像记录 part).
"""
import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from liuhen.cases.models import STAGE_ORDER, Stage
from liuhen.common import memo
from liuhen.footage.models import FootageItem, FootageLink, Ingest

from . import rules
from .models import FieldTrip, Interruption

NOT_SUITABLE_CODES = frozenset({"av_not_suitable", "av_not_suitable_service"})
STOP_NOTE_CODES = frozenset({"av_stop_note", "av_stop_note_service"})
TIMED_KINDS = (rules.VIDEO, rules.AUDIO)  # footage with a span (a photo is an instant)


def _fmt(when) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S") if when else "—"


def _md(when) -> str:
    return timezone.localtime(when).strftime("%m-%d %H:%M") if when else "—"


def _hm(when) -> str:
    return timezone.localtime(when).strftime("%H:%M:%S") if when else "—"


# ---- one item's times -------------------------------------------------------------------------------

# Who may state a camera's clock so that it moves the recording time (SPEC §3, LW-D 7, LC 31): a
# docking station reading the camera over USB ("dock") and the system's `liuhen ingest` run by its
# operator ("cli") read the clock off the device; a person uploading in the browser ("web") only
# types it — trusted from a 设备管理员 (who keeps the devices, BX 12) and never from the officer whose
# footage it is, who would otherwise move their own recording time and clear their own late flag.
TRUSTED_CLOCK_SOURCES = frozenset({"cli", "dock"})


def drift_trusted(ingest, officer_id=None) -> bool:
    """Was the device clock's drift of `ingest` measured by a source trusted to move the recording
    time of footage of the officer `officer_id`?"""
    if ingest is None or ingest.clock_drift_ms is None:
        return False
    if ingest.source in TRUSTED_CLOCK_SOURCES:
        return True
    if ingest.ingested_by_id is None or ingest.ingested_by_id == officer_id:
        return False
    by_admin = getattr(ingest, "by_device_admin", None)  # annotated by _ingests (one query for all)
    if by_admin is None:
        from liuhen.accounts.roles import Role

        by_admin = ingest.ingested_by.has_role(Role.DEVICE_ADMIN)
    return bool(by_admin)


def _ingests(ids) -> dict:
    """{pk: Ingest} of `ids`, each annotated with whether its uploader is a 设备管理员: one query."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from liuhen.accounts.roles import Role

    admins = get_user_model().groups.through.objects.filter(user_id=OuterRef("ingested_by_id"),
                                                            group__name=Role.DEVICE_ADMIN)
    return Ingest.objects.annotate(by_device_admin=Exists(admins)).in_bulk(ids)


def _ingest(item, ingests: dict | None = None):
    return ingests.get(item.ingest_id) if ingests is not None else item.ingest


def _stated_drift_ms(item, ingests: dict | None = None):
    """The drift the ingest recorded, applied or not (shown when it was not trusted)."""
    return getattr(_ingest(item, ingests), "clock_drift_ms", None)


def _drift_ms(item, ingests: dict | None = None):
    """The drift applied to the item's recording time: only one measured by a trusted source."""
    ingest = _ingest(item, ingests)
    return ingest.clock_drift_ms if drift_trusted(ingest, item.officer_id) else None


def span(item, ingests: dict | None = None):
    """(start, end) of the recording in true time, or None without a recording time: the recorded
    time corrected by the device clock's drift measured at its ingest (device − server; a camera
    5 s fast recorded 10:00:05 for 10:00:00) when a trusted source measured it (drift_trusted),
    plus its duration (none for a photo)."""
    if item.recorded_utc is None:
        return None
    drift = _drift_ms(item, ingests)
    start = item.recorded_utc - datetime.timedelta(milliseconds=drift or 0)
    return start, start + datetime.timedelta(seconds=item.duration or 0)


# ---- late footage (LC 31, LQ 23, AS 12) -----------------------------------------------------------

@dataclass(frozen=True)
class LateVerdict:
    """逾期存储 — footage stored more than 24 hours after its recording ended (or after the declared
    return of a field trip it was recorded in), or whose lateness cannot be judged (no recording
    time): never silently passed over."""

    item_id: int
    status: str  # "late" | "unknown"
    recorded_end: datetime.datetime | None
    due: datetime.datetime | None
    ingested_at: datetime.datetime
    drift_ms: int | None
    trip: FieldTrip | None
    basis: str
    item_name: str = ""
    stated_drift_ms: int | None = None  # a drift stated by an untrusted uploader: shown, not applied
    trip_declared_late: FieldTrip | None = None  # a trip covering it, declared after it was due
    upload_hours: int | None = None  # the agency profile's period (av_upload_hours) it was judged by

    @property
    def short(self) -> str:
        """The flag in one line, for a list or the case page (`message` says it in full)."""
        if self.status == "unknown":
            return f"{self.item_name} 无录制时间，无法判断是否逾期存储（{self.basis}）"
        return (f"{self.item_name} 逾期存储{self.hours_late}小时：录制结束{_md(self.recorded_end)}，"
                f"存储{_md(self.ingested_at)}（{self.basis}）")

    @property
    def label(self) -> str:
        """The flag on the item itself (its lists, its page), where its name is already shown."""
        if self.status == "unknown":
            return f"无法判断是否逾期存储（{self.basis}）"
        return f"逾期存储{self.hours_late}小时（{self.basis}）"

    @property
    def hours_late(self) -> float | None:
        return None if self.due is None else round((self.ingested_at - self.due).total_seconds() / 3600, 1)

    @property
    def message(self) -> str:
        if self.status == "unknown":
            return (f"无法确定录制时间，不能判断是否在{self.upload_hours or rules.UPLOAD_HOURS.value}小时内存储"
                    f"（依据：{self.basis}）")
        if self.drift_ms is not None:
            drift = f"已按设备时间误差{self.drift_ms / 1000:+.1f}秒校正"
        elif self.stated_drift_ms is not None:
            drift = (f"上传人自报设备时间误差{self.stated_drift_ms / 1000:+.1f}秒，"
                     "非采集站或设备管理员测得，未予校正")
        else:
            drift = "未测设备时间误差"
        trip = (f"，外出执法申报返回时间{_fmt(self.trip.ends_at)}" if self.trip is not None else "")
        if self.trip_declared_late is not None:
            trip += (f"，外出执法申报于{_fmt(self.trip_declared_late.declared_at)}作出，晚于本应存储的时间，"
                     "不能免除逾期（AS 12）")
        return (f"逾期存储：录制结束{_fmt(self.recorded_end)}（{drift}）{trip}，应于{_fmt(self.due)}前存储，"
                f"实际{_fmt(self.ingested_at)}存储，超期{self.hours_late}小时（依据：{self.basis}）")


def _trip_covering(trips, officer_id, start):
    for t in trips:
        if t.officer_id == officer_id and t.starts_at <= start <= t.ends_at:
            return t
    return None


def _trip_counts(trip, ordinary_due) -> bool:
    """AS 12: footage that 确实不能及时移交 on a trip away is due 24 hours after the return — a reason
    for not storing in time, declared while it could still have been stored in time. A trip
    declared after the ordinary 24 hours had passed (its start set back to cover footage already
    late, or stored late) is an excuse found afterwards: it does not move the due time."""
    return trip.declared_at <= ordinary_due


def _hours_by_agency(items) -> dict:
    """{agency id: (upload hours, field-trip hours)} from the active profile of each item's agency
    (LC 31, LQ 23, AS 12: 24 hours in every packaged profile; an agency's own may say otherwise)."""
    from liuhen.accounts.models import Agency

    out = {}
    for agency_id in {getattr(i, "agency_id", None) for i in items}:
        agency = Agency(pk=agency_id) if agency_id else None  # a stand-in: no query for the row
        upload, trip = rules.rules_of(agency, rules.UPLOAD_HOURS, rules.FIELD_TRIP_HOURS)
        out[agency_id] = (int(upload.value), int(trip.value))
    return out


def _verdict(item, ingests, trips, hours=None) -> LateVerdict | None:
    if item.kind == "sidecar":
        return None
    upload_hours, trip_hours = hours or (rules.UPLOAD_HOURS.value, rules.FIELD_TRIP_HOURS.value)
    drift = _drift_ms(item, ingests)
    stated = _stated_drift_ms(item, ingests) if drift is None else None
    sp = span(item, ingests)
    if sp is None:
        return LateVerdict(item.pk, "unknown", None, None, item.ingested_at, drift, None, rules.UPLOAD_HOURS.basis,
                           item.name, stated, upload_hours=upload_hours)
    start, end = sp
    due = end + datetime.timedelta(hours=upload_hours)
    basis = "LC 31, LQ 23"
    trip = _trip_covering(trips, item.officer_id, start) if item.officer_id else None
    declared_late = None
    if trip is not None and not _trip_counts(trip, due):
        trip, declared_late = None, trip
    if trip is not None:
        # AS 12: recorded away on a declared trip: due 24 hours after the declared return.
        due = max(due, trip.ends_at + datetime.timedelta(hours=trip_hours))
        basis = "AS 12"
    if item.ingested_at <= due:
        return None
    return LateVerdict(item.pk, "late", end, due, item.ingested_at, drift, trip, basis, item.name, stated,
                       declared_late, upload_hours)


def _trips_for(items, ingests):
    starts = [sp[0] for sp in (span(i, ingests) for i in items) if sp is not None]
    officers = {i.officer_id for i in items if i.officer_id}
    if not starts or not officers:
        return []
    return list(FieldTrip.objects.filter(officer_id__in=officers, starts_at__lte=max(starts),
                                         ends_at__gte=min(starts)))


def late_many(items) -> dict:
    """{item pk: LateVerdict} for the late (or undeterminable) ones among `items`: two queries
    however many (their ingests, the field trips that could cover them)."""
    items = {i.pk: i for i in items if i.kind != "sidecar"}
    if not items:
        return {}
    # An item's verdict is its own (its ingest, the trips of its officer around it): the parts of a
    # case page that judge overlapping sets of its footage judge each item once (common.memo).
    verdicts = memo.remember_each("avrules.late", items, lambda pks: _judge([items[pk] for pk in pks]))
    return {pk: v for pk, v in verdicts.items() if v is not None}


def _judge(items) -> dict:
    ingests = _ingests({i.ingest_id for i in items})
    trips = _trips_for(items, ingests)
    hours = _hours_by_agency(items)
    return {item.pk: _verdict(item, ingests, trips, hours[getattr(item, "agency_id", None)]) for item in items}


def late_flags(items) -> dict[int, list[str]]:
    """The footage app's flag source (footage.selectors.register_flag_source): each late item's flag."""
    return {pk: [verdict.label] for pk, verdict in late_many(items).items()}


def late(item) -> LateVerdict | None:
    """The item's LateVerdict if it was stored late (or its lateness cannot be judged), else None."""
    return late_many([item]).get(item.pk)


# ---- acts of a case ---------------------------------------------------------------------------------

@dataclass
class Gap:
    """中断 — two files of one device linked to one act, with a pause between them (LQ 22)."""

    before: FootageItem
    after: FootageItem
    start: datetime.datetime
    end: datetime.datetime
    note: Interruption | None = None


@dataclass
class TimeMismatch:
    """The act's written time outside its footage's span (LW-D 7)."""

    field: str
    written: datetime.datetime
    start: datetime.datetime
    end: datetime.datetime

    @property
    def minutes(self) -> int:
        off = (self.start - self.written) if self.written < self.start else (self.written - self.end)
        return int(off.total_seconds() // 60)

    @property
    def short(self) -> str:
        return (f"时间不一致：笔录记载{_md(self.written)}，音像{_md(self.start)}–{_hm(self.end)[:5]}，"
                f"相差约{self.minutes}分钟（允许{rules.TIME_TOLERANCE_SECONDS.value // 60}分钟，"
                f"{rules.TIME_TOLERANCE_SECONDS.basis}）")

    @property
    def message(self) -> str:
        where = "早于" if self.written < self.start else "晚于"
        return (f"笔录记载时间{_fmt(self.written)}{where}音像记录（{_fmt(self.start)}至{_hm(self.end)}）"
                f"约{self.minutes}分钟，超出允许误差{rules.TIME_TOLERANCE_SECONDS.value // 60}分钟"
                f"（依据：{rules.TIME_TOLERANCE_SECONDS.basis}）")


@dataclass
class ActAv:
    """One act of the case that needs (or is expected to have) audio-video recording."""

    state: object  # records.selectors.RecordState of the act's record
    act: rules.AvAct
    footage: list = field(default_factory=list)  # linked items of a kind that counts
    notes: list = field(default_factory=list)  # not-voided 不适宜音像记录说明 states naming the act
    late: list = field(default_factory=list)  # LateVerdicts of its footage
    mismatch: TimeMismatch | None = None
    gaps: list = field(default_factory=list)
    stops: list = field(default_factory=list)  # Interruption rows: stopped, not resumed
    stop_notes: list = field(default_factory=list)  # not-voided 音像记录中断情况说明 states naming the act

    @property
    def record(self):
        return self.state.record

    @property
    def name(self) -> str:
        return f"{self.act.label}（{self.record.record_type.name}第{self.record.serial}号）"

    @property
    def approved(self) -> bool:
        # An act the profile says must be recorded (av: required, e.g. LC 15's 查封扣押) accepts no
        # 不适宜音像记录说明: only footage meets it.
        return self.act.reason_accepted and any(n.complete for n in self.notes)

    @property
    def status(self) -> str:
        """footage (已有音像) / approved (已批准不适宜说明) / pending (说明待批准) / missing (缺少)."""
        if self.footage:
            return "footage"
        if self.approved:
            return "approved"
        return "pending" if self.notes else "missing"

    @property
    def status_label(self) -> str:
        return {"footage": f"已有音像（{len(self.footage)}项）", "approved": "已批准不适宜说明",
                "pending": "不适宜说明待批准", "missing": "缺少" if self.act.required else "未录（建议录制）"}[self.status]

    @property
    def stopped_unexplained(self) -> bool:
        return bool(self.stops) and not any(n.complete for n in self.stop_notes)

    def problems(self) -> list[str]:
        """What keeps the stage from being left, in Chinese, naming the act and the article."""
        out = []
        if self.act.required and not self.act.reason_accepted and not self.footage:
            out.append(f"{self.name}缺少音像记录（{self.act.kinds_label}），该环节必须音像记录（依据：{self.act.basis}）")
        elif self.act.required and self.status == "missing":
            out.append(f"{self.name}缺少音像记录（{self.act.kinds_label}），或经负责人批准的不适宜音像记录说明"
                       f"（依据：{self.act.basis}；不适宜的应书面说明原因，AS 8）")
        elif self.act.required and self.status == "pending":
            n = self.notes[0].record
            out.append(f"{self.name}的不适宜音像记录说明（第{n.serial}号）尚未签字并经负责人批准（依据：AS 8）")
        for g in self.gaps:
            if g.note is None:
                out.append(f"{self.name}的音像记录在{_fmt(g.start)}至{_hm(g.end)}中断（设备{g.before.device.number}），"
                           f"缺少恢复记录时的中断原因说明（依据：LQ 22）")
        if self.stopped_unexplained:
            out.append(f"{self.name}的音像记录中断后未能恢复，缺少两名以上执法人员签字的音像记录中断情况说明"
                       f"（依据：LQ 22）")
        return out


def _act_serial(state):
    try:
        return int(state.latest.content.get("act_serial"))
    except (TypeError, ValueError):
        return None


def _written_after(note, act_state) -> bool:
    """AS 8, LQ 22: a note gives the reason an act was not recorded (or its recording stopped): it
    is written about an act that exists. Its content — the version naming the act, the one signed —
    must have been written after the act's record was made; a note written before (an approval in
    advance of whatever act later gets that number, a row written past the services' check) names
    no act and counts for none."""
    return note.latest.created_at > act_state.record.created_at


def _notes_for(notes, st) -> list:
    return [n for n in notes if _act_serial(n) == st.record.serial and _written_after(n, st)]


def note_act_problem(case, code: str, content: dict) -> str | None:
    """Why a 不适宜音像记录说明 or 音像记录中断情况说明 of type `code` with `content` names no act, in
    Chinese, or None: its act_serial must be a not-voided record of `case` that documents an act
    needing audio-video recording (rules.acts_for) — made before the note (AS 8, LQ 22)."""
    from liuhen.records.selectors import states_for_case

    if code not in NOT_SUITABLE_CODES | STOP_NOTE_CODES:
        return None
    try:
        serial = int((content or {}).get("act_serial"))
    except (TypeError, ValueError):
        return "请填写对应笔录的案内序号。"
    acts = rules.acts_for(case)
    for st in states_for_case(case):
        if st.record.serial != serial:
            continue
        if st.voided:
            return f"第{serial}号记录已作废，不能为其说明音像记录情况（依据：AS 8、LQ 22）。"
        if rules.act_of(acts, st.record.record_type.code, st.latest.content) is None:
            return (f"第{serial}号记录（{st.record.record_type.name}）不是需要音像记录的执法环节笔录，"
                    "请填写该执法环节笔录的案内序号（依据：AS 8、LQ 22）。")
        return None
    return (f"本案没有第{serial}号记录：应先制作该执法环节的笔录，再就该笔录说明音像记录情况，"
            "不能预先说明（依据：AS 8、LQ 22）。")


def _written_time(state, field_name):
    value = (state.latest.content or {}).get(field_name) if field_name else None
    if not value:
        return None
    try:
        when = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def _by_device(items, ingests=None) -> dict:
    """{device id: [(span, item)]} of the timed items with a span, each device's in time order."""
    by_device = {}
    for item in items:
        sp = span(item, ingests)
        if item.kind in TIMED_KINDS and sp is not None:
            by_device.setdefault(item.device_id, []).append((sp, item))
    for rows in by_device.values():
        rows.sort(key=lambda r: (r[0][0], r[1].pk))
    return by_device


def next_on_device(items, item, ingests=None):
    """The timed item among `items` that follows `item` on its device (the recording resumed), or None."""
    rows = _by_device(items, ingests).get(item.device_id, [])
    after = [b for (_, a), (_, b) in zip(rows, rows[1:]) if a.pk == item.pk]
    return after[0] if after else None


def _gaps(items, ingests, notes: dict, gap_seconds: int | None = None) -> list[Gap]:
    """The gaps between consecutive files of one device, each with the note of that very gap
    (`notes`: {(before id, after id): Interruption})."""
    out = []
    limit = datetime.timedelta(seconds=rules.GAP_SECONDS.value if gap_seconds is None else gap_seconds)
    for rows in _by_device(items, ingests).values():
        for (sp1, a), (sp2, b) in zip(rows, rows[1:]):
            if sp2[0] - sp1[1] > limit:
                out.append(Gap(a, b, sp1[1], sp2[0], notes.get((a.pk, b.pk))))
    return out


def _mismatch(state, act, items, ingests, tolerance: int | None = None) -> TimeMismatch | None:
    written = _written_time(state, act.time_field)
    spans = [span(i, ingests) for i in items if i.kind in TIMED_KINDS]
    spans = [s for s in spans if s is not None]
    if written is None or not spans:
        return None
    start, end = min(s[0] for s in spans), max(s[1] for s in spans)
    tol = datetime.timedelta(seconds=rules.TIME_TOLERANCE_SECONDS.value if tolerance is None else tolerance)
    if start - tol <= written <= end + tol:
        return None
    return TimeMismatch(act.time_field, written, start, end)


def act_footage(case, record) -> list:
    """The items actively linked to `record` in `case` (an ended link does not count)."""
    return [link.item for link in FootageLink.objects.filter(case=case, record_id=record.pk, unlink__isnull=True)
            .select_related("item", "item__ingest", "item__device").order_by("item__recorded_utc", "item_id")]


def case_av(case) -> list[ActAv]:
    """Every not-voided act of `case` that needs or is expected to have AV, with its footage, notes
    and flags, in record order. Read once per case page (cases.pages.one_reading)."""
    from liuhen.cases.pages import page_cache
    from liuhen.records.selectors import states_for_case

    cache = page_cache(case)
    if cache is not None and "avrules" in cache:
        return cache["avrules"]
    acts = rules.acts_for(case)
    states = states_for_case(case)
    found = []
    for st in states:
        if st.voided:
            continue
        act = rules.act_of(acts, st.record.record_type.code, st.latest.content)
        if act is not None:
            found.append((st, act))
    out = []
    if found:
        links = list(FootageLink.objects.filter(case=case, unlink__isnull=True, record_id__isnull=False)
                     .select_related("item", "item__device"))
        items = {link.item_id: link.item for link in links}
        ingests = _ingests({i.ingest_id for i in items.values()})
        verdicts = late_many(list(items.values()))
        by_record = {}
        for link in links:
            by_record.setdefault(link.record_id, {})[link.item_id] = link.item
        interruptions = list(Interruption.objects.filter(case=case).select_related("before", "after"))
        notes = [st for st in states if not st.voided and st.record.record_type.code in NOT_SUITABLE_CODES]
        stop_notes = [st for st in states if not st.voided and st.record.record_type.code in STOP_NOTE_CODES]
        for st, act in found:
            linked = sorted(by_record.get(st.record.pk, {}).values(),
                            key=lambda i: (i.recorded_utc or timezone.now(), i.pk))
            counted = [i for i in linked if i.kind in act.kinds]
            mine = [n for n in interruptions if n.record_id == st.record.pk]
            resumed = {(n.before_id, n.after_id): n for n in mine if n.resumed}
            # LQ 22: a stop noted after a file the device's footage later resumed from (the resumed
            # file linked since) is superseded by that gap — explained on resuming, not in writing.
            followed = {a.pk for rows in _by_device(counted, ingests).values() for (_, a), _ in zip(rows, rows[1:])}
            out.append(ActAv(
                state=st, act=act, footage=counted,
                notes=_notes_for(notes, st),
                late=[verdicts[i.pk] for i in counted if i.pk in verdicts],
                # The case's profile sets the tolerance (LW-D 7) and the gap (LQ 22).
                mismatch=_mismatch(st, act, counted, ingests, rules.rule_of(case, rules.TIME_TOLERANCE_SECONDS).value),
                gaps=_gaps(counted, ingests, resumed, rules.rule_of(case, rules.GAP_SECONDS).value),
                stops=[n for n in mine if not n.resumed and n.before_id not in followed],
                stop_notes=_notes_for(stop_notes, st)))
    if cache is not None:
        cache["avrules"] = out
    return out


def stage_part(case, *, with_unattached: bool = False) -> list[dict]:
    """The case page's 音像记录 part, per stage that has acts needing AV: which acts need it (the
    rule table), each act's status and flags, and late footage linked to the stage; with
    `with_unattached`, the footage linked to the stage but to no record (from the holding area),
    which an officer may attach to an act's record there. `current`: the case's stage — where every
    act of the part can still be done; an earlier stage offers only what cures a problem the
    archive re-checks (an act's missing footage, an unexplained break)."""
    from liuhen.records.selectors import type_rows

    acts = rules.acts_for(case)
    codes = set(rules.act_codes(acts))
    types = {code: (stage, name) for _pk, code, stage, name in type_rows() if code in codes}
    rows = case_av(case)
    for r in rows:
        # What keeps the act's stage from being left (or the case from being archived), once per page.
        r.blocking = r.problems()
    stage_links = list(FootageLink.objects.filter(case=case, unlink__isnull=True).select_related("item"))
    verdicts = late_many([link.item for link in stage_links])
    out = []
    for stage in STAGE_ORDER:
        needed = [a for a in acts if any(types.get(code, ("",))[0] == stage for code, _ in a.records)]
        mine = [r for r in rows if r.record.stage == stage]
        shown = {v.item_id for r in mine for v in r.late}  # already under their act
        late_here = list({link.item_id: (link.item, verdicts[link.item_id]) for link in stage_links
                          if link.stage == stage and link.item_id in verdicts and link.item_id not in shown}.values())
        if not needed and not mine and not late_here:
            continue
        unattached = list({link.item_id: link.item for link in stage_links if link.stage == stage
                           and link.record_id is None}.values()) if with_unattached else []
        out.append({"stage": stage, "label": Stage(stage).label, "unattached": unattached,
                    "current": stage == case.stage,
                    "required": [a for a in needed if a.required], "optional": [a for a in needed if not a.required],
                    "acts": mine, "late": late_here,
                    # 执法用语 the officer says before recording each act of the stage (the case's profile).
                    "phrases": rules.phrases_for(case, needed)})
    return out
