"""Test helpers for handwritten signature marks (签名笔迹, issue 16 §5): images made with Pillow."""
import io


def canvas_png(strokes=((20, 60, 80, 20, 140, 70, 200, 25), (60, 90, 250, 85)), size=(300, 120),
               background=(255, 255, 255)) -> bytes:
    """A mark as the signature pad sends it: a PNG with a few dark strokes on white."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(img)
    for line in strokes:
        draw.line(list(line), fill=(20, 20, 60), width=4, joint="curve")
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def blank_png(size=(300, 120), colour=(255, 255, 255)) -> bytes:
    """A pad submitted without a stroke: one colour."""
    return canvas_png(strokes=(), size=size, background=colour)


def paper_jpeg(size=(640, 480)) -> bytes:
    """A photo of a signed paper: greyish paper, a printed line, a signature scrawl."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, (236, 232, 222))
    draw = ImageDraw.Draw(img)
    draw.line([(40, 300), (600, 300)], fill=(90, 90, 90), width=2)
    draw.line([(120, 290), (180, 220), (230, 280), (300, 210), (380, 285), (450, 240)], fill=(15, 15, 80), width=6)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()
