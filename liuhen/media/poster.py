"""Poster frames (封面帧) for footage lists and players (issue 13 §7): one small JPEG from a video,
made by ffmpeg from the stored file; the original is never changed."""
import subprocess
from pathlib import Path

from django.core.exceptions import ValidationError

POSTER_SECONDS = 60
POSTER_WIDTH = 480


def poster_jpeg(path: Path, at_seconds: float = 0.5, width: int = POSTER_WIDTH) -> bytes:
    """A JPEG of the frame at `at_seconds` (the first frame of a shorter video), `width` pixels wide."""
    def grab(at: float) -> bytes:
        done = subprocess.run(
            ["ffmpeg", "-v", "error", "-ss", f"{at:.3f}", "-i", str(path), "-frames:v", "1",
             "-vf", f"scale={width}:-2", "-f", "image2", "-c:v", "mjpeg", "pipe:1"],
            capture_output=True, timeout=POSTER_SECONDS, check=False)
        return done.stdout if done.returncode == 0 else b""

    data = grab(at_seconds) or grab(0.0)
    if not data.startswith(b"\xff\xd8"):
        raise ValidationError(f"{Path(path).name}：无法生成封面帧（不是视频或文件已损坏）。")
    return data
