"""Review of issue 13 (LIUHEN_AV_RULES): a mistyped agency rule must be refused at start with what
is wrong — never a traceback, never a rule that silently means the opposite.

Each failed before its fix (then marked xfail, strict)."""
import pytest
from django.test import override_settings

from liuhen.avrules.checks import av_rules_setting


@pytest.mark.parametrize("records", [[[]], [{"code": "inspection_record"}]])
def test_a_malformed_records_entry_is_a_check_error_not_a_crash(records):
    with override_settings(LIUHEN_AV_RULES={"本水": {"inspection": {"records": records}}}):
        errors = av_rules_setting()
    assert errors and all(e.id.startswith("liuhen.avrules.") for e in errors)


def test_a_required_flag_that_is_not_a_boolean_is_refused():
    with override_settings(LIUHEN_AV_RULES={"本水": {"inquiry": {"required": "false"}}}):
        assert av_rules_setting() != []


@pytest.mark.django_db
def test_a_bad_setting_does_not_take_every_case_page_down(client, world):
    case = world.open_case()
    client.force_login(world.officer)
    client.raise_request_exception = False
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    with override_settings(LIUHEN_AV_RULES="JSON 无效：Expecting value: line 1 column 1 (char 0)"):
        resp = client.get(f"/cases/{case.pk}/")
    assert resp.status_code < 500
