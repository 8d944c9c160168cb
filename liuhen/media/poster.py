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


# ---- the cache: made once per stored file, on first request --------------------------------------

def cache_dir() -> Path:
    """Derived files only (LIUHEN_POSTER_DIR, by default LIUHEN_HOME/cache/posters): deleting it
    loses nothing, they are made anew."""
    from django.conf import settings

    return Path(getattr(settings, "LIUHEN_POSTER_DIR", None) or Path(settings.LIUHEN_HOME) / "cache" / "posters")


def _write_atomically(path: Path, data: bytes) -> None:
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)  # two requests at once: both write whole files, one wins
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _make(sha256: str) -> bytes:
    """The poster of a stored video: ffmpeg reads a local file in place; from S3 the object is first
    copied (streamed, never whole in memory) to a temporary file beside the cache, then removed."""
    import os
    import shutil
    import tempfile

    from . import store

    b = store.backend()
    if b.name == "local":
        path = b.path(sha256)
        if not path.exists():
            raise FileNotFoundError(str(path))
        return poster_jpeg(path)
    cache_dir().mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir(), prefix=".src-")
    try:
        with os.fdopen(fd, "wb") as out, store.open_blob(sha256) as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
        return poster_jpeg(Path(tmp))
    finally:
        os.unlink(tmp)


def cached_poster(sha256: str) -> bytes | None:
    """The poster JPEG of the stored video `sha256`, made on first request and cached under
    LIUHEN_HOME/cache/posters/<sha256>.jpg (written to a temporary name and renamed). None when no
    frame can be made — a truncated or broken video: remembered as <sha256>.none, so ffmpeg is not
    run again at every list view — or when the store cannot be read now (not remembered)."""
    from . import store

    store.check_sha(sha256)
    jpg, none = cache_dir() / f"{sha256}.jpg", cache_dir() / f"{sha256}.none"
    if jpg.exists():
        return jpg.read_bytes()
    if none.exists():
        return None
    try:
        data = _make(sha256)
    except ValidationError:
        _write_atomically(none, b"")
        return None
    except (OSError, subprocess.TimeoutExpired):
        return None
    _write_atomically(jpg, data)
    return data


def is_cached(sha256: str) -> bool:
    """A poster (or the note that none can be made) is already in the cache."""
    return any((cache_dir() / f"{sha256}{ext}").exists() for ext in (".jpg", ".none"))
