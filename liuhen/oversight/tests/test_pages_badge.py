"""The notice badge (提醒) on every page of a case worker: a count in the database of exactly what the
notice list shows — new findings above the user's mark, deadlines overdue, due within
LIUHEN_TODO_DUE_DAYS working days or unknown and not seen — for a few queries whatever the number
of findings, none of them loading a finding or a clock."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liuhen.oversight import notices, selectors
from liuhen.oversight.finding_models import Clock
from liuhen.testing.oversight import archivist, clock, open_finding, supervisor

pytestmark = pytest.mark.usefixtures("fresh_home")
HOUR = datetime.timedelta(hours=1)
WANTED = (selectors.OVERDUE, selectors.DUE_SOON, selectors.UNKNOWN)


def listed(user, now=None) -> int:
    return len(notices.rows(notices.pending(user, now)))


def by_the_rule(user, now) -> set:
    """The clocks of `user` the old way: every open clock of their scope, judged one by one."""
    from liuhen.cases.models import Case

    open_cases = Case.objects.filter(agency_id=user.agency_id, archived_at__isnull=True)
    own = selectors.own_cases_q(user)
    near = set()
    if own is not None:
        near |= set(Clock.objects.filter(met_at__isnull=True, case__in=open_cases.filter(own)))
    kinds = [d for role, ids in selectors.ROLE_DEADLINES.items() if user.has_role(role) for d in ids]
    near |= set(Clock.objects.filter(met_at__isnull=True, case__in=open_cases, deadline__in=kinds))
    out = {c.pk for c in near if selectors.clock_view(c, now).status in WANTED}
    if selectors.watches_agency(user):
        out |= {c.pk for c in Clock.objects.filter(met_at__isnull=True, case__in=open_cases)
                if selectors.clock_view(c, now).status == selectors.OVERDUE}
    return out


def spread(case, now, *, deadline="service", days=40, step=HOUR * 5):
    """Clocks of `case` due every `step` from two days ago to `days` days on, one unknown, one met."""
    at = now - 2 * 24 * HOUR
    while at < now + days * 24 * HOUR:
        clock(case, deadline=deadline, due_at=at)
        at += step
    clock(case, deadline=deadline, unknown=True)
    clock(case, deadline=deadline, due_at=now + HOUR, met_at=now)


def test_count_equals_the_list_on_the_world_and_on_cases_with_findings_and_clocks(world, client):
    people = [world.officer, world.officer2, world.outsider, world.unit_head, world.agency_head, world.reviewer,
              supervisor(world), archivist(world)]
    for user in people:  # the world as it is: nothing yet
        assert notices.count_for(user) == listed(user) == 0
    case = world.open_case()
    other = world.open_case(officer=world.outsider, officers=[], on_site=False)
    now = timezone.now()
    for i in range(3):
        open_finding(case, officer=world.officer, message=f"问题{i}")
    open_finding(other, officer=world.outsider, severity="warning")
    open_finding(other, officer=world.outsider)
    clock(case, due_at=now - 3 * HOUR)  # overdue
    clock(case, due_at=now + 20 * HOUR)  # due soon
    clock(case, due_at=now + 60 * 24 * HOUR)  # far off
    clock(case, unknown=True)
    clock(case, due_at=now - HOUR, met_at=now - 2 * HOUR)  # met
    clock(other, deadline="legal_review", due_at=now + 30 * HOUR)  # the reviewer's kind
    clock(other, deadline="archive", due_at=now - 30 * HOUR)  # the archivist's, overdue
    for user in people:
        n = notices.count_for(user)
        assert n == listed(user), user.username
    assert notices.count_for(world.officer) == 3 + 3  # three findings; overdue, soon, unknown
    assert notices.count_for(world.reviewer) == 1 and notices.count_for(world.agency_head) == 4 + 2  # errors; overdue ones

    # Marked as seen: the findings and the deadlines shown go; a new one comes; the badge follows.
    pending = notices.pending(world.officer)
    client.force_login(world.officer)
    client.post(reverse("oversight:notices_seen"),
                {"up_to": str(pending.last_event_id), "deadline": [cv.token for cv in pending.deadlines[:2]]})
    assert notices.count_for(world.officer) == listed(world.officer) == 1
    open_finding(case, officer=world.officer)
    clock(case, due_at=now + 2 * HOUR)
    assert notices.count_for(world.officer) == listed(world.officer) == 3
    for user in people:
        assert notices.count_for(user) == listed(user), user.username


def test_findings_counted_as_many_as_the_list_holds(world, monkeypatch):
    case = world.open_case()
    for _ in range(5):
        open_finding(case, officer=world.officer)
    monkeypatch.setattr(notices, "MAX_LISTED", 3)
    assert notices.count_for(world.officer) == listed(world.officer) == 3


@pytest.mark.parametrize("who", ["officer", "reviewer", "agency_head"])
def test_due_soon_in_sql_is_the_pages_rule_at_every_hour(world, who):
    """Clocks due every 5 hours over 40 days, read at several times of day: the stored-row filter
    selects exactly the clocks clock_view calls overdue, due soon or unknown."""
    user = getattr(world, who)
    case = world.open_case()
    now = timezone.now()
    spread(case, now, deadline="legal_review" if who == "reviewer" else "service")
    for at in (now, now + 7 * HOUR, now + 16 * HOUR, now + 3 * 24 * HOUR):
        expected = by_the_rule(user, at)
        got = set(Clock.objects.filter(selectors.my_deadlines_q(user, at)).values_list("pk", flat=True))
        assert got == expected and expected
        assert selectors.my_deadlines_count(user, at) == len(expected) == len(selectors.my_deadlines(user, at))
        assert notices.count_for(user, at) == listed(user, at)


def test_due_soon_across_a_year_the_calendar_does_not_know(world):
    """Read late in the last year the calendar knows: days of the next year cannot be counted and
    are due soon within the calendar-day margin; the stored-row filter follows the same rule."""
    from liuhen.workdays import calendar

    last = max(y for y in calendar.known_years() if calendar.known(y))
    assert not calendar.known(last + 1)
    case = world.open_case()
    for day in (20, 27, 30):
        now = timezone.make_aware(datetime.datetime(last, 12, day, 10, 0))
        Clock.objects.all().delete()
        spread(case, now, days=30, step=HOUR * 7)
        expected = by_the_rule(world.officer, now)
        unknown_days = [c for c in Clock.objects.filter(pk__in=expected, due_at__isnull=False)
                        if timezone.localdate(c.due_at).year > last]
        assert unknown_days, day  # some due soon only by the margin
        got = set(Clock.objects.filter(selectors.my_deadlines_q(world.officer, now)).values_list("pk", flat=True))
        assert got == expected, day
        assert notices.count_for(world.officer, now) == listed(world.officer, now) == len(expected)


def test_seen_tokens_of_any_shape(world):
    """A seen token names one clock by case, key (which may hold colons) and due time; a token that is
    no token (a forged or an old one) names nothing."""
    case = world.open_case()
    now = timezone.now()
    a = clock(case, key="av_upload:footage:17", due_at=now + HOUR)
    b = clock(case, key="service", unknown=True)
    c = clock(case, key="service:2", due_at=now - HOUR)
    views = {cv.clock.pk: cv for cv in selectors.my_deadlines(world.officer)}
    assert selectors.my_deadlines_count(world.officer) == 3
    for seen, left in (([views[a.pk].token], 2), ([views[b.pk].token, views[c.pk].token], 1),
                       (["x", "1:2", f"{case.pk}:service:2026-13-01T00:00:00", f"{case.pk}:service:2026-12-01T00:00:00"],
                        3)):
        assert selectors.my_deadlines_count(world.officer, seen_tokens=seen) == left, seen
    assert selectors.tokens_q([]) is None


def badge_queries(user) -> list[str]:
    """The SQL the badge runs for `user`, without the working-day calendar's once-a-second look for a
    schedule loaded by another process (liuhen.workdays.calendar._fresh)."""
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    user.role_codes()  # the request's user: its roles are read once per request by every page
    with CaptureQueriesContext(connection) as ctx:
        Template("{% load oversight %}{% oversight_notice_badge %}").render(Context({"request": request}))
    return [q["sql"] for q in ctx.captured_queries if "workdays_" not in q["sql"]]


@pytest.mark.parametrize("who", ["officer", "agency_head"])
def test_badge_costs_a_few_count_queries_whatever_the_number_of_findings(world, who):
    from liuhen.accounts.models import User

    case = world.open_case()
    now = timezone.now()
    open_finding(case, officer=world.officer)
    clock(case, due_at=now - HOUR)
    user = User.objects.get(pk=getattr(world, who).pk)
    few = badge_queries(user)
    for i in range(40):
        open_finding(case, officer=world.officer)
        clock(case, due_at=now + (i - 20) * 3 * HOUR)
    user = User.objects.get(pk=user.pk)
    many = badge_queries(user)
    assert len(few) == len(many) <= 3
    for sql in many:
        if "oversight_findingevent" in sql or "oversight_clock" in sql:
            assert sql.lstrip().upper().startswith("SELECT COUNT("), sql  # never a row loaded
