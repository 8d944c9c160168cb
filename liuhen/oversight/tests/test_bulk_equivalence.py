"""records.bulk.record_facts gives every record the completion `state_of` gives it (complete,
missing signatures, refusals), for records of every kind of history: complete, unsigned, a party's
refusal confirmed by one and by two officers, a leader's 不同意, voided, and records made before
rules were pinned (legacy) with a capacity signature stored without its role."""
import pytest

from liuhen.cases.models import Case
from liuhen.records import services as rec
from liuhen.records.bulk import record_facts
from liuhen.records.models import Record, SignerRole
from liuhen.records.selectors import states_of
from liuhen.testing.cases import complete, make_record, to_archived, to_decision, to_investigation
from liuhen.testing.records import legacy_capacity_signature, legacy_record


def _compare():
    cases = dict(Case.objects.values_list("pk", "kind"))
    procs = dict(Case.objects.values_list("pk", "procedure"))
    facts = record_facts(list(cases), {c: (cases[c], procs[c]) for c in cases})
    bulk = {f.id: f for rows in facts.values() for f in rows}
    states = states_of(Record.objects.all())
    assert len(states) == len(bulk) > 0
    for st in states:
        f = bulk[st.record.pk]
        assert (f.complete, f.missing, f.voided, f.rule) == (st.complete, st.missing, st.voided, st.rule), \
            st.record
        assert [s.id for s in f.refusals] == [s.pk for s in st.refusals]
        assert (f.completed_at is not None) == st.complete
    return bulk


def test_bulk_completion_equals_state_of(world):
    to_archived(world)
    case = to_investigation(world)
    make_record(world, case, "inquiry_record")  # unsigned
    notice = make_record(world, case, "rights_notice")
    rec.sign_as_officer(world.officer, notice)
    rec.sign_as_officer(world.officer2, notice)
    sig = rec.record_other_signature(world.officer, notice, role=SignerRole.PARTY, signer_name="王五", refused=True,
                                     reason="不认可")
    _compare()  # a refusal confirmed by one officer
    rec.confirm_refusal(world.officer2, sig)
    voided = complete(world, case, "inquiry_record")
    rec.void_record(world.officer, voided, "重做")
    case2 = to_decision(world)
    approval = make_record(world, case2, "leader_approval")
    rec.sign_as_officer(world.officer, approval)
    rec.sign_in_capacity(world.agency_head, approval, SignerRole.LEADER, decision="不同意", opinion="证据不足")
    old = legacy_record(world, case2, "handling_opinion", {"opinion": "旧记录"})
    legacy_capacity_signature(old, world.unit_head, SignerRole.LEADER)
    bulk = _compare()
    assert any(f.refusals for f in bulk.values()) and any(f.pending_party_refusal is False and f.complete
                                                        for f in bulk.values())


@pytest.mark.django_db
def test_no_case_no_records():
    assert record_facts([], {}) == {}
