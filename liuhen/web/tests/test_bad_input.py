"""Bad input: control characters refused by one validator (common/text.py) in record content, the
case and party forms and the login form; record dates outside 1900–2100 refused at write."""
import pytest
from django.core.exceptions import ValidationError

from liuhen.cases.models import Case, Party
from liuhen.common import text
from liuhen.records import schema
from liuhen.records import services as records
from liuhen.records.models import Record, RecordType
from liuhen.testing.web import INSPECTION, case_in_investigation, form_data


@pytest.mark.parametrize("value", ["a\x00b", "a\x07b", "a\x1bb", "a\x7fb", "a\x85b", "甲\u202e乙", "x\u2066y",
                                   "a\ufffeb"])
def test_validator_refuses_control_characters(value):
    for validator in (text.single_line, text.multi_line):
        with pytest.raises(ValidationError) as exc:
            validator(value)
        assert "第2个字符" in exc.value.messages[0] and exc.value.code == "control_character"


def test_tabs_and_newlines_only_in_multiline():
    text.multi_line("第一行\n第二行\r\n\t缩进")
    with pytest.raises(ValidationError, match="换行或制表符"):
        text.single_line("第一行\n第二行")
    text.single_line("普通文字 with emoji 👍‍ and ZWJ")


def test_clean_limits_and_labels():
    assert text.clean("理由", "作废理由") == "理由"
    with pytest.raises(ValidationError, match="作废理由：最多500个字符"):
        text.clean("长" * 501, "作废理由")
    with pytest.raises(ValidationError, match="作废理由：第1个字符"):
        text.clean("\x00", "作废理由")


# ---- record content -------------------------------------------------------------------------


@pytest.fixture
def inspection():
    return RecordType.objects.get(code="inspection_record")


@pytest.mark.parametrize("field, value, message", [
    ("place", "某村\x00三号", "不可见的控制字符（U+0000）"),
    ("place", "某村\n三号", "换行或制表符"),
    ("findings", "发现\x1b[31m水泵", "不可见的控制字符（U+001B）"),
    ("place", "长" * 501, "500"),
])
def test_record_text_fields_refuse_bad_text(world, inspection, field, value, message):
    case = case_in_investigation(world)
    with pytest.raises(ValidationError) as exc:
        records.create_record(world.officer, case, inspection, {**INSPECTION, field: value})
    assert any(message in m for m in exc.value.messages), exc.value.messages
    assert not Record.objects.filter(record_type=inspection).exists()


def test_textarea_keeps_tabs_and_newlines(world, inspection):
    case = case_in_investigation(world)
    record = records.create_record(world.officer, case, inspection, {**INSPECTION, "findings": "一、\n\t水泵一台"})
    assert record.versions.get().content["findings"] == "一、\n\t水泵一台"


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "1899-12-31T23:59", "2101-01-01T00:00", "9999-12-31T23:59"])
def test_record_datetime_outside_1900_2100_is_refused(world, inspection, value):
    case = case_in_investigation(world)
    with pytest.raises(ValidationError) as exc:
        records.create_record(world.officer, case, inspection, {**INSPECTION, "time": value})
    assert any("日期须在1900年至2100年之间" in m for m in exc.value.messages)


def test_record_date_field_bounds():
    fields = [{"name": "day", "label": "日期", "type": "date"}]
    assert schema.validate_content(fields, {"day": "1900-01-01"}) == {"day": "1900-01-01"}
    assert schema.validate_content(fields, {"day": "2100-12-31"}) == {"day": "2100-12-31"}
    for bad in ("0001-01-01", "1899-12-31", "2101-01-01"):
        with pytest.raises(ValidationError, match="日期须在1900年至2100年之间"):
            schema.validate_content(fields, {"day": bad})


def test_year_one_through_the_form_is_400_and_the_case_still_opens(client, world):
    case = case_in_investigation(world)
    client.force_login(world.officer)
    response = client.post(f"/records/new/{case.pk}/", form_data({**INSPECTION, "time": "0001-01-01T00:00"},
                                                                 type="inspection_record"))
    assert response.status_code == 400 and "日期须在1900年至2100年之间" in response.content.decode()
    assert client.get(f"/cases/{case.pk}/").status_code == 200


# ---- case and party forms, login ------------------------------------------------------------


def test_case_title_with_a_control_character_is_400(client, world):
    client.force_login(world.officer)
    response = client.post("/cases/new/", {"title": "取水\x1b案", "kind": "penalty", "procedure": "general",
                                           "start_mode": "ex_officio", "officers": [world.officer2.pk]})
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_case_summary_keeps_newlines_and_is_limited(client, world):
    client.force_login(world.officer)
    post = {"title": "取水案", "kind": "penalty", "procedure": "general", "start_mode": "ex_officio",
            "officers": [world.officer2.pk], "on_site": "on"}
    response = client.post("/cases/new/", {**post, "summary": "长" * (text.TEXT_MAX + 1)})
    assert response.status_code == 400 and Case.objects.count() == 0
    response = client.post("/cases/new/", {**post, "summary": "第一行\r\n第\x0b二行"})
    assert response.status_code == 400 and "控制字符" in response.content.decode()
    response = client.post("/cases/new/", {**post, "summary": "第一行\r\n\t第二行"})
    assert response.status_code == 302
    assert Case.objects.get().summary == "第一行\r\n\t第二行"


@pytest.mark.parametrize("field", ["name", "address", "legal_representative", "phone"])
def test_party_fields_refuse_control_characters(client, world, field):
    case = world.open_case()
    client.force_login(world.officer)
    post = {"kind": "person", "name": "王五", "id_number": "11010519491231002X", "phone": "13812345678",
            "address": "平山区1号", field: "王\u202e五"}
    response = client.post(f"/cases/{case.pk}/parties/add/", post)
    assert response.status_code == 400 and "控制字符" in response.content.decode()
    assert Party.objects.count() == 0


def test_login_with_a_control_character_is_a_form_error_not_a_crash(client, world):
    response = client.post("/login/", {"username": "zhang\x00", "password": world.PASSWORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert "用户名：" in html  # Django's own null-character message, in Chinese
    response = client.post("/login/", {"username": "zhang\x1b", "password": world.PASSWORD})
    assert "控制字符" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_password_length_is_limited(client, world):
    """Even the right password is refused past 1 000 characters: nobody types it, hashing it is work."""
    world.officer.set_password("x" * 1001)
    world.officer.save(update_fields=["password"])
    response = client.post("/login/", {"username": "zhang", "password": "x" * 1001})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
