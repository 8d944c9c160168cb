"""Who approves and who makes a copy of evidence is the agency profile's `copies:` section (issue
15; until then LIUHEN_COPIES, now refused at start: liuhen.copies.E001). A mistyped role is refused
when the profile is loaded (see liuhen/profiles/tests/test_sections_*.py); the roles of the agency's
active profile are the ones that act."""
import pytest

from liuhen.copies import vocabulary as v
from liuhen.copies.checks import approve_roles, copies_setting, maker_roles
from liuhen.testing.profiles import load, profile_text

pytestmark = pytest.mark.django_db


def test_the_base_profile_keeps_the_old_default(settings, world):
    settings.LIUHEN_COPIES = ""
    assert copies_setting() == []
    # issue 14's LIUHEN_COPIES default, literally
    assert approve_roles(world.agency.pk) == ["agency_head"] and maker_roles(world.agency.pk) == ["archivist", "device_admin"]


@pytest.mark.parametrize("value", ['{"approve_roles": ["agency_head"]}', {"approve_roles": ["agency_head"]}])
def test_the_retired_setting_is_refused_at_start(settings, value):
    settings.LIUHEN_COPIES = value
    (error,) = copies_setting()
    assert error.id == v.CHECK_SETTING == "liuhen.copies.E001"
    assert "已停用" in error.msg and "copies:" in error.hint and "liuhen profile load" in error.hint


def test_the_profiles_roles_are_the_ones_that_act(world, tmp_path, fresh_home):
    from django.core.exceptions import PermissionDenied

    from liuhen.copies import services
    from liuhen.testing.copies import case_with_footage

    load(world, profile_text(body="copies:\n  approve_roles: [legal_reviewer]\n  maker_roles: [archivist]\n"))
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = services.request_copy(world.officer, c.case, c.items, receiver_kind="court", receiver_name="某法院",
                                purpose="举证")
    with pytest.raises(PermissionDenied, match="法制审核人员"):
        services.decide(world.agency_head, row, True)
    services.decide(world.reviewer, row, True)
    with pytest.raises(PermissionDenied):
        services.make_package(world.device_admin, row)  # not a maker under this profile
    assert services.make_package(world.archivist, row).files == 1


def test_a_profile_giving_one_key_keeps_the_other(world):
    load(world, profile_text(body="copies:\n  approve_roles: {value: [legal_reviewer], article: LW-D 15}\n"))
    assert approve_roles(world.agency.pk) == ["legal_reviewer"]
    assert maker_roles(world.agency.pk) == ["archivist", "device_admin"]  # base's, kept


def test_an_approver_must_see_the_case(world, tmp_path, fresh_home):
    """With unit heads as approvers, the head of another unit cannot approve (cannot see the case)."""
    from django.core.exceptions import PermissionDenied

    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role
    from liuhen.copies import services
    from liuhen.testing.copies import case_with_footage

    load(world, profile_text(body="copies:\n  approve_roles: [unit_head]\n  maker_roles: [archivist]\n"))
    other_head = acc.create_user(None, username="qita", full_name="其他科长", password=world.PASSWORD,
                                 agency=world.agency, unit=world.other_unit, roles=[Role.UNIT_HEAD])
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = services.request_copy(world.officer, c.case, c.items, receiver_kind="court", receiver_name="某法院",
                                purpose="举证")
    with pytest.raises(PermissionDenied):
        services.decide(other_head, row, True)
    assert services.decide(world.unit_head, row, True).approved
