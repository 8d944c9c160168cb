"""The legal review read in bulk (a few queries for any number of cases): what the oversight scan,
我的待办 and the 待审核 list need of each case's latest 送审 — one shape (ReviewFacts) for the clock's
rule (clock.clock_from) wherever it is computed."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from liuhen.common.batches import in_batches

from .models import ExtensionDecision, MaterialRequest, Review, Submission


@dataclass
class ReviewFacts:
    """The case's latest 法制审核送审 (legalreview.Submission) as its clock and F010 read it: when it
    was submitted and reviewed, the outcome, the handling unit's disagreement and the head's ruling,
    whether an extension was approved (LW-L 16), and each material request (LW-L 12) as
    (requested_at, answered_at or None), oldest first."""

    submission_id: int
    submitted_at: datetime.datetime
    reviewed_at: datetime.datetime | None = None
    outcome: str = ""
    disagreed: bool = False
    ruling: str = ""  # legalreview RulingConclusion value, "" before any
    extended: bool = False
    requests: list = field(default_factory=list)


def review_facts(case_ids, *, submission_ids=None) -> dict[int, ReviewFacts]:
    """{case id: ReviewFacts} of the latest 送审 of each case (or, given `submission_ids`, of those
    submissions) with its review, disagreement, ruling, approved extension and material requests:
    four queries a batch."""
    subs: dict[int, ReviewFacts] = {}
    by_case: dict[int, ReviewFacts] = {}
    ids = list(case_ids if submission_ids is None else submission_ids)
    for chunk in in_batches(ids):
        rows = Submission.objects.filter(**({"case_id__in": chunk} if submission_ids is None else {"id__in": chunk}))
        for sid, cid, at in rows.order_by("id").values_list("id", "case_id", "submitted_at"):
            by_case[cid] = ReviewFacts(sid, at)  # the latest of the case counts
    for rf in by_case.values():
        subs[rf.submission_id] = rf
    for chunk in in_batches(list(subs)):
        for sid, at, outcome, dis, ruling in Review.objects.filter(submission_id__in=chunk).values_list(
                "submission_id", "reviewed_at", "outcome", "disagreement__id", "disagreement__ruling__conclusion"):
            rf = subs[sid]
            rf.reviewed_at, rf.outcome, rf.disagreed, rf.ruling = at, outcome, dis is not None, ruling or ""
        for sid, at, answered in MaterialRequest.objects.filter(submission_id__in=chunk).order_by("id").values_list(
                "submission_id", "requested_at", "answer__answered_at"):
            subs[sid].requests.append((at, answered))
        for sid in ExtensionDecision.objects.filter(request__submission_id__in=chunk, approved=True).values_list(
                "request__submission_id", flat=True):
            subs[sid].extended = True
    return by_case
