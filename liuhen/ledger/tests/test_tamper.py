"""Tampering behind the application's back: `liuhen verify` must fail and name the culprit.

A small real world is built through the services (a case with a party, a record with two versions,
an attachment, two signatures, a voided record, a read); it is integrated and verifies clean. Then
each test plays one attacker with direct database (or file system) access: the append-only
triggers are dropped first, as a database superuser would, and a row is altered, deleted, inserted
or moved. Every test asserts the finding's kind, the object it names and the log entry it
contradicts, not merely that verification failed.
"""
import base64
import datetime
import io
import json
import os

import pytest
from django.core.management import call_command

from liuhen.common import crypto
from liuhen.ledger import signing, storage
from liuhen.ledger.core import checkpoint as cp
from liuhen.ledger.core import note as notes
from liuhen.ledger.core.canonical import canonical_bytes, content_sha256
from liuhen.ledger.core.hashing import leaf_hash
from liuhen.ledger.models import Checkpoint, Entry, LogState, Pending, Sequenced, Tile
from liuhen.ledger.verify import verify_log
from liuhen.media import store
from liuhen.records import services
from liuhen.records.models import Record
from liuhen.testing.ledger import (
    findings_of, flip_time_digit, json_param, only_kinds, rebuild_tree_from_rows, seq_of, sign_entry,
)
from liuhen.testing.tampering import drop_append_only, sql


pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no tile cached from another tree


# ---- the attacker's tools ----------------------------------------------------------------------



# ---- clean ------------------------------------------------------------------------------------

def test_clean_world_verifies_and_the_command_exits_normally(scene):
    out = io.StringIO()
    call_command("verify", stdout=out)  # no SystemExit
    size = Sequenced.objects.count()
    assert f"通过：{size} 个日志条目" in out.getvalue()
    assert LogState.objects.get().root_hash in out.getvalue()


# ---- record rows ------------------------------------------------------------------------------

def test_altered_record_version_content(scene):
    drop_append_only("records_recordversion")
    changed = {**scene.v2.content, "findings": "现场未发现取水行为。"}
    assert sql(f"UPDATE records_recordversion SET content = {json_param()} WHERE id = %s",
               [json.dumps(changed, ensure_ascii=False), scene.v2.pk]) == 1
    report = verify_log()
    [f] = findings_of(report, "altered", f"record:{scene.record.pk} v2")
    ev = scene.entry("record.version", object_version=2)
    assert (f.entry_id, f.seq) == (ev.pk, seq_of(ev))
    assert only_kinds(report) == {"altered"}


def test_altered_record_version_content_and_its_stored_hash(scene):
    """Rewriting the row's own content_sha256 to match does not help: the log holds the hash."""
    drop_append_only("records_recordversion")
    changed = {**scene.v1.content, "place": "某村五号取水口"}
    sql(f"UPDATE records_recordversion SET content = {json_param()}, content_sha256 = %s WHERE id = %s",
        [json.dumps(changed, ensure_ascii=False), content_sha256(changed), scene.v1.pk])
    report = verify_log()
    [f] = findings_of(report, "altered", f"record:{scene.record.pk} v1")
    assert f.entry_id == scene.entry("record.create").pk


def test_deleted_record_version(scene):
    drop_append_only("records_recordversion")
    assert sql("DELETE FROM records_recordversion WHERE id = %s", [scene.v1.pk]) == 1  # nothing refers to v1
    report = verify_log()
    [f] = findings_of(report, "deleted", f"record:{scene.record.pk} v1")
    assert f.entry_id == scene.entry("record.create").pk


def test_deleted_signature(scene):
    drop_append_only("records_signature")
    assert sql("DELETE FROM records_signature WHERE id = %s", [scene.party_sig.pk]) == 1
    report = verify_log()
    [f] = findings_of(report, "deleted", f"record:{scene.record.pk}")
    ev = sign_entry(scene.party_sig.digest)
    assert f.entry_id == ev.pk and f.seq == seq_of(ev)
    # The record's signature summary, which the findings scan reads, no longer adds up either.
    assert {(f.kind, f.code) for f in report.findings} == {("deleted", f.code), ("altered", "records.E033")}


def test_altered_signature(scene):
    drop_append_only("records_signature")
    sql("UPDATE records_signature SET signer_name = %s WHERE id = %s", ["王某某", scene.party_sig.pk])
    report = verify_log()
    [f] = findings_of(report, "altered", f"record:{scene.record.pk} signature:{scene.party_sig.pk}")
    assert f.entry_id == sign_entry(scene.party_sig.digest).pk


def test_deleted_void(scene):
    drop_append_only("records_recordvoid")
    assert sql("DELETE FROM records_recordvoid WHERE record_id = %s", [scene.spare.pk]) == 1
    report = verify_log()
    [f] = findings_of(report, "deleted", f"record:{scene.spare.pk}")
    assert f.entry_id == scene.entry("record.void", object_id=scene.spare.pk).pk


def test_inserted_record_version(scene):
    extra = {**scene.v2.content, "findings": "事后补写的内容"}
    sql(f"INSERT INTO records_recordversion (record_id, number, content, content_sha256, reason, author_id, "
        f"created_at) VALUES (%s, 3, {json_param()}, %s, %s, %s, %s)",
        [scene.record.pk, json.dumps(extra, ensure_ascii=False), content_sha256(extra), "补写",
         scene.world.officer.pk, scene.v2.created_at])
    report = verify_log()
    [f] = findings_of(report, "inserted", f"record:{scene.record.pk} v3")
    assert only_kinds(report) == {"inserted"}


def test_inserted_record_without_entry(scene):
    r = scene.record
    sql("INSERT INTO records_record (case_id, record_type_id, stage, serial, created_by_id, created_at) "
        "VALUES (%s, %s, %s, %s, %s, %s)", [r.case_id, r.record_type_id, r.stage, 99, r.created_by_id, r.created_at])
    new_id = Record.objects.order_by("-id").values_list("id", flat=True).first()
    assert new_id not in (r.pk, scene.spare.pk)
    report = verify_log()
    findings_of(report, "inserted", f"record:{new_id}")


def test_forged_entry_reclaiming_a_version_does_not_launder_an_altered_row(scene):
    """The attacker alters v1 and then queues a second, well-formed 'record.create' event claiming
    the new hash (Entry + Pending rows are plain inserts); the integrator sequences it. The log now holds
    two different hashes for the same version: the row must not be taken as matching the later one."""
    drop_append_only("records_recordversion")
    changed = {**scene.v1.content, "place": "某村五号取水口"}
    sql(f"UPDATE records_recordversion SET content = {json_param()}, content_sha256 = %s WHERE id = %s",
        [json.dumps(changed, ensure_ascii=False), content_sha256(changed), scene.v1.pk])
    genuine = scene.entry("record.create")
    event = json.loads(bytes(genuine.leaf))
    event["content_sha256"] = content_sha256(changed)
    leaf = canonical_bytes(event)
    forged = Entry.objects.create(created_at=genuine.created_at, action=genuine.action, actor_id=genuine.actor_id,
                                  object_type="record", object_id=genuine.object_id, object_version=1,
                                  request_id=genuine.request_id, leaf=leaf, leaf_hash=leaf_hash(leaf).hex())
    Pending.objects.create(entry=forged)
    storage.integrate_all()
    report = verify_log()
    assert Sequenced.objects.filter(entry=forged).exists()  # it did enter the tree
    findings_of(report, "altered", f"record:{scene.record.pk} v1")


# ---- stored files -----------------------------------------------------------------------------

def test_one_byte_of_a_stored_blob_changed(scene):
    path = store.path_for(scene.attachment.blob_id)
    os.chmod(path, 0o640)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    report = verify_log()
    [f] = findings_of(report, "altered", f"record:{scene.record.pk} attachment:{scene.attachment.pk}")
    assert f.entry_id == scene.entry("record.attach").pk
    assert only_kinds(report) == {"altered"}


def test_stored_blob_removed(scene):
    path = store.path_for(scene.attachment.blob_id)
    os.chmod(path, 0o640)
    path.unlink()
    report = verify_log()
    [f] = findings_of(report, "altered", f"record:{scene.record.pk} attachment:{scene.attachment.pk}")
    assert f.entry_id == scene.entry("record.attach").pk


def test_deleted_attachment_row(scene):
    drop_append_only("records_attachment")
    assert sql("DELETE FROM records_attachment WHERE id = %s", [scene.attachment.pk]) == 1
    report = verify_log()
    [f] = findings_of(report, "deleted", f"record:{scene.record.pk}")
    assert f.entry_id == scene.entry("record.attach").pk
    assert scene.attachment.blob_id[:12] in f.message


# ---- case rows --------------------------------------------------------------------------------

def test_altered_case_title(scene):
    assert sql("UPDATE cases_case SET title = %s WHERE id = %s", ["取水许可证过期", scene.case.pk]) == 1
    report = verify_log()
    [f] = findings_of(report, "altered", f"case:{scene.case.pk}")
    # the last state the log recorded: the move to 调查取证
    assert f.entry_id == scene.entry("case.transition", object_type="case", object_id=scene.case.pk).pk
    assert only_kinds(report) == {"altered"}


def test_altered_case_summary(scene):
    sql("UPDATE cases_case SET summary = %s WHERE id = %s", ["（事后改写的案情）", scene.case.pk])
    report = verify_log()
    findings_of(report, "altered", f"case:{scene.case.pk}")


def test_altered_party_encrypted_field(scene):
    drop_append_only("cases_party")
    sql("UPDATE cases_party SET phone = %s WHERE id = %s", [crypto.encrypt("13900000000"), scene.party.pk])
    report = verify_log()
    [f] = findings_of(report, "altered", f"case:{scene.case.pk} party:{scene.party.pk}")
    assert f.entry_id == scene.entry("case.party_add", object_type="case", object_id=scene.case.pk).pk


def test_deleted_party(scene):
    drop_append_only("cases_party")
    sql("DELETE FROM cases_party WHERE id = %s", [scene.party.pk])
    report = verify_log()
    [f] = findings_of(report, "deleted", f"case:{scene.case.pk} party:{scene.party.pk}")
    assert f.entry_id == scene.entry("case.party_add", object_type="case", object_id=scene.case.pk).pk


# ---- the log itself ---------------------------------------------------------------------------

def test_altered_entry_leaf(scene):
    drop_append_only("ledger_entry")
    victim = sign_entry(scene.officer_sig.digest)
    sql("UPDATE ledger_entry SET leaf = %s WHERE id = %s", [flip_time_digit(bytes(victim.leaf)), victim.pk])
    report = verify_log()
    fs = findings_of(report, "altered", entry_id=victim.pk)
    assert {f.seq for f in fs} == {seq_of(victim)}
    assert "日志条目内容被修改" in str(fs[0])


def rewrite_leaf(entry, leaf: bytes) -> None:
    """What a careful attacker does to change a leaf: its hash and its index columns follow, so that
    the row agrees with itself (verify compares every column with the leaf)."""
    event = json.loads(leaf)
    sql("UPDATE ledger_entry SET leaf = %s, leaf_hash = %s, created_at = %s WHERE id = %s",
        [leaf, leaf_hash(leaf).hex(), datetime.datetime.fromisoformat(event["time"]), entry.pk])


def test_altered_entry_leaf_and_its_stored_hash(scene):
    """Rewriting leaf_hash (and the time column) as well: the stored tiles still hold the original hash."""
    drop_append_only("ledger_entry")
    victim = scene.entry("record.create")
    rewrite_leaf(victim, flip_time_digit(bytes(victim.leaf)))
    report = verify_log()
    [f] = findings_of(report, "altered", entry_id=victim.pk)
    assert f.seq == seq_of(victim)
    findings_of(report, "checkpoint")  # and every signed root from there on no longer recomputes


def test_altered_entry_with_tiles_and_state_rebuilt(scene):
    """The thorough attacker also rebuilds every tile and the log state from the altered leaves;
    only the signed checkpoints (no key) remain, and they no longer match."""
    drop_append_only("ledger_entry")
    victim = scene.entry("record.create")
    rewrite_leaf(victim, flip_time_digit(bytes(victim.leaf)))
    rebuild_tree_from_rows()
    report = verify_log()
    assert only_kinds(report) == {"checkpoint"}, [str(f) for f in report.findings]
    last = Checkpoint.objects.order_by("-id").first()
    assert any(f.seq == last.size - 1 for f in report.findings)


def test_swapped_entries_are_reordered(scene):
    drop_append_only("ledger_sequenced")
    a = scene.entry("record.create")
    b = scene.entry("record.void", object_id=scene.spare.pk)
    sa, sb = seq_of(a), seq_of(b)
    sql("UPDATE ledger_sequenced SET seq = -1 WHERE seq = %s", [sa])
    sql("UPDATE ledger_sequenced SET seq = %s WHERE seq = %s", [sa, sb])
    sql("UPDATE ledger_sequenced SET seq = %s WHERE seq = -1", [sb])
    report = verify_log()
    fa = findings_of(report, "reordered", entry_id=a.pk)
    fb = findings_of(report, "reordered", entry_id=b.pk)
    assert {f.seq for f in fa} == {sb} and {f.seq for f in fb} == {sa}
    findings_of(report, "checkpoint")


def test_swapped_leaf_bytes_of_two_entries(scene):
    drop_append_only("ledger_entry")
    a = scene.entry("record.create")
    b = scene.entry("record.attach")
    for row, other in ((a, b), (b, a)):
        sql("UPDATE ledger_entry SET leaf = %s, leaf_hash = %s WHERE id = %s",
            [bytes(other.leaf), other.leaf_hash, row.pk])
    report = verify_log()
    assert {f.entry_id for f in report.findings if f.kind in ("reordered", "altered")} >= {a.pk, b.pk}
    findings_of(report, "reordered", entry_id=a.pk)
    findings_of(report, "reordered", entry_id=b.pk)


def test_deleted_entry_in_the_middle(scene):
    drop_append_only("ledger_sequenced", "ledger_entry")
    victim = scene.entry("record.version", object_version=2)
    s = seq_of(victim)
    sql("DELETE FROM ledger_sequenced WHERE entry_id = %s", [victim.pk])
    sql("DELETE FROM ledger_entry WHERE id = %s", [victim.pk])
    report = verify_log()
    [f] = findings_of(report, "deleted", entry_id=None, obj="")
    assert f.seq == s
    # ...and the version it covered is now a version the log does not speak of.
    findings_of(report, "inserted", f"record:{scene.record.pk} v2")


def test_truncated_log(scene):
    drop_append_only("ledger_sequenced", "ledger_entry")
    size = Sequenced.objects.count()
    n = 3
    last = list(Sequenced.objects.filter(seq__gte=size - n).values_list("entry_id", flat=True))
    sql("DELETE FROM ledger_sequenced WHERE seq >= %s", [size - n])
    sql(f"DELETE FROM ledger_entry WHERE id IN ({', '.join(['%s'] * n)})", last)
    report = verify_log()
    fs = findings_of(report, "truncated")
    assert any(str(size) in f.message and str(size - n) in f.message for f in fs), [str(f) for f in fs]
    assert report.size == size - n


def test_truncated_log_with_its_checkpoints_and_state_rewound(scene, django_capture_on_commit_callbacks):
    """Someone read the record three times; the attacker erases those traces completely: the
    leaves, the checkpoints that signed them, the tiles and the log state. The checkpoint the log
    published (LIUHEN_HOME/checkpoints/checkpoint, where witnesses copy it) still signs them."""
    for _ in range(3):
        services.log_view(scene.world.outsider, scene.record)
    with django_capture_on_commit_callbacks(execute=True):
        storage.integrate_all()
    published = (signing.checkpoint_dir() / "checkpoint").read_text(encoding="utf-8")
    size = Sequenced.objects.count()
    assert cp.open_checkpoint(published, [signing.verifier()])[0].size == size
    drop_append_only("ledger_sequenced", "ledger_entry", "ledger_checkpoint")
    n = 3
    last = list(Sequenced.objects.filter(seq__gte=size - n).values_list("entry_id", flat=True))
    assert set(Entry.objects.filter(id__in=last).values_list("action", flat=True)) == {"record.view"}
    sql("DELETE FROM ledger_sequenced WHERE seq >= %s", [size - n])
    sql(f"DELETE FROM ledger_entry WHERE id IN ({', '.join(['%s'] * n)})", last)
    sql("DELETE FROM ledger_checkpoint WHERE size > %s", [size - n])
    rebuild_tree_from_rows()
    assert LogState.objects.get().size == size - n
    report = verify_log()
    findings_of(report, "truncated")


def test_inserted_entry_outside_the_tree(scene):
    event = {"v": 1, "action": "record.sign", "object": {"type": "record", "id": str(scene.record.pk), "version": 2}}
    leaf = canonical_bytes(event)
    sql("INSERT INTO ledger_entry (created_at, action, actor_id, object_type, object_id, object_version, request_id, "
        "leaf, leaf_hash) VALUES (%s, %s, NULL, %s, %s, 2, '', %s, %s)",
        [scene.v2.created_at, "record.sign", "record", str(scene.record.pk), leaf, leaf_hash(leaf).hex()])
    new_id = Entry.objects.order_by("-id").values_list("id", flat=True).first()
    report = verify_log()
    [f] = findings_of(report, "inserted", entry_id=new_id)
    assert f.seq is None
    assert only_kinds(report) == {"inserted"}


def test_altered_entry_index_columns(scene):
    """The columns beside the leaf (used to find an object's trail) must agree with the leaf."""
    drop_append_only("ledger_entry")
    victim = scene.entry("record.void", object_id=scene.spare.pk)
    sql("UPDATE ledger_entry SET object_id = %s WHERE id = %s", [str(scene.record.pk), victim.pk])
    report = verify_log()
    [f] = findings_of(report, "altered", entry_id=victim.pk)
    assert f.seq == seq_of(victim)


def test_altered_tile(scene):
    tile = Tile.objects.get(level=0, index=0)
    data = bytearray(tile.data)
    data[5] ^= 0xFF
    Tile.objects.filter(pk=tile.pk).update(data=bytes(data))
    report = verify_log()
    [f] = findings_of(report, "tile")
    assert "0/0" in f.message


# ---- checkpoints ------------------------------------------------------------------------------

def _insert_checkpoint(size, root: bytes, note: str):
    sql("INSERT INTO ledger_checkpoint (size, root_hash, note, created_at) VALUES (%s, %s, %s, %s)",
        [size, root.hex(), note, Checkpoint.objects.order_by("-id").first().created_at])
    return Checkpoint.objects.order_by("-id").first()


def test_checkpoint_signed_by_another_key(scene):
    state = LogState.objects.get()
    forger = notes.Ed25519Signer.generate(signing.origin())  # same name, another key
    note = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), state.size, bytes.fromhex(state.root_hash)), [forger])
    c = _insert_checkpoint(state.size, bytes.fromhex(state.root_hash), note)
    report = verify_log()
    [f] = findings_of(report, "checkpoint", f"checkpoint:{c.pk}")
    assert "签名无效或被伪造" in f.message
    assert only_kinds(report) == {"checkpoint"}


def test_checkpoint_signed_by_another_sm2_key(scene):
    state = LogState.objects.get()
    forger = notes.SM2Signer.generate(signing.origin())
    note = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), state.size, bytes.fromhex(state.root_hash)), [forger])
    c = _insert_checkpoint(state.size, bytes.fromhex(state.root_hash), note)
    findings_of(verify_log(), "checkpoint", f"checkpoint:{c.pk}")


def test_checkpoint_with_modified_signature_bytes(scene):
    drop_append_only("ledger_checkpoint")
    c = Checkpoint.objects.order_by("-id").first()
    text, sig_line = c.note.rsplit("\n\n", 1)
    name, b64 = sig_line.rstrip("\n").rsplit(" ", 1)
    raw = bytearray(base64.b64decode(b64))
    raw[-1] ^= 0x01
    forged = f"{text}\n\n{name} {base64.b64encode(bytes(raw)).decode()}\n"
    sql("UPDATE ledger_checkpoint SET note = %s WHERE id = %s", [forged, c.pk])
    report = verify_log()
    [f] = findings_of(report, "checkpoint", f"checkpoint:{c.pk}")
    assert "签名无效或被伪造" in f.message


def test_checkpoint_row_disagreeing_with_its_signed_note(scene):
    drop_append_only("ledger_checkpoint")
    c = Checkpoint.objects.order_by("-id").first()
    sql("UPDATE ledger_checkpoint SET root_hash = %s WHERE id = %s", ["00" * 32, c.pk])
    report = verify_log()
    [f] = findings_of(report, "checkpoint", f"checkpoint:{c.pk}")
    assert "不一致" in f.message


def test_forked_checkpoint_for_an_existing_size(scene):
    """Signed with the log's own key (a stolen or misused key), another root for a size already signed."""
    state = LogState.objects.get()
    other_root = leaf_hash(b"another history")
    note = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), state.size, other_root), [signing.signer()])
    c = _insert_checkpoint(state.size, other_root, note)
    report = verify_log()
    [f] = findings_of(report, "checkpoint", f"checkpoint:{c.pk}")
    assert "分叉" in f.message


def test_rolled_back_checkpoint_for_an_earlier_size(scene):
    """A validly signed checkpoint of an earlier size whose root is not the log's prefix at that size."""
    size = Sequenced.objects.count() - 5
    assert not Checkpoint.objects.filter(size=size).exists()
    other_root = leaf_hash(b"a rolled-back history")
    note = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), size, other_root), [signing.signer()])
    _insert_checkpoint(size, other_root, note)
    report = verify_log()
    fs = findings_of(report, "checkpoint")
    assert any(f.seq == size - 1 and str(size) in f.message for f in fs), [str(f) for f in fs]


# ---- the command ------------------------------------------------------------------------------

def test_verify_command_exits_1_and_prints_the_finding(scene):
    drop_append_only("records_recordversion")
    changed = {**scene.v2.content, "findings": "现场未发现取水行为。"}
    sql(f"UPDATE records_recordversion SET content = {json_param()} WHERE id = %s",
        [json.dumps(changed, ensure_ascii=False), scene.v2.pk])
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("verify", stdout=out, stderr=err)
    assert exc.value.code == 1
    ev = scene.entry("record.version", object_version=2)
    assert "[altered" in out.getvalue()
    assert f"对象 record:{scene.record.pk} v2" in out.getvalue() and f"条目 #{ev.pk}" in out.getvalue()
    assert "发现 1 处问题" in err.getvalue()
    # The log alone is intact: --no-domain passes.
    out = io.StringIO()
    call_command("verify", "--no-domain", stdout=out)
    assert "通过" in out.getvalue()


def test_verify_command_on_a_tampered_log(scene):
    drop_append_only("ledger_entry")
    victim = scene.entry("record.create")
    sql("UPDATE ledger_entry SET leaf = %s WHERE id = %s", [flip_time_digit(bytes(victim.leaf)), victim.pk])
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("verify", "--no-domain", stdout=out, stderr=io.StringIO())
    assert exc.value.code == 1
    assert f"条目 #{victim.pk}" in out.getvalue() and f"叶序号 {seq_of(victim)}" in out.getvalue()
