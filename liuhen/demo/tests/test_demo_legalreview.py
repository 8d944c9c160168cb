"""The demo's 重大执法决定法制审核 (liuhen/demo/legalreview.py, issue 17): the reviewer's 法律职业资格
and three major cases — one waiting for the review, one whose review was extended with the head's
approval, one reviewed with 变更 where the head, after the collective discussion, followed the unit —
each in the legal review's own status, its decision unsigned, and the clocks oversight computes
agreeing with the legal review's."""
from django.utils import timezone

from liuhen.legalreview import clock as lr_clock
from liuhen.legalreview import selectors as s
from liuhen.legalreview.models import Qualification, Submission
from liuhen.oversight.finding_models import Clock
from liuhen.records.models import Record



def _by_title(fragment):
    (sub,) = [x for x in Submission.objects.select_related("case") if fragment in x.case.title]
    return sub


def test_the_reviewer_is_qualified_and_three_major_cases_stand_where_the_story_left_them(demo):
    (q,) = Qualification.objects.select_related("user", "recorded_by")
    assert q.user.username == "zhenghui" and q.recorded_by.username == "hanlixin"
    assert Submission.objects.count() == 3
    waiting, extended, ruled = _by_title("恒泰建材"), _by_title("金山选矿"), _by_title("大兴石材")
    assert s.status(waiting.case).code == s.IN_REVIEW
    assert s.status(extended.case).code == s.IN_REVIEW and s.approved_extension(extended) is not None
    st = s.status(ruled.case)
    assert st.code == s.RULED_PASS and st.review.outcome == "变更"
    assert st.ruling.decided_by.username == "liujianguo"
    minutes = Record.objects.get(pk=st.ruling.discussion_id)
    assert minutes.signatures.filter(signer__username="liujianguo", role="leader").exists()
    for sub in (waiting, extended, ruled):
        assert s.is_major(sub.case) and s.propose(sub.case).major  # by the proposal's penalty
        decision = Record.objects.get(case=sub.case, record_type__code="decision")
        assert not decision.signatures.exists()  # the rights app's rules come first


def test_the_clocks_agree_with_the_legal_review_and_nothing_is_overdue(demo):
    now = timezone.now()
    for fragment in ("恒泰建材", "金山选矿", "大兴石材"):
        sub = _by_title(fragment)
        own = lr_clock.clock_of(sub, now)
        stored = Clock.objects.get(case=sub.case, deadline="legal_review")
        assert (stored.due_at, stored.extended) == (own.due_at, own.extended), fragment
        assert own.status in (lr_clock.RUNNING, lr_clock.MET), (fragment, own.status)
    assert lr_clock.clock_of(_by_title("金山选矿"), now).extended
