"""签名笔迹 — the image of a party's or witness's handwritten signature (issue 16 §5): drawn on a
tablet or phone (canvas, sent by the record page as a PNG data URL) or a photo of the signed paper.

`check_mark` decides whether the bytes are a mark we keep; the bytes kept are the ones received,
unchanged (evidence: their SHA-256 is what the signature's digest binds), never a re-encoding.
Nothing here stores anything: the service validates first, then stores, so that a refused mark
leaves no file and no Blob row behind.
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import io
import re
import warnings

from django.core.exceptions import ValidationError

from .models import MarkKind

MAX_MARK_BYTES = 8 * 1024 * 1024  # a phone's photo of a signed page is 2-5 MB; a drawn mark a few KB
MIN_SIDE = 32  # px: a smaller image holds no legible signature
MAX_SIDE = 12000  # px: larger than any phone camera's frame
MAX_PIXELS = 60_000_000  # a 48 MP phone photo passes; a decompression bomb does not
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}

_DATA_URL = re.compile(r"^data:image/(png|jpeg);base64,(.*)$", re.S)


def decode_data_url(value: str) -> bytes:
    """The bytes of the signature pad's `data:image/png;base64,…` (what canvas.toDataURL gives)."""
    m = _DATA_URL.match((value or "").strip())
    if not m:
        raise ValidationError("签名数据无法识别，请清除后重新签写。")
    payload = m.group(2)
    if len(payload) > (MAX_MARK_BYTES * 4) // 3 + 4:
        raise ValidationError(f"签名图片不能超过{MAX_MARK_BYTES // (1024 * 1024)}MB。")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("签名数据无法识别，请清除后重新签写。") from None


def check_mark(data: bytes, kind: str) -> str:
    """Refuse what is not a usable mark (ValidationError in Chinese); return its MIME type.

    PNG or JPEG by its bytes (Pillow opens and verifies it: a name or a declared type proves
    nothing), at most MAX_MARK_BYTES, sane dimensions, and a drawn mark must not be blank (a pad
    submitted without a stroke is all one colour)."""
    from PIL import Image, UnidentifiedImageError

    if kind not in MarkKind.values:
        raise ValidationError("签名笔迹类型无效（应为手写板签名或纸质签字照片）。")
    if not data:
        raise ValidationError("签名图片为空，请重新签写或拍照。")
    if len(data) > MAX_MARK_BYTES:
        raise ValidationError(f"签名图片不能超过{MAX_MARK_BYTES // (1024 * 1024)}MB"
                              f"（收到 {len(data) / (1024 * 1024):.1f}MB），请压缩后重试。")
    try:
        with warnings.catch_warnings(), _strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt, (width, height) = img.format, img.size
                if fmt not in FORMATS:
                    raise ValidationError("签名图片须为 PNG 或 JPEG 格式的图片。")
                if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
                    raise ValidationError(f"签名图片尺寸不合理（{width}×{height} 像素），"
                                          f"每边应在 {MIN_SIDE} 至 {MAX_SIDE} 像素之间。")
                img.verify()  # the structure and checksums (PNG chunks' CRC)
            with Image.open(io.BytesIO(data)) as img:
                if img.format == "JPEG":  # a phone's 48 MP photo: decoded at 1/8 scale, to the end all the same
                    img.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                img.load()  # …and the pixels decode to the end (a truncated file does not)
                if kind == MarkKind.CANVAS and _one_colour(img):
                    raise ValidationError("签名为空，请重新签写。")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise ValidationError("签名图片无法识别（须为完整的 PNG 或 JPEG 图片），请重新签写或拍照。") from None
    return FORMATS[fmt]


@contextlib.contextmanager
def _strict_decoding():
    """Pillow refuses a truncated file only while ImageFile.LOAD_TRUNCATED_IMAGES is False — and
    WeasyPrint sets it True for the whole process when imported (weasyprint/images.py), after which
    a JPEG cut short would decode padded with grey. Strict for the check, as it was before after.
    (A PDF rendered in another thread meanwhile is strict too: only a broken image is affected.)"""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _one_colour(img) -> bool:
    """All pixels the same colour (transparency included): a pad with no stroke on it."""
    rgba = img.convert("RGBA")
    return all(lo == hi for lo, hi in rgba.getextrema())


def content_type(fileobj) -> str:
    """The MIME type of a stored mark, from its first bytes (the file is rewound)."""
    head = fileobj.read(8)
    fileobj.seek(0)
    return "image/png" if head.startswith(b"\x89PNG") else "image/jpeg"
