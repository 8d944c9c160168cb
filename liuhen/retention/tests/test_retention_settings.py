"""LIUHEN_RETENTION is checked at start: raw footage kept less than six months is refused citing
LW-D 11, and every other bad value has its own check id (liuhen.retention.E001-E004)."""
import pytest

from liuhen.retention import conf
from liuhen.retention import vocabulary as v
from liuhen.retention.checks import retention_setting


def ids(value, settings):
    settings.LIUHEN_RETENTION = value
    return [e.id for e in retention_setting()]


def test_defaults_pass(settings):
    assert ids({}, settings) == []
    assert conf.raw_months() == 6 and conf.long_term_years() is None and conf.notice_days() == 30
    assert conf.roles("hold_roles") == ["agency_head", "legal_reviewer"]


def test_less_than_six_months_is_refused_citing_the_article(settings):
    settings.LIUHEN_RETENTION = {"raw_months": 5}
    (error,) = retention_setting()
    assert error.id == v.CHECK_RAW_MONTHS and "LW-D 11" in error.msg and "6个月" in error.msg
    assert ids({"raw_months": 6}, settings) == [] and ids({"raw_months": 24}, settings) == []
    assert ids({"raw_months": "6"}, settings) == [v.CHECK_RAW_MONTHS]


@pytest.mark.parametrize("value,code", [
    ("six months", v.CHECK_SETTING), ({"raw_month": 6}, v.CHECK_SETTING),
    ({"notice_days": 0}, v.CHECK_NUMBER), ({"recovery_days": -1}, v.CHECK_NUMBER),
    ({"case_file_years": None}, v.CHECK_NUMBER), ({"long_term_years": 0}, v.CHECK_NUMBER),
    ({"hold_roles": []}, v.CHECK_ROLES), ({"decide_roles": ["chief"]}, v.CHECK_ROLES),
    ({"restore_roles": "device_admin"}, v.CHECK_ROLES),
    # 三员分立: an administrator may not decide on case footage (the same rule as copies and inspections).
    ({"hold_roles": ["system_admin"]}, v.CHECK_ROLES), ({"decide_roles": ["agency_head", "audit_admin"]}, v.CHECK_ROLES),
])
def test_bad_values(settings, value, code):
    assert ids(value, settings) == [code]


def test_long_term_may_be_years_or_permanent(settings):
    assert ids({"long_term_years": None}, settings) == [] and ids({"long_term_years": 50}, settings) == []
