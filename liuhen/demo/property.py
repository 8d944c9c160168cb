"""Demo 涉案财物 (issue 18; LQ 13(四); 行政强制法 24-28; 行政处罚法 74), through caseproperty's services, in
孙宝山's sand-mining case (builder.CASES, the case with `seizure`):

- right after its 查封扣押现场笔录 the lead officer lists the three items seized at the pit — the
  excavator, the dump truck with its plate, the 15 m³ of sand in it — each with its photo, taken to the
  本溪市水务局南芬执法站暂扣场 and kept there by its keeper (行政强制法 24, 26);
- once the decision is served: the decision confiscates the illegal gains and the sand (没收非法财物),
  not the machines, so the officer asks to return the excavator and the truck (行政强制法 28 第一款第三项)
  and to sell the sand at auction (行政处罚法 74); the agency head 刘建国 approves both; the party signs
  for the machines the next day (签收单), the sand is sold some days later (成交确认书, the proceeds) —
  each result opening a 罚没物品处理记录 the two officers sign.

builder.stage_investigation and builder.stage_service call `register_seized` and `handle`; each step at
its own time within the case's days (the case's Schedule), under the timeline's clock."""
from __future__ import annotations

import datetime
import io

from django.utils import timezone

from liuhen.caseproperty import selectors, services
from liuhen.caseproperty.models import Kind, Source

from . import builder as b
from .footage import clock_at

HEAD = "liujianguo"
PLACE = "本溪市水务局南芬执法站暂扣场"
CUSTODIAN = "暂扣场管理员 吴德胜"

# name, specification, quantity, unit, estimated value (元)
ITEMS = [
    ("挖掘机", "柳工CLG922E", "1", "台", "360000"),
    ("自卸车", "辽E·5K327", "1", "辆", "120000"),
    ("河砂", "车载，非法采挖", "15", "立方米", "1350"),
]
MACHINES = ("挖掘机", "自卸车")
SAND = "河砂"

# The working days of the case (builder.Schedule) the handling happens on, after the decision was
# served (day 17) and before the party's performance is checked (day 25).
ASKED, RETURNED, SOLD = 18, 19, 23
PROCEEDS = "1380.00"


def _at(c, n: int, hm: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(c.day(n), datetime.time.fromisoformat(hm)))


def _png(seed: int) -> io.BytesIO:
    return io.BytesIO(b.png_bytes(seed=seed))


def register_seized(builder, c, seizure) -> list:
    """The items of the complete 查封扣押现场笔录 `seizure`, listed once they reach the 暂扣场 (行政强制法
    24: 清单; 26: 妥善保管), each with its photo taken at the pit."""
    out = []
    with c.at("seize", "13:30"):
        for n, (name, spec, quantity, unit, value) in enumerate(ITEMS):
            out.append(services.register_item(
                c.lead, c.case, name=name, specification=spec, quantity=quantity, unit=unit, source=Source.SEIZED,
                source_record=seizure, value=value, photo=_png(c.case.pk + 40 + n), place=PLACE,
                custodian=CUSTODIAN))
    builder.counts["property_items"] = builder.counts.get("property_items", 0) + len(out)
    return out


def handle(builder, c) -> None:
    """After the decision was served: 退还 of the machines, 拍卖 of the sand, approved by the agency head,
    the results with their proof, each 罚没物品处理记录 signed by the two officers."""
    with clock_at(_at(c, ASKED, "09:30")):
        held = {view.item.name: view.item for view in selectors.items(c.case)}
        back = services.request_handling(
            c.lead, c.case, item_ids=[held[n].pk for n in MACHINES], kind=Kind.RETURN,
            reason="行政处罚决定没收违法所得和非法采挖的河砂，未没收挖掘机和自卸车；对违法行为已经作出处理决定，"
                   "不再需要扣押，依照《中华人民共和国行政强制法》第二十八条第一款第（三）项退还当事人。")
    with clock_at(_at(c, ASKED, "09:45")):
        sale = services.request_handling(
            c.lead, c.case, item_ids=[held[SAND].pk], kind=Kind.AUCTION,
            reason="车载河砂系非法采挖的砂石，属行政处罚决定没收的非法财物；依照《中华人民共和国行政处罚法》"
                   "第七十四条委托拍卖机构公开拍卖，所得款项全部上缴国库。")
    head = builder.people[HEAD]
    with clock_at(_at(c, ASKED, "16:00")):
        services.decide_handling(head, back, approved=True, opinion="同意退还挖掘机、自卸车，由当事人本人签收。")
        services.decide_handling(head, sale, approved=True, opinion="同意依法公开拍卖，所得款项上缴国库。")
    _result(builder, c, back, RETURNED, "10:00", filename="签收单.png", seed=50, recipient=c.party, relation="本人")
    _result(builder, c, sale, SOLD, "15:00", filename="拍卖成交确认书.png", seed=51, proceeds=PROCEEDS)
    builder.counts["property_handlings"] = builder.counts.get("property_handlings", 0) + 2


def _result(builder, c, req, n: int, hm: str, *, filename: str, seed: int, **kw) -> None:
    with clock_at(_at(c, n, hm)):
        handling = services.record_handling(c.lead, req, done_on=c.day(n), voucher=_png(c.case.pk + seed),
                                            filename=filename, **kw)
    with clock_at(_at(c, n, hm) + datetime.timedelta(minutes=30)):
        builder.sign_all(c, handling.record)
    builder.counts["records"] += 1
    builder.counts["signatures"] += len(c.team[:handling.record.record_type.signature_rule.get("officers", 0)])
