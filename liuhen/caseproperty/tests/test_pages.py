"""涉案财物 on the case page and /property/ (issue 18 item 5): the officer registers an item with its photo
and record, moves it, asks to return it; the head approves from the card; the officer records the result
with its proof; the agency's list filters by state and source. Each refusal answered 4xx in Chinese and
recorded; a case not visible is a 404."""
import pytest
from django.urls import reverse
from django.utils import timezone

from liuhen.caseproperty import vocabulary as v
from liuhen.caseproperty.models import Custody, Handling, HandlingApproval, HandlingRequest, Item
from liuhen.testing.caseproperty import PDF, approved, handled, item, seized_case, to_service, upload
from liuhen.ledger.models import Entry

pytestmark = pytest.mark.django_db


def _page(client, case):
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _refused():
    return Entry.objects.filter(action=v.REFUSED).count()


def _item_post(seizure, **kw):
    post = {"item-name": "挖掘机", "item-quantity": "1", "item-unit": "台", "item-source": "扣押",
            "item-source_record": str(seizure.pk), "item-value": "", "item-place": "局仓库", "item-custodian": "李四"}
    post.update({f"item-{k}": x for k, x in kw.items()})
    return post


def test_the_officer_sees_the_card_with_the_term_and_the_form(client, world):
    case, seizure = seized_case(world)
    client.force_login(world.officer)
    page = _page(client, case)
    assert 'id="caseproperty"' in page and "本案尚未登记涉案财物" in page and 'id="caseproperty-terms"' in page
    assert "查封扣押期限" in page and "行政强制法 25" in page and "期限内" in page
    assert reverse("caseproperty:register", args=[case.pk]) in page and 'enctype="multipart/form-data"' in page
    assert f'<option value="{seizure.pk}">查封扣押现场笔录' in page and 'accept="image/jpeg,image/png"' in page


def test_no_card_for_someone_else_while_there_is_nothing(client, world):
    case, _seizure = seized_case(world)
    client.force_login(world.agency_head)
    assert 'id="caseproperty"' not in _page(client, case)


def test_an_item_registered_from_the_card_and_its_photo_opened(client, world):
    case, seizure = seized_case(world)
    client.force_login(world.officer)
    response = client.post(reverse("caseproperty:register", args=[case.pk]),
                           {**_item_post(seizure, quantity="2.5", unit="吨", value="300"), "item-photo": upload()})
    assert response.status_code == 302 and response.url.endswith("#caseproperty")
    it = Item.objects.get(case=case)
    assert it.value_fen == 30_000 and it.photo_type == "image/png" and Custody.objects.get(item=it).custodian == "李四"
    page = _page(client, case)
    assert "2.5 吨" in page and "局仓库 · 李四" in page and "在库" in page and "估价 300.00 元" in page
    assert reverse("caseproperty:request", args=[case.pk]) in page and reverse("caseproperty:custody", args=[it.pk]) in page
    response = client.get(reverse("caseproperty:photo", args=[it.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert Entry.objects.filter(action=v.VIEW, object_id=str(it.pk)).exists()


@pytest.mark.parametrize("change,status,says", [
    ({"quantity": "0"}, 400, "数量应大于零"),
    ({"quantity": "很多"}, 400, "数量"),
    ({"source_record": "OTHER"}, 400, "来源记录不属于本案"),
    ({"source_record": ""}, 400, "本案已完成的查封扣押现场笔录"),
    ({"photo": "PDF"}, 400, "JPEG 或 PNG"),
    ({"custodian": ""}, 400, "同时填写保管地点和保管人"),
])
def test_a_refused_item_is_answered_and_recorded(client, world, change, status, says):
    case, seizure = seized_case(world)
    change = dict(change)
    if change.get("source_record") == "OTHER":
        change["source_record"] = str(seized_case(world)[1].pk)
    post = _item_post(seizure, **{k: x for k, x in change.items() if k != "photo"})
    if change.get("photo") == "PDF":
        post["item-photo"] = upload("清单.pdf", PDF, "application/pdf")
    client.force_login(world.officer)
    before = _refused()
    response = client.post(reverse("caseproperty:register", args=[case.pk]), post)
    assert response.status_code == status and says in response.content.decode()
    assert _refused() == before + 1 and not Item.objects.exists()


def test_custody_moved_from_the_card(client, world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure)
    client.force_login(world.officer2)
    url = reverse("caseproperty:custody", args=[it.pk])
    response = client.post(url, {f"c{it.pk}-place": "市管理中心", f"c{it.pk}-custodian": "赵六"})
    assert response.status_code == 302 and "市管理中心 · 赵六" in _page(client, case)
    before = _refused()
    response = client.post(url, {f"c{it.pk}-place": "市管理中心"})
    assert response.status_code == 400 and "保管人" in response.content.decode() and _refused() == before + 1


def test_a_return_requested_approved_and_done_from_the_card(client, world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure)
    client.force_login(world.officer)
    response = client.post(reverse("caseproperty:request", args=[case.pk]),
                           {"req-items": [str(it.pk)], "req-kind": "退还", "req-reason": "经查不属于违法物品"})
    assert response.status_code == 302
    req = HandlingRequest.objects.get(case=case)
    decide = reverse("caseproperty:decide", args=[req.pk])
    page = _page(client, case)
    assert "待审批" in page and decide not in page
    response = client.post(decide, {f"d{req.pk}-approved": "1"})
    assert response.status_code == 403 and "机关负责人" in response.content.decode()
    assert not HandlingApproval.objects.exists()
    client.force_login(world.agency_head)
    assert decide in _page(client, case)
    response = client.post(decide, {f"d{req.pk}-approved": "1", f"d{req.pk}-opinion": "同意退还"})
    assert response.status_code == 302 and HandlingApproval.objects.get(request=req).approved
    before = _refused()
    response = client.post(decide, {f"d{req.pk}-approved": "0", f"d{req.pk}-opinion": "再议"})
    assert response.status_code == 409 and "已审批" in response.content.decode() and _refused() == before + 1

    client.force_login(world.officer)
    handle = reverse("caseproperty:handle", args=[req.pk])
    page = _page(client, case)
    assert handle in page and "接收人与当事人的关系（退还）" in page and "拍卖所得" not in page
    today = timezone.localdate().isoformat()
    response = client.post(handle, {f"h{req.pk}-done_on": today, f"h{req.pk}-recipient": "王五",
                                    f"h{req.pk}-relation": "本人"})
    assert response.status_code == 400 and "请上传处理凭证" in response.content.decode()
    response = client.post(handle, {f"h{req.pk}-done_on": today, f"h{req.pk}-recipient": "王五",
                                    f"h{req.pk}-relation": "本人", f"h{req.pk}-voucher": upload("签收单.png")})
    assert response.status_code == 302
    h = Handling.objects.get(request=req)
    page = _page(client, case)
    assert "已处理（退还）" in page and "王五（本人）签收" in page and reverse("caseproperty:voucher", args=[h.pk]) in page
    assert handle not in page and reverse("caseproperty:custody", args=[it.pk]) not in page
    assert "财物已全部处理" in page  # the seizure's only item returned
    response = client.post(handle, {f"h{req.pk}-done_on": today, f"h{req.pk}-recipient": "王五",
                                    f"h{req.pk}-relation": "本人", f"h{req.pk}-voucher": upload("签收单.png")})
    assert response.status_code == 409 and "已登记" in response.content.decode()
    response = client.get(reverse("caseproperty:voucher", args=[h.pk]))
    assert response.status_code == 200 and Entry.objects.filter(action=v.VIEW, object_id=str(h.pk)).exists()


def test_destruction_before_the_decision_is_a_409(client, world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure)
    client.force_login(world.officer)
    before = _refused()
    response = client.post(reverse("caseproperty:request", args=[case.pk]),
                           {"req-items": [str(it.pk)], "req-kind": "销毁", "req-reason": "没收"})
    assert response.status_code == 409 and "行政强制法 27" in response.content.decode()
    assert _refused() == before + 1 and not HandlingRequest.objects.exists()
    response = client.post(reverse("caseproperty:request", args=[case.pk]),
                           {"req-items": ["x"], "req-kind": "退还", "req-reason": "退还"})
    assert response.status_code == 400 and "所选财物无效" in response.content.decode() and _refused() == before + 2


def test_an_auction_result_opens_the_handling_record(client, world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure)
    case = to_service(world, case)
    req = approved(world, case, [it], kind="拍卖", reason="依决定书没收，拍卖")
    client.force_login(world.officer)
    page = _page(client, case)
    assert "拍卖所得（元，拍卖）" in page
    response = client.post(reverse("caseproperty:handle", args=[req.pk]), {
        f"h{req.pk}-done_on": timezone.localdate().isoformat(), f"h{req.pk}-proceeds": "9000",
        f"h{req.pk}-voucher": upload("成交确认书.pdf", PDF, "application/pdf")})
    assert response.status_code == 302
    h = Handling.objects.get(request=req)
    page = _page(client, case)
    assert "所得 9,000.00 元" in page and reverse("records:detail", args=[h.record_id]) in page
    assert "已作出处理决定" in page


def test_a_case_not_visible_is_a_404_and_recorded(client, world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure)
    client.force_login(world.outsider)
    assert client.post(reverse("caseproperty:register", args=[case.pk]), _item_post(seizure)).status_code == 404
    assert client.get(reverse("caseproperty:photo", args=[it.pk])).status_code == 404
    assert Entry.objects.filter(action__endswith=".denied", object_id=str(case.pk)).exists()
    assert Item.objects.count() == 1


def test_the_agency_list_filters_by_state_and_source(client, world):
    case, seizure = seized_case(world)
    item(world, case, seizure, name="挖掘机")
    gone = item(world, case, seizure, name="铲车", source="查封")
    handled(world, approved(world, case, [gone]))
    client.force_login(world.agency_head)
    url = reverse("caseproperty:index")
    page = client.get(url).content.decode()
    assert "涉案财物台账" in page and "挖掘机" in page and "铲车" in page and case.number in page
    page = client.get(url, {"state": "handled"}).content.decode()
    assert "铲车" in page and "已处理（退还）" in page and "挖掘机" not in page
    page = client.get(url, {"source": "扣押"}).content.decode()
    assert "挖掘机" in page and "铲车" not in page
    assert Entry.objects.filter(action=v.VIEW, object_type="agency").count() == 3
    before = _refused()
    response = client.get(url, {"state": "lost"})
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode() and _refused() == before + 1
    client.force_login(world.outsider)
    page = client.get(url).content.decode()
    assert "挖掘机" not in page and "没有符合条件的涉案财物" in page


def test_a_seizure_past_its_term_is_shown_overdue(client, world):
    import datetime

    long_ago = timezone.localtime() - datetime.timedelta(days=40)
    case, _seizure = seized_case(world, content={"time": long_ago.strftime("%Y-%m-%dT%H:%M")})
    client.force_login(world.officer)
    page = _page(client, case)
    assert "已超期" in page and long_ago.strftime("%Y-%m-%d") in page
