"""Demo 送达 and 执行 (issue 18; 行政处罚法 61, 66-72; 行政强制法 35-40, 53-54), through the services:

- (a) 明远物流's well: the party consented to 电子送达 in its 送达地址确认书 during the investigation;
  the decision is served by e-mail there and the fine paid by bank within the 15 days, its bank slip kept;
- (b) 兴业砂石's dumping: the party's manager works in 沈阳, the decision is served by 委托送达 through
  the 沈阳市水务局; the party applies to pay by instalments (确有经济困难, 行政处罚法 66), the agency head
  approves, the first instalment is paid;
- (c) 郭建军's illegal building on the river bank (opened nine months ago): the fine unpaid; after the
  6 months of 行政诉讼 had passed the 催告书 is issued and served (行政强制法 35, 54), the party's statement
  reviewed and not adopted (36), the court application made within the 3 months (53), the court
  rules to enforce and the fine and the late fine are collected (shown, computed, paid);
- (d) 鑫泰洗选's water-intake inspection (行政检查, 一般程序): the 责令整改通知书 decided and served with a
  first 责令改正通知书 (10 days); the re-check after its deadline finds 部分改正 (the meter sent to be
  verified, not yet back), a second order (7 working days, 行政处罚法 85) is served, and its re-check
  finds 已按期改正 (行政处罚法 28; BX 10, LC 23) — the case stays in 送达执行.

Each case is built as builder's cases are (builder.build_case to 送达执行), then its service and
execution steps played at their own times (clock_at)."""
from __future__ import annotations

import datetime
import io

from django.utils import timezone

from liuhen.cases.models import Kind, Procedure, Stage, StartMode
from liuhen.documents import services as documents
from liuhen.execution import selectors as ex
from liuhen.execution import services as execution
from liuhen.execution.models import Channel, DeferralKind, Towards
from liuhen.profiles.selectors import profile_for_case

from . import builder as b
from . import days as demo_days
from .footage import clock_at

HEAD = "liujianguo"
REMEDY = ("如不服本决定，可自收到本决定书之日起六十日内向本溪市人民政府申请行政复议，"
          "或者在六个月内向本溪市平山区人民法院提起行政诉讼。")


def _parties() -> dict:
    return {
        "mingyuan": b._org("本溪明远物流有限公司", "74120598", "孙明远", "024-42856630",
                           "本溪市平山区北台镇物流园区8号", "210502"),
        "xingye": b._org("本溪兴业砂石有限公司", "66203174", "吴兴业", "13904148821",
                         "本溪市明山区高台子街道河沿路21号", "210504"),
        "guojianjun": b._person("郭建军", "210502", "19710605", "253", "13841468830",
                                "本溪市平山区桥头镇太子河村三组"),
        "xintai": b._org("本溪市鑫泰矿产品洗选有限公司", "58216043", "潘立新", "024-45876213",
                         "本溪市南芬区下马塘街道选矿路12号", "210505"),
    }


_BASE = dict(kind=Kind.PENALTY, procedure=Procedure.GENERAL, start_mode=StartMode.EX_OFFICIO, on_site=False,
             until=Stage.SERVICE, handler_opinion="建议立案调查。", unit_opinion="同意立案。",
             approver=HEAD, approval="同意承办机构意见，依法作出行政处罚决定。", decision_doc="行政处罚决定书")

CASES = [
    dict(unit="shuiziyuan", team=["zhouli", "wulei"], started=40, scenario="electronic",
         title="本溪明远物流有限公司未经许可取用地下水", parties=["mingyuan"],
         e_address="caiwu@mingyuan-logistics.cn",
         summary="巡查发现该公司物流园区洗车场利用自备井取水，未取得取水许可。",
         reason="执法人员巡查发现本溪明远物流有限公司洗车场利用自备井取水，经查未办理取水许可。",
         place="本溪市平山区北台镇物流园区8号",
         evidence_request=("本溪明远物流有限公司", "洗车场自备井的建设资料及2026年6月以来的用水记录。"),
         facts="当事人自2026年6月起未经取水许可利用自备井取用地下水用于洗车，日取水量约20立方米。",
         basis="《中华人民共和国水法》第四十八条第一款、第六十九条第（一）项。",
         evidence="现场检查笔录、现场照片、营业执照复印件。", discretion="初次违法，取水量小，从轻处罚。",
         proposal="责令停止违法取水，处罚款人民币捌仟元整（¥8000）。",
         penalty={"penalty_kind": "罚款", "fine_amount": 8000}, waive="陈述、申辩和听证",
         decision="一、责令立即停止违法取水行为；二、处罚款人民币捌仟元整。罚款自收到本决定书之日起十五日内缴至指定银行。",
         days={"served": (17, "10:30"), "paid": (22, "14:00")}),
    dict(unit="hehu", team=["luojia", "huanghai"], started=45, scenario="entrusted",
         title="本溪兴业砂石有限公司在太子河河道内弃置砂石", parties=["xingye"],
         summary="巡查发现该公司在太子河明山段河道内弃置筛分后的砂石料。",
         reason="执法人员巡查发现本溪兴业砂石有限公司在太子河明山段河道内弃置砂石料约300立方米。",
         place="本溪市明山区太子河高台子段河道",
         evidence_request=("本溪兴业砂石有限公司", "筛分场生产台账及砂石料去向说明。"),
         facts="当事人在太子河河道管理范围内弃置砂石料约300立方米，阻碍行洪。",
         basis="《中华人民共和国水法》第三十七条第一款、第六十五条第一款。",
         evidence="现场检查笔录、现场照片、测量记录。", discretion="已自行清除一半，从轻处罚。",
         proposal="责令清除弃置的砂石料，处罚款人民币肆万元整（¥40000）。",
         penalty={"penalty_kind": "罚款", "fine_amount": 40000}, waive="陈述、申辩和听证",
         decision="一、责令十日内清除河道内弃置的砂石料；二、处罚款人民币肆万元整。",
         days={"served": (19, "15:00"), "apply": (21, "10:00"), "approve": (22, "16:00"), "paid": (25, "11:00")}),
    dict(unit="zhidui", team=["liqiang", "zhangming"], started=275, scenario="court",
         title="郭建军在太子河河道管理范围内建设阻碍行洪的建筑物", parties=["guojianjun"],
         summary="巡查发现当事人在太子河桥头段河道管理范围内建设彩钢房。",
         reason="执法人员巡查发现郭建军在太子河桥头段河道管理范围内建设彩钢房一处，涉嫌违反《中华人民共和国水法》第三十七条。",
         place="本溪市平山区桥头镇太子河村三组河岸",
         evidence_request=("本溪市平山区桥头镇太子河村村民委员会", "郭建军建设彩钢房的时间、位置及拆除情况的证明。"),
         facts="当事人在太子河河道管理范围内建设彩钢房，占地约60平方米，妨碍行洪；已自行拆除。",
         basis="《中华人民共和国水法》第三十七条第二款、第六十五条第一款。",
         evidence="现场检查笔录、现场照片、村委会证明。", discretion="已自行拆除，从轻处罚。",
         proposal="处罚款人民币伍仟元整（¥5000）。",
         penalty={"penalty_kind": "罚款", "fine_amount": 5000}, waive="陈述、申辩和听证",
         decision="处罚款人民币伍仟元整。罚款自收到本决定书之日起十五日内缴至指定银行，到期不缴纳的，每日按罚款数额的百分之三加处罚款。",
         days={"served": (17, "10:00")}),
    # 行政检查 (一般程序): the water taken is checked on paper and in an interview at the bureau; the
    # re-checks are at the pump house (on-site acts, audio-video optional under BX).
    dict(unit="shuiziyuan", team=["xuting", "wulei"], started=60, scenario="rectification", kind=Kind.INSPECTION,
         approver="linjing", approval="同意，责令限期整改。", rights="陈述、申辩、申请回避",
         decision_doc="责令整改通知书", handler_opinion="建议开展监督检查。",
         title="本溪市鑫泰矿产品洗选有限公司取水单位监督检查", parties=["xintai"],
         summary="年度取水单位监督检查：调阅取水计量数据和取水台账，约谈企业负责人。",
         reason="依据年度取水单位监督检查计划，对本溪市鑫泰矿产品洗选有限公司取水计量、台账和年度取水计划报送情况开展检查。",
         place="本溪市南芬区下马塘街道选矿路12号鑫泰洗选取水泵房",
         evidence_request=("本溪市水资源监控中心", "该公司取水口远传水表2026年1月至今的逐日取水数据及计量设施检定记录。"),
         interviewee="潘立新",
         inquiry="问：你公司取水计量设施最近一次检定是什么时候？\n答：2024年8月，有效期两年，今年8月到期后还没送检。\n"
                 "问：取水台账是否逐日记录？\n答：由泵房值班员记录，夏季有漏记的情况。\n"
                 "问：2026年度取水总结和2027年度取水计划是否已报送？\n答：还没有报。",
         facts="当事人取水计量设施（电磁流量计）超过检定有效期未送检，2026年6至8月取水台账漏记23日，"
               "未按规定报送年度取水总结和下一年度取水计划。",
         basis="《取水许可和水资源费征收管理条例》第四十二条、第四十三条；《取水许可管理办法》第四十条、第四十一条。",
         evidence="询问笔录、调取的远传水表数据、取水台账复印件、计量设施检定证书复印件。", discretion="不适用。",
         proposal="责令于十日内将取水计量设施送检、补全取水台账、报送年度取水总结和取水计划。",
         decision="责令你单位于十日内：一、将取水计量设施送法定计量检定机构检定；二、补全2026年取水台账；"
                  "三、报送2026年度取水总结和2027年度取水计划。",
         requirement="一、将取水计量设施送法定计量检定机构检定，检定合格后方可使用；二、补全2026年取水台账；"
                     "三、报送2026年度取水总结和2027年度取水计划。",
         partly="取水台账已补全，2026年度取水总结和2027年度取水计划已于整改期限内报送；取水计量设施已送辽宁省计量科学"
                "研究院本溪分院检定，检定证书尚未出具，泵房仍使用超过检定有效期的流量计计量。认定部分改正。",
         requirement2="取水计量设施检定合格、取得检定证书后重新安装使用，并将检定证书复印件报送本局。",
         corrected="取水计量设施已经检定合格（证书编号 LJB-2026-11873），已重新安装运行，读数与监控平台一致；"
                   "检定证书复印件已报送。认定已按期改正。"),
]


def build(builder) -> dict:
    """A timeline task: each case a task from the day it was opened."""
    b.PARTIES.update(_parties())
    for spec in CASES:
        c = b._Case(builder, {**_BASE, **spec})
        builder.timeline.task(c.schedule.when("open"), _case, builder, c)
    return {"execution_cases": len(CASES)}


def _case(builder, c) -> None:
    builder.build_case(c)
    if builder.cases_only:  # the case to its stage, not its 送达 and 执行 (builder.build_demo)
        return
    {"electronic": _electronic, "entrusted": _entrusted, "court": _court,
     "rectification": _rectification}[c.spec["scenario"]](builder, c)


def fine_paid(builder, c) -> None:
    """A builder case whose 履行情况记录 says the fine was paid: the payment recorded (行政处罚法 67) the
    morning of the check with its bank slip, paid the working day before — so that the 执行 card agrees."""
    penalty = c.spec.get("penalty", {})
    fine, taken = penalty.get("fine_amount"), penalty.get("confiscation_amount")
    if not fine and not taken:
        return
    n = c.schedule.steps["performed"][0]
    with c.at("performed", "09:30"):
        if fine:
            execution.record_payment(c.lead, c.case, amount=str(fine), paid_on=c.day(n - 1), channel=Channel.BANK,
                                     voucher=_slip(c.case.pk + 35), filename="银行缴款书.png")
        if taken:  # 没收违法所得, handed over in money with the fine
            execution.record_payment(c.lead, c.case, amount=str(taken), paid_on=c.day(n - 1), channel=Channel.BANK,
                                     voucher=_slip(c.case.pk + 36), filename="没收款缴款书.png",
                                     towards=Towards.CONFISCATION)


def _slip(seed: int) -> io.BytesIO:
    return io.BytesIO(b.png_bytes(seed=seed))


def _receipt(builder, c, method: str, at: str, **extra):
    return builder.record(c, "service_receipt", {
        "document": "行政处罚决定书", "method": method, "served_at": c.dt("served", at), "place": extra.pop("place"),
        "addressee": c.party, **extra}, at="served")


def _electronic(builder, c) -> None:
    """(a) 电子送达 to the address the party consented to (民事诉讼法 90); paid within 15 days."""
    _receipt(builder, c, "电子送达", "10:00", place="电子邮箱 " + c.spec["e_address"],
             e_address=c.spec["e_address"], note="以电子邮件送达，对方系统回执已存档。")
    with c.at("paid"):
        execution.record_payment(c.lead, c.case, amount="8000", paid_on=c.schedule.day(c.schedule.steps["paid"][0]),
                                 channel=Channel.BANK, voucher=_slip(c.case.pk + 31), filename="银行缴款书.png")


def _entrusted(builder, c) -> None:
    """(b) 委托送达 (民事诉讼法 91); instalments approved (行政处罚法 66); the first one paid."""
    _receipt(builder, c, "委托送达", "14:30", place="沈阳市和平区南京南街8号", receiver="吴兴业",
             receiver_relation="本人", entrust_reason="当事人法定代表人长期在沈阳市工作，直接送达有困难。",
             receiving_body="沈阳市水务局", note="委托沈阳市水务局代为送达，送达回证由受托机关寄回。")
    paid_day = c.schedule.day(c.schedule.steps["paid"][0])
    with c.at("apply"):
        acc = ex.account(c.case)
        first = demo_days.after(acc.due_on, 0) if acc.due_on else paid_day
        plan = [(first, 2000000), (first + datetime.timedelta(days=30), 1000000),
                (first + datetime.timedelta(days=60), 1000000)]
        req = execution.request_deferral(c.lead, c.case, kind=DeferralKind.INSTALMENTS,
                                         reason="受河道整治影响停产三个月，资金周转困难，申请分三期缴纳。",
                                         instalments=plan)
    with c.at("approve"):
        execution.decide_deferral(builder.people[HEAD], req, approved=True, opinion="经核实确有经济困难，同意分三期缴纳。")
    with c.at("paid"):
        execution.record_payment(c.lead, c.case, amount="20000", paid_on=paid_day, channel=Channel.ONLINE,
                                 voucher=_slip(c.case.pk + 32), filename="电子缴款凭证.png")


def _at(day: datetime.date, hm: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(hm)))


def _court(builder, c) -> None:
    """(c) unpaid; 催告 after the remedy periods (行政强制法 35, 54), statement reviewed (36), court
    application within 3 months (53), ruled and enforced; the late fine paid as computed (72)."""
    _receipt(builder, c, "直接送达", "10:00", place=c.place, receiver=c.party, receiver_relation="本人")
    served = c.schedule.day(c.schedule.steps["served"][0])
    remedy_end = _add_months(served, profile_for_case(c.case).execution.lawsuit_months)  # 行政诉讼法 46
    remind_day = demo_days.on_or_before(remedy_end - datetime.timedelta(days=20))
    with clock_at(_at(remind_day, "09:30")):
        reminder = builder.record(c, "reminder_notice", {
            "obligation": "缴纳罚款人民币伍仟元整及加处罚款", "amount": 5000,
            "deadline": (remind_day + datetime.timedelta(days=10)).isoformat(), "manner": "缴至指定银行",
            "rights": "你有权进行陈述和申辩（《中华人民共和国行政强制法》第三十六条）。",
            "issued_on": remind_day.isoformat()})
        number = documents.issue_document(c.lead, reminder).number.text
    with clock_at(_at(remind_day, "15:00")):
        builder.record(c, "service_receipt", {
            "document": "催告书", "doc_number": number, "method": "直接送达", "served_at": f"{remind_day}T14:30",
            "place": c.place, "addressee": c.party, "receiver": c.party, "receiver_relation": "本人"})
    stated = demo_days.after(remind_day, 2)
    with clock_at(_at(stated, "10:00")):
        builder.record(c, "enforcement_statement", {
            "statement": "彩钢房已自行拆除，家庭困难，请求免除罚款。", "stated_on": stated.isoformat(),
            "review": "当事人自行拆除已在裁量时从轻考虑；家庭困难不是不履行生效处罚决定的法定理由，可依法申请分期缴纳。",
            "adopted": "不采纳"})
    applied = demo_days.after(max(remedy_end, remind_day + datetime.timedelta(days=10)), 3)
    court = "本溪市平山区人民法院"
    with clock_at(_at(applied, "10:00")):
        application = builder.record(c, "court_enforcement", {"court": court, "applied_on": applied.isoformat()})
    ruled = demo_days.after(applied, 8)
    with clock_at(_at(ruled, "16:00")):
        content = dict(application.versions.order_by("-number").first().content)
        content.update(outcome="裁定准予执行", ruled_on=ruled.isoformat(), result="法院裁定准予强制执行。")
        builder.record(c, "court_enforcement", content)
    paid = demo_days.after(ruled, 10)
    with clock_at(_at(paid, "11:00")):
        late = ex.account(c.case, paid).late_fine
        execution.record_payment(c.lead, c.case, amount="5000", paid_on=paid, channel=Channel.BANK,
                                 voucher=_slip(c.case.pk + 33), filename="法院执行款划转凭证.png")
        execution.record_payment(c.lead, c.case, amount=f"{late / 100:.2f}", paid_on=paid, channel=Channel.BANK,
                                 voucher=_slip(c.case.pk + 34), filename="加处罚款划转凭证.png", towards=Towards.LATE_FINE)
        builder.record(c, "court_enforcement", {**content, "outcome": "执行完毕",
                                                "result": f"法院强制执行完毕，罚款5000元及加处罚款{late / 100:.2f}元已划转。"})


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where it has no such day)."""
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _order(builder, c, day: datetime.date, deadline: datetime.date, requirement: str) -> str:
    """A 责令改正通知书 issued on `day` (its 文号, documents) and served on the party at once with a 送达回证
    (直接送达); returns its 文号."""
    with clock_at(_at(day, "14:00")):
        order = builder.record(c, "rectification_order", {
            "violation": c.text("facts"), "requirement": requirement, "basis": c.text("basis"),
            "deadline": deadline.isoformat(), "issued_on": day.isoformat()})
    with clock_at(_at(day, "14:20")):
        number = documents.issue_document(c.lead, order).number.text
    with clock_at(_at(day, "16:00")):
        builder.record(c, "service_receipt", {
            "document": "责令改正通知书", "doc_number": number, "method": "直接送达", "served_at": f"{day}T15:30",
            "place": c.place, "addressee": c.party, "receiver": c.party, "receiver_relation": "本人"})
    return number


def _recheck(builder, c, deadline: datetime.date, outcome: str, result: str) -> datetime.date:
    """The re-check on the working day after the deadline (the party has the whole deadline day)."""
    day = demo_days.after(deadline, 1)
    with clock_at(_at(day, "11:00")):
        builder.record(c, "rectification_check", {
            "deadline": deadline.isoformat(), "outcome": outcome, "result": result, "time": f"{day}T09:30",
            "place": c.place})
    return day


def _rectification(builder, c) -> None:
    """(d) 责令整改通知书 served with a first order (10 days); 部分改正; a second order (7 working days,
    行政处罚法 85); 已按期改正 (行政处罚法 28; BX 10, LC 23). The case stays in 送达执行."""
    builder.service_receipt(c)
    served = c.schedule.day(c.schedule.steps["served"][0])
    # Ten days, moved to the next working day when the tenth is a day off (民事诉讼法 85, as practised).
    first = served + datetime.timedelta(days=10)
    while not demo_days.is_workday(first):
        first += datetime.timedelta(days=1)
    _order(builder, c, served, first, c.text("requirement"))
    again = _recheck(builder, c, first, "部分改正", c.text("partly"))
    second = demo_days.after(again, 7)
    _order(builder, c, again, second, c.text("requirement2"))
    _recheck(builder, c, second, "已按期改正", c.text("corrected"))
