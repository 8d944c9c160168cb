"""Who must sign a record (签字要求), as data: a record type's rule, and the overrides that a kind
of act and its procedure put on it, each with the article it rests on.

A record type's `signature_rule` JSON is read here, once, into a `SignatureRule`; nothing else
reads the JSON. The overrides per kind × procedure × record type are the `signatures:` of the
agency profile (liuhen/profiles/data/*.yaml), each with its article: a record is held to those of
its case's profile version, pinned on the record when it is made (Record.rule).
"""
from dataclasses import dataclass, field, replace

from liuhen.accounts.roles import Role
from liuhen.profiles import loader as _loader
from liuhen.profiles import selectors as _profiles

# The 负责人 a rule may ask for: any leader, the unit head (承办机构负责人), the agency head (机关负责人).
LEADER_ANY, LEADER_UNIT, LEADER_AGENCY = "any", "unit_head", "agency_head"
LEADER_CHOICES = {LEADER_ANY: "承办机构负责人或机关负责人", LEADER_UNIT: "承办机构负责人", LEADER_AGENCY: "机关负责人"}
LEADER_ROLES = {
    LEADER_ANY: frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD}),
    LEADER_UNIT: frozenset({Role.UNIT_HEAD}),
    LEADER_AGENCY: frozenset({Role.AGENCY_HEAD}),
}

# The decision of a person who signs in a capacity (负责人, 法制审核人员, 档案管理员).
AGREE, DISAGREE, RETURN = "同意", "不同意", "退回"
DEFAULT_DECISIONS = (AGREE, DISAGREE, RETURN)
# A record whose required capacity signature says one of these is not complete: the signer refused it.
REFUSING = frozenset({DISAGREE, RETURN})

RULE_KEYS = {"officers", "party", "leader", "reviewer", "archivist", "reviewer_decisions"}


@dataclass(frozen=True)
class SignatureRule:
    """签字要求: how many case officers sign, whether the party signs, which 负责人 approves,
    whether a 法制审核人员 reviews and a 档案管理员 receives; and the decisions the reviewer chooses
    from (LW-L 15 for the 法制审核意见)."""

    officers: int = 0
    party: bool = False
    leader: str | None = None  # None, "any", "unit_head" or "agency_head"
    reviewer: bool = False
    archivist: bool = False
    reviewer_decisions: tuple = DEFAULT_DECISIONS

    @classmethod
    def from_json(cls, data) -> "SignatureRule":
        """The rule of a (validated) JSON object; `"leader": true` means any leader."""
        data = data or {}
        leader = data.get("leader")
        if leader is True:
            leader = LEADER_ANY
        elif not leader:
            leader = None
        return cls(officers=int(data.get("officers", 0) or 0), party=bool(data.get("party")), leader=leader,
                   reviewer=bool(data.get("reviewer")), archivist=bool(data.get("archivist")),
                   reviewer_decisions=tuple(data.get("reviewer_decisions") or DEFAULT_DECISIONS))

    def to_json(self) -> dict:
        """The rule as plain JSON, as a record pins it (Record.rule) and its event logs it."""
        return {"officers": self.officers, "party": self.party, "leader": self.leader, "reviewer": self.reviewer,
                "archivist": self.archivist, "reviewer_decisions": list(self.reviewer_decisions)}

    def requires(self, capacity: str) -> bool:
        """Does the rule ask for a signature in `capacity` ("leader", "reviewer", "archivist")?"""
        return bool(getattr(self, str(capacity), None)) if str(capacity) in ("leader", "reviewer", "archivist") \
            else False

    def roles_for(self, capacity: str) -> frozenset:
        """The roles whose holders may sign in `capacity` under this rule."""
        capacity = str(capacity)
        if capacity == "leader":
            return LEADER_ROLES[self.leader or LEADER_ANY]
        if capacity == "reviewer":
            return frozenset({Role.LEGAL_REVIEWER})
        if capacity == "archivist":
            return frozenset({Role.ARCHIVIST})
        return frozenset()

    def decisions_for(self, capacity: str) -> tuple:
        return self.reviewer_decisions if str(capacity) == "reviewer" else DEFAULT_DECISIONS

    def capacity_label(self, capacity: str) -> str:
        from .models import SignerRole

        if str(capacity) == "leader" and self.leader:
            return LEADER_CHOICES[self.leader] if self.leader != LEADER_ANY else SignerRole.LEADER.label
        return SignerRole(capacity).label


@dataclass(frozen=True)
class RuleOverride:
    """One rule set by a kind of act and its procedure on a record type, with its legal basis.
    `applies` (a profiles.spec.Applies), when set, says where it holds instead of kind/procedure."""

    id: str
    kind: str
    procedure: str
    record_type: str
    value: dict = field(default_factory=dict)  # the keys of the signature rule it sets
    basis: str = ""  # the article it rests on
    applies: object = None

    def matches(self, kind: str, procedure: str, code: str, start_mode: str = "") -> bool:
        if self.record_type != code:
            return False
        if self.applies is not None:
            return self.applies.matches(kind, procedure, start_mode)
        return (self.kind, self.procedure) == (kind, procedure)


def from_profile(profile) -> tuple[RuleOverride, ...]:
    """The signature requirements (签字要求) of an agency profile as overrides."""
    return tuple(RuleOverride(id=s.id, kind=",".join(s.applies.kinds), procedure=",".join(s.applies.procedures),
                              record_type=s.record_type, value=dict(s.value), basis=s.article, applies=s.applies)
                 for s in profile.signatures)


# The packaged base profile's (liuhen/profiles/data/base.yaml, `signatures:`):
# 行政处罚法 art. 57: after the investigation, 行政机关负责人 reviews the results and decides; art. 57
# para. 2: for complex or serious cases 行政机关负责人 decide collectively. A unit head's signature
# on the approval of a general-procedure penalty decision is not the agency head's decision.
OVERRIDES: tuple[RuleOverride, ...] = from_profile(_loader.packaged("base"))


# The overrides as issue 12 shipped them: records made under issue 12 before the effective rule was
# pinned on each record (Record.rule, migration 0005) are held to these, whatever a profile says
# later. Kept as literal data: they are history, not configuration.
ISSUE_12_OVERRIDES: tuple[RuleOverride, ...] = (
    RuleOverride(
        id="penalty.general.leader_approval.agency_head", kind="penalty", procedure="general",
        record_type="leader_approval", value={"leader": LEADER_AGENCY},
        basis="《中华人民共和国行政处罚法》第五十七条第一款：调查终结，行政机关负责人应当对调查结果进行审查，"
              "根据不同情况，分别作出决定"),
    RuleOverride(
        id="penalty.general.collective_discussion.agency_head", kind="penalty", procedure="general",
        record_type="collective_discussion", value={"leader": LEADER_AGENCY},
        basis="《中华人民共和国行政处罚法》第五十七条第二款：对情节复杂或者重大违法行为给予行政处罚，"
              "行政机关负责人应当集体讨论决定"),
)


def overrides_of_case(case) -> tuple[RuleOverride, ...]:
    """The overrides of the profile version `case` was opened under (memoised per profile)."""
    profile = _profiles.profile_for_case(case)
    if profile is _loader.packaged("base"):
        return OVERRIDES  # the base profile's, as this module read them
    hit = _BY_PROFILE.get(id(profile))
    if hit is None or hit[0] is not profile:
        hit = _BY_PROFILE[id(profile)] = (profile, from_profile(profile))
    return hit[1]


_BY_PROFILE: dict[int, tuple] = {}


def overrides_for(kind: str, procedure: str, code: str, overrides=None, *, case=None) -> list[RuleOverride]:
    """The overrides for a record of type `code` in a case of `kind` and `procedure`: from
    `overrides` if given, else from `case`'s profile, else the base profile's (OVERRIDES)."""
    if overrides is None:
        overrides = overrides_of_case(case) if case is not None else OVERRIDES
    start_mode = getattr(case, "start_mode", "") or ""
    return [o for o in overrides if o.matches(kind, procedure, code, start_mode)]


def effective_rule(base: dict, kind: str = "", procedure: str = "", code: str = "", *,
                   overrides=None, case=None) -> SignatureRule:
    """The rule a record of type `code` in a case of `kind` and `procedure` is held to: the type's
    own rule (as pinned when the record was made) with the overrides for that kind and procedure —
    `overrides` if given, else those of `case`'s profile version, else the base profile's."""
    rule = SignatureRule.from_json(base)
    for o in overrides_for(kind, procedure, code, overrides, case=case):
        rule = replace(rule, **{k: (SignatureRule.from_json({k: v}).__dict__[k]) for k, v in o.value.items()})
    return rule


# ---- Validating a record type's JSON (the admin) -----------------------------------------------------

FIELD_TYPES = {"text": "单行文本", "textarea": "多行文本", "date": "日期", "datetime": "日期时间",
               "integer": "整数", "choice": "单选", "bool": "是/否"}
FIELD_KEYS = {"name", "label", "type", "required", "choices", "help", "default"}


def field_errors(fields) -> list[str]:
    """Chinese errors for a record type's field list (empty when it is valid)."""
    import re

    if not isinstance(fields, list):
        return ["字段必须是一个列表（JSON 数组），每项描述一个字段。"]
    errors, names = [], set()
    for i, spec in enumerate(fields, 1):
        where = f"第{i}个字段"
        if not isinstance(spec, dict):
            errors.append(f"{where}必须是一个对象（JSON 对象）。")
            continue
        unknown = set(spec) - FIELD_KEYS
        if unknown:
            errors.append(f"{where}含有未知的键：{'、'.join(sorted(map(str, unknown)))}"
                          f"（可用：{'、'.join(sorted(FIELD_KEYS))}）。")
        name = spec.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,59}", name):
            errors.append(f"{where}缺少名称（name），或名称不是小写英文字母、数字和下划线。")
        elif name in names:
            errors.append(f"字段名称“{name}”重复。")
        else:
            names.add(name)
            where = f"字段“{name}”"
        label = spec.get("label")
        if not isinstance(label, str) or not label.strip():
            errors.append(f"{where}缺少显示名称（label）。")
        kind = spec.get("type", "text")
        if kind not in FIELD_TYPES:
            errors.append(f"{where}的类型“{kind}”未知（可用：{'、'.join(f'{k}（{v}）' for k, v in FIELD_TYPES.items())}）。")
        choices = spec.get("choices")
        if kind == "choice":
            if not isinstance(choices, list) or not choices or not all(isinstance(c, str) and c for c in choices):
                errors.append(f"{where}是单选字段，必须给出选项（choices，非空文字列表）。")
        elif choices is not None:
            errors.append(f"{where}不是单选字段，不能有选项（choices）。")
        if "required" in spec and not isinstance(spec["required"], bool):
            errors.append(f"{where}的“required”必须是 true 或 false。")
        if "help" in spec and not isinstance(spec["help"], str):
            errors.append(f"{where}的说明（help）必须是文字。")
    return errors


def rule_errors(rule) -> list[str]:
    """Chinese errors for a record type's signature rule (empty when it is valid)."""
    if not isinstance(rule, dict):
        return ["签字要求必须是一个对象（JSON 对象），例如 {\"officers\": 2, \"party\": true}。"]
    errors = []
    unknown = set(rule) - RULE_KEYS
    if unknown:
        errors.append(f"签字要求含有未知的键：{'、'.join(sorted(map(str, unknown)))}（可用：{'、'.join(sorted(RULE_KEYS))}）。")
    officers = rule.get("officers", 0)
    if isinstance(officers, bool) or not isinstance(officers, int) or not 0 <= officers <= 10:
        errors.append("执法人员签字人数（officers）必须是 0 到 10 的整数。")
    for key, label in (("party", "当事人签字"), ("reviewer", "法制审核"), ("archivist", "档案管理员签字")):
        if key in rule and not isinstance(rule[key], bool):
            errors.append(f"{label}（{key}）必须是 true 或 false。")
    leader = rule.get("leader", None)
    if not (leader is None or isinstance(leader, bool) or leader in LEADER_CHOICES):
        errors.append(f"负责人（leader）必须是 true、false 或 {'、'.join(LEADER_CHOICES)} 之一。")
    decisions = rule.get("reviewer_decisions")
    if decisions is not None:
        if not isinstance(decisions, list) or not decisions or not all(isinstance(d, str) and d for d in decisions):
            errors.append("法制审核结论（reviewer_decisions）必须是非空的文字列表。")
        elif AGREE not in decisions:
            errors.append("法制审核结论（reviewer_decisions）必须包含“同意”。")
        elif len(set(decisions)) != len(decisions):
            errors.append("法制审核结论（reviewer_decisions）有重复项。")
    if not errors and not (officers or rule.get("party") or leader or rule.get("reviewer") or rule.get("archivist")):
        errors.append("签字要求至少要求一人签字。")
    return errors
