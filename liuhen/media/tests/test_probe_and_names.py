"""ffprobe facts and camera file names (issue 13 §4), on media made by ffmpeg in the test."""
import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from liuhen.media.names import DEFAULT_PATTERNS, NamePattern, discrepancies, parse_name
from liuhen.media.probe import Kind, facts_from, probe
from liuhen.testing import footage as media

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("media")
    clip = media.video(d / "clip.mp4", creation_time="2026-11-30T01:30:00.000000Z")
    return {
        "clip": clip,
        "nodate": media.video(d / "nodate.mp4"),
        "old_clock": media.video(d / "old.mp4", creation_time="2000-01-01T00:00:05Z"),
        "wav": media.audio(d / "talk.wav"),
        "jpg": media.photo(d / "scene.jpg"),
        "truncated": media.truncated(clip, d / "cut.mp4"),
        "text": _write(d / "notes.mp4", b"hello, this is not a video\n"),
        "empty": _write(d / "empty.mp4", b""),
    }


def _write(path, data):
    path.write_bytes(data)
    return path


def test_a_video_gives_kind_duration_codecs_size_and_its_creation_time(files):
    f = probe(files["clip"])
    assert (f.kind, f.video_codec, f.audio_codec, f.width, f.height) == (Kind.VIDEO, "h264", "aac", 320, 240)
    assert f.duration == pytest.approx(1.0, abs=0.1)
    assert f.creation_time_raw.startswith("2026-11-30T01:30:00")
    assert f.creation_time == datetime.datetime(2026, 11, 30, 1, 30, tzinfo=datetime.timezone.utc)
    assert f.flags == ()
    assert f.as_dict()["creation_time"] == "2026-11-30T01:30:00+00:00"


def test_audio_and_photo(files):
    assert probe(files["wav"]).kind == Kind.AUDIO
    photo = probe(files["jpg"])
    assert (photo.kind, photo.duration, photo.width) == (Kind.PHOTO, None, 64)


def test_a_missing_or_unset_clock_is_a_flag_not_a_guess(files):
    nodate = probe(files["nodate"])
    assert (nodate.creation_time, nodate.flags) == (None, ("no_creation_time",))
    old = probe(files["old_clock"])
    assert "clock_never_set" in old.flags and old.creation_time.year == 2000  # kept as the file says


@pytest.mark.parametrize("name, message", [
    ("text", "不是可识别的音视频或照片文件"), ("truncated", "不是可识别的音视频或照片文件"), ("empty", "文件为空")])
def test_what_is_no_media_is_refused_in_chinese_naming_the_file(files, name, message):
    with pytest.raises(ValidationError) as exc:
        probe(files[name])
    assert message in exc.value.messages[0] and files[name].name in exc.value.messages[0]


def test_a_stream_without_audio_or_video_is_refused():
    with pytest.raises(ValidationError):
        facts_from({"format_name": "data"}, [{"codec_type": "data"}])


# ---- names ------------------------------------------------------------------------------------

def test_the_device_badge_time_pattern():
    p = parse_name("DCIM/100MEDIA/BX10001_140001_20261130093000.MP4")
    assert (p.pattern, p.device, p.officer) == ("device_badge_time", "BX10001", "140001")
    assert p.start_local == datetime.datetime(2026, 11, 30, 9, 30)


def test_axis_names_and_unknown_names():
    assert parse_name("20220823_114706_4821.mkv").start_local == datetime.datetime(2022, 8, 23, 11, 47, 6)
    assert parse_name("holiday.mp4") is None
    assert parse_name("BX10001_140001_20261345093000.MP4").start_local is None  # month 13: no time


def test_patterns_are_configuration():
    mine = NamePattern("station", "站点", r"(?P<officer>\d{6})-(?P<start>\d{12})", "%y%m%d%H%M%S")
    assert parse_name("140001-261130093000.mp4", (mine,)).officer == "140001"
    assert parse_name("140001-261130093000.mp4", DEFAULT_PATTERNS) is None


def test_name_metadata_and_register_disagreements_are_recorded():
    p = parse_name("BX10001_140001_20261130093000.MP4")
    # Metadata in UTC: 01:30:00Z is 09:30 in Shanghai, the camera's local clock — no discrepancy.
    ok = discrepancies(p, device_number="BX10001", officer_number="140001",
                       creation_time=datetime.datetime(2026, 11, 30, 1, 30, 2, tzinfo=datetime.timezone.utc),
                       tz=SHANGHAI)
    assert ok == []
    found = discrepancies(p, device_number="BX10002", officer_number="140009",
                          creation_time=datetime.datetime(2026, 11, 30, 1, 35, tzinfo=datetime.timezone.utc),
                          tz=SHANGHAI)
    assert [d.code for d in found] == ["name_device", "name_officer", "name_time"]
    assert found[2].seconds == 300 and "+300 秒" in found[2].message
    assert discrepancies(None, device_number="X") == []


# ---- poster frames ------------------------------------------------------------------------------

def test_a_poster_frame_is_a_small_jpeg_and_the_original_is_untouched(files, tmp_path):
    import hashlib

    from liuhen.media.poster import poster_jpeg

    before = hashlib.sha256(files["clip"].read_bytes()).hexdigest()
    jpeg = poster_jpeg(files["clip"], at_seconds=0.5, width=160)
    out = tmp_path / "poster.jpg"
    out.write_bytes(jpeg)
    facts = probe(out)
    assert jpeg[:2] == b"\xff\xd8" and (facts.kind, facts.width, facts.height) == (Kind.PHOTO, 160, 120)
    assert poster_jpeg(files["clip"], at_seconds=30)[:2] == b"\xff\xd8"  # past the end: the first frame
    assert hashlib.sha256(files["clip"].read_bytes()).hexdigest() == before
    with pytest.raises(ValidationError):
        poster_jpeg(files["text"])
