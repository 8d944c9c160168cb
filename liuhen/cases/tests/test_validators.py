"""居民身份证号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015) validation."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from liuhen.cases.validators import (
    _USCC_CHARS, PROVINCE_CODES, id_check_char, uscc_check_char, validate_credit_code, validate_id_number,
)

VALID_ID = "11010519491231002X"  # the GB 11643 example number
VALID_ID_DIGIT = "440524198001010013"  # check digit 3
VALID_USCC = "91350100M000100Y43"


def _code(exc_info) -> str:
    return exc_info.value.error_list[0].code


# ---- 居民身份证号码 ---------------------------------------------------------------------

def test_check_char_of_known_numbers():
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("44052419800101001") == "3"


@pytest.mark.parametrize("value", [VALID_ID, VALID_ID_DIGIT])
def test_valid_id_numbers_are_returned_unchanged(value):
    assert validate_id_number(value) == value


def test_lower_case_x_is_normalised_to_upper_case():
    assert validate_id_number("11010519491231002x") == VALID_ID


def test_spaces_are_removed():
    assert validate_id_number(" 110105 19491231 002X ") == VALID_ID


@pytest.mark.parametrize("value", ["11010519491231002", "11010519491231002X1", "", "1101051949123100X2",
                                   "11010519491231002Y", "A1010519491231002X"])
def test_wrong_format_or_length(value):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert _code(exc) == "id_format"
    assert exc.value.messages == ["身份证号码应为18位（前17位为数字，末位为数字或X）。"]


def test_wrong_check_digit():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("110105194912310021")
    assert _code(exc) == "id_check"
    assert "校验位不正确" in exc.value.messages[0]


@pytest.mark.parametrize("birth", ["19490231", "19491301", "19490000", "18990229"])
def test_impossible_birth_date(birth):
    first17 = "110105" + birth + "002"
    with pytest.raises(ValidationError) as exc:
        validate_id_number(first17 + id_check_char(first17))
    assert _code(exc) == "id_birth"
    assert exc.value.messages == ["身份证号码中的出生日期无效。"]


def test_birth_date_in_the_future_is_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    first17 = "110105" + tomorrow.strftime("%Y%m%d") + "002"
    with pytest.raises(ValidationError) as exc:
        validate_id_number(first17 + id_check_char(first17))
    assert _code(exc) == "id_birth"


def test_leap_day_is_a_valid_birth_date():
    first17 = "110105" + "20000229" + "123"
    value = first17 + id_check_char(first17)
    assert validate_id_number(value) == value


def test_full_width_digits_are_normalised_or_refused():
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in VALID_ID[:17]) + "X"
    try:
        result = validate_id_number(full_width)
    except ValidationError:
        return
    # If accepted, it must be the same number as the ASCII one (else the blind index differs).
    assert result == VALID_ID


def test_superscript_digit_gives_validation_error_not_crash():
    with pytest.raises(ValidationError):
        validate_id_number("²1010519491231002X")


_dates = st.dates(min_value=datetime.date(1800, 1, 1), max_value=datetime.date.today())
_digits = st.builds(lambda p, rest: p + rest, st.sampled_from(sorted(PROVINCE_CODES)),
                    st.text(alphabet="0123456789", min_size=4, max_size=4))  # a region code in a real province
_seq = st.text(alphabet="0123456789", min_size=3, max_size=3)


@given(region=_digits, born=_dates, seq=_seq)
def test_property_completed_prefixes_validate(region, born, seq):
    first17 = region + born.strftime("%Y%m%d") + seq
    value = first17 + id_check_char(first17)
    assert validate_id_number(value) == value
    assert validate_id_number(value.lower()) == value


@given(region=_digits, born=_dates, seq=_seq, pos=st.integers(0, 16), delta=st.integers(1, 9))
def test_property_changing_any_one_digit_breaks_validation(region, born, seq, pos, delta):
    first17 = region + born.strftime("%Y%m%d") + seq
    value = first17 + id_check_char(first17)
    new_digit = str((int(value[pos]) + delta) % 10)
    changed = value[:pos] + new_digit + value[pos + 1:]
    assert changed != value
    with pytest.raises(ValidationError) as exc:
        validate_id_number(changed)
    assert _code(exc) in ("id_check", "id_birth", "id_region")


@given(region=_digits, born=_dates, seq=_seq, other=st.sampled_from("0123456789X"))
def test_property_wrong_check_char_breaks_validation(region, born, seq, other):
    first17 = region + born.strftime("%Y%m%d") + seq
    right = id_check_char(first17)
    if other == right:
        return
    with pytest.raises(ValidationError) as exc:
        validate_id_number(first17 + other)
    assert _code(exc) == "id_check"


# ---- 统一社会信用代码 ---------------------------------------------------------------------

def test_valid_credit_code():
    assert uscc_check_char(VALID_USCC[:17]) == "3"
    assert validate_credit_code(VALID_USCC) == VALID_USCC


def test_credit_code_lower_case_and_spaces_normalised():
    assert validate_credit_code(" 91350100m000100y43 ") == VALID_USCC


def test_credit_code_wrong_check_char():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(VALID_USCC[:17] + "4")
    assert _code(exc) == "uscc_check"
    assert exc.value.messages == ["统一社会信用代码校验位不正确，请核对。"]


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_credit_code_forbidden_letters(letter):
    # Put the forbidden letter in the body (position 8 holds "M") and in the check position.
    for value in (VALID_USCC[:8] + letter + VALID_USCC[9:], VALID_USCC[:17] + letter):
        with pytest.raises(ValidationError) as exc:
            validate_credit_code(value)
        assert _code(exc) == "uscc_format"
        assert "不含I、O、Z、S、V" in exc.value.messages[0]


@pytest.mark.parametrize("value", [VALID_USCC[:17], VALID_USCC + "0", "", "91350100-000100Y43"])
def test_credit_code_wrong_length_or_characters(value):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(value)
    assert _code(exc) == "uscc_format"


@given(body=st.text(alphabet=_USCC_CHARS, min_size=17, max_size=17), pos=st.integers(0, 16),
       shift=st.integers(1, 30))
def test_property_credit_codes(body, pos, shift):
    value = body + uscc_check_char(body)
    assert validate_credit_code(value) == value
    # One character changed to another allowed one: the check character no longer fits.
    new = _USCC_CHARS[(_USCC_CHARS.index(body[pos]) + shift) % 31]
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(value[:pos] + new + value[pos + 1:])
    assert _code(exc) == "uscc_check"
