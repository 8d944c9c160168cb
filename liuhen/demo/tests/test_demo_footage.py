"""The demo's footage maker and its clock (liuhen/demo/footage.py): real files made by ffmpeg that
say when they were made, the time burned into the picture (or not, where no font can draw it),
and a clock that is back to the real one after the block, whatever happened in it."""
import datetime
import subprocess

import django.utils.timezone as django_timezone
import pytest
from django.utils import timezone

from liuhen.demo import footage as demo_footage
from liuhen.demo.footage import Clip, clock_at, make_files, nmea_track
from liuhen.devices.models import Device
from liuhen.media import probe


def test_clock_at_moves_the_clock_for_the_block_only():
    when = timezone.make_aware(datetime.datetime(2026, 3, 4, 8, 30))
    with clock_at(when):
        assert abs(timezone.now() - when) < datetime.timedelta(seconds=5)
        # A model's default=timezone.now (bound when the class was made) follows it too.
        created = Device._meta.get_field("created_at").get_default()
        assert abs(created - when) < datetime.timedelta(seconds=5)
        assert timezone.localdate() == datetime.date(2026, 3, 4)
        # Real datetimes are still datetimes to code that checks with the module's name.
        assert isinstance(datetime.datetime.now(), django_timezone.datetime)
    assert abs(timezone.now() - datetime.datetime.now(datetime.timezone.utc)) < datetime.timedelta(seconds=5)
    with pytest.raises(RuntimeError), clock_at(when):
        raise RuntimeError("a failed step")
    assert django_timezone.datetime is datetime.datetime


def test_nmea_sentences_carry_their_checksums():
    start = datetime.datetime(2026, 12, 1, 1, 17, 13, tzinfo=datetime.timezone.utc)
    lines = nmea_track(start, 3).splitlines()
    assert len(lines) == 8 and lines[0].startswith("$GPRMC,011713.00,A,41") and ",E," in lines[0]
    for line in lines:
        body, check = line[1:].split("*")
        x = 0
        for ch in body.encode("ascii"):
            x ^= ch
        assert f"{x:02X}" == check


def _gray_corner(path) -> bytes:
    """The top-left corner of a picture as gray bytes (where the camera's clock is burned in)."""
    return subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-vf", "crop=160:24:0:0", "-frames:v", "1",
                           "-f", "rawvideo", "-pix_fmt", "gray", "-"], capture_output=True, check=True).stdout


def test_files_say_when_they_were_made(tmp_path):
    shows = datetime.datetime(2026, 11, 30, 14, 5, 12)  # the device's wall clock, in 本溪
    clips = [Clip("DCIM/100AXIS/20261130_140512_0001.MP4", "video", shows, seconds=2, nmea=True,
                  overlay="JL-001  本溪市水务局  张明"),
             Clip("REC/261130_1405.MP3", "audio", shows, seconds=2),
             Clip("DCIM/100AXIS/20261130_140512_0002.JPG", "photo", shows, overlay="JL-001")]
    make_files(tmp_path, clips)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        "DCIM/100AXIS/20261130_140512_0001.MP4", "DCIM/100AXIS/20261130_140512_0001.NMEA",
        "DCIM/100AXIS/20261130_140512_0002.JPG", "REC/261130_1405.MP3"]
    utc = datetime.datetime(2026, 11, 30, 6, 5, 12, tzinfo=datetime.timezone.utc)  # 本溪 is UTC+8
    video = probe.probe(tmp_path / clips[0].path)
    assert (video.kind, video.creation_time, video.width) == ("video", utc, 480)
    assert 1.5 < video.duration < 2.5 and video.audio_codec
    audio = probe.probe(tmp_path / clips[1].path)
    assert (audio.kind, audio.creation_time) == ("audio", utc)
    assert probe.probe(tmp_path / clips[2].path).kind == "photo"
    assert (tmp_path / "DCIM/100AXIS/20261130_140512_0001.NMEA").read_text().startswith("$GPRMC,060512.00,")


@pytest.mark.skipif(not demo_footage._fonts()[0], reason="no font on this machine: nothing is burned in")
def test_the_clock_is_burned_in_and_an_ffmpeg_without_drawtext_only_leaves_it_out(tmp_path, monkeypatch):
    shows = datetime.datetime(2026, 11, 30, 14, 5, 12)
    make_files(tmp_path / "drawn", [Clip("p.JPG", "photo", shows, overlay="JL-001")])
    monkeypatch.setattr(demo_footage, "_fonts", lambda: ("", False))
    make_files(tmp_path / "plain", [Clip("p.JPG", "photo", shows, overlay="JL-001")])
    # An ffmpeg built without the drawtext filter (no libfreetype): the file is made again without
    # the overlay, not lost.
    monkeypatch.setattr(demo_footage, "_drawings",
                        lambda clip, workdir, overlay: ["no_such_drawtext=text=x"] if overlay else [])
    make_files(tmp_path / "fallback", [Clip("p.JPG", "photo", shows, overlay="JL-001")])
    drawn, plain, fallback = (_gray_corner(tmp_path / d / "p.JPG") for d in ("drawn", "plain", "fallback"))
    assert drawn != plain
    assert fallback == plain
