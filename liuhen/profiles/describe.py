"""A profile in words (记录事项清单): what each kind × procedure × stage requires, who signs, which
acts need audio-video recording, the deadlines, phrases and the score card — each with its article.
The page /profiles/ and `liuhen profile show` read the same lines.

Labels of kinds, procedures, stages and record types come from registries the higher apps fill
(cases, records); a code without a label is shown as itself."""
import difflib

from . import loader, spec

STAGE_LABELS = {"start": "程序启动", "investigation": "调查取证", "decision": "审查决定", "service": "送达执行",
                "archive": "归档管理"}
KIND_LABELS = {"licensing": "行政许可", "penalty": "行政处罚", "coercion": "行政强制", "inspection": "行政检查",
               "levy": "行政征收", "confirmation": "行政确认", "adjudication": "行政裁决", "fee": "行政收费",
               "other": "其他"}
PROCEDURE_LABELS = {"general": "一般程序", "simplified": "简易程序"}
START_MODE_LABELS = {"application": "依申请", "ex_officio": "依职权", "complaint": "举报投诉", "assigned": "交办转办",
                     "transferred": "移交", "emergency": "紧急先行启动"}
LEADER_LABELS = {"any": "负责人", "unit_head": "承办机构负责人", "agency_head": "机关负责人"}
AV_KIND_LABELS = {"video": "视频", "audio": "录音", "photo": "照片"}
ANCHOR_LABELS = {"case.started": "立案", "case.archived": "归档", "footage.recorded": "音像录制",
                 "footage.ingested": "音像存储", "decision.revoked": "决定被撤销、变更或确认无效",
                 "decision.replaced": "决定变更", "publication.published": "公示",
                 "publication.exempted": "决定不予公示", "publication.withdrawn": "撤回公示",
                 "publication.republished": "重新公示变更后的决定"}

def record_name(code: str) -> str:
    return loader.record_type_names().get(code, code)


def applies_label(a: spec.Applies) -> str:
    parts = ["、".join(KIND_LABELS.get(k, k) for k in a.kinds) or "各类执法行为",
             "、".join(PROCEDURE_LABELS.get(p, p) for p in a.procedures) or "各程序"]
    if a.start_modes:
        parts.append("、".join(START_MODE_LABELS.get(m, m) for m in a.start_modes))
    return " · ".join(parts)


def anchor_label(name: str) -> str:
    if name in ANCHOR_LABELS:
        return ANCHOR_LABELS[name]
    parts = name.split(".")
    if parts[0] == "stage":
        return f"进入{STAGE_LABELS.get(parts[1], parts[1])}"
    if parts[0] == "record":
        return f"{record_name(parts[1])}{'起草' if parts[2] == 'drafted' else '签字完成'}"
    return name


def signature_label(value: dict) -> str:
    out = []
    if value.get("officers"):
        out.append(f"执法人员{value['officers']}人")
    if value.get("party"):
        out.append("当事人")
    if value.get("leader"):
        out.append(LEADER_LABELS.get(value["leader"], "负责人"))
    if value.get("reviewer"):
        out.append("法制审核人员")
    if value.get("archivist"):
        out.append("档案管理员")
    return "、".join(out) or "—"


def stage_rows(profile: spec.Profile) -> list[dict]:
    """The 记录事项清单: one row per stage entry, with its requirements in words."""
    order = {s: i for i, s in enumerate(STAGE_LABELS)}
    rows = []
    for e in sorted(profile.stages, key=lambda e: (e.closed, order.get(e.stage, 9))):
        rows.append({"stage": STAGE_LABELS.get(e.stage, e.stage), "applies": applies_label(e.applies),
                     "closed": e.closed,
                     "requirements": [{"id": r.id, "records": "或".join(record_name(c) for c in r.codes),
                                       "article": r.article, "drafted_suffices": r.drafted_suffices,
                                       "signers": _signers(profile, r.codes, e.applies)}
                                      for r in e.requirements]})
    return rows


def _signers(profile, codes, applies) -> str:
    specs = [s for s in profile.signatures if s.record_type in codes and (
        not applies.kinds or not s.applies.kinds or set(applies.kinds) & set(s.applies.kinds)) and (
        not applies.procedures or not s.applies.procedures or set(applies.procedures) & set(s.applies.procedures))]
    return "；".join(f"{record_name(s.record_type)}：{signature_label(s.value)}（{s.article}）" for s in specs)


def deadline_rows(profile: spec.Profile) -> list[dict]:
    return [{"id": d.id, "label": d.label, "start": anchor_label(d.start), "period": d.period.label,
             "extension": d.extension.label if d.extension else "",
             "end": "或".join(anchor_label(e) for e in d.end), "applies": applies_label(d.applies),
             "per": "每个音像文件" if d.per == "footage" else "每案", "severity": d.severity, "article": d.article}
            for d in profile.deadlines]


def rule_value_label(value) -> str:
    """A rule's value as the page shows it: a list of codes in Chinese (依申请、举报投诉), not Python's repr."""
    if isinstance(value, (list, tuple, set, frozenset)):
        labels = {**KIND_LABELS, **PROCEDURE_LABELS, **START_MODE_LABELS}
        return "、".join(labels.get(v, str(v)) for v in value)
    return str(value)


def penalty_names(codes) -> str:
    return "、".join(spec.PENALTY_LABELS.get(c, c) for c in codes)


def months_label(months: int) -> str:
    return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"


def durations_label(durations) -> str:
    """公示期限 in words, first match first: "通报批评：3个月；其他：3年"."""
    out = []
    for i, d in enumerate(durations):
        what = penalty_names(d.penalties)
        if d.max_fine is not None:
            what = f"{what}（不超过{d.max_fine}元）" if what else f"罚款不超过{d.max_fine}元"
        out.append(f"{what or ('其他' if i else '一律')}：{months_label(d.months)}")
    return "；".join(out)


def publicity_label(profile: spec.Profile) -> dict:
    """The publicity section in words (LW-P; 行政处罚法 48): what is published, its three clocks by their
    deadlines, how long an entry stays public, who drafts, reviews and approves, the statistics' due
    date and the sentence the decision prints — each row with its article."""
    p = profile.publicity

    def row(key, label, value, article=None):
        return {"label": label, "value": value, "article": dict(p.key_articles).get(key) or article or p.article}

    def clock(deadline_id):
        d = profile.deadline(deadline_id)
        return (f"自{anchor_label(d.start)}起{d.period.label}内" if d else f"期限“{deadline_id}”未规定",
                d.article if d else "—")

    month, day = (int(x) for x in p.statistics_due.split("-"))
    rows = [row("applies", "公示的决定", applies_label(p.applies)),
            row("exclude_penalties", "不予公示的处罚", penalty_names(p.exclude_penalties) or "无"),
            row("mask_person_name", "受处罚自然人的姓名", "隐去名字（如张某某）" if p.mask_person_name else "公示全名",
                "本机关规定"),
            row("deadline", "公示时限", *clock(p.deadline)),
            row("withdrawal_deadline", "撤回时限（决定被撤销、确认违法或无效）", *clock(p.withdrawal_deadline)),
            row("republish_deadline", "变更后重新公示的时限", *clock(p.republish_deadline)),
            row("durations", "公示期限（期满撤下）", durations_label(p.durations),
                "，".join(dict.fromkeys(d.article for d in p.durations))),
            row("no_early_removal", "不得提前撤下的处罚", penalty_names(p.no_early_removal) or "无"),
            row("draft_roles", "起草公示稿", role_names(p.draft_roles)),
            row("review_roles", "审核（范围、秘密、隐私、形式、时限、准确）", role_names(p.review_roles)),
            row("approve_roles", "批准公示、撤回、提前撤下", role_names(p.approve_roles)),
            row("statistics_due", "统计数据公开截止", f"每年{month}月{day}日（上一年度的执法数据）"),
            row("notice", "决定书上告知当事人", p.notice)]
    return {"rows": rows}


def av_rows(profile: spec.Profile) -> list[dict]:
    out = []
    for a in profile.av_acts:
        mode = ("必须音像记录" if a.required and not a.forbidden_without_reason else
                "应音像记录，不适宜的须书面说明原因" if a.required else "根据实际音像记录")
        out.append({"id": a.id, "label": a.label, "mode": mode,
                    "records": "、".join(record_name(c) + (f"（{m}）" if m else "") for c, m in a.records),
                    "kinds": "、".join(AV_KIND_LABELS.get(k, k) for k in a.kinds), "article": a.article,
                    "phrases": profile.phrases_for(a.id)})
    return out


def role_names(codes) -> str:
    from liuhen.accounts.roles import Role

    return "、".join(Role(c).label if c in Role.values else c for c in codes)


CHECKLIST_TITLES = {"footage": "音像记录的抽检项目", "device": "执法记录设备的抽检项目"}


def value_sections(profile: spec.Profile) -> list[dict]:
    """The sections of plain values (保存、证据复制、抽检、设备) in words, each value with its article
    ("本机关规定" where the law leaves it to the agency)."""
    r, c, i, d, doc = profile.retention, profile.copies, profile.inspections, profile.devices, profile.documents
    lr, rt = profile.legal_review, profile.rights
    dl, ex, cp, ar = profile.delivery, profile.execution, profile.case_property, profile.archive
    review_deadline = profile.deadline(lr.deadline)

    def row(section, key, label, value, unset="本机关规定"):
        return {"label": label, "value": value, "article": section.article(key) or unset}

    ratio = d.equipment_ratio
    return [
        {"title": "音像资料的保存与清理", "rows": [
            row(r, "raw_months", "原始音像资料保存期限", f"{r.raw_months}个月（自录制与存储的较晚者起算）"),
            row(r, "case_file_years", "作为证据使用的音像资料", f"与案卷同期：案卷归档后{r.case_file_years}年"),
            row(r, "long_term_years", "长期保存",
                "永久保存" if r.long_term_years is None else f"{r.long_term_years}年"),
            row(r, "notice_days", "清理前向保管人公告", f"{r.notice_days}日"),
            row(r, "recovery_days", "移除后可恢复", f"{r.recovery_days}日，期满清除存储文件"),
            row(r, "hold_roles", "可采取法律保全", role_names(r.hold_roles)),
            row(r, "decide_roles", "可决定长期保存", role_names(r.decide_roles)),
            row(r, "restore_roles", "可恢复已移除的音像资料", role_names(r.restore_roles))]},
        {"title": "证据复制（移送检察院、法院）", "rows": [
            row(c, "approve_roles", "审批", role_names(c.approve_roles)),
            row(c, "maker_roles", "制作、移交复制包", role_names(c.maker_roles))]},
        {"title": "音像记录抽检", "rows": [row(i, "roles", "抽取并登记检查结果", role_names(i.roles))],
         "checklists": [{"title": CHECKLIST_TITLES.get(kind, kind), "items": items} for kind, items in i.checklist]},
        {"title": "音像记录设备", "rows": [
            row(d, "check_every_days", "定期检查保养周期",
                f"每{d.check_every_days}天" if d.check_every_days else "不要求定期检查"),
            row(d, "equipment_ratio", "执法记录仪配备比例（每个科室）",
                f"每{ratio.officers}名持证执法人员{ratio.cameras}台" if ratio else "未规定",
                unset="本机关规定" if ratio else "—")]},
        {"title": "重大执法决定法制审核", "rows": [
            row(lr, "deadline", "审核期限",
                (f"{review_deadline.period.label}，经批准可延长一次{review_deadline.extension.label}"
                 if review_deadline and review_deadline.extension else
                 review_deadline.period.label if review_deadline else "未规定"),
                unset=review_deadline.article if review_deadline else "—"),
            row(lr, "materials_wait", "补充材料期间", spec.MATERIALS_WAIT.get(lr.materials_wait, lr.materials_wait)),
            row(lr, "materials_days", "补充材料的期限", f"{lr.materials_days}个工作日"),
            row(lr, "qualification_first", "初次从事法制审核",
                "应当取得法律职业资格" if lr.qualification_first else "不要求法律职业资格"),
            row(lr, "extension_roles", "批准延长审核期限", role_names(lr.extension_roles)),
            row(lr, "ruling_roles", "审核意见分歧的决定（集体讨论后）", role_names(lr.ruling_roles))]},
        {"title": "作出处罚决定前当事人的权利", "rows": [
            row(rt, "statement_period", "告知后等待陈述、申辩", f"{rt.statement_period.label}（当事人放弃的除外）"),
            row(rt, "hearing_request_period", "申请听证的期限", f"告知后{rt.hearing_request_period.label}内"),
            row(rt, "hearing_notice_period", "听证通知", f"举行听证的{rt.hearing_notice_period.label}前"),
            row(rt, "hearing_penalties", "有权要求听证的处罚",
                "、".join(spec.PENALTY_LABELS[p] for p in rt.hearing_penalties) or "—"),
            row(rt, "hearing_fine_person", "较大数额罚款",
                f"自然人{rt.hearing_fine_person}元以上，法人或其他组织{rt.hearing_fine_organisation}元以上")]},
        {"title": "送达", "rows": [
            row(dl, "lien_proof", "留置送达的证明", spec.LIEN_PROOFS.get(dl.lien_proof, dl.lien_proof)),
            row(dl, "public_notice_days", "公告送达", f"自发出公告之日起经过{dl.public_notice_days}日，视为送达")]},
        {"title": "执行", "rows": [
            row(ex, "payment_days", "缴纳罚款的期限", f"收到决定书之日起{ex.payment_days}日内"),
            row(ex, "late_fine_percent", "加处罚款", f"每日按罚款数额的{ex.late_fine_percent}%，不超过罚款数额"),
            row(ex, "deferral_roles", "批准延期或分期缴纳", role_names(ex.deferral_roles)),
            row(ex, "recheck_days", "整改复查", f"整改期限届满后{ex.recheck_days}个工作日内"),
            row(ex, "reminder_days", "催告书的履行期限", f"{ex.reminder_days}日"),
            row(ex, "enforcement_power", "本机关可以自行采取的强制执行方式",
                "、".join(dict(spec.ENFORCEMENT_MEASURES)[m] for m in ex.enforcement_power) or "无（均申请人民法院）"),
            row(ex, "appeal_days", "申请行政复议的期限", f"{ex.appeal_days}日"),
            row(ex, "lawsuit_months", "提起行政诉讼的期限", f"{ex.lawsuit_months}个月"),
            row(ex, "court_wait_days", "催告后申请法院强制执行", f"催告书送达{ex.court_wait_days}日后"),
            row(ex, "court_months", "申请法院强制执行的期限", f"复议、诉讼期限届满之日起{ex.court_months}个月内")]},
        {"title": "涉案财物", "rows": [
            row(cp, "approve_roles", "批准处理（退还、拍卖、销毁、上缴）", role_names(cp.approve_roles)),
            row(cp, "seizure_days", "查封、扣押的期限",
                f"{cp.seizure_days}日" + (f"，经批准可延长{cp.seizure_extension_days}日" if cp.seizure_extension_days else ""))]},
        {"title": "归档与利用", "rows": [
            row(ar, "file_retention", "案卷保管期限", spec.FILE_RETENTIONS[ar.file_retention]),
            row(ar, "classification", "卷内文件默认的公开属性", spec.CLASSIFICATIONS[ar.classification]),
            row(ar, "staff_approve_roles", "批准本机关人员调阅", role_names(ar.staff_approve_roles)),
            row(ar, "outsider_approve_roles", "批准外单位人员查阅", role_names(ar.outsider_approve_roles)),
            row(ar, "party_approve_roles", "批准当事人查阅、复制", role_names(ar.party_approve_roles)),
            row(ar, "max_days", "调阅授权最长", f"{ar.max_days}日")]},
        {"title": "执法文书", "rows": [
            row(doc, "letterhead", "文书抬头（机关名称）", doc.letterhead or "本机关名称"),
            row(doc, "remedies", "决定书告知的救济途径和期限", doc.remedies or "—", unset="《行政处罚法》第五十九条"),
            row(doc, "footer", "页脚", doc.footer or "无"),
            *[row(doc, "numbering", f"{record_name(code)}的文号格式", document_number_example(fmt))
              for code, fmt in sorted(doc.numbering.items()) if code != "*"],
            *[row(doc, "numbering", "其他文书的文号格式", document_number_example(fmt))
              for code, fmt in doc.numbering.items() if code == "*"]]},
    ]


def document_number_example(fmt: str) -> str:
    """A 文号 format in words: the format and how the agency's third number of 2026 reads."""
    try:
        example = fmt.format(agency="本机关简称", year=2026, n=3, kind="文书种类")
    except (KeyError, IndexError, ValueError):
        return fmt
    return f"{fmt}（如：{example}）"


def text(profile: spec.Profile) -> str:
    """The whole profile as plain text (liuhen profile show)."""
    lines = [f"{profile.name}（{profile.code}" + (f"，第{profile.version}版" if profile.version else "，内置")
             + (f"，继承 {profile.extends}" if profile.extends else "") + "）",
             f"SHA-256 {profile.sha256}", "", "规则值："]
    lines += [f"  {r.id} = {r.value}  {r.text}（依据：{r.article}）" for r in profile.rules.values()]
    lines += ["", "记录事项清单（离开各阶段前须完成的文书）："]
    for row in stage_rows(profile):
        head = f"  {row['stage']} · {row['applies']}" + ("（启动时结案）" if row["closed"] else "")
        lines.append(head)
        for r in row["requirements"] or [{"records": "无", "article": "", "drafted_suffices": False, "signers": ""}]:
            extra = "（起草即可离开本阶段，归档前须签字）" if r["drafted_suffices"] else ""
            lines.append(f"    - {r['records']}{extra}" + (f"（依据：{r['article']}）" if r["article"] else ""))
    lines += ["", "签字要求："]
    lines += [f"  {record_name(s.record_type)} · {applies_label(s.applies)}：{signature_label(s.value)}（依据：{s.article}）"
              for s in profile.signatures]
    lines += ["", "需要音像记录的执法环节："]
    for a in av_rows(profile):
        lines.append(f"  {a['label']}：{a['mode']}；文书 {a['records']}；{a['kinds']}（依据：{a['article']}）")
        lines += [f"    执法用语：{p.text}（依据：{p.article}）" for p in a["phrases"]]
    lines += ["", "期限："]
    lines += [f"  {d['label']}：自{d['start']}起{d['period']}内{d['end']}" +
              (f"，可延长{d['extension']}" if d["extension"] else "") + f"；{d['applies']}（依据：{d['article']}）"
              for d in deadline_rows(profile)]
    if profile.major:
        lines += ["", "重大执法决定标准："]
        lines += [f"  {m.label}（{m.fact} {m.op} {m.value}；依据：{m.article}）" for m in profile.major]
    if profile.publicity:
        lines += ["", "公示："]
        lines += [f"  {r['label']}：{r['value']}（依据：{r['article']}）" for r in publicity_label(profile)["rows"]]
    if profile.phrases:
        lines += ["", "执法用语："]
        lines += [f"  [{p.act}] {p.text}（依据：{p.article}）" for p in profile.phrases]
    for section in value_sections(profile):
        lines += ["", f"{section['title']}："]
        lines += [f"  {r['label']}：{r['value']}（依据：{r['article']}）" for r in section["rows"]]
        for checklist in section.get("checklists", ()):
            lines.append(f"  {checklist['title']}：")
            lines += [f"    - {item.label}（{item.code}；依据：{item.basis}）" for item in checklist["items"]]
    if profile.scorecard:
        card = profile.scorecard
        lines += ["", f"案卷评查（满分 {card.full_marks}）："]
        lines += [f"  否决项：{i.label}（依据：{i.article}）" for i in card.hard_fail]
        for s in card.sections:
            lines.append(f"  {s.label}（{s.points}分）")
            lines += [f"    - {i.label}：扣{i.points}分（依据：{i.article}）" for i in s.items]
        lines.append("  等次：" + "；".join(f"{label} ≥ {low}" for label, low in card.bands))
    return "\n".join(lines)


def source_diff(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    """The lines that differ between two versions' files (unified diff)."""
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label, lineterm=""))
