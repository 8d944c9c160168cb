"""On the demo's data (21 cases of every stage, footage, refusals, legacy-free records): the
set-based record completion equals `state_of` record by record, and the engine's AV verdicts agree
with the case page's (avrules.selectors.case_av): an act the page shows 缺少 is a finding."""
import pytest

from liuhen.cases.models import Case
from liuhen.oversight import engine
from liuhen.oversight import vocabulary as v
from liuhen.records.bulk import record_facts
from liuhen.records.models import Record
from liuhen.records.selectors import states_of
from liuhen.testing.demo import demo_in_transaction, demo_snapshot

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    snapshot = demo_snapshot(tmp_path_factory, django_db_blocker)  # the run's one build (liuhen/testing/demo.py)
    blob_dir = tmp_path_factory.mktemp("demo") / "blobs"
    home = tmp_path_factory.mktemp("home")
    with demo_in_transaction(snapshot, home, blob_dir, django_db_blocker):
        yield blob_dir


@pytest.fixture
def demo(demo_data, db, settings):
    settings.LIUHEN_BLOB_DIR = demo_data
    return demo_data


def test_bulk_completion_equals_state_of_on_the_demo(demo):
    rows = dict((pk, (k, p)) for pk, k, p in Case.objects.values_list("pk", "kind", "procedure"))
    bulk = {f.id: f for fs in record_facts(list(rows), rows).values() for f in fs}
    states = states_of(Record.objects.all())
    assert len(states) == len(bulk) > 100
    for st in states:
        f = bulk[st.record.pk]
        assert (f.complete, f.missing, f.voided) == (st.complete, st.missing, st.voided), st.record


def test_the_engine_agrees_with_the_case_page_on_av(demo):
    from liuhen.avrules.selectors import case_av

    ids = list(Case.objects.values_list("pk", flat=True))
    computed = engine.evaluate(ids)
    for case in Case.objects.all():
        page = {str(a.record.pk) for a in case_av(case) if a.act.required and a.status in ("missing", "pending")}
        found = {f.subject_id for f in computed[case.pk][0] if f.code == v.AV_MISSING}
        assert found == page, case.number
