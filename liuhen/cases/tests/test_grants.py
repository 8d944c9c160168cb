"""Access as one policy registry with time-limited grants (issue 12 §7, 调阅授权)."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.cases import access
from liuhen.cases import services as cases
from liuhen.cases.models import AccessGrant, AccessGrantRevocation
from liuhen.common.append_only import AppendOnlyError
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of

H = datetime.timedelta(hours=1)


def grant(world, case, user=None, actor=None, scope="view", start=-H, end=H, reason="案卷评查调阅"):
    now = timezone.now()
    return cases.grant_access(actor or world.agency_head, case, user or world.outsider, scope=scope,
                              valid_from=now + start, valid_until=now + end, reason=reason)


def test_a_grant_opens_the_case_within_its_window_only(world):
    case = world.open_case()
    assert not access.can_view(world.outsider, case)
    g = grant(world, case)
    assert access.can_view(world.outsider, case) and not access.can_work(world.outsider, case)
    assert case in access.visible_cases(world.outsider)
    assert access.level(world.outsider, case, now=g.valid_until + H) is None
    assert access.level(world.outsider, case, now=g.valid_from - H) is None
    assert case not in access.visible_cases(world.outsider, now=g.valid_until)
    with pytest.raises(PermissionDenied):  # a view grant does not let the user work
        access.check_work(world.outsider, case)


def test_a_future_grant_is_not_yet_honoured(world):
    case = world.open_case()
    grant(world, case, start=H, end=2 * H)
    assert not access.can_view(world.outsider, case)
    assert case not in access.visible_cases(world.outsider)


def test_a_work_grant_lets_the_user_work(world):
    case = world.open_case()
    grant(world, case, scope="work", actor=world.unit_head)
    assert access.can_work(world.outsider, case)
    access.check_work(world.outsider, case)


def test_a_revoked_grant_is_no_longer_honoured(world):
    case = world.open_case()
    g = grant(world, case)
    rev = cases.revoke_grant(world.unit_head, g, "评查结束")
    assert not access.can_view(world.outsider, case)
    assert case not in access.visible_cases(world.outsider)
    assert AccessGrant.objects.filter(pk=g.pk).exists() and rev.grant_id == g.pk  # the grant row stays
    with pytest.raises(ValidationError, match="已撤销"):
        cases.revoke_grant(world.agency_head, g, "再次撤销")
    with pytest.raises(ValidationError, match="理由"):
        cases.revoke_grant(world.agency_head, grant(world, case), " ")


def test_grants_and_revocations_are_logged_without_the_reason(world):
    case = world.open_case()
    g = grant(world, case, reason="审计调阅：张三举报")
    rev = cases.revoke_grant(world.agency_head, g, "提前结束")
    [ge] = Entry.objects.filter(action="case.grant", object_id=str(case.pk))
    [re] = Entry.objects.filter(action="case.grant_revoke", object_id=str(case.pk))
    assert event_of(ge)["detail"] == cases.grant_detail(g)
    assert event_of(ge)["content_sha256"] == cases.content_sha256(cases.grant_snapshot(g))
    assert event_of(re)["detail"] == cases.revocation_detail(rev)
    assert "张三".encode() not in bytes(ge.leaf)
    with pytest.raises(AppendOnlyError):
        g.valid_until = g.valid_until + H
        g.save()


@pytest.mark.parametrize("who", ["officer", "officer2", "reviewer", "outsider"])
def test_only_the_agency_head_or_the_unit_head_grants(world, who):
    case = world.open_case()
    with pytest.raises(PermissionDenied):
        grant(world, case, user=world.officer3, actor=getattr(world, who))
    assert not AccessGrant.objects.exists()


def test_a_unit_head_of_another_unit_cannot_grant(world):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    other_head = acc.create_user(None, username="other_head", full_name="别科长", password=world.PASSWORD,
                                 agency=world.agency, unit=world.other_unit, roles=[Role.UNIT_HEAD])
    with pytest.raises(PermissionDenied):
        grant(world, world.open_case(), actor=other_head)


def test_bad_grants_are_refused(world):
    case = world.open_case()
    with pytest.raises(ValidationError, match="不能向"):
        grant(world, case, user=world.sysadmin)  # 三员 see no case content
    with pytest.raises(ValidationError, match="晚于"):
        grant(world, case, start=H, end=H)
    with pytest.raises(ValidationError, match="理由"):
        grant(world, case, reason="")
    with pytest.raises(ValidationError, match="范围"):
        grant(world, case, scope="admin")
    assert not AccessGrant.objects.exists() and not AccessGrantRevocation.objects.exists()


def test_the_case_page_lists_the_grants(client, world):
    case = world.open_case()
    g = grant(world, case, reason="档案调阅")
    cases.revoke_grant(world.agency_head, g, "调阅完毕")
    client.force_login(world.officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "调阅授权" in page and "孙丽" in page and "档案调阅" in page and "已撤销" in page
    # The grantee sees the case while the grant runs; the list of the case's grants too.
    grant(world, case, reason="第二次调阅")
    client.force_login(world.outsider)
    assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_policies_are_a_registry(world):
    case = world.open_case()
    assert {p.name for p in access.policies()} >= {"assigned", "unit", "agency_roles", "grant"}
    access.register_policy(access.Policy("test-all", lambda u, c, now: access.VIEW, lambda u, now: access.ALL))
    try:
        assert access.can_view(world.outsider, case) and not access.can_work(world.outsider, case)
        assert access.level(world.sysadmin, case) is None  # 三员 never, whatever a policy says
    finally:
        access._POLICIES.pop("test-all")
    assert not access.can_view(world.outsider, case)
