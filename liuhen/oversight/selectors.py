"""Reads of the oversight pages: who sees what (scopes), the findings and clocks of the findings
engine (finding_models: Finding, FindingEvent, Clock) as the pages filter them, the cases list, and
the working days left to a deadline.

The engine's tables are derived data the engine rewrites; these pages only read them. Every page
that shows case content logs the read (log_read): who, which page, which filters — ids and codes,
never a party's name (a typed search text is logged as the ids of the cases it matched)."""
import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from liuhen.accounts.roles import ADMIN_ROLES, Role
from liuhen.workdays import calendar
from liuhen.ledger import services as ledger

from . import pages_vocabulary as v

DEFAULT_DUE_DAYS = 5
UNKNOWN_MARGIN_DAYS = 10  # the longest run of holidays and weekends in a State Council schedule, and some  # LIUHEN_TODO_DUE_DAYS: deadlines due within this many working days are shown

# Roles that work cases and so have a to-do list. The three administrators (三员分立) see no case
# content and have none; a 设备管理员 alone works on no case (their first page is the device registry).
TODO_ROLES = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD, Role.ARCHIVIST,
                        Role.SUPERVISOR})
# Supervision (执法监督): the 监督人员, the 机关负责人 and the 法制审核人员 across the agency; a
# 承办机构负责人 for their own unit (LQ 30: statistics feed evaluation and supervision).
AGENCY_SUPERVISION_ROLES = frozenset({Role.SUPERVISOR, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER})
# The deadlines that are a role's own work across the agency (not only on cases they are officers of).
ROLE_DEADLINES = {Role.LEGAL_REVIEWER: ("legal_review",), Role.ARCHIVIST: ("archive",)}


def due_days() -> int:
    return int(getattr(settings, "LIUHEN_TODO_DUE_DAYS", DEFAULT_DUE_DAYS))


# ---- who sees what ---------------------------------------------------------------------------------

def works_cases(user) -> bool:
    """Has `user` a to-do list (我的待办)? Everyone who works cases; not the three administrators."""
    return (user.is_authenticated and user.agency_id is not None and not user.has_role(*ADMIN_ROLES)
            and user.has_role(*TODO_ROLES))


def may_supervise(user) -> bool:
    return (user.is_authenticated and user.agency_id is not None and not user.has_role(*ADMIN_ROLES)
            and user.has_role(*AGENCY_SUPERVISION_ROLES, Role.UNIT_HEAD))


def agency_wide(user) -> bool:
    return user.has_role(*AGENCY_SUPERVISION_ROLES)


def scope_units(user):
    """The units `user` supervises: all the agency's, or a unit head's own (none without a unit)."""
    from liuhen.accounts.models import Unit

    units = Unit.objects.filter(agency_id=user.agency_id).order_by("name")
    if agency_wide(user):
        return units
    return units.filter(pk=user.unit_id) if user.unit_id else units.none()


class AgencyView:
    """`user` looking at the supervision pages of agency `agency_id`: their own, or one their agency
    supervises (上级监督, accounts.Supervision) — what the pages count (units, cases, findings) goes by
    `agency_id`, everything else (roles, name) is the user's."""

    def __init__(self, user, agency_id):
        self._user, self.agency_id = user, agency_id

    def __getattr__(self, name):
        return getattr(self._user, name)


def viewable_agencies(user):
    """The agencies whose supervision pages `user` opens: their own, and — for the 监督人员 — the
    agencies their agency supervises (上级监督), read only."""
    from liuhen.accounts.models import Agency
    from liuhen.accounts.roles import SUPERVISION_ROLES
    from liuhen.accounts.selectors import supervised_agency_ids

    ids = {user.agency_id}
    if user.has_role(*SUPERVISION_ROLES):
        ids |= supervised_agency_ids(user.agency_id)
    return Agency.objects.filter(pk__in=ids).order_by("pk")


def supervised_cases(user):
    """The cases within `user`'s supervision scope (a queryset)."""
    from liuhen.cases.models import Case

    qs = Case.objects.filter(agency_id=user.agency_id)
    return qs if agency_wide(user) else qs.filter(unit_id__in=scope_units(user).values("pk"))


def own_cases_q(user) -> Q | None:
    """The cases that are `user`'s own work: an officer's cases (assigned), a unit head's unit.
    None: no case as their own (a reviewer, an archivist, the agency head, a supervisor)."""
    if not works_cases(user):
        return None
    q = None
    if user.has_role(Role.OFFICER):
        from liuhen.cases.models import CaseOfficer

        q = Q(pk__in=CaseOfficer.objects.filter(officer=user).values("case_id"))
    if user.has_role(Role.UNIT_HEAD) and user.unit_id:
        q = Q(unit_id=user.unit_id) if q is None else q | Q(unit_id=user.unit_id)
    return None if q is None else Q(agency_id=user.agency_id) & q


def watches_agency(user) -> bool:
    """The 机关负责人 and the 监督人员 are told of the agency's errors and overdue deadlines — not
    of every warning and running clock of every case (their notices would drown)."""
    return works_cases(user) and user.has_role(Role.AGENCY_HEAD, Role.SUPERVISOR)


# ---- clocks ------------------------------------------------------------------------------------------

RUNNING, DUE_SOON, OVERDUE, MET, MET_LATE, UNKNOWN, PAUSED = (
    "running", "due_soon", "overdue", "met", "met_late", "unknown", "paused")
CLOCK_LABELS = {RUNNING: "进行中", DUE_SOON: "即将到期", OVERDUE: "已逾期", MET: "已按期完成", MET_LATE: "逾期完成",
                UNKNOWN: "无法计算", PAUSED: "暂停计时"}
CLOCK_BADGES = {RUNNING: "badge-current", DUE_SOON: "badge-warn", OVERDUE: "badge-bad", MET: "badge-done",
                MET_LATE: "badge-warn", UNKNOWN: "badge-warn", PAUSED: "badge-void"}


def working_days_between(a: datetime.date, b: datetime.date) -> int | None:
    """The working days after `a` up to and including `b` (day 1 is the first working day strictly
    after `a`), from the agency's working-day calendar (liuhen.workdays, chinesecalendar plus the
    State Council's schedules loaded). None when the calendar does not know a year in between: the
    page then says so, and never counts Monday to Friday instead."""
    if b <= a:
        return 0
    return calendar.working_days_between(a, b)


@dataclass
class ClockView:
    """A deadline clock as a page shows it, its status against now."""

    clock: object  # finding_models.Clock
    status: str
    days_left: int | None  # working days to the due day (None: unknown); 0 on the day and after

    @property
    def label(self) -> str:
        return CLOCK_LABELS[self.status]

    @property
    def badge(self) -> str:
        return CLOCK_BADGES[self.status]

    @property
    def overdue(self) -> bool:
        return self.status == OVERDUE

    @property
    def token(self) -> str:
        c = self.clock
        return f"{c.case_id}:{c.key}:{c.due_at.isoformat() if c.due_at else 'unknown'}"

    @property
    def remaining(self) -> str:
        c = self.clock
        if self.status == UNKNOWN:
            return "工作日历缺少相关年份，到期日无法计算"
        if self.status == OVERDUE:
            return f"已逾期（应于 {timezone.localtime(c.due_at):%Y-%m-%d %H:%M} 前完成）"
        if self.days_left is None:
            return f"{timezone.localtime(c.due_at):%Y-%m-%d %H:%M} 到期（剩余工作日无法计算）"
        if self.days_left == 0:
            return f"今日到期（{timezone.localtime(c.due_at):%H:%M}）"
        return f"剩余 {self.days_left} 个工作日（{timezone.localtime(c.due_at):%Y-%m-%d}）"


def _soon_day(today: datetime.date, due_day: datetime.date, left: int | None, window: int) -> bool:
    """Is a clock due on `due_day` (not yet past) due soon, seen on `today`? Due within `window`
    working days (`left`: the working days to it). When the calendar cannot count them (a year not
    loaded) the due time itself is known: it is shown as due soon — the remaining working days as
    unknown — whenever it could be within the window: calendar days up to the window's length in
    weeks plus the longest holiday (the Spring Festival's), so the warning comes early, never late."""
    if left is None:
        return (due_day - today).days <= -(-window * 7 // 5) + UNKNOWN_MARGIN_DAYS
    return left <= window


def clock_view(clock, now=None, window: int | None = None) -> ClockView:
    """The clock's status against `now` (the engine's own rule, clocks.status_of), with "due soon"
    meaning due within `window` working days (LIUHEN_TODO_DUE_DAYS) on these pages."""
    from .clocks import status_of

    now = now or timezone.now()
    window = due_days() if window is None else window
    if getattr(clock, "status", None) == PAUSED and clock.met_at is None:
        # LW-L 12: waiting for materials, the review's clock stands still (clocks.review_clock).
        return ClockView(clock, PAUSED, None)
    status = str(status_of(clock.due_at, clock.met_at, now))
    if status in (MET, MET_LATE, UNKNOWN):
        return ClockView(clock, status, None)
    if status == OVERDUE:
        return ClockView(clock, OVERDUE, 0)
    today, due_day = timezone.localdate(now), timezone.localdate(clock.due_at)
    left = working_days_between(today, due_day)
    return ClockView(clock, DUE_SOON if _soon_day(today, due_day, left, window) else RUNNING, left)


def _soon_spans(today: datetime.date, window: int) -> list[tuple[datetime.date, datetime.date]]:
    """The due days (from `today` on) that clock_view calls due soon, as (first, last) runs. Beyond
    the later of the unknown-year margin and the last day within the window nothing is soon."""
    horizon = today + datetime.timedelta(days=-(-window * 7 // 5) + UNKNOWN_MARGIN_DAYS)
    beyond = calendar.add_working_days(today, window + 1)  # the first day past the window
    if beyond is None:  # a year not loaded starts before it: the known days before that year count
        year = today.year
        while calendar.known(year):
            year += 1
        beyond = datetime.date(year, 1, 1)
    horizon = max(horizon, beyond)
    spans: list = []
    day = today
    while day <= horizon:
        if _soon_day(today, day, working_days_between(today, day), window):
            if spans and spans[-1][1] == day - datetime.timedelta(days=1):
                spans[-1] = (spans[-1][0], day)
            else:
                spans.append((day, day))
        day += datetime.timedelta(days=1)
    return spans


def _midnight(day: datetime.date) -> datetime.datetime:
    """The first instant of `day` where the pages count days (timezone.localdate: the current zone)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def wanted_due_q(now: datetime.datetime, window: int) -> Q:
    """The not-met clocks clock_view calls overdue, due soon or unknown at `now`, as a filter on
    the stored due time — the same rule, so that a count needs no row."""
    q = Q(due_at__isnull=True) | Q(due_at__lt=now)
    for first, last in _soon_spans(timezone.localdate(now), window):
        q |= Q(due_at__gte=_midnight(first), due_at__lt=_midnight(last + datetime.timedelta(days=1)))
    return q


def my_deadlines_q(user, now=None, window: int | None = None) -> Q | None:
    """The Clock rows of `user`'s deadlines (my_deadlines) as one filter: not met, of the agency's
    cases not archived; on their own cases (own_cases_q) and of their role's own kind across the
    agency (ROLE_DEADLINES: 法制审核 for the reviewer, 归档 for the archivist) those overdue, due
    within `window` working days (LIUHEN_TODO_DUE_DAYS) or whose due time cannot be computed; for
    the 机关负责人 and the 监督人员 also every overdue one of the agency. None: no deadline is theirs."""
    from liuhen.cases.models import Case

    if not works_cases(user):
        return None
    now = now or timezone.now()
    window = due_days() if window is None else window
    open_cases = Case.objects.filter(agency_id=user.agency_id, archived_at__isnull=True)
    near = None
    q = own_cases_q(user)
    if q is not None:
        near = Q(case__in=open_cases.filter(q))
    own = [d for role, ids in ROLE_DEADLINES.items() if user.has_role(role) for d in ids]
    if own:
        mine = Q(case__in=open_cases, deadline__in=own)
        near = mine if near is None else near | mine
    wanted = None if near is None else near & wanted_due_q(now, window)
    if watches_agency(user):
        overdue = Q(case__in=open_cases, due_at__lt=now)
        wanted = overdue if wanted is None else wanted | overdue
    # A paused clock (LW-L 12: the review waits for materials) is nobody's deadline while it waits.
    return None if wanted is None else Q(met_at__isnull=True) & ~Q(status=PAUSED) & wanted


def my_deadlines(user, now=None, window: int | None = None) -> list[ClockView]:
    """Deadlines of `user`'s concern (my_deadlines_q), overdue first, then unknown, then due soon."""
    from .finding_models import Clock

    now = now or timezone.now()
    q = my_deadlines_q(user, now, window)
    if q is None:
        return []
    out = [clock_view(c, now, window) for c in
           Clock.objects.filter(q).select_related("case", "unit").order_by("due_at", "case_id", "key")]
    order = {OVERDUE: 0, UNKNOWN: 1, DUE_SOON: 2}
    far = timezone.now() + datetime.timedelta(days=36500)
    out.sort(key=lambda cv: (order[cv.status], cv.clock.due_at or far, cv.clock.case_id))
    return out


def my_deadlines_count(user, now=None, window: int | None = None, *, seen_tokens=()) -> int:
    """How many of my_deadlines(user) are not among `seen_tokens` (ClockView.token): one count query."""
    from .finding_models import Clock

    q = my_deadlines_q(user, now, window)
    if q is None:
        return 0
    qs = Clock.objects.filter(q)
    seen = tokens_q(seen_tokens)
    return (qs.exclude(seen) if seen is not None else qs).count()


TOKEN = re.compile(r"^(\d{1,18}):(.+):(unknown|\d{4}-\d\d-\d\dT[0-9:.]+(?:[+-]\d\d:\d\d)?)$")


def tokens_q(tokens) -> Q | None:
    """The clocks named by ClockView tokens ("<case id>:<key>:<due ISO or 'unknown'>"), as a filter
    grouped by (key, due time); a token that is no token names nothing. None: no token."""
    groups: dict = {}
    for token in tokens:
        m = TOKEN.match(str(token))
        if m is None:
            continue
        case_id, key, due = m.groups()
        if due == "unknown":
            due_at = None
        else:
            try:
                due_at = datetime.datetime.fromisoformat(due)
            except ValueError:
                continue
            if timezone.is_naive(due_at):
                continue
        groups.setdefault((key, due_at), set()).add(int(case_id))
    q = None
    for (key, due_at), cases in groups.items():
        one = Q(key=key, case_id__in=sorted(cases))
        one &= Q(due_at__isnull=True) if due_at is None else Q(due_at=due_at)
        q = one if q is None else q | one
    return q


# ---- reads are logged --------------------------------------------------------------------------------

def log_read(user, action: str, detail: dict, *, object_type: str = v.SUPERVISION_OBJECT, object_id=None) -> None:
    """A look at case content (留痕): its own entry, whatever the request does next."""
    with transaction.atomic():
        ledger.append(action, actor=user, object_type=object_type,
                      object_id=str(object_id if object_id is not None else user.agency_id or ""), detail=detail)


def due_days_setting(app_configs=None, **kwargs):
    """System check: LIUHEN_TODO_DUE_DAYS is a whole number of working days from 1 to 60."""
    from django.core import checks

    value = getattr(settings, "LIUHEN_TODO_DUE_DAYS", DEFAULT_DUE_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 60:
        return [checks.Error(f"LIUHEN_TODO_DUE_DAYS 应为 1 到 60 之间的整数（工作日），现为 {value!r}。",
                             hint="待办事项中显示该工作日数内到期的期限，默认 5。", id=v.CHECK_TODO_DAYS)]
    return []
