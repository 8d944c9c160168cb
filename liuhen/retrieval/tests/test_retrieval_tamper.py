"""`liuhen verify` holds retrieval's rows to what the log recorded: a slip's days stretched by SQL, an
approval slipped in that no head gave, a class lowered — each named with its code (retrieval.E0xx)."""
import pytest

from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.retrieval import services
from liuhen.retrieval import vocabulary as v
from liuhen.retrieval.models import Classification, Decision, RetrievalRequest
from liuhen.testing.cases import to_archived
from liuhen.testing.retrieval import archivist, staff_slip
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def kept(verified_world):
    world = verified_world
    case = to_archived(world)
    req = staff_slip(world, case, days=2)
    other = staff_slip(world, case, days=2, purpose="另案参考")
    record = case.records.order_by("serial").first()
    cls = services.classify(archivist(world), case, record.pk, "privacy")
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world, req, other, cls


def test_a_slips_days_stretched(kept):
    _world, req, _other, _cls = kept
    drop_append_only(RetrievalRequest._meta.db_table)
    sql(f"UPDATE {RetrievalRequest._meta.db_table} SET days = %s WHERE id = %s", [365, req.pk])
    assert found(verify_log(), "altered", f"retrieval_request:{req.pk}").code == "retrieval.E001"


def test_an_approval_no_head_gave(kept):
    world, _req, other, _cls = kept
    sql(f"INSERT INTO {Decision._meta.db_table} (request_id, approved, reason, decided_by_id, decided_at) "
        "VALUES (%s, %s, '', %s, CURRENT_TIMESTAMP)", [other.pk, True, world.agency_head.pk])
    forged = Decision.objects.get(request=other)
    assert found(verify_log(), "inserted", f"retrieval_decision:{forged.pk}").code == "retrieval.E005"


def test_a_class_lowered(kept):
    _world, _req, _other, cls = kept
    drop_append_only(Classification._meta.db_table)
    sql(f"UPDATE {Classification._meta.db_table} SET code = %s WHERE id = %s", ["public", cls.pk])
    assert found(verify_log(), "altered", f"retrieval_class:{cls.pk}").code == "retrieval.E013"


def test_the_vocabulary_labels_every_action():
    actions = {v.REQUEST, v.DECIDE, v.COPY, v.CLASSIFY, v.SECRET, v.VIEW, v.DOWNLOAD, v.REFUSED}
    assert actions == set(v.ACTION_LABELS) and v.READ_ACTIONS <= actions
    codes = [c for by in v.STATE_CODES.values() for c in by.values()]
    assert len(codes) == len(set(codes)) == 18


def test_a_copys_footage_swapped(verified_world, tmp_path):
    """The copy's list says which clip was handed over: another clip put in its place by SQL is caught."""
    from liuhen.retrieval.models import CopyItem
    from liuhen.testing.retrieval import approve, archived_with_footage, outsider_slip

    world = verified_world
    case, (a, b), _unlinked, _foreign = archived_with_footage(world, tmp_path)
    req = outsider_slip(world, case, footage_ids=[a.pk])
    approve(world, req)
    clip = services.make_copy(archivist(world), req).items.get(footage__isnull=False)
    integrate_all()
    assert verify_log().ok
    drop_append_only(CopyItem._meta.db_table)
    sql(f"UPDATE {CopyItem._meta.db_table} SET footage_id = %s WHERE id = %s", [b.pk, clip.pk])
    assert found(verify_log(), "altered", f"retrieval_copy_item:{clip.pk}").code == "retrieval.E010"
