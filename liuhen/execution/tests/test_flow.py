"""执行 through the services (issue 18 item 2): the due date from service (行政处罚法 67), payments with
their vouchers, the late fine shown on the case's account (72), deferral and instalments approved by
the head (66) — and each refusal, with its Chinese reason, recorded."""
import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.execution import selectors as s
from liuhen.execution import services
from liuhen.execution import vocabulary as v
from liuhen.execution.models import DeferralDecision, DeferralRequest, Payment
from liuhen.ledger.models import Entry
from liuhen.media import store
from liuhen.media.purge import needed_elsewhere
from liuhen.testing.snapshots import scene_fixture
from liuhen.testing.execution import PDF, fined_case, pay, serve, voucher_file

pytestmark = pytest.mark.django_db


# A world whose one case fines 5000 元, its 决定书 served 3 days ago (fined_case(world)); the same, its 决定书
# not yet served (fined_case(world, served=False): the test serves it) — built once per run and copied
# in with their keys (liuhen.testing.enforcement_scene).
fined = scene_fixture("fined", "liuhen.testing.enforcement_scene:fined_scene")
unserved = scene_fixture("unserved", "liuhen.testing.enforcement_scene:unserved_fine_scene")


def _today():
    return timezone.localdate()


def _days(n):
    return _today() + datetime.timedelta(days=n)


def _refusals(act=None):
    rows = [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=v.REFUSED).order_by("pk")]
    return [r for r in rows if act is None or r.get("detail", {}).get("act") == act]


def _refused(fn, *args, code, **kw):
    """Call a service expected to refuse with `code`: the refusal is raised and recorded."""
    before = Entry.objects.filter(action=v.REFUSED).count()
    with pytest.raises(ValidationError) as exc:
        fn(*args, **kw)
    assert code in [e.code for e in exc.value.error_list], exc.value.messages
    assert Entry.objects.filter(action=v.REFUSED).count() == before + 1
    return exc.value.messages[0]


# ---- the due date --------------------------------------------------------------------------------

def test_the_due_date_runs_from_service(fined):
    case = fined.case
    acc = s.account(case)
    assert s.decision_served_on(case) == _days(-3)
    assert acc.fine == 500_000 and acc.paid == 0 and acc.balance == 500_000
    assert acc.due_on == _days(-3 + 15)  # 行政处罚法 67: 十五日
    assert acc.late_fine == 0 and acc.overdue_days == 0 and acc.status == "待缴纳"


def test_not_served_no_due_date(unserved):
    world, case = unserved.world, unserved.case
    acc = s.account(case)
    assert acc.served_on is None and acc.due_on is None and acc.schedule == [] and acc.late_fine == 0
    assert acc.status == "决定书未送达"
    serve(world, case, days_ago=1)
    assert s.account(case).due_on == _days(14)


def test_the_late_fine_runs_after_the_due_date(unserved):
    world, case = unserved.world, unserved.case
    serve(world, case, days_ago=20)  # due 5 days ago
    acc = s.account(case)
    assert acc.overdue_days == 5 and acc.status == "已逾期"
    assert acc.late_fine == 5 * 15_000  # 3% of 5000 元 a day
    assert s.account(case, on=_days(40)).late_fine == 500_000  # capped at the fine


# ---- payments ------------------------------------------------------------------------------------

def test_a_payment_is_recorded_with_its_voucher(fined):
    world, case = fined.world, fined.case
    p = pay(world, case, "1200.50")
    assert p.amount_fen == 120_050 and p.voucher_type == "image/png" and store.exists(p.voucher_id)
    acc = s.account(case)
    assert acc.paid == 120_050 and acc.balance == 379_950
    entry = Entry.objects.get(action=v.PAY, object_id=str(p.pk))
    detail = json.loads(bytes(entry.leaf))["detail"]
    assert detail["amount_fen"] == 120_050 and detail["blobs"] == [p.voucher_id]
    pdf = services.record_payment(world.officer, case, amount=3799.50, paid_on=_today(), channel="电子缴款",
                                  voucher=voucher_file(PDF), filename="电子缴款凭证.pdf")
    assert pdf.voucher_type == "application/pdf"
    assert needed_elsewhere({p.voucher_id, "0" * 64}) == {p.voucher_id}  # never purged under the payment
    acc = s.account(case)
    assert acc.balance == 0 and acc.status == "罚款已缴清" and acc.due_on is None


def test_a_payment_is_refused_without_voucher_in_the_future_or_not_positive(fined):
    world, case = fined.world, fined.case
    args = dict(paid_on=_today(), channel="银行缴款", filename="x.png")
    assert "缴款凭证" in _refused(services.record_payment, world.officer, case, amount=100, voucher=None,
                                  code="voucher", **args)
    for bad in (0, -5, "abc", "1.001"):
        _refused(services.record_payment, world.officer, case, amount=bad, voucher=voucher_file(), code="amount",
                 **args)
    assert "晚于今天" in _refused(services.record_payment, world.officer, case, amount=100, voucher=voucher_file(),
                                  code="future", **{**args, "paid_on": _days(1)})
    assert "早于决定日期" in _refused(services.record_payment, world.officer, case, amount=100, voucher=voucher_file(),
                                    code="before_decision", **{**args, "paid_on": _days(-1)})
    _refused(services.record_payment, world.officer, case, amount=100, voucher=voucher_file(b"GIF89a...."),
             code="voucher_type", **args)
    _refused(services.record_payment, world.officer, case, amount=5000.01, voucher=voucher_file(),
             code="over_fine", **args)
    assert Payment.objects.count() == 0


def test_a_late_fine_payment_above_the_fine_is_refused(unserved):
    world, case = unserved.world, unserved.case
    serve(world, case, days_ago=60)  # 45 days late: computed at the cap
    assert s.account(case).late_fine == 500_000
    args = dict(paid_on=_today(), channel="银行缴款", towards="late_fine", filename="x.png")
    msg = _refused(services.record_payment, world.officer, case, amount=5000.01, voucher=voucher_file(),
                   code="over_cap", **args)
    assert msg == "加处罚款不得超出罚款数额（行政处罚法 72）。"
    pay(world, case, 3000, towards="late_fine")
    _refused(services.record_payment, world.officer, case, amount=2000.01, voucher=voucher_file(),
             code="over_cap", **args)
    pay(world, case, 2000, towards="late_fine")
    assert s.account(case).late_paid == 500_000 and Payment.objects.count() == 2


def test_a_late_fine_payment_above_the_computed_is_refused(unserved):
    world, case = unserved.world, unserved.case
    serve(world, case, days_ago=17)  # 2 days late: 300 元
    args = dict(paid_on=_today(), channel="当场收缴", towards="late_fine", filename="x.png")
    msg = _refused(services.record_payment, world.officer, case, amount=300.01, voucher=voucher_file(),
                   code="over_late_fine", **args)
    assert "300.00" in msg
    pay(world, case, 300, towards="late_fine")
    assert s.account(case).late_cap_left == 0


def test_only_an_officer_of_the_case_with_a_certificate_records(fined):
    world, case = fined.world, fined.case
    for who in (world.officer3, world.agency_head, world.outsider):
        with pytest.raises(PermissionDenied):
            pay(world, case, 100, by=who)
    assert len(_refusals("pay")) == 3 and Payment.objects.count() == 0


# ---- deferral and instalments --------------------------------------------------------------------

def test_an_approved_deferral_moves_the_due_date(fined):
    world, case = fined.world, fined.case
    req = services.request_deferral(world.officer, case, kind="延期", reason="经营困难，申请延期缴纳。",
                                    new_due_on=_days(60))
    assert s.account(case).status == "延期（分期）审批中" and s.account(case).due_on == _days(12)
    services.decide_deferral(world.agency_head, req, approved=True)
    acc = s.account(case)
    assert acc.due_on == _days(60) and acc.deferral.request == req
    assert s.account(case, on=_days(30)).late_fine == 0  # the old due date no longer counts
    assert s.account(case, on=_days(61)).late_fine == 15_000


def test_a_deferral_approved_when_late_keeps_the_late_fine_that_ran(unserved):
    world, case = unserved.world, unserved.case
    serve(world, case, days_ago=20)  # 5 days late: 750 元
    req = services.request_deferral(world.officer, case, kind="延期", reason="困难", new_due_on=_days(30))
    services.decide_deferral(world.agency_head, req, approved=True)
    assert s.account(case).late_fine == 75_000 and s.account(case).overdue_days == 0
    assert s.account(case, on=_days(30)).late_fine == 75_000  # stopped, not wiped
    assert s.account(case, on=_days(31)).late_fine == 90_000


def test_instalments_fall_due_one_by_one(fined):
    world, case = fined.world, fined.case
    pay(world, case, 1000)
    req = services.request_deferral(world.officer, case, kind="分期", reason="确有经济困难。",
                                    instalments=[(_days(30), 200_000), (_days(60), 200_000)])
    assert req.balance_fen == 400_000 and len(req.instalments) == 2
    dec = services.decide_deferral(world.agency_head, req, approved=True, opinion="同意分两期缴纳。")
    assert dec.paid_fen == 100_000
    acc = s.account(case)
    assert [a for _d, a in acc.schedule] == [100_000, 200_000, 200_000] and acc.due_on == _days(30)
    assert s.account(case, on=_days(32)).late_fine == 2 * 6_000  # 3% of the unpaid first instalment
    pay(world, case, 2000)
    assert s.account(case).due_on == _days(60)


def test_instalments_must_sum_to_the_balance_and_fall_in_order(fined):
    world, case = fined.world, fined.case
    kw = dict(kind="分期", reason="困难")
    assert "应等于未缴罚款 5,000.00 元" in _refused(
        services.request_deferral, world.officer, case, instalments=[(_days(30), 100_000), (_days(60), 100_000)],
        code="instalments_sum", **kw)
    _refused(services.request_deferral, world.officer, case, instalments=[(_days(60), 250_000), (_days(30), 250_000)],
             code="instalments_order", **kw)
    _refused(services.request_deferral, world.officer, case, instalments=[(_days(-1), 250_000), (_days(30), 250_000)],
             code="instalments_past", **kw)
    _refused(services.request_deferral, world.officer, case, instalments=[(_days(30), 500_000)],
             code="instalments", **kw)
    _refused(services.request_deferral, world.officer, case, kind="延期", reason="困难", new_due_on=_days(5),
             code="new_due_on")
    assert DeferralRequest.objects.count() == 0


def test_a_deferral_is_decided_once_by_the_head(fined):
    world, case = fined.world, fined.case
    req = services.request_deferral(world.officer, case, kind="延期", reason="困难", new_due_on=_days(40))
    _refused(services.request_deferral, world.officer, case, kind="延期", reason="困难", new_due_on=_days(50),
             code="pending")
    for who in (world.officer, world.unit_head, world.reviewer):
        with pytest.raises(PermissionDenied):
            services.decide_deferral(who, req, approved=True)
    _refused(services.decide_deferral, world.agency_head, req, approved=False, opinion="", code="opinion")
    services.decide_deferral(world.agency_head, req, approved=False, opinion="理由不充分。")
    _refused(services.decide_deferral, world.agency_head, req, approved=True, code="decided")
    assert DeferralDecision.objects.count() == 1 and s.account(case).due_on == _days(12)
    assert len(_refusals("defer_decide")) == 5


def test_an_approval_after_a_payment_changed_the_balance_is_refused(fined):
    world, case = fined.world, fined.case
    req = services.request_deferral(world.officer, case, kind="分期", reason="困难",
                                    instalments=[(_days(30), 250_000), (_days(60), 250_000)])
    pay(world, case, 100)
    _refused(services.decide_deferral, world.agency_head, req, approved=True, code="balance_changed")


def test_due_payments_for_the_officer_and_the_head(unserved):
    world, case = unserved.world, unserved.case
    serve(world, case, days_ago=20)
    items = s.due_payments(world.officer)
    assert [(i["kind"], i["case"].pk) for i in items] == [("payment", case.pk)]
    assert items[0]["account"].overdue_days == 5
    assert s.due_payments(world.agency_head) == [] and s.due_payments(world.officer3) == []
    req = services.request_deferral(world.officer, case, kind="延期", reason="困难", new_due_on=_days(30))
    assert [(i["kind"], i["request"]) for i in s.due_payments(world.agency_head)] == [("deferral", req)]
    pay(world, case, 5000)
    assert s.due_payments(world.officer) == []


def test_nothing_is_recorded_outside_the_service_stage_or_without_a_fine(world):
    from liuhen.testing.cases import to_decision

    case = to_decision(world)
    args = dict(amount=100, paid_on=_today(), channel="银行缴款", voucher=voucher_file(), filename="x.png")
    assert "送达执行阶段" in _refused(services.record_payment, world.officer, case, code="stage", **args)
    warned = fined_case(world, fine=0)
    _refused(services.record_payment, world.officer, warned, code="no_fine", **args)
    assert s.account(warned).status == "无罚款" and s.due_payments(world.officer) == []


def test_the_todo_lists_unpaid_fines_and_deferrals_to_decide(unserved):
    """我的待办: the officer of the case sees the unpaid fine, red once overdue; the head the application."""
    from liuhen.oversight.todo import todo_for

    world, case = unserved.world, unserved.case
    serve(world, case, days_ago=20)
    fines = todo_for(world.officer).section("fines")
    assert [i.case.pk for i in fines.items] == [case.pk] and fines.items[0].red
    assert todo_for(world.outsider).section("fines") is None
    services.request_deferral(world.officer, case, kind="延期", reason="经营困难",
                              new_due_on=timezone.localdate() + datetime.timedelta(days=30))
    approve = todo_for(world.agency_head).section("approve")
    assert any(i.case.pk == case.pk and "缴纳罚款申请" in i.title for i in approve.items)


def test_confiscated_gains_are_paid_apart_from_the_fine(fined, client):
    """没收违法所得 (行政处罚法 9(二)): its own account on the card, paid with a voucher, not more than
    imposed, refused where the decision confiscates nothing; no late fine runs on it."""
    from django.urls import reverse

    world, plain = fined.world, fined.case  # fined_case(world): 5000 元, nothing confiscated
    case = fined_case(world, confiscation=3200, served_days_ago=60)  # the late fine at its cap
    acc = s.account(case)
    assert (acc.confiscation, acc.confiscation_balance) == (320000, 320000) and acc.late_fine == 500000
    with pytest.raises(ValidationError) as exc:
        pay(world, case, "3200.01", towards="confiscation")
    assert exc.value.code == "over_confiscation"
    pay(world, case, "3200", towards="confiscation")
    acc = s.account(case)
    assert acc.confiscation_balance == 0 and acc.balance == 500000 and acc.late_fine == 500000  # the fine untouched
    client.force_login(world.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="execution-confiscation"' in page and "3,200.00 元，已缴 3,200.00 元" in page
    with pytest.raises(ValidationError) as exc:
        pay(world, plain, "100", towards="confiscation")
    assert exc.value.code == "no_confiscation"
    only = fined_case(world, fine=0, confiscation=800)
    assert s.account(only).status == "待缴纳"
    pay(world, only, "800", towards="confiscation")
    assert s.account(only).status == "没收违法所得已缴清"
