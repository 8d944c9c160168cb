"""What the legal review shows on the case page (cases/pages.py, registered in LegalReviewConfig.ready()):
in 审查决定 the 重大执法决定认定 (the system's proposal, the judgement criteria, the handler's conclusion and
its history), 送审 (the package checklist, the officers' 执法证), then the review as it goes — status,
clock, material requests, the reviewer's points and opinion, a disagreement and its ruling — with the
forms of whoever may act now; after 审查决定, the same read-only. The services decide; the forms are
offered only where they would be accepted by role (a refusal is still answered and recorded)."""
from liuhen.cases import access
from liuhen.cases.models import STAGE_ORDER, Stage
from liuhen.profiles import selectors as profiles
from liuhen.profiles.spec import PENALTY_LABELS
from liuhen.records.selectors import involved, states_for_case

from . import forms
from . import selectors as s
from . import services
from .clock import clock_of
from .models import Outcome, Submission

TEMPLATE = "legalreview/case_part.html"


def _shown(case) -> bool:
    """From 审查决定 on (the review belongs to it; later stages show it read-only)."""
    return case.is_archived or STAGE_ORDER.index(case.stage) >= STAGE_ORDER.index(Stage.DECISION)


def criteria_labels(case) -> dict:
    return {c.id: c.label for c in profiles.profile_for_case(case).major}


def resubmittable(code: str) -> bool:
    """送审 again after a review that did not pass (补充调查 and back), or the first time."""
    return code in (s.NOT_SUBMITTED, s.NOT_PASSED, s.RULED_REVIEW)


def review_view(sub) -> dict:
    """The submission's review as the pages show it: requests with answers, extension requests with
    decisions, the review, the disagreement and the ruling, the clock."""
    review = s.review_of(sub)
    dis = s.disagreement_of(review)
    return {
        "sub": sub,
        "clock": clock_of(sub),
        "requests": list(sub.requests.select_related("requested_by", "answer__answered_by").order_by("id")),
        "extensions": [(r, s.extension_decision(r)) for r in s.extension_requests(sub)],
        "review": review,
        "disagreement": dis,
        "ruling": s.ruling_of(dis),
    }


def discussions_for(case, dis) -> list:
    """The case's complete, not voided 集体讨论记录 made since the disagreement was raised (LW-L 17)."""
    return [st.record for st in states_for_case(case)
            if st.record.record_type.code == s.COLLECTIVE_CODE and st.complete and not st.voided
            and st.record.created_at >= dis.raised_at]


def may_rule(user, case) -> bool:
    return user.has_role(*profiles.profile_for_case(case).legal_review.ruling_roles) and not involved(user, case)


def case_page(user, case, *, can_work) -> dict:
    if not _shown(case):
        return {"legal_review": None}
    editable = case.stage == Stage.DECISION and not case.is_archived
    handler = editable and access.is_assigned(user, case)
    proposal = s.propose(case)
    st = s.status(case)
    history = s.assessments(case)
    if not history and st.submission is None and not proposal.major and not editable:
        return {"legal_review": None}  # a decision never major nor reviewed: nothing to show after the stage
    labels = criteria_labels(case)
    ctx = {
        "status": st,
        "editable": editable,
        "proposal": proposal,
        "penalty_label": PENALTY_LABELS.get(proposal.facts.get("penalty_kind") or "", ""),
        "history": [(a, [labels.get(c, c) for c in a.criteria + a.judged]) for a in history],
        "latest": history[0] if history else None,
        "package": s.package(case) if editable else [],
        "officers": s.officers_listed(case),
        "submissions": len(s.submissions(case)),
    }
    if handler and (st.code == s.NOT_MAJOR or resubmittable(st.code)):  # not while a review is under way or passed
        ctx["assess_form"] = forms.AssessForm(judgement=proposal.judgement, initial={
            "major": "1" if s.is_major(case, proposal) else "0",
            "judged": history[0].judged if history else []})
        ctx["may_submit"] = s.is_major(case, proposal) and resubmittable(st.code) and not s.missing_items(ctx["package"])
        ctx["submit_form"] = forms.SubmitForm()
    sub = st.submission or (s.current_submission(case) if st.code != s.NOT_MAJOR else None)
    if sub is not None:
        ctx.update(review_view(sub))
        if handler and s.open_request(sub) is not None:
            ctx["answer_form"] = forms.AnswerForm()
        review = ctx["review"]
        if (editable and review is not None and review.outcome != Outcome.AGREE and ctx["disagreement"] is None
                and services._may_disagree(user, case)):
            ctx["disagree_form"] = forms.DisagreeForm()
        if ctx["disagreement"] is not None and ctx["ruling"] is None and may_rule(user, case):
            ctx["ruling_form"] = forms.RulingForm(discussions=discussions_for(case, ctx["disagreement"]))
    return {"legal_review": ctx}


def document_rows(record) -> list[tuple[str, str]]:
    """法制审核意见书 (documents): the review points one by one, the outcome and the opinion, printed
    after the record's fields (送审事项, 送审材料); nothing before the review is signed."""
    sub = Submission.objects.filter(record=record).first()
    review = s.review_of(sub) if sub is not None else None
    if review is None:
        return []
    rows = [(f"{i}. {p['label']}", p["verdict"] + (f"。{p['note']}" if p["note"] else ""))
            for i, p in enumerate(review.points, 1)]
    return [("审核要点", "")] + rows + [("审核结论", review.outcome), ("审核意见", review.opinion)]


def register() -> None:
    from liuhen.cases import pages as case_pages
    from liuhen.documents.render import register_document_extra

    case_pages.register_case_page(case_page)
    case_pages.register_case_part(TEMPLATE)
    register_document_extra(s.SUBMISSION_CODE, document_rows)
