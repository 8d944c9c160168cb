"""Review findings on the ledger's checks, each shown failing before its fix:

1. `liuhen verify` compares every index column of an entry (created_at, object_version and
   request_id as well) with its leaf;
2. the offline bundle reports record-version content files and blobs that are missing;
3. `prove()` proves the hash of the leaf bytes the trail shows, not the stored `leaf_hash` column;
4. `liuhen verify` hands the domain checks compact events, streamed from the database object by
   object after the leaf pass, and only for object types that have a registered check.
"""
import base64
import datetime
import json

import pytest
from django.db import transaction

from liuhen.ledger import services as ledger
from liuhen.ledger import storage, subjects
from liuhen.ledger import verify as verify_mod
from liuhen.ledger.core import bundle
from liuhen.ledger.core.hashing import leaf_hash
from liuhen.ledger.models import Entry
from liuhen.ledger.verify import verify_log

# The small worlds the tamper and storage tests build (fixtures), and the attacker's tools.
from liuhen.testing.tampering import empty_ledger
from liuhen.testing.ledger import (
    findings_of, flip_time_digit, only_kinds, rebuild_tree_from_rows, run_bundle_verifier, seq_of,
)
from liuhen.testing.tampering import drop_append_only, sql


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):
    """Fresh signing keys and checkpoint directory; no tile cached from another test's tree."""
    settings.LIUHEN_HOME = tmp_path / "home"
    storage._cache.clear()
    yield settings.LIUHEN_HOME
    storage._cache.clear()


# ---- 1. every index column agrees with the leaf -------------------------------------------------

def _failed_login(username="zhang"):
    with transaction.atomic():
        return ledger.append("auth.login_failed", object_type="login", object_id=username,
                             detail={"username": username})


def test_created_at_moved_back_to_lift_a_lockout_is_found(scene):
    """created_at is what the login lockout counts: moving failed logins out of the window must show."""
    victim = _failed_login()
    storage.integrate_all()
    assert verify_log().ok
    since = victim.created_at - datetime.timedelta(minutes=1)
    assert ledger.count_recent("auth.login_failed", "login", "zhang", since) == 1
    drop_append_only("ledger_entry")
    sql("UPDATE ledger_entry SET created_at = %s WHERE id = %s",
        [victim.created_at - datetime.timedelta(hours=2), victim.pk])
    assert ledger.count_recent("auth.login_failed", "login", "zhang", since) == 0  # the lockout forgets it
    report = verify_log()
    [f] = findings_of(report, "altered", entry_id=victim.pk)
    assert f.seq == seq_of(victim)
    assert "created_at" in f.message
    assert only_kinds(report) == {"altered"}


def test_created_at_by_one_microsecond_is_found(scene):
    drop_append_only("ledger_entry")
    victim = scene.entry("record.create")
    sql("UPDATE ledger_entry SET created_at = %s WHERE id = %s",
        [victim.created_at + datetime.timedelta(microseconds=1), victim.pk])
    report = verify_log()
    [f] = findings_of(report, "altered", entry_id=victim.pk)
    assert f.seq == seq_of(victim)


def test_created_at_in_another_time_zone_is_the_same_instant(scene):
    """The column is compared as an aware datetime: the same instant written with another offset is fine."""
    drop_append_only("ledger_entry")
    victim = scene.entry("record.create")
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    sql("UPDATE ledger_entry SET created_at = %s WHERE id = %s", [victim.created_at.astimezone(shanghai), victim.pk])
    assert verify_log().ok


def test_object_version_is_compared(scene):
    drop_append_only("ledger_entry")
    victim = scene.entry("record.version", object_version=2)
    sql("UPDATE ledger_entry SET object_version = 3 WHERE id = %s", [victim.pk])
    report = verify_log()
    [f] = findings_of(report, "altered", entry_id=victim.pk)
    assert f.seq == seq_of(victim) and "object_version" in f.message


def test_object_version_set_where_the_leaf_has_none(scene):
    drop_append_only("ledger_entry")
    victim = scene.entry("record.void", object_id=scene.spare.pk)
    assert victim.object_version is None
    sql("UPDATE ledger_entry SET object_version = 1 WHERE id = %s", [victim.pk])
    [f] = findings_of(verify_log(), "altered", entry_id=victim.pk)
    assert f.seq == seq_of(victim)


def test_request_id_is_compared(scene):
    drop_append_only("ledger_entry")
    victim = scene.entry("record.attach")
    sql("UPDATE ledger_entry SET request_id = %s WHERE id = %s", ["0" * 32, victim.pk])
    report = verify_log()
    [f] = findings_of(report, "altered", entry_id=victim.pk)
    assert f.seq == seq_of(victim) and "request_id" in f.message
    assert only_kinds(report) == {"altered"}


def test_leaf_rewritten_with_the_tree_rebuilt_is_pinned_to_its_entry(scene):
    """An attacker who rewrites a leaf, its hash and every tile but leaves its time column is named
    by entry, not only by the first signed root that no longer recomputes."""
    drop_append_only("ledger_entry")
    victim = scene.entry("record.create")
    leaf = flip_time_digit(bytes(victim.leaf))
    sql("UPDATE ledger_entry SET leaf = %s, leaf_hash = %s WHERE id = %s", [leaf, leaf_hash(leaf).hex(), victim.pk])
    rebuild_tree_from_rows()
    report = verify_log()
    [f] = findings_of(report, "altered", entry_id=victim.pk)
    assert f.seq == seq_of(victim) and "created_at" in f.message
    assert only_kinds(report) == {"altered", "checkpoint"}


def test_leaf_that_is_json_but_not_an_object(scene):
    """A leaf rewritten (with its hash) to valid JSON that is not an event is reported, not a crash."""
    drop_append_only("ledger_entry")
    victim = scene.entry("record.view")
    leaf = b"[1,2,3]"
    sql("UPDATE ledger_entry SET leaf = %s, leaf_hash = %s WHERE id = %s", [leaf, leaf_hash(leaf).hex(), victim.pk])
    findings_of(verify_log(), "altered", entry_id=victim.pk)


# ---- 2. missing content files and blobs in a bundle ---------------------------------------------

def test_bundle_with_a_content_file_removed(exported):  # noqa: F811
    path, record = exported
    (path / "content" / f"record-{record.pk}-v2.json").unlink()
    problems = bundle.verify_bundle(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"content/record-{record.pk}-v2.json: missing")


def test_bundle_with_every_content_file_removed(exported):  # noqa: F811
    path, record = exported
    for f in (path / "content").iterdir():
        f.unlink()
    (path / "content").rmdir()
    problems = bundle.verify_bundle(path)
    approval = record.case.records.get(record_type__code="start_approval")
    assert sorted(p.split(":")[0] for p in problems) == sorted([
        f"content/record-{approval.pk}-v1.json", f"content/record-{record.pk}-v1.json",
        f"content/record-{record.pk}-v2.json"])


def test_bundle_with_a_blob_removed(exported):  # noqa: F811
    path, _ = exported
    [f] = (path / "blobs").iterdir()
    f.unlink()
    problems = bundle.verify_bundle(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"blobs/{f.name}: missing")


def test_bundle_with_the_blob_directory_removed(exported):  # noqa: F811
    path, _ = exported
    [f] = (path / "blobs").iterdir()
    f.unlink()
    (path / "blobs").rmdir()
    assert [p.split(":")[0] for p in bundle.verify_bundle(path)] == [f"blobs/{f.name}"]


def test_bundle_expects_no_content_file_for_cases(exported):  # noqa: F811
    """Case leaves carry a content hash but no version: no file is expected for them (the clean
    bundle verifies), while every record version is."""
    path, record = exported
    leaves = [json.loads(base64.b64decode(json.loads(line)["leaf"]))
              for line in (path / "entries.jsonl").read_text().splitlines()]
    assert any(e["object"]["type"] == "case" and e["content_sha256"] and e["object"]["version"] is None
               for e in leaves)
    # record.attach and record.sign leaves also name version 2 with its hash; v2's file is expected once.
    assert sum(1 for e in leaves if e["object"]["type"] == "record" and e["object"]["version"] == 2) > 1
    assert bundle.verify_bundle(path) == []


def test_standalone_verifier_fails_on_a_missing_blob(exported):  # noqa: F811

    path, _ = exported
    [f] = (path / "blobs").iterdir()
    f.unlink()
    result = run_bundle_verifier(path)
    assert result.returncode == 1
    assert f"FAIL blobs/{f.name}: missing" in result.stdout


# ---- 3. prove() proves the leaf bytes that are shown --------------------------------------------

def test_prove_fails_when_the_leaf_bytes_were_altered(scene):
    drop_append_only("ledger_entry")
    victim = scene.entry("record.create")
    stored = victim.leaf_hash
    leaf = flip_time_digit(bytes(victim.leaf))
    sql("UPDATE ledger_entry SET leaf = %s WHERE id = %s", [leaf, victim.pk])  # leaf_hash column untouched
    others = list(Entry.objects.filter(object_type="record", object_id=str(scene.record.pk))
                  .exclude(pk=victim.pk).values_list("id", flat=True))
    result = ledger.prove([victim.pk, *others])
    p = result["proofs"][0]
    assert p["entry_id"] == victim.pk and not p["ok"]
    assert p["error"] == "日志条目内容与其叶哈希不符"
    assert p["leaf_hash"] == leaf_hash(leaf).hex() != stored  # the hash of what the trail shows
    assert all(q["ok"] for q in result["proofs"][1:]), result["proofs"][1:]
    # The trail shows the altered bytes: the page must not show them as proven.
    [shown] = [e for e in ledger.trail("record", scene.record.pk) if e["entry_id"] == victim.pk]
    assert shown["time"] == json.loads(leaf)["time"]


def test_prove_fails_when_leaf_and_leaf_hash_were_both_rewritten(scene):
    drop_append_only("ledger_entry")
    victim = scene.entry("record.create")
    leaf = flip_time_digit(bytes(victim.leaf))
    sql("UPDATE ledger_entry SET leaf = %s, leaf_hash = %s WHERE id = %s", [leaf, leaf_hash(leaf).hex(), victim.pk])
    [p] = ledger.prove([victim.pk])["proofs"]
    assert not p["ok"] and p["error"]
    assert p["leaf_hash"] == leaf_hash(leaf).hex()


def test_prove_fails_when_only_the_leaf_hash_column_was_rewritten(scene):
    drop_append_only("ledger_entry")
    victim = scene.entry("record.create")
    sql("UPDATE ledger_entry SET leaf_hash = %s WHERE id = %s", ["00" * 32, victim.pk])
    [p] = ledger.prove([victim.pk])["proofs"]
    assert not p["ok"] and p["error"] == "日志条目内容与其叶哈希不符"


def test_prove_sm3_recomputes_with_the_configured_hash(db, gm):
    empty_ledger()  # a new log, hashed with SM3 from its first leaf
    with transaction.atomic():
        entries = [ledger.append("test.write", object_type="test", object_id=i) for i in range(3)]
    storage.integrate_all()  # prove() only reads: the integrator signs
    result = ledger.prove([e.pk for e in entries])
    assert all(p["ok"] for p in result["proofs"]), result["proofs"]
    assert [p["leaf_hash"] for p in result["proofs"]] == [leaf_hash(bytes(e.leaf), "sm3").hex() for e in entries]


# ---- 4. verify keeps only what the domain checks read -------------------------------------------

def test_subject_types_are_the_registered_ones():
    assert {"record", "case"} <= subjects.subject_types()
    assert "login" not in subjects.subject_types()


@pytest.mark.parametrize("held", [True, False], ids=["held", "streamed"])
def test_domain_checks_get_compact_events_for_registered_types_only(scene, monkeypatch, held):
    seen = {}
    # A small log's events are read at once and held; a large one's streamed (HELD_EVENTS).
    monkeypatch.setattr(verify_mod, "HELD_EVENTS", 10**9 if held else 0)
    kind = verify_mod.HeldEvents if held else verify_mod.StreamedEvents

    def spy(events):
        # The mappings (streamed: read from the database when iterated): gather them here to look.
        assert all(isinstance(m, kind) for m in events.values())
        seen.update({t: dict(m.items()) for t, m in events.items()})
        return real(events)

    real = verify_mod.check_subjects
    monkeypatch.setattr(verify_mod, "check_subjects", spy)
    _failed_login()
    with transaction.atomic():
        ledger.append("test.write", object_type="test", object_id=1, detail={"padding": "x" * 2000})
    from liuhen.records import services as records

    for _ in range(2):
        records.log_view(scene.world.officer, scene.record)
    records.log_view(scene.world.officer2, scene.record)
    storage.integrate_all()  # verify only reads: every event in the tree, each with its leaf index
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    # The scene's own types, and those of the rows every migrated database has: the record types
    # (the catalog sync) and the world's agency, units and certificates.
    # (The devices and footage apps' types come with no events: verify hands every registered type
    # its mapping.)
    # (Every registered type, whichever apps register more: issue 14's add theirs.)
    assert set(seen) == subjects.subject_types()
    assert {"record", "case", "user", "recordtype", "recordtypeversion", "agency", "unit",
            "certificate", "device", "device_signout", "device_return", "footage_ingest",
            "footage", "footage_link", "footage_unlink", "footage_mark", "av_field_trip",
            "av_interruption", "dock_station", "footage_upload", "footage_upload_end"} <= set(seen)
    assert "test" not in seen and "login" not in seen  # no checker for them: nothing kept
    for by_id in seen.values():
        for seq, entry_id, event in (ev for evs in by_id.values() for ev in evs):
            assert isinstance(seq, int) and isinstance(entry_id, int)
            assert set(event) == {"action", "object", "actor", "content_sha256", "blobs", "detail"}
            assert set(event["object"]) == {"type", "id", "version"}
    # What the checks read is kept as the leaf has it.
    attach = scene.entry("record.attach")
    [(_, _, ev)] = [e for e in seen["record"][str(scene.record.pk)] if e[1] == attach.pk]
    leaf = json.loads(bytes(attach.leaf))
    assert ev["action"] == "record.attach" and dict(ev["object"]) == leaf["object"]
    assert ev["content_sha256"] == leaf["content_sha256"] and list(ev["blobs"]) == leaf["blobs"]
    assert dict(ev["detail"]) == leaf["detail"]
    assert ev["actor"] == {"id": scene.world.officer.pk}
    # Every read is there, in log order, by whom.
    views = [e for _, _, e in seen["record"][str(scene.record.pk)] if e["action"] == "record.view"]
    assert len(views) == 4
    assert [v["actor"]["id"] for v in views[1:]] == [scene.world.officer.pk] * 2 + [scene.world.officer2.pk]
    seqs = [seq for seq, _, _ in seen["record"][str(scene.record.pk)]]
    assert seqs == sorted(seqs)


def test_streamed_events_skip_leaves_whose_columns_name_another_object(scene):
    """The mapping is grouped by the index columns; a leaf that names another object than its
    columns (reported by the leaf pass) is not handed to the checks under the wrong object."""
    drop_append_only("ledger_entry")
    victim = scene.entry("record.attach")
    sql("UPDATE ledger_entry SET object_id = %s WHERE id = %s", ["999999", victim.pk])
    storage.integrate_all()
    events = verify_mod.StreamedEvents("record")
    assert "999999" not in events
    assert victim.pk not in [entry_id for _, entry_id, _ in events[str(scene.record.pk)]]
    with pytest.raises(KeyError):
        events["999999"]
    report = verify_log()
    assert any(f.entry_id == victim.pk and "索引列" in f.message for f in report.findings)


def test_held_and_streamed_events_are_the_same_and_so_are_the_findings(scene, monkeypatch):
    """A log small enough has its events read at once (HeldEvents), a large one streamed: the checks
    get the same events, in the same order, queued ones included, and find the same."""
    from liuhen.records import services as records

    drop_append_only("ledger_entry")
    victim = scene.entry("record.attach")
    sql("UPDATE ledger_entry SET object_id = %s WHERE id = %s", ["999999", victim.pk])
    storage.integrate_all()
    records.log_view(scene.world.officer, scene.record)  # queued: not in the tree yet
    types = subjects.subject_types()
    monkeypatch.setattr(verify_mod, "HELD_EVENTS", 10**9)
    held = verify_mod.subject_events(types, 1)
    held_findings = [str(f) for f in verify_log().findings]
    monkeypatch.setattr(verify_mod, "HELD_EVENTS", 0)
    streamed = verify_mod.subject_events(types, 1)
    assert all(isinstance(m, verify_mod.StreamedEvents) for m in streamed.values())
    assert set(held) == set(streamed) == types
    record = str(scene.record.pk)
    for t in types:
        assert list(held[t].items()) == list(streamed[t].items()), t
        assert list(held[t]) == list(streamed[t]) and len(held[t]) == len(streamed[t])
    assert record in held["record"] and scene.record.pk in held["record"] and "999999" not in held["record"]
    assert held["record"][record] == streamed["record"][record] and held["record"][record][-1].seq is None
    with pytest.raises(KeyError):
        held["record"]["999999"]
    assert held_findings and held_findings == [str(f) for f in verify_log().findings]


def test_verify_without_domain_keeps_no_events(scene, monkeypatch):
    monkeypatch.setattr(verify_mod, "check_subjects", lambda events: pytest.fail("no domain check wanted"))
    assert verify_log(domain=False).ok


def test_record_proof_page_shows_the_altered_leaf_as_failed(scene, client):
    drop_append_only("ledger_entry")
    victim = scene.entry("record.create")
    sql("UPDATE ledger_entry SET leaf = %s WHERE id = %s", [flip_time_digit(bytes(victim.leaf)), victim.pk])
    client.force_login(scene.world.officer)
    body = client.get(f"/records/{scene.record.pk}/proof/").content.decode()
    assert "验证未通过" in body and "日志条目内容与其叶哈希不符" in body
