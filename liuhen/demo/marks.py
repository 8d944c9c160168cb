"""Demo handwritten marks (签名笔迹, issue 16 §5): the parties of the demo cases sign their records
on the officer's tablet — a few strokes drawn with Pillow, the same scrawl for the same person —
so that the record pages and the rendered documents (送达回证, 告知书…) show a signature image.
Made through the real service (records.record_other_signature's `mark`), like any signature."""
import functools
import hashlib
import io
import math
import random

from liuhen.records.models import MarkKind

SIZE = (360, 140)  # about what a phone's signature pad sends (its CSS size × the screen's density)


@functools.lru_cache(maxsize=64)
def drawn_mark(name: str) -> bytes:
    """A PNG of a signature-like scrawl, the same for the same name (seeded by its hash)."""
    from PIL import Image, ImageDraw

    rnd = random.Random(hashlib.sha256(name.encode()).digest())
    img = Image.new("RGB", SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(img)
    x = 24
    for _ in range(max(2, min(len(name), 4))):  # one flourish per character, as a hurried hand writes
        width = rnd.randint(50, 80)
        points = []
        for i in range(14):
            t = i / 13
            y = 70 + 34 * math.sin(t * math.pi * rnd.uniform(1.5, 3.5) + rnd.uniform(0, 3)) * (1 - 0.4 * t)
            points.append((x + t * width, y + rnd.uniform(-4, 4)))
        draw.line(points, fill=(22, 24, 70), width=4, joint="curve")
        x += width + rnd.randint(4, 16)
    draw.line([(20, 112), (min(x, SIZE[0] - 16), 104)], fill=(22, 24, 70), width=3)  # the underline
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def party_mark(name: str) -> dict:
    """The keyword arguments that give a party's signature its drawn mark."""
    return {"mark": drawn_mark(name), "mark_kind": MarkKind.CANVAS}
