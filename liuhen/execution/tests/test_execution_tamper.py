"""`liuhen verify` holds execution's rows to what the log recorded: a payment slipped in by SQL (a fine
cleared that was never paid), an amount altered, an approval of a deferral deleted — each named with its
code (execution.E0xx)."""
import datetime

import pytest
from django.utils import timezone

from liuhen.execution import selectors as s
from liuhen.execution import services
from liuhen.execution import vocabulary as v
from liuhen.execution.models import DeferralDecision, DeferralRequest, Payment
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.execution import fined_case, pay
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def paid(verified_world):
    world = verified_world
    case = fined_case(world, fine=5000)
    payment = pay(world, case, 1000)
    req = services.request_deferral(world.officer, case, kind="延期", reason="困难",
                                    new_due_on=timezone.localdate() + datetime.timedelta(days=60))
    dec = services.decide_deferral(world.agency_head, req, approved=True)
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world, case, payment, req, dec


def test_an_amount_altered(paid):
    world, case, payment, _req, _dec = paid
    table = Payment._meta.db_table
    drop_append_only(table)
    sql(f"UPDATE {table} SET amount_fen = %s WHERE id = %s", [500_000, payment.pk])
    assert s.account(case).balance == 0  # the fine would look paid…
    f = found(verify_log(), "altered", f"execution_payment:{payment.pk}",
              Entry.objects.get(action=v.PAY, object_id=str(payment.pk)))
    assert f.code == "execution.E001"  # …and verify names it


def test_a_payment_inserted(paid):
    world, case, payment, _req, _dec = paid
    sql(f"INSERT INTO {Payment._meta.db_table} (case_id, amount_fen, towards, paid_on, channel, voucher_id,"
        " voucher_name, voucher_type, recorded_by_id, recorded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [case.pk, 400_000, "fine", timezone.localdate(), "银行缴款", payment.voucher_id, "伪造.png", "image/png",
         world.officer.pk, timezone.now()])
    forged = Payment.objects.exclude(pk=payment.pk).get(case=case)
    assert found(verify_log(), "inserted", f"execution_payment:{forged.pk}").code == "execution.E002"


def test_a_request_altered_and_a_decision_deleted(paid):
    world, case, _payment, req, dec = paid
    drop_append_only(DeferralRequest._meta.db_table)
    sql(f"UPDATE {DeferralRequest._meta.db_table} SET new_due_on = %s WHERE id = %s",
        [timezone.localdate() + datetime.timedelta(days=600), req.pk])
    drop_append_only(DeferralDecision._meta.db_table)
    sql(f"DELETE FROM {DeferralDecision._meta.db_table} WHERE id = %s", [dec.pk])
    report = verify_log()
    assert found(report, "altered", f"execution_deferral_request:{req.pk}").code == "execution.E004"
    assert found(report, "deleted", f"execution_deferral_decision:{dec.pk}").code == "execution.E009"


def test_the_vocabulary_labels_every_action():
    actions = {v.PAY, v.DEFER_REQUEST, v.DEFER_DECIDE, v.VIEW, v.REFUSED}
    assert actions == set(v.ACTION_LABELS) and v.READ_ACTIONS <= actions
