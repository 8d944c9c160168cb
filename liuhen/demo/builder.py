"""Demo data: a water bureau with people in every role and about twenty cases at every stage.

Everything is written through the service functions (accounts, cases, records), so the demo
database holds the same rows and ledger entries a real one would. Only the agency and its units
are created with the ORM, as there is no service for them yet.
"""
import contextlib
import datetime
import io
import struct
import zlib

from django.db import transaction
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.models import Agency, User
from liuhen.accounts.roles import Role
from liuhen.cases import services as cases
from liuhen.cases.models import STAGE_ORDER, Kind, PartyKind, Procedure, Stage, StartMode
from liuhen.cases.validators import id_check_char, uscc_check_char, validate_credit_code, validate_id_number
from liuhen.devices import life as device_life
from liuhen.devices import services as devices
from liuhen.devices.models import Kind as DeviceKind
from liuhen.footage.models import FootageItem
from liuhen.records import services as records
from liuhen.records.models import RecordType, SignerRole
from liuhen.testing.signing import sign_as_rule_asks

from . import agency_rules as demo_agency_rules
from . import av as demo_av
from . import archive as demo_archive
from . import copies as demo_copies
from . import days as demo_days
from . import devlife as demo_devlife
from . import documents_seal as demo_documents_seal
from . import evaluation as demo_evaluation
from . import findings as demo_findings
from . import footage as demo_footage
from . import inspections as demo_inspections
from . import execution as demo_execution
from . import legalreview as demo_legalreview
from . import marks as demo_marks
from . import profiles as demo_profiles
from . import property as demo_property
from . import publicity as demo_publicity
from . import retention as demo_retention
from . import workdays as demo_workdays
from .timeline import Timeline

DEMO_PASSWORD = "Liuhen-demo-2026"

AGENCY_NAME = "本溪市水务局"
AGENCY_SHORT = "本水"

# ---- identity numbers -------------------------------------------------------------------------


def person_id(region: str, born: str, seq: int | str) -> str:
    """A valid 18-digit 居民身份证号码: region (6), birth date YYYYMMDD, sequence (odd: male)."""
    first17 = f"{region}{born}{int(seq):03d}"
    return validate_id_number(first17 + id_check_char(first17))


def _org_code(body8: str) -> str:
    """组织机构代码 (GB 11714): eight digits or capital letters (A = 10…) and their check character."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    c = 11 - sum(int(ch, 36) * w for ch, w in zip(body8, weights)) % 11
    return body8 + {10: "X", 11: "0"}.get(c, str(c))


def credit_code(kind2: str, region: str, body8: str) -> str:
    """A valid 统一社会信用代码: registration authority and type (2), region (6), org code (9)."""
    first17 = kind2 + region + _org_code(body8)
    return validate_credit_code(first17 + uscc_check_char(first17))


# ---- the agency and its people ----------------------------------------------------------------

UNITS = {
    "zhidui": "水政监察支队",
    "shuiziyuan": "水资源管理科",
    "hehu": "河湖管理科",
}

# username, 姓名, roles, unit key (None: 局机关), 执法证 ("valid", "expired" or None), phone
PEOPLE = [
    ("hanlixin", "韩立新", [Role.SYSTEM_ADMIN], None, None, "13904140101"),
    ("fengxue", "冯雪", [Role.SECURITY_ADMIN], None, None, "13904140102"),
    ("caomin", "曹敏", [Role.AUDIT_ADMIN], None, None, "13904140103"),
    ("liujianguo", "刘建国", [Role.AGENCY_HEAD], None, None, "13904140001"),
    ("zhouhaitao", "周海涛", [Role.AGENCY_HEAD], None, None, "13904140002"),
    ("zhenghui", "郑慧", [Role.LEGAL_REVIEWER], None, None, "13904140201"),
    ("wuxiulan", "吴秀兰", [Role.ARCHIVIST], None, None, "13904140202"),
    ("hezhiyuan", "何志远", [Role.SUPERVISOR], None, None, "13904140203"),
    ("majun", "马骏", [Role.DEVICE_ADMIN], None, None, "13904140204"),
    ("chenzhigang", "陈志刚", [Role.UNIT_HEAD], "zhidui", None, "13841400100"),
    ("zhangming", "张明", [Role.OFFICER], "zhidui", "valid", "13841400101"),
    ("liqiang", "李强", [Role.OFFICER], "zhidui", "valid", "13841400102"),
    ("wangfang", "王芳", [Role.OFFICER], "zhidui", "valid", "13841400103"),
    ("zhaogang", "赵刚", [Role.OFFICER], "zhidui", "expired", "13841400104"),
    ("linjing", "林静", [Role.UNIT_HEAD], "shuiziyuan", None, "13841400200"),
    ("zhouli", "周丽", [Role.OFFICER], "shuiziyuan", "valid", "13841400201"),
    ("wulei", "吴磊", [Role.OFFICER], "shuiziyuan", "valid", "13841400202"),
    ("xuting", "徐婷", [Role.OFFICER], "shuiziyuan", "valid", "13841400203"),
    ("songwei", "宋伟", [Role.UNIT_HEAD], "hehu", None, "13841400300"),
    ("gaofeng", "高峰", [Role.OFFICER], "hehu", "valid", "13841400301"),
    ("huanghai", "黄海", [Role.OFFICER], "hehu", "valid", "13841400302"),
    ("luojia", "罗佳", [Role.OFFICER], "hehu", "valid", "13841400303"),
    ("sunhao", "孙浩", [Role.OFFICER], "hehu", None, "13841400304"),  # 新入职，尚未取得执法证
]

UNIT_HEAD_OF = {"zhidui": "chenzhigang", "shuiziyuan": "linjing", "hehu": "songwei"}

# ---- parties ----------------------------------------------------------------------------------


def _org(name, body8, rep, phone, address, region="210500", kind2="91"):
    return dict(kind=PartyKind.ORGANISATION, name=name, id_number=credit_code(kind2, region, body8),
                legal_representative=rep, phone=phone, address=address)


def _person(name, region, born, seq, phone, address):
    return dict(kind=PartyKind.PERSON, name=name, id_number=person_id(region, born, seq), phone=phone,
                address=address)


PARTIES = {
    "hongda": _org("本溪市溪湖区宏达洗煤有限公司", "31870245", "周振东", "024-42851376",
                   "本溪市溪湖区石桥子乡石桥子村三组", "210503"),
    "wangdefu": _person("王德福", "210521", "19680314", "217", "13941465218",
                        "本溪满族自治县小市镇河东村四组12号"),
    "hengyuan": _org("本溪市恒源矿泉水有限公司", "55308861", "孟庆丰", "024-42308815",
                     "本溪市明山区高台子街道峪明路88号", "210504"),
    "huatai": _org("本溪市华泰热力有限公司", "60412378", "于海波", "024-42217630",
                   "本溪市平山区胜利路156号", "210502"),
    "liuchunsheng": _person("刘春生", "210502", "19750922", "133", "13614142236",
                            "本溪市平山区千金街道千金岭社区9栋2单元301室"),
    "beifang": _org("辽宁北方路桥建设工程有限公司", "73915520", "邓志宏", "024-86625510",
                    "沈阳市和平区南京南街168号", "210102"),
    "sunbaoshan": _person("孙宝山", "210505", "19710508", "251", "15041413327",
                          "本溪市南芬区思山岭街道柳塘村二组"),
    "xinsheng": _org("本溪市明山区鑫盛物流有限公司", "39260417", "韩宇", "13804146632",
                     "本溪市明山区北地街道太子河北岸路21号", "210504"),
    "fushun": _org("本溪市明山区福顺建材经销处", "42015583", "卢福顺", "13904149927",
                   "本溪市明山区卧龙镇卧龙村", "210504"),
    "qingquan": _org("本溪市平山区清泉纯净水厂", "48877123", "杜清泉", "024-42846619",
                     "本溪市平山区桥头镇桥头村一组", "210502"),
    "zhangyulan": _person("张玉兰", "210503", "19720117", "346", "13942492150",
                          "本溪市溪湖区河东街道彩北社区17栋1单元502室"),
    "xinyuan": _org("本溪市鑫源洗浴有限公司", "57763019", "葛金利", "024-42893302",
                    "本溪市溪湖区彩屯街道光明路45号", "210503"),
    "hongyuan": _org("本溪市宏远热电有限公司", "24409851", "尹国栋", "024-42265578",
                     "本溪市平山区工业园区热电路1号", "210502"),
    "tiancheng": _org("本溪市天成化工有限公司", "66120347", "蒋立群", "024-45832016",
                      "本溪市南芬区化工园区纬一路8号", "210505"),
    "zhaochanghai": _person("赵长海", "210504", "19800626", "075", "18341418820",
                            "本溪市明山区东兴街道太子河村五组"),
    "fumin": _org("本溪市溪湖区富民养殖专业合作社", "MA0PK3TX", "曲富民", "15841413390",
                  "本溪市溪湖区火连寨镇火连寨村", "210503", kind2="93"),
    "longquan": _org("本溪市龙泉酒业有限公司", "12098436", "白永春", "024-44813527",
                     "本溪满族自治县草河掌镇草河掌村", "210521"),
    "chenlijun": _person("陈立军", "210502", "19780203", "159", "13591413677",
                         "本溪市平山区北台镇北台村七组"),
    "shuishang": _org("本溪市太子河水上乐园有限公司", "79553108", "钱思远", "024-42889916",
                      "本溪市平山区滨河北路216号", "210502"),
    "zhengdeshun": _person("郑德顺", "210503", "19830411", "293", "13842421576",
                           "本溪市溪湖区彩屯街道彩东社区6栋3单元201室"),
    "qiaobei": _org("本溪市桥北物业服务有限公司", "50938726", "沈丽娜", "024-42260345",
                    "本溪市平山区桥北街道兴业路32号", "210502"),
}

# ---- the cases ---------------------------------------------------------------------------------
# Each case: who handles it, its parties and texts, and `until`: the stage it is taken to with
# complete records ("archived": all five stages done). `pending` names a method of _Builder that
# then works in that stage and leaves it unfinished in a particular way (a signature missing, a
# refusal unconfirmed, a record voided, the case sent back…). When: `started` is how many days
# ago it was opened (moved back to a working day; an emergency start at `emergency_at` on that very
# day, whatever it is), and each step follows on the working days of GENERAL_STEPS or
# SIMPLIFIED_STEPS below; `days` changes some steps of one case (a late service, a late archive, a
# late 补批); `act_days_ago` opens a case the working day before its first act.

# AS 8: the reason an act went without audio-video recording, in writing (for liuhen/demo/av.py).
NOT_SUITABLE_REASON = "检查现场为白酒酿造车间，涉及企业酿造工艺等商业秘密，经当事人书面申请，不宜进行音像记录，以文字记录和现场检查笔录代替。"

# When the acts the AV rules ask footage for took place (avrules.rules: 现场检查, 查封扣押): the day
# of the case and the time the record states — the time its footage shows too (LW-D 7).
# (the step of the case whose day it is, the time)
INSPECTION_AT = ("inspect", "09:20")
SEIZURE_AT = ("seize", "11:00")
INQUIRY_AT = ("inquiry", "14:00")  # in the 询问室; recorded too (LQ 19: 根据实际), though not required

WATER_LAW_RIGHTS = "陈述、申辩、申请回避；拟作出较大数额罚款等决定的，享有要求听证的权利"

CASES = [
    # ---------------------------------------------------------------- archived (all five stages)
    dict(
        unit="zhidui", team=["zhangming", "liqiang"], kind=Kind.PENALTY, procedure=Procedure.GENERAL,
        start_mode=StartMode.EX_OFFICIO, on_site=True, started=92, until="archived",
        # Served the day after the decision (行政处罚法 61: on time); the file then waited in 归档管理
        # for more than 30 days before the archivist received it (BX 11, LC 31, LQ 28: late).
        days={"investigated": (4, "16:30"), "opinion": (5, "10:00"), "notice": (5, "15:00"), "review": (6, "15:00"),
              "approval": (7, "10:30"), "decision": (8, "09:30"), "decided": (8, "16:00"), "served": (9, "11:00"),
              "performed": (14, "10:00"), "service_done": (15, "16:00"), "closing": (16, "10:00"),
              "archived": (40, "10:00"), "archive": (40, "15:00")},
        title="本溪市溪湖区宏达洗煤有限公司未经许可取水", parties=["hongda"],
        summary="日常巡查发现该公司在厂区内利用自备井取用地下水用于洗煤生产，未取得取水许可。",
        place="本溪市溪湖区石桥子乡宏达洗煤有限公司厂区",
        reason="{d0}执法人员日常巡查中发现，本溪市溪湖区宏达洗煤有限公司在厂区内利用自备井取用地下水"
               "用于洗煤生产，经查询未办理取水许可，涉嫌违反《中华人民共和国水法》第四十八条第一款。",
        handler_opinion="建议立案调查。", unit_opinion="同意立案，由张明、李强承办。",
        inspect="厂区东北角有自备井一眼，井深约80米，安装潜水泵一台（功率15千瓦），出水管直通洗煤车间"
                "循环水池。检查时水泵正在运行，现场未见取水计量设施，未能出示取水许可证。",
        present="周振东（法定代表人）",
        interviewee="周振东",
        inquiry="问：你公司自备井是何时开始取水的？\n答：2025年4月开始，主要用于洗煤补水。\n"
                "问：是否办理了取水许可？\n答：没有办理，不知道需要办。\n"
                "问：每天大约取水多少？\n答：每天大约120立方米。",
        revise=("问：取水是否用于其他用途？\n答：冬季少量用于厂区供暖补水，其他没有。",
                "补记被询问人关于取水用途的陈述"),
        attach=True,
        facts="当事人自2025年4月起未经取水许可，利用自备井取用地下水用于洗煤生产，日取水量约120立方米。",
        basis="《中华人民共和国水法》第四十八条第一款、第六十九条第（一）项；《取水许可和水资源费征收管理条例》第二条。",
        evidence="现场检查笔录、询问笔录、现场照片、营业执照复印件、法定代表人身份证明。",
        discretion="当事人初次违法，积极配合调查，主动停止取水并申请办理取水许可，依照本局行政处罚裁量基准属从轻情形。",
        proposal="责令停止违法取水，限期办理取水许可手续，处罚款人民币贰万伍仟元整（¥25000）。",
        # 行政处罚法 44: told before the decision; the party gave up stating and defending on the spot.
        penalty={"penalty_kind": "罚款", "fine_amount": 25000}, waive="陈述、申辩和听证",
        legal_review="事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意处理意见。",
        approver="liujianguo", approval="同意承办机构意见，依法作出行政处罚决定。",
        decision="一、责令立即停止违法取水行为；二、处罚款人民币贰万伍仟元整。罚款自收到本决定书之日起十五日内"
                 "缴至指定银行，到期不缴纳的，每日按罚款数额的百分之三加处罚款。",
        decision_doc="行政处罚决定书",
        performed="当事人已于{d13}足额缴纳罚款25000元，并已停止取水，取水许可申请已受理。",
        closing="本案事实清楚，证据充分，当事人已履行处罚决定，建议结案归档。",
    ),
    dict(
        unit="hehu", team=["gaofeng", "huanghai"], kind=Kind.PENALTY, procedure=Procedure.GENERAL,
        start_mode=StartMode.COMPLAINT, on_site=True, started=80, until="archived",
        # The party could not be found for twelve working days: the decision served late (行政处罚法
        # 61: within 7 days).
        days={"served": (27, "11:00"), "performed": (30, "10:00"), "service_done": (31, "16:00"),
              "closing": (33, "10:00"), "archived": (36, "10:00"), "archive": (36, "15:00")},
        title="王德福在太子河河道管理范围内违法建设", parties=["wangdefu"],
        summary="群众举报小市镇河东村太子河左岸河滩地有人搭建砖混房屋，阻碍行洪。",
        place="本溪满族自治县小市镇河东村太子河左岸",
        complainant="李某（实名）", complaint="小市镇河东村太子河左岸河滩地上有人正在盖砖房，汛期可能挡水。",
        reason="根据群众实名举报，经初步核实，王德福在太子河河道管理范围内建设砖混结构房屋，涉嫌违反"
               "《中华人民共和国水法》第三十七条第二款。",
        handler_opinion="建议立案调查。", unit_opinion="同意立案。",
        inspect="太子河左岸河滩地（距堤脚约30米）新建砖混结构平房一处，建筑面积约65平方米，已封顶。"
                "经测量位于河道管理范围内，影响河道行洪。",
        interviewee="王德福",
        inquiry="问：河滩地上的房屋是你建的吗？\n答：是我建的，用来放渔具。\n问：建房前是否经过水行政主管部门同意？\n答：没有。",
        refuse_inquiry="当事人认为房屋建在自家承包地上，拒绝在笔录上签字",
        facts="当事人未经批准，在太子河河道管理范围内建设砖混结构房屋约65平方米，影响河道行洪安全。",
        basis="《中华人民共和国水法》第三十七条第二款、第六十五条第一款；《中华人民共和国河道管理条例》第二十四条。",
        evidence="举报登记表、现场检查笔录、询问笔录（当事人拒签，两名执法人员确认）、拒签情况记录、测量示意图。",
        discretion="违法建筑物已封顶，当事人拒不配合调查，但未造成险情。",
        proposal="责令限期十五日内拆除违法建筑物、恢复原状，并处罚款人民币壹万元整（¥10000）。",
        collective="经集体讨论，一致同意处理意见。", approver="liujianguo",
        approval="同意，责令限期拆除并处罚款壹万元。",
        decision="一、责令于十五日内自行拆除太子河左岸河道管理范围内的违法建筑物，恢复原状；二、处罚款人民币壹万元整。",
        penalty={"penalty_kind": "罚款", "fine_amount": 10000},
        decision_doc="行政处罚决定书",
        performed="{d30}复查，当事人已自行拆除违法建筑物并清理现场，罚款已缴纳。",
        closing="违法建筑已拆除，罚款已缴纳，建议结案。",
    ),
    dict(
        unit="shuiziyuan", team=["zhouli", "wulei"], kind=Kind.LICENSING, procedure=Procedure.GENERAL,
        start_mode=StartMode.APPLICATION, on_site=True, started=75, until="archived",
        title="本溪市恒源矿泉水有限公司取水许可申请", parties=["hengyuan"],
        summary="申请人申请在明山区峪明路厂区取用地下水用于矿泉水生产，年取水量3.6万立方米。",
        place="本溪市明山区高台子街道峪明路88号厂区",
        matter="取水许可（地下水，年取水量3.6万立方米，用途：矿泉水生产）",
        materials="取水许可申请书、建设项目水资源论证报告书、营业执照、取水工程设计文件、与第三者利害关系说明。",
        rights="申请人、利害关系人有陈述、申辩的权利；本许可事项涉及重大利益关系的，享有要求听证的权利",
        inspect="现场核查取水井一眼，井深120米，已安装智能远传水表（表号HY-20260301），取水工程与申请材料一致，"
                "周边500米内无其他集中供水水源地。",
        present="孟庆丰（法定代表人）",
        facts="申请人提交的材料齐全、符合法定形式，水资源论证报告经专家评审通过，取水符合本区域用水总量控制指标。",
        basis="《中华人民共和国水法》第四十八条；《取水许可和水资源费征收管理条例》第二十条、第二十二条。",
        evidence="申请材料、水资源论证报告专家评审意见、现场核查笔录。",
        discretion="不适用。", proposal="建议准予取水许可，年取水量3.6万立方米，有效期五年。",
        approval="同意准予取水许可。",
        decision="准予本溪市恒源矿泉水有限公司取用地下水，年取水量3.6万立方米，有效期五年，颁发取水许可证。",
        decision_doc="准予行政许可决定书及取水许可证", service="mail",
        closing="许可决定及取水许可证已邮寄送达，申请人已签收，建议归档。",
    ),
    dict(
        unit="shuiziyuan", team=["wulei", "xuting"], kind=Kind.LEVY, procedure=Procedure.GENERAL,
        start_mode=StartMode.EX_OFFICIO, on_site=True, started=70, until="archived",
        title="本溪市华泰热力有限公司2026年上半年水资源费征收", parties=["huatai"],
        summary="依据取水计量数据核定该公司2026年1至6月应缴水资源费。",
        place="本溪市平山区胜利路156号华泰热力一号泵站",
        reason="依据《取水许可和水资源费征收管理条例》，按季度核定取水单位应缴水资源费。",
        handler_opinion="建议启动水资源费核定征收程序。", unit_opinion="同意。",
        inspect="一号泵站取水计量设施运行正常，远传水表读数与监控平台数据一致，1至6月累计取水量182400立方米。",
        present="于海波（法定代表人）",
        facts="当事人2026年1至6月累计取用地表水182400立方米，按辽宁省地表水水资源费标准0.4元/立方米计算，"
              "应缴水资源费72960元。",
        basis="《中华人民共和国水法》第四十八条；《取水许可和水资源费征收管理条例》第二十八条、第三十二条。",
        evidence="取水计量数据、现场检查笔录、取水许可证。", discretion="不适用。",
        proposal="核定应缴水资源费人民币柒万贰仟玖佰陆拾元整。", approval="同意核定。",
        decision="核定你单位2026年1至6月应缴水资源费人民币柒万贰仟玖佰陆拾元整（¥72960），请于收到本通知之日起七日内缴纳。",
        decision_doc="水资源费缴纳通知书",
        performed="当事人已于{d22}缴纳水资源费72960元。",
        closing="水资源费已足额征收入库，建议归档。",
    ),
    dict(
        unit="zhidui", team=["liqiang", "wangfang"], kind=Kind.PENALTY, procedure=Procedure.SIMPLIFIED,
        start_mode=StartMode.EX_OFFICIO, on_site=True, started=60, until="archived",
        title="刘春生在河道管理范围内倾倒生活垃圾", parties=["liuchunsheng"],
        summary="巡查发现当事人向太子河平山段河道管理范围内倾倒生活垃圾，当场处罚。",
        place="本溪市平山区太子河滨河南路段河岸",
        inspect="当事人驾驶三轮车向太子河河岸倾倒生活垃圾约0.5立方米，执法人员当场制止，当事人已将垃圾清运。",
        facts="当事人在太子河河道管理范围内倾倒生活垃圾，违法事实确凿。",
        basis="《中华人民共和国河道管理条例》第二十四条、第四十四条。",
        decision="给予警告，处罚款人民币壹佰元整（¥100），当场收缴。",
        decision_doc="当场行政处罚决定书",
        closing="罚款已当场收缴并出具专用票据，建议归档。",
    ),
    dict(
        unit="hehu", team=["huanghai", "luojia"], kind=Kind.INSPECTION, procedure=Procedure.GENERAL,
        start_mode=StartMode.EX_OFFICIO, on_site=True, started=55, until="archived",
        title="辽宁北方路桥建设工程有限公司太子河大桥涉河施工防汛检查", parties=["beifang"],
        summary="汛前对太子河大桥涉河施工工地的围堰、临时设施和防汛预案开展检查。",
        place="本溪市平山区太子河大桥施工现场",
        reason="依据《中华人民共和国防洪法》及本局汛前检查方案，对涉河在建工程开展防汛检查。",
        handler_opinion="建议开展现场检查。", unit_opinion="同意。",
        rights="陈述、申辩、申请回避",
        inspect="施工围堰占用河道约三分之一，高于设计度汛标准；河道内堆放钢筋、模板等施工材料约200吨；"
                "防汛预案未明确抢险队伍和物资。",
        present="邓志宏（项目负责人）", attach=True,
        facts="施工单位围堰超出批准范围，河道内堆放阻水材料，防汛预案不完善，存在度汛安全隐患。",
        basis="《中华人民共和国防洪法》第二十七条、第四十二条；《中华人民共和国防汛条例》第十五条。",
        evidence="现场检查笔录、现场照片、施工方案。", discretion="不适用。",
        proposal="责令于十日内拆除超范围围堰、清除河道内阻水材料、完善防汛预案。",
        approval="同意，责令限期整改。",
        decision="责令你单位于十日内：一、拆除超出批准范围的施工围堰；二、清除河道内堆放的施工材料；三、完善防汛应急预案并报备。",
        decision_doc="责令整改通知书",
        recheck="经复查，超范围围堰已拆除，河道内施工材料已清运，防汛预案已修订报备，整改完成。",
        closing="整改已完成并经复查确认，建议归档。",
    ),
    # ---------------------------------------------------------------- in 归档管理 (not yet archivable)
    dict(
        unit="hehu", team=["gaofeng", "luojia"], kind=Kind.PENALTY, procedure=Procedure.GENERAL,
        start_mode=StartMode.ASSIGNED, on_site=True, started=56, until="archive", pending="closing_awaits_leader",
        title="孙宝山在太子河南芬段非法采砂", parties=["sunbaoshan"],
        summary="市河长办交办线索：南芬区柳塘村段有人夜间使用挖掘机在河道内采砂。",
        place="本溪市南芬区思山岭街道柳塘村太子河段",
        source="本溪市河长制办公室", referral="交办南芬区柳塘村太子河段夜间非法采砂线索，请依法查处并报送结果。",
        reason="根据市河长办交办线索，经现场核实，孙宝山涉嫌未经许可在河道管理范围内采砂。",
        handler_opinion="建议立案调查，并对采砂机具依法扣押。", unit_opinion="同意。",
        inspect="河道内新开挖砂坑两处，面积约400平方米、深约2米；现场停放挖掘机一台、自卸车一台，车内装有河砂约15立方米。",
        present="孙宝山",
        seizure="挖掘机一台（柳工CLG922E）、自卸车一台（辽E·5K327）及车载河砂约15立方米",
        interviewee="孙宝山",
        inquiry="问：河道内的砂坑是谁挖的？\n答：是我雇人挖的，准备卖给附近工地。\n问：是否取得河道采砂许可？\n答：没有。",
        facts="当事人未经许可，在太子河南芬段河道管理范围内使用挖掘机采砂，共计采砂约800立方米。",
        basis="《中华人民共和国河道管理条例》第二十五条第（一）项、第四十四条第一款第（三）项；《辽宁省河道管理条例》。",
        evidence="交办函、现场检查笔录、询问笔录、查封扣押现场笔录、测量报告。",
        discretion="采砂量较大，夜间作业，情节较重。",
        proposal="责令停止违法采砂、恢复河道原状，没收违法所得和采砂机具，并处罚款人民币伍万元整。",
        legal_review="事实清楚，证据确凿，属重大执法决定，已经法制审核，同意处理意见。",
        collective="经局长办公会集体讨论，同意处理意见。", approver="liujianguo",
        approval="同意。",
        decision="一、责令停止违法采砂，于三十日内平整砂坑、恢复河道原状；二、没收违法所得人民币叁万贰仟元；三、处罚款人民币伍万元整。",
        penalty={"penalty_kind": "没收违法所得、没收非法财物", "fine_amount": 50000, "confiscation_amount": 32000},
        decision_doc="行政处罚决定书", service="lien",
        lien_refusal="当事人对处罚决定有异议，拒绝接收决定书，也拒绝在送达回证上签字",
        lien_witness=("柳塘村村民委员会主任 王德顺", "柳塘村村民委员会主任"),
        performed="当事人已缴纳罚款及违法所得，砂坑已回填平整。",
        closing="处罚决定已全部履行，河道已恢复，建议结案。",
    ),
    dict(
        unit="zhidui", team=["zhangming", "wangfang"], kind=Kind.COERCION, procedure=Procedure.GENERAL,
        start_mode=StartMode.EMERGENCY, on_site=True, started=60, until="archive", pending="closing_done",
        emergency_at="06:40",  # the 补批表 signed by 周海涛 the same morning (LC 8: within 24 h)
        day_off=True,  # a weekend's or holiday's morning: the last day off 60 days or more ago
        title="本溪市明山区鑫盛物流有限公司河道阻水障碍物代履行清除", parties=["xinsheng"],
        summary="主汛期暴雨预警期间，发现当事人在太子河北岸行洪区堆放大量物料，立即组织清除。",
        place="本溪市明山区北地街道太子河北岸行洪区",
        emergency="{d0}暴雨红色预警，太子河水位持续上涨，当事人堆放的物料严重阻碍行洪，需立即清除，"
                  "经电话请示分管局长同意先行实施代履行。",
        leader_opinion="同意先行启动，补办审批手续。",
        reason="当事人在行洪区堆放阻水物料，经责令仍未清除，汛情紧急，依法立即代履行。",
        handler_opinion="建议立即实施代履行。", unit_opinion="同意。",
        inspect="太子河北岸行洪区内堆放煤炭、砂石约3000吨，占压行洪断面约40米。当事人负责人在场但表示无力自行清运。",
        present="韩宇（负责人）",
        facts="当事人在太子河行洪区内堆放阻水物料约3000吨，在汛情紧急的情况下拒不清除，危及防洪安全。",
        basis="《中华人民共和国防洪法》第二十二条、第四十二条；《中华人民共和国行政强制法》第五十二条。",
        evidence="现场检查笔录、现场照片、水文预警信息。", discretion="不适用。",
        proposal="立即实施代履行，清除阻水物料，代履行费用由当事人承担。",
        approver="zhouhaitao", approval="同意立即代履行。",
        decision="决定对你单位堆放在太子河北岸行洪区内的物料立即实施代履行清除，代履行费用人民币肆万陆仟元由你单位承担。",
        decision_doc="代履行决定书",
        performed="阻水物料已于当日全部清除，代履行费用已由当事人缴纳。",
        closing="代履行已完成，费用已缴纳，建议归档。",
    ),
    # ---------------------------------------------------------------- in 送达执行
    dict(
        unit="zhidui", team=["liqiang", "zhangming"], kind=Kind.PENALTY, procedure=Procedure.GENERAL,
        start_mode=StartMode.EX_OFFICIO, on_site=True, started=35, until="service", pending="service_refused",
        title="本溪市明山区福顺建材经销处未经批准在河道管理范围内建设砂石料场", parties=["fushun"],
        summary="当事人在太子河卧龙段河道管理范围内违规建设砂石料场并堆放砂石。",
        place="本溪市明山区卧龙镇卧龙村太子河段",
        reason="巡查发现当事人在河道管理范围内建设砂石料场，涉嫌违反《中华人民共和国河道管理条例》第二十四条。",
        handler_opinion="建议立案调查。", unit_opinion="同意。",
        inspect="河道管理范围内建有砂石料场一处，占地约2000平方米，堆放砂石约5000立方米，设有简易地磅房一间。",
        present="卢福顺（经营者）",
        facts="当事人未经批准在太子河河道管理范围内建设砂石料场并堆放砂石，影响行洪。",
        basis="《中华人民共和国水法》第三十七条第二款、第六十五条第一款；《中华人民共和国河道管理条例》第二十四条。",
        evidence="现场检查笔录、现场照片、测量报告。", discretion="料场面积较大，但当事人已开始清运。",
        proposal="责令限期拆除料场设施、清除砂石，并处罚款人民币叁万元整。",
        approver="zhouhaitao", approval="同意。",
        decision="一、责令于二十日内拆除料场设施、清除河道内砂石；二、处罚款人民币叁万元整。",
        penalty={"penalty_kind": "罚款", "fine_amount": 30000},
        decision_doc="行政处罚决定书",
    ),
    dict(
        unit="shuiziyuan", team=["xuting", "zhouli"], kind=Kind.LICENSING, procedure=Procedure.GENERAL,
        start_mode=StartMode.APPLICATION, on_site=True, started=30, until="service",
        title="本溪市平山区清泉纯净水厂取水许可延续申请", parties=["qingquan"],
        summary="取水许可证将于2026年12月到期，申请人申请延续。",
        place="本溪市平山区桥头镇桥头村清泉纯净水厂",
        matter="取水许可延续（地下水，年取水量1.2万立方米）",
        materials="取水许可延续申请书、原取水许可证、近三年取水计量记录、水资源费缴纳凭证。",
        rights="申请人、利害关系人有陈述、申辩的权利；涉及重大利益关系的，享有要求听证的权利",
        inspect="取水井及计量设施运行正常，近三年实际取水量均未超过许可水量。",
        present="杜清泉（负责人）",
        facts="申请人在有效期届满前提出延续申请，近三年取水未超许可水量，水资源费按时缴纳。",
        basis="《取水许可和水资源费征收管理条例》第二十五条。",
        evidence="申请材料、取水计量记录、现场核查笔录。", discretion="不适用。",
        proposal="建议准予延续取水许可五年。", approval="同意延续。",
        decision="准予延续取水许可，有效期自2026年12月20日起五年，年取水量1.2万立方米。",
        decision_doc="准予延续行政许可决定书", pending="service_public",
        mail_returned="原址已停产，邮件被退回（查无此人）",
        public_why="申请人厂区已停产，负责人杜清泉外出下落不明，电话无法接通；{d16}邮寄送达的决定书于{d19}被退回。",
    ),
    dict(
        unit="hehu", team=["luojia", "gaofeng"], kind=Kind.PENALTY, procedure=Procedure.SIMPLIFIED,
        start_mode=StartMode.EX_OFFICIO, on_site=True, started=6, until="service", pending="service_draft",
        title="张玉兰在细河堤防上违规种植农作物", parties=["zhangyulan"],
        summary="巡查发现当事人在细河堤防背水坡开垦种植玉米，当场处罚。",
        place="本溪市溪湖区细河左岸堤防彩北段",
        inspect="细河左岸堤防背水坡开垦种植玉米约50平方米，堤坡植被被破坏。",
        facts="当事人在堤防上开垦种植农作物，破坏堤防护坡。",
        basis="《中华人民共和国河道管理条例》第二十四条第（二）项、第四十四条。",
        decision="给予警告，责令恢复堤坡植被，处罚款人民币伍拾元整（¥50）。",
        decision_doc="当场行政处罚决定书",
    ),
    # ---------------------------------------------------------------- in 审查决定
    dict(
        unit="zhidui", team=["wangfang", "liqiang"], assign=["zhangming"], kind=Kind.PENALTY,
        procedure=Procedure.GENERAL, start_mode=StartMode.EX_OFFICIO, on_site=True, started=28,
        until="decision", pending="approval_awaits_leader",
        title="本溪市鑫源洗浴有限公司擅自开凿机井取水", parties=["xinyuan"],
        summary="当事人在城市公共供水管网覆盖范围内擅自开凿机井取用地下水用于洗浴经营。",
        place="本溪市溪湖区彩屯街道光明路45号鑫源洗浴地下室",
        reason="接市自来水公司函告，当事人在公共供水管网覆盖范围内自备井取水，涉嫌违法取水。",
        handler_opinion="建议立案调查。", unit_opinion="同意，另增派张明参与调查。",
        inspect="地下室内有机井一眼，井深约150米，井口安装变频水泵，出水管接入洗浴热水锅炉，无计量设施。",
        present="葛金利（法定代表人）", interviewee="葛金利",
        # LW-D 7: the 笔录 states the planned 09:20; the camera shows the check began at 10:04 (the
        # officers waited for the 法定代表人) — the one time mismatch the case page flags.
        camera_started="10:04",
        inquiry="问：机井是何时开凿的？\n答：2024年装修时打的。\n问：是否经过审批？\n答：没有，不知道要审批。",
        facts="当事人在城市公共供水管网覆盖范围内，未经批准擅自开凿机井并取用地下水用于洗浴经营，累计取水约1.5万立方米。",
        basis="《中华人民共和国水法》第四十八条第一款、第六十九条第（一）项；《辽宁省地下水资源保护条例》。",
        evidence="自来水公司函、现场检查笔录、询问笔录、现场照片。",
        discretion="取水时间较长，取水量较大，属较重情形。",
        proposal="责令停止违法取水、封填机井，处罚款人民币伍万元整。",
        legal_review="事实清楚，证据确凿，适用依据正确，建议在作出决定前告知当事人听证权利。",
        approver="liujianguo",
        approval="拟同意承办机构处理意见，报局长审批。",
    ),
    dict(
        unit="shuiziyuan", team=["zhouli", "xuting"], kind=Kind.LEVY, procedure=Procedure.GENERAL,
        start_mode=StartMode.EX_OFFICIO, on_site=True, started=24, until="decision", pending="decision_missing",
        title="本溪市宏远热电有限公司2026年第三季度水资源费征收", parties=["hongyuan"],
        summary="依据取水计量数据核定该公司2026年第三季度应缴水资源费。",
        place="本溪市平山区工业园区宏远热电取水泵站",
        reason="按季度核定取水单位应缴水资源费。", handler_opinion="建议启动核定程序。", unit_opinion="同意。",
        inspect="取水泵站计量设施运行正常，7至9月累计取水量256000立方米。", present="尹国栋（法定代表人）",
        facts="当事人2026年7至9月累计取用地表水256000立方米，应缴水资源费102400元。",
        basis="《取水许可和水资源费征收管理条例》第二十八条、第三十二条。",
        evidence="取水计量数据、现场检查笔录。", discretion="不适用。",
        proposal="核定应缴水资源费人民币壹拾万零贰仟肆佰元整。", approval="同意核定，请尽快制作缴纳通知书。",
    ),
    dict(
        unit="zhidui", team=["zhangming", "wangfang"], kind=Kind.INSPECTION, procedure=Procedure.GENERAL,
        start_mode=StartMode.EX_OFFICIO, on_site=True, started=27, until="decision", pending="decision_voided",
        title="本溪市天成化工有限公司入河排污口设置检查", parties=["tiancheng"],
        summary="对化工园区入河排污口设置及审批情况开展专项检查。",
        place="本溪市南芬区化工园区细河右岸排污口",
        reason="依据入河排污口专项整治工作方案，对化工园区企业入河排污口开展检查。",
        handler_opinion="建议开展现场检查。", unit_opinion="同意。",
        rights="陈述、申辩、申请回避",
        inspect="细河右岸有排污口一处，管径600毫米，未设置标志牌，未安装在线监测设施，企业未能出示排污口设置审核文件。",
        present="蒋立群（法定代表人）",
        facts="当事人入河排污口未经设置审核，未设置标志牌和监测设施。",
        basis="《中华人民共和国水法》第三十四条第二款；《入河排污口监督管理办法》第四条。",
        evidence="现场检查笔录、现场照片。", discretion="不适用。",
        proposal="责令限期补办入河排污口设置审核手续，设置标志牌并安装在线监测设施。",
        approval="同意，责令限期整改。",
        decision="责令你单位于三十日内补办入河排污口设置审核手续，设置标志牌并安装在线监测设施。",
        decision_doc="责令整改通知书",
    ),
    # ---------------------------------------------------------------- in 调查取证
    dict(
        unit="hehu", team=["huanghai", "luojia"], kind=Kind.COERCION, procedure=Procedure.GENERAL,
        start_mode=StartMode.EMERGENCY, on_site=True, started=40, until="investigation",
        emergency_at="22:40",
        # LC 8, LQ 8: the 补批表 was drafted that night but signed only three working days later.
        days={"backfill": (3, "09:40")},
        title="郑德顺夜间向细河河道倾倒建筑渣土紧急处置", parties=["zhengdeshun"],
        summary="夜间巡查发现当事人驾驶自卸车向细河河道倾倒建筑渣土，当场责令停止并先行扣押运输车辆。",
        place="本溪市溪湖区细河彩屯桥下游河道",
        emergency="{d0}22时40分，执法人员夜间巡查发现当事人驾驶自卸车向细河河道倾倒建筑渣土，渣土已阻塞约三分之一"
                  "河道断面，情况紧急，经电话请示分管局长同意，当场责令停止倾倒并先行扣押运输车辆。",
        leader_opinion="同意先行处置。补批表未在二十四小时内报送，责成承办人作出书面说明。",
        reason="当事人夜间向细河河道倾倒建筑渣土，阻碍行洪，涉嫌违反《中华人民共和国河道管理条例》第二十四条。",
        handler_opinion="建议立案调查，清除渣土。", unit_opinion="同意。",
    ),
    dict(
        unit="hehu", team=["huanghai", "gaofeng"], kind=Kind.PENALTY, procedure=Procedure.GENERAL,
        start_mode=StartMode.COMPLAINT, on_site=True, started=10, until="investigation",
        act_days_ago=9,  # its 现场检查 on the day of 黄海's video (liuhen/demo/footage.py)
        pending="inquiry_one_officer",
        title="赵长海在太子河河道管理范围内搭建彩钢房", parties=["zhaochanghai"],
        summary="12345热线转来举报：东兴街道太子河村河边有人搭建彩钢房。",
        place="本溪市明山区东兴街道太子河村太子河右岸",
        complainant="12345政务服务便民热线转办（匿名）", complaint="太子河村河边有人搭建彩钢房，用于养殖。",
        reason="经初步核实，赵长海在太子河河道管理范围内搭建彩钢房，涉嫌违法建设。",
        handler_opinion="建议立案调查。", unit_opinion="同意。",
        interviewee="赵长海",
        inquiry="问：河边的彩钢房是你搭建的吗？\n答：是，今年8月搭的，用来养鸭。\n问：是否办理了相关手续？\n答：没有。",
    ),
    dict(
        unit="zhidui", team=["liqiang", "wangfang"], kind=Kind.PENALTY, procedure=Procedure.GENERAL,
        start_mode=StartMode.EX_OFFICIO, on_site=True, started=26,
        until="decision", pending="sent_back",  # reaches 审查决定, is sent back to 调查取证
        title="本溪市溪湖区富民养殖专业合作社未按规定安装取水计量设施", parties=["fumin"],
        summary="当事人取水许可证载明应安装计量设施，检查发现未安装。",
        place="本溪市溪湖区火连寨镇火连寨村富民养殖合作社",
        reason="取水单位监督检查中发现当事人未按规定安装取水计量设施。",
        handler_opinion="建议立案调查。", unit_opinion="同意。",
        inspect="合作社取水井一眼，取水用于养殖场冲洗和饮水，现场未安装取水计量设施。",
        present="曲富民（理事长）",
        facts="当事人未按照取水许可要求安装取水计量设施。",
        basis="《取水许可和水资源费征收管理条例》第四十三条、第五十三条。",
        evidence="现场检查笔录、取水许可证。", discretion="初次违法。",
        proposal="责令限期安装计量设施，处罚款人民币伍仟元整。",
        legal_review="实际取水量的认定缺少证据，建议补充调取用电记录等证据后再行审核。",
    ),
    dict(
        unit="shuiziyuan", team=["wulei", "zhouli"], kind=Kind.INSPECTION, procedure=Procedure.GENERAL,
        start_mode=StartMode.EX_OFFICIO, on_site=True, started=8,
        until="investigation", pending="inspection_draft",
        title="本溪市龙泉酒业有限公司取水单位监督检查", parties=["longquan"],
        not_filmed=NOT_SUITABLE_REASON,  # no camera in the brewing workshop (AS 8)
        summary="年度取水单位“双随机”监督检查。",
        place="本溪满族自治县草河掌镇龙泉酒业厂区",
        reason="依据年度“双随机、一公开”抽查计划，对龙泉酒业取水情况开展监督检查。",
        handler_opinion="建议开展现场检查。", unit_opinion="同意。",
        rights="陈述、申辩、申请回避",
        inspect="取水口位于草河右岸，计量设施运行正常，取水台账记录完整。",
        present="白永春（法定代表人）",
    ),
    # ---------------------------------------------------------------- in 程序启动
    dict(
        unit="zhidui", team=["zhangming", "liqiang"], kind=Kind.PENALTY, procedure=Procedure.GENERAL,
        start_mode=StartMode.COMPLAINT, on_site=True, started=3, until="start", pending="start_awaits_leader",
        title="陈立军涉嫌未经许可取用地下水灌溉", parties=["chenlijun"],
        summary="群众举报北台镇北台村有人私自打井抽水灌溉大棚。",
        complainant="孟某（实名）", complaint="北台村七组陈立军家大棚旁私自打井抽水，影响周边农户井水水位。",
        reason="根据群众实名举报，陈立军涉嫌未经许可取用地下水。",
        handler_opinion="建议立案调查。", unit_opinion="同意。",
    ),
    dict(
        unit="hehu", team=["gaofeng", "huanghai"], kind=Kind.LICENSING, procedure=Procedure.GENERAL,
        start_mode=StartMode.APPLICATION, on_site=True, started=4, until="start", pending="correction",
        title="本溪市太子河水上乐园有限公司河道管理范围内建设项目工程建设方案审批", parties=["shuishang"],
        summary="申请人拟在太子河平山段建设亲水平台及游船码头，申请工程建设方案审批。",
        matter="河道管理范围内建设项目工程建设方案审批（亲水平台及游船码头）",
        materials="申请书、建设项目所依据的文件、工程建设方案。",
        missing="一、防洪评价报告及专家评审意见；二、建设项目对第三人合法水事权益影响的说明及相关协议。",
    ),
    dict(
        unit="hehu", team=["luojia", "huanghai"], kind=Kind.PENALTY, procedure=Procedure.GENERAL,
        start_mode=StartMode.TRANSFERRED, on_site=True, started=2, until="start", pending="referral_only",
        title="细河南芬段疑似非法设置排污口（生态环境局移交）", parties=[],
        summary="本溪市生态环境局移交线索：细河南芬段发现不明排污口，涉及水行政主管部门职责。",
        source="本溪市生态环境局", referral="移交细河南芬段不明排污口线索一件，附现场照片及水质监测报告。",
    ),
    dict(
        unit="zhidui", team=["wangfang", "zhangming"], kind=Kind.INSPECTION, procedure=Procedure.SIMPLIFIED,
        start_mode=StartMode.EX_OFFICIO, on_site=True, started=1, until="start",
        title="本溪市桥北物业服务有限公司地下车库防汛检查", parties=["qiaobei"],
        summary="入冬前对易积水地下空间开展防汛隐患排查。",
    ),
]

# ---- small real files ---------------------------------------------------------------------------


def png_bytes(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    """A small RGB PNG (sky, river bank, water with waves), made with zlib and struct only."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        for x in range(width):
            if y < height * 0.35:
                px = (170 + y, 205 + y // 2, 240)
            elif y < height * 0.5:
                px = (95, 135 + (x * 7 + seed) % 20, 70)
            elif (x + 2 * y + seed) % 17 < 3:
                px = (205, 225, 245)
            else:
                px = (60, 120 + y % 10, 190)
            raw.extend(px)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---- when each step of a case happens ------------------------------------------------------------
# A case's steps, each on a working day counted from the day the case was opened (liuhen/demo/days.py:
# day n is the n-th working day after it) at a time of the working day: (day, "HH:MM"). The row the
# step writes is dated then (its ledger entry too); the texts of the records name the same days.
# A case may change some (`days` in its spec): a decision served late, a file archived late…

GENERAL_STEPS = {
    "open": (0, "09:00"),              # 立案登记 in the system
    "register": (0, "09:40"),          # the complaint / referral / application / emergency record
    "backfill": (0, "10:20"),          # the leader signs the 紧急先行启动补批表 (LC 8: within 24 h)
    "approve_start": (0, "14:30"),     # 立案审批表, signed by the 负责人
    "investigating": (0, "16:00"),     # → 调查取证
    "rights": (1, "09:05"),
    "inspect": (1, "10:10"),           # the 现场检查笔录 (the act at 09:20, INSPECTION_AT)
    "seize": (1, "11:40"),             # the 查封扣押现场笔录 (the act at 11:00)
    "revise_inspect": (1, "16:20"),
    "inquiry": (2, "14:50"),           # the 询问笔录 (the act at 14:00)
    "refusal": (2, "15:25"),
    "revise": (2, "16:10"),
    "investigated": (6, "16:30"),      # → 审查决定
    "opinion": (8, "10:00"),
    "notice": (8, "15:00"),            # 行政处罚告知书 served (行政处罚法 44): its periods run before the decision
    "review": (10, "15:00"),
    "send_back": (11, "10:00"),
    "collective": (13, "16:30"),
    "approval": (14, "10:30"),
    "decision": (15, "09:30"),
    "void": (15, "11:00"),
    "redecide": (15, "14:00"),
    "decided": (15, "16:00"),          # → 送达执行
    "mail_sent": (16, "10:00"),
    "served": (17, "11:00"),           # the 送达回证 (served at 10:00)
    "mail_received": (18, "15:00"),
    "mail_returned": (19, "10:00"),    # a mail that could not be delivered (→ 公告送达)
    "public_notice": (20, "09:30"),    # 公告送达: the notice posted and published
    "performed": (25, "10:00"),
    "recheck_deadline": (27, "17:00"),
    "recheck": (28, "11:00"),
    "service_done": (29, "16:00"),     # → 归档管理
    "closing": (32, "10:00"),
    "archived": (35, "10:00"),         # 归档登记表
    "archive": (35, "15:00"),          # the archivist receives the file
}

# 简易程序 (当场处罚): the act, the decision and its service on the spot in the morning; the officer
# enters them once the camera is docked in the afternoon, its video linked to the act's record.
SIMPLIFIED_STEPS = {
    "open": (0, "09:00"), "investigating": (0, "09:05"), "inspect": (0, "09:50"), "investigated": (0, "16:30"),
    "decision": (0, "16:40"), "decided": (0, "16:45"), "served": (0, "16:55"), "performed": (1, "10:00"),
    "service_done": (1, "16:00"), "closing": (3, "10:00"), "archived": (5, "10:00"), "archive": (5, "15:00"),
}

SERVED_AT = {Procedure.GENERAL: "10:00", Procedure.SIMPLIFIED: "10:10"}  # what the 送达回证 states
PUBLIC_NOTICE_AT = ("public_notice", "09:30")  # the 公告 posted (公告送达记录)


def _hm_plus(hm: str, minutes: int) -> str:
    t = datetime.datetime.combine(datetime.date(2000, 1, 1), datetime.time.fromisoformat(hm))
    return (t + datetime.timedelta(minutes=minutes)).strftime("%H:%M")


class Schedule:
    """When the steps of one case (its spec) happen, the demo being loaded at `now` on `today`."""

    def __init__(self, spec: dict, today: datetime.date, now: datetime.datetime):
        self.today, self.now = today, now
        mode = spec["start_mode"]
        if spec["procedure"] == Procedure.SIMPLIFIED:
            steps = dict(SIMPLIFIED_STEPS)
        else:
            steps = dict(GENERAL_STEPS)
            if mode in (StartMode.APPLICATION, StartMode.EMERGENCY):
                # Accepted (受理) or approved the working day after: the rest follows one day later.
                steps = {k: ((d + 1) if d else d, hm) for k, (d, hm) in steps.items()}
                steps["approve_start"], steps["investigating"] = (1, "14:30"), (1, "16:00")
                steps["acceptance"] = (1, "09:30")
        if mode == StartMode.EMERGENCY:
            # LC 8: an emergency starts when it happens — at night, on a holiday — and the case is
            # opened there and then; its 补批表 is drafted at once.
            at = spec["emergency_at"]
            steps["open"], steps["register"] = (0, _hm_plus(at, 10)), (0, _hm_plus(at, 40))
            self.start = today - datetime.timedelta(days=spec["started"])
            while spec.get("day_off") and demo_days.is_workday(self.start):  # whatever day the demo is built
                self.start -= datetime.timedelta(days=1)
        elif "act_days_ago" in spec:  # its first act on a given day (the story's video of it)
            self.start = demo_days.on_or_before(demo_days.back(today, spec["act_days_ago"]) - datetime.timedelta(days=1))
        else:
            self.start = demo_days.back(today, spec["started"])
        steps.update(spec.get("days", {}))
        self.steps = steps
        # Every step of a case before today (today's work is the story's: liuhen/demo/footage.py).
        self.last = max(self.start, demo_days.on_or_before(today - datetime.timedelta(days=1)))

    def day(self, n: int) -> datetime.date:
        """The n-th working day of the case (0: the day it was opened), never after the last working
        day before today."""
        return min(self.last, demo_days.after(self.start, n))

    def when(self, key: str, hm: str | None = None) -> datetime.datetime:
        """When step `key` happens (at `hm` on its day, if given): aware, never after now."""
        n, step_hm = self.steps[key]
        at = timezone.make_aware(datetime.datetime.combine(self.day(n), datetime.time.fromisoformat(hm or step_hm)))
        return min(at, self.now - datetime.timedelta(minutes=5))

    def dt(self, key: str, hm: str) -> str:
        """`hm` on the day of step `key`, as a record's time field states it (naive, the agency's zone)."""
        return timezone.localtime(self.when(key, hm)).replace(tzinfo=None).isoformat(timespec="minutes")

    def date(self, key: str) -> str:
        return self.day(self.steps[key][0]).isoformat()


class _Dates(dict):
    """format_map helper: "{d12}" is the Chinese date of the case's working day 12 (not after today)."""

    def __init__(self, day):
        super().__init__()
        self.day = day

    def __missing__(self, key):
        return cn_date(self.day(int(key[1:])))


# ---- the builder ----------------------------------------------------------------------------------


class _Case:
    def __init__(self, builder, spec):
        self.b = builder
        self.spec = spec
        self.team = self.lead = self.unit_head = None  # bind(), once the people exist
        self.case = None
        self.party_names = [PARTIES[k]["name"] for k in spec["parties"]]
        self.schedule = Schedule(spec, builder.today, builder.now)

    def bind(self):
        self.team = [self.b.people[u] for u in self.spec["team"]]
        self.lead = self.team[0]
        self.unit_head = self.b.people[UNIT_HEAD_OF[self.spec["unit"]]]

    def day(self, n: int) -> datetime.date:
        return self.schedule.day(n)

    def at(self, key: str, hm: str | None = None):
        """The block runs when step `key` happens (liuhen/demo/timeline.py: in time order with the rest)."""
        return demo_footage.clock_at(self.schedule.when(key, hm))

    def dt(self, key: str, hm: str) -> str:
        return self.schedule.dt(key, hm)

    def date(self, key: str) -> str:
        return self.schedule.date(key)

    def text(self, key: str, default: str = "") -> str:
        return self.spec.get(key, default).format_map(_Dates(self.day))

    @property
    def party(self) -> str:
        return self.party_names[0]

    @property
    def place(self) -> str:
        return self.spec.get("place") or PARTIES[self.spec["parties"][0]]["address"]


class _Builder:
    def __init__(self, cases_only: bool = False):
        # cases_only (build_demo): every case with its records, not the history later parts add to them
        self.cases_only = cases_only
        self.now = timezone.now()  # the moment the demo is loaded: nothing is dated after it
        self.today = timezone.localdate()
        self.since = demo_footage._local(demo_days.back(self.today, 310), "09:00")  # the agency's accounts
        self.types = {t.code: t for t in RecordType.objects.all()}
        self.people: dict[str, User] = {}
        self.counts = {"records": 0, "attachments": 0, "signatures": 0, "links": 0}
        self.story = None  # liuhen/demo/footage.py: the recorders' days (None without ffmpeg)
        self.timeline = None
        self.built: list[_Case] = []  # the cases opened so far (in time order)
        self.devices: dict = {}

    def days_ago(self, n: int, hm: str) -> datetime.datetime:
        """`hm` on the working day n calendar days ago."""
        return demo_footage._local(demo_days.back(self.today, n), hm)

    # -- people ----------------------------------------------------------------------------------
    def build_people(self):
        self.agency = acc.create_agency(
            None, name=AGENCY_NAME, short_name=AGENCY_SHORT, credit_code=credit_code("11", "210500", "00119872"),
            address="本溪市平山区北地街道东明路1号", phone="024-42842110")
        self.units = {key: acc.create_unit(None, self.agency, name=name) for key, name in UNITS.items()}
        n = 0
        system_admin = None
        for username, full_name, roles, unit_key, cert, phone in PEOPLE:
            # The demo loader is the system itself (actor None): it creates each account with its
            # roles and a known password. An administrator could do neither: the system
            # administrator creates accounts, the security administrator grants roles (三员分立),
            # and a password an administrator set must be changed at its owner's first login.
            user = acc.create_user(None, username=username, full_name=full_name, password=DEMO_PASSWORD,
                                   agency=self.agency, unit=self.units.get(unit_key), roles=roles, phone=phone)
            self.people[username] = user
            if Role.SYSTEM_ADMIN in roles:
                system_admin = user
            if cert:
                n += 1
                if cert == "expired":
                    valid_from = self.today - datetime.timedelta(days=5 * 365 + 20)
                    valid_until = self.today - datetime.timedelta(days=20)
                else:
                    valid_from = self.today - datetime.timedelta(days=400 + 37 * n)
                    valid_until = valid_from + datetime.timedelta(days=5 * 365)
                acc.issue_certificate(system_admin, user, number=f"辽B210500{n:04d}", valid_from=valid_from,
                                      valid_until=valid_until, issued_by="辽宁省人民政府")


    # -- records ---------------------------------------------------------------------------------
    def record(self, c: _Case, code: str, data: dict, *, at=None, by=None, officers=None, party=None, leader=None,
               files=(), sign=True, opinion="", decision="同意"):
        """Create a record and (unless sign=False) sign it as its type's rule asks — at step `at` of
        the case (None: at the time the caller's block runs).

        `officers`: how many of the team sign (default: the rule's count); `party`: the party's name
        (default: the first party, when the rule asks for one); `leader`: who signs as leader (False:
        nobody yet).
        """
        with c.at(at) if at else contextlib.nullcontext():
            rt = self.types[code]
            by = by or c.lead
            rec = records.create_record(by, c.case, rt, data)
            self.counts["records"] += 1
            for name, content, ctype in files:
                records.attach(by, rec, io.BytesIO(content), name, ctype)
                self.counts["attachments"] += 1
            if not sign:
                return rec
            signers = [by] + [u for u in c.team if u != by]
            party_name = None if party is False else (party or (c.party if c.party_names else None))
            # As the rule in force asks (liuhen.testing.signing): the legal reviewer and the archivist
            # sign their own records, the reviewer writing the 法制审核 conclusion (LW-L 15) and opinion.
            # The party signs on the officer's tablet: with a drawn mark (签名笔迹, demo/marks.py).
            self.counts["signatures"] += sign_as_rule_asks(
                rec, officers=signers if officers is None else signers[:officers],
                party_name=party_name, party_mark=demo_marks.party_mark(party_name) if party_name else None,
                recorded_by=by, leader=leader or None, unit_head=c.unit_head, agency_head=self.people["liujianguo"],
                reviewer=self.people["zhenghui"], archivist=self.people["wuxiulan"], opinion=opinion,
                decision=decision, skip=("leader",) if leader is False else ())
            return rec

    def advance(self, c: _Case, note: str = ""):
        c.case = cases.advance(c.lead, c.case, note)

    # -- the five stages, as a complete case goes through them ------------------------------------
    def open(self, c: _Case):
        s = c.spec
        with c.at("open"):
            c.case = cases.open_case(c.lead, title=s["title"], kind=s["kind"], procedure=s["procedure"],
                                     start_mode=s["start_mode"], on_site=s["on_site"], officers=c.team[1:],
                                     summary=s.get("summary", ""))
            self.built.append(c)
            for key in s["parties"]:
                cases.add_party(c.lead, c.case, **PARTIES[key])
        for username in s.get("assign", []):
            with c.at("open", _hm_plus(c.schedule.steps["open"][1], 50)):
                cases.assign_officer(c.unit_head, c.case, self.people[username])
                c.team.append(self.people[username])

    def stage_start(self, c: _Case, complete: bool = True):
        s = c.spec
        if s["procedure"] == Procedure.SIMPLIFIED:
            return
        mode = s["start_mode"]
        if mode == StartMode.APPLICATION:
            self.record(c, "application_register", {
                "applicant": c.party, "matter": c.text("matter"), "received_at": c.dt("register", "09:30"),
                "materials": c.text("materials")}, at="register")
            if complete:
                self.record(c, "acceptance_notice", {
                    "matter": c.text("matter"), "accepted_on": c.date("acceptance"),
                    "time_limit": "自受理之日起二十个工作日"}, at="acceptance")
            return
        if mode == StartMode.COMPLAINT:
            self.record(c, "complaint_register", {
                "complainant": c.text("complainant"), "real_name": "实名" in c.text("complainant"),
                "content": c.text("complaint"), "received_at": c.dt("register", "09:15")}, at="register")
        elif mode in (StartMode.ASSIGNED, StartMode.TRANSFERRED):
            self.record(c, "referral_register", {
                "source": c.text("source"), "content": c.text("referral"), "received_on": c.date("register")},
                at="register")
        elif mode == StartMode.EMERGENCY:
            # LC 8, LQ 8: drafted at once; the leader signs it when he does (`backfill`: within 24 h,
            # or late) — its own task on the timeline, as the case goes on meanwhile.
            rec = self.record(c, "emergency_start_approval", {
                "started_at": c.dt("open", s["emergency_at"]), "reason": c.text("emergency")},
                at="register", leader=False)
            self.timeline.task(c.schedule.when("backfill"), self.backfill, c, rec)
        if complete:
            self.start_approval(c)

    def backfill(self, c: _Case, rec):
        records.sign_as_leader(self.people["zhouhaitao"], rec, opinion=c.text("leader_opinion"))
        self.counts["signatures"] += 1

    def start_approval(self, c: _Case, leader=None):
        return self.record(c, "start_approval", {
            "reason": c.text("reason"), "party": "、".join(c.party_names) or "待查明",
            "handler_opinion": c.text("handler_opinion")}, at="approve_start", leader=leader,
            opinion=c.text("unit_opinion"))

    def rights_notice(self, c: _Case):
        return self.record(c, "rights_notice", {
            "rights": c.text("rights", WATER_LAW_RIGHTS), "time": c.dt("rights", "09:00"), "place": c.place},
            at="rights")

    def inspection(self, c: _Case, sign=True):
        files = ()
        if c.spec.get("attach"):
            note = (f"现场情况说明\n\n时间：{cn_date(c.day(c.schedule.steps['inspect'][0]))}上午\n地点：{c.place}\n"
                    f"执法人员：{'、'.join(u.full_name for u in c.team)}\n\n{c.text('inspect')}\n\n"
                    "现场拍摄照片及执法记录仪视频已按规定上传。\n")
            files = (("现场情况说明.txt", note.encode("utf-8"), "text/plain; charset=utf-8"),
                     ("现场照片.png", png_bytes(seed=c.case.pk), "image/png"))
        rec = self.record(c, "inspection_record", {
            "time": c.dt(*INSPECTION_AT), "place": c.place, "certificates_shown": True,
            "present": c.text("present"), "findings": c.text("inspect")}, at="inspect", files=files, sign=sign)
        self.link_footage(c, rec)
        return rec

    def link_footage(self, c: _Case, rec):
        """The video of the act `rec` documents (filmed in liuhen/demo/footage.py), linked to it by
        the officer who filmed it once the camera is docked (LQ 19): that afternoon, or the next
        working morning."""
        if self.story is None:
            return
        docked = self.story.docked_at((c.spec["title"], rec.record_type.code))
        if docked is None:
            return
        at = docked + datetime.timedelta(minutes=12)
        if timezone.localtime(at).time() > datetime.time(17, 30):
            at = demo_footage._local(demo_days.after(timezone.localdate(at), 1), "08:50")
        self.timeline.task(min(at, self.now - datetime.timedelta(minutes=4)), self._link, c, rec)

    def _link(self, c: _Case, rec):
        if self.story.link_act(c.case, rec) is not None:
            self.counts["links"] += 1

    def inquiry(self, c: _Case, **kw):
        rec = self.record(c, "inquiry_record", {
            "time": c.dt(*INQUIRY_AT), "place": "本溪市水务局询问室", "interviewee": c.text("interviewee"),
            "certificates_shown": True, "content": c.text("inquiry")}, **kw)
        self.link_footage(c, rec)
        return rec

    def stage_investigation(self, c: _Case):
        s = c.spec
        if s["procedure"] == Procedure.GENERAL:
            self.rights_notice(c)
        if "inspect" in s:
            self.inspection(c)
        if "evidence_request" in s:
            # 调取证据通知书 (行政处罚法 55): the investigation without an on-site act.
            recipient, evidence = s["evidence_request"]
            self.record(c, "evidence_request_notice", {
                "recipient": recipient, "evidence": evidence,
                "deadline": demo_days.after(c.day(c.schedule.steps["inspect"][0]), 7).isoformat()}, at="inspect")
        if "e_address" in s:
            # 送达地址确认书 (民事诉讼法 90): the party gives its addresses and consents to 电子送达 there.
            self.record(c, "address_confirmation", {
                "postal_address": PARTIES[s["parties"][0]]["address"], "phone": PARTIES[s["parties"][0]]["phone"],
                "e_address": s["e_address"], "e_consent": True, "signed_at": c.dt("rights", "09:30")}, at="rights")
        if "seizure" in s:
            rec = self.record(c, "seizure_record", {
                "time": c.dt(*SEIZURE_AT), "place": c.place, "measure": "扣押", "items": c.text("seizure"),
                "basis": "《中华人民共和国行政强制法》第九条、第二十二条"}, at="seize")
            self.link_footage(c, rec)
            demo_property.register_seized(self, c, rec)  # 涉案财物 (liuhen/demo/property.py)
        if "inquiry" in s:
            if "revise" in s:
                rec = self.inquiry(c, sign=False, at="inquiry")
                with c.at("revise"):
                    extra, reason = s["revise"]
                    data = dict(rec.versions.get(number=1).content)
                    data["content"] = data["content"] + "\n" + extra
                    records.revise_record(c.lead, rec, data, reason)
                    self.sign_all(c, rec)
            elif "refuse_inquiry" in s:
                with c.at("inquiry"):
                    rec = self.inquiry(c, party=False)
                    sig = records.record_other_signature(c.lead, rec, role=SignerRole.PARTY, signer_name=c.party,
                                                         refused=True, reason=c.text("refuse_inquiry"))
                    records.confirm_refusal(c.team[1], sig)
                self.record(c, "refusal_note", {
                    "time": c.dt("refusal", "15:10"), "place": "本溪市水务局询问室",
                    "what": f"当事人{c.party}对询问笔录内容无异议，但{c.text('refuse_inquiry')}。"
                            "经两名执法人员确认，现场同步录音录像。"}, at="refusal")
            else:
                self.inquiry(c, at="inquiry")

    def sign_all(self, c: _Case, rec):
        rule = rec.record_type.signature_rule
        for officer in c.team[: rule.get("officers", 0)]:
            records.sign_as_officer(officer, rec)
        if rule.get("party"):  # signed on the officer's tablet: with a drawn mark (签名笔迹)
            records.record_other_signature(c.lead, rec, role=SignerRole.PARTY, signer_name=c.party,
                                           **demo_marks.party_mark(c.party))

    def handling_opinion(self, c: _Case):
        return self.record(c, "handling_opinion", {
            k: c.text(k) for k in ("facts", "basis", "evidence", "discretion", "proposal")}, at="opinion")

    def legal_review(self, c: _Case, outcome="同意"):
        return self.record(c, "legal_review_record", {
            "matter": f"{c.case.title}案处理意见送审"}, at="review", opinion=c.text("legal_review"), decision=outcome)

    def leader_approval(self, c: _Case, sign=True):
        leader = self.people[c.spec.get("approver", UNIT_HEAD_OF[c.spec["unit"]])]
        return self.record(c, "leader_approval", {"matter": "处理意见及法制审核意见"}, at="approval", leader=leader,
                           sign=sign, opinion=c.text("approval"))

    def decision(self, c: _Case, doc_number=None, at="decision"):
        # The 文号 is given when the decision is issued (documents): typed only for a number given on
        # paper before — here the one written wrong and voided (pending_decision_voided).
        return self.record(c, "decision", {
            **({"doc_number": doc_number} if doc_number else {}),
            "facts": c.text("facts"), "basis": c.text("basis"), "content": c.text("decision"),
            "remedy": "如不服本决定，可自收到本决定书之日起六十日内向本溪市人民政府申请行政复议，"
                      "或者在六个月内向本溪市平山区人民法院提起行政诉讼。",
            "decided_on": c.date("decision"), **c.spec.get("penalty", {})}, at=at)

    def penalty_notice(self, c: _Case):
        """行政处罚告知书 (行政处罚法 44), served on the party at the step "notice"; the party's waiver
        of the rights there too, where the case says so."""
        at = c.dt("notice", c.schedule.steps["notice"][1])
        self.record(c, "penalty_notice", {
            "facts": c.text("facts"), "basis": c.text("basis"), **c.spec["penalty"],
            "rights": WATER_LAW_RIGHTS, "notified_at": at}, at="notice")
        if "waive" in c.spec:
            self.record(c, "rights_waiver", {"waived": c.spec["waive"], "waived_at": at}, at="notice")

    def stage_decision(self, c: _Case):
        s = c.spec
        if s["procedure"] == Procedure.GENERAL:
            self.handling_opinion(c)
            if "penalty" in s:
                self.penalty_notice(c)
            if "legal_review" in s:
                self.legal_review(c)
            if "collective" in s:
                self.record(c, "collective_discussion", {
                    "time": c.dt("collective", "15:00"), "place": "本溪市水务局三楼会议室",
                    "participants": "刘建国、周海涛、郑慧、" + c.unit_head.full_name + "、" + c.lead.full_name,
                    "discussion": f"承办人{c.lead.full_name}汇报案件事实、证据和处理意见，法制审核人员郑慧发表审核意见。",
                    "conclusion": c.text("collective")}, at="collective", leader=self.people["liujianguo"])
            self.leader_approval(c)
        self.decision(c)

    def service_receipt(self, c: _Case, **kw):
        """直接送达 to the party, who signs as 本人 (民事诉讼法 87-88)."""
        return self.record(c, "service_receipt", {
            "document": c.text("decision_doc"), "method": "直接送达",
            "served_at": c.dt("served", SERVED_AT[c.spec["procedure"]]), "place": c.place, "addressee": c.party,
            "receiver": c.party, "receiver_relation": "本人"},
            at="served", **kw)

    def mail(self, c: _Case, *, received: bool = True):
        """邮寄送达 (民事诉讼法 91): the posting slip and, once received, the return receipt kept."""
        files = [("邮件详情单.png", png_bytes(seed=c.case.pk + 7), "image/png")]
        if received:
            files.append(("邮件回执.png", png_bytes(seed=c.case.pk + 8), "image/png"))
        return self.record(c, "mail_receipt", {
            "document": c.text("decision_doc"), "tracking_number": f"1127{c.case.pk:04d}58312",
            "sent_on": c.date("mail_sent"), "received_on": c.date("mail_received") if received else ""},
            at="mail_received" if received else "mail_returned", files=files)

    def lien_service(self, c: _Case):
        """留置送达 (民事诉讼法 89): the party refuses; the document is left before a witness, the act
        filmed (its video linked once docked), the refusal confirmed by the two officers (LQ 17)."""
        witness, identity = c.spec["lien_witness"]
        with c.at("served"):
            rec = self.record(c, "service_receipt", {
                "document": c.text("decision_doc"), "method": "留置送达",
                "served_at": c.dt("served", SERVED_AT[c.spec["procedure"]]), "place": c.place, "addressee": c.party,
                "witness": witness, "witness_identity": identity, "refusal_reason": c.text("lien_refusal"),
                "refused_on": c.date("served"), "note": "决定书留置于当事人住所，送达过程全程录像。"}, party=False)
            sig = records.record_other_signature(c.lead, rec, role=SignerRole.PARTY, signer_name=c.party,
                                                 refused=True, reason=c.text("lien_refusal"))
            records.confirm_refusal(c.team[1], sig)
        self.link_footage(c, rec)
        return rec

    def stage_service(self, c: _Case):
        s = c.spec
        if s.get("service") == "mail":
            self.mail(c)
        elif s.get("service") == "lien":
            self.lien_service(c)
        else:
            self.service_receipt(c)
        if "seizure" in s:
            demo_property.handle(self, c)  # the seized items returned or sold (liuhen/demo/property.py)
        if "performed" in s:
            demo_execution.fine_paid(self, c)  # the fine the record says was paid (liuhen/demo/execution.py)
            self.record(c, "performance_record", {
                "performed": c.text("performed"), "checked_on": c.date("performed")}, at="performed")
        if "recheck" in s:
            # 责令改正 (行政处罚法 28; BX 10): the order with its deadline, served with the decision, then
            # the re-check at the deadline.
            self.record(c, "rectification_order", {
                "violation": c.text("facts"), "requirement": c.text("decision"), "basis": c.text("basis"),
                "deadline": c.date("recheck_deadline"), "issued_on": c.date("served")}, at="served")
            self.record(c, "rectification_check", {
                "deadline": c.date("recheck_deadline"), "outcome": "已按期改正", "result": c.text("recheck"),
                "time": c.dt("recheck", "09:30"), "place": c.place}, at="recheck")

    def stage_archive(self, c: _Case, complete: bool = True):
        # 归档管理 asks for a 结案报告 approved by a leader (general procedure) and an 归档登记表
        # signed by the archivist (both procedures): see cases/requirements.py.
        self.record(c, "closing_report", {"summary": c.text("closing"), "closed_on": c.date("closing")},
                    at="closing", leader=None if complete else False)
        if complete:
            self.archive_register(c)

    def archive_register(self, c: _Case, sign=True):
        with c.at("archived"):
            n = c.case.records.count()
            return self.record(c, "archive_register", {
                "file_count": n + 1, "av_count": 2 if c.spec["on_site"] else 0,
                "archived_on": c.date("archived"), "archivist": self.people["wuxiulan"].full_name}, sign=sign)

    # -- the ways a case is left unfinished ----------------------------------------------------------
    def pending_closing_awaits_leader(self, c):
        # 结案报告 without the leader's signature, no 归档登记表 yet: cannot be archived.
        self.stage_archive(c, complete=False)

    def pending_closing_done(self, c):
        # 结案报告 approved; the 归档登记表 drafted, not yet signed by officer and archivist.
        self.record(c, "closing_report", {"summary": c.text("closing"), "closed_on": c.date("closing")},
                    at="closing")
        self.archive_register(c, sign=False)

    def pending_service_refused(self, c):
        # The party refused to sign the receipt; the second officer has not yet confirmed (LQ 17).
        with c.at("served"):
            rec = self.service_receipt(c, party=False)
            records.record_other_signature(c.lead, rec, role=SignerRole.PARTY, signer_name=c.party, refused=True,
                                           reason="当事人对处罚决定有异议，拒绝在送达回证上签字")

    def pending_service_draft(self, c):
        self.service_receipt(c, sign=False)

    def pending_service_public(self, c):
        # 公告送达 (民事诉讼法 95) after the mail came back: the notice posted ten days ago and kept
        # (its photo); it counts as served once the profile's days have run — 公告期未满 until then.
        self.mail(c, received=False)
        notice = self.record(c, "service_notice", {
            "document": c.text("decision_doc"), "why": c.text("public_why"), "address_unknown": True,
            "medium": "本溪市水务局公告栏及门户网站", "published_on": c.date("public_notice")}, at=PUBLIC_NOTICE_AT[0],
            files=[("公告.png", png_bytes(seed=c.case.pk + 9), "image/png")])
        self.link_footage(c, notice)
        if self.story is None:  # no footage without ffmpeg: the safety net of build_case (AS 8)
            notes = demo_av.cover_missing(c.case, c.team, c.unit_head)
            self.counts["records"] += len(notes)
            self.counts["signatures"] += sum(n.signatures.count() for n in notes)

    def pending_approval_awaits_leader(self, c):
        self.handling_opinion(c)
        self.legal_review(c)
        self.leader_approval(c, sign=False)

    def pending_decision_missing(self, c):
        self.handling_opinion(c)
        self.leader_approval(c)

    def pending_decision_voided(self, c):
        self.handling_opinion(c)
        self.leader_approval(c)
        wrong = self.decision(c, doc_number=c.case.number.replace(str(c.case.year), str(c.case.year - 1)))
        with c.at("void"):
            records.void_record(c.lead, wrong, "文号年份错误，作废后重新制作")
        self.decision(c, at="redecide")

    def pending_inquiry_one_officer(self, c):
        self.rights_notice(c)
        rec = self.record(c, "inspection_record", {
            "time": c.dt(*INSPECTION_AT), "place": c.place, "certificates_shown": True, "present": c.party,
            "findings": "太子河右岸河道管理范围内搭建彩钢房一处，面积约120平方米，内有养殖鸭棚。"},
            at="inspect", sign=False, files=(("现场情况说明.txt",
                                              f"现场情况说明\n\n{cn_date(c.day(1))}，执法人员{c.lead.full_name}、"
                                              f"{c.team[1].full_name}到{c.place}核查举报线索，彩钢房已建成并投入使用。\n"
                                              .encode("utf-8"), "text/plain; charset=utf-8"),))
        if self.story is not None and c.spec.get("act_days_ago"):  # the story filmed it
            self.timeline.task(self.story.linked_docked + datetime.timedelta(minutes=14), self.link_at_zhaochanghai,
                               c, rec)
        self.inquiry(c, officers=1, party=False, at="inquiry")

    def pending_sent_back(self, c):
        self.handling_opinion(c)
        self.legal_review(c, outcome="补充调查或不予决定")
        with c.at("send_back"):
            c.case = cases.send_back(c.lead, c.case, "法制审核认为实际取水量认定证据不足，退回补充调查。")
            self.record(c, "evidence_request_notice", {
                "recipient": "国网本溪供电公司溪湖供电分公司",
                "evidence": "富民养殖专业合作社取水泵专用电表2025年1月至今的用电记录。",
                "deadline": min(self.today + datetime.timedelta(days=7),
                                c.day(c.schedule.steps["send_back"][0] + 7)).isoformat()}, sign=False)

    def pending_inspection_draft(self, c):
        self.rights_notice(c)
        rec = self.inspection(c, sign=False)
        if "not_filmed" in c.spec:
            # AS 8 第二款: the act went without a camera, and the reason was written and approved
            # that morning.
            with c.at("inspect", "11:30"):
                note = demo_av.approved_not_suitable(
                    c.case, c.team, self.people["linjing"], act_record=rec, reason_kind="涉及商业秘密",
                    reason=c.spec["not_filmed"], opinion="同意不进行音像记录，以现场检查笔录和文字记录为准。")
                self.counts["records"] += 1
                self.counts["signatures"] += note.signatures.count()
        with c.at("revise_inspect"):
            data = dict(rec.versions.get(number=1).content)
            data["findings"] += "抽查2026年取水台账，1至10月累计取水4.1万立方米，未超过许可水量。"
            records.revise_record(c.lead, rec, data, "补充取水台账抽查情况")

    def pending_start_awaits_leader(self, c):
        self.stage_start(c, complete=False)
        self.start_approval(c, leader=False)

    def pending_correction(self, c):
        self.stage_start(c, complete=False)
        self.record(c, "correction_notice", {
            "matter": c.text("matter"), "materials_missing": c.text("missing"),
            "deadline": (self.today + datetime.timedelta(days=10)).isoformat()}, at="acceptance")

    def pending_referral_only(self, c):
        self.stage_start(c, complete=False)

    # -- one case ---------------------------------------------------------------------------------
    def build_case(self, c: _Case) -> _Case:
        """One case, a task of the timeline: each step at its time (Schedule)."""
        spec = c.spec
        c.bind()
        self.open(c)
        until = spec["until"]
        stop = len(STAGE_ORDER) if until == "archived" else STAGE_ORDER.index(Stage(until))
        steps = [self.stage_start, self.stage_investigation, self.stage_decision, self.stage_service,
                 self.stage_archive]
        moves = [("investigating", "立案审批完成"), ("investigated", "调查终结"), ("decided", "决定已作出"),
                 ("service_done", "送达执行完毕"), ("archive", "归档")]
        for i in range(stop):
            steps[i](c)
            key, note = moves[i]
            with c.at(key):
                # Every act the AV rules ask footage for was filmed (liuhen/demo/footage.py) and its
                # video linked once docked: nothing to cover. Without ffmpeg there is no footage:
                # each act then gets an approved 不适宜音像记录说明 (AS 8), or the AV gate would stop
                # the case (LQ 19).
                av_notes = demo_av.cover_missing(c.case, c.team, c.unit_head)
                self.counts["records"] += len(av_notes)
                self.counts["signatures"] += sum(n.signatures.count() for n in av_notes)
                self.advance(c, note)
        if "pending" in spec:
            getattr(self, "pending_" + spec["pending"])(c)
        return c

    # -- devices (音像记录设备, LQ 24) and their footage (音像记录) --------------------------------------
    def build_devices(self):
        """The recorders kept by the 设备管理员 马骏, registered four months ago (before the oldest
        case). Out now: JL-001 and the camera XJ-01 (张明), JL-002 (李强, its clock 8 s fast:
        flagged); JL-003 was signed out with a clock never set and returned; SX-01 is being repaired."""
        keeper = self.people["majun"]
        zhidui = self.units["zhidui"]
        with demo_footage.clock_at(self.days_ago(120, "09:00")):
            for number, model, kind, unit in (
                    ("JL-001", "AXIS W110 执法记录仪", DeviceKind.BODY_CAMERA, zhidui),
                    ("JL-002", "AXIS W110 执法记录仪", DeviceKind.BODY_CAMERA, zhidui),
                    ("JL-003", "DSJ-Z8 执法记录仪", DeviceKind.BODY_CAMERA, zhidui),
                    ("JL-004", "DSJ-Z8 执法记录仪", DeviceKind.BODY_CAMERA, self.units["hehu"]),
                    ("JL-005", "DSJ-Z8 执法记录仪", DeviceKind.BODY_CAMERA, self.units["shuiziyuan"]),
                    ("XJ-01", "Canon EOS R50", DeviceKind.CAMERA, zhidui),
                    ("LY-01", "SONY ICD-UX570F", DeviceKind.AUDIO_RECORDER, zhidui),
                    ("SX-01", "SONY FDR-AX45", DeviceKind.VIDEO_CAMERA, None)):
                self.devices[number] = devices.add_device(keeper, agency=self.agency, number=number,
                                                          model_name=model, kind=kind, unit=unit, custodian=keeper)
        with demo_footage.clock_at(self.days_ago(12, "15:30")):
            # LQ 26: a fault reported, the camera sent to its supplier (the status only through these).
            device_life.report_fault(keeper, self.devices["SX-01"], note="变焦失灵，画面模糊")
            device_life.send_to_repair(keeper, self.devices["SX-01"], supplier="沈阳索尼特约维修站")

    def tell_story(self):
        """The recorders' days (liuhen/demo/footage.py): sign-outs with the pre-use check, returns,
        and what they recorded taken into custody — the demo cases' 现场检查 and 查封扣押 among it."""
        self.story.tell(self.people, self.devices)

    def link_at_zhaochanghai(self, c: _Case, record):
        """黄海's video of the 现场检查 at 赵长海's shed, docked that afternoon, linked to the case's
        现场检查笔录 (调查取证) — an act with its footage."""
        self.story.link_inspection(c.case, record)
        self.counts["links"] += 1

    def filmed_acts(self) -> list:
        """The acts of the demo cases the AV rules ask footage for, as build_case will write them:
        the 现场检查 and 查封扣押 of every case taken through 调查取证 — each filmed by the case's
        second officer (the first writes the 笔录) — and its 询问 (expected, not required: on the
        水政监察支队's recorder LY-01, or a camera of the unit). Not here: 赵长海's 现场检查 (the
        story's own video, link_at_zhaochanghai) and 龙泉酒业's (no camera: a trade secret, AS 8),
        whose cases are still in 调查取证."""
        names = {p[0]: p[1] for p in PEOPLE}
        acts = []
        for spec in CASES:
            if spec["until"] in (Stage.START, Stage.INVESTIGATION):
                continue
            schedule = Schedule(spec, self.today, self.now)
            holder = spec["team"][1]
            for key, code, (step, hm) in (("inspect", "inspection_record", INSPECTION_AT),
                                          ("seizure", "seizure_record", SEIZURE_AT),
                                          ("inquiry", "inquiry_record", INQUIRY_AT)):
                if key not in spec:
                    continue
                kind = "audio" if code == "inquiry_record" and spec["unit"] == "zhidui" else "video"
                at = schedule.when(step, hm)
                offset = datetime.timedelta(minutes=-1, seconds=-(20 + spec["started"] % 30))
                if code == "inspection_record" and "camera_started" in spec:
                    camera = datetime.datetime.combine(timezone.localdate(at),
                                                       datetime.time.fromisoformat(spec["camera_started"]))
                    offset = timezone.make_aware(camera) - at + datetime.timedelta(seconds=spec["started"] % 30)
                acts.append(demo_footage.Act((spec["title"], code), at, holder, names[holder], spec["unit"],
                                             camera_offset=offset, seconds=5.0 + spec["started"] % 3, kind=kind))
            # 留置送达 and the posting of a 公告送达 are filmed (民事诉讼法 89, 95; LQ 19).
            for key, code, (step, hm) in (("lien_witness", "service_receipt", ("served", SERVED_AT[spec["procedure"]])),
                                          ("public_why", "service_notice", PUBLIC_NOTICE_AT)):
                if key in spec:
                    acts.append(demo_footage.Act((spec["title"], code), schedule.when(step, hm), holder, names[holder],
                                                 spec["unit"], camera_offset=datetime.timedelta(minutes=-1, seconds=-40),
                                                 seconds=5.0, kind="video"))
        return acts

    def build(self) -> dict:
        """The demo's history, played in time order (liuhen/demo/timeline.py): each part below is a
        task that starts at its time and writes each of its steps under clock_at(when); the timeline
        interleaves them so that the ledger's order is the order in which things happened."""
        if demo_footage.ffmpeg_available():
            # The files are made (ffmpeg, in parallel) while the people's passwords are hashed.
            self.story = demo_footage.Story(self.filmed_acts())
            self.story.start()
        self.timeline = line = Timeline()
        try:
            line.task(self.since, self.build_people)
            # ---- PLUG-IN 1: the agency's setup, before any case is opened (profiles, working-day
            # calendars…): one task each, after the people, e.g.
            #   line.task(self.since + datetime.timedelta(hours=1), lambda: self.counts.update(demo_profiles.build(self)))
            # The State Council's holiday notices (liuhen/demo/workdays.py) and the agency's profile, BX
            # (liuhen/demo/profiles.py), before the first case: every case keeps the version it opened under.
            line.task(self.days_ago(305, "09:00"), lambda: self.counts.update(demo_workdays.build(self)))
            line.task(self.days_ago(100, "09:00"), lambda: self.counts.update(demo_profiles.build(self)))
            line.task(self.days_ago(120, "09:00"), self.build_devices)
            if self.story is not None:
                line.task(self.days_ago(120, "10:00"), self.tell_story)
            for spec in CASES:
                c = _Case(self, spec)
                line.task(c.schedule.when("open"), self.build_case, c)
            # 抽检 (LW-D 14), 证据复制, the devices' life, 保存与清理: each module plays its own days.
            line.task(self.days_ago(2, "09:00"), lambda: self.counts.update(demo_inspections.build(self)))
            line.task(self.days_ago(4, "09:00"), lambda: self.counts.update(demo_copies.build(self, self.built)))
            if not self.cases_only:
                # 归档后补充材料, 公开属性, 调用单 and a watermarked copy (liuhen/demo/archive.py).
                line.task(self.days_ago(2, "09:05"), lambda: self.counts.update(demo_archive.build(self, self.built)))
                line.task(self.days_ago(5, "10:00"),
                          lambda: self.counts.update(demo_documents_seal.build(self, self.built)))
            line.task(self.days_ago(120, "09:20"), lambda: self.counts.update(demo_devlife.build(self)))
            line.task(self.days_ago(240, "08:50"), lambda: self.counts.update(demo_retention.build(self, self.built)))
            line.task(self.days_ago(3, "08:30"), lambda: self.counts.update(demo_agency_rules.build(self)))
            # ---- PLUG-IN 2: parts that write history of their own (an evaluation round last week…):
            # a task starting at their first step, each step under clock_at(when), reading the cases
            # (self.built: those opened so far) inside its block, e.g.
            #   line.task(self.days_ago(10, "09:00"), lambda: self.counts.update(demo_evaluation.build(self, self.built)))
            # A findings scan every week of the three months (as the agency's nightly `liuhen check` would):
            # findings open and are resolved on their own days, so 执法监督's months tell the true story.
            for weeks in range(13, 0, -1):
                line.task(self.days_ago(7 * weeks, "07:30"), demo_findings.build, self)
            # 案卷评查 (liuhen/demo/evaluation.py): a round over the files archived by ten days ago.
            line.task(self.days_ago(10, "09:00"), lambda: self.counts.update(demo_evaluation.build(self, self.built)))
            # 重大执法决定法制审核 (liuhen/demo/legalreview.py): the reviewer's 法律职业资格, three major cases.
            line.task(self.days_ago(99, "10:00"), lambda: self.counts.update(demo_legalreview.build(self)))
            # 送达 by e-mail and by entrustment, instalments, an execution through the court (liuhen/demo/execution.py).
            line.task(self.days_ago(280, "10:00"), lambda: self.counts.update(demo_execution.build(self)))
            # 行政执法公示 (liuhen/demo/publicity.py): the agency's pages, then each decision's publication.
            line.task(self.days_ago(97, "09:30"), lambda: self.counts.update(demo_publicity.build(self)))
            line.run()
        finally:
            if self.story is not None:
                self.story.close()
        built = self.built
        # ---- PLUG-IN 3: after everything, at the moment of loading (a findings scan of all cases…):
        # a plain call here, no clock_at (a step dated in the past here would go back in the ledger), e.g.
        #   self.counts.update(demo_findings.build(self, built))
        self.counts.update(demo_findings.build(self))  # one full findings scan (liuhen/demo/findings.py)
        self.counts["devices"] = self.agency.devices.count()
        self.counts["footage"] = FootageItem.objects.filter(agency=self.agency, video__isnull=True).count()
        return {
            "agency": self.agency.name,
            "units": len(self.units),
            "users": len(self.people),
            "cases": len(built),
            "archived": sum(1 for c in built if c.case.is_archived),
            **self.counts,
        }


def build_demo(*, cases_only: bool = False) -> dict:
    """Load the demo agency, people and cases; do nothing if an agency already exists.

    Returns summary counts, or {} when nothing was loaded.

    `cases_only` (for the test of the demo without ffmpeg, which reads the cases' records): every case
    of the demo built as `liuhen demo` builds it, with the agency's setup and the parts that depend on
    whether there is footage (the devices' life, 证据复制, 保存与清理), but without what later parts
    only add to finished cases and never read of their footage — the 决定书 issued and sealed
    (documents_seal.py), 归档后补充材料 (archive.py), 行政执法公示's decisions (publicity.py), the
    送达 and 执行 of execution.py's cases after their 送达执行 stage. Those are half the build's time
    (PDFs, seals) and write no 不适宜音像记录说明.
    """
    if Agency.objects.exists():
        return {}
    if not RecordType.objects.exists():
        raise RuntimeError("记录类型目录为空，请先运行 liuhen migrate。")
    with transaction.atomic():
        return _Builder(cases_only=cases_only).build()


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(用户名, 姓名, 角色, 科室) of the demo accounts present in the database.

    An officer without a valid 执法证 is marked, so that whoever tries the demo knows why that
    officer cannot be named on a case.
    """
    users = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in PEOPLE])
             .select_related("unit").prefetch_related("groups", "certificates")}
    today = timezone.localdate()
    out = []
    for username, *_ in PEOPLE:
        user = users.get(username)
        if user is None:
            continue
        codes = {g.name for g in user.groups.all()} & set(Role.values)
        roles = "、".join(Role(c).label for c in Role.values if c in codes)
        if Role.OFFICER in codes and not any(c.is_valid_on(today) for c in user.certificates.all()):
            latest = max(user.certificates.all(), key=lambda c: c.valid_until, default=None)
            roles += ("（无执法证）" if latest is None else "（执法证已注销）" if latest.revoked
                      else "（执法证已过期）")
        out.append((user.username, user.full_name, roles, user.unit.name if user.unit else "—"))
    return out
