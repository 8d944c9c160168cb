"""The ledger's vocabulary (issue 12 §7): read actions by full name, declared by the apps; the
LoggedEvent the checkers receive; stable finding codes. And one replay in ledger/core, used by
`liuhen verify` and by the offline bundle checker alike."""
import pytest
from django.db import transaction

from liuhen.ledger import services as ledger
from liuhen.ledger import storage, subjects
from liuhen.ledger import verify as verify_mod
from liuhen.ledger import vocabulary as vocab
from liuhen.ledger.core import bundle, replay, tree
from liuhen.ledger.core.canonical import canonical_bytes
from liuhen.ledger.core.hashing import leaf_hash
from liuhen.ledger.models import Sequenced
from liuhen.ledger.verify import verify_log

from liuhen.testing.tampering import drop_append_only, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


# ---- read actions -------------------------------------------------------------------------------

# Outside any transaction: the test's own transaction would make every append look inside one.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", sorted(vocab.DEFAULT_READ_ACTIONS))
def test_every_existing_read_action_may_be_logged_outside_a_transaction(action):
    ledger.append(action, object_type="test", object_id=1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["records.preview", "evil.view", "x.export", "login"])
def test_a_write_named_like_a_read_still_needs_its_transaction(action):
    """The old rule took any action whose last dotted part was "view", "export", … for a read."""
    with pytest.raises(RuntimeError, match="transaction.atomic"):
        ledger.append(action, object_type="test", object_id=1)


@pytest.mark.django_db(transaction=True)
def test_an_app_declares_its_read_actions(monkeypatch):
    monkeypatch.setattr(vocab, "_read_actions", set(vocab._read_actions))
    with pytest.raises(RuntimeError):
        ledger.append("cases.export_list", object_type="test", object_id=1)
    vocab.register_read_actions("cases.export_list")
    ledger.append("cases.export_list", object_type="test", object_id=1)
    assert vocab.is_read("cases.export_list")
    with pytest.raises(ValueError):
        vocab.register_read_actions("*.export")  # full names only


# ---- what the checkers receive ------------------------------------------------------------------

def test_checkers_receive_logged_events(verified_world, monkeypatch):
    seen = []
    real = verify_mod.check_subjects

    def spy(events):
        for _, evs in events["case"].items():
            seen.extend(evs)
        return real(events)

    monkeypatch.setattr(verify_mod, "check_subjects", spy)
    verified_world.open_case()
    storage.integrate_all()
    assert verify_log().ok
    ev = seen[0]
    assert isinstance(ev, vocab.LoggedEvent)
    assert (ev[0], ev[1], ev[2]) == (ev.seq, ev.entry_id, ev.event) and isinstance(ev.seq, int)
    assert subjects.finding("altered", "m", "case:1", ev)["entry_id"] == ev.entry_id  # index-compatible


# ---- finding codes ------------------------------------------------------------------------------

def test_the_ledgers_own_findings_carry_their_codes(verified_world):
    drop_append_only("ledger_sequenced", "ledger_entry")
    last = Sequenced.objects.order_by("-seq").first()
    sql("DELETE FROM ledger_sequenced WHERE seq = %s", [last.seq])  # the last leaf, gone
    report = verify_log()
    codes = {f.code for f in report.findings}
    assert {vocab.TRUNCATED, vocab.STATE_SIZE, vocab.TILE_MISMATCH, vocab.ENTRY_INSERTED} <= codes, \
        [str(f) for f in report.findings]
    assert all(f.code for f in report.findings)


def test_codes_are_unique():
    codes = [v for k, v in vars(vocab).items() if k.isupper() and isinstance(v, str) and v.startswith("ledger.E")]
    assert len(codes) == len(set(codes)) and subjects.UNREADABLE_CODE not in codes


# ---- one replay ---------------------------------------------------------------------------------

def _leaf(i):
    return canonical_bytes({"v": 1, "action": "test.write", "object": {"type": "t", "id": str(i), "version": None},
                            "actor": None, "content_sha256": "", "blobs": [], "detail": {}})


def test_replay_finds_gaps_roots_non_events_truncation_and_uncovered_leaves():
    leaves = [_leaf(i) for i in range(5)]
    leaves[1] = b"not json"
    root4 = tree.root_from_leaf_hashes([leaf_hash(x) for x in leaves[:4]])
    r = replay.Replay("sha256", {4: root4, 2: b"\0" * 32})
    for k, leaf in enumerate(leaves):
        r.add(k if k < 3 else k + 1, leaf)  # index 3 skipped
    r.finish()
    kinds = [(i.kind, i.seq, i.size) for i in r.issues]
    assert kinds == [("root", 1, 2), ("not_event", 1, None), ("gap", 4, None), ("uncovered", None, None)]
    assert r.issues[-1].first == 4 and r.issues[-1].last == 4
    short = replay.Replay("sha256", {4: root4})
    short.add(0, leaves[0])
    short.finish()
    assert [(i.kind, i.size) for i in short.issues] == [("truncated", 4)]


def test_verify_and_the_bundle_checker_use_the_one_replay():
    assert verify_mod.Replay is replay.Replay and bundle.Replay is replay.Replay
    assert verify_mod._parse is replay.parse_event and verify_mod._malformed is replay.malformed


def test_a_leaf_the_server_finds_malformed_the_bundle_does_too(verified_world, tmp_path):
    """One notion of a well-formed event: a leaf whose object is a string."""
    from liuhen.ledger.exports import export_bundle

    bad = canonical_bytes({"v": 1, "action": "test.write", "object": "not an object", "detail": {}})
    with transaction.atomic():
        e = ledger.append("test.write", object_type="test", object_id=1)
    drop_append_only("ledger_entry")
    sql("UPDATE ledger_entry SET leaf = %s, leaf_hash = %s WHERE id = %s", [bad, leaf_hash(bad).hex(), e.pk])
    export_bundle(tmp_path / "b")
    seq = Sequenced.objects.get(entry_id=e.pk).seq
    assert any(f.code == vocab.LEAF_NOT_EVENT and f.seq == seq for f in verify_log().findings)
    assert f"leaf {seq}: not a canonical JSON event" in bundle.verify_bundle(tmp_path / "b")
