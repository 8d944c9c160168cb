"""A row that cannot be read back is a finding about that row; every other finding is still made
(issue 12 §5: one flipped byte must not hide the other changes)."""
import pytest
from django.db import connection

from liuhen.accounts.models import Certificate
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.subjects import UNREADABLE_CODE, Unreadable, model_states
from liuhen.testing.tampering import sql
from liuhen.ledger.verify import verify_log

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL's date column holds only dates")
def test_an_unparseable_date_is_reported_for_its_row_and_the_other_changes_still_are(verified_world):
    world = verified_world
    broken, moved = (world.officer.certificates.get(), world.officer2.certificates.get())
    sql("UPDATE accounts_certificate SET valid_until = '2026-13-45' WHERE id = %s", [broken.pk])
    sql("UPDATE accounts_certificate SET valid_until = '2099-12-31' WHERE id = %s", [moved.pk])

    states = dict(model_states(Certificate))
    assert isinstance(states[str(broken.pk)], Unreadable)
    assert states[str(moved.pk)]["valid_until"] == "2099-12-31"

    integrate_all()
    report = verify_log()
    by_object = {f.object: f for f in report.findings}
    assert by_object[f"certificate:{broken.pk}"].code == UNREADABLE_CODE
    assert by_object[f"certificate:{moved.pk}"].kind == "altered"
    assert by_object[f"certificate:{moved.pk}"].code != UNREADABLE_CODE
    assert len(report.findings) == 2, [str(f) for f in report.findings]
