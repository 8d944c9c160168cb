"""What an agency profile (机关执法规则配置) says, as plain frozen data: the contract between the
profile files (loaded and validated by this app) and the apps that apply them.

Nothing here reads a file or the database. `loader.py` turns a YAML file into a `Profile`;
`selectors.profile_for_case(case)` / `selectors.active_profile(agency)` give the one an act is held
to. Every rule carries its `id` (stable, unique in the profile) and `article` (the seed keys of
docs/regulations/README.md, or a law's article, e.g. "行政处罚法 61").

Deadlines are data too: a `DeadlineSpec` runs from a named *anchor* (`start`) for a `Period` and is
met by the first of its `end` anchors. Anchor names (computed by the oversight app from a case's
facts; an anchor nothing produces yet simply never fires):
  case.started                    the case was opened (Case.created_at)
  stage.<stage>.entered           the case first entered <stage> (start/investigation/decision/service/archive)
  case.archived                   the case file was received by the archivist (Case.archived_at)
  record.<code>.drafted           the first not-voided record of type <code> was made
  record.<code>.completed         the first not-voided record of type <code> became complete (all signatures)
  footage.recorded / footage.ingested   per footage item (deadline with per="footage")
  delivery.served                 the decision counts as served with its method's proof (liuhen.delivery:
                                  送达时间, 邮寄 the date received, 公告 published + public_notice_days)
  decision.revoked                the decision's issued document was revoked (撤销: 复议、诉讼, found void)
  decision.replaced               the decision's issued document was replaced by a corrected one (变更)
  publication.published           the case's decision published on the portal (liuhen.publicity)
  publication.exempted            the case's decision is not to be published (a minor's case, secrets, a
                                  penalty the profile does not publish): met at once
  publication.withdrawn           the published decision withdrawn with its public reason
  publication.republished         the changed decision (its replacement) published
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

HOURS, DAYS, WORKING_DAYS = "h", "d", "wd"
PERIOD_UNITS = {HOURS: "小时", DAYS: "日", WORKING_DAYS: "个工作日"}
_PERIOD = re.compile(r"^\s*(\d{1,4})\s*(h|d|wd)\s*$")


@dataclass(frozen=True)
class Period:
    """A length of time: "24h" (hours), "7d" (calendar days), "10wd" (working days, 工作日)."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> "Period":
        m = _PERIOD.match(str(text))
        if not m or int(m.group(1)) == 0:
            raise ValueError(f"期限“{text}”无效：应为正整数加单位 h（小时）、d（日）或 wd（工作日），如 24h、7d、10wd")
        return cls(int(m.group(1)), m.group(2))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def label(self) -> str:
        return f"{self.amount}{PERIOD_UNITS[self.unit]}"


@dataclass(frozen=True)
class Applies:
    """Where a rule applies: empty tuples mean "all". Values are the codes of cases.models
    (Kind, Procedure, StartMode) and of the 送达方式 choices."""

    kinds: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()
    start_modes: tuple[str, ...] = ()

    def matches(self, kind: str = "", procedure: str = "", start_mode: str = "") -> bool:
        return ((not self.kinds or kind in self.kinds) and (not self.procedures or procedure in self.procedures)
                and (not self.start_modes or start_mode in self.start_modes))


@dataclass(frozen=True)
class RuleValue:
    """One valued rule (e.g. on_site_officers = 2, av_upload_hours = 24) with its article."""

    id: str
    value: object
    article: str
    text: str = ""


@dataclass(frozen=True)
class RequirementSpec:
    """立卷要求: at least one record of `codes` complete before the case leaves the stage."""

    id: str
    codes: tuple[str, ...]
    article: str
    drafted_suffices: bool = False  # LC 8: the emergency approval may be signed after leaving


@dataclass(frozen=True)
class StageRequirements:
    """The requirements of one stage where `applies` matches (kind × procedure × start mode);
    the most specific matching entry wins (more non-empty dimensions)."""

    stage: str
    applies: Applies
    requirements: tuple[RequirementSpec, ...]
    # A case closed at its start (不予受理, a complaint answered in writing: BX 5, LC 7, LC 9, LQ 8):
    # the entry holds for such a case only (start: the closure's document by start mode; archive:
    # what its archive holds).
    closed: bool = False


@dataclass(frozen=True)
class SignatureSpec:
    """签字要求 that a kind × procedure puts on a record type (records.rules.SignatureRule keys:
    officers, party, leader ("any" / "unit_head" / "agency_head"), reviewer, archivist)."""

    id: str
    record_type: str
    applies: Applies
    value: dict
    article: str


@dataclass(frozen=True)
class AvActSpec:
    """An act that needs audio-video recording (avrules.rules.AvAct): the records that document it —
    (record type, 送达方式 or "") —, required (blocks leaving the stage) or expected, the footage
    kinds that count, the record field with the act's time; `forbidden_without_reason`: when no
    footage is made, a written reason (不适宜音像记录说明, AS 8) is required."""

    id: str
    label: str
    records: tuple[tuple[str, str], ...]
    required: bool
    kinds: tuple[str, ...]
    time_field: str
    article: str
    forbidden_without_reason: bool = True


@dataclass(frozen=True)
class DeadlineSpec:
    """A clock: from `start` for `period`, met by the first of `end`; `extension` granted once with
    approval (LW-L 16); `per`: "case" or "footage"."""

    id: str
    label: str
    article: str
    start: str
    period: Period
    end: tuple[str, ...]
    applies: Applies = field(default_factory=Applies)
    extension: Period | None = None
    per: str = "case"
    severity: str = "error"  # "error" (a violation) or "warning"


@dataclass(frozen=True)
class MajorCriterion:
    """重大执法决定 criterion (LW-L 7, 行政处罚法 58), for the legal-review issue: `fact` names a
    case fact (e.g. "fine_person", "fine_organisation", "penalty_kind", "after_hearing"), `op` one of
    ">=", "in", "is", and `value` its threshold or list."""

    id: str
    label: str
    fact: str
    op: str
    value: object
    article: str


@dataclass(frozen=True)
class PublicityDuration:
    """How long a published decision stays public (公示期限), the first rule that matches: its penalty
    kinds (empty: any) and a fine at most `max_fine` yuan (None: any amount) → `months`."""

    penalties: tuple[str, ...]
    max_fine: int | None
    months: int
    article: str


# 市场监督管理行政处罚信息公示规定 14: 通报批评 or a small fine three months, otherwise three years.
DEFAULT_DURATIONS = (PublicityDuration(("criticism",), None, 3, "市场监管公示规定 14"),
                     PublicityDuration((), None, 36, "市场监管公示规定 14"))


@dataclass(frozen=True)
class PublicitySpec:
    """公示 (LW-P; 行政处罚法 48): which kinds / procedures are published, penalties never published
    (e.g. "warning"), whether a natural person's name is masked, the deadline ids (publish, withdraw,
    republish a change), how long an entry stays public, the penalties whose entries may not be taken
    down early, who drafts, reviews and approves, and the sentence the decision prints to tell the party."""

    applies: Applies
    exclude_penalties: tuple[str, ...]
    mask_person_name: bool
    deadline: str  # a DeadlineSpec id (publicity)
    withdrawal_deadline: str
    article: str
    republish_deadline: str = "republication"
    durations: tuple[PublicityDuration, ...] = DEFAULT_DURATIONS
    # 市场监管公示规定 16: 停产停业、吊销、降级、限制从业 are not removed before their term.
    no_early_removal: tuple[str, ...] = ("suspension", "revocation", "demotion", "ban")
    draft_roles: tuple[str, ...] = ("officer", "unit_head", "legal_reviewer")
    review_roles: tuple[str, ...] = ("legal_reviewer",)
    approve_roles: tuple[str, ...] = ("agency_head",)
    statistics_due: str = "01-31"  # 国办发〔2018〕118号: last year's figures by 31 January (MM-DD)
    notice: str = "本决定将依据《中华人民共和国行政处罚法》第四十八条的规定在本机关行政执法公示平台向社会公开。"
    # (key, article) of the keys the profile gives as {value: …, article: …}; `article` above is the section's.
    key_articles: tuple[tuple[str, str], ...] = ()

    def article_for(self, key: str) -> str:
        """The article that sets `key` (the section's article when the key names none)."""
        return dict(self.key_articles).get(key) or self.article


@dataclass(frozen=True)
class Phrase:
    """执法用语 shown to the officer before recording an act (LW-D 6's opening line)."""

    id: str
    act: str  # an AvActSpec id, or "*" for every act
    text: str
    article: str


@dataclass(frozen=True)
class ScoreItem:
    """One line of the 评查 score card. A hard-fail item (`points` 0 in a hard-fail list) scores the
    whole file 0; a deduction item takes `points` off its section (never below 0). `findings`: the
    finding codes that suggest the item failed (the evaluator decides)."""

    id: str
    label: str
    points: int
    article: str
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoreSection:
    id: str
    label: str
    points: int  # the section's full marks (e.g. 卷面 20, 内容 80)
    items: tuple[ScoreItem, ...]


@dataclass(frozen=True)
class Scorecard:
    """案卷评查 score card: hard-fail items, sections with deductions, grade bands (label, minimum)
    from the highest down, e.g. (("优秀", 90), ("合格", 60), ("不合格", 0))."""

    hard_fail: tuple[ScoreItem, ...]
    sections: tuple[ScoreSection, ...]
    bands: tuple[tuple[str, int], ...]

    @property
    def full_marks(self) -> int:
        return sum(s.points for s in self.sections)

    def grade(self, score: int) -> str:
        return next((label for label, low in self.bands if score >= low), self.bands[-1][0] if self.bands else "")


class _Section:
    """A section of plain values (保存期限、审批角色、抽检项目、设备检查周期…): each value may carry the
    article that sets it (`articles`: (key, article) pairs; "" where the law leaves it to the agency)."""

    articles: tuple[tuple[str, str], ...]

    def article(self, key: str) -> str:
        return dict(self.articles).get(key, "")


# The values below are the defaults the system shipped with before issue 15 (the settings
# LIUHEN_RETENTION, LIUHEN_COPIES, LIUHEN_INSPECTION_*, LIUHEN_DEVICES): base.yaml states them again,
# with their articles; a profile that extends nothing and leaves a section out gets these.

@dataclass(frozen=True)
class RetentionSpec(_Section):
    """音像资料保存期限 (LW-D 11-12, LQ 27-29): months raw footage is kept (at least 6, LW-D 11), years
    evidence is kept after its case file is archived, years long-term footage is kept (None:
    permanent), the notice before a removal, the recovery period after it, and who may place a legal
    hold (法律保全), decide long-term retention (长期保存) and restore a removed file."""

    raw_months: int = 6
    case_file_years: int = 30
    long_term_years: int | None = None
    notice_days: int = 30
    recovery_days: int = 7
    hold_roles: tuple[str, ...] = ("agency_head", "legal_reviewer")
    decide_roles: tuple[str, ...] = ("agency_head",)
    restore_roles: tuple[str, ...] = ("device_admin", "agency_head")
    articles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CopiesSpec(_Section):
    """证据复制 for a 检察院 or 法院: who approves (LW-D 15: 主要领导同意) and who makes and hands over
    the package (LW-D 13: 相关科室统一提供并复制留存)."""

    approve_roles: tuple[str, ...] = ("agency_head",)
    maker_roles: tuple[str, ...] = ("archivist", "device_admin")
    articles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ChecklistItem:
    """One check of a sample inspection (抽检项目): a stable code, its label, its basis (article)."""

    code: str
    label: str
    basis: str

    def as_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "basis": self.basis}


INSPECTION_KINDS = ("footage", "device")  # inspections.models.Kind: recordings, recorders

_FOOTAGE_CHECKS = (
    ChecklistItem("worn", "佩戴位置规范", "LW-D 5"),
    ChecklistItem("switched_on", "到场即开启记录", "LW-D 6"),
    ChecklistItem("opening_words", "开场用语完整", "LW-D 6"),
    ChecklistItem("certificates", "出示执法证件", "LW-D 7"),
    ChecklistItem("continuous", "全程连续记录", "LW-D 3；LQ 22"),
    ChecklistItem("clear", "音画清晰完整", "LW-D 3"),
)
_DEVICE_CHECKS = (
    ChecklistItem("intact", "设备完好", "LW-D 4"),
    ChecklistItem("battery_storage", "电量与存储正常", "LQ 24"),
    ChecklistItem("clock", "时钟准确", "LQ 24"),
    ChecklistItem("register", "领用归还登记完整", "LW-D 4"),
)


@dataclass(frozen=True)
class InspectionsSpec(_Section):
    """音像记录抽检 (LW-D 14): who draws rounds and records findings, and the checklist per population
    kind ("footage": recordings; "device": recorders). A round keeps the checklist in force when drawn."""

    roles: tuple[str, ...] = ("supervisor", "agency_head")
    checklist: tuple[tuple[str, tuple[ChecklistItem, ...]], ...] = (("footage", _FOOTAGE_CHECKS),
                                                                     ("device", _DEVICE_CHECKS))
    articles: tuple[tuple[str, str], ...] = ()

    def checklist_for(self, kind: str) -> tuple[ChecklistItem, ...]:
        return dict(self.checklist).get(kind, ())


@dataclass(frozen=True)
class EquipmentRatio:
    """`cameras` body cameras per `officers` certified officers in each unit (rounded up)."""

    cameras: int
    officers: int

    def as_dict(self) -> dict:
        return {"cameras": self.cameras, "officers": self.officers}


@dataclass(frozen=True)
class DevicesSpec(_Section):
    """音像记录设备 (LW-D 4, LQ 24): days between two periodic checks (None: none asked), and the
    equipment ratio per unit (None: none set, none shown)."""

    check_every_days: int | None = 90
    equipment_ratio: EquipmentRatio | None = None
    articles: tuple[tuple[str, str], ...] = ()


# 行政处罚的种类 (行政处罚法 9), as codes the profile names (major criteria, the hearing right) and the
# Chinese the records store (the 处罚种类 field of 处理意见、行政处罚告知书、决定书). Ordered from the
# lightest to the heaviest: 行政处罚法 45 forbids a heavier penalty because of the party's defence.
PENALTY_KINDS: tuple[tuple[str, str], ...] = (
    ("no_penalty", "不予行政处罚"),
    ("warning", "警告"),
    ("criticism", "通报批评"),
    ("fine", "罚款"),
    ("confiscation", "没收违法所得、没收非法财物"),
    ("license_suspension", "暂扣许可证件"),
    ("demotion", "降低资质等级"),
    ("restriction", "限制开展生产经营活动"),
    ("suspension", "责令停产停业"),
    ("ban", "限制从业"),
    ("revocation", "吊销许可证件"),
    ("closure", "责令关闭"),
    ("detention", "行政拘留"),
)
PENALTY_LABELS = dict(PENALTY_KINDS)
PENALTY_CODES = {label: code for code, label in PENALTY_KINDS}
# 行政强制法 12: the ways of compulsory execution (code, label); an agency applies only those a law gives
# it (13: ExecutionSpec.enforcement_power) — 加处罚款 by 行政处罚法 72 every agency that fines has.
ENFORCEMENT_MEASURES = (("late_fine", "加处罚款或者滞纳金"), ("transfer", "划拨存款、汇款"),
                        ("auction", "拍卖或者依法处理查封、扣押的场所、设施或者财物"), ("restore", "排除妨碍、恢复原状"),
                        ("substitute", "代履行"), ("other", "其他强制执行方式"))
ENFORCEMENT_MEASURE_CODES = {label: code for code, label in ENFORCEMENT_MEASURES}
PENALTY_RANK = {code: i for i, (code, _) in enumerate(PENALTY_KINDS)}

MATERIALS_WAIT = {"suspend": "补充材料期间不计入审核期限", "restart": "补充材料后重新计算审核期限",
                  "count": "补充材料期间计入审核期限"}


@dataclass(frozen=True)
class LegalReviewSpec(_Section):
    """重大执法决定法制审核 (LW-L; 行政处罚法 58): the review's clock is the deadline `deadline` (its period
    and its one extension, LW-L 16: 10 + 10 working days; 7 + 3 elsewhere); how the time waiting for
    materials the reviewer asked for counts (`materials_wait`: MATERIALS_WAIT); the working days the
    handlers get to supply them; whether a reviewer's first review needs the 法律职业资格 (行政处罚法 58
    第二款); who approves an extension (LW-L 16) and who decides a disagreement (LW-L 17)."""

    deadline: str = "legal_review"
    materials_wait: str = "suspend"
    materials_days: int = 5
    qualification_first: bool = True
    extension_roles: tuple[str, ...] = ("agency_head",)
    ruling_roles: tuple[str, ...] = ("agency_head",)
    articles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RightsSpec(_Section):
    """The party's rights before a penalty decision (行政处罚法 44-45, 63-65): the time after the 行政处罚告知书
    before the decision may be made (for the party to state and defend, `statement_period`), the window
    to request a hearing (`hearing_request_period`, art. 64: 五日, working days by art. 85), the notice
    before a hearing (`hearing_notice_period`, art. 64: 七日前), and the penalties that carry the hearing
    right (art. 63: `hearing_penalties`, codes of PENALTY_KINDS, and fines from `hearing_fine_person` /
    `hearing_fine_organisation` yuan, 较大数额 as the province sets it)."""

    statement_period: Period = Period(3, "wd")
    hearing_request_period: Period = Period(5, "wd")
    hearing_notice_period: Period = Period(7, "wd")
    hearing_penalties: tuple[str, ...] = ("demotion", "revocation", "suspension", "closure", "ban", "restriction")
    hearing_fine_person: int = 10000
    hearing_fine_organisation: int = 100000
    articles: tuple[tuple[str, str], ...] = ()


LIEN_PROOFS = {"witness_and_av": "见证人签名并音像记录", "witness_or_av": "见证人签名或音像记录（拍照、录像）"}


@dataclass(frozen=True)
class DeliverySpec(_Section):
    """送达 (行政处罚法 61, which refers to 民事诉讼法): what a 留置送达 needs besides the refusal (`lien_proof`:
    LIEN_PROOFS; 民事诉讼法 89 allows photos or video in place of the witness), and the days after which a
    公告送达 counts as served (`public_notice_days`, 民事诉讼法 95: 经过三十日)."""

    lien_proof: str = "witness_and_av"
    public_notice_days: int = 30
    articles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ExecutionSpec(_Section):
    """执行 (行政处罚法 66-73; 行政强制法 35-40, 53-54): the days to pay a fine from service (`payment_days`,
    art. 67: 十五日), the additional late fine per day (`late_fine_percent`, art. 72: 百分之三, never above the
    fine), who approves a deferral or instalments (`deferral_roles`, art. 66), the days a 催告书 gives
    (`reminder_days`, 行政强制法 35, 37), the months to apply to a court after the remedy deadlines
    (`court_months`, 行政强制法 53: 三个月), those deadlines (`appeal_days`, 行政复议法 20: 六十日;
    `lawsuit_months`, 行政诉讼法 46: 六个月, from service), the days after a served 催告书 before a court
    application (`court_wait_days`, 行政强制法 54: 十日), the working days after a 整改期限 within which the
    re-check is made (`recheck_days`, BX 10), and the compulsory measures the law gives this agency itself
    (`enforcement_power`: ENFORCEMENT_MEASURES codes, 行政强制法 13 — the others only through a court)."""

    payment_days: int = 15
    late_fine_percent: int = 3
    deferral_roles: tuple[str, ...] = ("agency_head",)
    reminder_days: int = 10
    court_months: int = 3
    recheck_days: int = 5
    appeal_days: int = 60
    lawsuit_months: int = 6
    court_wait_days: int = 10
    enforcement_power: tuple[str, ...] = ("late_fine",)
    articles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CasePropertySpec(_Section):
    """罚没、查封扣押财物 (LQ 13(四); 行政强制法 24-28): who approves handling an item (return, auction,
    destruction, hand-over: `approve_roles`), the days a 查封、扣押 may last (`seizure_days`, 行政强制法 25:
    不得超过三十日) and the one extension the head may approve (`seizure_extension_days`: 不得超过三十日)."""

    approve_roles: tuple[str, ...] = ("agency_head",)
    seizure_days: int = 30
    seizure_extension_days: int = 30
    articles: tuple[tuple[str, str], ...] = ()


FILE_RETENTIONS = {"permanent": "永久", "30y": "30年", "10y": "10年"}  # 保管期限 (DA/T 22, 文书档案)
# 公开属性/密级 of an archived file's items (LW-D 15, LC 33): who may see what after archiving. State-secret
# material (国家秘密) is never stored: the record says where it is kept.
CLASSIFICATIONS = {"public": "公开", "internal": "内部", "trade_secret": "商业秘密", "privacy": "个人隐私"}


@dataclass(frozen=True)
class ArchiveSpec(_Section):
    """案卷归档与利用 (BX 11-12, LC 31-34, LQ 27-28, AS 12-15, LW-D 15): the case file's 保管期限
    (`file_retention`: FILE_RETENTIONS code), the class an item gets unless the archivist sets another
    (`classification`: CLASSIFICATIONS code), who approves a retrieval slip (调用单) of the agency's own
    staff (`staff_approve_roles`), of an outsider (`outsider_approve_roles`: the head, AS 15) and a
    party's request to consult or copy (`party_approve_roles`), and the longest a grant may run
    (`max_days`)."""

    file_retention: str = "permanent"
    classification: str = "internal"
    staff_approve_roles: tuple[str, ...] = ("unit_head", "agency_head")
    outsider_approve_roles: tuple[str, ...] = ("agency_head",)
    party_approve_roles: tuple[str, ...] = ("agency_head",)
    max_days: int = 30
    articles: tuple[tuple[str, str], ...] = ()


DOCUMENT_TEMPLATES = ("decision", "notice", "service_receipt", "generic")  # documents/templates/documents/<name>.html
NUMBER_PLACEHOLDERS = ("agency", "year", "n")  # 文号 format: {agency} the agency's short name, {year}, {n}
DEFAULT_REMEDIES = ("如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，"
                    "或者在六个月内依法向人民法院提起行政诉讼。")


@dataclass(frozen=True)
class DocumentKind:
    """How one record type is laid out as a document (文书): its title printed (empty: the record
    type's name) and its packaged template (one of DOCUMENT_TEMPLATES; empty: chosen by the type)."""

    title: str = ""
    template: str = ""


@dataclass(frozen=True)
class DocumentsSpec(_Section):
    """执法文书 (issue 16): the letterhead (机关名称 as printed; empty: the agency's name), a footer
    on every page, the remedies wording printed on decisions (复议、诉讼 and their time limits,
    行政处罚法 59), per record type its title and template (`kinds`: a type named here is a document
    even if the system does not treat it as one), and the 文号 format per type (`numbering`, a dict
    code → format with {agency}, {year} and {n}; read by the numbering service)."""

    letterhead: str = ""
    footer: str = ""
    remedies: str = DEFAULT_REMEDIES
    kinds: tuple[tuple[str, DocumentKind], ...] = ()
    numbering: dict = field(default_factory=dict)
    articles: tuple[tuple[str, str], ...] = ()

    def kind(self, code: str) -> DocumentKind:
        return dict(self.kinds).get(code) or DocumentKind()

    def number_format(self, code: str) -> str | None:
        return self.numbering.get(code)


@dataclass(frozen=True)
class Profile:
    """One version of an agency's profile: everything that differs between agencies."""

    code: str  # e.g. "BX"
    name: str  # e.g. "本溪市水务局行政执法全过程记录规则"
    regulation: str  # the seed it implements, e.g. "BX"
    version: int  # 0 for the packaged default before any was loaded; then 1, 2, … per agency
    sha256: str  # of the source file's bytes
    rules: dict[str, RuleValue]
    stages: tuple[StageRequirements, ...]
    signatures: tuple[SignatureSpec, ...]
    av_acts: tuple[AvActSpec, ...]
    deadlines: tuple[DeadlineSpec, ...]
    major: tuple[MajorCriterion, ...]
    publicity: PublicitySpec | None
    phrases: tuple[Phrase, ...]
    scorecard: Scorecard | None
    extends: str = ""  # the packaged profile it extends ("base"), "" for none
    retention: RetentionSpec = field(default_factory=RetentionSpec)
    copies: CopiesSpec = field(default_factory=CopiesSpec)
    inspections: InspectionsSpec = field(default_factory=InspectionsSpec)
    devices: DevicesSpec = field(default_factory=DevicesSpec)
    documents: DocumentsSpec = field(default_factory=DocumentsSpec)
    legal_review: LegalReviewSpec = field(default_factory=LegalReviewSpec)
    rights: RightsSpec = field(default_factory=RightsSpec)
    delivery: DeliverySpec = field(default_factory=DeliverySpec)
    execution: ExecutionSpec = field(default_factory=ExecutionSpec)
    case_property: CasePropertySpec = field(default_factory=CasePropertySpec)
    archive: ArchiveSpec = field(default_factory=ArchiveSpec)

    def rule(self, rule_id: str, default=None):
        """The value of a valued rule (e.g. profile.rule("on_site_officers") → 2)."""
        r = self.rules.get(rule_id)
        return default if r is None else r.value

    def deadline(self, deadline_id: str) -> DeadlineSpec | None:
        return next((d for d in self.deadlines if d.id == deadline_id), None)

    def deadlines_for(self, kind: str, procedure: str, start_mode: str, per: str = "case") -> list[DeadlineSpec]:
        return [d for d in self.deadlines if d.per == per and d.applies.matches(kind, procedure, start_mode)]

    def phrases_for(self, act: str) -> list[Phrase]:
        return [p for p in self.phrases if p.act in (act, "*")]

    def stage_entry(self, stage: str, kind: str = "", procedure: str = "", start_mode: str = "", *,
                    closed: bool = False) -> StageRequirements | None:
        """The most specific entry of `stages` for this stage and case (more non-empty dimensions
        of `applies` win; among equals the later one, as an extending profile adds it after)."""
        best, score = None, -1
        for entry in self.stages:
            if entry.stage != stage or entry.closed != closed or not entry.applies.matches(kind, procedure, start_mode):
                continue
            a = entry.applies
            s = bool(a.kinds) + bool(a.procedures) + bool(a.start_modes)
            if s >= score:
                best, score = entry, s
        return best

    def requirements_for(self, stage: str, kind: str = "", procedure: str = "", start_mode: str = "", *,
                         closed: bool = False) -> tuple[RequirementSpec, ...]:
        entry = self.stage_entry(stage, kind, procedure, start_mode, closed=closed)
        return entry.requirements if entry else ()

    def signatures_for(self, record_type: str, kind: str = "", procedure: str = "",
                       start_mode: str = "") -> list[SignatureSpec]:
        return [s for s in self.signatures
                if s.record_type == record_type and s.applies.matches(kind, procedure, start_mode)]
