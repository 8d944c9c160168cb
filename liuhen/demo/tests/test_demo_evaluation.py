"""The demo's 案卷评查 (liuhen/demo/evaluation.py) on a demo built once for the module: a round over
the archived files with its seed, scored files (one with deductions), one waiting, the unit's
objection and the supervisor's answer; the re-draw matches and `liuhen verify` is clean after it."""
import types

import pytest
from django.test import override_settings
from django.utils import timezone

from liuhen.testing.demo import demo_in_transaction, demo_snapshot

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    snapshot = demo_snapshot(tmp_path_factory, django_db_blocker)  # the run's one build (liuhen/testing/demo.py)
    blob_dir = tmp_path_factory.mktemp("demo") / "blobs"
    home = tmp_path_factory.mktemp("home")
    with demo_in_transaction(snapshot, home, blob_dir, django_db_blocker) as summary, \
            override_settings(LIUHEN_BLOB_DIR=blob_dir, LIUHEN_HOME=home):
        from liuhen.evaluation.models import Round

        if not Round.objects.exists():  # until builder.py calls demo/evaluation.py itself
            from liuhen.accounts.models import Agency, User
            from liuhen.demo import evaluation

            agency = Agency.objects.get()
            builder = types.SimpleNamespace(agency=agency, today=timezone.localdate(),
                                            people={u.username: u for u in User.objects.filter(agency=agency)})
            summary.update(evaluation.build(builder))
        yield summary, blob_dir, home


@pytest.fixture
def demo(demo_data, db, settings):
    summary, blob_dir, home = demo_data
    settings.LIUHEN_BLOB_DIR, settings.LIUHEN_HOME = blob_dir, home
    settings.PASSWORD_HASHERS = FAST_HASHER
    return summary


def test_the_demo_round_scores_and_answer(demo, client):
    from django.urls import reverse

    from liuhen.accounts.models import User
    from liuhen.evaluation import selectors, services
    from liuhen.evaluation.models import Answer, Round, Score

    round_ = Round.objects.get()
    assert demo["evaluation_rounds"] == 1 and round_.opened_by.username == "hezhiyuan"
    assert services.redraw(round_).match
    files = selectors.files_of(round_)
    scored = [f for f in files if f.score is not None]
    assert len(scored) == len(files) - 1 >= 1 and not services.is_closed(round_)
    if len(scored) > 1:
        assert any(r["deduction"] for r in scored[1].score.results) and scored[1].score.note
        answer = Answer.objects.get()
        assert answer.stance == "object" and answer.responses.count() == 1
        assert answer.answered_at > round_.opened_at
    assert Score.objects.filter(recorded_at__lt=round_.opened_at).count() == 0
    client.force_login(User.objects.get(username="hezhiyuan"))
    assert client.get(reverse("evaluation:round", args=[round_.pk])).status_code == 200


def test_verify_is_clean_after_the_demo(demo):
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log

    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings][:10]
