"""Every finding `liuhen verify` makes about the accounts app's rows carries its stable code
(accounts.vocabulary), so that tests and auditors match on codes, not on messages."""
import pytest
from django.contrib.auth.models import Group

from liuhen.accounts import vocabulary as v
from liuhen.accounts.models import Agency, Unit, User
from liuhen.accounts.roles import Role
from liuhen.testing.tampering import sql
from liuhen.ledger.verify import verify_log

pytestmark = pytest.mark.usefixtures("fresh_home")


def codes(report, obj) -> set[tuple[str, str]]:
    return {(f.kind, f.code) for f in report.findings if f.object == obj}


def test_codes_of_role_and_state_findings(verified_world):
    w = verified_world
    head = Group.objects.get_or_create(name=str(Role.AGENCY_HEAD))[0]
    sql("INSERT INTO accounts_user_groups (user_id, group_id) VALUES (%s, %s)", [w.outsider.pk, head.pk])
    sql("DELETE FROM accounts_user_groups WHERE user_id = %s", [w.unit_head.pk])
    sql("UPDATE accounts_certificate SET revoked = %s WHERE holder_id = %s", [True, w.officer.pk])
    sql("UPDATE accounts_agency SET short_name = %s WHERE id = %s", ["假", w.agency.pk])
    sql("UPDATE accounts_unit SET name = %s WHERE id = %s", ["假科", w.unit.pk])
    sql("UPDATE accounts_user SET is_superuser = %s WHERE id = %s", [True, w.officer2.pk])
    report = verify_log()
    cert = w.officer.certificates.get()
    assert codes(report, f"user:{w.outsider.pk}") == {("inserted", v.E002)}
    assert codes(report, f"user:{w.unit_head.pk}") == {("deleted", v.E003)}
    assert codes(report, f"certificate:{cert.pk}") == {("altered", v.E007)}
    assert codes(report, f"agency:{w.agency.pk}") == {("altered", v.E010)}
    assert codes(report, f"unit:{w.unit.pk}") == {("altered", v.E013)}
    assert codes(report, f"user:{w.officer2.pk}") == {("altered", v.E004)}


def test_codes_of_rows_inserted_and_deleted(verified_world):
    sql("INSERT INTO accounts_agency (name, short_name, credit_code, address, phone) VALUES (%s, %s, '', '', '')",
        ["影子局", "影"])
    agency = Agency.objects.get(name="影子局")
    sql("INSERT INTO accounts_unit (agency_id, name) VALUES (%s, %s)", [agency.pk, "影子科"])
    unit = Unit.objects.get(name="影子科")
    cert = verified_world.outsider.certificates.get()
    sql("DELETE FROM accounts_certificate WHERE id = %s", [cert.pk])
    report = verify_log()
    assert codes(report, f"agency:{agency.pk}") == {("inserted", v.E011)}
    assert codes(report, f"unit:{unit.pk}") == {("inserted", v.E014)}
    assert codes(report, f"certificate:{cert.pk}") == {("deleted", v.E009)}


def test_every_code_is_listed_once():
    listed = [getattr(v, f"E{n:03d}") for n in range(1, 22)]
    assert len(set(listed)) == 21 and all(c.startswith("accounts.E") for c in listed)
    assert {c for kinds in v.STATE_CODES.values() for c in kinds.values()} == set(listed[3:])
    assert v.READ_ACTIONS <= {a for a in v.ACTION_LABELS}
    from liuhen.ledger.vocabulary import is_read

    for action in v.READ_ACTIONS:  # each read may be appended outside a write transaction
        assert is_read(action)
    assert User.ledger_state_fields[-2:] == ("must_change_password", "password_reset_pending")
