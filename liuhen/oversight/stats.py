"""执法监督 statistics (LQ 30: 统计分析 feeds evaluation and supervision): the findings the engine
found in a period, by unit, officer, kind (code), severity and month, each count the length of the
same list the page and the Excel export show; the cases of the period by kind, stage and month
opened and closed; the on-time rate of each deadline; and the bar charts drawn from those numbers
(server-rendered SVG: no script, readable on a phone, with <title>/<desc> and the numbers as text).

All within what the user supervises (selectors.scope_units): a unit head sees their own unit."""
import datetime
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from liuhen.cases.models import Kind, Stage

from . import selectors

NONE = "none"


def code_label(code: str) -> str:
    try:
        from .vocabulary import title
    except ImportError:  # pragma: no cover — the engine's vocabulary not merged yet
        return code
    return title(code)


def code_with_label(code: str) -> str:
    label = code_label(code)
    return f"{label}（{code}）" if label != code else code


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def period_q(field_name: str, first: datetime.date, last: datetime.date) -> Q:
    return Q(**{f"{field_name}__gte": _aware(first),
                f"{field_name}__lt": _aware(last + datetime.timedelta(days=1))})


# ---- findings ------------------------------------------------------------------------------------------

@dataclass
class FindingRow:
    """One finding found in the period (a FindingEvent "opened"), and whether it is still open."""

    event: object
    open: bool

    @property
    def status_label(self) -> str:
        return "未整改" if self.open else "已整改"


def _event_filters(user, data: dict) -> Q:
    q = Q(agency_id=user.agency_id)
    if not selectors.agency_wide(user):
        q &= Q(unit_id__in=list(selectors.scope_units(user).values_list("pk", flat=True)))
    if data.get("unit") is not None:
        q &= Q(unit_id=data["unit"].pk)
    if data.get("officer") is not None:
        q &= Q(officer_id=data["officer"].pk)
    if data.get("code"):
        q &= Q(code=data["code"])
    if data.get("severity"):
        q &= Q(severity=data["severity"])
    return q


def finding_rows(user, data: dict) -> list[FindingRow]:
    """The findings found in the period (filtered), newest first, each with its open/resolved state:
    open while the engine's current findings hold the same (case, key) opened at or after it."""
    from .finding_models import Finding, FindingEvent, FindingEventKind

    events = list(FindingEvent.objects.filter(_event_filters(user, data), event=FindingEventKind.OPENED)
                  .filter(period_q("at", data["first"], data["last"]))
                  .select_related("case", "unit", "officer").order_by("-at", "-id"))
    current = {}
    if events:
        for case_id, key, opened in (Finding.objects.filter(case_id__in={e.case_id for e in events})
                                     .values_list("case_id", "key", "opened_at")):
            current[(case_id, key)] = opened
    # The latest opening of each (case, key) is the one the current finding continues.
    latest = {}
    for e in events:
        latest.setdefault((e.case_id, e.key), e.pk)
    rows = [FindingRow(e, (e.case_id, e.key) in current and latest[(e.case_id, e.key)] == e.pk) for e in events]
    status = data.get("status")
    if status == "open":
        rows = [r for r in rows if r.open]
    elif status == "resolved":
        rows = [r for r in rows if not r.open]
    return rows


@dataclass
class Tally:
    key: object
    label: str
    found: int = 0
    open: int = 0

    @property
    def resolved(self) -> int:
        return self.found - self.open


def _tally(rows, key_of, label_of, preset=()) -> list[Tally]:
    out: OrderedDict = OrderedDict((k, Tally(k, label)) for k, label in preset)
    for r in rows:
        k = key_of(r.event)
        if k not in out:
            out[k] = Tally(k, label_of(r.event))
        out[k].found += 1
        out[k].open += r.open
    return list(out.values())


@dataclass
class FindingStats:
    rows: list
    by_unit: list
    by_officer: list
    by_code: list
    by_severity: list
    by_month: list  # Tally per month: found (opened in the month), open; and resolved events
    total: Tally = field(default_factory=lambda: Tally(None, "合计"))


def finding_stats(user, data: dict) -> FindingStats:
    from .finding_models import FindingEvent, FindingEventKind

    rows = finding_rows(user, data)
    units = [(u.pk, u.name) for u in selectors.scope_units(user)]
    if data.get("unit") is not None:
        units = [(k, n) for k, n in units if k == data["unit"].pk]
    by_unit = _tally(rows, lambda e: e.unit_id, lambda e: e.unit.name, units)
    by_officer = sorted(_tally(rows, lambda e: e.officer_id or NONE,
                               lambda e: e.officer.display_name if e.officer_id else "未归属执法人员"),
                        key=lambda t: (-t.found, t.label))
    by_code = sorted(_tally(rows, lambda e: e.code, lambda e: code_with_label(e.code)),
                     key=lambda t: (-t.found, str(t.key)))
    by_severity = _tally(rows, lambda e: e.severity, lambda e: e.get_severity_display(),
                         [("error", "错误"), ("warning", "提示")])
    months = [(m.strftime("%Y-%m"), f"{m.year}年{m.month}月") for m in data["months"]]
    by_month = _tally(rows, lambda e: timezone.localtime(e.at).strftime("%Y-%m"), lambda e: "", months)
    # 整改 per month: the resolved events of the same filters in the month (of findings found any time).
    resolved = Counter(timezone.localtime(at).strftime("%Y-%m") for at in
                       FindingEvent.objects.filter(_event_filters(user, data), event=FindingEventKind.RESOLVED)
                       .filter(period_q("at", data["first"], data["last"])).values_list("at", flat=True))
    for t in by_month:
        t.resolved_in_month = resolved.get(t.key, 0)
    total = Tally(None, "合计", len(rows), sum(r.open for r in rows))
    return FindingStats(rows, by_unit, by_officer, by_code, by_severity, by_month, total)


# ---- cases ------------------------------------------------------------------------------------------------

@dataclass
class CaseRow:
    case: object
    clocks: list  # selectors.ClockView, not met
    findings: int

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.clocks if c.status == selectors.OVERDUE)

    @property
    def running(self) -> int:
        return sum(1 for c in self.clocks if c.status in (selectors.RUNNING, selectors.DUE_SOON))

    @property
    def unknown(self) -> int:
        return sum(1 for c in self.clocks if c.status == selectors.UNKNOWN)

    @property
    def next_due(self):
        due = [c for c in self.clocks if c.clock.due_at is not None and c.status != selectors.OVERDUE]
        return min(due, key=lambda c: c.clock.due_at) if due else None


MAX_CASES = 500


def case_queryset(user, data: dict):
    from liuhen.cases.selectors import case_ids_with_cause, case_ids_with_party

    qs = selectors.supervised_cases(user).filter(period_q("created_at", data["first"], data["last"]))
    if data.get("unit") is not None:
        qs = qs.filter(unit_id=data["unit"].pk)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    stage = data.get("stage")
    if stage == "archived":
        qs = qs.filter(archived_at__isnull=False)
    elif stage:
        qs = qs.filter(stage=stage, archived_at__isnull=True)
    text = data.get("q") or ""
    if text:
        ids = set(case_ids_with_party(qs, text)) | set(case_ids_with_cause(qs, text))
        ids |= set(qs.filter(number__icontains=text).values_list("pk", flat=True))
        qs = qs.filter(pk__in=ids)
    return qs


def case_rows(user, data: dict, now=None) -> list[CaseRow]:
    from .finding_models import Clock, Finding

    cases = list(case_queryset(user, data).select_related("unit").order_by("-created_at", "-pk")[:MAX_CASES])
    ids = [c.pk for c in cases]
    clocks: dict = {}
    for clock in Clock.objects.filter(case_id__in=ids, met_at__isnull=True).order_by("due_at", "key"):
        clocks.setdefault(clock.case_id, []).append(selectors.clock_view(clock, now))
    findings = dict(Finding.objects.filter(case_id__in=ids).values("case_id").annotate(n=Count("pk"))
                    .values_list("case_id", "n"))
    rows = [CaseRow(c, clocks.get(c.pk, []), findings.get(c.pk, 0)) for c in cases]
    want = data.get("clock")
    if want == "overdue":
        rows = [r for r in rows if r.overdue]
    elif want == "running":
        rows = [r for r in rows if r.running]
    elif want == "unknown":
        rows = [r for r in rows if r.unknown]
    return rows


@dataclass
class OnTime:
    deadline: str
    label: str
    article: str
    met: int = 0
    met_late: int = 0
    overdue: int = 0
    running: int = 0
    unknown: int = 0

    @property
    def decided(self) -> int:
        return self.met + self.met_late + self.overdue

    @property
    def rate(self) -> float | None:
        """按期率: met on time among those whose outcome is known (met, met late, overdue)."""
        return round(100 * self.met / self.decided, 1) if self.decided else None

    @property
    def rate_label(self) -> str:
        return "—" if self.rate is None else f"{self.rate:g}%"


@dataclass
class CaseStats:
    total: int
    by_kind: list  # (label, n)
    by_stage: list
    by_month: list  # (label, opened, closed)
    on_time: list  # OnTime


def case_stats(user, data: dict, now=None) -> CaseStats:
    from .finding_models import Clock

    now = now or timezone.now()
    scope = selectors.supervised_cases(user)
    if data.get("unit") is not None:
        scope = scope.filter(unit_id=data["unit"].pk)
    opened = scope.filter(period_q("created_at", data["first"], data["last"]))
    kinds = dict(opened.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    by_kind = [(label, kinds.get(value, 0)) for value, label in Kind.choices]
    stages = Counter()
    for stage, archived in opened.values_list("stage", "archived_at"):
        stages["archived" if archived else stage] += 1
    by_stage = [(label, stages.get(value, 0)) for value, label in Stage.choices] + [("已归档", stages.get("archived", 0))]
    open_months = Counter(timezone.localtime(at).strftime("%Y-%m") for at in opened.values_list("created_at", flat=True))
    closed_months = Counter(timezone.localtime(at).strftime("%Y-%m") for at in
                            scope.filter(period_q("archived_at", data["first"], data["last"]))
                            .values_list("archived_at", flat=True))
    by_month = [(f"{m.year}年{m.month}月", open_months.get(m.strftime("%Y-%m"), 0),
                 closed_months.get(m.strftime("%Y-%m"), 0)) for m in data["months"]]
    on_time: OrderedDict = OrderedDict()
    for clock in (Clock.objects.filter(case__in=scope.values("pk")).filter(period_q("started_at", data["first"],
                                                                                       data["last"]))
                  .order_by("deadline", "pk")):
        row = on_time.setdefault(clock.deadline, OnTime(clock.deadline, clock.label, clock.article))
        status = selectors.clock_view(clock, now).status
        if status == selectors.MET:
            row.met += 1
        elif status == selectors.MET_LATE:
            row.met_late += 1
        elif status == selectors.OVERDUE:
            row.overdue += 1
        elif status == selectors.UNKNOWN:
            row.unknown += 1
        else:
            row.running += 1
    return CaseStats(opened.count(), by_kind, by_stage, by_month, list(on_time.values()))


# ---- charts ----------------------------------------------------------------------------------------------

@dataclass
class Bar:
    label: str
    values: tuple  # one number per series
    widths: tuple = ()  # percent of the chart's bar area


@dataclass
class Chart:
    """A horizontal bar chart (one row per label, one bar per series): drawn as inline SVG by
    oversight/_chart.html, with its title and a description giving every number in words, and each
    number also printed beside its bar — screen readers and small screens read it."""

    id: str
    title: str
    series: tuple  # series names, e.g. ("发现", "整改")
    bars: list
    unit: str = "件"

    @property
    def row_height(self) -> int:
        return 12 * len(self.series) + 8

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * self.row_height + 8

    @property
    def desc(self) -> str:
        parts = []
        for b in self.bars:
            nums = "，".join(f"{s}{v}{self.unit}" for s, v in zip(self.series, b.values))
            parts.append(f"{b.label}：{nums}")
        return "；".join(parts) + "。" if parts else "没有数据。"

    @property
    def rows(self) -> list:
        """Geometry for the template: per bar its y, and per series (y, width %, value, css class)."""
        out = []
        for i, b in enumerate(self.bars):
            y0 = i * self.row_height + 6
            segs = [{"y": y0 + 12 * j, "ty": y0 + 12 * j + 9, "w": w, "tx": 36 + w, "value": v, "cls": f"s{j}",
                     "series": self.series[j]}
                    for j, (v, w) in enumerate(zip(b.values, b.widths))]
            out.append({"label": b.label if len(b.label) <= 12 else b.label[:11] + "…", "y": y0 + 10, "segs": segs})
        return out


def chart(id_: str, title: str, series: tuple, items: list[tuple], unit: str = "件") -> Chart:
    """`items`: (label, v1[, v2 …]). Widths are shares of the largest value (60% of the drawing at
    most, the rest holds the numbers)."""
    top = max([max(vals) for _, *vals in items] + [0]) or 1
    bars = [Bar(label, tuple(vals), tuple(round(60 * v / top, 2) for v in vals)) for label, *vals in items]
    return Chart(id_, title, series, bars, unit)


def finding_charts(fs: FindingStats) -> list[Chart]:
    return [
        chart("by-month", "每月发现与整改的问题", ("发现", "整改"),
              [(t.key, t.found, t.resolved_in_month) for t in fs.by_month]),
        chart("by-unit", "各科室发现的问题", ("发现", "未整改"), [(t.label, t.found, t.open) for t in fs.by_unit]),
    ]


def case_charts(cs: CaseStats) -> list[Chart]:
    return [chart("cases-by-month", "每月立案与归档的案件", ("立案", "归档"), [(m, a, b) for m, a, b in cs.by_month]),
            chart("cases-by-kind", "按执法类别的案件", ("案件",), [(k, n) for k, n in cs.by_kind if n])]
