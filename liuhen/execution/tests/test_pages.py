"""Execution's card on the case page and its acts (issue 18 item 2): the officer records a payment with
the slip's photo, the party's application, the head decides; each refusal answered 4xx in Chinese and
recorded; the voucher opened from the card, its opening in the ledger."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liuhen.execution import vocabulary as v
from liuhen.execution.models import DeferralDecision, DeferralRequest, Payment
from liuhen.ledger.models import Entry
from liuhen.testing.execution import fined_case, pay, voucher

pytestmark = pytest.mark.django_db


def _page(client, case):
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _days(n):
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def _refused():
    return Entry.objects.filter(action=v.REFUSED).count()


def test_the_card_shows_the_account_and_the_computed_late_fine(client, world):
    case = fined_case(world, fine=5000, served_days_ago=20)
    client.force_login(world.officer)
    page = _page(client, case)
    assert 'id="execution"' in page and "已逾期 5 日" in page
    assert "加处罚款（计算值，未收取）" in page and "750.00 元" in page  # 5 days × 150 元
    assert "5,000.00 元" in page and 'accept="image/*,.pdf"' in page and 'enctype="multipart/form-data"' in page
    assert reverse("execution:pay", args=[case.pk]) in page and reverse("execution:defer", args=[case.pk]) in page


def test_no_card_before_service_or_without_a_fine(client, world):
    from liuhen.testing.cases import to_decision

    case = to_decision(world)
    client.force_login(world.officer)
    assert 'id="execution"' not in _page(client, case)


def test_the_officer_records_a_payment_from_the_card(client, world):
    case = fined_case(world, fine=5000)
    client.force_login(world.officer)
    response = client.post(reverse("execution:pay", args=[case.pk]), {
        "amount": "5000", "paid_on": _days(0), "channel": "银行缴款", "towards": "fine", "voucher": voucher()})
    assert response.status_code == 302 and response.url.endswith("#execution")
    p = Payment.objects.get(case=case)
    assert p.amount_fen == 500_000 and p.voucher_name == "缴款书.png"
    page = _page(client, case)
    assert "罚款已缴清" in page and reverse("execution:voucher", args=[p.pk]) in page
    assert reverse("execution:pay", args=[case.pk]) not in page  # nothing more to pay
    response = client.get(reverse("execution:voucher", args=[p.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert Entry.objects.filter(action=v.VIEW, object_id=str(p.pk)).exists()


@pytest.mark.parametrize("post,status,says", [
    ({"amount": "100", "paid_on": "FUTURE", "channel": "银行缴款", "towards": "fine", "voucher": "PNG"}, 400,
     "缴款日期不能晚于今天"),
    ({"amount": "100", "paid_on": "TODAY", "channel": "银行缴款", "towards": "fine"}, 400, "请上传缴款凭证"),
    ({"amount": "0", "paid_on": "TODAY", "channel": "银行缴款", "towards": "fine", "voucher": "PNG"}, 400, "缴款金额"),
    ({"amount": "6000", "paid_on": "TODAY", "channel": "银行缴款", "towards": "fine", "voucher": "PNG"}, 400,
     "超出未缴罚款"),
    ({"amount": "5001", "paid_on": "TODAY", "channel": "银行缴款", "towards": "late_fine", "voucher": "PNG"}, 400,
     "加处罚款不得超出罚款数额（行政处罚法 72）"),
])
def test_a_refused_payment_is_answered_and_recorded(client, world, post, status, says):
    case = fined_case(world, fine=5000)
    client.force_login(world.officer)
    post = dict(post)
    post["paid_on"] = _days(1) if post["paid_on"] == "FUTURE" else _days(0)
    if post.get("voucher"):
        post["voucher"] = voucher()
    before = _refused()
    response = client.post(reverse("execution:pay", args=[case.pk]), post)
    assert response.status_code == status and says in response.content.decode()
    assert _refused() == before + 1 and not Payment.objects.exists()


def test_a_case_not_visible_is_a_404_and_recorded(client, world):
    case = fined_case(world)
    client.force_login(world.outsider)
    response = client.post(reverse("execution:pay", args=[case.pk]), {})
    assert response.status_code == 404
    assert Entry.objects.filter(action__endswith=".denied", object_id=str(case.pk)).exists()
    assert not Payment.objects.exists()


def test_a_deferral_requested_and_decided_from_the_card(client, world):
    case = fined_case(world, fine=5000, served_days_ago=3)
    client.force_login(world.officer)
    response = client.post(reverse("execution:defer", args=[case.pk]), {
        "kind": "分期", "reason": "经营困难", "instalments": f"{_days(30)} 2500\n{_days(60)} 2500"})
    assert response.status_code == 302
    req = DeferralRequest.objects.get(case=case)
    assert [i["amount_fen"] for i in req.instalments] == [250_000, 250_000]
    page = _page(client, case)
    assert "延期（分期）审批中" in page and reverse("execution:decide", args=[req.pk]) not in page
    response = client.post(reverse("execution:decide", args=[req.pk]), {"approved": "1"})
    assert response.status_code == 403 and "机关负责人" in response.content.decode()
    client.force_login(world.agency_head)
    page = _page(client, case)
    assert reverse("execution:decide", args=[req.pk]) in page
    response = client.post(reverse("execution:decide", args=[req.pk]), {"approved": "1", "opinion": "同意"})
    assert response.status_code == 302 and DeferralDecision.objects.get(request=req).approved
    before = _refused()
    response = client.post(reverse("execution:decide", args=[req.pk]), {"approved": "0", "opinion": "再议"})
    assert response.status_code == 409 and "已审批" in response.content.decode() and _refused() == before + 1
    page = _page(client, case)
    assert 'id="execution-schedule"' in page and "已批准分期缴纳" in page


def test_a_bad_deferral_form_is_answered_and_recorded(client, world):
    case = fined_case(world)
    client.force_login(world.officer)
    before = _refused()
    response = client.post(reverse("execution:defer", args=[case.pk]), {
        "kind": "分期", "reason": "困难", "instalments": "明天 一千"})
    assert response.status_code == 400 and "第1行" in response.content.decode() and _refused() == before + 1
    response = client.post(reverse("execution:defer", args=[case.pk]), {
        "kind": "分期", "reason": "困难", "instalments": f"{_days(30)} 1000\n{_days(60)} 1000"})
    assert response.status_code == 400 and "应等于未缴罚款" in response.content.decode()
    assert _refused() == before + 2 and not DeferralRequest.objects.exists()


def test_the_head_sees_the_card_read_only_and_a_payment_listed(client, world):
    case = fined_case(world, fine=5000)
    p = pay(world, case, 1000)
    client.force_login(world.agency_head)
    page = _page(client, case)
    assert "4,000.00" in page and reverse("execution:voucher", args=[p.pk]) in page
    assert reverse("execution:pay", args=[case.pk]) not in page
