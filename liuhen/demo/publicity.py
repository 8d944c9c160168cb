"""Demo 行政执法公示 (issue 20; 行政处罚法 48, LW-P), through the publicity services, as the demo's people
and at the demo's times — the officer who handles a case (or 张明 for the agency's own pages) drafts,
the 法制审核人员 郑慧 reviews, the 机关负责人 刘建国 approves, which publishes:

- 事前公开 (LW-P 7), three months ago: the agency (机构设置, 职责, 网址, 办公时间), four 执法事项 with
  their 法规依据, conditions, procedure and time limits, two 监督投诉渠道 (12345 and the bureau's
  监督电话) and one 裁量基准 extract (未经批准擅自取水, 水法 69) — all published;
- the decisions (行政处罚决定书 issued by 刘建国 on the decision's day, documents.services):
  (a) 建兴土方's dumping into the 细河 (a case of this module): its decision names a witness, whom
      the drafter removes by hand (add_redaction) before the review — published in time;
  (b) 明远物流's well: published in time;
  (c) 宏达洗煤's well: its 决定书 issued five days ago (demo/documents_seal.py), published the next
      day — late on the 20 working days of LW-P 8 (the agency's portal is new: the clock says so);
  (d) 兴业砂石's gravel: drafted yesterday, in the reviewer's 待审核 — due within days;
  (e) 福顺建材's gravel yard: published in time, then its decision revoked by the agency itself
      (行政处罚法 75) and the entry withdrawn the next working day with its public reason (行政处罚法 48:
      within 3 working days);
  (f) 孙宝山's sand mining: its decision (decided five weeks ago) never issued on the system nor
      published — overdue on the clock of LW-P 8 (the one overdue on purpose; 郭建军's and 王德福's
      older decisions, the latter's 文号 voided, are overdue too);
  the simplified-procedure decisions (刘春生, 张玉兰: 警告 and a small fine 当场作出) are not published
  by the profile (不予公开);
- a member of the public's comment on 宏达洗煤's decision, and the agency's reply.

Last year's statistics: drafted yesterday (statistics.draft_statistics), awaiting the review.
`build(builder)` is a timeline task (demo/timeline.py); each decision's story is a task of its own,
each step at its time (clock_at)."""
from __future__ import annotations

import datetime

from django.utils import timezone

from liuhen.documents import services as documents
from liuhen.publicity import selectors
from liuhen.publicity import services
from liuhen.publicity import statistics
from liuhen.publicity.models import REVIEW_CHECKS, CommentKind, EntryKind

from . import builder as b
from . import days as demo_days
from . import execution as demo_execution
from .footage import clock_at

DRAFTER, REVIEWER, HEAD = "zhangming", "zhenghui", "liujianguo"
CHECKS = {code: True for code, _ in REVIEW_CHECKS}
WITNESS = "韩淑珍"  # named in 建兴土方's decision: not a party, not a signer — removed by hand

# ---- 事前公开 (LW-P 7) ---------------------------------------------------------------------------------


def _agency(builder) -> dict:
    agency = builder.agency
    return dict(
        title=f"{agency.name}机关信息",
        summary={
            "机关名称": agency.name,
            "机关性质": "本溪市人民政府工作部门，本市水行政主管部门",
            "主要职责": "负责保障水资源的合理开发利用，实施最严格水资源管理制度，组织实施取水许可和水资源有偿使用制度；"
                       "负责河湖管理与保护、河道采砂管理；负责水土保持、水利工程建设与运行管理；"
                       "指导水旱灾害防御；依法查处水事违法行为，调处水事纠纷。",
            "内设机构": "办公室、政策法规科、规划计划科、水资源管理科、河湖管理科、水利工程建设与运行管理科、"
                       "水土保持科、水旱灾害防御科；执法机构：本溪市水政监察支队",
            "行政执法主体": f"{agency.name}（水政监察支队以本局名义实施行政处罚、行政强制和监督检查；"
                          "水资源管理科、河湖管理科按职责办理行政许可）",
            "办公地址": agency.address,
            "办公时间": "工作日上午8:30—11:30，下午13:30—17:00（法定节假日除外）",
            "咨询方式": "本局一楼政务服务窗口，或拨打12345政务服务便民热线",
            "网址": "本溪市人民政府门户网站（www.benxi.gov.cn）“政务公开—部门信息公开—市水务局”栏目",
        },
        body="本页公开本局的机构设置、职责、执法主体和办公信息（LW-P 7）。行政执法事项、监督投诉渠道和裁量基准"
             "见本平台相应栏目；行政处罚决定自作出之日起二十个工作日内公示。")


MATTERS = [
    dict(title="取水许可",
         summary={"事项名称": "取水许可（含延续、变更）", "事项类别": "行政许可", "实施机构": "本溪市水务局（水资源管理科）",
                  "法规依据": "《中华人民共和国水法》第七条、第四十八条；《取水许可和水资源费征收管理条例》"
                              "第二条、第十一条至第二十五条；《取水许可管理办法》",
                  "办理条件": "取水符合流域和区域综合规划、水资源配置方案和用水总量控制指标；按规定编制建设项目水资源"
                              "论证报告并经审查；取水、退水和计量设施符合要求；延续申请在有效期届满45日前提出。",
                  "办理程序": "申请—受理（材料齐全、符合法定形式的当场或五个工作日内受理，不齐全的一次性告知补正）—"
                              "审查（现场核查，必要时组织专家评审、听取利害关系人意见）—决定—送达并颁发取水许可证",
                  "办理时限": "自受理之日起45个工作日内作出决定（《取水许可和水资源费征收管理条例》第二十条）",
                  "收费": "不收费"}),
    dict(title="河道管理范围内建设项目工程建设方案审批",
         summary={"事项名称": "河道管理范围内建设项目工程建设方案审批", "事项类别": "行政许可",
                  "实施机构": "本溪市水务局（河湖管理科）",
                  "法规依据": "《中华人民共和国水法》第三十八条；《中华人民共和国防洪法》第二十七条；"
                              "《中华人民共和国河道管理条例》第十一条",
                  "办理条件": "符合防洪标准、岸线规划和其他技术要求；不危害堤防安全、不影响河势稳定和行洪畅通；"
                              "对第三人合法水事权益无不利影响，或已达成协议；附防洪评价报告及审查意见。",
                  "办理程序": "申请—受理—审查（现场查勘、防洪评价审查）—决定—送达",
                  "办理时限": "自受理之日起20个工作日内作出决定（《中华人民共和国行政许可法》第四十二条）",
                  "收费": "不收费"}),
    dict(title="河道采砂许可",
         summary={"事项名称": "河道采砂许可", "事项类别": "行政许可", "实施机构": "本溪市水务局（河湖管理科）",
                  "法规依据": "《中华人民共和国水法》第三十九条；《中华人民共和国河道管理条例》第二十五条；"
                              "《辽宁省河道采砂管理办法》",
                  "办理条件": "在经批准的河道采砂规划可采区和年度开采计划内；采砂范围、深度、期限、方式和机具符合规划；"
                              "有采砂作业方案和堤防、河势保护措施。",
                  "办理程序": "申请—受理—审查（现场核查、必要时听证）—决定—送达并颁发河道采砂许可证",
                  "办理时限": "自受理之日起20个工作日内作出决定",
                  "收费": "不收费"}),
    dict(title="水事违法行为行政处罚",
         summary={"事项名称": "对水事违法行为的行政处罚（未经批准取水、河道内违法建设、倾倒渣土、非法采砂等）",
                  "事项类别": "行政处罚", "实施机构": "本溪市水务局（本溪市水政监察支队承办）",
                  "法规依据": "《中华人民共和国水法》第六十五条、第六十九条；《中华人民共和国防洪法》第五十五条；"
                              "《中华人民共和国河道管理条例》第四十四条；《中华人民共和国行政处罚法》",
                  "办理条件": "有违法事实，依法应当给予行政处罚，属本局管辖",
                  "办理程序": "立案—调查取证（执法人员不少于两人，出示执法证件）—告知拟处罚的事实、理由、依据和陈述、"
                              "申辩、听证权利—法制审核（重大执法决定）—负责人审批或集体讨论—作出决定—送达—执行",
                  "办理时限": "自立案之日起90日内作出处罚决定（《中华人民共和国行政处罚法》第六十条）",
                  "救济途径": "对处罚决定不服的，可以自收到决定书之日起六十日内向本溪市人民政府申请行政复议，"
                              "或者在六个月内依法向人民法院提起行政诉讼"}),
]

CHANNELS = [
    dict(title="12345政务服务便民热线",
         summary={"渠道": "拨打12345（全天24小时）或登录本溪市12345政务服务便民热线网络平台",
                  "受理范围": "对本局行政执法行为的投诉、举报，对执法人员违法违纪行为的检举，意见和建议",
                  "办理方式": "热线转办本局，本局按规定时限办理并答复来电人"}),
    dict(title="本溪市水务局执法监督来信来访",
         summary={"来访地点": "本溪市水务局政策法规科（工作日上午8:30—11:30，下午13:30—17:00）",
                  "来信地址": "本溪市平山区北地街道东明路1号 本溪市水务局政策法规科（邮政编码117000）",
                  "受理范围": "本局行政执法行为的投诉、举报，行政执法公示信息的纠错",
                  "办理时限": "自收到之日起十五个工作日内办结并答复；情况复杂的，经负责人批准可延长，并告知投诉人"}),
]

BENCHMARK = dict(
    title="水行政处罚裁量基准（节选）：未经批准擅自取水",
    summary={"违法行为": "未经批准擅自取水",
             "法律依据": "《中华人民共和国水法》第四十八条第一款、第六十九条第（一）项",
             "法定处罚": "责令停止违法行为，限期采取补救措施，处二万元以上十万元以下的罚款；情节严重的，吊销其取水许可证",
             "适用说明": "同时具有两种以上情形的，按较重情形裁量；从轻、减轻、不予处罚依照《中华人民共和国行政处罚法》"
                         "第三十二条、第三十三条"},
    body="一、不予处罚：初次违法且危害后果轻微并及时改正的，不予行政处罚，责令改正（行政处罚法第三十三条）。\n"
         "二、减轻处罚：主动消除或者减轻违法行为危害后果的，责令停止违法行为，处二万元以下罚款。\n"
         "三、从轻处罚：日取水量50立方米以下，或初次违法、积极配合调查并主动申请办理取水许可的，"
         "处二万元以上四万元以下罚款。\n"
         "四、一般处罚：日取水量50立方米以上200立方米以下的，处四万元以上七万元以下罚款。\n"
         "五、从重处罚：日取水量200立方米以上，或在地下水禁采区、饮用水水源保护区内取水，或经责令仍不停止取水的，"
         "处七万元以上十万元以下罚款；情节严重的，吊销取水许可证。")

# ---- a case of this module: a decision that names a witness ------------------------------------------

JIANXING = "本溪市溪湖区建兴土方工程有限公司向细河河道倾倒建筑渣土"
CASE = dict(
    unit="hehu", team=["gaofeng", "luojia"], started=29, title=JIANXING, parties=["jianxing"],
    summary="附近居民反映有自卸车夜间向细河彩屯段左岸倾倒渣土，经巡查核实为该公司所为。",
    reason="执法人员巡查发现细河彩屯段左岸河道管理范围内新倒建筑渣土约150立方米，经查为本溪市溪湖区建兴土方工程"
           "有限公司所倒，涉嫌违反《中华人民共和国防洪法》第二十二条第二款。",
    place="本溪市溪湖区细河彩屯段左岸",
    evidence_request=("本溪市溪湖区建兴土方工程有限公司", "该公司自卸车辆2026年10月以来的渣土运输记录及消纳场地证明。"),
    facts=f"当事人先后四次使用自卸车向细河彩屯段左岸河道管理范围内倾倒建筑渣土约150立方米，侵占河道，妨碍行洪。"
          f"上述事实有现场照片、测量记录、调取的渣土运输记录及证人{WITNESS}的证言为证。",
    basis="《中华人民共和国防洪法》第二十二条第二款、第五十五条第（二）项。",
    evidence="现场照片、测量记录、调取的渣土运输记录、证人证言。",
    discretion="倾倒量较大，当事人已按要求清运部分渣土，属一般情形。",
    proposal="责令停止违法行为、十日内清除倾倒的渣土，处罚款人民币贰万元整（¥20000）。",
    penalty={"penalty_kind": "罚款", "fine_amount": 20000}, waive="陈述、申辩和听证",
    decision="一、责令立即停止在河道管理范围内倾倒渣土，于十日内清除已倾倒的渣土、恢复河道原状；"
             "二、处罚款人民币贰万元整。罚款自收到本决定书之日起十五日内缴至指定银行。",
)

REVOKE_REASON = "本机关复查发现原决定认定的料场占地范围有误，依据《中华人民共和国行政处罚法》第七十五条自行撤销原决定"
WITHDRAW_REASON = "该行政处罚决定已由本机关依法撤销（认定事实有误），依照《中华人民共和国行政处罚法》第四十八条撤回公示"
COMMENT = "建议在公示中同时说明当事人的整改情况，比如是否已经停止取水、是否补办了取水许可，便于群众监督。"
REPLY = "感谢您的建议。当事人已停止违法取水并已申请办理取水许可；整改情况在执法检查后另行公开。"


def _at(day: datetime.date, hm: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(hm)))


def _spec(title: str) -> dict:
    """A demo case's spec as built (builder's cases, execution's with their defaults, this module's)."""
    for spec in b.CASES:
        if spec["title"] == title:
            return spec
    return next({**demo_execution._BASE, **spec} for spec in (*demo_execution.CASES, CASE) if spec["title"] == title)


def _case(builder, title: str):
    return next(c for c in builder.built if c.spec["title"] == title)


def _decision_day(builder, title: str) -> datetime.date:
    schedule = b.Schedule(_spec(title), builder.today, builder.now)
    return schedule.day(schedule.steps["decision"][0])


def build(builder) -> dict:
    """The agency's pages published; each decision's story a task at its time."""
    if builder.cases_only:  # 建兴土方's case, not the pages and publications (builder.build_demo)
        _own_case_task(builder)
        return {}
    people = builder.people
    drafter, reviewer, head = people[DRAFTER], people[REVIEWER], people[HEAD]
    day = demo_days.back(builder.today, 97)
    drafts = []
    contents = ([(EntryKind.AGENCY, _agency(builder))] + [(EntryKind.MATTER, m) for m in MATTERS]
                + [(EntryKind.CHANNEL, ch) for ch in CHANNELS] + [(EntryKind.BENCHMARK, BENCHMARK)])
    for i, (kind, fields) in enumerate(contents):
        with clock_at(_at(day, "09:30") + datetime.timedelta(minutes=12 * i)):
            drafts.append(services.draft_content(drafter, kind, **fields))
    reviewed = demo_days.after(day, 1)
    for i, version in enumerate(drafts):
        with clock_at(_at(reviewed, "10:00") + datetime.timedelta(minutes=6 * i)):
            services.review(reviewer, version, passed=True, checks=CHECKS, opinion="公开范围和内容准确，同意公开。")
    for i, version in enumerate(drafts):
        with clock_at(_at(reviewed, "15:00") + datetime.timedelta(minutes=3 * i)):
            services.approve(head, version, passed=True)

    _own_case_task(builder)
    line = builder.timeline
    for title, story in ((JIANXING, _witness), (demo_execution.CASES[0]["title"], _in_time),
                         (demo_execution.CASES[1]["title"], _awaiting_review), (_fushun(), _revoked)):
        line.task(_at(_decision_day(builder, title), "10:30"), story, builder, title)
    line.task(_at(demo_days.back(builder.today, 5), "14:00"), _late, builder)
    line.task(_at(demo_days.back(builder.today, 1), "10:00"), _statistics, builder)
    return {"publicity_content": len(drafts)}


def _own_case_task(builder) -> None:
    b.PARTIES["jianxing"] = b._org("本溪市溪湖区建兴土方工程有限公司", "71530284", "曹建兴", "13904147715",
                                   "本溪市溪湖区东风街道建设路17号", "210503")
    own = b._Case(builder, _spec(JIANXING))
    builder.timeline.task(own.schedule.when("open"), _own_case, builder, own)


def _fushun() -> str:
    return next(s["title"] for s in b.CASES if s["parties"] == ["fushun"])


def _own_case(builder, c) -> None:
    """建兴土方's case, built as the builder's are, to 送达执行: its decision served directly."""
    builder.build_case(c)
    builder.service_receipt(c)


# ---- each decision's story ----------------------------------------------------------------------------


def _issue(builder, c):
    """The 机关负责人 issues the case's signed 决定书 (its 文号 and seal) on the decision's day."""
    record = c.case.records.get(record_type__code="decision", void__isnull=True)
    return documents.issue_document(builder.people[HEAD], record)


def _publish(builder, version, day: datetime.date) -> None:
    """Reviewed in the morning of `day`, approved (published) that afternoon."""
    with clock_at(_at(day, "10:00")):
        services.review(builder.people[REVIEWER], version, passed=True, checks=CHECKS, opinion="同意公开。")
    with clock_at(_at(day, "15:30")):
        services.approve(builder.people[HEAD], version, passed=True)
    builder.counts["publicity_decisions"] = builder.counts.get("publicity_decisions", 0) + 1


def _draft(builder, c, when: datetime.datetime):
    with clock_at(when):
        return services.draft_decision(c.lead, c.case)


def _witness(builder, title: str) -> None:
    """(a) the witness's name removed by hand before the review; published in time."""
    c, day = _case(builder, title), _decision_day(builder, title)
    _issue(builder, c)
    version = _draft(builder, c, _at(demo_days.after(day, 2), "09:30"))
    with clock_at(_at(demo_days.after(day, 2), "09:50")):
        version = services.add_redaction(c.lead, version, WITNESS, "person_name")
    _publish(builder, version, demo_days.after(day, 3))


def _in_time(builder, title: str) -> None:
    """(b) drafted three working days after the decision, published the next."""
    c, day = _case(builder, title), _decision_day(builder, title)
    _issue(builder, c)
    _publish(builder, _draft(builder, c, _at(demo_days.after(day, 3), "10:00")), demo_days.after(day, 4))


def _awaiting_review(builder, title: str) -> None:
    """(d) issued on its day, drafted only yesterday: in the reviewer's 待审核."""
    c = _case(builder, title)
    _issue(builder, c)
    _draft(builder, c, _at(demo_days.back(builder.today, 1), "16:00"))


def _revoked(builder, title: str) -> None:
    """(e) published in time; the decision revoked by the agency (行政处罚法 75), the entry withdrawn the
    next working day (行政处罚法 48: within 3 working days), the reason public."""
    c, day = _case(builder, title), _decision_day(builder, title)
    doc = _issue(builder, c)
    version = _draft(builder, c, _at(demo_days.after(day, 2), "10:00"))
    _publish(builder, version, demo_days.after(day, 3))
    revoked = demo_days.after(day, 6)
    with clock_at(_at(revoked, "10:00")):
        documents.revoke_document(builder.people[HEAD], doc, REVOKE_REASON)
    with clock_at(_at(demo_days.after(revoked, 1), "09:30")):
        services.withdraw(builder.people[HEAD], version.entry, WITHDRAW_REASON)


def _late(builder) -> None:
    """(c) 宏达洗煤: its 决定书 issued five days ago (demo/documents_seal.py) — drafted that afternoon,
    published the next working day; a visitor's comment two days later, answered the day after."""
    c = next(c for c in builder.built if c.spec["parties"] == ["hongda"])
    day = demo_days.back(builder.today, 5)
    if selectors.current_decision(c.case) is None:
        return
    version = _draft(builder, c, _at(day, "14:00"))
    _publish(builder, version, demo_days.after(day, 1))
    with clock_at(_at(demo_days.after(day, 2), "20:10")):
        row = services.comment(version.entry, kind=CommentKind.COMMENT, text=COMMENT)
    with clock_at(_at(demo_days.after(day, 3), "10:30")):
        services.reply(c.lead, row, REPLY)


def _statistics(builder) -> None:
    """Last year's figures (国办发〔2018〕118号), drafted: the system holds none of that year's cases (the
    agency's accounts were opened this year), so the draft waits in the reviewer's 待审核 to be completed."""
    with clock_at(_at(demo_days.back(builder.today, 1), "10:00")):
        statistics.draft_statistics(builder.people[DRAFTER], builder.today.year - 1)
