"""The archival package (归档信息包) of a case and its 四性检测 (DA/T 70), offline: a package exported from
a case through decision and service passes every item; each fault of issue 19 — a changed byte, a
missing file, a swapped proof, a missing metadata element, a file in a disallowed format, an
embedded script — fails, naming its 四性 item, even after a forger has made the bag's manifests match."""
import json
import re
import shutil
import zlib

import pytest

from liuhen.archive.core import layout as L
from liuhen.testing.archive import check_offline, failed, rebag


@pytest.fixture
def exported(db, tmp_path_factory, django_db_blocker):
    """The package, exported once per run (the scene is built by the first test that asks, in a
    transaction rolled back; its files stay on disk): each test only reads files."""
    from liuhen.testing.demo import scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.archive:exported_scene", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    return snapshot.summary


@pytest.fixture
def bag(exported, tmp_path):
    """A copy of the exported package of this test's own."""
    return shutil.copytree(exported.bag, tmp_path / "received")


@pytest.fixture
def vkey(exported):
    return exported.vkey


def catalog(bag) -> dict:
    return json.loads((bag / "data" / L.CATALOG).read_text(encoding="utf-8"))


def item(bag, kind) -> dict:
    return next(i for i in catalog(bag)["items"] if i["kind"] == kind)


def test_the_exported_package_passes_every_item(bag, vkey, exported):
    assert failed(bag, vkey) == {}
    data = catalog(bag)
    assert data["case"]["number"] == exported.case_number
    kinds = [(i["kind"], i["stage"]) for i in data["items"]]
    # 卷内目录 in procedural order: 立案审批表 first, the 决定书 after the 询问笔录, the clip in its stage
    assert [i["number"] for i in data["items"]] == list(range(1, len(kinds) + 1))
    assert kinds[0] == ("document", "start") and ("media", "service") in kinds
    codes = [i.get("code") for i in data["items"]]
    assert codes.index("start_approval") < codes.index("inquiry_record") < codes.index("decision")
    decision = next(i for i in data["items"] if i.get("code") == "decision")
    assert decision["issued"] is True
    meta = (bag / "data" / decision["metadata"]).read_text(encoding="utf-8")
    # 保管期限 and 密级 from the profile's archive: section (base: permanent, internal)
    assert f"<文号>{exported.issued_number}</文号>" in meta and "<保管期限>永久</保管期限>" in meta
    assert "<密级>内部</密级>" in meta
    # The issued 决定书 is its PDF/A archive copy, 文号 and all; a 询问笔录 (never issued: no party holds
    # it) is rendered at export without a 草稿 mark.
    from liuhen.testing.documents import pdf_pages, pdf_text

    issued = (bag / "data" / decision["path"]).read_bytes()
    assert exported.issued_number in pdf_text(issued)
    inquiry = next(i for i in data["items"] if i.get("code") == "inquiry_record")
    rendered = (bag / "data" / inquiry["path"]).read_bytes()
    assert "草稿" not in pdf_text(rendered) and "询问笔录" in pdf_text(rendered)
    inquiry_meta = (bag / "data" / inquiry["metadata"]).read_text(encoding="utf-8")
    assert f"<页数>{pdf_pages(rendered)}</页数>" in inquiry_meta and "<文号>无</文号>" in inquiry_meta
    assert f"<件号>{inquiry['number']}</件号>" in inquiry_meta
    assert (bag / "bagit.txt").is_file() and (bag / "manifest-sha256.txt").is_file()


def test_the_checker_runs_alone_and_says_each_item_by_its_name(bag, vkey, tmp_path):
    key = tmp_path / "log.vkey"
    key.write_text(vkey)
    run = check_offline(bag, key)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    for name in ("真实性·信息包结构与固定性", "真实性·元数据记载的哈希值与文件一致", "真实性·检查点签名",
                 "真实性·日志包含证明", "真实性·文件哈希见于日志", "真实性·元数据与内容一致", "完整性·内容文件与元数据齐全", "完整性·件号连续", "完整性·元数据项齐全",
                 "可用性·文件可以打开", "可用性·长期保存格式", "可用性·未加密", "安全性·无活动内容", "安全性·归档过程留痕"):
        assert any(name in line and line.startswith("OK") for line in lines), name
    assert lines[-1].startswith("OK") and "四性检测通过" in lines[-1]
    assert not any(line.startswith("WARN") for line in lines)


def test_without_a_key_got_apart_the_package_s_own_key_is_used_and_warned(bag):
    run = check_offline(bag)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"^WARN authenticity\.signature 真实性·检查点签名: .*--vkey", run.stdout, re.M)


def test_a_wrong_key_fails_the_signature(bag, tmp_path):
    from liuhen.ledger.core import note

    other = note.Ed25519Signer.generate("other.example/log").vkey()
    assert set(failed(bag, other)) == {"authenticity.signature", "authenticity.proof",
                                       "authenticity.ledger_hash", "security.trace"}


def test_a_changed_byte_fails_authenticity(bag, vkey):
    clip = bag / "data" / item(bag, "media")["path"]
    data = bytearray(clip.read_bytes())
    data[len(data) // 2] ^= 1
    clip.write_bytes(bytes(data))
    assert "authenticity.bag" in failed(bag, vkey)
    rebag(bag)  # the manifests made to match: the metadata and the log still say the old hash
    assert set(failed(bag, vkey)) == {"authenticity.metadata_hash", "authenticity.ledger_hash"}


def test_a_missing_file_fails_integrity(bag, vkey):
    (bag / "data" / item(bag, "document")["path"]).unlink()
    assert {"authenticity.bag", "integrity.content"} <= set(failed(bag, vkey))
    rebag(bag)
    assert set(failed(bag, vkey)) == {"integrity.content"}


def test_a_missing_metadata_file_fails_integrity(bag, vkey):
    (bag / "data" / item(bag, "media")["metadata"]).unlink()
    rebag(bag)
    assert set(failed(bag, vkey)) == {"integrity.content"}


def test_a_swapped_proof_fails_authenticity(bag, vkey):
    path = bag / "data" / L.ENTRIES
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    lines[0]["proof"], lines[1]["proof"] = lines[1]["proof"], lines[0]["proof"]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    rebag(bag)
    bad = failed(bag, vkey)
    assert "authenticity.proof" in bad and len(bad["authenticity.proof"]) == 2


def test_a_missing_metadata_element_fails_integrity(bag, vkey):
    meta = bag / "data" / item(bag, "document")["metadata"]
    text = meta.read_text(encoding="utf-8")
    meta.write_text(re.sub(r"\s*<责任者>[^<]*</责任者>", "", text), encoding="utf-8")
    rebag(bag)
    bad = failed(bag, vkey)
    assert set(bad) == {"integrity.elements"} and "责任者" in bad["integrity.elements"][0]


def test_an_empty_metadata_element_fails_integrity(bag, vkey):
    meta = bag / "data" / item(bag, "media")["metadata"]
    meta.write_text(re.sub(r"<拍摄者>[^<]*</拍摄者>", "<拍摄者></拍摄者>", meta.read_text(encoding="utf-8")),
                    encoding="utf-8")
    rebag(bag)
    assert set(failed(bag, vkey)) == {"integrity.elements"}


def test_a_gap_in_the_numbers_fails_integrity(bag, vkey):
    data = catalog(bag)
    data["items"][-1]["number"] += 1
    (bag / "data" / L.CATALOG).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rebag(bag)
    assert set(failed(bag, vkey)) == {"integrity.numbering"}


def test_a_file_in_a_disallowed_format_fails_usability(bag, vkey):
    # A document that is not a PDF at all (a Word file under a .pdf name) and a PDF that is not PDF/A.
    doc = item(bag, "document")
    (bag / "data" / doc["path"]).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    rebag(bag)
    bad = failed(bag, vkey)
    assert "usability.format" in bad and "不是允许的长期保存格式" in bad["usability.format"][0]


PLAIN_PDF = (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
             b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def test_a_pdf_that_is_not_pdf_a_fails_usability(bag, vkey):
    # A PDF with no XMP saying it is PDF/A: a plain PDF, which DA/T 47 does not take for the long term.
    (bag / "data" / item(bag, "document")["path"]).write_bytes(PLAIN_PDF)
    rebag(bag)
    bad = failed(bag, vkey)
    assert "usability.format" in bad and "PDF/A" in bad["usability.format"][0]


def test_a_truncated_clip_does_not_open(bag, vkey):
    clip = bag / "data" / item(bag, "media")["path"]
    clip.write_bytes(clip.read_bytes()[:3000])
    rebag(bag)
    assert "usability.opens" in failed(bag, vkey)


def test_an_encrypted_pdf_fails_usability(bag, vkey):
    path = bag / "data" / item(bag, "document")["path"]
    # An incremental update whose trailer names an encryption dictionary.
    path.write_bytes(path.read_bytes() + b"\ntrailer\n<< /Root 1 0 R /Encrypt 99 0 R >>\n%%EOF\n")
    rebag(bag)
    assert "usability.encryption" in failed(bag, vkey)


def _inject(path, text: bytes) -> None:
    """An object added at the end of the PDF, as an incremental update would append it."""
    data = path.read_bytes()
    path.write_bytes(data + b"\n99 0 obj\n" + text + b"\nendobj\n%%EOF\n")


def test_an_embedded_script_fails_security(bag, vkey):
    path = bag / "data" / item(bag, "document")["path"]
    _inject(path, b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>")
    rebag(bag)
    bad = failed(bag, vkey)
    assert "security.active" in bad and "/JavaScript" in bad["security.active"][0] and "/JS" in bad["security.active"][0]


def test_a_script_hidden_in_an_object_stream_fails_security(bag, vkey):
    path = bag / "data" / item(bag, "document")["path"]
    hidden = zlib.compress(b"<< /Type /Action /S /Launch /F (calc.exe) >>")
    _inject(path, b"<< /Type /ObjStm /N 1 /First 0 /Filter /FlateDecode /Length %d >>\nstream\n" % len(hidden)
            + hidden + b"\nendstream")
    rebag(bag)
    assert "/Launch" in failed(bag, vkey)["security.active"][0]


def test_an_executable_file_fails_security(bag, vkey):
    script = bag / "data" / L.MEDIA / "run.sh"
    script.write_text("#!/bin/sh\nrm -rf /\n")
    script.chmod(0o755)
    rebag(bag)
    bad = failed(bag, vkey)
    assert "security.executable" in bad and "扩展名 .sh" in bad["security.executable"][0]
    assert "integrity.extra" in bad


def test_an_executable_bit_alone_fails_security(bag, vkey):
    (bag / "data" / item(bag, "document")["path"]).chmod(0o755)
    assert set(failed(bag, vkey)) == {"security.executable"}


def test_a_symbolic_link_fails_security(bag, vkey):
    (bag / "data" / L.MEDIA / "passwd.jpg").symlink_to("/etc/passwd")
    assert "符号链接" in failed(bag, vkey)["security.executable"][0]


def test_a_changed_catalog_hash_fails_and_exit_is_one(bag, vkey, tmp_path):
    data = catalog(bag)
    data["items"][0]["sha256"] = "0" * 64
    (bag / "data" / L.CATALOG).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    key = tmp_path / "k"
    key.write_text(vkey)
    run = check_offline(bag, key)
    assert run.returncode == 1
    assert re.search(r"^FAIL authenticity\.bag 真实性·信息包结构与固定性", run.stdout, re.M)
    assert re.search(r"^FAIL authenticity\.metadata_hash 真实性·元数据记载的哈希值与文件一致", run.stdout, re.M)
    assert run.stdout.splitlines()[-1].startswith("FAIL 四性检测未通过")


def test_what_is_not_a_package_exits_two(tmp_path, bag):
    run = check_offline(tmp_path / "nothing")
    assert run.returncode == 2 and "不是 BagIt 信息包" in run.stderr
    (bag / "data" / L.CATALOG).write_text("{not json")
    run = check_offline(bag)
    assert run.returncode == 2 and "catalog.json" in run.stderr and not run.stdout


def test_a_catalog_of_the_wrong_shape_exits_two(bag):
    data = catalog(bag)
    data["items"][0]["entries"] = [[1]]
    (bag / "data" / L.CATALOG).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = check_offline(bag)
    assert run.returncode == 2 and "结构无效" in run.stderr and "Traceback" not in run.stderr


def test_the_checker_imports_nothing_of_django():
    import subprocess
    import sys

    code = ("import sys, liuhen.archive.core.check; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django' or "
            "(m.startswith('liuhen.') and not m.startswith(('liuhen.archive.core', 'liuhen.ledger.core')))))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    # only the packages' own __init__ (a docstring each) beside the two cores
    assert run.stdout.strip() == "['liuhen.archive', 'liuhen.ledger']", run.stdout


@pytest.mark.parametrize("name,fmt", [("p.jpg", "jpeg"), ("p.png", "png"), ("a.wav", "wav")])
def test_a_photo_or_a_recording_cut_off_does_not_open(tmp_path, name, fmt):
    from liuhen.archive.core.check import opens, sniff
    from liuhen.testing.footage import audio, photo, truncated

    whole = (audio if fmt == "wav" else photo)(tmp_path / name)
    assert sniff(whole.read_bytes()[:16]) == fmt and opens(whole, fmt)
    cut = truncated(whole, tmp_path / f"cut-{name}", keep=whole.stat().st_size // 2)
    assert not opens(cut, fmt)


# ---- 真实性·元数据与内容一致: what the metadata says of a file is what the file is ------------------------

def _edit_metadata(bag, kind, pattern, replacement) -> None:
    meta = bag / "data" / item(bag, kind)["metadata"]
    text = meta.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text)
    assert changed != text, pattern
    meta.write_text(changed, encoding="utf-8")
    rebag(bag)  # the forger makes the manifests match: only the metadata's own check can tell


def test_a_page_count_changed_in_the_metadata_fails_only_metadata_content(bag, vkey):
    _edit_metadata(bag, "document", r"<页数>\d+</页数>", "<页数>7</页数>")
    bad = failed(bag, vkey)
    assert set(bad) == {"authenticity.metadata_content"}
    assert "页数记载为 7，PDF 实有 1 页" in bad["authenticity.metadata_content"][0]


def test_a_duration_changed_in_the_metadata_fails_only_metadata_content(bag, vkey):
    _edit_metadata(bag, "media", r"<时长>[^<]*</时长>", "<时长>9.0秒</时长>")
    bad = failed(bag, vkey)
    assert set(bad) == {"authenticity.metadata_content"}
    assert "时长记载为 9.0秒，文件实为 1.0秒" in bad["authenticity.metadata_content"][0]


def test_a_duration_within_a_second_passes(bag, vkey):
    _edit_metadata(bag, "media", r"<时长>[^<]*</时长>", "<时长>1.8秒</时长>")
    assert failed(bag, vkey) == {}


def test_a_format_changed_in_the_metadata_fails_only_metadata_content(bag, vkey):
    assert "<格式>MP4</格式>" in (bag / "data" / item(bag, "media")["metadata"]).read_text(encoding="utf-8")
    _edit_metadata(bag, "media", r"<格式>MP4</格式>", "<格式>WAV</格式>")
    bad = failed(bag, vkey)
    assert set(bad) == {"authenticity.metadata_content"}
    assert "格式记载为“WAV”，文件实为 MP4" in bad["authenticity.metadata_content"][0]


def test_a_photo_s_duration_said_of_a_video_fails(bag, vkey):
    _edit_metadata(bag, "media", r"<时长>[^<]*</时长>", "<时长>不适用</时长>")
    assert set(failed(bag, vkey)) == {"authenticity.metadata_content"}


def test_durations_are_read_from_the_containers(tmp_path):
    from liuhen.archive.core.check import duration
    from liuhen.testing.footage import audio, photo, video

    assert abs(duration(video(tmp_path / "v.mp4", 2.0), "mp4") - 2.0) < 0.2
    assert abs(duration(audio(tmp_path / "a.wav", 1.5), "wav") - 1.5) < 0.05
    assert duration(photo(tmp_path / "p.jpg"), "jpeg") is None
    assert duration(tmp_path / "absent.mp4", "mp4") is None


# ---- the 案卷 (data/volume.pdf) in the package -----------------------------------------------------------

def test_the_volume_is_in_the_package_and_its_hash_in_the_export_event(bag, vkey):
    from liuhen.archive.core.check import check_package
    from liuhen.testing.documents import pdf_metadata, pdf_pages

    data = catalog(bag)
    volume = bag / "data" / data["volume"]["path"]
    assert data["volume"]["path"] == L.VOLUME == "volume.pdf"
    assert data["volume"]["pages"] == pdf_pages(volume.read_bytes())
    assert "pdfaid:part" in pdf_metadata(volume.read_bytes())
    lines = [c.line() for c in check_package(bag, vkey) if "案卷 volume.pdf" in c.message]
    # present, hash in the catalog and the export event, opens, PDF/A, not encrypted, no script, pages
    assert len(lines) == 8 and all(line.startswith("OK") for line in lines), lines


def test_a_changed_volume_fails_authenticity(bag, vkey):
    path = bag / "data" / L.VOLUME
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    rebag(bag)
    bad = failed(bag, vkey)
    assert {"authenticity.metadata_hash", "authenticity.ledger_hash"} <= set(bad)
    assert "案卷 volume.pdf" in bad["authenticity.ledger_hash"][0]


def test_a_missing_volume_fails_integrity(bag, vkey):
    (bag / "data" / L.VOLUME).unlink()
    rebag(bag)
    bad = failed(bag, vkey)
    assert set(bad) == {"integrity.content"} and "案卷" in bad["integrity.content"][0]


def test_a_volume_page_count_changed_in_the_catalog_fails_metadata_content(bag, vkey):
    data = catalog(bag)
    data["volume"]["pages"] += 1
    (bag / "data" / L.CATALOG).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rebag(bag)
    assert set(failed(bag, vkey)) == {"authenticity.metadata_content"}


@pytest.mark.parametrize("container,codec,fmt", [
    ("mov,mp4,m4a,3gp,3g2,mj2", "h264", "MP4"), ("wav", "", "WAV"), ("mp3", "", "MP3"),
    ("jpeg_pipe", "mjpeg", "JPEG"), ("png_pipe", "png", "PNG"), ("image2", "png", "PNG"), ("image2", "mjpeg", "JPEG"),
    ("matroska,webm", "vp9", "matroska,webm"), ("", "", "MP4")])
def test_the_media_format_is_named_as_the_checker_matches_it(container, codec, fmt):
    from types import SimpleNamespace

    from liuhen.archive.contents import media_format

    # a container the archive does not take keeps ffprobe's name (the checker then names the mismatch);
    # a file never probed its kind's
    item = SimpleNamespace(facts={"container": container, "video_codec": codec}, kind="video")
    assert media_format(item) == fmt
