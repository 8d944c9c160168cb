"""Identity numbers of parties: 居民身份证号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015)."""
import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError

# GB/T 2260: the 34 province-level divisions, the first two digits of an ID number's region code.
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
})

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# GB 32100-2015: 31 characters (no I, O, Z, S, V), weights 3^i mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _normalise(value) -> str:
    """Full-width characters to ASCII (NFKC), no white space, upper case."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def validate_id_number(value: str) -> str:
    """Return the normalised 18-digit ID number, or raise a ValidationError in Chinese."""
    v = _normalise(value)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", v):
        raise ValidationError("身份证号码应为18位（前17位为数字，末位为数字或X）。", code="id_format")
    if v[:2] not in PROVINCE_CODES:
        raise ValidationError("身份证号码前两位不是有效的省级行政区划代码。", code="id_region")
    try:
        born = datetime.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        raise ValidationError("身份证号码中的出生日期无效。", code="id_birth") from None
    # Any real calendar date up to today: GB 11643's own example (11010518800101…) was born in 1880.
    if born > datetime.date.today():
        raise ValidationError("身份证号码中的出生日期无效。", code="id_birth")
    if id_check_char(v[:17]) != v[17]:
        raise ValidationError("身份证号码校验位不正确，请核对。", code="id_check")
    return v


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Return the normalised 统一社会信用代码, or raise a ValidationError in Chinese."""
    v = _normalise(value)
    if len(v) != 18 or any(c not in _USCC_CHARS for c in v):
        raise ValidationError("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）。", code="uscc_format")
    if uscc_check_char(v[:17]) != v[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对。", code="uscc_check")
    return v
