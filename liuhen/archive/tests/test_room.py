"""/archive/ (档案, issue 19 item 6): 待归档 with the day the case entered 归档管理 and the profile's 30-day
deadline (days left, overdue in red), 待接收 (a 归档登记表 not yet signed by an archivist, linked to be
signed), the shelves by year of archiving and kind with the list of each (保管期限 from the profile),
the packages taken in. Only the archivist, the agency head and the supervisors enter; anyone else is
refused, recorded. The shelves cost the same number of queries for one case as for many."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liuhen.archive import selectors as s
from liuhen.archive import vocabulary as v
from liuhen.cases.models import Case, Stage, StageTransition
from liuhen.ledger.models import Entry
from liuhen.testing.archive import archived, in_archive_stage, supervisor
from liuhen.testing.cases import archivist, make_record, sign_all
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.django_db


def _page(client, user, url=None):
    login_verified(client, user)
    response = client.get(url or reverse("archive:index"))
    assert response.status_code == 200
    return response.content.decode()


def _shelve(world, n, *, year, kind="penalty"):
    """`n` cases of `kind` marked archived in `year` (the shelves read only the case's archived_at)."""
    tz = timezone.get_current_timezone()
    out = []
    for i in range(n):
        case = world.open_case(kind=kind, title=f"归档案件{year}-{i}")
        Case.objects.filter(pk=case.pk).update(stage=Stage.ARCHIVE,
                                              archived_at=datetime.datetime(year, 6, 1 + i, 10, tzinfo=tz))
        out.append(case)
    return out


def test_a_case_in_the_archive_stage_waits_with_its_due_date(client, world):
    case = in_archive_stage(world)
    entered = StageTransition.objects.filter(case=case, to_stage=Stage.ARCHIVE).latest("id").at
    [p] = s.pending(archivist(world))
    assert p.case == case and p.entered_at == entered
    assert timezone.localdate(p.due_at) == timezone.localdate(entered) + datetime.timedelta(days=30)  # profile: 30d
    assert p.days_left == 30 and not p.overdue
    page = _page(client, archivist(world))
    assert 'id="pending-%d"' % case.pk in page and case.number in page and "剩 30 日" in page
    assert timezone.localdate(p.due_at).isoformat() in page


def test_an_overdue_case_is_red(client, world):
    case = in_archive_stage(world)
    later = timezone.now() + datetime.timedelta(days=35)
    [p] = s.pending(archivist(world), now=later)
    assert p.overdue and p.late_days == 5
    from liuhen.testing.tampering import drop_append_only, sql

    # the page reads "now": the stage entered 40 days ago instead (a 30-day deadline, 10 days late)
    table = StageTransition._meta.db_table
    drop_append_only(table)
    sql(f"UPDATE {table} SET at = %s WHERE case_id = %s AND to_stage = %s",
        [timezone.now() - datetime.timedelta(days=40), case.pk, Stage.ARCHIVE])
    page = _page(client, supervisor(world))
    assert 'class="overdue-text">已超期 10 日' in page


def test_a_register_drafted_waits_for_the_archivist_and_leaves_when_signed(client, world):
    case = in_archive_stage(world)
    make_record(world, case, "closing_report")
    register = sign_all(world, make_record(world, case, "archive_register"), skip=("archivist",))
    [r] = s.to_receive(archivist(world))
    assert r.record == register and r.case == case
    page = _page(client, world.agency_head)
    assert reverse("records:detail", args=[register.pk]) in page and "待档案管理员签字接收" in page
    from liuhen.testing.signing import sign_as_rule_asks

    sign_as_rule_asks(register, officers=[], party_name="", archivist=archivist(world), skip=())
    assert s.to_receive(archivist(world)) == []


def test_the_shelves_by_year_and_kind_and_a_shelf_list(client, world):
    archived(world)  # one the real way, this year
    _shelve(world, 2, year=2024)
    _shelve(world, 1, year=2024, kind="coercion")
    this_year = timezone.localdate().year
    got = {(sh.year, sh.kind): sh.count for sh in s.shelves(archivist(world))}
    assert got == {(this_year, "penalty"): 1, (2024, "penalty"): 2, (2024, "coercion"): 1}
    page = _page(client, archivist(world))
    assert 'id="shelf-2024"' in page and "3 卷" in page and reverse("archive:shelf_kind", args=[2024, "coercion"]) in page
    page = _page(client, archivist(world), reverse("archive:shelf_kind", args=[2024, "penalty"]))
    assert "归档案件2024-0" in page and "归档案件2024-1" in page and "行政强制" in page
    assert "永久" in page  # the profile's archive.file_retention (permanent)
    assert "2024-06-01" in page
    page = _page(client, archivist(world), reverse("archive:shelf", args=[2024]))
    assert page.count('id="shelved-') == 3
    login_verified(client, archivist(world))
    assert client.get(reverse("archive:shelf_kind", args=[2024, "nonsense"])).status_code == 404


def test_the_shelves_cost_the_same_queries_for_one_case_or_many(client, world):
    login_verified(client, archivist(world))
    _shelve(world, 1, year=2023)
    in_archive_stage(world)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def cheapest(url):  # the calendar's process-wide cache looks again now and then: the least of three
        return min(count(url) for _ in range(3))

    urls = [reverse("archive:index"), reverse("archive:shelf", args=[2023])]
    one = [cheapest(u) for u in urls]
    _shelve(world, 6, year=2023)
    _shelve(world, 3, year=2023, kind="inspection")
    _shelve(world, 2, year=2022)
    for i in range(3):  # more waiting in 归档管理 too
        case = world.open_case(title=f"待归档{i}")
        Case.objects.filter(pk=case.pk).update(stage=Stage.ARCHIVE)
        StageTransition.objects.create(case=case, from_stage=Stage.SERVICE, to_stage=Stage.ARCHIVE, actor=world.officer)
    assert len(s.pending(archivist(world))) == 4
    assert [cheapest(u) for u in urls] == one


@pytest.mark.parametrize("who", ["officer", "unit_head", "reviewer", "sysadmin"])
def test_others_are_refused_and_recorded(client, world, who):
    login_verified(client, getattr(world, who))
    for url in (reverse("archive:index"), reverse("archive:shelf", args=[2024]), reverse("archive:imported")):
        response = client.get(url)
        assert response.status_code == 403 and "档案室只对档案管理员" in response.content.decode()
    assert Entry.objects.filter(action=v.REFUSED, actor_id=getattr(world, who).pk).count() == 3


def test_the_room_is_of_ones_own_agency(client, world):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    case = in_archive_stage(world)
    _shelve(world, 1, year=2024)
    other = acc.create_agency(None, name="别的局", short_name="别")
    stranger = acc.create_user(None, username="bie", full_name="别人", password=world.PASSWORD, agency=other,
                               roles=[Role.ARCHIVIST])
    page = _page(client, stranger)
    assert case.number not in page and "没有待归档的案件" in page and "尚无已归档的案卷" in page
