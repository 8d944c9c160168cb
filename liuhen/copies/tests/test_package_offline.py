"""The offline checker of a copy package (python -m liuhen.ledger.core.package DIR --vkey FILE), as
a court runs it: a good package passes; a file changed, a manifest hash changed, an entry altered
(even with the manifest's own hashes fixed up), a proof altered, a wrong key — each fails, saying
what and where, and exits non-zero."""
import base64
import hashlib
import json
import shutil

import pytest

from liuhen.copies.package import package_dir
from liuhen.ledger.core import note
from liuhen.ledger.core.package import verify_package
from liuhen.testing.copies import check_offline, vkey_file

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def made(db, fresh_home, settings, tmp_path, tmp_path_factory, django_db_blocker):
    # the package built once per run and copied in with its keys and files (liuhen.testing.demo):
    # liuhen.testing.copies.packaged_scene; each test checks a copy of its own
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.copies:packaged_scene", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    package = restore_scene(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)
    good = tmp_path / "received"
    shutil.copytree(package_dir(package), good)
    return good, vkey_file(tmp_path), package


def failed(root, vkey) -> dict[str, list[str]]:
    out = {}
    for c in verify_package(root, vkey.read_text()):
        if not c.ok:
            out.setdefault(c.code, []).append(c.message)
    return out


def manifest(root) -> dict:
    return json.loads((root / "manifest.json").read_text(encoding="utf-8"))


def rewrite(root, data: dict) -> None:
    (root / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def refix_package_files(root) -> None:
    """What a forger does next: make the manifest's hashes of the package's own files match again."""
    data = manifest(root)
    for name in data["package_files"]:
        data["package_files"][name] = hashlib.sha256((root / name).read_bytes()).hexdigest()
    rewrite(root, data)


def test_a_good_package_passes(made):
    root, vkey, package = made
    run = check_offline(root, vkey)
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    for code in ("checkpoint.signature", "entry.proof", "file.sha256", "file.add_event", "file.state",
                 "file.link_event", "request.event", "approval.event"):
        assert f"OK   {code}:" in out, code
    assert "FAIL" not in out and out.strip().endswith("复制包验证通过（" + out.strip().split("（")[-1])
    data = manifest(root)
    assert hashlib.sha256((root / "manifest.json").read_bytes()).hexdigest() == package.manifest_sha256
    assert data["case"]["number"] and data["request"]["receiver"] == "测试市平山区人民法院"
    assert {f["sha256"] for f in data["files"]} == set(package.request.item_blobs())
    f = data["files"][0]
    assert f["device"]["number"] and f["officer"]["name"] == "张明" and f["recorded_utc"]
    assert (root / f["path"]).name.startswith(f["sha256"] + "-")


def test_a_changed_file_fails(made):
    root, vkey, _ = made
    f = manifest(root)["files"][0]
    data = bytearray((root / f["path"]).read_bytes())
    data[len(data) // 2] ^= 1
    (root / f["path"]).write_bytes(bytes(data))
    problems = failed(root, vkey)
    assert list(problems) == ["file.sha256"] and f["path"] in problems["file.sha256"][0]
    run = check_offline(root, vkey)
    assert run.returncode == 1 and f"FAIL file.sha256: {f['path']}" in run.stdout


def test_a_changed_manifest_hash_fails(made):
    root, vkey, _ = made
    data = manifest(root)
    data["files"][0]["sha256"] = "0" * 64
    rewrite(root, data)
    problems = failed(root, vkey)
    # The file no longer hashes to the manifest, nor does the manifest say what the log recorded.
    assert {"file.sha256", "file.add_event", "file.state", "file.link_event", "request.event"} <= set(problems)


def test_a_changed_recorded_time_in_the_manifest_fails(made):
    root, vkey, _ = made
    data = manifest(root)
    data["files"][0]["recorded_utc"] = "2020-01-01T00:00:00+00:00"
    data["files"][0]["state"]["recorded_utc"] = "2020-01-01T00:00:00+00:00"
    rewrite(root, data)
    assert list(failed(root, vkey)) == ["file.state"]


def _entries(root):
    return [json.loads(line) for line in (root / "entries.jsonl").read_text().splitlines()]


def _write_entries(root, entries):
    (root / "entries.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries))


def test_an_altered_entry_fails_even_with_the_manifest_fixed_up(made):
    root, vkey, _ = made
    entries = _entries(root)
    for e in entries:
        event = json.loads(base64.b64decode(e["leaf"]))
        if event["action"] == "footage.add":
            event["blobs"] = ["f" * 64]  # another file's hash in its place
            e["leaf"] = base64.b64encode(json.dumps(event, ensure_ascii=False, sort_keys=True,
                                                    separators=(",", ":")).encode()).decode()
            break
    _write_entries(root, entries)
    assert "package.file" in failed(root, vkey)  # entries.jsonl no longer has its manifest hash
    refix_package_files(root)
    problems = failed(root, vkey)
    assert "entry.proof" in problems and "package.file" not in problems
    assert any("footage.add" in m and "包含证明不成立" in m for m in problems["entry.proof"])


def test_an_altered_proof_fails(made):
    root, vkey, _ = made
    entries = _entries(root)
    target = next(e for e in entries if e["proof"])
    node = bytearray(bytes.fromhex(target["proof"][0]))
    node[0] ^= 1
    target["proof"][0] = node.hex()
    _write_entries(root, entries)
    refix_package_files(root)
    problems = failed(root, vkey)
    assert problems["entry.proof"] == [m for m in problems["entry.proof"] if f"日志条目 {target['seq']}" in m]
    assert "package.file" not in problems and "checkpoint.signature" not in problems
    # What rests on that entry is unproven too (an unproven entry is not used).


def test_a_wrong_key_fails(made, tmp_path):
    root, _, _ = made
    other = tmp_path / "other.vkey"
    other.write_text(note.Ed25519Signer.generate("liuhen.local/ledger").vkey() + "\n")
    problems = failed(root, other)
    assert "checkpoint.signature" in problems and "entry.proof" in problems
    run = check_offline(root, other)
    assert run.returncode == 1 and "FAIL checkpoint.signature" in run.stdout


def test_a_package_of_its_own_key_is_not_trusted_without_vkey(made):
    root, _, _ = made
    run = check_offline(root, "")
    assert run.returncode == 2  # the key is read from --vkey, never assumed from the package


def test_an_extra_file_and_a_missing_file_fail(made):
    root, vkey, _ = made
    (root / "files" / "extra.mp4").write_bytes(b"not evidence")
    f = manifest(root)["files"][1]
    (root / f["path"]).unlink()
    problems = failed(root, vkey)
    assert set(problems) == {"file.extra", "file.present"}


def test_not_a_package(tmp_path, made):
    _, vkey, _ = made
    run = check_offline(tmp_path / "nothing", vkey)
    assert run.returncode == 2 and "manifest.json" in run.stderr
