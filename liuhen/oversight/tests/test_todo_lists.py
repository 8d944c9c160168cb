"""我的待办 (issue 15 item 5): each role's list shows what waits for them — and not for others;
each item links to where it is done; deadlines due soon, overdue ones in red, unknown ones as
unknown; the three administrators have none (403, recorded); every look is a read in the ledger."""
import datetime

import pytest
from django.urls import reverse

from liuhen.accounts.roles import Role
from liuhen.ledger.models import Entry
from liuhen.oversight import pages_vocabulary as v
from liuhen.oversight import todo
from liuhen.records import services as rec
from liuhen.records.models import SignerRole
from liuhen.testing.cases import make_record, to_archive_stage, to_decision, to_investigation
from liuhen.testing.oversight import archivist, clock, person, supervisor
from liuhen.testing.records import event
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.usefixtures("fresh_home")
DAY = datetime.timedelta(days=1)


def known_calendar(days: int):
    """The tests of the window need the working-day calendar to know the coming weeks."""
    from django.utils import timezone

    from liuhen.oversight.selectors import working_days_between

    today = timezone.localdate()
    if working_days_between(today, today + datetime.timedelta(days=days)) is None:
        pytest.skip("the working-day calendar does not know the coming weeks")


def items(user, key):
    section = todo.todo_for(user).section(key)
    return None if section is None else section.items


def titles(user, key):
    return [i.title for i in items(user, key) or []]


def test_waiting_for_my_signature_is_the_officers_own_and_goes_when_signed(world):
    case = world.open_case()
    record = make_record(world, case, "start_approval")  # one officer signs, then a 负责人
    assert [i.url for i in items(world.officer, "sign")] == [reverse("records:detail", args=[record.pk])]
    assert titles(world.officer2, "sign") == ["程序启动审批表"]  # an officer of the case too
    assert items(world.outsider, "sign") == []  # another unit's officer: not their case
    assert items(world.unit_head, "sign") is None  # no officer's section for a unit head
    rec.sign_as_officer(world.officer, record)
    assert items(world.officer, "sign") == [] and items(world.officer2, "sign") == []  # one officer was enough


def test_refusal_waits_for_the_second_officer_not_the_one_who_recorded_it(world):
    case = to_investigation(world)
    record = make_record(world, case, "inquiry_record")
    rec.sign_as_officer(world.officer, record)
    sig = rec.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name="王五", refused=True,
                                     reason="拒绝签字")
    assert items(world.officer, "refusals") == []  # the recording officer is its first confirmation
    (item,) = items(world.officer2, "refusals")
    assert item.url == reverse("records:detail", args=[record.pk]) and "当事人拒绝签字" in item.title
    assert items(world.outsider, "refusals") == []
    rec.confirm_refusal(world.officer2, sig)
    assert items(world.officer2, "refusals") == []  # LQ 17: two officers, it stands


def test_approval_waits_for_the_unit_head_and_review_for_the_reviewer(world):
    case = world.open_case()
    record = make_record(world, case, "start_approval")
    rec.sign_as_officer(world.officer, record)
    assert titles(world.unit_head, "approve") == ["程序启动审批表"]
    assert titles(world.agency_head, "approve") == ["程序启动审批表"]  # the 机关负责人 may approve it too
    assert items(world.reviewer, "approve") is None and items(world.officer, "approve") is None
    case = to_decision(world)
    review = make_record(world, case, "legal_review_record")
    assert [i.url for i in items(world.reviewer, "review")] == [reverse("records:detail", args=[review.pk])]
    assert items(world.unit_head, "review") is None
    rec.sign_in_capacity(world.reviewer, review, SignerRole.REVIEWER)
    assert items(world.reviewer, "review") == []


def test_archive_waits_for_the_archivist(world):
    keeper = archivist(world)
    case = to_archive_stage(world)
    (item,) = items(keeper, "archive")
    assert item.case == case and "尚未制作" in item.title and item.url == reverse("cases:detail", args=[case.pk])
    register = make_record(world, case, "archive_register")
    rec.sign_as_officer(world.officer, register)
    (item,) = items(keeper, "archive")
    assert item.url == reverse("records:detail", args=[register.pk])  # now theirs to sign
    assert items(world.officer, "archive") is None and items(world.unit_head, "archive") is None


def test_deadlines_due_soon_overdue_in_red_unknown_as_unknown(world, client):
    known_calendar(21)
    case = world.open_case()
    soon = clock(case, deadline="service", label="决定书送达", due_in=DAY)
    late = clock(case, deadline="archive", label="立卷归档", due_in=-DAY)
    far = clock(case, deadline="handling_limit", label="办案期限", due_in=20 * DAY)
    unknown = clock(case, deadline="publicity", label="行政处罚决定公示", unknown=True)
    mine = items(world.officer, "deadlines")
    assert [i.title.split("（")[0] for i in mine] == ["立卷归档", "行政处罚决定公示", "决定书送达"]  # overdue first
    assert [i.red for i in mine] == [True, False, False]
    assert mine[1].badge == "无法计算" and "无法计算" in mine[1].detail
    assert far.label not in " ".join(i.title for i in mine)
    assert items(world.outsider, "deadlines") == []  # not their case
    assert len(items(world.unit_head, "deadlines")) == 3  # their unit's case
    # Reviewer and archivist: only their own kind of deadline, across the agency.
    assert items(world.reviewer, "deadlines") == []
    assert [i.title.split("（")[0] for i in items(archivist(world), "deadlines")] == ["立卷归档"]
    login_verified(client, world.officer)
    page = client.get(reverse("oversight:todo"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "todo-item overdue" in html and "已逾期" in html and "决定书送达" in html
    assert soon.label in html and unknown.label in html and late.label in html


def test_due_window_is_the_setting_in_working_days(world, settings):
    known_calendar(13)
    case = world.open_case()
    clock(case, deadline="service", due_in=12 * DAY)
    assert items(world.officer, "deadlines") == []
    settings.LIUHEN_TODO_DUE_DAYS = 20
    assert len(items(world.officer, "deadlines")) == 1


def test_page_is_a_logged_read_with_the_cases_shown(world, client):
    case = world.open_case()
    make_record(world, case, "start_approval")
    login_verified(client, world.officer)
    assert client.get(reverse("oversight:todo")).status_code == 200
    entry = Entry.objects.filter(action=v.TODO_VIEW).latest("id")
    detail = event(entry)["detail"]
    assert entry.actor_id == world.officer.pk and case.pk in detail["cases"] and detail["sections"]["sign"] == 1


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.DEVICE_ADMIN])
def test_administrators_have_no_todo_list_and_the_refusal_is_recorded(world, client, role):
    user = person(world, f"x_{role}", [role])
    login_verified(client, user)
    for name in ("oversight:todo", "oversight:notices"):
        response = client.get(reverse(name))
        assert response.status_code == 403 and "三员分立" in response.content.decode()
    assert Entry.objects.filter(action="access.denied", actor_id=user.pk).count() == 2
    assert not Entry.objects.filter(action=v.TODO_VIEW, actor_id=user.pk).exists()


def test_every_case_role_has_a_list(world, client):
    for user in (world.officer, world.unit_head, world.agency_head, world.reviewer, archivist(world),
                 supervisor(world)):
        login_verified(client, user)
        response = client.get(reverse("oversight:todo"))
        assert response.status_code == 200, user
        assert "我的待办" in response.content.decode()


def test_agency_head_and_supervisor_see_the_agencys_overdue_deadlines_only(world):
    case = world.open_case()
    clock(case, deadline="service", label="决定书送达", due_in=DAY)
    clock(case, deadline="archive", label="立卷归档", due_in=-DAY)
    for user in (world.agency_head, supervisor(world)):
        assert [i.title.split("（")[0] for i in items(user, "deadlines")] == ["立卷归档"]


@pytest.mark.django_db
def test_working_days_the_calendar_cannot_count_are_never_guessed():
    """A due time in a year the calendar does not know: its working days left are unknown; it is
    shown as due soon while it could be within the window (calendar days, with the longest holiday
    as margin), with the remaining days said to be unknown — never counted Monday to Friday."""
    from django.utils import timezone as tz

    from liuhen.oversight.selectors import working_days_between

    now = tz.make_aware(datetime.datetime(2041, 6, 3, 9, 0))
    if working_days_between(now.date(), now.date() + DAY) is not None:
        pytest.skip("the calendar knows 2041")

    class C:
        met_at = None

        def __init__(self, due_at):
            self.due_at, self.case_id, self.key = due_at, 1, "k"

    from liuhen.oversight.selectors import clock_view

    near = clock_view(C(now + 3 * DAY), now, 5)
    assert near.status == "due_soon" and near.days_left is None and "剩余工作日无法计算" in near.remaining
    assert clock_view(C(now + 40 * DAY), now, 5).status == "running"
    assert clock_view(C(now - DAY), now, 5).status == "overdue"


def test_copy_requests_wait_for_the_approver_then_for_the_office_that_makes_them(world, tmp_path):
    """LW-D 15: the principal leader approves a copy for a court; LW-D 13: the archivist's office makes it."""
    from liuhen.copies import services as copies
    from liuhen.testing.copies import case_with_footage, requested

    c = case_with_footage(world, tmp_path)
    row = requested(c)
    (item,) = [i for i in items(world.agency_head, "approve") if "证据复制" in i.title]
    assert item.url == reverse("copies:detail", args=[row.pk]) and item.badge == "待审批"
    assert not [i for i in items(world.unit_head, "approve") if "证据复制" in i.title]  # not theirs to approve
    assert todo.todo_for(archivist(world)).section("copies") is None
    copies.decide(world.agency_head, row, True, "同意提供。")
    assert not [i for i in items(world.agency_head, "approve") if "证据复制" in i.title]
    (item,) = items(archivist(world), "copies")
    assert item.url == reverse("copies:detail", args=[row.pk])


@pytest.mark.parametrize("value, ok", [(5, True), (1, True), (60, True), (0, False), (61, False), ("5", False),
                                       (True, False), (2.5, False)])
def test_the_due_window_setting_is_checked_at_start(settings, value, ok):
    from liuhen.oversight.selectors import due_days_setting

    settings.LIUHEN_TODO_DUE_DAYS = value
    errors = due_days_setting()
    assert (errors == []) == ok
    if not ok:
        assert errors[0].id == v.CHECK_TODO_DAYS and "LIUHEN_TODO_DUE_DAYS" in errors[0].msg
