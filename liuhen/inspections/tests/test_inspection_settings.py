"""The system checks refuse a malformed checklist or role setting at start, saying what is wrong."""
import pytest

from liuhen.inspections import vocabulary as v
from liuhen.inspections.checks import checklist_setting, roles_setting


def test_the_default_settings_pass():
    assert checklist_setting() == [] and roles_setting() == []


@pytest.mark.parametrize("value, words", [
    ("JSON 无效：Expecting value", "JSON 无效"),
    ([{"code": "worn", "label": "佩戴"}], "JSON 对象"),
    ({"footage": [{"code": "worn", "label": "佩戴"}]}, "device：应为至少一项"),
    ({"footage": [], "device": [{"code": "a", "label": "A"}]}, "footage：应为至少一项"),
    ({"footage": [{"code": "Worn!", "label": "佩戴"}], "device": [{"code": "a", "label": "A"}]}, "code 应为"),
    ({"footage": [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}], "device": [{"code": "a", "label": "A"}]},
     "重复"),
    ({"footage": [{"code": "a", "label": ""}], "device": [{"code": "a", "label": "A"}]}, "label 应为"),
    ({"footage": [{"code": "a", "label": "A", "why": 1}], "device": [{"code": "a", "label": "A"}]}, "未知的字段"),
    ({"footage": ["a"], "device": [{"code": "a", "label": "A"}]}, "应为含 code"),
    ({"footage": [{"code": "a", "label": "A"}], "device": [{"code": "a", "label": "A"}], "car": []}, "未知的抽检对象"),
])
def test_a_malformed_checklist_is_refused(settings, value, words):
    settings.LIUHEN_INSPECTION_CHECKLIST = value
    errors = checklist_setting()
    assert errors and all(e.id == v.CHECK_CHECKLIST for e in errors)
    assert any(words in e.msg for e in errors), [e.msg for e in errors]


@pytest.mark.parametrize("value", [[], "supervisor", ["boss"], ["supervisor", "audit_admin"]])
def test_bad_roles_are_refused(settings, value):
    settings.LIUHEN_INSPECTION_ROLES = value
    errors = roles_setting()
    assert errors and all(e.id == v.CHECK_ROLES for e in errors)


@pytest.mark.django_db
def test_the_check_runs_with_the_others(settings):
    from django.core import checks

    settings.LIUHEN_INSPECTION_CHECKLIST = {"footage": []}
    assert {e.id for e in checks.run_checks()} >= {v.CHECK_CHECKLIST}
