"""提醒 (issue 15 item 5): a new finding on the user's case and an approaching deadline are notices;
"mark as seen" (POST, CSRF) appends a NoticeMark with its ledger event and they go; a later finding
is new again; others' cases give no notice; the badge tag counts them; a mark changed behind the
log's back is found by `liuhen verify`."""
import datetime

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from liuhen.ledger.models import Entry
from liuhen.oversight import notices
from liuhen.oversight import pages_vocabulary as v
from liuhen.oversight.notice_models import NoticeMark
from liuhen.testing.oversight import clock, open_finding
from liuhen.testing.records import event

pytestmark = pytest.mark.usefixtures("fresh_home")


def badge(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load oversight %}{% oversight_notice_badge %}").render(Context({"request": request}))


def test_new_finding_is_a_notice_until_seen(world, client):
    case = world.open_case()
    _, ev = open_finding(case, message="询问笔录缺少执法人员签字")
    n = notices.pending(world.officer)
    assert [e.pk for e in n.findings] == [ev.pk] and n.count == 1
    assert notices.pending(world.outsider).count == 0  # not their case
    assert notices.pending(world.unit_head).count == 1  # their unit's case
    assert ">1<" in badge(world.officer) and reverse("oversight:notices") in badge(world.officer)
    assert badge(world.outsider).strip() == ""

    client.force_login(world.officer)
    page = client.get(reverse("oversight:notices"))
    assert page.status_code == 200 and "询问笔录缺少执法人员签字" in page.content.decode()
    assert Entry.objects.filter(action=v.NOTICES_VIEW, actor_id=world.officer.pk).exists()
    response = client.post(reverse("oversight:notices_seen"), {"up_to": str(ev.pk)})
    assert response.status_code == 302
    assert notices.pending(world.officer).count == 0 and badge(world.officer).strip() == ""
    mark = NoticeMark.objects.get(user=world.officer)
    entry = Entry.objects.filter(action=v.NOTICES_SEEN).latest("id")
    assert entry.object_id == str(mark.pk) and event(entry)["content_sha256"] == mark.ledger_digest()
    assert event(entry)["detail"]["seen_event_id"] == ev.pk
    assert notices.pending(world.unit_head).count == 1  # each person's own mark

    _, later = open_finding(case, message="缺少送达回证")
    assert [e.pk for e in notices.pending(world.officer).findings] == [later.pk]


def test_approaching_deadline_is_a_notice_until_seen_and_again_when_its_due_time_moves(world, client):
    case = world.open_case()
    c = clock(case, due_in=datetime.timedelta(hours=20))
    (cv,) = notices.pending(world.officer).deadlines
    assert cv.clock.pk == c.pk
    client.force_login(world.officer)
    page = client.get(reverse("oversight:notices")).content.decode()
    assert cv.token in page  # the form names what the user saw
    client.post(reverse("oversight:notices_seen"), {"up_to": "0", "deadline": [cv.token]})
    assert notices.pending(world.officer).deadlines == []
    c.due_at = c.due_at - datetime.timedelta(hours=40)  # the engine recomputed it: now overdue
    c.save()
    (again,) = notices.pending(world.officer).deadlines
    assert again.overdue


def test_mark_never_passes_what_exists_nor_a_deadline_not_shown(world, client):
    case = world.open_case()
    clock(case, due_in=datetime.timedelta(hours=20))
    client.force_login(world.officer)
    client.post(reverse("oversight:notices_seen"), {"up_to": "999999", "deadline": ["1:forged:x"]})
    mark = NoticeMark.objects.get(user=world.officer)
    assert mark.seen_event_id == 0 and mark.seen_deadlines == []
    _, ev = open_finding(case)
    assert [e.pk for e in notices.pending(world.officer).findings] == [ev.pk]
    assert len(notices.pending(world.officer).deadlines) == 1


@pytest.mark.parametrize("up_to", ["abc", "-1", "１２", ""])
def test_bad_mark_is_a_400_recorded(world, client, up_to):
    client.force_login(world.officer)
    response = client.post(reverse("oversight:notices_seen"), {"up_to": up_to})
    assert response.status_code == 400 and "无效" in response.content.decode()
    assert Entry.objects.filter(action=v.REFUSED, actor_id=world.officer.pk).exists()
    assert not NoticeMark.objects.exists()


def test_mark_needs_csrf_and_post(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    assert client.post(reverse("oversight:notices_seen"), {"up_to": "0"}).status_code == 403
    assert client.get(reverse("oversight:notices_seen")).status_code == 405
    assert not NoticeMark.objects.exists()


def test_marks_are_append_only(world):
    from liuhen.common.append_only import AppendOnlyError

    mark = notices.mark_seen(world.officer, 0, [])
    mark.seen_event_id = 5
    with pytest.raises(AppendOnlyError):
        mark.save()
    notices.mark_seen(world.officer, 0, [])
    assert NoticeMark.objects.filter(user=world.officer).count() == 2


def test_supervisor_is_told_of_the_agencys_errors_not_its_warnings(world):
    from liuhen.testing.oversight import supervisor

    case = world.open_case()
    _, error = open_finding(case, severity="error")
    open_finding(case, severity="warning")
    assert [e.pk for e in notices.pending(supervisor(world)).findings] == [error.pk]
    assert len(notices.pending(world.officer).findings) == 2  # the officer: everything on their case
    assert notices.pending(world.reviewer).findings == []  # no case of their own


def test_findings_of_the_real_engine_become_notices_and_leave_the_list_when_resolved(world, client):
    """The engine's own re-check (engine.recheck_case): the missing 程序启动审批表 of a new case is a
    notice for its officers; once made and signed, the next re-check resolves it, and the supervision
    statistics show it found and resolved."""
    from liuhen.cases import services as cases
    from liuhen.oversight import engine, stats
    from liuhen.oversight.forms import FindingFilterForm
    from liuhen.testing.cases import complete
    from liuhen.testing.oversight import supervisor

    case = world.open_case()
    engine.recheck_case(case)
    mine = notices.pending(world.officer).findings
    assert mine and all(e.case_id == case.pk for e in mine)
    codes = {e.code for e in mine}
    complete(world, case, "start_approval")
    cases.add_party(world.officer, case, kind="person", name="王建国", id_number="11010519491231002X")
    engine.recheck_case(case)
    boss = supervisor(world)
    form = FindingFilterForm({}, user=boss)
    assert form.is_valid()
    fs = stats.finding_stats(boss, form.cleaned_data)
    start = [r for r in fs.rows if r.event.code in codes and r.event.stage == "start"]
    assert start and not any(r.open for r in start)  # found and resolved
