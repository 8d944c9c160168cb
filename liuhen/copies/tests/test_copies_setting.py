"""LIUHEN_COPIES is checked at start (liuhen.copies.E001): a mistyped role would leave copies nobody
may approve, or let a role nobody meant hand out evidence."""
import pytest

from liuhen.copies import vocabulary as v
from liuhen.copies.checks import copies_setting


def test_the_default_is_valid(settings):
    assert settings.LIUHEN_COPIES == {"approve_roles": ["agency_head"], "maker_roles": ["archivist", "device_admin"]}
    assert copies_setting() == []


@pytest.mark.parametrize("value, says", [
    ("JSON 无效：Expecting value", "JSON 无效"),
    ([], "JSON 对象"),
    ({"approve_roles": ["agency_head"]}, "maker_roles"),
    ({"approve_roles": [], "maker_roles": ["archivist"]}, "approve_roles：应为非空"),
    ({"approve_roles": ["boss"], "maker_roles": ["archivist"]}, "未知的角色 'boss'"),
    ({"approve_roles": ["agency_head"], "maker_roles": ["audit_admin"]}, "审计管理员（audit_admin）不能审批或制作证据复制"),
    ({"approve_roles": ["agency_head"], "maker_roles": ["archivist"], "dir": "/tmp"}, "未知的键"),
])
def test_a_bad_value_is_refused(settings, value, says):
    settings.LIUHEN_COPIES = value
    errors = copies_setting()
    assert errors and all(e.id == v.CHECK_SETTING for e in errors)
    assert any(says in e.msg for e in errors), [e.msg for e in errors]


def test_the_configured_roles_are_the_ones_that_act(settings, world, tmp_path, fresh_home):
    from django.core.exceptions import PermissionDenied

    from liuhen.copies import services
    from liuhen.testing.copies import case_with_footage

    settings.LIUHEN_COPIES = {"approve_roles": ["legal_reviewer"], "maker_roles": ["archivist"]}
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = services.request_copy(world.officer, c.case, c.items, receiver_kind="court", receiver_name="某法院",
                                purpose="举证")
    with pytest.raises(PermissionDenied):
        services.decide(world.agency_head, row, True)
    services.decide(world.reviewer, row, True)
    with pytest.raises(PermissionDenied):
        services.make_package(world.device_admin, row)  # not a maker under this setting
    assert services.make_package(world.archivist, row).files == 1


def test_an_approver_must_see_the_case(settings, world, tmp_path, fresh_home):
    """With unit heads as approvers, the head of another unit cannot approve (cannot see the case)."""
    from django.core.exceptions import PermissionDenied

    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role
    from liuhen.copies import services
    from liuhen.testing.copies import case_with_footage

    settings.LIUHEN_COPIES = {"approve_roles": ["unit_head"], "maker_roles": ["archivist"]}
    other_head = acc.create_user(None, username="qita", full_name="其他科长", password=world.PASSWORD,
                                 agency=world.agency, unit=world.other_unit, roles=[Role.UNIT_HEAD])
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = services.request_copy(world.officer, c.case, c.items, receiver_kind="court", receiver_name="某法院",
                                purpose="举证")
    with pytest.raises(PermissionDenied):
        services.decide(other_head, row, True)
    assert services.decide(world.unit_head, row, True).approved
