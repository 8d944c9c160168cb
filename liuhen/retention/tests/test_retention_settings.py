"""LIUHEN_RETENTION (issue 14) is retired by the agency profile (issue 15): a value still set is
refused at start (liuhen.retention.E001) naming what replaced it; with none set, the base profile
gives the same periods and roles the setting's defaults gave."""
import pytest

from liuhen.profiles import loader
from liuhen.retention import conf
from liuhen.retention import vocabulary as v
from liuhen.retention.checks import retention_setting

pytestmark = pytest.mark.django_db


def test_unset_passes_and_the_base_profile_keeps_the_old_defaults(settings, world):
    settings.LIUHEN_RETENTION = ""
    assert retention_setting() == []
    # issue 14's conf.DEFAULTS, literally: an agency on the base profile keeps them.
    r = conf.for_agency(world.agency.pk)
    assert (r.raw_months, r.case_file_years, r.long_term_years, r.notice_days, r.recovery_days) == (6, 30, None, 30, 7)
    assert (r.hold_roles, r.decide_roles, r.restore_roles) == (
        ("agency_head", "legal_reviewer"), ("agency_head",), ("device_admin", "agency_head"))
    assert conf.roles("hold_roles", world.agency_head) == ("agency_head", "legal_reviewer")
    assert r == loader.packaged("base").retention


@pytest.mark.parametrize("value", ['{"raw_months": 12}', {"raw_months": 12}, {}])
def test_a_value_still_set_is_refused_naming_the_profile(settings, value):
    settings.LIUHEN_RETENTION = value
    errors = retention_setting()
    if not value:
        assert errors == []
        return
    (error,) = errors
    assert error.id == v.CHECK_SETTING == "liuhen.retention.E001"
    assert "已停用" in error.msg and "retention:" in error.hint and "liuhen profile load" in error.hint
