"""What the records app plugs into the cases app (registered in RecordsConfig.ready()):

- the record gate: a stage cannot be left while the records its requirements name
  (cases/requirements.py) are missing or unsigned; archiving re-checks every stage the case went
  through, so a record voided after its stage was left stops it;
- the completion source: when a document of a type became complete in a case (the emergency
  start's 24-hour clock, cases.selectors.emergency_clock);
- the case pages' record parts: the timeline of each stage's records, the record types that may
  be added now, and what awaits the user's signature.
"""
from liuhen.cases.gates import Problem
from liuhen.cases.models import STAGE_ORDER, Stage
from liuhen.cases.requirements import stage_requirements
from liuhen.cases.rules import EMERGENCY_APPROVAL_HOURS, rule_of
from liuhen.cases.selectors import closed_at_start, counting_since

from .models import Outcome, SignerRole
from .selectors import (
    approved_in_case, awaiting_my_signature, counts_in_capacity, states_for_case, timeline, type_names,
    types_for_stage,
)


def _codes(case, stage: str, since, *, drafted: bool) -> set[str]:
    states = states_for_case(case, stage, since)
    if drafted:
        return {s.record.record_type.code for s in states if not s.voided}
    return {s.record.record_type.code for s in states if s.complete}


def missing(case, stage: str, entered: dict, *, closed: bool, leaving: bool) -> list:
    """The requirements of `stage` not met: by complete records written since the case last
    entered it (for a stage redone on re-entry); when `leaving`, a requirement that a drafted
    record suffices to leave (the emergency approval) is met by one."""
    since = counting_since(stage, entered)
    complete = drafted = None
    out = []
    for req in stage_requirements(case, stage, closed=closed):
        if leaving and req.drafted_suffices:
            drafted = drafted if drafted is not None else _codes(case, stage, since, drafted=True)
            ok = set(req) & drafted
        else:
            complete = complete if complete is not None else _codes(case, stage, since, drafted=False)
            ok = set(req) & complete
        if not ok:
            out.append(req)
    return out


def record_gate(case, stage: str, entered: dict, *, closing: bool = False) -> list[str]:
    closed = closing or closed_at_start(entered)
    problems = []
    for req in missing(case, stage, entered, closed=closed, leaving=True):
        names = "或".join(type_names(req))
        if req.drafted_suffices:
            hours = rule_of(case, EMERGENCY_APPROVAL_HOURS).value
            text = f"缺少{names}（先行启动后{hours}小时内报负责人补批）"
        else:
            text = f"缺少已签字的{names}"
        problems.append(Problem(text, requirement=req, stage=stage))
    if stage == Stage.ARCHIVE:
        for earlier in STAGE_ORDER[:-1]:
            for req in missing(case, earlier, entered, closed=closed, leaving=False):
                problems.append(Problem(f"{Stage(earlier).label}阶段缺少已签字的{'或'.join(type_names(req))}",
                                        requirement=req, stage=earlier))
    return problems


def completed_at(case, code: str):
    """When the first not-voided complete record of type `code` in `case` was approved: the time of
    its 负责人's approving signature where its rule asks for one — an officer signing after the
    leader does not move the approval later (LC 8, LQ 8: the leader's 补批 within 24 hours) —
    else of its last signature (or refusal confirmation)."""
    times = []
    for st in states_for_case(case):
        if st.record.record_type.code != code or not st.complete:
            continue
        sigs = [s for s in st.record.signatures.all() if s.outcome == Outcome.SIGNED]
        if st.rule.requires(SignerRole.LEADER):
            roles = {str(r) for r in st.rule.roles_for(SignerRole.LEADER)}
            moments = [s.signed_at for s in sigs if s.role == SignerRole.LEADER and counts_in_capacity(s, roles)]
        else:
            moments = [s.signed_at for s in sigs]
            moments += [c.confirmed_at for s in st.record.signatures.all() for c in s.confirmations.all()]
        if moments:
            times.append(min(moments) if st.rule.requires(SignerRole.LEADER) else max(moments))
    return min(times) if times else None


def case_page(user, case, *, can_work: bool) -> dict:
    stages = timeline(case)
    # Making a record is an officer's act with a valid 执法证 (services.require_officer_certificate, LC 10):
    # a 承办机构负责人 without one is not offered 新增记录 that would only be refused.
    types = list(types_for_stage(case.stage)) if can_work and user.certificate_on() is not None else []
    return {"timeline": stages, "record_types": types, "suggested_type": suggested_type(case, stages, types)}


def suggested_type(case, stages: list[dict], types) -> str:
    """The record type the officer most likely makes next: the first of the current stage's
    requirements not yet met nor begun (e.g. the 紧急先行启动补批表 of an emergency start, LC 8), so
    the 新增记录 list does not open on whatever type sorts first."""
    current = next((s for s in stages if s["stage"] == case.stage), None)
    available = [t.code for t in types]
    if current is None or not available:
        return ""
    begun = {st.record.record_type.code for st in current["states"] if not st.voided}
    for req in current["requirements"]:
        if req["met"] or set(req["codes"]) & begun:
            continue
        for code in req["codes"]:
            if code in available:
                return code
    return ""


def case_list(user) -> dict:
    return {"awaiting": awaiting_my_signature(user)}


def register() -> None:
    from liuhen.cases import gates, pages

    gates.register_gate("records", record_gate)
    gates.register_completion_source(completed_at)
    gates.register_approver_check(approved_in_case)  # who approved in a case does not join its team
    pages.register_case_page(case_page)
    pages.register_case_list(case_list)
