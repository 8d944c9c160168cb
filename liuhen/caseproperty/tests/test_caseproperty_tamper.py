"""`liuhen verify` holds caseproperty's rows to what the log recorded: an item's quantity lowered by SQL
(what went missing from the store hidden), a custody slipped in, an approval inserted that no head gave,
a handling's result deleted — each named with its code (caseproperty.E0xx)."""
import pytest
from django.utils import timezone

from liuhen.caseproperty import selectors as s
from liuhen.caseproperty import vocabulary as v
from liuhen.caseproperty.models import Custody, Handling, HandlingApproval, HandlingRequest, Item
from liuhen.testing.caseproperty import approved, handled, item, seized_case
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def kept(verified_world):
    world = verified_world
    case, seizure = seized_case(world)
    it = item(world, case, seizure, quantity="10", unit="吨", name="砂石")
    other = item(world, case, seizure, name="铲车")
    req = approved(world, case, [it])
    done = handled(world, req)
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world, case, it, other, req, done


def test_a_quantity_altered(kept):
    _world, _case, it, _other, _req, _done = kept
    drop_append_only(Item._meta.db_table)
    sql(f"UPDATE {Item._meta.db_table} SET quantity = %s WHERE id = %s", ["2", it.pk])
    f = found(verify_log(), "altered", f"caseproperty_item:{it.pk}",
              Entry.objects.get(action=v.REGISTER, object_id=str(it.pk)))
    assert f.code == "caseproperty.E001"


def test_a_custody_inserted(kept):
    world, _case, _it, other, _req, _done = kept
    sql(f"INSERT INTO {Custody._meta.db_table} (item_id, place, custodian, from_at, recorded_by_id, recorded_at)"
        " VALUES (%s, %s, %s, %s, %s, %s)", [other.pk, "私人车库", "某人", timezone.now(), world.officer.pk, timezone.now()])
    forged = Custody.objects.filter(item=other).order_by("-id").first()
    assert s.item_view(other).custody == forged  # the card would show it…
    assert found(verify_log(), "inserted", f"caseproperty_custody:{forged.pk}").code == "caseproperty.E005"  # …verify names it


def test_an_approval_inserted_and_a_result_deleted(kept):
    world, case, _it, other, req, done = kept
    forged_req = HandlingRequest.objects.create(case=case, item_ids=[other.pk], kind="销毁", reason="x",
                                                requested_by=world.officer)
    sql(f"INSERT INTO {HandlingApproval._meta.db_table} (request_id, approved, opinion, decided_by_id, decided_at)"
        " VALUES (%s, %s, %s, %s, %s)", [forged_req.pk, True, "", world.agency_head.pk, timezone.now()])
    drop_append_only(Handling._meta.db_table)
    sql(f"DELETE FROM {Handling._meta.db_table} WHERE id = %s", [done.pk])
    report = verify_log()
    forged = HandlingApproval.objects.get(request=forged_req)
    assert found(report, "inserted", f"caseproperty_request:{forged_req.pk}").code == "caseproperty.E008"
    assert found(report, "inserted", f"caseproperty_approval:{forged.pk}").code == "caseproperty.E011"
    assert found(report, "deleted", f"caseproperty_handling:{done.pk}").code == "caseproperty.E015"


def test_a_request_altered(kept):
    _world, _case, _it, other, req, _done = kept
    drop_append_only(HandlingRequest._meta.db_table)
    sql(f"UPDATE {HandlingRequest._meta.db_table} SET kind = %s WHERE id = %s", ["销毁", req.pk])
    assert found(verify_log(), "altered", f"caseproperty_request:{req.pk}").code == "caseproperty.E007"


def test_the_vocabulary_labels_every_action():
    actions = {v.REGISTER, v.CUSTODY, v.REQUEST, v.DECIDE, v.HANDLE, v.VIEW, v.REFUSED}
    assert actions == set(v.ACTION_LABELS) and v.READ_ACTIONS <= actions
    codes = [c for by in v.STATE_CODES.values() for c in by.values()]
    assert len(codes) == len(set(codes)) == 15
