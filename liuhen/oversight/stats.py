"""执法监督 statistics (LQ 30: 统计分析 feeds evaluation and supervision): the findings the engine
found in a period, by unit, officer, kind (code), severity and month, each count the length of the
same list the page and the Excel export show; the cases of the period by kind, stage and month
opened and closed; the on-time rate of each deadline; and the bar charts drawn from those numbers
(server-rendered SVG: no script, readable on a phone, with <title>/<desc> and the numbers as text).

Every number is an aggregate query (COUNT by unit, officer, code, severity, month of the agency's
time zone, deadline): a province's 100 000 cases' findings are counted in the database, never
loaded; the findings page reads only the rows it lists, the export reads them in chunks.

All within what the user supervises (selectors.scope_units): a unit head sees their own unit."""
import datetime
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, Min, OuterRef, Q, Value, When
from django.db.models import Case as Choose  # SQL CASE (liuhen.cases' Case is the 案件)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from liuhen.cases.models import Kind, Stage
from liuhen.workdays import calendar

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


def finding_queryset(user, data: dict):
    """The findings found in the period (filtered), newest first, each annotated `is_open`: the
    engine's current findings hold its (case, key) and it is the latest opening of that (case, key)
    among them (the one the current finding continues) — all in the database."""
    from .finding_models import Finding, FindingEvent, FindingEventKind

    base = (FindingEvent.objects.filter(_event_filters(user, data), event=FindingEventKind.OPENED)
            .filter(period_q("at", data["first"], data["last"])))
    later = base.filter(case_id=OuterRef("case_id"), key=OuterRef("key")).filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id")))
    current = Finding.objects.filter(case_id=OuterRef("case_id"), key=OuterRef("key"))
    qs = base.annotate(is_open=ExpressionWrapper(Exists(current) & ~Exists(later), output_field=BooleanField()))
    status = data.get("status")
    if status == "open":
        qs = qs.filter(is_open=True)
    elif status == "resolved":
        qs = qs.filter(is_open=False)
    return qs.order_by("-at", "-id")


class FindingRows:
    """The findings of FindingStats, read from the database only as far as they are used: a page's
    first rows by slicing (`rows[:200]`), all of them chunk by chunk when iterated (the export);
    len() is the total counted in the database."""

    def __init__(self, qs, total: int):
        self.qs = qs
        self.total = total

    def _rows(self, qs):
        return [FindingRow(e, bool(e.is_open)) for e in qs]

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self):
        for e in self.qs.select_related("case", "unit", "officer").iterator(chunk_size=2000):
            yield FindingRow(e, bool(e.is_open))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._rows(self.qs.select_related("case", "unit", "officer")[index])
        return self[index:index + 1][0]

    def case_ids(self, limit: int) -> list[int]:
        """The first `limit` of the cases the findings are on, by id."""
        return list(self.qs.order_by("case_id").values_list("case_id", flat=True).distinct()[:limit])


@dataclass
class Tally:
    key: object
    label: str
    found: int = 0
    open: int = 0

    @property
    def resolved(self) -> int:
        return self.found - self.open


def _tally(qs, field_name: str, labels, preset=()) -> list[Tally]:
    """Found and open per value of `field_name`, counted in the database; `labels(keys)` names the
    keys the preset does not."""
    out: OrderedDict = OrderedDict((k, Tally(k, label)) for k, label in preset)
    counts = list(qs.order_by().values(field_name).annotate(found=Count("pk"), open=Count("pk", filter=Q(is_open=True)))
                  .values_list(field_name, "found", "open"))
    names = labels({k for k, _, _ in counts if k not in out})
    for k, found, open_ in counts:
        t = out.setdefault(k, Tally(k, names.get(k, str(k))))
        t.found, t.open = found, open_
    return list(out.values())


def _names(model, attr: str):
    def labels(keys) -> dict:
        keys = {k for k in keys if k is not None}
        return {o.pk: getattr(o, attr) for o in model.objects.filter(pk__in=keys)} if keys else {}
    return labels


def _month_key(value) -> str:
    return value.strftime("%Y-%m")


def by_month(qs, field_name: str) -> dict[str, int]:
    """How many rows of `qs` fall in each month of the agency's time zone (YYYY-MM), in SQL."""
    month = TruncMonth(field_name, tzinfo=calendar.agency_zone())
    return {_month_key(m): n for m, n in qs.order_by().annotate(m=month).values("m").annotate(n=Count("pk"))
            .values_list("m", "n")}


@dataclass
class FindingStats:
    rows: FindingRows
    by_unit: list
    by_officer: list
    by_code: list
    by_severity: list
    by_month: list  # Tally per month: found (opened in the month), open; and resolved events
    total: Tally = field(default_factory=lambda: Tally(None, "合计"))


def finding_stats(user, data: dict) -> FindingStats:
    """Every count of the page by aggregate queries (never loading the findings): by unit, officer,
    kind (code), severity and month of the agency's time zone."""
    from django.contrib.auth import get_user_model

    from liuhen.accounts.models import Unit

    from .finding_models import FindingEvent, FindingEventKind, Severity

    qs = finding_queryset(user, data)
    units = [(u.pk, u.name) for u in selectors.scope_units(user)]
    if data.get("unit") is not None:
        units = [(k, n) for k, n in units if k == data["unit"].pk]
    by_unit = _tally(qs, "unit_id", _names(Unit, "name"), units)
    people = _names(get_user_model(), "display_name")
    by_officer = _tally(qs, "officer_id", people)
    for t in by_officer:
        if t.key is None:
            t.key, t.label = NONE, "未归属执法人员"
    by_officer.sort(key=lambda t: (-t.found, t.label))
    by_code = sorted(_tally(qs, "code", lambda keys: {k: code_with_label(k) for k in keys}),
                     key=lambda t: (-t.found, str(t.key)))
    by_severity = _tally(qs, "severity", lambda keys: {k: dict(Severity.choices).get(k, k) for k in keys},
                         [("error", "错误"), ("warning", "提示")])
    month = TruncMonth("at", tzinfo=calendar.agency_zone())
    counts = {_month_key(m): (found, open_) for m, found, open_ in
              qs.order_by().annotate(m=month).values("m")
              .annotate(found=Count("pk"), open=Count("pk", filter=Q(is_open=True))).values_list("m", "found", "open")}
    # 整改 per month: the resolved events of the same filters in the month (of findings found any time).
    resolved = by_month(FindingEvent.objects.filter(_event_filters(user, data), event=FindingEventKind.RESOLVED)
                        .filter(period_q("at", data["first"], data["last"])), "at")
    months = []
    for m in data["months"]:
        key = m.strftime("%Y-%m")
        t = Tally(key, "", *counts.get(key, (0, 0)))
        t.resolved_in_month = resolved.get(key, 0)
        months.append(t)
    total = qs.order_by().aggregate(found=Count("pk"), open=Count("pk", filter=Q(is_open=True)))
    rows = FindingRows(qs, total["found"])
    return FindingStats(rows, by_unit, by_officer, by_code, by_severity, months,
                        Tally(None, "合计", total["found"], total["open"]))


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
    """The cases of the page (at most MAX_CASES, newest first) — the clock filter applied in the
    database before the limit — with their open clocks and the number of their open findings."""
    from .finding_models import Clock, Finding

    now = now or timezone.now()
    qs = case_queryset(user, data)
    # A paused clock (LW-L 12: the legal review waits for materials) is running, never overdue.
    paused = Q(status=selectors.PAUSED)
    want = {"overdue": Q(due_at__lt=now) & ~paused, "running": Q(due_at__gte=now) | paused,
            "unknown": Q(due_at__isnull=True)}.get(data.get("clock"))
    if want is not None:
        qs = qs.filter(Exists(Clock.objects.filter(want, case_id=OuterRef("pk"), met_at__isnull=True)))
    cases = list(qs.select_related("unit").order_by("-created_at", "-pk")[:MAX_CASES])
    ids = [c.pk for c in cases]
    clocks: dict = {}
    for clock in Clock.objects.filter(case_id__in=ids, met_at__isnull=True).order_by("due_at", "key"):
        clocks.setdefault(clock.case_id, []).append(selectors.clock_view(clock, now))
    findings = dict(Finding.objects.filter(case_id__in=ids).values("case_id").annotate(n=Count("pk"))
                    .values_list("case_id", "n"))
    return [CaseRow(c, clocks.get(c.pk, []), findings.get(c.pk, 0)) for c in cases]


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


def _on_time(clocks, now) -> list[OnTime]:
    """Per deadline, the clocks by status against `now` (clocks.status_of's rule, in SQL): met on
    time (or with no due time to judge), met late, overdue, running (due soon too), unknown."""
    done, undone = Q(met_at__isnull=False), Q(met_at__isnull=True)
    paused = Q(status=selectors.PAUSED)  # LW-L 12: waiting for materials, counted as running
    counts = list(clocks.order_by().values("deadline").annotate(
        first=Min("pk"),
        met=Count("pk", filter=done & (Q(due_at__isnull=True) | Q(met_at__lte=F("due_at")))),
        met_late=Count("pk", filter=done & Q(met_at__gt=F("due_at"))),
        overdue=Count("pk", filter=undone & Q(due_at__lt=now) & ~paused),
        running=Count("pk", filter=undone & (Q(due_at__gte=now) | paused)),
        unknown=Count("pk", filter=undone & Q(due_at__isnull=True)),
    ).order_by("deadline"))
    from .finding_models import Clock

    # Each deadline's label and article as its first clock gives them.
    names = {c["pk"]: c for c in Clock.objects.filter(pk__in=[r["first"] for r in counts])
             .values("pk", "label", "article")}
    return [OnTime(r["deadline"], names[r["first"]]["label"], names[r["first"]]["article"], r["met"], r["met_late"],
                   r["overdue"], r["running"], r["unknown"]) for r in counts]


def case_stats(user, data: dict, now=None) -> CaseStats:
    """Every number by aggregate queries: cases opened by kind and by stage (已归档 apart), opened
    and archived per month of the agency's time zone, each deadline's on-time rate."""
    from .finding_models import Clock

    now = now or timezone.now()
    scope = selectors.supervised_cases(user)
    if data.get("unit") is not None:
        scope = scope.filter(unit_id=data["unit"].pk)
    opened = scope.filter(period_q("created_at", data["first"], data["last"]))
    kinds = dict(opened.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    by_kind = [(label, kinds.get(value, 0)) for value, label in Kind.choices]
    shown_stage = Choose(When(archived_at__isnull=False, then=Value("archived")), default=F("stage"))
    stages = dict(opened.order_by().annotate(shown=shown_stage).values("shown").annotate(n=Count("pk"))
                  .values_list("shown", "n"))
    by_stage = [(label, stages.get(value, 0)) for value, label in Stage.choices] + [("已归档", stages.get("archived", 0))]
    open_months = by_month(opened, "created_at")
    closed_months = by_month(scope.filter(period_q("archived_at", data["first"], data["last"])), "archived_at")
    months = [(f"{m.year}年{m.month}月", open_months.get(m.strftime("%Y-%m"), 0),
               closed_months.get(m.strftime("%Y-%m"), 0)) for m in data["months"]]
    clocks = Clock.objects.filter(case__in=scope.values("pk")).filter(period_q("started_at", data["first"],
                                                                                    data["last"]))
    return CaseStats(sum(kinds.values()), by_kind, by_stage, months, _on_time(clocks, now))


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
