"""`liuhen verify` holds the legal review's rows to what the log recorded: a review slipped in by SQL
(which would open the gate of a major decision), an outcome altered, a submission deleted — each named
with its code (legalreview.E0xx)."""
import pytest
from django.utils import timezone

from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.legalreview import selectors as s
from liuhen.legalreview import services
from liuhen.legalreview import vocabulary as v
from liuhen.legalreview.models import Assessment, Review, Submission
from liuhen.testing.legalreview import major_case, points, qualify, submitted
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def reviewed(verified_world):
    world = verified_world
    sub = submitted(world)
    qualify(world)
    review = services.review(world.reviewer, sub, points=points(law="裁量过重"), outcome="变更", opinion="建议降低罚款。")
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world, sub, review


def test_an_outcome_altered_to_agree(reviewed):
    world, sub, review = reviewed
    table = Review._meta.db_table
    drop_append_only(table)
    sql(f"UPDATE {table} SET outcome = %s WHERE id = %s", ["同意", review.pk])
    assert s.status(sub.case).code == s.PASSED  # the gate would open…
    f = found(verify_log(), "altered", f"legal_review:{review.pk}",
              Entry.objects.get(action=v.REVIEW, object_id=str(review.pk)))
    assert f.code == "legalreview.E019"  # …and verify names it


def test_a_review_inserted(verified_world):
    world = verified_world
    sub = submitted(world)
    other = major_case(world)
    from liuhen.records.models import Signature

    sig = Signature.objects.filter(record__case=other).first()
    sql(f"INSERT INTO {Review._meta.db_table} (submission_id, signature_id, points, outcome, opinion, reviewer_id,"
        " reviewed_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        [sub.pk, sig.pk, "[]", "同意", "伪造", world.reviewer.pk, timezone.now()])
    forged = Review.objects.get(submission=sub)
    assert found(verify_log(), "inserted", f"legal_review:{forged.pk}").code == "legalreview.E020"


def test_a_submission_and_an_assessment_deleted(reviewed):
    world, sub, review = reviewed
    a = Assessment.objects.get(case=sub.case)
    drop_append_only(Assessment._meta.db_table)
    sql(f"DELETE FROM {Assessment._meta.db_table} WHERE id = %s", [a.pk])
    report = verify_log()
    assert found(report, "deleted", f"major_assessment:{a.pk}").code == "legalreview.E003"
    assert Submission.objects.filter(pk=sub.pk).exists()
