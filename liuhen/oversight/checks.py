"""The checks (问题发现规则): each takes one case's facts (facts.CaseFacts), its clocks and `now`,
and returns FindingData with a stable code (vocabulary.py), severity, stage, article, a Chinese
message and what would fix it. Pure functions of the facts: no query here.

`CHECKS` is the list the engine runs; a test per code removes nothing from it without failing.
"""
from __future__ import annotations

import datetime

from django.utils import timezone

from liuhen.avrules import rules as av_rules
from liuhen.cases.models import STAGE_ORDER, Stage
from liuhen.cases.requirements import REDONE_ON_REENTRY, SKIPPED_ON_CLOSURE, stage_requirements
from liuhen.legalreview import selectors as lr
from liuhen.legalreview.models import Outcome, RulingConclusion
from liuhen.records.bulk import to_datetime

from . import vocabulary as v
from .clocks import ClockData, local_zone
from .engine import FindingData
from .facts import CaseFacts, cert_valid
from .finding_models import ClockStatus, Severity

ERROR, WARNING = Severity.ERROR.value, Severity.WARNING.value
STAGE_LABELS = dict(Stage.choices)


def _t(when) -> str:
    return when.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M") if when else "—"


def _f(cf: CaseFacts, key: str, code: str, severity: str, stage: str, article: str, message: str, fix: str,
       **kw) -> FindingData:
    # A finding about the case as a whole is counted under its 主办 officer (the one who answers for
    # the file), so that supervision by officer shows whose cases lack what; a finding about one
    # officer's act (an expired 执法证 on a signature) keeps that officer.
    if kw.get("officer_id") is None:
        kw["officer_id"] = cf.lead_officer_id
    return FindingData(key=key, code=code, severity=severity, case_id=cf.id, case_number=cf.number,
                       stage=str(stage or ""), article=article, message=message, fix=fix, **kw)


# ---- stages --------------------------------------------------------------------------------------

def _closed_at_start(cf: CaseFacts) -> bool:
    return Stage.ARCHIVE in cf.last_entered and not any(s in cf.last_entered for s in SKIPPED_ON_CLOSURE)


def _stage_state(cf: CaseFacts, stage: str) -> str:
    """passed / current / todo / skipped, as cases.selectors.stage_status (memoised on the facts)."""
    states = cf.__dict__.setdefault("_stage_states", {})
    state = states.get(stage)
    if state is None:
        state = states[stage] = _stage_state_of(cf, stage)
    return state


def _stage_state_of(cf: CaseFacts, stage: str) -> str:
    i = _STAGE_AT[stage]
    current = _STAGE_AT[cf.stage]
    if i < current or cf.archived_at is not None:
        return "passed" if (stage in cf.last_entered or stage == Stage.START) else "skipped"
    return "current" if i == current else "todo"


_STAGE_AT = {str(st): i for i, st in enumerate(STAGE_ORDER)}


class _Req(tuple):
    """A requirement as the checks see it: its codes, id, article, drafted_suffices."""

    def __new__(cls, id, codes, article, drafted_suffices=False):
        self = super().__new__(cls, codes)
        self.id, self.article, self.drafted_suffices = id, article, drafted_suffices
        return self


def requirements(cf: CaseFacts, stage: str, closed: bool) -> list[_Req]:
    """The stage's requirements: the profile's StageRequirements (the most specific matching entry)
    when it has any, else the cases app's table (cases.requirements, which the profile replaces)."""
    pkey = (id(cf.profile), cf.kind, cf.procedure, cf.start_mode, stage, closed)
    hit = _BY_PROFILE.get(pkey)
    if hit is not None and hit[0] is cf.profile:  # same profile object: same answer (frozen data)
        return hit[1]
    found = _requirements(cf, stage, closed)
    _BY_PROFILE[pkey] = (cf.profile, found)
    return found


_BY_PROFILE: dict = {}


def _requirements(cf: CaseFacts, stage: str, closed: bool) -> list[_Req]:
    entries = [s for s in getattr(cf.profile, "stages", ()) or () if s.stage == stage
               and s.applies.matches(cf.kind, cf.procedure, cf.start_mode)]
    if getattr(cf.profile, "stages", ()):
        if closed and stage != Stage.START and stage != Stage.ARCHIVE:
            return []
        if not entries:
            return []
        best = max(entries, key=lambda s: sum(bool(x) for x in (s.applies.kinds, s.applies.procedures,
                                                                 s.applies.start_modes)))
        return [_Req(r.id, tuple(r.codes), r.article, r.drafted_suffices) for r in best.requirements]
    key = (cf.kind, cf.procedure, cf.start_mode, stage, closed)
    if key not in _TABLE:
        # stage_requirements reads the case's kind, procedure and start mode: the facts have them.
        _TABLE[key] = [_Req(r.id, tuple(r), r.basis, r.drafted_suffices)
                       for r in stage_requirements(cf, stage, closed=closed)]
    return _TABLE[key]


_TABLE: dict = {}


def check_missing_records(cf, clocks, now):
    """F001 (BX 4, LQ 20 记录事项清单): a stage the case passed lacks a complete record a requirement
    asks for (error); the current stage still lacks one (warning: to do before leaving it)."""
    out = []
    closed = _closed_at_start(cf)
    by_stage: dict = {}
    for r in cf.records:
        if not r.voided:
            by_stage.setdefault(r.stage, []).append(r)
    for stage in STAGE_ORDER:
        state = _stage_state(cf, stage)
        if state not in ("passed", "current"):
            continue
        since = cf.last_entered.get(stage) if stage in REDONE_ON_REENTRY else None
        recs = by_stage.get(stage, ())
        if since is not None:
            recs = [r for r in recs if r.created_at > since]
        done_codes, drafted = {r.code for r in recs if r.complete}, None
        for req in requirements(cf, stage, closed):
            if not done_codes.isdisjoint(req):
                continue
            # LC 8: leaving 程序启动 needs the emergency approval drafted; archiving needs it signed.
            if req.drafted_suffices and cf.archived_at is None and state == "passed":
                drafted = drafted if drafted is not None else {r.code for r in recs}
                if not drafted.isdisjoint(req):
                    continue
            names = "或".join(dict.fromkeys(r_name(cf, c) for c in req))
            passed = state == "passed"
            out.append(_f(
                cf, f"{v.MISSING_RECORD}:{stage}:{req.id}", v.MISSING_RECORD, ERROR if passed else WARNING, stage,
                req.article,
                f"{STAGE_LABELS[stage]}{'已结束但' if passed else '尚'}缺少已完成的{names}",
                f"制作{names}并完成签字" + ("（已离开该阶段的，补正后说明情况）" if passed else "，方可离开本阶段"),
                subject_kind="requirement", subject_id=req.id))
    return out


def r_name(cf: CaseFacts, code: str) -> str:
    for r in cf.records:
        if r.code == code:
            return r.name
    return _TYPE_NAMES.get(code, code)


_TYPE_NAMES: dict[str, str] = {}


def load_type_names() -> None:
    """Record type names by code (one query per process, refreshed by each scan)."""
    from liuhen.records.selectors import type_name_map

    _TYPE_NAMES.update(type_name_map())


def check_signatures(cf, clocks, now):
    """F002: a not-voided record of a stage the case has left still lacks a signature;
    F003 (LQ 17): a party's refusal to sign not confirmed by two officers (error once the stage
    is left, warning while the case is in it)."""
    out = []
    for r in cf.records:
        if r.voided or r.complete:
            continue
        state = _stage_state(cf, r.stage)
        if r.pending_party_refusal and state in ("passed", "current"):
            out.append(_f(cf, f"{v.REFUSAL_UNCONFIRMED}:{r.id}", v.REFUSAL_UNCONFIRMED,
                          ERROR if state == "passed" else WARNING, r.stage, "LQ 17",
                          f"{r.name}（第{r.serial}号）当事人拒绝签字，尚未经两名以上执法人员确认",
                          "由两名以上执法人员在记录上确认当事人拒签", subject_kind="record", subject_id=str(r.id)))
        others = [m for m in r.missing if m != "当事人拒签须两名执法人员确认"]
        if others and state == "passed":
            out.append(_f(cf, f"{v.MISSING_SIGNATURE}:{r.id}", v.MISSING_SIGNATURE, ERROR, r.stage,
                          "BX 8, LQ 17", f"{r.name}（第{r.serial}号）缺少{'、'.join(others)}",
                          "补齐签字；负责人不同意或退回的，作废后重新制作",
                          subject_kind="record", subject_id=str(r.id)))
    return out


def check_officers(cf, clocks, now):
    """F004 (LC 10, LQ 17): an on-site case with fewer than two officers assigned;
    F005 (LC 10): an officer who signed a record as officer without a 执法证 valid that day."""
    out = []
    need = int(cf.profile.rule("on_site_officers", 2) or 2) if cf.profile is not None else 2
    if cf.on_site and len({o for o, _ in cf.officers}) < need:
        out.append(_f(cf, v.TOO_FEW_OFFICERS, v.TOO_FEW_OFFICERS, ERROR, cf.stage, "LC 10, LQ 17",
                      f"现场执法案件只有{len({o for o, _ in cf.officers})}名承办执法人员，应有{need}名以上",
                      f"指派{need}名以上持有效执法证的执法人员"))
    certs = getattr(cf, "_certs", {})
    seen = set()
    tz = timezone.get_current_timezone()
    # facts.load gave each record the signatures of the officers whose certificates do not cover
    # every day they signed on; the others were valid on every one of theirs.
    for r in cf.records:
        if r.voided or not r.officer_signed:
            continue
        for signer_id, raw in r.officer_signed:
            if (r.id, signer_id) in seen:
                continue
            day = to_datetime(raw).astimezone(tz).date()
            if cert_valid(certs, signer_id, day):
                continue
            seen.add((r.id, signer_id))
            out.append(_f(cf, f"{v.OFFICER_UNCERTIFIED}:{r.id}:{signer_id}", v.OFFICER_UNCERTIFIED, ERROR,
                          r.stage, "LC 10", f"{r.name}（第{r.serial}号）的执法人员签字于{day}，签字人当日无有效执法证",
                          "由持有效执法证的执法人员重新实施并记录该执法行为", officer_id=signer_id,
                          subject_kind="record", subject_id=str(r.id)))
    return out


def _act_serial(r):
    try:
        return int((r.content or {}).get("act_serial"))
    except (TypeError, ValueError):
        return None


def check_av(cf, clocks, now):
    """F006 (LQ 19, AS 8): a required AV act of a stage the case has left (or the case is in)
    has neither footage of a kind that counts nor an approved 不适宜音像记录说明 written after the act
    — avrules.selectors.ActAv's status "missing"/"pending"; F007 (LC 31, LQ 23, AS 12): footage of
    the case stored late (avrules' verdicts); F017: its lateness cannot be judged."""
    out = []
    not_suitable = av_rules_not_suitable()
    notes = [r for r in cf.records if not r.voided and r.code in not_suitable]
    acts = cf.av_acts
    hit = _ACT_CODES.get(id(acts))
    if hit is None or hit[0] is not acts:
        hit = _ACT_CODES[id(acts)] = (acts, av_rules.act_codes(acts), _plain_acts(acts))
    codes, plain = hit[1], hit[2]  # a record of another type documents no act: act_of would find none
    linked: dict[int, list] = {}
    for f in cf.footage:
        if f.record_id is not None:
            linked.setdefault(f.record_id, []).append(f)
    for r in cf.records:
        if r.voided or r.code not in codes:
            continue
        act = plain[r.code] if r.code in plain else av_rules.act_of(acts, r.code, r.content)
        if act is None or not act.required:
            continue
        state = _stage_state(cf, r.stage)
        if state not in ("passed", "current"):
            continue
        if any(f.kind in act.kinds for f in linked.get(r.id, ())):
            continue
        mine = [n for n in notes if _act_serial(n) == r.serial and (n.content_at or n.created_at) > r.created_at]
        if any(n.complete for n in mine):
            continue
        why = "不适宜音像记录说明尚未签字批准" if mine else "也没有经批准的不适宜音像记录说明"
        out.append(_f(cf, f"{v.AV_MISSING}:{r.id}", v.AV_MISSING, ERROR if state == "passed" else WARNING, r.stage,
                      act.basis or "LQ 19, AS 8",
                      f"{act.label}（{r.name}第{r.serial}号）没有音像记录（{act.kinds_label}），{why}",
                      "关联该执法环节的音像记录；确不适宜音像记录的，书面说明原因并经负责人批准（AS 8）",
                      subject_kind="record", subject_id=str(r.id)))
    for f in cf.footage:
        verdict = f.late
        if verdict is None:
            continue
        if verdict.status == "unknown":
            out.append(_f(cf, f"{v.AV_UNDETERMINABLE}:{f.item_id}", v.AV_UNDETERMINABLE, WARNING, f.stage,
                          verdict.basis, f"{f.name}无录制时间，无法判断是否在24小时内存储",
                          "核对设备时间与录制时间，在案卷中说明", subject_kind="footage", subject_id=str(f.item_id)))
        else:
            out.append(_f(cf, f"{v.AV_LATE}:{f.item_id}", v.AV_LATE, ERROR, f.stage, verdict.basis,
                          f"{f.name}逾期存储{verdict.hours_late}小时：应于{_t(verdict.due)}前存储，"
                          f"实际{_t(verdict.ingested_at)}存储",
                          "逾期已成事实，无法补正：在案卷中说明逾期原因；外出执法的应事先申报（AS 12）",
                          subject_kind="footage", subject_id=str(f.item_id), due_at=verdict.due))
    return out


_ACT_CODES: dict = {}


def _plain_acts(acts) -> dict:
    """{record type code: its act} for the codes no act tells apart by 送达方式: act_of's answer
    without the record's content (the first act listing the code)."""
    out = {}
    for code in av_rules.act_codes(acts):
        if all(not method for a in acts for c, method in a.records if c == code):
            out[code] = next(a for a in acts if any(c == code for c, _ in a.records))
    return out


def av_rules_not_suitable():
    from liuhen.avrules.selectors import NOT_SUITABLE_CODES

    return NOT_SUITABLE_CODES


def check_rights_notice(cf, clocks, now):
    """F009 (LC 11): a decision was drafted in a case whose investigation requires a 权利告知书 (by
    its profile or the cases table) without one made before it."""
    decisions = [r for r in cf.records if r.code == "decision" and not r.voided]
    if not decisions:
        return []
    reqs = requirements(cf, Stage.INVESTIGATION, _closed_at_start(cf))
    codes = {c for req in reqs if req.id == "rights_notice" or "rights_notice" in req for c in req}
    if not codes:
        return []
    first = min(decisions, key=lambda r: r.created_at)
    if any(r.code in codes and not r.voided and r.created_at < first.created_at for r in cf.records):
        return []
    return [_f(cf, v.RIGHTS_NOTICE_MISSING, v.RIGHTS_NOTICE_MISSING, ERROR, first.stage, "LC 11",
               f"作出{first.name}（第{first.serial}号，{_t(first.created_at)}）前没有制作权利告知书",
               "告知当事人陈述、申辩、听证等权利后重新作出决定", subject_kind="record", subject_id=str(first.id))]


def _current(cf: CaseFacts, r) -> bool:
    """Is record `r` of the current pass through 审查决定? A case sent back for more investigation
    (LW-L 15: 补充调查) redoes that stage: its earlier proposals and decisions no longer count."""
    since = cf.last_entered.get(Stage.DECISION)
    return not (r.stage == Stage.DECISION and since is not None and r.created_at < since)


def proposal_facts(cf: CaseFacts) -> dict:
    """The facts the major criteria read (legalreview.selectors.facts_from, on the facts read in bulk):
    the penalty proposed in the latest 处理意见 (else the draft decision) of the current pass, the
    parties' kinds, and whether a hearing was held."""
    content: dict = {}
    for codes in (lr.PROPOSAL_CODES, lr.DECISION_CODES):
        found = [r for r in cf.records if r.code in codes and not r.voided and _current(cf, r)]
        if found:
            content = dict(max(found, key=lambda r: r.id).content or {})
            break
    heard = any(r.code in lr.HEARING_CODES and r.complete and _current(cf, r) for r in cf.records)
    return lr.facts_from(content, cf.party_kinds, heard)


def proposed_criteria(cf: CaseFacts, facts: dict | None = None) -> list:
    """The profile's 重大执法决定 criteria on facts the system computes that the case meets — the
    system's proposal (legalreview.selectors.propose); the others are the handler's judgement."""
    facts = facts if facts is not None else proposal_facts(cf)
    return [c for c in getattr(cf.profile, "major", ()) or ()
            if c.fact in lr.COMPUTED_FACTS and lr.meets(c, facts.get(c.fact))]


def _review_lets_decide(cf: CaseFacts) -> bool:
    """Did the legal review of the current pass pass, or the head rule to proceed after a
    disagreement (LW-L 17)? Without any 送审 (older data), a complete 法制审核意见 record counts."""
    rv = cf.review
    if rv is None:
        return any(r.code == lr.SUBMISSION_CODE and r.complete and not r.voided for r in cf.records)
    since = cf.last_entered.get(Stage.DECISION)
    if since is not None and rv.submitted_at < since:
        return False  # submitted in an earlier pass: this pass is not reviewed
    return (rv.reviewed_at is not None and rv.outcome == Outcome.AGREE) or rv.ruling == RulingConclusion.FOLLOW_UNIT


def check_legal_review(cf, clocks, now):
    """F010 (LW-L 9, 18; 行政处罚法 58): a decision completed in a major case (by the handler's latest
    认定; before any, by the system's proposal from the facts) without a passed legal review of this
    pass, or the head's ruling to proceed after a disagreement."""
    decisions = [r for r in cf.records if r.code in lr.DECISION_CODES and r.complete and not r.voided
                 and _current(cf, r)]
    if not decisions:
        return []
    facts = proposal_facts(cf)
    met = proposed_criteria(cf, facts)
    if not lr.concluded_major(cf.major, cf.major_facts, facts, bool(met)) or _review_lets_decide(cf):
        return []
    first = min(decisions, key=lambda r: r.completed_at or r.created_at)
    if cf.major is not None:
        why, article = "经认定属于重大执法决定", "LW-L 7, 9, 18, 行政处罚法 58"
    else:
        why = f"属于重大执法决定（{'、'.join(c.label for c in met)}）"
        article = ", ".join(dict.fromkeys(["LW-L 9, 18", *(c.article for c in met)]))
    return [_f(cf, v.LEGAL_REVIEW_MISSING, v.LEGAL_REVIEW_MISSING, ERROR, Stage.DECISION, article,
               f"本案{why}，{first.name}（第{first.serial}号）已作出，但法制审核未通过或尚未审核",
               "送法制审核，审核通过（或经集体讨论决定按拟定决定办理）后重新作出决定",
               subject_kind="record", subject_id=str(first.id))]


def check_clocks(cf, clocks: list[ClockData], now):
    """Clocks overdue or met late (F008, F011-F015, F019, F020 by deadline; the per-footage ones are
    F007, reported by check_av from avrules' verdicts) and clocks that cannot be computed (F018)."""
    out = []
    codes = _publicity_codes(cf.profile)
    for c in clocks:
        if c.subject_kind == "footage":
            continue
        code = codes.get(c.deadline) or v.DEADLINE_CODES.get(c.deadline, v.DEADLINE_OVERDUE)
        if c.status == ClockStatus.UNKNOWN:
            out.append(_f(cf, f"{v.DEADLINE_UNKNOWN}:{c.key}", v.DEADLINE_UNKNOWN, WARNING, cf.stage, c.article,
                          f"{c.label}（{c.period}，自{_t(c.started_at)}起）无法计算到期日：工作日历缺少该年度的节假日安排",
                          "载入国务院该年度节假日安排（liuhen workdays load）", subject_kind="deadline",
                          subject_id=c.key))
        elif c.status == ClockStatus.OVERDUE:
            out.append(_f(cf, f"clock:{c.key}", code, c.severity, cf.stage, c.article,
                          f"{c.label}已逾期：应于{_t(c.due_at)}前完成（{c.period}，自{_t(c.started_at)}起）",
                          _FIX.get(c.deadline, f"尽快完成{c.label}，并在案卷中说明逾期原因"),
                          subject_kind="deadline", subject_id=c.key, due_at=c.due_at))
        elif c.status == ClockStatus.MET_LATE:
            out.append(_f(cf, f"clock:{c.key}", code, c.severity, cf.stage, c.article,
                          f"{c.label}逾期完成：应于{_t(c.due_at)}前完成，实际{_t(c.met_at)}",
                          "逾期已成事实：在案卷中说明逾期原因", subject_kind="deadline", subject_id=c.key,
                          due_at=c.due_at))
    return out


def _publicity_codes(profile) -> dict:
    """{deadline id: code} of the profile's publication deadlines (PublicitySpec names their ids)."""
    spec = getattr(profile, "publicity", None)
    if spec is None:
        return {}
    return {spec.deadline: v.PUBLICITY_OVERDUE, spec.withdrawal_deadline: v.WITHDRAWAL_LATE,
            spec.republish_deadline: v.REPUBLICATION_LATE}


_FIX = {
    "emergency_backfill": "由负责人在紧急先行启动补批表上签字批准",
    "service": "尽快送达决定书并制作送达回证",
    "archive": "整理案卷，交档案管理员签收归档",
    "legal_review": "法制审核人员尽快出具审核意见；需要延期的，经批准延长一次",
    "publicity": "审核、批准后在公示平台公示行政处罚决定；依法不予公开的，作出不予公开决定并写明理由",
    # 行政处罚法 48: a decision revoked, changed or found void is withdrawn from the portal within 3 working days.
    "withdrawal": "在公示平台撤回已公示的决定，并公开撤回理由",
    # LW-P 11: what changed is published again within 10 working days.
    "republication": "审核、批准后在公示平台公示变更后的决定",
    "handling_limit": "尽快作出决定；需要延长的，经负责人批准",
}

CHECKS = (check_missing_records, check_signatures, check_officers, check_av, check_rights_notice,
          check_legal_review, check_clocks)


def run(cf: CaseFacts, clocks: list[ClockData], now: datetime.datetime) -> list[FindingData]:
    out: list[FindingData] = []
    for check in CHECKS:
        out.extend(check(cf, clocks, now))
    return out
