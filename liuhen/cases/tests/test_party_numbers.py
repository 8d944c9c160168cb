"""ID numbers (issue 12 §8): a real birth date before 1900 is valid; the province must exist."""
import pytest
from django.core.exceptions import ValidationError

from liuhen.cases.validators import PROVINCE_CODES, id_check_char, validate_id_number

GB11643_1880 = "440524188001010014"  # GB 11643-1999's own example: born 1 January 1880


def test_the_standard_example_born_in_1880_is_valid():
    assert id_check_char(GB11643_1880[:17]) == GB11643_1880[17]
    assert validate_id_number(GB11643_1880) == GB11643_1880


def test_a_real_date_in_the_nineteenth_century_is_valid():
    first17 = "110105" + "18991231" + "002"
    assert validate_id_number(first17 + id_check_char(first17)).startswith("11010518991231")


def test_the_34_province_level_codes():
    assert len(PROVINCE_CODES) == 34
    assert {"11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "82"} <= PROVINCE_CODES


@pytest.mark.parametrize("region", ["000000", "160101", "200101", "390101", "470101", "550101", "660101",
                                    "700101", "720101", "800101", "830101", "990101"])
def test_a_region_code_in_no_province_is_refused(region):
    first17 = region + "19800101" + "001"
    with pytest.raises(ValidationError) as exc:
        validate_id_number(first17 + id_check_char(first17))
    assert exc.value.error_list[0].code == "id_region"
    assert exc.value.messages == ["身份证号码前两位不是有效的省级行政区划代码。"]
