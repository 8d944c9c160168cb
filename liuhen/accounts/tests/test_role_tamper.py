"""`liuhen verify` finds a role slipped in or taken away behind the log's back."""
import pytest
from django.contrib.auth.models import Group

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.ledger.storage import integrate_all
from liuhen.testing.tampering import sql
from liuhen.ledger.verify import verify_log

pytestmark = pytest.mark.usefixtures("fresh_home")


def user_findings(report):
    return [f for f in report.findings if f.object.startswith("user:")]


def test_roles_granted_through_services_verify(world):
    acc.log_role_changes(world.sysadmin, world.reviewer, {str(Role.LEGAL_REVIEWER)}, set())
    world.reviewer.groups.clear()
    integrate_all()
    assert user_findings(verify_log()) == []


def test_role_inserted_by_sql_is_found(world):
    integrate_all()
    head = Group.objects.get_or_create(name=str(Role.AGENCY_HEAD))[0]
    sql("INSERT INTO accounts_user_groups (user_id, group_id) VALUES (%s, %s)", [world.outsider.pk, head.pk])
    found = user_findings(verify_log())
    assert [(f.kind, f.object) for f in found] == [("inserted", f"user:{world.outsider.pk}")]
    assert "机关负责人" in found[0].message


def test_role_removed_by_sql_is_found(world):
    integrate_all()
    sql("DELETE FROM accounts_user_groups WHERE user_id = %s", [world.unit_head.pk])
    found = user_findings(verify_log())
    assert [(f.kind, f.object) for f in found] == [("deleted", f"user:{world.unit_head.pk}")]
    assert found[0].entry_id is not None  # points at the grant it contradicts
