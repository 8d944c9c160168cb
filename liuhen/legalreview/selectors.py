"""Reads of the legal review: what the case's facts say (is it major?), what the submission package
holds and lacks, where the review stands, and whether the decision may be made — the gate.

The review of the current pass through 审查决定 counts: a case sent back for more investigation
(LW-L 15: 补充调查) comes back with a new proposal and is submitted again (cases.requirements:
the decision stage is redone on re-entry).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from liuhen.cases.models import PartyKind, Stage
from liuhen.cases.selectors import current_parties, stage_entries
from liuhen.common import memo
from liuhen.profiles import selectors as profiles
from liuhen.profiles.spec import PENALTY_CODES
from liuhen.records.selectors import states_for_case

from .models import (
    Assessment, Disagreement, ExtensionDecision, ExtensionRequest, MaterialRequest, Outcome, Qualification, Review,
    Ruling, RulingConclusion, Submission,
)

# The decision documents the gate holds (LW-L 9, 18: 未经法制审核或者审核未通过的，不得作出决定).
DECISION_CODES = ("decision",)
SUBMISSION_CODE = "legal_review_record"
PROPOSAL_CODES = ("handling_opinion",)
COLLECTIVE_CODE = "collective_discussion"

# The facts a criterion can name that the system reads from the case (the rest are judged by the
# handler when assessing: complex, major_social_impact, major_rights, an agency's own …).
COMPUTED_FACTS = ("penalty_kind", "fine_amount", "fine_person", "fine_organisation", "confiscation_amount",
                  "after_hearing")
HEARING_CODES = ("hearing_transcript", "hearing_report", "hearing_record")

# LW-L 13 (and the 办法 of 宁夏住建 the practice follows): the points a reviewer answers one by one.
REVIEW_POINTS: tuple[tuple[str, str], ...] = (
    ("authority", "执法主体合法、在法定职权范围内，执法人员具备执法资格"),
    ("facts", "案件事实清楚，证据确凿、充分"),
    ("law", "适用法律、法规、规章准确，裁量基准运用适当"),
    ("procedure", "程序合法"),
    ("ultra_vires", "未超越本机关职权"),
    ("documents", "执法文书完备、规范"),
    ("crime", "不涉嫌犯罪，无需移送司法机关"),
    ("other", "其他需要审核的内容"),
)
POINT_LABELS = dict(REVIEW_POINTS)

REQUIRED, IF_PRESENT = "required", "if_present"


@dataclass(frozen=True)
class PackageItem:
    """One item of the submission (LW-L 11; the proposal's explanation, LW-L 12): the record types that
    make it, whether it must be there, and whether a draft (not yet signed) counts (the draft decision)."""

    id: str
    label: str
    codes: tuple[str, ...]
    need: str = REQUIRED
    draft_ok: bool = False
    article: str = "LW-L 11"


PACKAGE: tuple[PackageItem, ...] = (
    PackageItem("investigation_report", "调查终结报告", ("investigation_report",)),
    PackageItem("proposal", "拟作出决定的建议及说明（事实、依据、裁量基准、调查情况）", PROPOSAL_CODES),
    PackageItem("draft_decision", "决定书（草稿）", DECISION_CODES, draft_ok=True),
    PackageItem("evidence", "证据材料", ("inquiry_record", "inspection_record", "evidence_request_notice",
                                     "evidence_preservation_list", "sampling_notice", "item_list", "seizure_record",
                                     "expert_opinion")),
    PackageItem("hearing", "听证、陈述申辩、鉴定评估等材料", ("penalty_notice", "statement_hearing", "hearing_request",
                                                "hearing_notice", "hearing_transcript", "hearing_report",
                                                "hearing_record", "statement_record"), need=IF_PRESENT),
)


# ---- what is major (LW-L 7; 行政处罚法 58) ------------------------------------------------------------

def _proposal_content(states) -> dict:
    """The content of the latest not-voided proposal (处理意见), else of the draft decision."""
    for codes in (PROPOSAL_CODES, DECISION_CODES):
        found = [s for s in states if s.record.record_type.code in codes and not s.voided]
        if found:
            return dict(found[-1].latest.content or {})
    return {}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def facts_from(content: dict, party_kinds, heard: bool) -> dict:
    """The facts the major criteria read, from the proposal's content (处理意见, else the draft decision),
    the kinds of the case's parties and whether a hearing was held — one rule for the pages and the
    oversight scan (which reads the same in bulk)."""
    fine = _int(content.get("fine_amount"))
    return {"penalty_kind": PENALTY_CODES.get(content.get("penalty_kind") or "", ""), "fine_amount": fine,
            "confiscation_amount": _int(content.get("confiscation_amount")), "after_hearing": bool(heard),
            "fine_person": fine if PartyKind.PERSON in party_kinds else None,
            "fine_organisation": fine if PartyKind.ORGANISATION in party_kinds else None}


def case_facts(case, states=None) -> dict:
    """The facts the major criteria read from the case: the penalty proposed (kind as its code, the
    fine and confiscation), the fine by the party's kind, and whether a hearing was held."""
    states = states if states is not None else _current_states(case)
    parties = set(current_parties(case).values_list("kind", flat=True))
    heard = any(s.record.record_type.code in HEARING_CODES and s.complete for s in states)
    return facts_from(_proposal_content(states), parties, heard)


def meets(criterion, value) -> bool:
    """Does a fact's value meet a major criterion (op ">=", "in" or "is")?"""
    if value in (None, ""):
        return False
    try:
        if criterion.op == ">=":
            return float(value) >= float(criterion.value)
        if criterion.op == "in":
            return value in (criterion.value or ())
        if criterion.op == "is":
            return value == criterion.value
    except (TypeError, ValueError):
        return False
    return False


def concluded_major(assessment_major, assessment_facts, facts: dict, proposed: bool) -> bool:
    """Major by the handler's latest conclusion (None: none yet) on the case's present facts; before
    any, or once the facts changed (a heavier penalty, a hearing held), by the system's proposal — and
    a case once concluded major stays major."""
    if assessment_major:
        return True
    if assessment_major is not None and all((assessment_facts or {}).get(k) == facts.get(k) for k in COMPUTED_FACTS):
        return False
    return proposed


@dataclass
class Proposal:
    """The system's proposal: the criteria the facts meet, and the criteria the handler judges."""

    facts: dict
    met: list  # profiles.spec.MajorCriterion
    judgement: list  # criteria on facts the system does not compute

    @property
    def major(self) -> bool:
        return bool(self.met)


def propose(case, states=None) -> Proposal:
    """The proposal on the case's present records (`states`: on those instead). Asked once per reading
    request (common.memo): the case page's legal-review part and its status both ask."""
    if states is None:
        return memo.remember(("legalreview.propose", case.pk), lambda: _propose(case, None))
    return _propose(case, states)


def _propose(case, states) -> Proposal:
    profile = profiles.profile_for_case(case)
    facts = case_facts(case, states)
    met, judgement = [], []
    for c in profile.major:
        if c.fact in COMPUTED_FACTS:
            if meets(c, facts.get(c.fact)):
                met.append(c)
        else:
            judgement.append(c)
    return Proposal(facts, met, judgement)


def assessments(case) -> list[Assessment]:
    """The case's assessments, the latest first, with who decided each: read once per reading request
    (the status and the legal-review part of a case page, common.memo)."""
    return memo.remember(("legalreview.assessments", case.pk),
                         lambda: list(Assessment.objects.filter(case=case).select_related("decided_by").order_by("-id")))


def latest_assessment(case) -> Assessment | None:
    history = assessments(case)
    return history[0] if history else None


def is_major(case, proposal: Proposal | None = None) -> bool:
    """concluded_major for the case: its latest assessment against the present proposal."""
    a = latest_assessment(case)
    if a is not None and a.major:
        return True
    proposal = proposal or propose(case)
    return concluded_major(None if a is None else a.major, None if a is None else a.facts, proposal.facts,
                           proposal.major)


# ---- the package (LW-L 11-12) ----------------------------------------------------------------------

def _current_states(case):
    """The case's records, the decision stage's only since the case last entered it."""
    since = stage_entries(case).get(Stage.DECISION)
    return [s for s in states_for_case(case)
            if not (s.record.stage == Stage.DECISION and since is not None and s.record.created_at < since)]


@dataclass
class PackageLine:
    item: PackageItem
    states: list = field(default_factory=list)  # records.selectors.RecordState

    @property
    def missing(self) -> bool:
        return self.item.need == REQUIRED and not self.states


def package(case, states=None) -> list[PackageLine]:
    """Each item of the submission with the records that make it now: complete ones (a draft too for
    the draft decision), not voided."""
    states = states if states is not None else _current_states(case)
    out = []
    for item in PACKAGE:
        found = [s for s in states if s.record.record_type.code in item.codes and not s.voided
                 and (s.complete or item.draft_ok)]
        out.append(PackageLine(item, found))
    return out


def missing_items(lines: list[PackageLine]) -> list[PackageItem]:
    return [ln.item for ln in lines if ln.missing]


def officers_listed(case) -> list[dict]:
    """The officers' qualifications the submission states (LW-L 12: 执法人员资格): name and 执法证号."""
    return [{"officer": co.officer_id, "name": co.officer.display_name, "certificate": co.certificate_number,
             "valid": co.officer.certificate_on() is not None}
            for co in case.officers.select_related("officer")]


# ---- where a review stands -------------------------------------------------------------------------

def submissions(case) -> list[Submission]:
    """The case's submissions in the current pass through 审查决定, oldest first."""
    since = stage_entries(case).get(Stage.DECISION)
    qs = Submission.objects.filter(case=case).order_by("id")
    if since is not None:
        qs = qs.filter(submitted_at__gte=since)
    return list(qs)


def current_submission(case) -> Submission | None:
    subs = submissions(case)
    return subs[-1] if subs else None


def review_of(sub: Submission) -> Review | None:
    try:
        return sub.review
    except Review.DoesNotExist:
        return None


def disagreement_of(review: Review | None) -> Disagreement | None:
    if review is None:
        return None
    try:
        return review.disagreement
    except Disagreement.DoesNotExist:
        return None


def ruling_of(dis: Disagreement | None) -> Ruling | None:
    if dis is None:
        return None
    try:
        return dis.ruling
    except Ruling.DoesNotExist:
        return None


def open_request(sub: Submission) -> MaterialRequest | None:
    """The material request of `sub` still unanswered, if any."""
    return sub.requests.filter(answer__isnull=True).order_by("id").first()


def extension_requests(sub: Submission) -> list[ExtensionRequest]:
    return list(sub.extension_requests.order_by("id"))


def extension_decision(req: ExtensionRequest) -> ExtensionDecision | None:
    try:
        return req.decision
    except ExtensionDecision.DoesNotExist:
        return None


def approved_extension(sub: Submission) -> ExtensionDecision | None:
    return ExtensionDecision.objects.filter(request__submission=sub, approved=True).order_by("id").first()


def pending_extension(sub: Submission) -> ExtensionRequest | None:
    return sub.extension_requests.filter(decision__isnull=True).order_by("id").first()


NOT_MAJOR, NOT_SUBMITTED, IN_REVIEW, WAITING_MATERIALS, PASSED, NOT_PASSED, DISAGREED, RULED_PASS, RULED_REVIEW = (
    "not_major", "not_submitted", "in_review", "waiting_materials", "passed", "not_passed", "disagreed",
    "ruled_pass", "ruled_review")
STATUS_LABELS = {
    NOT_MAJOR: "不属于重大执法决定", NOT_SUBMITTED: "尚未送法制审核", IN_REVIEW: "法制审核中",
    WAITING_MATERIALS: "等待补充材料", PASSED: "法制审核通过", NOT_PASSED: "法制审核未通过",
    DISAGREED: "承办机构有不同意见，待集体讨论决定", RULED_PASS: "经集体讨论，决定按拟定决定办理",
    RULED_REVIEW: "经集体讨论，决定采纳法制审核意见",
}
OPEN_STATUSES = frozenset({PASSED, RULED_PASS, NOT_MAJOR})


@dataclass
class Status:
    """Where the legal review of a case stands, and what it covers when it lets the decision through:
    the draft decision's record id → version number as submitted."""

    code: str
    submission: Submission | None = None
    review: Review | None = None
    disagreement: Disagreement | None = None
    ruling: Ruling | None = None
    covered: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.code]

    @property
    def open(self) -> bool:
        """May a decision of the case be made (signed, issued)? Not major, or passed, or ruled to proceed."""
        return self.code in OPEN_STATUSES


def covered_decisions(sub: Submission) -> dict:
    """{record id: version number} of the draft decisions in the package of `sub`."""
    out = {}
    for item in sub.package.get("items", []):
        if item.get("id") == "draft_decision":
            for r in item.get("records", []):
                out[int(r["id"])] = int(r["version"])
    return out


def status(case) -> Status:
    if not is_major(case):
        return Status(NOT_MAJOR)
    sub = current_submission(case)
    if sub is None:
        return Status(NOT_SUBMITTED)
    review = review_of(sub)
    if review is None:
        code = WAITING_MATERIALS if open_request(sub) is not None else IN_REVIEW
        return Status(code, sub)
    if review.outcome == Outcome.AGREE:
        return Status(PASSED, sub, review, covered=covered_decisions(sub))
    dis = disagreement_of(review)
    if dis is None:
        return Status(NOT_PASSED, sub, review)
    ruling = ruling_of(dis)
    if ruling is None:
        return Status(DISAGREED, sub, review, dis)
    if ruling.conclusion == RulingConclusion.FOLLOW_UNIT:
        return Status(RULED_PASS, sub, review, dis, ruling, covered=covered_decisions(sub))
    return Status(RULED_REVIEW, sub, review, dis, ruling)


def gate_problem(case, record=None) -> str:
    """Why a decision (record, when given: this one at its latest version) of `case` may not be made
    now, in Chinese; "" when it may (LW-L 9, 18)."""
    st = status(case)
    if st.code == NOT_MAJOR:
        return ""
    if not st.open:
        return f"本案属于重大执法决定，{st.label}：未经法制审核或者审核未通过的，不得作出决定（LW-L 9、18；行政处罚法 58）。"
    if record is not None and st.covered:
        from liuhen.records.selectors import record_with_state

        version = record_with_state(record.pk).latest.number
        if st.covered.get(record.pk) != version:
            return ("本案属于重大执法决定，该决定书不是送审时的决定书（或送审后已修改），"
                    "须重新送法制审核（LW-L 9、18）。")
    return ""


def qualified(user) -> Qualification | None:
    return Qualification.objects.filter(user=user).order_by("-id").first()


def has_reviewed(user) -> bool:
    return Review.objects.filter(reviewer=user).exists()
