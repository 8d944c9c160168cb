"""Demo 重大执法决定法制审核 (issue 17; LW-L, 行政处罚法 58), through the legal review's services:

- the system administrator 韩立新 records the 法制审核人员 郑慧's 法律职业资格 (行政处罚法 58 第二款)
  before the demo's cases;
- three major cases investigated to a 调查终结报告 and in 审查决定, each with its 处理意见 proposing a
  penalty the profile calls major, a draft 决定书 (never signed here: the rights app adds the
  行政处罚告知书 rules for decisions), the handler's 认定 and the 送审:
  (a) 恒泰建材's sand mining, a fine of ¥200000 on an organisation: submitted a few working days ago,
      waiting for the review;
  (b) 金山选矿's water taken beyond its permit, 责令停产停业: submitted; the reviewer asked to extend
      the review (LW-L 16) and the agency head approved;
  (c) 大兴石材's waste in the river, 责令停产停业: reviewed with 变更, the 承办机构 disagreed, the
      集体讨论记录 made and signed by the agency head, who ruled to follow the unit (LW-L 17).

Each step on its case's working day (builder.Schedule, demo/days.py) under the timeline's clock
(demo/timeline.py): `build(builder)` is a timeline task; each case is a task of its own."""
import datetime

from liuhen.cases.models import Kind, Procedure, StartMode, Stage
from liuhen.legalreview import services
from liuhen.legalreview.selectors import REVIEW_POINTS

from . import builder as b
from . import days as demo_days
from .footage import clock_at

REVIEWER, ADMIN, HEAD = "zhenghui", "hanlixin", "liujianguo"

def _parties() -> dict:
    """The three parties (builder.PARTIES' shape; made when called: builder imports this module)."""
    return {
        "hengtai": b._org("本溪市恒泰建材有限公司", "52347718", "高恒泰", "024-42871592",
                          "本溪市溪湖区河西街道细河路66号", "210503"),
        "jinshan": b._org("本溪市金山选矿有限公司", "70815532", "赵金山", "024-42870126",
                          "本溪市南芬区思山岭街道金山路18号", "210505"),
        "daxing": b._org("本溪市大兴石材加工厂", "63081947", "刘大兴", "13841472265",
                         "本溪市明山区卧龙街道太子河北岸路9号", "210504", kind2="92"),
    }


# The steps after the 调查终结报告 (working days from the day the case was opened, builder.GENERAL_STEPS).
STEPS = {"evidence": (2, "10:30"), "report": (5, "15:00"), "investigated": (6, "16:30"), "opinion": (8, "10:00"),
         "draft": (8, "15:30"), "assess": (9, "09:30"), "submit": (9, "10:00"), "ext_request": (13, "10:00"),
         "ext_approve": (13, "15:00"), "reviewed": (12, "16:00"), "disagree": (13, "10:30"),
         "discussion": (15, "15:00"), "ruled": (15, "16:30")}

CASES = [
    dict(unit="zhidui", team=["zhangming", "liqiang"], started=18, scenario="waiting",
         title="本溪市恒泰建材有限公司在细河河道管理范围内非法采砂", parties=["hengtai"],
         summary="巡查发现该公司在细河溪湖段河道管理范围内使用挖掘机采砂，未取得河道采砂许可。",
         reason="执法人员巡查发现本溪市恒泰建材有限公司在细河溪湖段河道管理范围内采砂，经查未取得河道采砂许可，"
                "涉嫌违反《中华人民共和国水法》第三十九条。",
         recipient="本溪市溪湖区河西街道办事处", evidence="该公司在细河溪湖段设立砂场的场地租赁合同及砂石销售台账。",
         facts="当事人自2026年5月起未经许可在细河溪湖段河道管理范围内采砂，累计采砂约1.2万立方米，违法所得约18万元。",
         basis="《中华人民共和国水法》第三十九条、第六十五条第一款；《辽宁省河道采砂管理办法》第二十二条。",
         proof="调取证据通知书及调取的租赁合同、销售台账、现场照片、测量报告。",
         discretion="采砂量大、持续时间长，河床遭到破坏，属较重情形。",
         proposal="责令停止违法采砂，没收违法所得，处罚款人民币贰拾万元整（¥200000）。",
         penalty={"penalty_kind": "罚款", "fine_amount": 200000, "confiscation_amount": 180000},
         decision="一、责令立即停止违法采砂行为；二、没收违法所得人民币壹拾捌万元；三、处罚款人民币贰拾万元整。"),
    dict(unit="shuiziyuan", team=["zhouli", "xuting"], started=22, scenario="extended",
         title="本溪市金山选矿有限公司超许可水量取水拒不整改", parties=["jinshan"],
         summary="取水计量数据显示该公司连续两个季度超许可水量取水，经责令限期改正后仍未整改。",
         reason="取水监控平台数据显示本溪市金山选矿有限公司2026年第二、三季度取水量分别超过许可水量38%和45%，"
                "经书面责令限期改正后仍未整改，涉嫌违反《取水许可和水资源费征收管理条例》第四十九条。",
         recipient="本溪市水资源监控中心", evidence="该公司取水口远传水表2026年1月至今的逐日取水数据。",
         facts="当事人2026年第二、三季度超许可水量取水合计约6.4万立方米，经责令限期改正后仍未整改。",
         basis="《中华人民共和国水法》第六十九条；《取水许可和水资源费征收管理条例》第四十九条、第五十三条。",
         proof="调取的取水计量数据、责令改正通知书及送达回证、现场照片。",
         discretion="经责令改正拒不改正，超量比例大，属从重情形。",
         proposal="责令停产停业整顿，限期核减取水量至许可水量以内，处罚款人民币伍万元整（¥50000）。",
         penalty={"penalty_kind": "责令停产停业", "fine_amount": 50000},
         decision="一、责令停产停业整顿三十日；二、限期核减取水量至许可水量以内；三、处罚款人民币伍万元整。",
         extension="本案取水计量数据跨度长、涉及两个取水口，需核对监控平台原始数据，申请延长审核期限。"),
    dict(unit="hehu", team=["gaofeng", "luojia"], started=40, scenario="ruled",
         title="本溪市大兴石材加工厂向太子河河道倾倒石材废渣", parties=["daxing"],
         summary="群众反映该厂将石材切割废渣倒入太子河北岸河道管理范围内，巡查核实。",
         reason="执法人员核实群众反映，本溪市大兴石材加工厂向太子河北岸河道管理范围内倾倒石材切割废渣，"
                "涉嫌违反《中华人民共和国河道管理条例》第二十四条。",
         recipient="本溪市生态环境局明山分局", evidence="该厂排放石材废渣的监测记录及此前的处理情况。",
         facts="当事人多次向太子河北岸河道管理范围内倾倒石材切割废渣约300立方米，侵占河道、影响行洪。",
         basis="《中华人民共和国河道管理条例》第二十四条、第四十四条；《中华人民共和国水法》第六十五条。",
         proof="调取的监测记录、现场照片、测量报告。",
         discretion="多次倾倒，汛期前未清除，危及行洪安全，属从重情形。",
         proposal="责令停产停业整顿，限期清除废渣、恢复河道原状，处罚款人民币伍万元整（¥50000）。",
         penalty={"penalty_kind": "责令停产停业", "fine_amount": 50000},
         decision="一、责令停产停业整顿十五日；二、限期十日内清除倾倒的废渣、恢复河道原状；三、处罚款人民币伍万元整。",
         review="责令停产停业的裁量过重：当事人系个体加工厂，首次被查处，建议变更为罚款并责令限期清除。",
         disagreement="当事人多次倾倒且汛期前拒不清除，危及下游行洪安全，仅处罚款不足以制止违法行为，应责令停产停业。",
         ruling="经集体讨论，违法行为危及行洪安全，采纳承办机构意见，按拟定的处罚决定办理。"),
]


def build(builder) -> dict:
    """A timeline task: the reviewer's 法律职业资格 now, then the three cases, each a task from the
    day it was opened."""
    people = builder.people
    with clock_at(builder.days_ago(99, "10:00")):
        services.record_qualification(people[ADMIN], people[REVIEWER], certificate_number="A20191100873",
                                      obtained_on=datetime.date(2019, 9, 20))
    b.PARTIES.update(_parties())
    for spec in CASES:
        c = b._Case(builder, {**_BASE, **spec, "days": dict(STEPS)})
        builder.timeline.task(c.schedule.when("open"), _case, builder, c)
    return {"qualifications": 1, "legal_reviews": len(CASES)}


_BASE = dict(kind=Kind.PENALTY, procedure=Procedure.GENERAL, start_mode=StartMode.EX_OFFICIO, on_site=False,
             until=Stage.DECISION, handler_opinion="建议立案调查。", unit_opinion="同意立案。")


def _case(builder, c) -> None:
    """Opened, 立案审批, 调查取证 to a 调查终结报告, 审查决定 with the 处理意见 and the draft decision, the
    认定 and the 送审 — then the scenario."""
    s = c.spec
    c.bind()
    builder.open(c)
    builder.stage_start(c)
    with c.at("investigating"):
        builder.advance(c, "立案审批完成")
    builder.rights_notice(c)
    deadline = demo_days.after(c.day(2), 7).isoformat()
    builder.record(c, "evidence_request_notice", {"recipient": s["recipient"], "evidence": s["evidence"],
                                                  "deadline": deadline}, at="evidence")
    builder.record(c, "investigation_report", {"facts": s["facts"], "evidence": s["proof"],
                                               "proposal": s["proposal"]}, at="report")
    with c.at("investigated"):
        builder.advance(c, "调查终结")
    builder.record(c, "handling_opinion", {**{k: c.text(k) for k in ("facts", "basis", "discretion", "proposal")},
                                           "evidence": s["proof"], **s["penalty"]}, at="opinion")
    builder.record(c, "decision", {"facts": s["facts"], "basis": s["basis"], "content": s["decision"],
                                   "remedy": "如不服本决定，可自收到本决定书之日起六十日内向本溪市人民政府申请行政复议，"
                                             "或者在六个月内向本溪市平山区人民法院提起行政诉讼。",
                                   "decided_on": c.date("draft"), **s["penalty"]}, at="draft", sign=False)
    with c.at("assess"):
        services.assess(c.lead, c.case, major=True)
    with c.at("submit"):
        sub = services.submit(c.lead, c.case, note=f"拟{s['proposal']}，属于重大执法决定，送法制审核。")
    builder.counts["records"] += 1  # the 法制审核意见 record the 送审 makes
    {"waiting": _waiting, "extended": _extended, "ruled": _ruled}[s["scenario"]](builder, c, sub)


def _waiting(builder, c, sub) -> None:
    """(a) Submitted and waiting for the review."""


def _extended(builder, c, sub) -> None:
    """(b) The reviewer asks for the extension (LW-L 16), the agency head approves it."""
    people = builder.people
    with c.at("ext_request"):
        req = services.request_extension(people[REVIEWER], sub, reason=c.spec["extension"])
    with c.at("ext_approve"):
        services.decide_extension(people[HEAD], req, approved=True, opinion="同意延长审核期限。")


def _points(**problems) -> dict:
    out = {pid: {"verdict": "符合规定", "note": ""} for pid, _ in REVIEW_POINTS}
    for pid, note in problems.items():
        out[pid] = {"verdict": "存在问题", "note": note}
    return out


def _ruled(builder, c, sub) -> None:
    """(c) 变更; the unit disagrees; the collective discussion, its minutes signed by the agency
    head, who rules to follow the unit (LW-L 17)."""
    people = builder.people
    with c.at("reviewed"):
        review = services.review(people[REVIEWER], sub, points=_points(law=c.spec["review"]), outcome="变更",
                                 opinion=c.spec["review"])
    builder.counts["signatures"] += 1  # the reviewer's, on the 法制审核意见 record
    with c.at("disagree"):
        dis = services.disagree(c.unit_head, review, opinion=c.spec["disagreement"])
    minutes = builder.record(c, "collective_discussion", {
        "time": c.dt("discussion", "14:00"), "place": "本溪市水务局三楼会议室",
        "participants": f"刘建国、周海涛、郑慧、{c.unit_head.full_name}、{c.lead.full_name}",
        "discussion": f"承办人{c.lead.full_name}汇报案件事实、证据和处理意见，法制审核人员郑慧说明审核意见，"
                      f"承办机构负责人{c.unit_head.full_name}说明不同意见。",
        "conclusion": c.spec["ruling"]}, at="discussion", leader=people[HEAD])
    with c.at("ruled"):
        services.rule(people[HEAD], dis, discussion=minutes, conclusion="follow_unit", opinion=c.spec["ruling"])
