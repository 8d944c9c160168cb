"""The legal review's gate (LW-L 9, 18: 未经法制审核或者审核未通过的，不得作出决定), enforced where a
decision is made, not shown as a warning: signing a decision document (records.sign_checks), issuing
and sealing it (documents.issue_checks), and leaving 审查决定 (cases.gates). Registered in ready()."""
import contextvars
from contextlib import contextmanager

from django.core.exceptions import ValidationError

from liuhen.cases.gates import Problem
from liuhen.cases.models import Stage

from . import selectors as s


def _decision(record) -> bool:
    return record.record_type.code in s.DECISION_CODES


_REVIEWING = contextvars.ContextVar("legalreview_reviewing", default=None)


@contextmanager
def reviewing(record_id: int):
    """Inside services.review: the reviewer's signature on this submission's record is the review's."""
    token = _REVIEWING.set(record_id)
    try:
        yield
    finally:
        _REVIEWING.reset(token)


def sign_check(actor, record, role) -> None:
    if record.record_type.code == s.SUBMISSION_CODE and role == "reviewer" and _REVIEWING.get() != record.pk:
        from .models import Submission

        # A submitted matter is reviewed point by point (LW-L 13) on the review page, which signs the
        # record with the outcome: a bare signature here would leave the review without its points.
        if Submission.objects.filter(record=record).exists():
            raise ValidationError("该法制审核意见须在法制审核页面逐项审核后出具（LW-L 13）。", code="review_page")
    if not _decision(record):
        return
    problem = s.gate_problem(record.case, record)
    if problem:
        raise ValidationError(problem, code="legal_review_required")


def issue_check(actor, record) -> None:
    if not _decision(record):
        return
    problem = s.gate_problem(record.case, record)
    if problem:
        raise ValidationError(problem, code="legal_review_required")


def stage_gate(case, stage, entered, *, closing=False) -> list:
    if stage != Stage.DECISION or closing:
        return []
    problem = s.gate_problem(case)
    return [Problem(problem, stage=stage)] if problem else []


def register() -> None:
    from liuhen.cases import gates
    from liuhen.documents import issue_checks
    from liuhen.records import sign_checks

    sign_checks.register_sign_check(sign_check)
    issue_checks.register_issue_check(issue_check)
    gates.register_gate("legalreview", stage_gate)
