"""涉案财物 through the services (issue 18 item 5): items listed from their 查封扣押现场笔录 (行政强制法 24),
kept and moved (26), handled only after a head's approval — sold, destroyed or paid in only after the
决定书 (27), returned or released any time (28) — each handled once, with its proof and its 罚没物品处理记录;
every write in the ledger, each refusal with its Chinese reason recorded and nothing half-written."""
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.caseproperty import selectors as s
from liuhen.caseproperty import services
from liuhen.caseproperty import vocabulary as v
from liuhen.caseproperty.models import Custody, Handling, HandlingApproval, HandlingRequest, Item
from liuhen.testing.caseproperty import JPEG, PDF, approved, handled, item, png, seized_case, to_service
from liuhen.ledger.models import Entry
from liuhen.media import store
from liuhen.media.purge import needed_elsewhere
from liuhen.records.selectors import record_with_state

pytestmark = pytest.mark.django_db


def _event(action, row):
    entry = Entry.objects.get(action=action, object_id=str(row.pk))
    return json.loads(bytes(entry.leaf))


def _refused(fn, *args, code, exc=ValidationError, **kw):
    """Call a service expected to refuse with `code`: raised, recorded, nothing written."""
    counts = [m.objects.count() for m in (Item, Custody, HandlingRequest, HandlingApproval, Handling)]
    before = Entry.objects.filter(action=v.REFUSED).count()
    with pytest.raises(exc) as raised:
        fn(*args, **kw)
    if code is not None:
        assert code in [e.code for e in raised.value.error_list], raised.value.messages
    assert Entry.objects.filter(action=v.REFUSED).count() == before + 1
    assert [m.objects.count() for m in (Item, Custody, HandlingRequest, HandlingApproval, Handling)] == counts
    return raised.value.messages[0] if hasattr(raised.value, "messages") else str(raised.value)


# ---- 登记 ----------------------------------------------------------------------------------------------

def test_an_item_is_registered_with_its_record_photo_and_custody(world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure, quantity="2.5", unit="吨", name="砂石", specification="中砂", value="1200.50",
              photo=png())
    assert it.quantity == 2.5 and it.value_fen == 120_050 and it.photo_type == "image/png"
    assert it.source_record_id == seizure.pk and store.exists(it.photo_id)
    assert needed_elsewhere({it.photo_id}) == {it.photo_id}  # never purged while the item stands
    view = s.item_view(it)
    assert view.state == s.HELD and view.custody.place == "局罚没物品仓库" and view.state_label == "在库"
    event = _event(v.REGISTER, it)
    assert event["object"]["type"] == "caseproperty_item" and event["content_sha256"] == it.ledger_digest()
    assert event["detail"]["blobs"] == [it.photo_id] and event["detail"]["source_record"] == seizure.pk
    assert Entry.objects.filter(action=v.CUSTODY, object_id=str(view.custody.pk)).exists()


def test_a_preserved_item_from_its_list_and_an_other_item_without_a_record(world):
    case, listing = seized_case(world, code="evidence_preservation_list")
    it = item(world, case, listing, source="先行登记保存", name="账簿", unit="本", quantity="3", place="", custodian="")
    assert it.source_record_id == listing.pk and s.item_view(it).custody is None
    other = item(world, case, None, source="其他", name="钥匙", unit="把")
    assert other.source_record_id is None


@pytest.mark.parametrize("kw,code,says", [
    ({"quantity": "0"}, "quantity", "数量应大于零"),
    ({"quantity": "-1"}, "quantity", "数量应大于零"),
    ({"quantity": "1.0001"}, "quantity", "三位小数"),
    ({"source": "拾得"}, "source", "请选择来源"),
    ({"name": ""}, "required", "请填写财物名称"),
    ({"value": "0"}, "amount", "估价应大于零"),
    ({"place": "仓库", "custodian": ""}, "custody", "同时填写保管地点和保管人"),
    ({"photo": "PDF"}, "photo_type", "JPEG 或 PNG"),
])
def test_a_bad_item_is_refused(world, kw, code, says):
    case, seizure = seized_case(world)
    if kw.get("photo") == "PDF":
        kw["photo"] = png(PDF)
    assert says in _refused(item, world, case, seizure, code=code, **kw)


def test_a_seized_item_needs_a_complete_seizure_record_of_the_case(world):
    case, seizure = seized_case(world)
    other_case, other_seizure = seized_case(world)
    assert "本案已完成的查封扣押现场笔录" in _refused(item, world, case, None, code="source_record")
    assert "不属于本案" in _refused(item, world, case, other_seizure, code="source_record_case")
    assert "不属于本案" in _refused(item, world, case, 10 ** 9, code="source_record_case")
    from liuhen.testing.cases import make_record

    draft = make_record(world, case, "seizure_record")  # not signed yet
    assert "已完成（已签齐）" in _refused(item, world, case, draft, code="source_record")
    listing = make_record(world, case, "evidence_preservation_list")
    assert "查封扣押现场笔录" in _refused(item, world, case, listing, code="source_record")
    assert item(world, case, seizure, source="查封").source == "查封"


def test_only_an_officer_of_the_case_registers(world):
    case, seizure = seized_case(world)
    _refused(services.register_item, world.agency_head, case, name="车", quantity=1, unit="辆", source="扣押",
             source_record=seizure, code=None, exc=PermissionDenied)


# ---- 保管 ----------------------------------------------------------------------------------------------

def test_custody_moves_and_the_latest_is_where_it_is(world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure)
    moved = services.move_custody(world.officer2, it, place="市涉案财物管理中心", custodian="赵六")
    assert s.item_view(it).custody == moved and _event(v.CUSTODY, moved)["detail"]["item"] == it.pk
    assert "请填写保管人" in _refused(services.move_custody, world.officer, it, place="库", custodian="", code="required")
    future = timezone.now() + timezone.timedelta(days=1)
    assert "不能晚于现在" in _refused(services.move_custody, world.officer, it, place="库", custodian="甲",
                                      from_at=future, code="future")


def test_a_handled_item_does_not_move(world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure)
    handled(world, approved(world, case, [it]))
    assert "已退还" in _refused(services.move_custody, world.officer, it, place="库", custodian="甲", code="handled")


# ---- 申请、审批、处理 -------------------------------------------------------------------------------------

def test_a_return_before_the_decision_approved_and_done(world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure)
    req = services.request_handling(world.officer, case, item_ids=[it.pk], kind="退还", reason="不属于违法物品")
    assert s.item_view(it).state == s.PENDING and _event(v.REQUEST, req)["detail"]["items"] == [it.pk]
    assert "尚未审批" in _refused(handled, world, req, code="not_approved")
    dec = services.decide_handling(world.agency_head, req, approved=True)
    assert _event(v.DECIDE, dec)["detail"]["approved"] is True and s.item_view(it).state == s.APPROVED
    assert "请填写接收人" in _refused(handled, world, req, recipient="", code="required")
    assert "只有拍卖" in _refused(handled, world, req, proceeds="10", code="proceeds")
    assert "PDF、JPEG 或 PNG" in _refused(services.record_handling, world.officer, req, done_on=timezone.localdate(),
                                         voucher=png(b"GIF89a"), recipient="王五", relation="本人", code="voucher_type")
    assert "请上传处理凭证" in _refused(services.record_handling, world.officer, req, done_on=timezone.localdate(),
                                      voucher=None, recipient="王五", relation="本人", code="voucher")
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    assert "不能晚于今天" in _refused(services.record_handling, world.officer, req, done_on=tomorrow, voucher=png(),
                                     recipient="王五", relation="本人", code="future")
    h = handled(world, req)
    assert h.record is None and h.recipient == "王五" and h.voucher_type == "image/png"  # 调查取证: no 处理记录 yet
    assert s.item_view(it).state == s.HANDLED and s.item_view(it).state_label == "已处理（退还）"
    assert _event(v.HANDLE, h)["detail"]["blobs"] == [h.voucher_id]
    assert "已登记" in _refused(handled, world, req, code="handled")
    assert needed_elsewhere({h.voucher_id}) == {h.voucher_id}


def test_a_handled_item_is_not_requested_again(world):
    case, seizure = seized_case(world)
    it, other = item(world, case, seizure), item(world, case, seizure, name="铲车")
    handled(world, approved(world, case, [it], kind="解除查封扣押", reason="期限届满（行政强制法 28）"))
    assert "不能再次申请" in _refused(services.request_handling, world.officer, case, item_ids=[it.pk, other.pk],
                                     kind="退还", reason="再退", code="handled")
    services.request_handling(world.officer, case, item_ids=[other.pk], kind="退还", reason="退还")
    assert "待审批" in _refused(services.request_handling, world.officer, case, item_ids=[other.pk], kind="移送有关机关",
                               reason="移送", code="open")


def test_a_refused_request_frees_the_item(world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure)
    req = services.request_handling(world.officer, case, item_ids=[it.pk], kind="退还", reason="退还")
    assert "请写明意见" in _refused(services.decide_handling, world.agency_head, req, approved=False, code="opinion")
    services.decide_handling(world.agency_head, req, approved=False, opinion="尚需作为证据")
    assert s.item_view(it).state == s.HELD
    assert "未获批准" in _refused(handled, world, req, code="refused")
    assert "已审批" in _refused(services.decide_handling, world.agency_head, req, approved=True, code="decided")
    again = services.request_handling(world.officer, case, item_ids=[it.pk], kind="移送有关机关", reason="移送公安机关")
    assert s.item_view(it).request == again


def test_who_approves(world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure)
    req = services.request_handling(world.officer, case, item_ids=[it.pk], kind="退还", reason="退还")
    assert "机关负责人" in _refused(services.decide_handling, world.officer2, req, approved=True, code=None,
                                exc=PermissionDenied)
    assert "机关负责人" in _refused(services.decide_handling, world.unit_head, req, approved=True, code=None,
                                exc=PermissionDenied)
    _refused(services.decide_handling, world.outsider, req, approved=True, code=None, exc=PermissionDenied)


def test_items_of_another_case_or_none(world):
    case, seizure = seized_case(world)
    other_case, other_seizure = seized_case(world)
    foreign = item(world, other_case, other_seizure)
    assert "不属于本案" in _refused(services.request_handling, world.officer, case, item_ids=[foreign.pk], kind="退还",
                                  reason="退还", code="items_case")
    assert "请选择要处理的财物" in _refused(services.request_handling, world.officer, case, item_ids=[], kind="退还",
                                       reason="退还", code="items")
    it = item(world, case, seizure)
    assert "请填写处理的理由" in _refused(services.request_handling, world.officer, case, item_ids=[it.pk], kind="退还",
                                     reason=" ", code="required")
    assert "请选择处理方式" in _refused(services.request_handling, world.officer, case, item_ids=[it.pk], kind="赠送",
                                    reason="赠送", code="kind")


def test_destruction_only_after_the_decision_and_its_record(world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure, name="假冒水表", quantity="20", unit="只")
    for kind in ("销毁", "拍卖", "上缴国库"):
        assert "行政强制法 27" in _refused(services.request_handling, world.officer, case, item_ids=[it.pk], kind=kind,
                                         reason="没收", code="no_decision")
    case = to_service(world, case)
    req = approved(world, case, [it], kind="销毁", reason="决定书没收，依法销毁")
    h = services.record_handling(world.officer, req, done_on=timezone.localdate(), voucher=png(JPEG),
                                 filename="销毁现场.jpg")
    st = record_with_state(h.record_id)
    assert st.record.record_type.code == "confiscated_property" and not st.complete  # a draft the officers sign
    assert "假冒水表 20只" in st.latest.content["items"] and st.latest.content["handling"].startswith("销毁")
    assert h.voucher_type == "image/jpeg" and _event(v.HANDLE, h)["detail"]["record"] == h.record_id


def test_an_auction_needs_its_proceeds(world):
    case, seizure = seized_case(world)
    it = item(world, case, seizure)
    case = to_service(world, case)
    req = approved(world, case, [it], kind="拍卖", reason="决定书没收，依法拍卖")
    assert "请填写拍卖所得" in _refused(services.record_handling, world.officer, req, done_on=timezone.localdate(),
                                     voucher=png(PDF), code="proceeds")
    assert "拍卖所得应大于零" in _refused(services.record_handling, world.officer, req, done_on=timezone.localdate(),
                                      voucher=png(PDF), proceeds="0", code="amount")
    h = services.record_handling(world.officer, req, done_on=timezone.localdate(), voucher=png(PDF),
                                 filename="成交确认书.pdf", proceeds="85000")
    assert h.proceeds_fen == 8_500_000 and h.voucher_type == "application/pdf"
    assert "85,000.00 元" in record_with_state(h.record_id).latest.content["handling"]


def test_the_seizure_term_is_met_by_the_decision(world):
    case, seizure = seized_case(world)
    [term] = s.seizure_terms(case)
    assert term.key == f"caseproperty:seizure:{seizure.pk}" and term.met_at is None
    assert (term.due_at - term.started_at).days == 30
    case = to_service(world, case)
    [term] = s.seizure_terms(case)
    assert term.met_at is not None


def test_a_request_waits_on_the_approver_s_todo_list_until_decided(world):
    """我的待办 (oversight.todo): the head sees the request under 待审批; the requester never does; gone once decided."""
    from liuhen.caseproperty import services
    from liuhen.oversight import todo

    from liuhen.testing.caseproperty import item, seized_case

    case, record = seized_case(world)
    thing = item(world, case, record)
    req = services.request_handling(world.officer, case, item_ids=[thing.pk], kind="退还",
                                    reason="经调查不属于违法物品，依法退还（行政强制法 28）。")

    def titles(user):
        section = todo.todo_for(user).section("approve")
        return [i.title for i in section.items] if section else []

    assert titles(world.agency_head) == ["涉案财物退还申请（1项）"]
    assert "涉案财物退还申请（1项）" not in titles(world.officer)
    services.decide_handling(world.agency_head, req, approved=True, opinion="同意")
    assert titles(world.agency_head) == []


def test_the_list_filtered_by_state_reaches_past_the_newest_page(world, monkeypatch):
    """The state is derived, not stored: an approved item older than a page of newer held items is
    still found when the list asks for 已批准 (each page read newest first until enough are found)."""
    case, seizure = seized_case(world)
    oldest = item(world, case, seizure, name="旧物")
    approved(world, case, [oldest])
    for n in range(9):  # more than 4 pages' worth: the old read stopped at LIST_LIMIT × 4
        item(world, case, seizure, name=f"新物{n}")
    monkeypatch.setattr(s, "LIST_LIMIT", 2)
    assert [v.item.name for v in s.listing(world.agency_head, state=s.APPROVED)] == ["旧物"]
    assert [v.item.name for v in s.listing(world.agency_head, state=s.HELD)] == ["新物8", "新物7"]
    assert len(s.listing(world.agency_head)) == 2
