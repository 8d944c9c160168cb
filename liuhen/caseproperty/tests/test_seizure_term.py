"""The term of a 查封、扣押 as a due date (行政强制法 25): thirty days from the seizure's time, thirty more once
with the head's approval (the extension counted only once, at most the profile's days, and only if
approved within the term), met by the 决定书 or a 罚没物品处理记录. The source is pure: fed RecordViews."""
import datetime
from types import SimpleNamespace

import pytest

from django.utils import timezone

from liuhen.caseproperty import selectors as s
from liuhen.profiles.spec import CasePropertySpec
from liuhen.records import duedates
from liuhen.records.duedates import RecordView

T0 = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))
PROFILE = SimpleNamespace(case_property=CasePropertySpec())


def _at(days, hours=0):
    return T0 + datetime.timedelta(days=days, hours=hours)


def _rec(pk, code, *, done=_at(0, 1), content=None, complete=True, voided=False):
    return RecordView(pk, code, voided, complete, done if complete else None, _at(0), content)


def _seizure(pk=1, **kw):
    return _rec(pk, "seizure_record", content={"time": "2026-03-02T09:30", "measure": "扣押"}, **kw)


def test_thirty_days_from_the_seizure():
    [term] = s.seizure_due_dates([_seizure()], PROFILE)
    assert term.key == "caseproperty:seizure:1" and term.label == "查封扣押期限" and term.article == "行政强制法 25"
    assert term.started_at == T0 and term.due_at == _at(30) and term.met_at is None
    assert term.subject_kind == "record" and term.subject_id == "1" and "30日" in term.period


def test_a_draft_or_voided_seizure_sets_no_term():
    assert s.seizure_due_dates([_seizure(complete=False), _seizure(2, voided=True)], PROFILE) == []


def test_one_extension_counted_at_most_the_profiles_days():
    ext = [_rec(5, "seizure_extension", done=_at(20), content={"days": "45"}),
           _rec(6, "seizure_extension", done=_at(25), content={"days": "30"})]
    [term] = s.seizure_due_dates([_seizure(), *ext], PROFILE)
    assert term.due_at == _at(60) and term.period == "查封扣押30日，延长30日"  # 45 capped at 30, the second ignored
    assert len(term.period) <= 20  # oversight's Clock.period
    short = SimpleNamespace(case_property=CasePropertySpec(seizure_days=20, seizure_extension_days=10))
    [term] = s.seizure_due_dates([_seizure(), _rec(5, "seizure_extension", done=_at(10), content={"days": 15})], short)
    assert term.due_at == _at(30)


def test_an_extension_after_the_term_or_unsigned_does_not_count():
    late = _rec(5, "seizure_extension", done=_at(31), content={"days": 30})
    draft = _rec(6, "seizure_extension", complete=False, content={"days": 30})
    [term] = s.seizure_due_dates([_seizure(), late, draft], PROFILE)
    assert term.due_at == _at(30)


def test_met_by_the_decision_or_a_handling_record():
    [term] = s.seizure_due_dates([_seizure(), _rec(9, "decision", done=_at(12))], PROFILE)
    assert term.met_at == _at(12)
    [term] = s.seizure_due_dates([_seizure(), _rec(9, "confiscated_property", done=_at(8)),
                                  _rec(10, "decision", done=_at(12))], PROFILE)
    assert term.met_at == _at(8)
    [term] = s.seizure_due_dates([_seizure(), _rec(9, "decision", complete=False)], PROFILE)
    assert term.met_at is None
    # 行政强制法 28: released before any decision (the items returned at once)
    [term] = s.seizure_due_dates([_seizure(), _rec(11, "seizure_release", done=_at(5))], PROFILE)
    assert term.met_at == _at(5)


def test_a_seizure_without_a_readable_time_runs_from_its_completion():
    [term] = s.seizure_due_dates([_rec(1, "seizure_record", content={"time": "昨天"})], PROFILE)
    assert term.started_at == _at(0, 1)


def test_registered_as_a_due_source():
    from liuhen.profiles.selectors import default_profile

    assert {"seizure_record", "seizure_extension"} <= duedates.content_codes()
    keys = [d.key for d in duedates.due_dates([_seizure(7)], default_profile(), now=_at(40))]
    assert "caseproperty:seizure:7" in keys


@pytest.mark.django_db
def test_the_oversight_engine_flags_a_seizure_past_its_term(world):
    """The clock the scan stores and its deadline finding (the period fits Clock.period on PostgreSQL);
    the decision meets it, late."""
    from liuhen.testing.caseproperty import seized_case, to_service
    from liuhen.oversight import engine
    from liuhen.oversight import vocabulary as ov
    from liuhen.oversight.finding_models import Clock, Finding

    long_ago = timezone.localtime() - datetime.timedelta(days=40)
    case, seizure = seized_case(world, content={"time": long_ago.strftime("%Y-%m-%dT%H:%M")})
    engine.recheck_case(case)
    key = f"caseproperty:seizure:{seizure.pk}"
    clock = Clock.objects.get(case=case, key=key)
    assert clock.status == "overdue" and clock.period == "查封扣押30日"
    f = Finding.objects.get(case=case, key=f"clock:{key}")
    assert f.code == ov.DEADLINE_OVERDUE and "查封扣押期限" in f.message and f.article == "行政强制法 25"
    case = to_service(world, case)
    engine.recheck_case(case)
    assert Clock.objects.get(case=case, key=key).status == "met_late"
