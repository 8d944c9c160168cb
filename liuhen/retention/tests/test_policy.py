"""The retention rules as pure functions over facts (policy.py): each fact gives its class, the
longest applicable retention wins, a hold stops any purge, and a file goes only through notice,
removal and recovery (LW-D 11-12, LQ 29)."""
import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from liuhen.profiles.spec import RetentionSpec
from liuhen.retention import policy
from liuhen.retention.policy import CaseFact, Facts, GroundFact

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()


def at(y, m, d, h=12):
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


ITEM = SimpleNamespace(pk=1, blob_id="a" * 64)


def facts(recorded=at(2026, 1, 10), ingested=at(2026, 1, 10, 18), **kw):
    return Facts(recorded_utc=recorded, ingested_at=ingested, **kw)


def test_raw_footage_is_kept_six_months_from_recording():
    vd = policy.verdict(ITEM, at(2026, 3, 1), facts())
    assert (vd.retention_class, vd.retention_until, vd.purge, vd.held, vd.open_case) == (
        "raw", datetime.date(2026, 7, 10), False, False, False)
    assert "LW-D 11" in vd.reason and "未到期" in vd.reason


def test_a_late_ingest_is_still_kept_six_months_in_custody():
    vd = policy.verdict(ITEM, at(2026, 3, 1), facts(ingested=at(2026, 2, 20)))
    assert vd.retention_until == datetime.date(2026, 8, 20)
    # A camera clock set in the future: the later of the two still counts.
    vd = policy.verdict(ITEM, at(2026, 3, 1), facts(recorded=at(2026, 4, 1), ingested=at(2026, 2, 1)))
    assert vd.retention_until == datetime.date(2026, 10, 1)


def test_raw_months_of_the_agency_profile():
    rules = RetentionSpec(raw_months=12)
    assert policy.verdict(ITEM, at(2026, 3, 1), facts(rules=rules)).retention_until == datetime.date(2027, 1, 10)


def test_linked_to_an_open_case_is_never_purged():
    vd = policy.verdict(ITEM, at(2040, 1, 1), facts(cases=[CaseFact(5, "测水罚〔2026〕1号", None)]))
    assert (vd.retention_class, vd.retention_until, vd.open_case, vd.purge) == ("evidence", None, True, False)
    assert "测水罚〔2026〕1号" in vd.reason and "尚未归档" in vd.reason


def test_evidence_of_an_archived_case_is_kept_as_long_as_the_case_file():
    vd = policy.verdict(ITEM, at(2030, 1, 1), facts(cases=[CaseFact(5, "X", at(2026, 5, 4))]))
    assert (vd.retention_class, vd.retention_until, vd.open_case) == ("evidence", datetime.date(2056, 5, 4), False)
    rules = RetentionSpec(case_file_years=10)
    vd = policy.verdict(ITEM, at(2030, 1, 1), facts(cases=[CaseFact(5, "X", at(2026, 5, 4))], rules=rules))
    assert vd.retention_until == datetime.date(2036, 5, 4)
    # The case's own profile asked 20 years: a later, shorter agency value does not shorten it.
    vd = policy.verdict(ITEM, at(2030, 1, 1), facts(cases=[CaseFact(5, "X", at(2026, 5, 4), 20)], rules=rules))
    assert vd.retention_until == datetime.date(2046, 5, 4) and "20 年" in " ".join(vd.grounds)


def test_one_open_case_among_archived_ones_keeps_it():
    vd = policy.verdict(ITEM, at(2090, 1, 1), facts(cases=[CaseFact(5, "A", at(2026, 5, 4)), CaseFact(6, "B", None)]))
    assert vd.open_case and not vd.purge and vd.retention_until is None and "B" in vd.reason


@pytest.mark.parametrize("kind,article", [("objection", "LW-D 12（一）"), ("obstruction", "LW-D 12（二）"),
                                          ("important", "LW-D 12（三）")])
def test_each_long_term_ground_makes_it_permanent(kind, article):
    vd = policy.verdict(ITEM, at(2090, 1, 1), facts(grounds=[GroundFact(kind, "item", at(2026, 2, 1))]))
    assert (vd.retention_class, vd.retention_until, vd.purge) == ("long_term", None, False)
    assert article in vd.reason


def test_long_term_years_and_the_longest_wins():
    rules = RetentionSpec(long_term_years=2, case_file_years=1)

    def facts_(**kw):
        return facts(rules=rules, **kw)
    archived = [CaseFact(5, "A", at(2026, 3, 1))]
    ground = [GroundFact("obstruction", "item", at(2026, 2, 1))]
    # raw 2026-07-10, evidence 2027-03-01, long-term 2028-01-10: the long-term wins
    vd = policy.verdict(ITEM, at(2026, 3, 2), facts_(cases=archived, grounds=ground))
    assert (vd.retention_class, vd.retention_until) == ("long_term", datetime.date(2028, 1, 10))
    # without the ground: the archived case's file (2027-03-01) outlasts the raw six months
    vd = policy.verdict(ITEM, at(2026, 3, 2), facts_(cases=archived))
    assert (vd.retention_class, vd.retention_until) == ("evidence", datetime.date(2027, 3, 1))
    # a case archived long ago: its one year ends before the raw six months of a later ingest
    vd = policy.verdict(ITEM, at(2026, 3, 2), facts_(cases=[CaseFact(5, "A", at(2024, 1, 1))]))
    assert (vd.retention_class, vd.retention_until) == ("raw", datetime.date(2026, 7, 10))
    # an open case outlasts any number of years
    vd = policy.verdict(ITEM, at(2026, 3, 2), facts_(cases=[CaseFact(6, "B", None)], grounds=ground))
    assert (vd.retention_class, vd.retention_until, vd.open_case) == ("evidence", None, True)


def test_a_hold_stops_any_purge_whatever_the_class():
    removal = SimpleNamespace(removed_at=at(2026, 8, 1), recoverable_until=at(2026, 8, 8))
    for f in (facts(holds=1), facts(holds=1, notices={datetime.date(2026, 7, 10): at(2026, 6, 1)}),
              facts(holds=1, removal=removal)):
        vd = policy.verdict(ITEM, at(2027, 1, 1), f)
        assert vd.held and not vd.purge and vd.stage in (policy.KEPT, policy.REMOVED)
        assert "法律保全" in vd.reason


def test_the_way_out_notice_removal_recovery_purge():
    due = datetime.date(2026, 7, 10)
    # 30 days before the end: announce
    vd = policy.verdict(ITEM, at(2026, 6, 20), facts())
    assert (vd.stage, vd.purge) == (policy.ANNOUNCE, False)
    # announced, not yet due
    vd = policy.verdict(ITEM, at(2026, 7, 1), facts(notices={due: at(2026, 6, 20)}))
    assert (vd.stage, vd.purge) == (policy.ANNOUNCED, False)
    # due, but announced less than 30 days ago
    vd = policy.verdict(ITEM, at(2026, 7, 15), facts(notices={due: at(2026, 6, 20)}))
    assert (vd.stage, vd.purge) == (policy.ANNOUNCED, True) and "2026-07-20 起可移除" in vd.reason
    vd = policy.verdict(ITEM, at(2026, 7, 20), facts(notices={due: at(2026, 6, 20)}))
    assert (vd.stage, vd.purge) == (policy.REMOVE, True)
    # expired and never announced: announce first, remove 30 days later
    vd = policy.verdict(ITEM, at(2027, 1, 1), facts())
    assert (vd.stage, vd.purge) == (policy.ANNOUNCE, True)
    # a notice for another due date (the file was linked meanwhile) does not count
    vd = policy.verdict(ITEM, at(2027, 1, 1), facts(notices={datetime.date(2026, 5, 1): at(2026, 4, 1)}))
    assert vd.stage == policy.ANNOUNCE
    removal = SimpleNamespace(removed_at=at(2026, 7, 20), recoverable_until=at(2026, 7, 27))
    vd = policy.verdict(ITEM, at(2026, 7, 25), facts(notices={due: at(2026, 6, 20)}, removal=removal))
    assert (vd.stage, vd.recoverable_until) == (policy.REMOVED, removal.recoverable_until)
    vd = policy.verdict(ITEM, at(2026, 7, 28), facts(notices={due: at(2026, 6, 20)}, removal=removal))
    assert (vd.stage, vd.purge) == (policy.PURGE, True)
    vd = policy.verdict(ITEM, at(2026, 7, 28), facts(notices={due: at(2026, 6, 20)}, removal=removal,
                                                      needed_elsewhere=True))
    assert (vd.stage, vd.purge) == (policy.REMOVED, False)
    vd = policy.verdict(ITEM, at(2026, 8, 1), facts(purged_at=at(2026, 7, 28)))
    assert (vd.stage, vd.purge) == (policy.PURGED, True)


def test_a_restored_file_waits_notice_days_again():
    due = datetime.date(2026, 7, 10)
    f = facts(notices={due: at(2026, 6, 1)}, restored_at=at(2026, 8, 1))
    assert policy.verdict(ITEM, at(2026, 8, 20), f).stage == policy.ANNOUNCED
    assert policy.verdict(ITEM, at(2026, 9, 1), f).stage == policy.REMOVE


def test_the_json_entry_has_the_promised_keys():
    entry = policy.verdict(ITEM, at(2026, 3, 1), facts()).as_json()
    assert {"sha256", "class", "retention_until", "purge", "held", "open_case", "reason"} <= set(entry)
    assert entry["retention_until"] == "2026-07-10" and entry["purge"] is False
