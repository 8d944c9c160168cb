"""Tree storage and the integrator, end to end against the database.

Consecutive leaf indexes, the stored right edge and root, tiles (also at a small tile width, to
reach several tile levels quickly), inclusion and consistency proofs read from the tiles and
checked by core.tree (and compared with proofs computed from the leaves directly), signed
checkpoints and their published file, SM3 and SM2 by configuration, the witness command, and the
offline bundle with its Django-free verifier.
"""
import base64
import hashlib
import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from liuhen.ledger import services as ledger
from liuhen.ledger import signing, storage
from liuhen.ledger import verify as verify_mod
from liuhen.ledger.core import bundle
from liuhen.ledger.core import checkpoint as cp
from liuhen.ledger.core import note as notes
from liuhen.ledger.core import tiles, tree
from liuhen.ledger.core.hashing import leaf_hash
from liuhen.ledger.exports import export_bundle
from liuhen.ledger.models import Checkpoint, Entry, LogState, Pending, Sequenced, Tile
from liuhen.ledger.verify import verify_log
from liuhen.ledger import vocabulary as vocab

from liuhen.testing.ledger import REPO, run_bundle_verifier, small_case  # noqa: F401
from liuhen.testing.tampering import empty_ledger



@pytest.fixture(autouse=True)
def home(request, settings, tmp_path):
    """Fresh signing keys and checkpoint directory; no full tile cached from another test's tree;
    an empty log (these tests count leaves from 0), where the test uses the database."""
    settings.LIUHEN_HOME = tmp_path / "home"
    storage._cache.clear()
    for db in ("transactional_db", "db"):
        if db in request.fixturenames:
            request.getfixturevalue(db)  # before this autouse fixture touches the database
            empty_ledger()
            break
    yield settings.LIUHEN_HOME
    storage._cache.clear()


def append_many(n: int, start: int = 0) -> list[Entry]:
    with transaction.atomic():
        return [ledger.append("test.write", object_type="test", object_id=start + i, detail={"i": start + i})
                for i in range(n)]


def announcements() -> list[int]:
    """Entry ids of the log's key announcements (the first is sequenced in the first batch)."""
    return list(Entry.objects.filter(action=vocab.KEY_ANNOUNCE).order_by("id").values_list("id", flat=True))


def leaf_hashes(algo="sha256") -> list[bytes]:
    """The leaf hashes in leaf order, recomputed from the stored leaf bytes."""
    return [leaf_hash(bytes(leaf), algo) for leaf in
            Sequenced.objects.order_by("seq").values_list("entry__leaf", flat=True)]


def stored_leaf_hashes() -> list[str]:
    return list(Sequenced.objects.order_by("seq").values_list("entry__leaf_hash", flat=True))


def reference_range_hash(hashes, algo="sha256"):
    memo = {}

    def range_hash(start, end):
        if (start, end) not in memo:
            memo[start, end] = tree.root_from_leaf_hashes(hashes[start:end], algo)
        return memo[start, end]

    return range_hash


def publish_all(capture):
    """integrate_all() and run its on-commit callbacks (the published checkpoint file)."""
    with capture(execute=True):
        return storage.integrate_all()


# ---- the integrator ---------------------------------------------------------------------------

# Uneven batches: partial tiles, a batch that ends exactly on a tile boundary, one that straddles
# two boundaries, single leaves just before and after a boundary.
# (The first batch also sequences the first key's announcement: sizes 2, 3, 8, 72, 255, 256, 511, 512, …)
BATCHES = [1, 1, 5, 64, 183, 1, 255, 1, 1, 300, 17, 250, 4, 256, 100]


def _integrate_in_uneven_batches(total: int, algo="sha256"):
    """Append `total` entries in a few transactions, integrate them in BATCHES; after each batch
    check indexes, the stored edge and root. Returns [(size, root)] after each batch."""
    entries = []
    for chunk in (total // 3, total // 3, total - 2 * (total // 3)):
        entries += append_many(chunk, start=len(entries))
    history = []
    size = 0
    batches = iter(BATCHES * 10)
    while size < total + 1:  # + the first key's announcement, sequenced in the first batch
        b = next(batches)
        n = storage.integrate(batch=b, sign=len(history) % 3 == 0)
        assert n == min(b + (1 if size == 0 else 0), total + 1 - size)
        size += n
        seqs = list(Sequenced.objects.order_by("seq").values_list("seq", "entry_id"))
        assert [s for s, _ in seqs] == list(range(size))  # consecutive from 0
        [announced] = announcements()
        assert seqs[BATCHES[0]][1] == announced  # last in the first batch
        assert [e for _, e in seqs if e != announced] == [e.pk for e in entries[:size - 1]]  # in the order written
        assert Pending.objects.count() == total + 1 - size
        state = LogState.objects.get()
        hashes = leaf_hashes(algo)
        root = tree.root_from_leaf_hashes(hashes, algo)
        assert state.size == size and state.root_hash == root.hex()
        edge = tree.CompactRange(algo)
        edge.extend(hashes)
        assert bytes(state.edge) == b"".join(edge.hashes)
        history.append((size, root))
    assert storage.integrate() == 0
    return history


def _check_tiles(hashes, algo="sha256"):
    """Every stored tile holds exactly the hashes the leaves give, level by level."""
    level, below = 0, hashes
    while below:
        width = tiles.TILE_WIDTH
        stored = {i: bytes(d) for i, d in Tile.objects.filter(level=level).values_list("index", "data")}
        expect = {t: b"".join(below[t * width:(t + 1) * width]) for t in range((len(below) + width - 1) // width)}
        assert stored == expect, f"tiles at level {level}"
        below = [tiles.tile_root(below[t * width:(t + 1) * width], algo)
                 for t in range(len(below) // width)]
        level += 1
    assert not Tile.objects.filter(level__gte=level).exists()
    return level


def _check_proofs(history, hashes, algo="sha256"):
    """Inclusion proofs at every size seen, for indexes around tile boundaries, and consistency
    proofs between every pair of sizes seen: read from the tiles, equal to the proofs computed
    from the leaves, and verified by core.tree against the roots of the time."""
    ref = reference_range_hash(hashes, algo)
    width = tiles.TILE_WIDTH
    checked = 0
    for size, root in history:
        assert ref(0, size) == root
        marks = {0, 1, size // 2, size - 2, size - 1}
        for k in range(1, size // width + 2):
            marks |= {k * width - 1, k * width, k * width + 1}
        for index in sorted(m for m in marks if 0 <= m < size):
            proof = storage.inclusion_proof(index, size)
            assert proof == tree.inclusion_proof(index, size, ref)
            tree.verify_inclusion(hashes[index], index, size, proof, root, algo=algo)
            if size > 1:
                with pytest.raises(tree.ProofError):
                    tree.verify_inclusion(hashes[(index + 1) % size], index, size, proof, root, algo=algo)
            checked += 1
        for old_size, old_root in history:
            if old_size > size:
                continue
            proof = storage.consistency_proof(old_size, size)
            assert proof == tree.consistency_proof(old_size, size, ref)
            tree.verify_consistency(old_size, size, old_root, root, proof, algo=algo)
            if old_size < size:
                with pytest.raises(tree.ProofError):
                    tree.verify_consistency(old_size, size, leaf_hash(b"forged"), root, proof, algo=algo)
            checked += 1
    return checked


def test_integrate_assigns_consecutive_indexes_and_proofs_verify(db):
    history = _integrate_in_uneven_batches(700)
    hashes = leaf_hashes()
    assert [h.hex() for h in hashes] == stored_leaf_hashes()
    assert _check_tiles(hashes) == 2  # two full level-0 tiles give a level-1 tile of 2 hashes
    assert _check_proofs(history, hashes) > 100
    assert {s for s, _ in history} >= {2, 3, 255, 256, 511, 512}
    assert verify_log(domain=False).ok


@pytest.fixture
def small_tiles(monkeypatch):
    """Tiles 4 hashes wide (height 2): the same code reaches tile levels 0-4 with 700 leaves."""
    monkeypatch.setattr(tiles, "TILE_HEIGHT", 2)
    monkeypatch.setattr(tiles, "TILE_WIDTH", 4)
    monkeypatch.setattr(storage, "TILE_WIDTH", 4)
    monkeypatch.setattr(storage, "TILE_HEIGHT", 2)
    monkeypatch.setattr(verify_mod, "TILE_WIDTH", 4)


def test_many_tile_levels_with_narrow_tiles(db, small_tiles):
    history = _integrate_in_uneven_batches(700)
    hashes = leaf_hashes()
    assert _check_tiles(hashes) == 5  # 700 → 175 → 43 → 10 → 2 hashes
    assert set(Tile.objects.values_list("level", flat=True)) == {0, 1, 2, 3, 4}
    assert _check_proofs(history, hashes) > 300
    report = verify_log(domain=False)
    assert report.ok and report.size == 701, [str(f) for f in report.findings]


def test_one_thousand_five_hundred_entries_full_width(db):
    """Five full tiles and a partial one; proofs at a few sizes across the boundaries."""
    append_many(1500)
    history = []
    for batch in (256, 255, 1, 256, 257, 1, 1, 200, 300, 23, 256):
        storage.integrate(batch=batch, sign=False)
        state = LogState.objects.get()
        history.append((state.size, bytes.fromhex(state.root_hash)))
    assert history[-1][0] == 1501 and storage.integrate() == 0  # + the key's announcement
    hashes = leaf_hashes()
    _check_tiles(hashes)
    assert list(Tile.objects.filter(level=1).values_list("index", flat=True)) == [0]
    assert len(Tile.objects.get(level=1).data) == 5 * 32
    assert _check_proofs(history, hashes) > 100
    assert verify_log(domain=False).ok


def test_tile_cache_is_keyed_by_width(db):
    """Tiles only grow: a tile read at a given width never changes, so it is cached by width."""
    append_many(300)
    storage.integrate_all()
    reader = storage.TileReader(300)
    reader.node(0, 5)  # in the full tile 0/0
    reader.node(0, 299)  # in the partial tile 0/1 (44 hashes at size 300)
    reader.node(8, 0)  # the root of tile 0/0, found in the partial tile 1/0
    assert storage._cache.get(("sha256", 0, 0, 256)) is not None
    assert len(storage._cache.get(("sha256", 0, 1, 44))[0]) == 44
    append_many(10)
    storage.integrate_all()
    grown = storage.TileReader(310)
    assert grown.node(0, 309) == bytes.fromhex(stored_leaf_hashes()[309])  # read at the new width
    assert storage._cache.get(("sha256", 0, 1, 54)) is not None
    with pytest.raises(LookupError):
        storage.TileReader(300).node(0, 300)


# ---- checkpoints --------------------------------------------------------------------------------

def test_checkpoints_are_signed_and_open_with_the_verifier(db, home):
    append_many(10)
    assert storage.integrate() == 11  # and the first key's announcement
    c = Checkpoint.objects.get()
    body, opened = cp.open_checkpoint(c.note, [signing.verifier()], origin=signing.origin())
    assert (body.size, body.root_hash.hex()) == (c.size, c.root_hash) == (11, LogState.objects.get().root_hash)
    assert opened.verified == [signing.origin()]
    assert isinstance(signing.verifier(), notes.Ed25519Verifier)
    assert (home / "checkpoints" / "log.vkey").read_text().strip() == signing.signer().vkey()
    with pytest.raises(notes.NoteError):
        cp.open_checkpoint(c.note, [notes.Ed25519Signer.generate(signing.origin()).verifier()])
    # integrate_all signs once at the end, not per batch; with nothing pending it signs nothing.
    append_many(600, start=10)
    storage.integrate_all()
    assert list(Checkpoint.objects.order_by("id").values_list("size", flat=True)) == [11, 611]
    assert storage.integrate_all() == 0 and Checkpoint.objects.count() == 2
    append_many(600, start=610)
    storage.integrate_all(batch=storage.BATCH, sign_each_batch=True)  # a checkpoint per 256
    assert list(Checkpoint.objects.order_by("id").values_list("size", flat=True)) == [11, 611, 867, 1123, 1211]


def test_checkpoint_file_is_written_after_commit(db, home, django_capture_on_commit_callbacks):
    path = home / "checkpoints" / "checkpoint"
    append_many(3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        storage.integrate()
    assert not path.exists()  # nothing published while the transaction is open
    assert len(callbacks) == 1
    callbacks[0]()
    assert path.read_text(encoding="utf-8") == Checkpoint.objects.get().note
    assert not list(path.parent.glob("*.tmp*"))


def test_rolled_back_integration_publishes_nothing(transactional_db, home):
    path = home / "checkpoints" / "checkpoint"
    append_many(3)
    storage.integrate()
    first = path.read_text(encoding="utf-8")
    assert cp.open_checkpoint(first, [signing.verifier()])[0].size == 4  # 3 + the key's announcement
    append_many(2, start=3)
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            assert storage.integrate() == 2
            1 / 0
    assert path.read_text(encoding="utf-8") == first
    assert Checkpoint.objects.count() == 1 and Sequenced.objects.count() == 4 and Pending.objects.count() == 2
    assert LogState.objects.get().size == 4
    storage.integrate()
    assert cp.open_checkpoint(path.read_text(encoding="utf-8"), [signing.verifier()])[0].size == 6
    assert verify_log(domain=False).ok


def test_published_checkpoint_never_goes_back(db, home, tmp_path, django_capture_on_commit_callbacks):
    """Integrator A commits size 3 and is descheduled before its on-commit publish runs; B then
    integrates, commits size 5 and publishes; A's publish lands last. The file must stay at 5 —
    a witness that already saw 5 would otherwise cry rollback."""
    path = home / "checkpoints" / "checkpoint"
    append_many(3)
    with django_capture_on_commit_callbacks(execute=False) as late:
        storage.integrate()
    append_many(2, start=3)
    publish_all(django_capture_on_commit_callbacks)
    assert cp.open_checkpoint(path.read_text(), [signing.verifier()])[0].size == 6  # + the key's announcement
    witness(tmp_path / "witness")
    late[0]()  # A's publish_checkpoint(note of size 4)
    assert cp.open_checkpoint(path.read_text(), [signing.verifier()])[0].size == 6


# ---- SM3 and SM2 --------------------------------------------------------------------------------

def test_sm3_and_sm2_end_to_end(db, gm, home, django_capture_on_commit_callbacks):
    history = _integrate_in_uneven_batches(600, algo="sm3")
    hashes = leaf_hashes("sm3")
    assert [h.hex() for h in hashes] == stored_leaf_hashes()
    assert hashes[0] != leaf_hashes("sha256")[0]
    root = tree.root_from_leaf_hashes(hashes, "sm3")
    assert LogState.objects.get().root_hash == root.hex() != tree.root_from_leaf_hashes(leaf_hashes(), "sha256").hex()
    _check_tiles(hashes, "sm3")
    _check_proofs(history[::3] + history[-1:], hashes, "sm3")
    append_many(5, start=600)
    publish_all(django_capture_on_commit_callbacks)
    hashes = leaf_hashes("sm3")
    root = tree.root_from_leaf_hashes(hashes, "sm3")
    verifier = signing.verifier()
    assert isinstance(verifier, notes.SM2Verifier)
    assert (home / "keys" / "ledger-sm2.key").exists() and not (home / "keys" / "ledger-ed25519.seed").exists()
    for c in Checkpoint.objects.all():
        body, _ = cp.open_checkpoint(c.note, [verifier])
        assert body.size == c.size
    published = (home / "checkpoints" / "checkpoint").read_text(encoding="utf-8")
    assert cp.open_checkpoint(published, [verifier])[0].root_hash == root
    # A proof made by the sm3 log does not verify as sha256.
    with pytest.raises(tree.ProofError):
        tree.verify_inclusion(hashes[5], 5, 606, storage.inclusion_proof(5, 606), root, algo="sha256")
    tree.verify_inclusion(hashes[5], 5, 606, storage.inclusion_proof(5, 606), root, algo="sm3")
    report = verify_log(domain=False)
    assert report.ok and report.root == root.hex()


def test_sm3_proofs_served_by_prove(db, gm):
    entries = append_many(300)
    result = ledger.prove([entries[0].pk, entries[257].pk])
    assert all(p["ok"] for p in result["proofs"]), result["proofs"]


# ---- the witness --------------------------------------------------------------------------------

def witness(directory, *args):
    out = io.StringIO()
    call_command("witness", str(directory), *args, stdout=out)
    return out.getvalue()


def test_witness_accepts_consistent_growth(db, home, tmp_path, django_capture_on_commit_callbacks):
    wdir = tmp_path / "witness"
    append_many(4)  # and the first key's announcement: 5 leaves
    publish_all(django_capture_on_commit_callbacks)
    assert "已见证：规模 5" in witness(wdir)
    assert (wdir / "log.vkey").read_text().strip() == signing.signer().vkey()
    for total in (255, 256, 257, 600, 601):  # across tile boundaries
        append_many(total - Sequenced.objects.count() - Pending.objects.count(), start=total)
        publish_all(django_capture_on_commit_callbacks)
        assert f"已见证：规模 {total}" in witness(wdir)
        assert cp.open_checkpoint((wdir / "latest").read_text(), [signing.verifier()])[0].size == total
    assert "已见证：规模 601" in witness(wdir)  # the same checkpoint again is fine
    assert sorted(p.name for p in wdir.glob("*.note")) == sorted(f"{n}.note" for n in (5, 255, 256, 257, 600, 601))


def _note_file(tmp_path, note, name="new.note"):
    path = tmp_path / name
    path.write_text(note, encoding="utf-8")
    return str(path)


@pytest.fixture
def witnessed(db, home, tmp_path, django_capture_on_commit_callbacks):
    """A witness that has seen the log at size 300 (and earlier at 100)."""
    wdir = tmp_path / "witness"
    append_many(99)  # and the first key's announcement: 100 leaves
    publish_all(django_capture_on_commit_callbacks)
    witness(wdir)
    append_many(200, start=100)
    publish_all(django_capture_on_commit_callbacks)
    witness(wdir)
    return wdir


def _refused(wdir, note_path, match):
    before = (wdir / "latest").read_text()
    with pytest.raises(CommandError, match=match):
        witness(wdir, "--checkpoint", note_path)
    assert (wdir / "latest").read_text() == before  # nothing kept


def test_witness_refuses_a_rolled_back_checkpoint(witnessed, tmp_path):
    old = Checkpoint.objects.get(size=100).note
    _refused(witnessed, _note_file(tmp_path, old), "回滚")


def test_witness_refuses_a_fork_at_the_same_size(witnessed, tmp_path):
    forked = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), 300, leaf_hash(b"fork")), [signing.signer()])
    _refused(witnessed, _note_file(tmp_path, forked), "分叉")


def test_witness_refuses_a_larger_checkpoint_that_does_not_extend(witnessed, tmp_path):
    append_many(20, start=300)
    storage.integrate_all()
    forked = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), 320, leaf_hash(b"fork")), [signing.signer()])
    _refused(witnessed, _note_file(tmp_path, forked), "不一致")
    # A larger size the log does not even have: no proof can be made.
    beyond = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), 5000, leaf_hash(b"x")), [signing.signer()])
    _refused(witnessed, _note_file(tmp_path, beyond), "不一致")
    # The true checkpoint of size 320 is accepted.
    true_note = _note_file(tmp_path, Checkpoint.objects.get(size=320).note)
    assert "已见证：规模 320" in witness(witnessed, "--checkpoint", true_note)


def test_witness_refuses_a_checkpoint_signed_by_another_key(witnessed, tmp_path):
    state = LogState.objects.get()
    other = notes.Ed25519Signer.generate(signing.origin())
    forged = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), state.size, bytes.fromhex(state.root_hash)), [other])
    _refused(witnessed, _note_file(tmp_path, forged), "签名无效")


def test_witness_keeps_the_first_key_it_saw(witnessed, tmp_path, settings):
    """Later runs use the key the witness stored, not whatever the log now publishes."""
    settings.LIUHEN_HOME = tmp_path / "other-home"  # the log's key replaced
    append_many(5, start=300)
    forged = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), 305, leaf_hash(b"x")), [signing.signer()])
    _refused(witnessed, _note_file(tmp_path, forged), "签名无效")


def test_witness_accepts_consistent_growth_of_an_sm3_log(db, gm, tmp_path, django_capture_on_commit_callbacks):
    wdir = tmp_path / "witness"
    append_many(99)  # and the first key's announcement: 100 leaves
    publish_all(django_capture_on_commit_callbacks)
    witness(wdir)
    append_many(200, start=100)
    publish_all(django_capture_on_commit_callbacks)
    assert "已见证：规模 300" in witness(wdir)


# ---- the offline bundle -------------------------------------------------------------------------

INSPECTION = {
    "time": "2026-03-02T09:30", "place": "某村三号取水口", "certificates_shown": True, "present": "村委会主任",
    "findings": "现场发现一台水泵正在取水，未见取水许可证。",
}


def test_bundle_verifies(exported):
    path, record = exported
    assert bundle.verify_bundle(path) == []
    approval = record.case.records.get(record_type__code="start_approval")
    assert sorted(p.name for p in (path / "content").iterdir()) == sorted([
        f"record-{approval.pk}-v1.json", f"record-{record.pk}-v1.json", f"record-{record.pk}-v2.json"])
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["hash"] == "sha256" and manifest["size"] == len((path / "entries.jsonl").read_text().splitlines())
    # An auditor who brings the key obtained independently gets the same answer.
    assert bundle.verify_bundle(path, vkey=signing.signer().vkey()) == []
    other = notes.Ed25519Signer.generate(signing.origin()).vkey()
    assert any("signature" in p for p in bundle.verify_bundle(path, vkey=other))


def _flip_in_string(data: bytes, marker: bytes) -> bytes:
    """Change one ASCII byte just after `marker` (inside a JSON string), keeping the file valid."""
    i = data.index(marker) + len(marker)
    changed = bytearray(data)
    changed[i] = ord("1") if changed[i] != ord("1") else ord("2")
    return bytes(changed)


def test_bundle_content_file_changed_by_one_byte(exported):
    path, record = exported
    f = path / "content" / f"record-{record.pk}-v1.json"
    f.write_bytes(_flip_in_string(f.read_bytes(), b'"time":"2026-03-02T0'))
    assert bundle.verify_bundle(path) == [f"content/{f.name}: content differs from what the log recorded"]


def test_bundle_blob_changed_by_one_byte(exported):
    path, _ = exported
    [f] = (path / "blobs").iterdir()
    data = bytearray(f.read_bytes())
    data[7] ^= 0x20
    f.write_bytes(bytes(data))
    [problem] = bundle.verify_bundle(path)
    assert problem.startswith(f"blobs/{f.name}: the file's bytes hash to {hashlib.sha256(data).hexdigest()}")


def test_bundle_entry_line_changed_by_one_byte(exported):
    path, record = exported
    lines = (path / "entries.jsonl").read_text().splitlines(keepends=True)
    k = next(i for i, line in enumerate(lines)
             if json.loads(base64.b64decode(json.loads(line)["leaf"]))["action"] == "record.create")
    item = json.loads(lines[k])
    leaf = _flip_in_string(base64.b64decode(item["leaf"]), b'"time":"20')
    lines[k] = json.dumps({"seq": item["seq"], "leaf": base64.b64encode(leaf).decode()}) + "\n"
    (path / "entries.jsonl").write_text("".join(lines))
    problems = bundle.verify_bundle(path)
    assert any("do not give the signed root" in p for p in problems), problems


def test_bundle_entry_line_removed(exported):
    path, _ = exported
    lines = (path / "entries.jsonl").read_text().splitlines(keepends=True)
    (path / "entries.jsonl").write_text("".join(lines[:3] + lines[4:]))
    problems = bundle.verify_bundle(path)
    assert any("leaf index 4, expected 3" in p for p in problems), problems
    assert any("truncated" in p or "signed root" in p for p in problems), problems


def test_bundle_checkpoint_signature_changed(exported):
    path, _ = exported
    f = sorted((path / "checkpoints").glob("*.note"))[-1]
    text = f.read_text()
    sig = text.rstrip("\n").rsplit(" ", 1)[1]
    raw = bytearray(base64.b64decode(sig))
    raw[-1] ^= 1
    f.write_text(text.replace(sig, base64.b64encode(bytes(raw)).decode()))
    problems = bundle.verify_bundle(path)
    assert any(p.startswith(f"{f.name}: signature does not verify") for p in problems), problems


@pytest.mark.parametrize("where", ["content", "entry"])
def test_bundle_byte_change_that_breaks_json_is_reported(exported, where):
    path, record = exported
    if where == "content":
        f = path / "content" / f"record-{record.pk}-v1.json"
        data = bytearray(f.read_bytes())
        data[0] = ord("[")  # '{' → '[': no longer JSON
        f.write_bytes(bytes(data))
    else:
        lines = (path / "entries.jsonl").read_text().splitlines(keepends=True)
        item = json.loads(lines[2])
        leaf = bytearray(base64.b64decode(item["leaf"]))
        leaf[0] = ord("[")
        lines[2] = json.dumps({"seq": item["seq"], "leaf": base64.b64encode(bytes(leaf)).decode()}) + "\n"
        (path / "entries.jsonl").write_text("".join(lines))
    assert bundle.verify_bundle(path)  # problems reported, no exception


def test_standalone_bundle_verifier_without_django(exported, tmp_path):
    path, record = exported
    ok = run_bundle_verifier(path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("OK:")
    vkey = tmp_path / "log.vkey"
    vkey.write_text(signing.signer().vkey() + "\n")
    assert run_bundle_verifier(path, "--vkey", str(vkey)).returncode == 0
    # Django is not even imported.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "LIUHEN", "DATABASE"))}
    probe = subprocess.run([sys.executable, "-c",
                            "import sys; from liuhen.ledger.core import bundle; rc = bundle.main([sys.argv[1]]); "
                            "sys.exit(3 if [m for m in sys.modules if m.split('.')[0] == 'django'] else rc)",
                            str(path)], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stdout + probe.stderr
    f = path / "content" / f"record-{record.pk}-v2.json"
    f.write_bytes(_flip_in_string(f.read_bytes(), b'"time":"2026-03-02T0'))
    bad = run_bundle_verifier(path)
    assert bad.returncode == 1
    assert f"FAIL content/{f.name}: content differs from what the log recorded" in bad.stdout


def test_sm3_sm2_bundle(gm, world, tmp_path):
    # `gm` before `world`: the world's own entries (users, certificates) must be hashed with SM3 too.
    small_case(world)
    path = tmp_path / "bundle"
    export_bundle(path)
    assert json.loads((path / "manifest.json").read_text())["hash"] == "sm3"
    assert (path / "log.vkey").read_text().strip() == signing.signer().vkey()
    assert bundle.verify_bundle(path) == []
    result = run_bundle_verifier(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_switching_to_sm2_keeps_old_checkpoints_verifiable(db, home, settings, tmp_path):
    """An agency moving to 国密 mid-life: checkpoints signed with the old Ed25519 key still verify,
    on the server and offline, because the log keeps every key it has signed with."""
    from liuhen.ledger.core.bundle import verify_bundle
    from liuhen.ledger.exports import export_bundle

    append_many(5)
    storage.integrate_all()
    settings.LIUHEN_LEDGER_SIGNATURE = "sm2"
    call_command("rotate_ledger_key", stdout=io.StringIO())  # the switch is announced in the log
    append_many(5, start=5)
    storage.integrate_all()
    kinds = {type(v).__name__ for v in signing.verifiers()}
    assert kinds == {"Ed25519Verifier", "SM2Verifier"}
    assert Checkpoint.objects.count() == 2
    report = verify_log(domain=False)
    assert report.ok, [str(f) for f in report.findings]
    assert report.checkpoints == 2
    export_bundle(tmp_path / "bundle")
    assert verify_bundle(tmp_path / "bundle") == []
    # and an auditor holding only the new key cannot verify the old checkpoint
    only_new = signing.signer().vkey()
    problems = verify_bundle(tmp_path / "bundle", vkey=only_new)
    assert any("signature does not verify" in p for p in problems)


def test_witness_trusts_a_new_key_only_when_given(db, home, settings, tmp_path,
                                                  django_capture_on_commit_callbacks):
    wdir = tmp_path / "w"
    append_many(3)
    publish_all(django_capture_on_commit_callbacks)
    witness(wdir)
    settings.LIUHEN_LEDGER_SIGNATURE = "sm2"
    call_command("rotate_ledger_key", stdout=io.StringIO())  # the switch is announced in the log
    append_many(3, start=3)
    publish_all(django_capture_on_commit_callbacks)
    with pytest.raises(CommandError, match="签名无效"):
        witness(wdir)  # the log changed key: not silently accepted
    new_key = tmp_path / "new.vkey"
    new_key.write_text(signing.signer().vkey() + "\n")
    assert "已见证：规模 8" in witness(wdir, "--vkey", str(new_key))  # 3 + 3 and two key announcements
    with pytest.raises(CommandError, match="无法读取"):
        witness(wdir, "--checkpoint", str(tmp_path / "missing"))
