"""ledger.append(): canonical leaves, RFC 6962 leaf hashes, the request id, and the write rule."""
import datetime
import hashlib
import io
import json

import pytest
from django.db import transaction

from liuhen.common import context
from liuhen.ledger import services as ledger
from liuhen.ledger.core.canonical import canonical_bytes, content_sha256
from liuhen.ledger.core.hashing import leaf_hash, node_hash
from liuhen.ledger.models import Entry

from liuhen.testing.tampering import empty_ledger




@pytest.fixture
def request_ctx():
    ctx = context.RequestContext(request_id="req-5a1e-test", ip="10.1.2.3", channel="web")
    token = context.bind(ctx)
    yield ctx
    context.reset(token)


# ---- the write rule: no change without its entry in the same transaction --------------------


def new_entries(before: int):
    """The entries appended after `before` (a migrated log already holds the catalog sync's)."""
    return Entry.objects.filter(pk__gt=before).order_by("id")


def last_id() -> int:
    return Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_write_outside_a_transaction_raises_and_writes_nothing(transactional_db):
    from django.db import connection

    before = last_id()
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match=r"ledger.append\('record.create'\).*transaction.atomic"):
        ledger.append("record.create", object_type="record", object_id=1)
    assert not new_entries(before).exists()


def test_read_outside_a_transaction_is_appended(transactional_db):
    before = last_id()
    for action in ("record.view", "record.download", "access.denied"):
        ledger.append(action, object_type="record", object_id=7)
    assert list(new_entries(before).values_list("action", flat=True)) == [
        "record.view", "record.download", "access.denied"]


def test_write_inside_a_transaction_is_appended(transactional_db):
    before = last_id()
    with transaction.atomic():
        e = ledger.append("record.create", object_type="record", object_id=1)
    assert new_entries(before).get().pk == e.pk


def test_entry_rolls_back_with_its_write(transactional_db):
    before = last_id()
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            ledger.append("record.create", object_type="record", object_id=1)
            1 / 0
    assert not new_entries(before).exists()


# ---- the leaf -------------------------------------------------------------------------------


def test_leaf_is_canonical_utf8_json(world, request_ctx):
    with transaction.atomic():
        e = ledger.append("record.version", actor=world.officer, object_type="record", object_id=42,
                          object_version=2, content_sha256="ab" * 32, blobs=["ff" * 32, "00" * 32],
                          detail={"reason": "地点笔误", "zeta": 1, "alpha": [1, 2]})
    leaf = bytes(e.leaf)
    event = json.loads(leaf.decode("utf-8"))
    assert leaf == canonical_bytes(event)  # keys sorted, no white space
    assert leaf == json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    assert "地点笔误".encode("utf-8") in leaf and b"\\u" not in leaf  # Chinese unescaped
    assert b" " not in leaf and leaf.startswith(b'{"action":"record.version","actor":{')
    assert event["v"] == 1
    assert event["actor"] == {"id": world.officer.pk, "username": "zhang", "roles": ["officer"]}
    assert event["object"] == {"type": "record", "id": "42", "version": 2}
    assert event["content_sha256"] == "ab" * 32
    assert event["blobs"] == ["00" * 32, "ff" * 32]  # sorted
    assert event["detail"] == {"alpha": [1, 2], "reason": "地点笔误", "zeta": 1}
    assert event["request"] == {"id": "req-5a1e-test", "channel": "web", "ip": "10.1.2.3"}
    at = datetime.datetime.fromisoformat(event["time"])
    assert at.tzinfo is not None and abs((at - e.created_at).total_seconds()) < 1e-3
    assert e.action == "record.version" and e.actor_id == world.officer.pk
    assert e.object_type == "record" and e.object_id == "42" and e.object_version == 2


def test_leaf_hash_is_rfc6962(world):
    with transaction.atomic():
        e = ledger.append("case.create", actor=world.officer, object_type="case", object_id=1)
    leaf = bytes(e.leaf)
    assert e.leaf_hash == hashlib.sha256(b"\x00" + leaf).hexdigest()
    assert e.leaf_hash != hashlib.sha256(leaf).hexdigest()
    assert bytes(Entry.objects.get(pk=e.pk).leaf) == leaf  # stored bytes are the hashed bytes


def test_rfc6962_known_vectors():
    # RFC 6962 test vectors (certificate-transparency-go merkle tests): empty leaf, and a node.
    assert leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    left, right = leaf_hash(b"\x00"), leaf_hash(b"\x10")
    assert node_hash(left, right).hex() == hashlib.sha256(b"\x01" + left + right).hexdigest()
    assert leaf_hash(b"\x00").hex() == "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"


def test_sm3_by_configuration(world, settings):
    empty_ledger()  # a new log: its hash is fixed by its first write (test_log_identity)
    settings.LIUHEN_LEDGER_HASH = "sm3"
    with transaction.atomic():
        e = ledger.append("case.create", actor=world.officer, object_type="case", object_id=1)
    assert e.leaf_hash == leaf_hash(bytes(e.leaf), "sm3").hex() != hashlib.sha256(b"\x00" + bytes(e.leaf)).hexdigest()


def test_content_sha256_is_hash_of_canonical_form():
    obj = {"b": "检查", "a": [1, {"d": None, "c": True}]}
    assert canonical_bytes(obj) == '{"a":[1,{"c":true,"d":null}],"b":"检查"}'.encode()
    assert content_sha256(obj) == hashlib.sha256(canonical_bytes(obj)).hexdigest()
    assert content_sha256(obj) == content_sha256(dict(reversed(list(obj.items()))))


def test_system_event_has_no_actor(db):
    with transaction.atomic():
        e = ledger.append("records.sync", detail={"count": 3})
    assert e.actor_id is None and ledger.event_of(e)["actor"] is None


# ---- the request id -------------------------------------------------------------------------


def test_request_id_from_context_is_carried(world, request_ctx):
    with transaction.atomic():
        a = ledger.append("case.create", actor=world.officer, object_type="case", object_id=1)
        b = ledger.append("case.party_add", actor=world.officer, object_type="case", object_id=1)
    assert a.request_id == b.request_id == "req-5a1e-test"
    assert ledger.event_of(a)["request"]["id"] == "req-5a1e-test"


def test_each_context_has_its_own_request_id(db):
    ids = []
    for rid in ("req-one", "req-two"):
        token = context.bind(context.RequestContext(request_id=rid))
        try:
            with transaction.atomic():
                ids.append(ledger.append("case.create", object_type="case", object_id=1).request_id)
        finally:
            context.reset(token)
    assert ids == ["req-one", "req-two"]


def test_web_request_id_reaches_the_ledger(client, world):
    from liuhen.records import services as records
    from liuhen.records.models import RecordType

    case = world.open_case()
    record = records.create_record(world.officer, case, RecordType.objects.get(code="start_approval"),
                                   {"reason": "巡查发现", "party": "王某", "handler_opinion": "建议立案"})
    client.force_login(world.officer)
    response = client.get(f"/records/{record.pk}/")
    assert response.status_code == 200
    rid = response["X-Request-Id"]
    assert len(rid) == 32
    view = Entry.objects.get(action="record.view")
    assert view.request_id == rid
    assert ledger.event_of(view)["request"]["channel"] == "web"


# ---- trail ----------------------------------------------------------------------------------


def test_trail_returns_a_records_events_in_order(world):
    from liuhen.cases import services as cases
    from liuhen.cases.validators import id_check_char
    from liuhen.records import services as records
    from liuhen.records.models import RecordType, SignerRole

    case = world.open_case()
    cases.add_party(world.officer, case, kind="person", name="王某",
                    id_number="11010519491231002" + id_check_char("11010519491231002"))
    case = world.to_investigation(case)
    data = {"time": "2026-03-02T09:30", "place": "取水口", "certificates_shown": True, "findings": "正在取水"}
    record = records.create_record(world.officer, case, RecordType.objects.get(code="inspection_record"), data)
    other = records.create_record(world.officer, case, RecordType.objects.get(code="inspection_record"), data)
    records.revise_record(world.officer, record, {**data, "place": "二号取水口"}, "地点笔误")
    records.attach(world.officer, record, io.BytesIO(b"photo"), "p.jpg")
    records.log_view(world.officer2, record)
    records.sign_as_officer(world.officer, record)
    refusal = records.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name="王某",
                                             refused=True, reason="拒绝签字")
    records.confirm_refusal(world.officer2, refusal)
    records.void_record(world.officer, record, "重做")

    trail = ledger.trail("record", record.pk)
    assert [e["action"] for e in trail] == [
        "record.create", "record.version", "record.attach", "record.view", "record.sign", "record.refuse",
        "record.refusal_confirm", "record.void"]
    assert [e["object"]["version"] for e in trail] == [1, 2, 2, None, 2, 2, 2, None]
    assert [e["entry_id"] for e in trail] == sorted(e["entry_id"] for e in trail)
    assert all(isinstance(e["at"], datetime.datetime) for e in trail)
    assert [e["at"] for e in trail] == sorted(e["at"] for e in trail)
    assert trail[3]["actor"]["username"] == "li"
    assert trail[1]["detail"]["reason"] == "地点笔误"
    assert trail[1]["content_sha256"] == content_sha256({**record.versions.get(number=2).content})
    assert [e["action"] for e in ledger.trail("record", other.pk)] == ["record.create"]
    assert ledger.trail("record", 999999) == []


@pytest.mark.django_db
def test_append_refuses_names_wider_than_their_columns_on_every_database():
    with pytest.raises(ValueError, match="object_type"):
        with transaction.atomic():
            ledger.append("test.write", object_type="x" * 65, object_id=1)
    with pytest.raises(ValueError, match="object_id"):
        with transaction.atomic():
            ledger.append("test.write", object_type="test", object_id="9" * 65)
    assert not Entry.objects.filter(action="test.write").exists()


@pytest.mark.django_db(transaction=True)
def test_append_refuses_to_write_into_a_transaction_marked_for_rollback():
    from django.db import DatabaseError
    from django.db.transaction import TransactionManagementError

    with transaction.atomic():
        try:
            with transaction.atomic():
                ledger.append("test.write", object_type="test", object_id=1)
                raise DatabaseError("a failed write")
        except DatabaseError:
            pass
        transaction.set_rollback(True)
        with pytest.raises(TransactionManagementError):
            ledger.append("test.write", object_type="test", object_id=2)
