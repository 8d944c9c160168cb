"""Test media made by ffmpeg at test time (never committed): short videos, audio, photos, and the
broken files a camera or a person produces (a text file named .mp4, a video cut off half-way)."""
import subprocess
from pathlib import Path


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, timeout=120)


def video(path: Path, seconds: float = 1.0, *, creation_time: str | None = None, size: str = "320x240") -> Path:
    """An H.264/AAC MP4 of `seconds`, with a creation time in its metadata if given (UTC, ISO 8601)."""
    meta = ["-metadata", f"creation_time={creation_time}"] if creation_time else []
    ffmpeg("-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate=15",
           "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", *meta, str(path))
    return path


def audio(path: Path, seconds: float = 1.0) -> Path:
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", str(path))
    return path


def photo(path: Path) -> Path:
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1", str(path))
    return path


def truncated(source: Path, path: Path, keep: int = 3000) -> Path:
    """The first `keep` bytes of `source`: a recording cut off before its index (moov) was written."""
    path.write_bytes(source.read_bytes()[:keep])
    return path
