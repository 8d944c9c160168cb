"""The record page's verify button: inclusion proofs of the record's events in the latest
signed checkpoint, checked with the auditor's verifier."""
import pytest

from liuhen.ledger.core import tree
from liuhen.ledger.models import Checkpoint, Entry, Sequenced
from liuhen.ledger.storage import integrate_all
from liuhen.records import services
from liuhen.records.models import RecordType

pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no tile cached from another test's tree


@pytest.fixture
def record(world):
    case = world.open_case()
    rt = RecordType.objects.get(code="start_approval")
    rec = services.create_record(world.officer, case, rt, {"reason": "巡查发现", "party": "王某",
                                                           "handler_opinion": "建议立案"})
    services.sign_as_officer(world.officer, rec)
    return rec


def test_proof_view_proves_every_event_of_the_record(client, world, record):
    client.force_login(world.officer)
    client.get(f"/records/{record.pk}/")  # a read: one more event to prove
    integrate_all()  # the integrator signs; a proof request only reads
    resp = client.get(f"/records/{record.pk}/proof/")
    assert resp.status_code == 200
    body = resp.content.decode()
    events = Entry.objects.filter(object_type="record", object_id=str(record.pk)).count()
    assert events == 3  # create, sign, view
    assert f"验证通过：本记录的 {events} 个日志条目均包含在已签名检查点中" in body
    ckpt = Checkpoint.objects.order_by("-id").first()
    assert ckpt is not None and f"规模 {ckpt.size}" in body and ckpt.root_hash in body
    assert Sequenced.objects.count() == ckpt.size  # integrated before proving


def test_an_event_not_yet_signed_is_pending_not_a_failure(client, world, record):
    """A proof request does not force a checkpoint: the view that led to it (or a signature made a
    second ago) waits for the integrator, and the page says so instead of "验证未通过"."""
    integrate_all()
    client.force_login(world.officer)
    client.get(f"/records/{record.pk}/")  # a read the integrator has not signed yet
    size = Checkpoint.objects.order_by("-id").first().size
    body = client.get(f"/records/{record.pk}/proof/").content.decode()
    assert "验证通过：本记录的 2 个日志条目均包含在已签名检查点中" in body
    assert "另有 1 个日志条目尚未并入已签名的树" in body and "验证未通过" not in body
    assert Checkpoint.objects.order_by("-id").first().size == size  # no checkpoint forced


def test_proofs_are_real(world, record):
    """What the page shows must verify independently — and fail for another leaf."""
    from liuhen.ledger import services as ledger

    ids = list(Entry.objects.filter(object_type="record", object_id=str(record.pk)).values_list("id", flat=True))
    integrate_all()  # the integrator signs; a proof request only reads
    result = ledger.prove(ids)
    root = bytes.fromhex(result["checkpoint"]["root"])
    size = result["checkpoint"]["size"]
    for p in result["proofs"]:
        assert p["ok"], p
        proof = [bytes.fromhex(h) for h in p["proof"]]
        tree.verify_inclusion(bytes.fromhex(p["leaf_hash"]), p["seq"], size, proof, root)
        with pytest.raises(tree.ProofError):
            tree.verify_inclusion(bytes(32), p["seq"], size, proof, root)


def test_proof_view_needs_access(client, world, record):
    client.force_login(world.outsider)
    assert client.get(f"/records/{record.pk}/proof/").status_code == 404  # as if it did not exist
