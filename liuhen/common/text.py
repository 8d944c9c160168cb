"""Free text typed by users: one validator for every text field (文字输入的统一校验).

A record is a legal document (LQ 17: what is written is what is signed): a character no one can see
must not change what a reader sees nor what a signature covers. Refused: control characters (NUL,
which PostgreSQL cannot store, and the rest of Unicode's Cc category; tab, line feed and carriage
return only in multi-line fields), unpaired surrogates, the bidirectional overrides and isolates
that make text display in another order than it is stored ("Trojan Source"), and the two
noncharacters U+FFFE/U+FFFF.
"""
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

LINE_BREAKS = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
NONCHARACTERS = frozenset("\ufffe\uffff")


def bad_character(value: str, *, multiline: bool) -> tuple[int, str] | None:
    """(1-based position, character) of the first character not allowed, or None."""
    for i, ch in enumerate(value, start=1):
        if multiline and ch in LINE_BREAKS:
            continue
        if ch in BIDI_CONTROLS or ch in NONCHARACTERS or unicodedata.category(ch) in ("Cc", "Cs"):
            return i, ch
    return None


@deconstructible
class TextValidator:
    """Refuses invisible control characters; `multiline` allows tabs and line breaks (textareas)."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value):
        if value is None:
            return
        found = bad_character(str(value), multiline=self.multiline)
        if found:
            pos, ch = found
            what = "换行或制表符" if ch in LINE_BREAKS else f"不可见的控制字符（U+{ord(ch):04X}）"
            raise ValidationError(f"第{pos}个字符是{what}，不能填写在此处，请删除后重试。", code="control_character")

    def __eq__(self, other):
        return isinstance(other, TextValidator) and other.multiline == self.multiline


single_line = TextValidator(multiline=False)
multi_line = TextValidator(multiline=True)

# Limits on free text (characters): a line (names, places, a reason) and a long text (a statement).
LINE_MAX = 500
TEXT_MAX = 20000


def clean(value, label: str, *, multiline: bool = False, max_length: int | None = None) -> str:
    """A raw POST value checked as a form field would be: for services called with request.POST
    values directly (a reason, a note). Raises ValidationError with `label` in the message."""
    value = "" if value is None else str(value)
    limit = max_length or (TEXT_MAX if multiline else LINE_MAX)
    if len(value) > limit:
        raise ValidationError(f"{label}：最多{limit}个字符（当前{len(value)}个）。", code="max_length")
    try:
        (multi_line if multiline else single_line)(value)
    except ValidationError as exc:
        raise ValidationError(f"{label}：{exc.messages[0]}", code="control_character") from None
    return value
