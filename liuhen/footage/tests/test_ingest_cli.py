"""`liuhen ingest DIR --device NUMBER`: footage into custody, with ffmpeg-made media (never committed)."""
import datetime
import json
import os

import pytest
from django.utils import timezone

from liuhen.footage import vocabulary as v
from liuhen.footage.models import FootageItem, Ingest
from liuhen.ledger.models import Entry
from liuhen.media import store
from liuhen.testing.footage import truncated, video
from liuhen.testing.ingest import NUMBER, dump, ingest, iso_utc, signed_out_camera

pytestmark = pytest.mark.django_db


def test_new_files_attributed_to_the_holder_with_report_and_manifest(world, tmp_path):
    d, admin = signed_out_camera(world)
    root = dump(tmp_path, "VID_0001.MP4", "VID_0002.MP4", recorded=timezone.now() + datetime.timedelta(seconds=5))
    (root / "DCIM" / "100MEDIA" / "VID_0001.NMEA").write_text("$GPGGA,093000.00,3954.0,N,11623.0,E,1,08\n")
    (root / "DCIM" / "100MEDIA" / "VID_0002_Info.dat").write_bytes(b"\x01camera info")
    manifest = tmp_path / "manifest.json"
    run = ingest(str(root), "--device", NUMBER, "--manifest", str(manifest), "--json")
    assert run.code == 0, run.err
    files = run.by_name()
    assert set(files) == {"DCIM/100MEDIA/VID_0001.MP4", "DCIM/100MEDIA/VID_0002.MP4", "DCIM/100MEDIA/VID_0001.NMEA",
                          "DCIM/100MEDIA/VID_0002_Info.dat"}
    assert {f["status"] for f in files.values()} == {"new"}
    items = {i.name: i for i in FootageItem.objects.all()}
    vid = items["VID_0001.MP4"]
    assert vid.officer == world.officer and vid.flags == [] and vid.kind == "video" and vid.time_source == "metadata"
    assert vid.recorded_utc is not None and vid.utc_offset_minutes == 480 and vid.creation_time == vid.recorded_utc
    assert vid.facts["video_codec"] == "h264" and vid.duration and vid.duration > 0
    assert vid.recorded_local == timezone.localtime(vid.recorded_utc).strftime("%Y-%m-%dT%H:%M:%S")
    assert vid.blob_id == files["DCIM/100MEDIA/VID_0001.MP4"]["sha256"]
    # The sidecar is kept beside its video, as its own stored file.
    nmea = items["VID_0001.NMEA"]
    assert nmea.video == vid and nmea.kind == "sidecar" and nmea.officer == world.officer
    assert items["VID_0002_Info.dat"].video == items["VID_0002.MP4"]
    # The manifest confirms each file whose stored copy was read back and re-hashed.
    data = json.loads(manifest.read_text())
    assert sorted(data["confirmed"]) == sorted(files)
    assert all(f["confirmed"] and store.verify(f["sha256"]) for f in data["files"])
    # A progress line per file on stderr; each item in the ledger with its blob.
    assert "[1/4]" in run.err and "[4/4]" in run.err
    adds = Entry.objects.filter(action=v.ADD)
    assert adds.count() == 4
    assert Entry.objects.filter(action=v.INGEST).count() == 1


def test_rerun_is_idempotent(world, tmp_path):
    signed_out_camera(world)
    root = dump(tmp_path, "A.MP4", recorded=timezone.now() + datetime.timedelta(seconds=5))
    assert ingest(str(root), "--device", NUMBER, "--json").code == 0
    again = ingest(str(root), "--device", NUMBER, "--json")
    assert again.code == 0
    (only,) = again.report["files"]
    assert only["status"] == "duplicate" and only["sha256"] == FootageItem.objects.get().blob_id
    assert FootageItem.objects.count() == 1 and Ingest.objects.count() == 2
    # The default manifest sits beside DIR, and confirms the duplicate too (it is stored, verified).
    data = json.loads((root.parent / "dump.liuhen-manifest.json").read_text())
    assert data["confirmed"] == ["DCIM/100MEDIA/A.MP4"]


def test_bad_files_are_rejected_with_chinese_reasons_and_exit_1(world, tmp_path, settings):
    signed_out_camera(world)
    when = timezone.now() + datetime.timedelta(seconds=5)
    root = dump(tmp_path, "GOOD.MP4", recorded=when)
    folder = root / "DCIM" / "100MEDIA"
    (folder / "NOTES.MP4").write_text("这不是视频\n")  # a text file named .mp4
    truncated(folder / "GOOD.MP4", folder / "CUT.MP4")
    (folder / "EMPTY.MP4").write_bytes(b"")
    (folder / "LONE.txt").write_text("no video beside me")
    (folder / "..\\..\\EVIL.MP4").write_bytes((folder / "GOOD.MP4").read_bytes()[:100])  # a Windows-style climb
    outside = video(tmp_path / "outside.mp4", 0.5, creation_time=iso_utc(when))
    os.symlink(outside, folder / "LINK.MP4")
    big = video(folder / "BIG.MP4", 2.0, creation_time=iso_utc(when))
    settings.LIUHEN_FOOTAGE_MAX_BYTES = big.stat().st_size - 1
    run = ingest(str(root), "--device", NUMBER, "--json")
    assert run.code == 1
    files = {k.rsplit("/", 1)[-1]: f for k, f in run.by_name().items()}
    assert files["GOOD.MP4"]["status"] == "new"
    reasons = {n: f["reason"] for n, f in files.items() if f["status"] == "rejected"}
    assert set(reasons) == {"NOTES.MP4", "CUT.MP4", "EMPTY.MP4", "LONE.txt", "LINK.MP4", "BIG.MP4", "..\\..\\EVIL.MP4"}
    assert "../" in reasons["..\\..\\EVIL.MP4"]
    assert "不是可识别的音视频" in reasons["NOTES.MP4"]
    assert "损坏" in reasons["CUT.MP4"]
    assert "为空" in reasons["EMPTY.MP4"]
    assert "符号链接" in reasons["LINK.MP4"]
    assert "大小上限" in reasons["BIG.MP4"]
    assert "附属文件" in reasons["LONE.txt"]
    assert all(files[n]["sha256"] == "" for n in reasons)
    # Nothing of a rejected file is stored; each refusal is in the ledger, by code.
    assert FootageItem.objects.count() == 1
    assert Entry.objects.filter(action=v.REJECTED).count() == 7


def test_name_climbing_out_is_refused(world, tmp_path):
    """A dock or script naming `../x.mp4` gets a refusal, not the file beside the folder."""
    from liuhen.footage import services

    d, _ = signed_out_camera(world)
    root = dump(tmp_path, "IN.MP4")
    video(tmp_path / "secret.mp4", 0.5)
    run = services.start_ingest(None, d)
    (r1, r2) = services.ingest_files(run, root, ["../secret.mp4", "DCIM/../../secret.mp4"])
    assert r1.status == r2.status == "rejected" and "../" in r1.reason
    assert not FootageItem.objects.exists()


def test_unknown_device_refuses_the_whole_ingest(world, tmp_path):
    signed_out_camera(world)
    root = dump(tmp_path, "A.MP4")
    before = Entry.objects.count()
    run = ingest(str(root), "--device", "NOPE-1", "--json")
    assert run.code == 2 and "未登记" in run.err
    assert not FootageItem.objects.exists() and not Ingest.objects.exists()
    assert Entry.objects.count() == before
    assert not (root.parent / "dump.liuhen-manifest.json").exists()


def test_unknown_device_refusal_of_a_person_is_in_the_ledger(world, tmp_path):
    signed_out_camera(world)
    root = dump(tmp_path, "A.MP4")
    run = ingest(str(root), "--device", "NOPE-1", "--as", world.officer.username)
    assert run.code == 2
    e = Entry.objects.get(action=v.DENIED)
    assert e.actor_id == world.officer.pk and e.object_type == v.HOLDING


def test_someone_without_the_right_is_refused(world, tmp_path):
    signed_out_camera(world)
    root = dump(tmp_path, "A.MP4")
    run = ingest(str(root), "--device", NUMBER, "--as", world.sysadmin.username)
    assert run.code == 2 and "设备管理员或执法人员" in run.err
    assert not Ingest.objects.exists()
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.sysadmin.pk).exists()


def test_bad_arguments_exit_2(world, tmp_path):
    signed_out_camera(world)
    assert ingest(str(tmp_path / "missing"), "--device", NUMBER).code == 2
    root = dump(tmp_path, "A.MP4")
    assert ingest(str(root), "--device", NUMBER, "--device-time", "yesterday").code == 2
    assert ingest(str(root), "--device", NUMBER, "--as", "nobody").code == 2
    assert not FootageItem.objects.exists()


def test_recorded_while_not_signed_out_is_flagged_not_assigned(world, tmp_path):
    signed_out_camera(world)
    root = dump(tmp_path, "OLD.MP4", recorded=timezone.now() - datetime.timedelta(days=2))
    assert ingest(str(root), "--device", NUMBER).code == 0
    item = FootageItem.objects.get()
    assert item.officer is None and v.FLAG_NOT_SIGNED_OUT in item.flags


def test_signed_out_to_someone_else_at_the_recording_time(world, tmp_path):
    """Officer 张明 ingests footage recorded while 李强 held the camera: it is 李强's, flagged."""
    signed_out_camera(world, officer=world.officer2)
    root = dump(tmp_path, "A.MP4", recorded=timezone.now() + datetime.timedelta(seconds=5))
    run = ingest(str(root), "--device", NUMBER, "--as", world.officer.username, "--json")
    assert run.code == 0, run.err
    item = FootageItem.objects.get()
    assert item.officer == world.officer2 and item.ingested_by == world.officer
    assert v.FLAG_UPLOADER_NOT_HOLDER in item.flags


def test_name_officer_differs_is_flagged(world, tmp_path):
    signed_out_camera(world)
    now = timezone.now() + datetime.timedelta(seconds=5)
    name = f"{NUMBER}_999999_{timezone.localtime(now):%Y%m%d%H%M%S}.MP4"
    root = dump(tmp_path, name, recorded=now)
    assert ingest(str(root), "--device", NUMBER).code == 0
    item = FootageItem.objects.get()
    assert item.officer == world.officer  # the register decides; the name's claim is recorded
    assert v.FLAG_NAME_MISMATCH in item.flags
    assert [d["code"] for d in item.discrepancies] == ["name_officer"]


def test_device_clock_drift_is_kept_with_the_ingest(world, tmp_path):
    signed_out_camera(world)
    root = dump(tmp_path, "A.MP4", recorded=timezone.now() + datetime.timedelta(seconds=5))
    skew = (timezone.now() + datetime.timedelta(minutes=10)).isoformat()
    assert ingest(str(root), "--device", NUMBER, "--device-time", skew).code == 0
    run = Ingest.objects.get()
    assert run.clock_flag == "drift" and 590_000 < run.clock_drift_ms < 610_000
    assert v.FLAG_CLOCK_DRIFT in FootageItem.objects.get().flags
