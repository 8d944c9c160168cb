"""Sign a record as its rule asks — one piece for the tests (liuhen.testing.cases), the demo and the
benchmarks. The rule is the one in force for the record (records.selectors: its pinned type
version, with the overrides for its case's kind and procedure); the caller names the people."""
from liuhen.records import rules
from liuhen.records import services as records
from liuhen.records.models import SignerRole
from liuhen.records.selectors import record_with_state


def sign_as_rule_asks(record, *, officers, party_name=None, recorded_by=None, leader=None, unit_head=None,
                      agency_head=None, reviewer=None, archivist=None, opinion: str = "",
                      decision: str = rules.AGREE, skip=(), party_mark: dict | None = None) -> int:
    """Give `record` the signatures its rule asks for and return how many were made.

    - `officers`: case officers, the first ones sign as many as the rule asks;
    - `party_name`: the party who signs (recorded by `recorded_by`, default the first officer);
    - the 负责人: `leader` if given, else the agency head where the rule asks for the 机关负责人,
      else the unit head (`unit_head`, falling back to `agency_head`);
    - `reviewer` and `archivist` sign in their capacity (`archivist` may be a function that gives
      the person, asked only when the rule wants an archivist); the reviewer with `decision` (for a
      法制审核意见 one of the outcomes of LW-L 15), the leader with `decision` too; each with `opinion`;
    - `skip`: capacities ("party", "leader", "reviewer", "archivist") left unsigned;
    - `party_mark`: the party's handwritten mark (签名笔迹), `{"mark": bytes, "mark_kind": …}`.
    """
    rule = record_with_state(record.pk).rule
    made = 0
    for officer in list(officers)[: rule.officers]:
        records.sign_as_officer(officer, record)
        made += 1
    if rule.party and party_name and "party" not in skip:
        records.record_other_signature(recorded_by or officers[0], record, role=SignerRole.PARTY,
                                       signer_name=party_name, **(party_mark or {}))
        made += 1
    if rule.leader and "leader" not in skip:
        who = leader or (agency_head if rule.leader == rules.LEADER_AGENCY else unit_head or agency_head)
        records.sign_as_leader(who, record, decision=decision, opinion=opinion)
        made += 1
    if rule.reviewer and "reviewer" not in skip:
        outcome = decision if decision in rule.reviewer_decisions else rule.reviewer_decisions[0]
        records.sign_in_capacity(reviewer, record, SignerRole.REVIEWER, decision=outcome, opinion=opinion)
        made += 1
    if rule.archivist and "archivist" not in skip:
        who = archivist() if callable(archivist) else archivist
        records.sign_in_capacity(who, record, SignerRole.ARCHIVIST, opinion=opinion)
        made += 1
    return made
