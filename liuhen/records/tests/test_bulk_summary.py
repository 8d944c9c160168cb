"""records.bulk judges most records on the database's summary of their signatures
(`_judge_summary`) and the rest signature by signature (`_judge`, which equals `state_of`): both
must give every record the same missing signatures and the same completion time — on records with
more officers than the rule asks, an officer signing twice, a party's refusal, a leader's 不同意,
capacities signed by the wrong role, none signed at all."""
from liuhen.cases import services as cases
from liuhen.cases.models import Case
from liuhen.records import bulk
from liuhen.records import services as rec
from liuhen.records.models import Record, Signature, SignerRole
from liuhen.testing.cases import complete, make_record, to_archived, to_decision, to_investigation


def _both():
    cases = {pk: (k, p) for pk, k, p in Case.objects.values_list("pk", "kind", "procedure")}
    facts = bulk.record_facts(list(cases), cases)
    summed = {f.id: f for rows in facts.values() for f in rows}
    rec_t, sig_t, conf_t = Record._meta.db_table, Signature._meta.db_table, "records_refusalconfirmation"
    one_by_one = {f.id: f for rows in bulk.record_facts(list(cases), cases).values() for f in rows}
    bulk._judge_one_by_one(list(one_by_one.values()), sig_t, conf_t)
    assert rec_t and summed.keys() == one_by_one.keys()
    return summed, one_by_one


def test_summary_judges_as_one_by_one(world):
    to_archived(world)
    case = to_investigation(world)
    make_record(world, case, "inquiry_record")  # nothing signed
    cases.assign_officer(world.unit_head, case, world.officer3)
    three = make_record(world, case, "inquiry_record")  # three officers where two are asked
    for officer in (world.officer, world.officer2, world.officer3):
        rec.sign_as_officer(officer, three)
    rec.record_other_signature(world.officer, three, role=SignerRole.PARTY, signer_name="王五")
    party_first = make_record(world, case, "inquiry_record")  # the officers' signatures complete it
    rec.record_other_signature(world.officer, party_first, role=SignerRole.PARTY, signer_name="王五")
    rec.sign_as_officer(world.officer, party_first)
    rec.sign_as_officer(world.officer2, party_first)
    refused = make_record(world, case, "rights_notice")
    rec.sign_as_officer(world.officer, refused)
    rec.sign_as_officer(world.officer2, refused)
    sig = rec.record_other_signature(world.officer, refused, role=SignerRole.PARTY, signer_name="王五",
                                     refused=True, reason="不认可")
    rec.confirm_refusal(world.officer2, sig)  # the officer who recorded the refusal confirmed it
    complete(world, case, "inquiry_record")
    case2 = to_decision(world)
    approval = make_record(world, case2, "leader_approval")
    rec.sign_as_officer(world.officer, approval)
    rec.sign_in_capacity(world.agency_head, approval, SignerRole.LEADER, decision="不同意", opinion="证据不足")
    summed, one_by_one = _both()
    by_summary = 0
    for rid, f in summed.items():
        g = one_by_one[rid]
        assert (f.missing, f.completed_at, f.complete) == (g.missing, g.completed_at, g.complete), f
        by_summary += not f.signatures  # judged on the summary: no signature rows read
    assert by_summary >= len(summed) // 2
    assert not summed[three.pk].missing and summed[three.pk].signatures  # three officers: one by one
    assert summed[refused.pk].complete and summed[refused.pk].signatures  # the refusal: one by one
    assert summed[approval.pk].refusals and not summed[approval.pk].complete


def test_officer_signing_twice_is_judged_one_by_one(world):
    case = to_investigation(world)
    record = make_record(world, case, "inquiry_record")
    rec.sign_as_officer(world.officer, record)
    rec.sign_as_officer(world.officer2, record)
    first = Signature.objects.filter(record=record).earliest("pk")
    # A second signature of the same officer (as an older version's signature would be): the summary
    # counts rows and distinct officers and leaves the record to the one-by-one judge.
    Signature.objects.bulk_create([Signature(record=record, version=first.version, role=first.role,
                                             signer=first.signer, signer_name=first.signer_name,
                                             outcome=first.outcome, signer_role=first.signer_role,
                                             recorded_by=first.recorded_by)])
    summed, one_by_one = _both()
    f, g = summed[record.pk], one_by_one[record.pk]
    assert f.signatures and f.missing == g.missing == ["当事人签字"]
