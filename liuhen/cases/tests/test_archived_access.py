"""After archiving, a case file is looked at only with approval (LW-D 15, BX 12, AS 14-15): its own
officers and unit lose their access, in the page checks and in the lists; the agency roles keep reading
it by duty; a grant opens it for its window only."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from liuhen.cases import access
from liuhen.cases import services as cases
from liuhen.testing.cases import archivist, to_archive_stage, to_archived

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


def test_own_officers_and_unit_see_the_case_until_it_is_archived(world):
    case = to_archive_stage(world)
    for user in (world.officer, world.officer2, world.officer3, world.unit_head):
        assert access.can_view(user, case) and case in access.visible_cases(user)
    case = to_archived(world)
    for user in (world.officer, world.officer2, world.officer3, world.unit_head):
        assert access.level(user, case) is None
        assert case not in access.visible_cases(user)
        with pytest.raises(PermissionDenied, match="调用单"):
            access.check_view(user, case)
        with pytest.raises(PermissionDenied, match="案件已归档"):
            access.check_work(user, case)


def test_the_agency_roles_keep_reading_an_archived_case_by_duty(world):
    case = to_archived(world)
    for user in (world.agency_head, world.reviewer, archivist(world)):
        assert access.level(user, case) == access.VIEW and case in access.visible_cases(user)
    assert access.level(world.sysadmin, case) is None


def test_a_grant_opens_an_archived_case_for_its_window_only(world):
    case = to_archived(world)
    now = timezone.now()
    g = cases.grant_access(world.agency_head, case, world.officer, scope="view", valid_from=now - H,
                           valid_until=now + H, reason="调用单")
    assert access.level(world.officer, case) == access.VIEW and case in access.visible_cases(world.officer)
    assert access.level(world.officer, case, now=g.valid_until + H) is None
    assert case not in access.visible_cases(world.officer, now=g.valid_until + H)
    with pytest.raises(PermissionDenied, match="案件已归档"):  # viewing is not working
        access.check_work(world.officer, case)
    assert access.by_grant_only(world.officer, case) and not access.by_grant_only(world.agency_head, case)
    assert not access.by_grant_only(world.officer, case, now=g.valid_until + H)  # nothing at all then


def test_a_grant_on_an_open_case_is_not_by_grant_only(world):
    case = world.open_case()
    now = timezone.now()
    cases.grant_access(world.agency_head, case, world.outsider, scope="view", valid_from=now - H,
                       valid_until=now + H, reason="评查")
    assert access.can_view(world.outsider, case) and not access.by_grant_only(world.outsider, case)


def test_another_case_of_the_unit_stays_visible(world):
    archived = to_archived(world)
    open_case = world.open_case()
    assert open_case in access.visible_cases(world.officer3)
    assert archived not in access.visible_cases(world.officer3)
    with pytest.raises(PermissionDenied, match="您无权查看该案件"):  # someone who never had it learns nothing
        access.check_view(world.outsider, archived)
