"""The record-type catalog: every document SPEC §1 names, with its fields and who must sign.

Field types: text, textarea, date, datetime, integer, choice (with "choices"), bool.
Signature rule (read by records.rules.SignatureRule): {"officers": N} N distinct case officers;
{"party": True} the party signs, or refuses and two officers confirm the refusal (LQ 17);
{"leader": True} a unit head or agency head signs ("unit_head" / "agency_head": only that one);
{"reviewer": True} a 法制审核人员 signs; {"archivist": True} a 档案管理员 signs. Overrides per kind
and procedure (a general-procedure penalty's approval by the 机关负责人) are in records.rules.

The fields are what the officers draft: facts. An approval's or review's opinion and decision are
not fields: the 负责人, 法制审核人员 or 档案管理员 writes them when signing (Signature.opinion,
Signature.decision). Synced into the RecordType table after every migrate (agencies may add their own).
"""

from liuhen.profiles.spec import ENFORCEMENT_MEASURES as SPEC_MEASURES
from liuhen.profiles.spec import PENALTY_KINDS

T, TA, D, DT, I, B = "text", "textarea", "date", "datetime", "integer", "bool"


def f(name, label, type_=T, required=True, **extra):
    return {"name": name, "label": label, "type": type_, "required": required, **extra}


WHEN_WHERE = [f("time", "时间", DT), f("place", "地点")]
OFFICERS_SHOWN = f("certificates_shown", "已出示执法证件", B, help="执法人员应主动出示执法证件")  # LC 10 亮证

# The intended or decided penalty as facts (行政处罚法 9): what the major-decision criteria, the hearing
# right (行政处罚法 63) and the rule against a heavier penalty after the defence (行政处罚法 45) read.
PENALTY = [f("penalty_kind", "处罚种类", "choice", required=False, choices=[label for _, label in PENALTY_KINDS],
             help="主要的处罚种类（行政处罚法第九条）"),
           f("fine_amount", "罚款金额（元）", I, required=False),
           f("confiscation_amount", "没收违法所得、非法财物金额（元）", I, required=False)]

SERVICE_METHODS = ["直接送达", "邮寄送达", "留置送达", "委托送达", "转交送达", "公告送达", "电子送达"]
RECEIVER_RELATIONS = ["本人", "成年家属", "单位收发部门", "代理人", "其他"]

RELEASE_REASONS = ["当事人没有违法行为", "查封、扣押的场所、设施或者财物与违法行为无关",
                   "行政机关对违法行为已经作出处理决定，不再需要查封、扣押", "查封、扣押期限已经届满",
                   "其他不再需要采取查封、扣押措施的情形"]  # 行政强制法 28
RECHECK_OUTCOMES = ["已按期改正", "部分改正", "未改正"]
STATEMENT_CONCLUSIONS = ["采纳", "部分采纳", "不采纳"]  # 行政强制法 36: 成立的，应当采纳
# 行政强制法 12: the ways of compulsory execution (the agency uses only those the law gives it, 13).
ENFORCEMENT_MEASURES = [label for _, label in SPEC_MEASURES]
COURT_OUTCOMES = ["已受理", "不予受理", "裁定准予执行", "裁定不予执行", "执行完毕"]  # 行政强制法 56-58
SUSPENSION_REASONS = ["当事人履行行政决定确有困难或者暂无履行能力", "第三人对执行标的主张权利，确有理由",
                      "执行可能造成难以弥补的损失，且中止执行不损害公共利益", "行政机关认为需要中止执行的其他情形"]  # 行政强制法 39
TERMINATION_REASONS = ["公民死亡，无遗产可供执行，又无义务承受人", "法人或者其他组织终止，无财产可供执行，又无义务承受人",
                       "执行标的灭失", "据以执行的行政决定被撤销", "行政机关认为需要终结执行的其他情形"]  # 行政强制法 40

AV_NOT_SUITABLE_REASONS = ["涉及国家秘密", "涉及商业秘密", "涉及个人隐私", "其他不适宜音像记录的情形"]


def AV_NOTES(stage: str, suffix: str) -> list[dict]:
    """The two written notes about a missing or cut-off audio-video record of an act (avrules):
    - 不适宜音像记录说明 (AS 8): why the act was not recorded; officers sign, a 负责人 approves;
    - 音像记录中断情况说明 (LQ 22): the recording stopped and could not be resumed — written after
      the on-site act and signed by two or more officers."""
    tail = "" if stage == "investigation" else "_" + stage
    act = f("act_serial", "对应笔录的案内序号", I, help="该执法环节笔录的案内序号（第几号）")
    return [
        dict(code="av_not_suitable" + tail, name="不适宜音像记录说明" + suffix, stage=stage,
             sign={"officers": 2, "leader": True},
             fields=[act, f("reason_kind", "不适宜音像记录的情形", "choice", choices=AV_NOT_SUITABLE_REASONS),
                     f("reason", "具体原因", TA)]),
        dict(code="av_stop_note" + tail, name="音像记录中断情况说明" + suffix, stage=stage, sign={"officers": 2},
             fields=[act, f("stopped_at", "中断时间", DT), f("reason", "中断原因及无法继续记录的情况", TA)]),
    ]

CATALOG = [
    # ---- 1. 程序启动 --------------------------------------------------------------------
    dict(code="application_register", name="申请登记表", stage="start", sign={"officers": 1},
         fields=[f("applicant", "申请人"), f("matter", "申请事项"), f("received_at", "接收时间", DT),
                 f("materials", "申请材料", TA)]),
    dict(code="acceptance_notice", name="受理通知书", stage="start", sign={"officers": 1},
         fields=[f("matter", "受理事项"), f("accepted_on", "受理日期", D), f("time_limit", "办理时限", required=False)]),
    dict(code="non_acceptance_decision", name="不予受理决定书", stage="start", sign={"officers": 1},
         fields=[f("matter", "申请事项"), f("reason", "不予受理理由", TA), f("remedy", "救济途径", TA)]),
    dict(code="correction_notice", name="一次性告知补正通知书", stage="start", sign={"officers": 1},
         fields=[f("matter", "申请事项"), f("materials_missing", "需补正材料", TA), f("deadline", "补正期限", D)]),
    # The 负责人's opinion (承办机构意见) is written when signing, not by the officer.
    dict(code="start_approval", name="程序启动审批表", stage="start", sign={"officers": 1, "leader": True},
         fields=[f("reason", "启动理由", TA), f("party", "当事人"), f("handler_opinion", "承办人意见", TA)]),
    dict(code="emergency_start_approval", name="紧急先行启动补批表", stage="start",
         sign={"officers": 1, "leader": True},
         fields=[f("started_at", "先行启动时间", DT), f("reason", "紧急情况说明", TA)]),
    dict(code="complaint_register", name="举报投诉登记表", stage="start", sign={"officers": 1},
         fields=[f("complainant", "举报人", required=False), f("real_name", "实名举报", B, required=False),
                 f("content", "举报内容", TA), f("received_at", "接收时间", DT)]),
    dict(code="complaint_reply", name="举报答复书", stage="start", sign={"officers": 1},
         fields=[f("complainant", "举报人"), f("reply", "答复内容（不予立案理由）", TA), f("replied_on", "答复日期", D)]),
    dict(code="referral_register", name="交办转办移交登记表", stage="start", sign={"officers": 1},
         fields=[f("source", "交办/移送机关"), f("content", "交办事项", TA), f("received_on", "接收日期", D)]),
    # ---- 2. 调查取证 --------------------------------------------------------------------
    dict(code="rights_notice", name="权利告知书", stage="investigation", sign={"officers": 2, "party": True},
         fields=[f("rights", "告知的权利", TA, default="陈述、申辩、申请回避、要求听证"), *WHEN_WHERE]),
    dict(code="inquiry_record", name="询问笔录", stage="investigation", sign={"officers": 2, "party": True},
         fields=[*WHEN_WHERE, f("interviewee", "被询问人"), OFFICERS_SHOWN,
                 f("content", "询问内容", TA)]),
    dict(code="inspection_record", name="现场检查(勘验)笔录", stage="investigation",
         sign={"officers": 2, "party": True},
         fields=[*WHEN_WHERE, OFFICERS_SHOWN, f("present", "在场人员", required=False),
                 f("findings", "检查情况", TA)]),
    dict(code="evidence_request_notice", name="调取证据通知书", stage="investigation", sign={"officers": 2},
         fields=[f("recipient", "被调取人"), f("evidence", "调取证据", TA), f("deadline", "提供期限", D)]),
    dict(code="evidence_preservation_list", name="证据登记保存清单", stage="investigation",
         sign={"officers": 2, "party": True},
         fields=[f("reason", "保存理由", TA), f("items", "物品清单", TA), f("place", "保存地点"),
                 f("form", "保存方式"), f("until", "保存期限", D)]),
    dict(code="sampling_notice", name="抽样取证通知书", stage="investigation", sign={"officers": 2, "party": True},
         fields=[*WHEN_WHERE, f("samples", "抽样物品", TA), f("method", "抽样方法")]),
    dict(code="item_list", name="物品清单", stage="investigation", sign={"officers": 2, "party": True},
         fields=[f("items", "物品名称、规格、数量", TA)]),
    dict(code="seizure_record", name="查封扣押现场笔录", stage="investigation", sign={"officers": 2, "party": True},
         fields=[*WHEN_WHERE, f("measure", "措施", "choice", choices=["查封", "扣押", "封存"]),
                 f("items", "对象清单", TA), f("basis", "依据", TA)]),
    # 行政强制法 28: the 查封、扣押 released before a decision (no violation, unrelated items, the term run…),
    # the items returned at once; it ends the seizure's term (liuhen.caseproperty).
    dict(code="seizure_release", name="解除查封扣押决定书", stage="investigation", sign={"officers": 1, "leader": True},
         fields=[f("reason", "解除事由", "choice", choices=RELEASE_REASONS), f("items", "解除的财物", TA),
                 f("released_on", "解除日期", D)]),
    # 行政强制法 25: 查封、扣押 last at most 30 days; a complex case, once, 30 more with the head's approval.
    dict(code="seizure_extension", name="延长查封扣押期限审批表", stage="investigation",
         sign={"officers": 1, "leader": True},
         fields=[f("reason", "延长理由", TA), f("days", "延长日数", I), f("notified_on", "告知当事人日期", D, required=False)]),
    dict(code="statement_record", name="陈述申辩笔录", stage="investigation", sign={"officers": 2, "party": True},
         fields=[*WHEN_WHERE, f("statement", "陈述申辩内容", TA)]),
    dict(code="hearing_record", name="听证笔录", stage="investigation", sign={"officers": 2, "party": True},
         fields=[*WHEN_WHERE, f("host", "主持人"), f("participants", "参加人", TA), f("content", "听证过程", TA)]),
    dict(code="expert_opinion", name="鉴定意见", stage="investigation", sign={"officers": 1},
         fields=[f("institution", "鉴定机构"), f("subject", "鉴定事项"), f("opinion", "鉴定意见", TA)]),
    dict(code="refusal_note", name="拒绝签字或不配合情况记录", stage="investigation", sign={"officers": 2},
         fields=[*WHEN_WHERE, f("what", "拒绝或不配合情况", TA)]),
    # 送达地址确认书 (民事诉讼法 90): where the party accepts documents, and whether by electronic means
    # — 电子送达 only with this consent, to the address given here (the delivery app checks it).
    dict(code="address_confirmation", name="送达地址确认书", stage="investigation", sign={"officers": 1, "party": True},
         fields=[f("postal_address", "送达地址"), f("phone", "联系电话"),
                 f("e_address", "电子送达地址（电子邮箱、传真号码等）", required=False),
                 f("e_consent", "同意电子送达", B, required=False), f("signed_at", "确认时间", DT)]),
    dict(code="investigation_report", name="调查终结报告", stage="investigation", sign={"officers": 2},
         fields=[f("facts", "违法事实", TA), f("evidence", "证据", TA), f("proposal", "处理建议", TA)]),
    # ---- 音像记录 (avrules): one type per stage, as a record is made only in its own stage ----------
    # AS 8: where audio-video recording is not suitable (国家秘密、商业秘密、个人隐私…), the reason is
    # written down; signed by the officers and approved by a 负责人. It names the act's record by its
    # 案内序号; the avrules gate pairs them (LQ 19).
    *AV_NOTES("investigation", ""),
    # ---- 3. 审查决定 --------------------------------------------------------------------
    dict(code="handling_opinion", name="处理意见", stage="decision", sign={"officers": 1},
         fields=[f("facts", "事实", TA), f("basis", "法律依据", TA), f("evidence", "证据", TA),
                 f("discretion", "裁量因素", TA), f("proposal", "处理建议", TA), *PENALTY]),
    # 行政处罚法 44-45, 63-65: before a penalty the party is told the intended decision and the rights to
    # state, defend and (for the penalties of art. 63) request a hearing; the rights app (liuhen.rights)
    # keeps the waiting period and the hearing windows, and refuses a heavier penalty after the defence.
    dict(code="penalty_notice", name="行政处罚告知书", stage="decision", sign={"officers": 1, "party": True},
         fields=[f("facts", "拟作出处罚的事实、理由", TA), f("basis", "依据", TA), *PENALTY,
                 f("rights", "告知的权利", TA, default="陈述、申辩；符合听证条件的，要求听证"),
                 f("notified_at", "告知（送达）时间", DT)]),
    dict(code="statement_hearing", name="陈述申辩笔录（告知后）", stage="decision", sign={"officers": 2, "party": True},
         fields=[*WHEN_WHERE, f("statement", "陈述、申辩内容", TA),
                 f("adopted", "复核结论", "choice", choices=["采纳", "部分采纳", "不予采纳"]),
                 f("reply", "复核意见及理由", TA)]),
    dict(code="rights_waiver", name="放弃陈述申辩、听证权利声明", stage="decision", sign={"officers": 1, "party": True},
         fields=[f("waived", "放弃的权利", "choice", choices=["陈述、申辩", "听证", "陈述、申辩和听证"]),
                 f("waived_at", "声明时间", DT)]),
    dict(code="hearing_request", name="听证申请记录", stage="decision", sign={"officers": 1, "party": True},
         fields=[f("requested_at", "提出听证申请的时间", DT), f("form", "申请方式", "choice", choices=["书面", "口头"])]),
    dict(code="hearing_notice", name="听证通知书", stage="decision", sign={"officers": 1},
         fields=[f("hearing_at", "举行听证的时间", DT), f("place", "地点"), f("host", "听证主持人"),
                 f("public", "是否公开举行", B, required=False), f("notified_at", "通知送达时间", DT)]),
    dict(code="hearing_transcript", name="听证会笔录", stage="decision", sign={"officers": 2, "party": True},
         fields=[*WHEN_WHERE, f("host", "主持人"), f("participants", "参加人", TA), f("content", "听证过程", TA)]),
    dict(code="hearing_report", name="听证报告", stage="decision", sign={"officers": 1},
         fields=[f("host", "听证主持人"), f("summary", "听证情况", TA), f("opinion", "处理意见及建议", TA)]),
    # LW-L 15: the reviewer's conclusion and opinion are the reviewer's signature (decision, opinion).
    # For a major decision it is made by 送审 (liuhen.legalreview: the package checked, LW-L 11) and
    # signed only through the review, point by point (LW-L 13).
    dict(code="legal_review_record", name="法制审核意见", stage="decision",
         sign={"reviewer": True, "reviewer_decisions": ["同意", "补充调查或不予决定", "变更", "纠正程序", "移送"]},
         fields=[f("matter", "送审事项", TA, required=False), f("materials", "送审材料", TA, required=False)]),
    dict(code="collective_discussion", name="集体讨论记录", stage="decision", sign={"officers": 1, "leader": True},
         fields=[*WHEN_WHERE, f("participants", "参加人员", TA), f("discussion", "讨论内容", TA),
                 f("conclusion", "讨论结论", TA)]),
    # 行政处罚法 57: for a general-procedure penalty the 机关负责人 approves (records.rules.OVERRIDES).
    dict(code="leader_approval", name="负责人审批", stage="decision", sign={"leader": True},
         fields=[f("matter", "报批事项", TA, required=False)]),
    dict(code="decision", name="决定书", stage="decision", sign={"officers": 1},
         # The 文号 is given when the document is issued (documents: from the agency's sequence, never
         # reused); the field stays for a number given on paper before, and is not printed.
         fields=[f("doc_number", "文号", required=False, help="签发时按本机关文号规则自动编号；仅线下已编号的填写"),
                 f("facts", "事实和理由", TA), f("basis", "依据", TA),
                 f("content", "决定内容", TA), f("remedy", "救济途径", TA), f("decided_on", "决定日期", D),
                 *PENALTY]),
    # ---- 4. 送达执行 --------------------------------------------------------------------
    # 行政处罚法 61 (送达 by 民事诉讼法 85-95): each way of service with what it needs to count; the
    # delivery app (liuhen.delivery) checks each method's fields and, at "served", its proof.
    dict(code="service_receipt", name="送达回证", stage="service", sign={"officers": 1, "party": True},
         fields=[f("document", "送达文书"),
                 f("doc_number", "送达文书文号", required=False, help="本案已签发文书的文号"),
                 f("method", "送达方式", "choice", choices=SERVICE_METHODS),
                 f("served_at", "送达时间", DT), f("place", "送达地点"),
                 f("addressee", "受送达人", required=False),
                 f("receiver", "受送达人/代收人", required=False),
                 f("receiver_relation", "收件人与受送达人关系", "choice", required=False, choices=RECEIVER_RELATIONS),
                 f("witness", "见证人（留置送达）", required=False),
                 f("witness_identity", "见证人身份/单位（留置送达）", required=False),
                 f("refusal_reason", "拒收事由（留置送达）", TA, required=False),
                 f("refused_on", "拒收日期（留置送达）", D, required=False),
                 f("entrust_reason", "委托、转交的原因（委托/转交送达）", TA, required=False),
                 f("receiving_body", "受托或转交机关（委托/转交送达）", required=False),
                 f("e_address", "电子送达地址（电子送达）", required=False),
                 f("note", "备注", TA, required=False)]),
    # 民事诉讼法 91: served on the date the addressee signs the return receipt (an attachment, kept).
    dict(code="mail_receipt", name="邮寄送达凭证", stage="service", sign={"officers": 1},
         fields=[f("document", "送达文书"), f("doc_number", "送达文书文号", required=False),
                 f("tracking_number", "邮件号码"), f("sent_on", "寄出日期", D),
                 f("received_on", "签收日期", D, required=False, help="以回执上的签收日期为送达日期；请上传寄件凭单和回执")]),
    # 民事诉讼法 95: only when the addressee cannot be found or the other methods failed; served after
    # the profile's days (delivery.public_notice_days); the notice itself is kept (an attachment).
    dict(code="service_notice", name="公告送达记录", stage="service", sign={"officers": 1},
         fields=[f("document", "送达文书"), f("doc_number", "送达文书文号", required=False),
                 f("why", "无法以其他方式送达的原因", TA),
                 f("address_unknown", "受送达人下落不明", B, required=False,
                   help="未选的，须有本案此前送达未成的记录（拒收的送达回证或未签收的邮件）"),
                 f("medium", "公告媒介"), f("published_on", "公告日期", D)]),
    dict(code="performance_record", name="履行情况记录", stage="service", sign={"officers": 1},
         fields=[f("performed", "履行情况", TA), f("checked_on", "核查日期", D)]),
    # ---- 责令改正 and its re-check (行政处罚法 28; BX 10, LC 23; the rectification app) ----------------
    dict(code="rectification_order", name="责令改正通知书", stage="service", sign={"officers": 2},
         fields=[f("violation", "违法行为", TA), f("requirement", "改正要求", TA), f("basis", "依据", TA),
                 f("deadline", "改正期限", D), f("issued_on", "发出日期", D)]),
    dict(code="rectification_check", name="整改复查记录", stage="service", sign={"officers": 2},
         fields=[f("deadline", "整改期限", D), f("outcome", "复查结论", "choice", choices=RECHECK_OUTCOMES),
                 f("result", "复查情况", TA), *WHEN_WHERE]),
    # ---- 行政强制执行 (行政强制法 35-40, 53-54; the enforcement app) ------------------------------------
    dict(code="reminder_notice", name="催告书", stage="service", sign={"officers": 1},
         fields=[f("obligation", "履行义务", TA), f("amount", "金额（元）", I, required=False),
                 f("deadline", "履行期限", D), f("manner", "履行方式", TA, required=False),
                 f("rights", "陈述申辩权利", TA), f("issued_on", "发出日期", D, required=False)]),
    dict(code="enforcement_statement", name="当事人陈述申辩及复核记录", stage="service", sign={"officers": 2},
         fields=[f("statement", "当事人陈述、申辩的事实和理由", TA), f("stated_on", "陈述申辩日期", D),
                 f("review", "复核意见", TA), f("adopted", "复核结论", "choice", choices=STATEMENT_CONCLUSIONS)]),
    dict(code="enforcement_decision", name="强制执行决定书", stage="service", sign={"officers": 1, "leader": True},
         fields=[f("measure_kind", "强制执行方式", "choice", choices=ENFORCEMENT_MEASURES),
                 f("measure", "强制执行的具体内容", TA), f("basis", "依据", TA), f("decided_on", "决定日期", D),
                 f("remedy", "救济途径", TA, required=False)]),
    dict(code="enforcement_measure", name="强制执行实施记录", stage="service", sign={"officers": 2},
         fields=[f("measure_kind", "强制执行方式", "choice", choices=ENFORCEMENT_MEASURES),
                 f("done", "实施情况", TA), *WHEN_WHERE]),
    dict(code="court_enforcement", name="申请法院强制执行记录", stage="service", sign={"officers": 1},
         fields=[f("court", "受理法院"), f("applied_on", "申请日期", D),
                 f("outcome", "法院处理结果", "choice", required=False, choices=COURT_OUTCOMES),
                 f("ruled_on", "裁定（结果）日期", D, required=False), f("result", "执行结果", TA, required=False)]),
    dict(code="enforcement_suspension", name="中止执行记录", stage="service", sign={"officers": 1, "leader": True},
         fields=[f("reason", "中止事由", "choice", choices=SUSPENSION_REASONS), f("facts", "情况说明", TA),
                 f("suspended_on", "中止日期", D), f("resumed_on", "恢复执行日期", D, required=False)]),
    dict(code="enforcement_termination", name="终结执行记录", stage="service", sign={"officers": 1, "leader": True},
         fields=[f("reason", "终结事由", "choice", choices=TERMINATION_REASONS), f("facts", "情况说明", TA),
                 f("ended_on", "终结日期", D)]),
    # ---- 罚没、查封扣押财物 (LQ 13(四); the caseproperty app keeps the lists, custody and handling) ----------
    dict(code="confiscated_property", name="罚没物品处理记录", stage="service", sign={"officers": 2},
         fields=[f("items", "物品", TA), f("handling", "处理方式", TA), f("handled_on", "处理日期", D)]),
    *AV_NOTES("service", "（送达）"),
    # ---- 5. 归档管理 --------------------------------------------------------------------
    dict(code="closing_report", name="结案报告", stage="archive", sign={"officers": 1, "leader": True},
         fields=[f("summary", "案件办理情况", TA), f("closed_on", "结案日期", D)]),
    dict(code="archive_register", name="归档登记表", stage="archive", sign={"officers": 1, "archivist": True},
         fields=[f("file_count", "卷内文件数", I), f("av_count", "音像资料数", I), f("archived_on", "归档日期", D),
                 f("archivist", "接收档案员")]),
]
