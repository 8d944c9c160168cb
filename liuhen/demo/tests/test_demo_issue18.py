"""The demo's new parts of issue 18: 孙宝山's seized property (liuhen/demo/property.py) — the excavator
and the truck returned, the sand sold, each result with its proof and a 罚没物品处理记录 signed by the two
officers, its fine paid as its 履行情况记录 says — and 鑫泰洗选's repeated 责令改正 (liuhen/demo/execution.py): two orders, each issued and
served, re-checked 部分改正 then 已按期改正; and oversight finds nothing on either beyond what the rest of
their story leaves open."""
import pytest
from django.utils import timezone

from liuhen.caseproperty import selectors as cp
from liuhen.caseproperty.models import Handling, HandlingApproval, HandlingRequest, Item
from liuhen.cases.models import Case, Stage
from liuhen.cases.services import transition_blockers
from liuhen.delivery import selectors as delivery
from liuhen.demo.days import after, is_workday
from liuhen.execution import selectors as ex
from liuhen.oversight import engine
from liuhen.records.selectors import record_with_state
from liuhen.rectification import selectors as rs

SAND_CASE, RECT_CASE = "孙宝山在太子河南芬段非法采砂", "本溪市鑫泰矿产品洗选有限公司取水单位监督检查"


def _signed(record):
    """When the record was complete: its last signature."""
    return max(record.signatures.values_list("signed_at", flat=True))


def test_the_seized_items_are_listed_kept_and_handled(demo):
    case = Case.objects.get(title=SAND_CASE)
    seizure = case.records.get(record_type__code="seizure_record")
    views = {v.item.name: v for v in cp.items(case)}
    assert set(views) == {"挖掘机", "自卸车", "河砂"} == set(Item.objects.values_list("name", flat=True))
    assert views["自卸车"].item.specification == "辽E·5K327"
    assert views["河砂"].item.quantity == 15 and views["河砂"].item.unit == "立方米"
    for v in views.values():
        assert v.item.source == "扣押" and v.item.source_record_id == seizure.pk and v.item.photo_id
        assert v.custody.place == "本溪市水务局南芬执法站暂扣场" and v.custody.custodian
        assert v.item.registered_at > _signed(seizure)  # listed from the signed record
        assert v.state == cp.HANDLED
    assert {n: views[n].request.kind for n in views} == {"挖掘机": "退还", "自卸车": "退还", "河砂": "拍卖"}

    back, sale = HandlingRequest.objects.filter(case=case).order_by("id")
    assert sorted(back.item_ids) == sorted([views["挖掘机"].item.pk, views["自卸车"].item.pk])
    assert sale.item_ids == [views["河砂"].item.pk]
    for req in (back, sale):
        approval = HandlingApproval.objects.get(request=req)
        assert approval.approved and approval.decided_by.username == "liujianguo"
    returned, sold = Handling.objects.get(request=back), Handling.objects.get(request=sale)
    assert (returned.recipient, returned.recipient_relation, returned.proceeds_fen) == ("孙宝山", "本人", None)
    assert sold.proceeds_fen == 138000 and sold.voucher_name == "拍卖成交确认书.png"
    assert returned.voucher_name == "签收单.png"
    # Each result opened a 罚没物品处理记录 in 送达执行, signed by the case's two officers, before the case
    # left the stage; the seizure's term met by the decision (行政强制法 25).
    left_service = case.transitions.get(from_stage=Stage.SERVICE).at
    for handling in (returned, sold):
        state = record_with_state(handling.record_id)
        assert state.record.record_type.code == "confiscated_property" and state.complete
        assert state.record.stage == Stage.SERVICE and _signed(state.record) < left_service
        assert set(state.record.signatures.values_list("signer__username", flat=True)) == {"gaofeng", "luojia"}
    assert "拍卖，所得 1,380.00 元" in record_with_state(sold.record_id).latest.content["handling"]
    (term,) = cp.seizure_terms(case)
    assert term.met_at is not None and term.met_at < term.due_at


def test_the_order_to_correct_is_repeated_until_corrected(demo):
    case = Case.objects.get(title=RECT_CASE)
    assert case.stage == Stage.SERVICE and case.kind == "inspection" and not case.is_archived
    chain = rs.chain_of(case)
    assert [o.outcome for o in chain] == ["部分改正", "已按期改正"]
    first, second = chain
    assert first.record.complete and second.record.complete and all(len(o.checks) == 1 for o in chain)
    assert (first.deadline - first.issued_on).days >= 10 and is_workday(first.deadline)
    assert second.deadline == after(second.issued_on, 7)  # 行政处罚法 85: 七日 are working days
    for o in chain:  # re-checked after the deadline, within the profile's days (BX 10, LC 23)
        checked = timezone.localtime(rs.moment(o.check.content, "time")).date()
        assert o.deadline < checked <= o.recheck_on
    assert second.issued_on == timezone.localtime(rs.moment(first.check.content, "time")).date()
    # Each order issued (its 文号) and served directly on the party; the decision served too.
    served = {item.record.pk: item for item in delivery.documents_to_serve(case)}
    for o in chain:
        item = served[o.record.id]
        assert item.numbers and item.served is not None and item.served.method == "直接送达"
    assert delivery.served_at(case) is not None
    assert not any("责令改正" in str(p) for p in transition_blockers(case))


def test_oversight_finds_nothing_on_them_but_their_known_gaps(demo):
    """The sand case is in 归档管理 waiting for its 结案报告's approval (builder: closing_awaits_leader) and
    its decision's publicity cannot be confirmed (F014, every penalty case); nothing about its property
    or its service. The inspection case: nothing."""
    sand, rect = Case.objects.get(title=SAND_CASE), Case.objects.get(title=RECT_CASE)
    found = engine.evaluate([sand.pk, rect.pk])
    assert sorted((f.code, f.subject_id or f.key.split(":")[-1]) for f in found[sand.pk][0]) == sorted([
        ("oversight.F001", "archive_register"), ("oversight.F001", "closing_report"), ("oversight.F014", "publicity")])
    assert found[rect.pk][0] == []
    clocks = {c.key: c.status for c in found[sand.pk][1] + found[rect.pk][1]}
    assert all(status == "met" for key, status in clocks.items()
               if key.startswith(("caseproperty:", "rectification:", "service")))
    assert {f.code for f in engine.open_findings(sand)} == {"oversight.F001", "oversight.F014"}
    assert not engine.open_findings(rect).exists()


@pytest.mark.parametrize("title", [SAND_CASE, "王德福在太子河河道管理范围内违法建设", "本溪市溪湖区宏达洗煤有限公司未经许可取水"])
def test_a_fine_the_record_says_was_paid_is_paid(demo, title):
    """The 执行 card agrees with the 履行情况记录: the whole fine paid, by its due date, nothing late — and
    the illegal gains confiscated (孙宝山's) handed over with it."""
    case = Case.objects.get(title=title)
    acc = ex.account(case)
    payment, *gains = ex.payments(case)
    checked = case.records.get(record_type__code="performance_record").versions.get(number=1).content["checked_on"]
    assert acc.fine == payment.amount_fen > 0 and acc.balance == 0 and acc.late_fine == 0
    assert payment.voucher_id and payment.paid_on.isoformat() < checked
    assert [g.amount_fen for g in gains] == ([acc.confiscation] if acc.confiscation else [])
    assert acc.confiscation_balance == 0 and (title == SAND_CASE) == bool(acc.confiscation)
