"""Writes of the legal review (重大执法决定法制审核), each a row and its ledger event in one transaction;
each refusal is recorded (legalreview.refused: the act and its codes, never the text).

- assess: the handler confirms the system's proposal (major or not) or overrides it with a reason (LW-L 7);
- submit: the package, refused while an item is missing (LW-L 11-12); makes the 法制审核意见 record;
- request_materials / answer_request: the reviewer asks for more by a date, the handlers supply it (LW-L 11);
- request_extension / decide_extension: once, with the head's approval (LW-L 16);
- review: the points one by one, the outcome and the opinion; signs the record as 法制审核人员 (LW-L 13, 15);
- disagree / rule: the handling unit's other opinion, the head's decision after the collective discussion (LW-L 17);
- record_qualification: a reviewer's 法律职业资格 (行政处罚法 58).
"""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.accounts.services import require_valid_certificate
from liuhen.cases import access
from liuhen.cases.models import Case, Stage
from liuhen.common import text
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.profiles import selectors as profiles
from liuhen.records import services as records
from liuhen.records.models import Record, RecordType, SignerRole
from liuhen.records.selectors import involved, record_with_state
from liuhen.workdays import calendar

from . import gates
from . import selectors as s
from . import vocabulary as v
from .models import (
    Assessment, Disagreement, ExtensionDecision, ExtensionRequest, MaterialAnswer, MaterialRequest, Outcome,
    Qualification, Review, Ruling, RulingConclusion, Submission, Verdict,
)

MAX_TEXT = 2000


def _about_case(actor, case=None, *rest):
    return "case", getattr(case, "pk", "") or ""


def _about_submission(actor, sub=None, *rest):
    return Submission.ledger_object_type, getattr(sub, "pk", "") or ""


_log = ledger.append_row  # the row's event: its type, id and state digest


def _text(value, label: str, *, required: bool = True, max_length: int = MAX_TEXT) -> str:
    value = text.clean(value or "", label, multiline=True, max_length=max_length).strip()
    if required and not value:
        raise ValidationError(f"请填写{label}。", code="required")
    return value


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _in_decision(case: Case) -> None:
    if case.stage != Stage.DECISION:
        raise ValidationError("只有处于审查决定阶段的案件可以办理法制审核。", code="stage")


def _as_handler(actor, case: Case) -> None:
    """The handler's acts (认定、送审、补充材料): an officer of the case with a valid 执法证 (LC 10)."""
    access.check_work(actor, case)
    if not access.is_assigned(actor, case):
        raise PermissionDenied("只有本案承办人员可以办理。")
    require_valid_certificate(actor)


def _as_reviewer(actor, case: Case) -> None:
    access.check_view_to_act(actor, case)
    if not actor.has_role(Role.LEGAL_REVIEWER):
        raise PermissionDenied("只有法制审核人员可以审核。")
    if involved(actor, case):
        # Nobody reviews their own case (issue 12 §2; LW-L 5: the review is independent of the handling).
        raise PermissionDenied("您办理过本案（承办、立案或制作记录），不能审核本案。")


def _as_head(actor, case: Case, roles, what: str) -> None:
    access.check_view_to_act(actor, case)
    if not actor.has_role(*roles):
        raise PermissionDenied(f"只有{'、'.join(Role(r).label for r in roles)}可以{what}。")
    if involved(actor, case):
        raise PermissionDenied(f"您办理过本案，不能{what}。")


def _spec(case):
    return profiles.profile_for_case(case).legal_review


# ---- 认定 -------------------------------------------------------------------------------------------

@refusals.records_refusals(v.REFUSED, "assess", _about_case)
@transaction.atomic
def assess(actor, case: Case, *, major: bool, judged=(), reason: str = "") -> Assessment:
    """The handler's conclusion on whether the decision is major (LW-L 7): the system's proposal from
    the facts, the judgement criteria ticked (`judged`: ids of the profile's criteria the system does
    not compute), and `major`. A conclusion other than what the proposal and the ticks say needs a reason."""
    case = _lock(case)
    _as_handler(actor, case)
    _in_decision(case)
    proposal = s.propose(case)
    judgement_ids = {c.id for c in proposal.judgement}
    judged = [j for j in dict.fromkeys(judged or ())]
    unknown = [j for j in judged if j not in judgement_ids]
    if unknown:
        raise ValidationError("所选情形不是本机关重大执法决定标准中的情形。", code="unknown_criterion")
    suggested = proposal.major or bool(judged)
    reason = _text(reason, "理由", required=False, max_length=500)
    if bool(major) != suggested and not reason:
        raise ValidationError("认定结论与系统建议不同，必须说明理由。", code="reason_required")
    row = Assessment.objects.create(case=case, proposed=proposal.major, criteria=[c.id for c in proposal.met],
                                    judged=judged, facts=proposal.facts, major=bool(major), reason=reason,
                                    decided_by=actor)
    row = Assessment.objects.get(pk=row.pk)
    _log(v.ASSESS, actor, row, case=case.pk, proposed=row.proposed, major=row.major, criteria=row.criteria,
         judged=row.judged)
    return row


# ---- 送审 -------------------------------------------------------------------------------------------

def _package_json(case, lines) -> dict:
    items = []
    for ln in lines:
        items.append({"id": ln.item.id, "label": ln.item.label, "records": [
            {"id": st.record.pk, "serial": st.record.serial, "code": st.record.record_type.code,
             "name": st.record.record_type.name, "version": st.latest.number, "sha256": st.latest.content_sha256,
             "complete": st.complete}
            for st in ln.states]})
    return {"items": items, "officers": s.officers_listed(case)}


def _materials_text(lines) -> str:
    parts = []
    for ln in lines:
        if ln.states:
            names = "、".join(f"{st.record.record_type.name}（第{st.record.serial}号）" for st in ln.states)
            parts.append(f"{ln.item.label}：{names}")
    return "\n".join(parts)


@refusals.records_refusals(v.REFUSED, "submit", _about_case)
@transaction.atomic
def submit(actor, case: Case, *, note: str = "") -> Submission:
    """送审 (LW-L 11-12): refused while a required item of the package is missing (the message lists
    them), while a review of this pass is under way or has passed, or for a case not assessed major.
    Makes the case's 法制审核意见 record (the officers' part: the matter and the materials), which the
    reviewer signs; the review clock runs from it (LW-L 16)."""
    case = _lock(case)
    _as_handler(actor, case)
    _in_decision(case)
    if not s.is_major(case):
        raise ValidationError("本案未认定为重大执法决定，无需送法制审核；如属重大执法决定，请先认定。",
                              code="not_major")
    current = s.current_submission(case)
    if current is not None:
        review = s.review_of(current)
        if review is None:
            raise ValidationError("本案已送法制审核，审核尚未完成。", code="pending")
        if review.outcome == Outcome.AGREE:
            raise ValidationError("本案的法制审核已通过，无需再次送审。", code="passed")
        dis = s.disagreement_of(review)
        if dis is not None and s.ruling_of(dis) is None:
            raise ValidationError("承办机构的不同意见尚待集体讨论决定。", code="disagreement_pending")
    note = _text(note, "送审说明", required=False)
    lines = s.package(case)
    missing = s.missing_items(lines)
    if missing:
        raise ValidationError("送审材料不齐全，缺少：" + "；".join(m.label for m in missing) + "（LW-L 11）。",
                              code="incomplete")
    rt = RecordType.objects.get(code=s.SUBMISSION_CODE)
    matter = f"{case.title}：拟作出的决定是否合法、适当（重大执法决定法制审核）"
    record = records.create_record(actor, case, rt, {"matter": matter, "materials": _materials_text(lines)})
    sub = Submission.objects.create(case=case, record=record, package=_package_json(case, lines), note=note,
                                    submitted_by=actor)
    sub = Submission.objects.get(pk=sub.pk)
    _log(v.SUBMIT, actor, sub, case=case.pk, record=record.pk,
         items={it["id"]: [r["id"] for r in it["records"]] for it in sub.package["items"]})
    return sub


# ---- 补充材料 ----------------------------------------------------------------------------------------

def _open_submission(sub: Submission) -> None:
    if s.review_of(sub) is not None:
        raise ValidationError("该次送审已审核完毕。", code="reviewed")
    if s.current_submission(sub.case) != sub:
        raise ValidationError("该次送审已不是本案当前的送审。", code="stale")


@refusals.records_refusals(v.REFUSED, "request", _about_submission)
@transaction.atomic
def request_materials(actor, sub: Submission, *, what: str, days: int | None = None) -> MaterialRequest:
    """The reviewer asks for more materials (LW-L 11: 在指定期限内提交), to be supplied within `days` working days
    (default: the profile's materials_days)."""
    case = _lock(sub.case)
    _as_reviewer(actor, case)
    _open_submission(sub)
    if s.open_request(sub) is not None:
        raise ValidationError("上一次补充材料通知尚未答复。", code="request_open")
    what = _text(what, "需补充的材料")
    days = _spec(case).materials_days if days in (None, "") else days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
        raise ValidationError("补充期限应为1到60个工作日。", code="days")
    due_on = calendar.add_working_days(timezone.localdate(), days)
    if due_on is None:
        raise ValidationError("工作日历缺少所需年度的节假日安排，无法计算补充期限。", code="calendar")
    row = MaterialRequest.objects.create(submission=sub, what=what, due_on=due_on, requested_by=actor)
    row = MaterialRequest.objects.get(pk=row.pk)
    _log(v.REQUEST, actor, row, submission=sub.pk, case=case.pk, due_on=due_on.isoformat())
    return row


@refusals.records_refusals(v.REFUSED, "answer", lambda actor, req=None, *rest: (
    MaterialRequest.ledger_object_type, getattr(req, "pk", "") or ""))
@transaction.atomic
def answer_request(actor, req: MaterialRequest, *, note: str) -> MaterialAnswer:
    """The handlers supply what was asked: a note, and the records made in the case since the request."""
    case = _lock(req.submission.case)
    _as_handler(actor, case)
    if MaterialAnswer.objects.filter(request=req).exists():
        raise ValidationError("该补充材料通知已答复。", code="answered")
    _open_submission(req.submission)
    note = _text(note, "补充说明")
    added = [{"id": r.pk, "serial": r.serial, "code": r.record_type.code}
             for r in Record.objects.filter(case=case, created_at__gte=req.requested_at).select_related("record_type")
             .order_by("id")]
    row = MaterialAnswer.objects.create(request=req, note=note, records=added, answered_by=actor)
    row = MaterialAnswer.objects.get(pk=row.pk)
    _log(v.ANSWER, actor, row, request=req.pk, case=case.pk, records=[r["id"] for r in added])
    return row


# ---- 延长审核期限 ------------------------------------------------------------------------------------

@refusals.records_refusals(v.REFUSED, "extend_request", _about_submission)
@transaction.atomic
def request_extension(actor, sub: Submission, *, reason: str) -> ExtensionRequest:
    """The reviewer asks to extend the clock (LW-L 16: 案件复杂的…可延长), once."""
    case = _lock(sub.case)
    _as_reviewer(actor, case)
    _open_submission(sub)
    spec = profiles.profile_for_case(case).deadline(_spec(case).deadline)
    if spec is None or spec.extension is None:
        raise ValidationError("本机关的法制审核期限不可延长。", code="no_extension")
    if s.approved_extension(sub) is not None:
        raise ValidationError("审核期限已经延长过一次，不能再次延长（LW-L 16）。", code="second_extension")
    if s.pending_extension(sub) is not None:
        raise ValidationError("延长审核期限的申请尚待审批。", code="extension_pending")
    reason = _text(reason, "延长理由", max_length=500)
    row = ExtensionRequest.objects.create(submission=sub, reason=reason, requested_by=actor)
    row = ExtensionRequest.objects.get(pk=row.pk)
    _log(v.EXTEND_REQUEST, actor, row, submission=sub.pk, case=case.pk)
    return row


@refusals.records_refusals(v.REFUSED, "extend_decide", lambda actor, req=None, *rest: (
    ExtensionRequest.ledger_object_type, getattr(req, "pk", "") or ""))
@transaction.atomic
def decide_extension(actor, req: ExtensionRequest, *, approved: bool, opinion: str = "") -> ExtensionDecision:
    """The head approves or refuses the extension (LW-L 16); a refusal states why."""
    case = _lock(req.submission.case)
    _as_head(actor, case, _spec(case).extension_roles, "审批延长审核期限")
    if ExtensionDecision.objects.filter(request=req).exists():
        raise ValidationError("该申请已审批。", code="decided")
    _open_submission(req.submission)
    if approved and s.approved_extension(req.submission) is not None:
        raise ValidationError("审核期限已经延长过一次，不能再次延长（LW-L 16）。", code="second_extension")
    opinion = _text(opinion, "意见", required=not approved, max_length=500)
    row = ExtensionDecision.objects.create(request=req, approved=bool(approved), opinion=opinion, decided_by=actor)
    row = ExtensionDecision.objects.get(pk=row.pk)
    _log(v.EXTEND_DECIDE, actor, row, request=req.pk, case=case.pk, approved=row.approved)
    return row


# ---- 审核 -------------------------------------------------------------------------------------------

def clean_points(points: dict) -> list[dict]:
    """Every review point (selectors.REVIEW_POINTS) with a verdict; a point with a problem says what."""
    if not isinstance(points, dict):
        raise ValidationError("审核要点无效。", code="points")
    out, unanswered = [], []
    for pid, label in s.REVIEW_POINTS:
        got = points.get(pid) or {}
        verdict = (got.get("verdict") or "").strip()
        if verdict not in Verdict.values:
            unanswered.append(label)
            continue
        note = text.clean(got.get("note") or "", f"“{label}”的说明", multiline=True, max_length=1000).strip()
        if verdict == Verdict.PROBLEM and not note:
            raise ValidationError(f"审核要点“{label}”存在问题，请写明问题。", code="point_note")
        out.append({"id": pid, "label": label, "verdict": verdict, "note": note})
    if unanswered:
        raise ValidationError("以下审核要点尚未逐项审核：" + "；".join(unanswered) + "（LW-L 13）。", code="points_missing")
    return out


@refusals.records_refusals(v.REFUSED, "review", _about_submission)
@transaction.atomic
def review(actor, sub: Submission, *, points: dict, outcome: str, opinion: str) -> Review:
    """审核 (LW-L 13, 15): every point answered, one of the five outcomes, the opinion written (for every
    outcome), by a 法制审核人员 who did not work on the case and — where the profile asks it of a first
    review — holds the 法律职业资格 (行政处罚法 58). Signs the 法制审核意见 record in the same transaction."""
    case = _lock(sub.case)
    _as_reviewer(actor, case)
    _open_submission(sub)
    if s.open_request(sub) is not None:
        raise ValidationError("补充材料通知尚未答复，答复后再出具审核意见。", code="request_open")
    if _spec(case).qualification_first and not s.has_reviewed(actor) and s.qualified(actor) is None:
        raise PermissionDenied("初次从事法制审核的人员应当取得法律职业资格（行政处罚法第五十八条）："
                               "您的法律职业资格尚未登记。")
    if outcome not in Outcome.values:
        raise ValidationError(f"请选择审核结论（{'、'.join(Outcome.values)}）。", code="outcome")
    opinion = _text(opinion, "审核意见")
    cleaned = clean_points(points)
    problems = [p for p in cleaned if p["verdict"] == Verdict.PROBLEM]
    if outcome == Outcome.AGREE and problems:
        raise ValidationError("审核要点存在问题时不能选择“同意”：" + "；".join(p["label"] for p in problems) + "。",
                              code="agree_with_problems")
    # LW-L 15(五): 超出本机关管辖范围或涉嫌犯罪的，提出移送意见.
    if outcome == Outcome.TRANSFER and not any(p["id"] in ("crime", "ultra_vires") and p["verdict"] == Verdict.PROBLEM
                                               for p in cleaned):
        raise ValidationError("选择“移送”时，应在审核要点“涉嫌犯罪”或“超越职权”中写明存在的问题（LW-L 15）。",
                              code="transfer_without_reason")
    record = Record.objects.get(pk=sub.record_id)
    with gates.reviewing(record.pk):
        sig = records.sign_in_capacity(actor, record, SignerRole.REVIEWER, decision=outcome, opinion=opinion)
    row = Review.objects.create(submission=sub, signature=sig, points=cleaned, outcome=outcome, opinion=opinion,
                                reviewer=actor)
    row = Review.objects.get(pk=row.pk)
    _log(v.REVIEW, actor, row, submission=sub.pk, case=case.pk, outcome=outcome, signature=sig.pk,
         problems=[p["id"] for p in problems])
    return row


# ---- 分歧与集体讨论 ----------------------------------------------------------------------------------

def _may_disagree(actor, case) -> bool:
    if access.is_assigned(actor, case):
        return True
    return actor.has_role(Role.UNIT_HEAD) and actor.unit_id == case.unit_id and access.can_view(actor, case)


@refusals.records_refusals(v.REFUSED, "disagree", lambda actor, review=None, *rest: (
    Review.ledger_object_type, getattr(review, "pk", "") or ""))
@transaction.atomic
def disagree(actor, review: Review, *, opinion: str) -> Disagreement:
    """The handling unit (an officer of the case or the head of its unit) disagrees with a review that
    did not agree (LW-L 17); both opinions go to the agency head."""
    case = _lock(review.submission.case)
    access.check_view_to_act(actor, case)
    if case.is_archived:
        raise PermissionDenied("案件已归档，不能再修改。")
    if not _may_disagree(actor, case):
        raise PermissionDenied("只有本案承办人员或承办机构负责人可以提出不同意见。")
    if review.outcome == Outcome.AGREE:
        raise ValidationError("审核意见为“同意”，无需提出不同意见。", code="agreed")
    if Disagreement.objects.filter(review=review).exists():
        raise ValidationError("已对该审核意见提出过不同意见。", code="already")
    if s.current_submission(case) != review.submission:
        raise ValidationError("该审核意见已不是本案当前的审核意见。", code="stale")
    opinion = _text(opinion, "承办机构意见")
    row = Disagreement.objects.create(review=review, opinion=opinion, raised_by=actor)
    row = Disagreement.objects.get(pk=row.pk)
    _log(v.DISAGREE, actor, row, review=review.pk, case=case.pk)
    return row


@refusals.records_refusals(v.REFUSED, "rule", lambda actor, dis=None, *rest: (
    Disagreement.ledger_object_type, getattr(dis, "pk", "") or ""))
@transaction.atomic
def rule(actor, dis: Disagreement, *, discussion: Record, conclusion: str, opinion: str) -> Ruling:
    """The agency head's decision after the collective discussion (LW-L 17): the case's complete
    集体讨论记录 (minutes, participants, conclusion) is named; the conclusion follows the review or the unit."""
    case = _lock(dis.review.submission.case)
    _as_head(actor, case, _spec(case).ruling_roles, "对审核意见分歧作出决定")
    if Ruling.objects.filter(disagreement=dis).exists():
        raise ValidationError("已对该分歧作出决定。", code="decided")
    if conclusion not in RulingConclusion.values:
        raise ValidationError("请选择决定（采纳法制审核意见，或采纳承办机构意见）。", code="conclusion")
    if discussion is None or discussion.case_id != case.pk or discussion.record_type.code != s.COLLECTIVE_CODE:
        raise ValidationError("请选择本案的集体讨论记录。", code="discussion")
    st = record_with_state(discussion.pk)
    if st.voided or not st.complete:
        raise ValidationError("集体讨论记录尚未完成（参加人员、讨论内容、结论及负责人签字），不能据以作出决定。",
                              code="discussion_incomplete")
    if discussion.created_at < dis.raised_at:
        raise ValidationError("该集体讨论记录早于不同意见的提出，不是对本分歧的讨论。", code="discussion_early")
    opinion = _text(opinion, "意见")
    row = Ruling.objects.create(disagreement=dis, discussion=discussion, conclusion=conclusion, opinion=opinion,
                                decided_by=actor)
    row = Ruling.objects.get(pk=row.pk)
    _log(v.RULE, actor, row, disagreement=dis.pk, case=case.pk, discussion=discussion.pk, conclusion=conclusion)
    return row


# ---- 法律职业资格 ------------------------------------------------------------------------------------

@refusals.records_refusals(v.REFUSED, "qualify", lambda actor, user=None, *rest: ("user", getattr(user, "pk", "")))
@transaction.atomic
def record_qualification(actor, user, *, certificate_number: str, obtained_on: datetime.date) -> Qualification:
    """A 法制审核人员's 法律职业资格 (行政处罚法 58), recorded by a system administrator."""
    if not actor.has_role(Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有系统管理员可以登记法律职业资格。")
    if user.agency_id != actor.agency_id:
        raise PermissionDenied("只能登记本机关人员的法律职业资格。")
    if not user.has_role(Role.LEGAL_REVIEWER):
        raise ValidationError("只有法制审核人员需要登记法律职业资格。", code="not_reviewer")
    number = text.clean(certificate_number or "", "证书编号", max_length=40).strip()
    if not number:
        raise ValidationError("请填写法律职业资格证书编号。", code="required")
    if not isinstance(obtained_on, datetime.date) or obtained_on > timezone.localdate():
        raise ValidationError("取得日期无效。", code="date")
    row = Qualification.objects.create(user=user, certificate_number=number, obtained_on=obtained_on,
                                       recorded_by=actor)
    row = Qualification.objects.get(pk=row.pk)
    _log(v.QUALIFY, actor, row, user=user.pk)
    return row


def log_view(actor, case) -> None:
    ledger.append(v.VIEW, actor=actor, object_type="case", object_id=case.pk, detail={})
