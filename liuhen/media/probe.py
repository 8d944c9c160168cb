"""What a media file says of itself (音像资料的元数据), read with ffprobe (issue 13 §4).

Kind (video, audio, photo), container, duration, codecs, resolution and the creation time the
file carries. The time is kept as the file states it (`creation_time_raw`) and parsed apart: a
camera whose clock was never set writes 1970 or 2000, and that is recorded as a fact to flag,
never corrected by guessing. ffprobe reads the file's headers, not every frame; it runs with a
time limit and never on more than the file it is given.
"""
import datetime
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

PROBE_SECONDS = 60
# Containers ffprobe reports for still pictures (a photo is one video frame in an image container).
IMAGE_FORMATS = frozenset({"image2", "jpeg_pipe", "png_pipe", "bmp_pipe", "tiff_pipe", "webp_pipe",
                           "gif", "heif"})
# A clock never set: cameras start at their epoch (1970, 2000, 2010…) after a flat battery. A
# recording made before this is not a time but a missing one (SPEC §3: date and time are checked
# before use).
CLOCK_NEVER_SET_BEFORE = datetime.datetime(2012, 1, 1, tzinfo=datetime.timezone.utc)


class Kind:
    VIDEO = "video"  # 视频
    AUDIO = "audio"  # 录音
    PHOTO = "photo"  # 照片

    LABELS = {VIDEO: "视频", AUDIO: "录音", PHOTO: "照片"}


@dataclass(frozen=True)
class MediaFacts:
    """The facts of one file as ffprobe read them."""

    kind: str
    container: str
    duration: float | None  # seconds; None for a photo
    video_codec: str = ""
    audio_codec: str = ""
    width: int | None = None
    height: int | None = None
    frame_rate: str = ""
    creation_time_raw: str = ""  # as the file states it, e.g. "2026-11-30T01:30:00.000000Z"
    creation_time: datetime.datetime | None = None  # aware; None when absent or unparseable
    flags: tuple[str, ...] = field(default=())  # "clock_never_set", "no_creation_time"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "container": self.container, "duration": self.duration,
                "video_codec": self.video_codec, "audio_codec": self.audio_codec, "width": self.width,
                "height": self.height, "frame_rate": self.frame_rate,
                "creation_time_raw": self.creation_time_raw,
                "creation_time": self.creation_time.isoformat() if self.creation_time else None,
                "flags": list(self.flags)}


def ffprobe_binary() -> str:
    found = shutil.which("ffprobe")
    if found is None:
        raise RuntimeError("ffprobe is not installed (Debian package ffmpeg; scripts/bootstrap.sh installs it)")
    return found


def probe(path) -> MediaFacts:
    """The facts of the media file at `path`. A file that is not audio, video or a picture (a text
    file named .mp4, a video cut off before its index, an empty file) is refused with a Chinese
    ValidationError naming the file."""
    path = Path(path)
    name = path.name
    if not path.is_file() or path.stat().st_size == 0:
        raise ValidationError(f"{name}：文件为空，不是音视频或照片。")
    try:
        done = subprocess.run(
            [ffprobe_binary(), "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
             str(path)], capture_output=True, timeout=PROBE_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise ValidationError(f"{name}：读取音视频信息超时，文件可能已损坏。") from None
    data = _json(done.stdout)
    streams = data.get("streams") or []
    fmt = data.get("format") or {}
    if done.returncode != 0 or not streams or not fmt:
        raise ValidationError(f"{name}：不是可识别的音视频或照片文件，或文件已损坏（不完整）。")
    return facts_from(fmt, streams)


def _json(raw: bytes) -> dict:
    try:
        data = json.loads(raw.decode("utf-8", errors="replace") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def facts_from(fmt: dict, streams: list[dict]) -> MediaFacts:
    """MediaFacts from ffprobe's `format` and `streams` (kept apart from the call for tests)."""
    video = next((s for s in streams if s.get("codec_type") == "video"
                  and not (s.get("disposition") or {}).get("attached_pic")), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    container = str(fmt.get("format_name", ""))
    duration = _float(fmt.get("duration"))
    if video is not None and (container in IMAGE_FORMATS or (duration is None and audio is None)):
        kind, duration = Kind.PHOTO, None
    elif video is not None:
        kind = Kind.VIDEO
    elif audio is not None:
        kind = Kind.AUDIO
    else:
        raise ValidationError("文件中没有音频或视频内容。")
    raw = _creation_time_raw(fmt, streams)
    when = _parse_time(raw)
    flags = []
    if not raw:
        flags.append("no_creation_time")
    elif when is not None and when < CLOCK_NEVER_SET_BEFORE:
        flags.append("clock_never_set")
    return MediaFacts(
        kind=kind, container=container, duration=duration,
        video_codec=str(video.get("codec_name", "")) if video else "",
        audio_codec=str(audio.get("codec_name", "")) if audio else "",
        width=_int(video.get("width")) if video else None, height=_int(video.get("height")) if video else None,
        frame_rate=str(video.get("avg_frame_rate", "")) if video and kind == Kind.VIDEO else "",
        creation_time_raw=raw, creation_time=when, flags=tuple(flags))


def _creation_time_raw(fmt: dict, streams: list[dict]) -> str:
    for tags in [fmt.get("tags") or {}, *((s.get("tags") or {}) for s in streams)]:
        for key in ("creation_time", "com.apple.quicktime.creationdate", "date"):
            if tags.get(key):
                return str(tags[key])[:64]
    return ""


def _parse_time(raw: str) -> datetime.datetime | None:
    """An ISO 8601 time as files write it; a time without offset is UTC, as MP4/MOV store it
    (ISO/IEC 14496-12: seconds since 1904 in UTC) and ffprobe prints it."""
    if not raw:
        return None
    try:
        when = datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)


def _float(value) -> float | None:
    try:
        return round(float(value), 3)
    except (TypeError, ValueError):
        return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
