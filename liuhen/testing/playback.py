"""Test helpers of footage playback and the list: a camera's dump with a video (and its GPS
sidecar), a photo and a recording, ingested for the world's officer; a broken stored video."""
import datetime
from pathlib import Path

from django.utils import timezone

from liuhen.footage.models import FootageItem
from liuhen.testing.footage import audio, photo, video
from liuhen.testing.ingest import NUMBER, ingest, iso_utc


def camera_of(world, officer, number: str):
    """The camera `number`, registered and signed out now to `officer` (by one 设备管理员 per world)."""
    from liuhen.accounts.models import User
    from liuhen.devices import services as dev
    from liuhen.devices.models import Device
    from liuhen.testing.devices import camera, device_admin

    admin = User.objects.filter(username="shebei").first() or device_admin(world)
    d = Device.objects.filter(agency=world.agency, number=number).first()
    if d is None:
        d = camera(world, number=number)
        dev.sign_out(admin, d, officer)
    world.device_admin = admin
    return d


def ingested(world, tmp_path: Path, *, officer=None, number=NUMBER, recorded=None, seconds: float = 2.0,
             prefix: str = "") -> dict:
    """{name: FootageItem}: VID.MP4 (+ VID.NMEA), PIC.JPG and REC.WAV recorded at `recorded` (now by
    default) on a camera signed out to `officer` (the world's officer), ingested by the system."""
    when = recorded or timezone.now() + datetime.timedelta(seconds=5)
    camera_of(world, officer or world.officer, number)
    root = tmp_path / f"dump-{number}-{prefix}"
    folder = root / "DCIM"
    folder.mkdir(parents=True, exist_ok=True)
    video(folder / f"{prefix}VID.MP4", seconds, creation_time=iso_utc(when))
    (folder / f"{prefix}VID.NMEA").write_text("$GPRMC,013000.00,A,4117.0,N,12346.0,E,0.0,0.0,011226,,,A*00\n")
    photo(folder / f"{prefix}PIC.JPG")
    audio(folder / f"{prefix}REC.WAV", 1.0)
    run = ingest(str(root), "--device", number)
    assert run.code == 0, run.err
    return {it.name: it for it in FootageItem.objects.filter(device__number=number, name__startswith=prefix)}


def only_video(world, tmp_path: Path, name: str, *, officer=None, number=NUMBER, recorded=None,
               seconds: float = 1.0, size: str = "320x240") -> FootageItem:
    """One video `name` on camera `number` (signed out to `officer`), recorded at `recorded`."""
    when = recorded or timezone.now() + datetime.timedelta(seconds=5)
    camera_of(world, officer or world.officer, number)
    root = tmp_path / f"one-{number}-{name}"
    root.mkdir(parents=True, exist_ok=True)
    video(root / name, seconds, creation_time=iso_utc(when), size=size)
    run = ingest(str(root), "--device", number)
    assert run.code == 0, run.err
    return FootageItem.objects.get(device__number=number, name=name)
