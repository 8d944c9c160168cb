"""Findings are stored as a difference: a scan with nothing changed writes nothing; a problem fixed
is resolved (FindingEvent) and gone from the open findings; a change re-checks its case on commit."""
import pytest

from liuhen.oversight import engine
from liuhen.oversight import vocabulary as v
from liuhen.oversight.finding_models import Clock, Finding, FindingEvent
from liuhen.testing.cases import complete, to_investigation


def _state():
    return (sorted(Finding.objects.values_list("id", "key", "message")),
            sorted(Clock.objects.values_list("id", "key", "status")), FindingEvent.objects.count())


def test_a_scan_with_no_change_writes_nothing(world, django_assert_max_num_queries):
    case = to_investigation(world)
    first = engine.scan()
    assert first.opened > 0 and first.cases == 1
    before = _state()
    again = engine.scan()
    assert (again.opened, again.resolved, again.clocks_changed) == (0, 0, 0)
    assert _state() == before
    assert {f.key for f in again.findings} == {k for _, k, _ in before[0]}
    assert Finding.objects.filter(case=case, code=v.MISSING_RECORD).exists()


def test_a_fixed_problem_is_resolved_with_an_event(world):
    case = to_investigation(world)
    engine.scan()
    opened = FindingEvent.objects.filter(event="opened", code=v.MISSING_RECORD).count()
    assert opened == 2  # rights notice, investigation record
    complete(world, case, "rights_notice")
    result = engine.recheck_case(case)
    assert result.resolved == 1 and result.opened == 0
    gone = FindingEvent.objects.get(event="resolved")
    assert gone.code == v.MISSING_RECORD and "权利告知书" in gone.message and gone.unit_id == case.unit_id
    assert not Finding.objects.filter(key=gone.key).exists()


def test_a_change_re_checks_its_case_when_it_commits(world, django_capture_on_commit_callbacks):
    case = to_investigation(world)
    engine.scan()
    assert Finding.objects.filter(case=case, message__contains="权利告知书").exists()
    with django_capture_on_commit_callbacks(execute=True):
        complete(world, case, "rights_notice")
    assert not Finding.objects.filter(case=case, message__contains="权利告知书").exists()
    assert FindingEvent.objects.filter(case=case, event="resolved").count() == 1


def test_a_rolled_back_change_re_checks_nothing(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    case = to_investigation(world)
    engine.scan()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                complete(world, case, "rights_notice")
                raise RuntimeError("rolled back")
    assert callbacks == []
    assert Finding.objects.filter(case=case, message__contains="权利告知书").exists()


def test_the_case_page_shows_running_clocks_and_findings(world, client):
    case = to_investigation(world)
    client.force_login(world.officer)
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "期限与问题" in html and "办案期限" in html and "行政处罚法 60" in html
    assert "权利告知书" in html
