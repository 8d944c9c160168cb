"""Reading a profile file (机关执法规则配置文件) into a `spec.Profile`, refusing a bad one.

A profile is YAML (comments in Chinese are welcome). The file is composed into nodes first
(`yaml.compose`) so that every value keeps its line: each error names the line it is about and says
in Chinese what is wrong. All errors of a file are gathered and reported together (`ProfileError`),
and nothing is returned unless the whole file — with the profile it extends — is valid.

The format is documented in docs/profiles.md; `data/base.yaml` is the reference. In short:

    code: BX                         # the profile's code
    name: 本溪市水务局行政执法全过程记录规则
    regulation: BX                   # the seed it implements (docs/regulations)
    extends: base                    # optional: a packaged profile it starts from
    rules: [{id, value, article, text}]
    stages: [{stage, applies: {kinds, procedures, start_modes}, closed, requirements: [{id, codes, article, drafted_suffices}]}]
    signatures: [{id, record_type, applies, officers|party|leader|reviewer|archivist|reviewer_decisions, article}]
    av_acts: [{id, label, records, av: required|forbidden_without_reason|optional, kinds, time_field, article}]
    deadlines: [{id, label, start, period, end, extension, applies, per, severity, article}]
    major: [{id, label, fact, op, value, article}]
    publicity: {applies, article, exclude_penalties, mask_person_name, deadline, withdrawal_deadline, republish_deadline,
                durations: [{penalties, max_fine, months, article}], no_early_removal, draft_roles, review_roles,
                approve_roles, statistics_due, notice}
    phrases: [{id, act, text, article}]
    scorecard: {hard_fail: [items], sections: [{id, label, points, items: [{id, label, points, article, findings}]}], bands: [{label, min}]}
    retention: {raw_months, case_file_years, long_term_years, notice_days, recovery_days, hold_roles, decide_roles, restore_roles}
    copies: {approve_roles, maker_roles}
    archive: {file_retention, classification, staff_approve_roles, outsider_approve_roles, party_approve_roles, max_days}
    inspections: {roles, checklist: {footage: [{code, label, basis}], device: [...]}}
    devices: {check_every_days, equipment_ratio: {cameras, officers}}
    (each value of these four bare, or {value: …, article: …})
    documents: {letterhead, footer, remedies, kinds: {<record type>: {title, template}},
                numbering: {<record type>: "{agency}罚〔{year}〕第{n}号"}}

An extending profile's entries replace the parent's with the same id (stages: the same stage,
applies and `closed`) and add the others; `remove: [ids]` drops inherited entries; `scorecard`, when
given, replaces the parent's whole; in `publicity`, `retention`, `copies`, `inspections`, `devices` and the
other value sections each key given replaces the parent's and the others are kept (a checklist per kind;
`durations` as one list); in `documents` likewise, `kinds` and `numbering` record type by record type.

Which record types, kinds, procedures, start modes and stages exist is known to the apps above
(records, cases): they fill the registries below in their `ready()`. Before that (a profile parsed
while Django starts), those names are not checked — `liuhen profile check` and every load are.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from . import spec

DATA_DIR = Path(__file__).resolve().parent / "data"

# ---- registries of the names a profile may use (filled by higher apps) ------------------------------

_RECORD_TYPES: list[Callable[[], dict[str, str]]] = []
_CASE_CODES: list[Callable[[], dict[str, set[str]]]] = []


def register_record_types(fn: Callable[[], dict[str, str]]) -> None:
    """The records app gives the record types a profile may name, {code: Chinese name} (its ready())."""
    if fn not in _RECORD_TYPES:
        _RECORD_TYPES.append(fn)


def register_case_codes(fn: Callable[[], dict[str, set[str]]]) -> None:
    """The cases app gives {"kinds", "procedures", "start_modes", "stages"} → codes (its ready())."""
    if fn not in _CASE_CODES:
        _CASE_CODES.append(fn)


def known_record_types() -> set[str] | None:
    if not _RECORD_TYPES:
        return None
    out: set[str] = set()
    for fn in _RECORD_TYPES:
        out |= set(fn())
    return out


def record_type_names() -> dict[str, str]:
    out: dict[str, str] = {}
    for fn in _RECORD_TYPES:
        out.update(fn())
    return out


def known_case_codes() -> dict[str, set[str]] | None:
    if not _CASE_CODES:
        return None
    out: dict[str, set[str]] = {}
    for fn in _CASE_CODES:
        for k, v in fn().items():
            out.setdefault(k, set()).update(v)
    return out


# ---- errors -------------------------------------------------------------------------------------------

class ProfileError(ValueError):
    """A profile refused: `errors` is a list of (file label, line or None, Chinese reason)."""

    def __init__(self, errors: list[tuple[str, int | None, str]]):
        self.errors = sorted(errors, key=lambda e: (e[0], e[1] or 0))
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"{where}{f' 第{line}行' if line else ''}：{msg}" for where, line, msg in self.errors]

    @property
    def first_line(self) -> int | None:
        return self.errors[0][1] if self.errors else None


# ---- YAML nodes with their lines ---------------------------------------------------------------------

class _Doc:
    """The file's data as plain Python, and the line of each value by its path."""

    def __init__(self, label: str):
        self.label = label
        self.lines: dict[tuple, int] = {}
        self.errors: list[tuple[str, int | None, str]] = []

    def line(self, path: tuple) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, path: tuple, msg: str) -> None:
        self.errors.append((self.label, self.line(path), msg))


_SCALARS = yaml.constructor.SafeConstructor()
# libyaml's parser when PyYAML was built with it (Debian's and the wheels are): every `liuhen` command
# and every worker parses the packaged profiles at start, ten times faster than in pure Python.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _plain(doc: _Doc, node, path: tuple):
    doc.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = _plain(doc, key_node, path + ("<key>",))
            if not isinstance(key, str):
                doc.errors.append((doc.label, key_node.start_mark.line + 1, f"键“{key}”应为文字"))
                key = str(key)
            if key in out:
                doc.errors.append((doc.label, key_node.start_mark.line + 1, f"键“{key}”重复"))
            out[key] = _plain(doc, value_node, path + (key,))
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(doc, n, path + (i,)) for i, n in enumerate(node.value)]
    try:
        return _SCALARS.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        doc.errors.append((doc.label, node.start_mark.line + 1, f"无法读取的值：{exc}"))
        return None


def parse_text(text: str, label: str) -> tuple[dict | None, _Doc]:
    """The file's top mapping and its lines; a YAML syntax error is an error with its line."""
    doc = _Doc(label)
    try:
        try:
            node = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            # Read again by PyYAML's own parser: the message and line a user is shown stay its own.
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # A problem found at the end of the stream is about the file's last line.
        line = min(mark.line + 1, text.rstrip("\n").count("\n") + 1) if mark else None
        doc.errors.append((label, line, f"YAML 语法错误：{exc.problem or exc}"))
        return None, doc
    except yaml.YAMLError as exc:
        doc.errors.append((label, None, f"YAML 语法错误：{exc}"))
        return None, doc
    if node is None:
        doc.errors.append((label, 1, "文件为空"))
        return None, doc
    data = _plain(doc, node, ())
    if not isinstance(data, dict):
        doc.error((), "文件顶层应为键值对（code、name、regulation、rules、stages……）")
        return None, doc
    return data, doc


# ---- structural checks -------------------------------------------------------------------------------

TOP_KEYS = {"code", "name", "regulation", "extends", "remove", "rules", "stages", "signatures", "av_acts",
            "deadlines", "major", "publicity", "phrases", "scorecard", "retention", "copies", "inspections", "devices",
            "documents", "legal_review", "rights", "delivery", "execution", "case_property", "archive"}
LIST_SECTIONS = ("rules", "stages", "signatures", "av_acts", "deadlines", "major", "phrases")
SECTION_LABELS = {"rules": "规则值", "stages": "立卷要求", "signatures": "签字要求", "av_acts": "音像记录环节",
                  "deadlines": "期限", "major": "重大执法决定标准", "phrases": "执法用语", "publicity": "公示",
                  "scorecard": "评查标准", "retention": "音像资料保存", "copies": "证据复制", "inspections": "音像记录抽检",
                  "devices": "音像记录设备", "documents": "执法文书",
                  "legal_review": "法制审核", "rights": "当事人权利", "delivery": "送达", "execution": "执行",
                  "case_property": "涉案财物", "archive": "归档与利用"}
AV_MODES = {"required": (True, False), "forbidden_without_reason": (True, True), "optional": (False, False)}
AV_KINDS = {"video", "audio", "photo"}
SIGNATURE_KEYS = {"officers", "party", "leader", "reviewer", "archivist", "reviewer_decisions"}
LEADERS = {"any", "unit_head", "agency_head"}
SEVERITIES = {"error", "warning"}
PER = {"case", "footage"}
MAJOR_OPS = {">=", "in", "is"}
CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
STAGES = ("start", "investigation", "decision", "service", "archive")


class _Checker:
    def __init__(self, doc: _Doc):
        self.doc = doc

    def err(self, path, msg):
        self.doc.error(tuple(path), msg)

    def keys(self, value, path, allowed: set, required: set, what: str) -> bool:
        if not isinstance(value, dict):
            self.err(path, f"{what}应为键值对")
            return False
        for k in value:
            if k not in allowed:
                self.err(tuple(path) + (k,), f"{what}含未知的键“{k}”（可用：{'、'.join(sorted(allowed))}）")
        for k in sorted(required - set(value)):
            self.err(path, f"{what}缺少“{k}”")
        return True

    def text(self, value, path, what, *, empty=False) -> str:
        if not isinstance(value, str) or (not empty and not value.strip()):
            self.err(path, f"{what}应为{'文字' if empty else '非空文字'}")
            return ""
        return value.strip()

    def article(self, item: dict, path, what) -> str:
        if "article" not in item:
            self.err(path, f"{what}缺少依据（article）：每条规则都要写明依据的条款")
            return ""
        a = item["article"]
        if not isinstance(a, str) or not a.strip():
            self.err(tuple(path) + ("article",), f"{what}的依据（article）为空：每条规则都要写明依据的条款")
            return ""
        return a.strip()

    def str_list(self, value, path, what, *, allowed=None, empty=True) -> tuple[str, ...]:
        if value is None and empty:
            return ()
        if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value) or (not empty and not value):
            self.err(path, f"{what}应为{'' if empty else '非空的'}文字列表")
            return ()
        if allowed is not None:
            for i, x in enumerate(value):
                if x not in allowed:
                    self.err(tuple(path) + (i,), f"{what}中的“{x}”未知（可用：{'、'.join(sorted(allowed))}）")
        return tuple(value)

    def bool(self, value, path, what) -> bool:
        if not isinstance(value, bool):
            self.err(path, f"{what}应为 true 或 false")
            return False
        return value

    def int(self, value, path, what, low=0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            self.err(path, f"{what}应为不小于{low}的整数")
            return 0
        return value


def _check_file(data: dict, doc: _Doc, codes: dict | None, record_types: set | None) -> dict:
    """Structure and names of one file; returns {section: [(item, path)]} of the well-formed entries."""
    c = _Checker(doc)
    c.keys(data, (), TOP_KEYS, {"code", "name"}, "配置文件")
    if "code" in data and (not isinstance(data["code"], str) or not CODE_RE.match(data["code"])):
        c.err(("code",), "代码（code）应为字母开头的字母、数字、下划线或连字符，不超过32个字符")
    if "name" in data:
        c.text(data["name"], ("name",), "名称（name）")
    if "regulation" in data:
        c.text(data["regulation"], ("regulation",), "依据的制度（regulation）", empty=True)
    if "extends" in data:
        c.text(data["extends"], ("extends",), "继承（extends）")
    if "remove" in data:
        c.str_list(data["remove"], ("remove",), "删除的继承条目（remove）")
    kinds = codes.get("kinds") if codes else None
    procedures = codes.get("procedures") if codes else None
    start_modes = codes.get("start_modes") if codes else None

    def applies(value, path) -> spec.Applies:
        if value is None:
            return spec.Applies()
        if not c.keys(value, path, {"kinds", "procedures", "start_modes"}, set(), "适用范围（applies）"):
            return spec.Applies()
        return spec.Applies(c.str_list(value.get("kinds"), path + ("kinds",), "执法类别（kinds）", allowed=kinds),
                            c.str_list(value.get("procedures"), path + ("procedures",), "程序（procedures）",
                                       allowed=procedures),
                            c.str_list(value.get("start_modes"), path + ("start_modes",), "启动方式（start_modes）",
                                       allowed=start_modes))

    def record_type(code, path, what):
        if record_types is not None and code not in record_types:
            c.err(path, f"{what}“{code}”不是已知的文书类型")

    def anchor(value, path, what) -> str:
        name = c.text(value, path, what)
        if not name:
            return ""
        parts = name.split(".")
        ok = name in ANCHORS or (
            len(parts) == 3 and parts[0] == "stage" and parts[2] == "entered" and parts[1] in STAGES) or (
            len(parts) == 3 and parts[0] == "record" and parts[2] in ("drafted", "completed") and parts[1])
        if not ok:
            c.err(path, f"{what}“{name}”不是已知的时点（可用：{'、'.join(sorted(ANCHORS))}、stage.<阶段>.entered、"
                        "record.<文书类型>.drafted|completed）")
        elif parts[0] == "record":
            record_type(parts[1], path, f"{what}中的文书类型")
        return name

    def period(value, path, what) -> spec.Period | None:
        try:
            return spec.Period.parse(value if isinstance(value, str) else str(value))
        except ValueError as exc:
            c.err(path, f"{what}：{exc}")
            return None

    out: dict[str, list] = {}
    for section in LIST_SECTIONS:
        if section not in data:
            continue
        items = data[section]
        what = SECTION_LABELS[section]
        if not isinstance(items, list):
            c.err((section,), f"{what}（{section}）应为列表")
            continue
        seen = {}
        built = []
        for i, item in enumerate(items):
            path = (section, i)
            built_item = _BUILDERS[section](c, item, path, applies=applies, record_type=record_type, anchor=anchor,
                                            period=period, stages_known=codes.get("stages") if codes else None)
            if built_item is None:
                continue
            key = _key(section, built_item)
            if key in seen:
                c.err(path, f"{what}的标识“{_key_label(key)}”重复（第{doc.line(seen[key])}行已有）")
                continue
            seen[key] = path
            built.append(built_item)
        out[section] = built
    if "publicity" in data:
        out["publicity"] = _publicity(c, data["publicity"], ("publicity",), applies, extends=bool(data.get("extends")))
    if "scorecard" in data:
        out["scorecard"] = _scorecard(c, data["scorecard"], ("scorecard",))
    for section in VALUE_SECTIONS:
        if section in data:
            out[section] = _value_section(c, section, data[section], (section,))
    if "documents" in data:
        out["documents"] = _documents_section(c, data["documents"], ("documents",), record_type)
    return out


ANCHORS = {"case.started", "case.archived", "footage.recorded", "footage.ingested", "decision.revoked",
           "decision.replaced", "publication.published", "publication.exempted", "publication.withdrawn",
           "publication.republished", "delivery.served"}


def _key(section, item):
    if section == "stages":
        return ("stage", item.stage, item.applies, item.closed)
    return item.id


def _key_label(key):
    if isinstance(key, tuple):
        _, stage, a, closed = key
        return f"{stage} {'/'.join(a.kinds) or '*'} {'/'.join(a.procedures) or '*'} {'/'.join(a.start_modes) or '*'}" \
               f"{'（结案于启动）' if closed else ''}"
    return key


def _id(c: _Checker, item, path, what) -> str:
    v = item.get("id")
    if not isinstance(v, str) or not ID_RE.match(v):
        c.err(path + ("id",) if "id" in item else path,
              f"{what}的标识（id）应为小写字母、数字、下划线、点或连字符")
        return ""
    return v


def _rule(c: _Checker, item, path, **_):
    if not c.keys(item, path, {"id", "value", "article", "text"}, {"id", "value"}, "规则值"):
        return None
    rid, article = _id(c, item, path, "规则值"), c.article(item, path, "规则值")
    if "text" in item:
        c.text(item["text"], path + ("text",), "说明（text）", empty=True)
    value = item.get("value")
    if isinstance(value, list):
        value = tuple(value)
    if not (rid and article) or "value" not in item:
        return None
    return spec.RuleValue(rid, value, article, item.get("text") or "")


def _requirement(c: _Checker, item, path, record_type):
    if not c.keys(item, path, {"id", "codes", "article", "drafted_suffices"}, {"id", "codes"}, "立卷要求"):
        return None
    rid, article = _id(c, item, path, "立卷要求"), c.article(item, path, "立卷要求")
    codes = c.str_list(item.get("codes"), path + ("codes",), "文书类型（codes）", empty=False)
    for i, code in enumerate(codes):
        record_type(code, path + ("codes", i), "文书类型")
    drafted = c.bool(item.get("drafted_suffices", False), path + ("drafted_suffices",), "drafted_suffices")
    if not (rid and article and codes):
        return None
    return spec.RequirementSpec(rid, codes, article, drafted)


def _stage(c: _Checker, item, path, applies, record_type, stages_known, **_):
    if not c.keys(item, path, {"stage", "applies", "closed", "requirements"}, {"stage", "requirements"}, "立卷要求"):
        return None
    stage = item.get("stage")
    known = stages_known or set(STAGES)
    if stage not in known:
        c.err(path + ("stage",), f"阶段“{stage}”未知（可用：{'、'.join(STAGES)}）")
        return None
    closed = c.bool(item.get("closed", False), path + ("closed",), "closed")
    reqs = item.get("requirements")
    if not isinstance(reqs, list):
        c.err(path + ("requirements",), "requirements 应为列表（可为空列表 []）")
        return None
    built, ids = [], set()
    for i, r in enumerate(reqs):
        req = _requirement(c, r, path + ("requirements", i), record_type)
        if req is not None:
            if req.id in ids:
                c.err(path + ("requirements", i), f"立卷要求的标识“{req.id}”在同一阶段中重复")
            ids.add(req.id)
            built.append(req)
    return spec.StageRequirements(stage, applies(item.get("applies"), path + ("applies",)), tuple(built), closed)


def _signature(c: _Checker, item, path, applies, record_type, **_):
    allowed = {"id", "record_type", "applies", "article"} | SIGNATURE_KEYS
    if not c.keys(item, path, allowed, {"id", "record_type"}, "签字要求"):
        return None
    sid, article = _id(c, item, path, "签字要求"), c.article(item, path, "签字要求")
    code = c.text(item.get("record_type"), path + ("record_type",), "文书类型（record_type）")
    if code:
        record_type(code, path + ("record_type",), "文书类型")
    value = {k: item[k] for k in SIGNATURE_KEYS if k in item}
    if not value:
        c.err(path, "签字要求应至少写明 officers、party、leader、reviewer、archivist 之一")
    if "officers" in value:
        c.int(value["officers"], path + ("officers",), "执法人员签字人数（officers）")
    for k in ("party", "reviewer", "archivist"):
        if k in value:
            c.bool(value[k], path + (k,), k)
    if "leader" in value and not (value["leader"] is None or value["leader"] is False or value["leader"] in LEADERS):
        c.err(path + ("leader",), f"负责人（leader）应为 {'、'.join(sorted(LEADERS))} 之一（unit_head：承办机构负责人；"
                                  "agency_head：机关负责人）")
    if "reviewer_decisions" in value:
        c.str_list(value["reviewer_decisions"], path + ("reviewer_decisions",), "法制审核结论", empty=False)
    if not (sid and article and code and value):
        return None
    return spec.SignatureSpec(sid, code, applies(item.get("applies"), path + ("applies",)), value, article)


def _av_act(c: _Checker, item, path, record_type, **_):
    allowed = {"id", "label", "records", "av", "kinds", "time_field", "article"}
    if not c.keys(item, path, allowed, {"id", "label", "records"}, "音像记录环节"):
        return None
    aid, article = _id(c, item, path, "音像记录环节"), c.article(item, path, "音像记录环节")
    label = c.text(item.get("label"), path + ("label",), "名称（label）")
    records = []
    value = item.get("records")
    if not isinstance(value, list) or not value:
        c.err(path + ("records",), "records 应为非空列表：每项为文书类型代码，或 [代码, 送达方式]")
    else:
        for i, x in enumerate(value):
            if isinstance(x, str) and x:
                x = [x]
            if isinstance(x, list) and 1 <= len(x) <= 2 and all(isinstance(y, str) for y in x) and x[0]:
                record_type(x[0], path + ("records", i), "文书类型")
                records.append((x[0], x[1] if len(x) > 1 else ""))
            else:
                c.err(path + ("records", i), "records 的每项应为文书类型代码，或 [代码, 送达方式]")
    mode = item.get("av", "forbidden_without_reason")
    if mode not in AV_MODES:
        c.err(path + ("av",), f"av 应为 {'、'.join(AV_MODES)} 之一（required：必须音像记录；forbidden_without_reason："
                              "无音像记录须有书面说明；optional：根据实际）")
        mode = "forbidden_without_reason"
    kinds = c.str_list(item.get("kinds", ["video", "audio"]), path + ("kinds",), "音像种类（kinds）",
                       allowed=AV_KINDS, empty=False)
    time_field = item.get("time_field", "time")
    if not isinstance(time_field, str):
        c.err(path + ("time_field",), "time_field 应为文字（可为空）")
    if not (aid and article and label and records and kinds):
        return None
    required, reason = AV_MODES[mode]
    return spec.AvActSpec(aid, label, tuple(records), required, kinds, time_field or "", article, reason)


def _deadline(c: _Checker, item, path, applies, anchor, period, **_):
    allowed = {"id", "label", "start", "period", "end", "extension", "applies", "per", "severity", "article"}
    if not c.keys(item, path, allowed, {"id", "label", "start", "period", "end"}, "期限"):
        return None
    did, article = _id(c, item, path, "期限"), c.article(item, path, "期限")
    label = c.text(item.get("label"), path + ("label",), "名称（label）")
    start = anchor(item.get("start"), path + ("start",), "起算时点（start）")
    p = period(item.get("period"), path + ("period",), "期限（period）") if "period" in item else None
    ends = item.get("end")
    if isinstance(ends, str):
        ends = [ends]
    end = []
    if not isinstance(ends, list) or not ends:
        c.err(path + ("end",), "截止时点（end）应为时点或非空的时点列表")
    else:
        end = [anchor(e, path + ("end", i), "截止时点（end）") for i, e in enumerate(ends)]
    ext = period(item["extension"], path + ("extension",), "延长期限（extension）") if item.get("extension") else None
    per = item.get("per", "case")
    if per not in PER:
        c.err(path + ("per",), "per 应为 case（每案）或 footage（每个音像文件）")
    severity = item.get("severity", "error")
    if severity not in SEVERITIES:
        c.err(path + ("severity",), "severity 应为 error（违规）或 warning（提醒）")
    if not (did and article and label and start and p and end and all(end)):
        return None
    return spec.DeadlineSpec(did, label, article, start, p, tuple(end), applies(item.get("applies"), path + ("applies",)),
                             ext if item.get("extension") else None, per, severity)


def _major(c: _Checker, item, path, **_):
    if not c.keys(item, path, {"id", "label", "fact", "op", "value", "article"}, {"id", "label", "fact", "op", "value"},
                  "重大执法决定标准"):
        return None
    mid, article = _id(c, item, path, "重大执法决定标准"), c.article(item, path, "重大执法决定标准")
    label = c.text(item.get("label"), path + ("label",), "名称（label）")
    fact = c.text(item.get("fact"), path + ("fact",), "事实（fact）")
    if item.get("op") not in MAJOR_OPS:
        c.err(path + ("op",), f"op 应为 {'、'.join(sorted(MAJOR_OPS))} 之一")
        return None
    value = item.get("value")
    if isinstance(value, list):
        value = tuple(value)
    if not (mid and article and label and fact):
        return None
    return spec.MajorCriterion(mid, label, fact, item["op"], value, article)


def _phrase(c: _Checker, item, path, **_):
    if not c.keys(item, path, {"id", "act", "text", "article"}, {"id", "act", "text"}, "执法用语"):
        return None
    pid, article = _id(c, item, path, "执法用语"), c.article(item, path, "执法用语")
    act = c.text(item.get("act"), path + ("act",), "环节（act）")
    text = c.text(item.get("text"), path + ("text",), "用语（text）")
    if not (pid and article and act and text):
        return None
    return spec.Phrase(pid, act, text, article)


PUBLICITY_REQUIRED = ("deadline", "withdrawal_deadline", "article")


def _publicity(c: _Checker, value, path, applies, *, extends: bool) -> dict:
    """{key: (value, article)} of the well-formed keys of `publicity:` (LW-P; 行政处罚法 48). `applies` and
    the section's `article` are bare, the others bare or {value: …, article: …}. A file that extends
    another gives only the keys it changes; one that extends nothing gives the deadlines and the article."""
    what = "公示（publicity）"
    required = set() if extends else {"deadline", "withdrawal_deadline"}
    if not c.keys(value, path, {"applies", "article", *PUBLICITY_KEYS}, required, what):
        return {}
    out = {}
    if "article" in value or not extends:
        article = c.article(value, path, what)
        if article:
            out["article"] = (article, "")
    if "applies" in value:
        out["applies"] = (applies(value["applies"], path + ("applies",)), "")
    out.update(_keyed_values(c, PUBLICITY_KEYS, value, path))
    return out


def _publicity_spec(values: dict | None) -> spec.PublicitySpec | None:
    """The frozen section of merged `values` (checked complete by _semantic), its defaults where a key is missing."""
    if not values:
        return None
    plain = {k: v for k, (v, _) in values.items()}
    return spec.PublicitySpec(applies=plain.pop("applies", spec.Applies()),
                              exclude_penalties=plain.pop("exclude_penalties", ()),
                              mask_person_name=plain.pop("mask_person_name", False), **plain,
                              key_articles=tuple((k, a) for k, (_, a) in values.items() if a))


def _score_item(c: _Checker, item, path, hard: bool):
    allowed = {"id", "label", "points", "article", "findings"}
    if not c.keys(item, path, allowed, {"id", "label"} | (set() if hard else {"points"}), "评查项目"):
        return None
    sid, article = _id(c, item, path, "评查项目"), c.article(item, path, "评查项目")
    label = c.text(item.get("label"), path + ("label",), "名称（label）")
    points = c.int(item.get("points", 0), path + ("points",), "扣分（points）")
    findings = c.str_list(item.get("findings"), path + ("findings",), "对应的问题代码（findings）")
    if not (sid and article and label):
        return None
    return spec.ScoreItem(sid, label, points, article, findings)


def _scorecard(c: _Checker, value, path):
    if not c.keys(value, path, {"hard_fail", "sections", "bands"}, {"sections", "bands"}, "评查标准（scorecard）"):
        return None
    ids: dict[str, tuple] = {}

    def items(lst, p, hard):
        out = []
        if not isinstance(lst, list):
            c.err(p, "评查项目应为列表")
            return out
        for i, it in enumerate(lst):
            built = _score_item(c, it, p + (i,), hard)
            if built is None:
                continue
            if built.id in ids:
                c.err(p + (i,), f"评查项目的标识“{built.id}”重复")
                continue
            ids[built.id] = p + (i,)
            out.append(built)
        return out

    hard = items(value.get("hard_fail", []), path + ("hard_fail",), True)
    sections = []
    secs = value.get("sections")
    if not isinstance(secs, list) or not secs:
        c.err(path + ("sections",), "sections 应为非空列表")
        secs = []
    for i, s in enumerate(secs):
        p = path + ("sections", i)
        if not c.keys(s, p, {"id", "label", "points", "items"}, {"id", "label", "points", "items"}, "评查部分"):
            continue
        sid = _id(c, s, p, "评查部分")
        label = c.text(s.get("label"), p + ("label",), "名称（label）")
        points = c.int(s.get("points"), p + ("points",), "分值（points）", low=1)
        its = items(s.get("items"), p + ("items",), False)
        if sid and label and points:
            sections.append(spec.ScoreSection(sid, label, points, tuple(its)))
    bands = []
    raw = value.get("bands")
    if not isinstance(raw, list) or not raw:
        c.err(path + ("bands",), "等次（bands）应为非空列表，如 [{label: 优秀, min: 90}, …]")
        raw = []
    for i, b in enumerate(raw):
        p = path + ("bands", i)
        if c.keys(b, p, {"label", "min"}, {"label", "min"}, "等次"):
            label = c.text(b.get("label"), p + ("label",), "等次名称")
            low = c.int(b.get("min"), p + ("min",), "最低分（min）")
            if label:
                bands.append((label, low))
    if [low for _, low in bands] != sorted((low for _, low in bands), reverse=True):
        c.err(path + ("bands",), "等次应按最低分从高到低排列")
    return spec.Scorecard(tuple(hard), tuple(sections), tuple(bands))


# ---- sections of plain values: retention, copies, inspections, devices ---------------------------------
# Each key is a bare value, or {value: …, article: …} naming the article that sets it. An extending
# profile's key replaces the parent's (with its article); the keys it leaves out keep the parent's.
# (These were the settings LIUHEN_RETENTION, LIUHEN_COPIES, LIUHEN_INSPECTION_ROLES /
# LIUHEN_INSPECTION_CHECKLIST and LIUHEN_DEVICES until issue 15.)

VALUE_SECTIONS = ("retention", "copies", "inspections", "devices", "legal_review", "rights", "delivery",
                  "execution", "case_property", "archive")
_BAD = object()
CHECK_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _count(low: int, high: int, *, none: str = ""):
    """A whole number from low to high (or null, when `none` says what null means)."""
    def check(c, value, path, what):
        if value is None and none:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            c.err(path, f"{what}应为 {low} 到 {high} 的整数" + (f"，或 null（{none}）" if none else ""))
            return _BAD
        return value
    return check


def _raw_months(c, value, path, what):
    # LW-D 11: 原始声像资料保存期限不少于半年 — a profile asking less is refused, not obeyed.
    if not isinstance(value, bool) and isinstance(value, int) and value < 6:
        c.err(path, f"{what}为 {value} 个月，少于6个月：原始声像资料保存期限不少于半年（LW-D 11），不能小于 6")
        return _BAD
    return _count(6, 1200)(c, value, path, what)


def _roles(act: str):
    def check(c, value, path, what):
        from liuhen.accounts.roles import case_role_list_problems

        problems = case_role_list_problems(value, act)
        for p in problems:
            c.err(path, f"{what}：{p}")
        return _BAD if problems else tuple(value)
    return check


def _ratio(c, value, path, what):
    if value is None:
        return None
    if not (isinstance(value, dict) and set(value) == {"cameras", "officers"}
            and all(isinstance(value[k], int) and not isinstance(value[k], bool) and 0 < value[k] <= 10000
                    for k in ("cameras", "officers"))):
        c.err(path, f"{what}应为 {{cameras: 正整数, officers: 正整数}}（每若干名持证执法人员配备若干台执法记录仪），"
                    "或 null（不设配备比例）")
        return _BAD
    return spec.EquipmentRatio(value["cameras"], value["officers"])


def _period(c, value, path, what):
    try:
        return spec.Period.parse(value)
    except ValueError as exc:
        c.err(path, f"{what}：{exc}")
        return _BAD


def _choice(options: dict):
    def check(c, value, path, what):
        if value not in options:
            c.err(path, f"{what}应为 {'、'.join(f'{k}（{v}）' for k, v in options.items())} 之一")
            return _BAD
        return value
    return check


def _flag(c, value, path, what):
    if not isinstance(value, bool):
        c.err(path, f"{what}应为 true 或 false")
        return _BAD
    return value


def _penalties(c, value, path, what):
    if not isinstance(value, list) or any(v not in spec.PENALTY_LABELS for v in value):
        c.err(path, f"{what}应为处罚种类代码的列表（{'、'.join(f'{k} {v}' for k, v in spec.PENALTY_KINDS)}）")
        return _BAD
    return tuple(value)


def _measures(c, value, path, what):
    codes = dict(spec.ENFORCEMENT_MEASURES)
    if not isinstance(value, list) or any(v not in codes for v in value):
        c.err(path, f"{what}应为强制执行方式代码的列表（{'、'.join(f'{k} {v}' for k, v in spec.ENFORCEMENT_MEASURES)}）")
        return _BAD
    return tuple(value)


VALUE_KEYS = {
    "retention": {
        "raw_months": ("原始音像资料保存月数（raw_months）", _raw_months),
        "case_file_years": ("作为证据的音像资料在案卷归档后保存年数（case_file_years）", _count(1, 100)),
        "long_term_years": ("长期保存年数（long_term_years）", _count(1, 100, none="永久保存")),
        "notice_days": ("清理前公告天数（notice_days）", _count(1, 365)),
        "recovery_days": ("移除后可恢复天数（recovery_days）", _count(1, 365)),
        "hold_roles": ("可采取法律保全的角色（hold_roles）", _roles("采取法律保全")),
        "decide_roles": ("可决定长期保存的角色（decide_roles）", _roles("决定长期保存")),
        "restore_roles": ("可恢复已移除音像资料的角色（restore_roles）", _roles("恢复已移除的音像资料")),
    },
    "copies": {
        "approve_roles": ("审批证据复制的角色（approve_roles）", _roles("审批证据复制")),
        "maker_roles": ("制作证据复制包的角色（maker_roles）", _roles("制作证据复制包")),
    },
    "inspections": {
        "roles": ("进行音像记录抽检的角色（roles）", _roles("抽检音像记录")),
        "checklist": None,  # per population kind: _checklist
    },
    "devices": {
        "check_every_days": ("定期检查周期天数（check_every_days）", _count(1, 3660, none="不要求定期检查")),
        "equipment_ratio": ("执法记录仪配备比例（equipment_ratio）", _ratio),
    },
    "legal_review": {
        "deadline": ("法制审核期限（deadline，期限的标识）", lambda c, v, p, w: v if isinstance(v, str) and v.strip()
                     else (c.err(p, f"{w}应为期限（deadlines）的标识") or _BAD)),
        "materials_wait": ("补充材料期间如何计算审核期限（materials_wait）", _choice(spec.MATERIALS_WAIT)),
        "materials_days": ("补充材料的期限（materials_days，工作日）", _count(1, 60)),
        "qualification_first": ("初次从事法制审核须取得法律职业资格（qualification_first）", _flag),
        "extension_roles": ("批准延长审核期限的角色（extension_roles）", _roles("批准延长法制审核期限")),
        "ruling_roles": ("对审核意见分歧作出决定的角色（ruling_roles）", _roles("对法制审核意见分歧作出决定")),
    },
    "rights": {
        "statement_period": ("告知后作出决定前的陈述申辩期限（statement_period）", _period),
        "hearing_request_period": ("申请听证的期限（hearing_request_period）", _period),
        "hearing_notice_period": ("举行听证前通知当事人的期限（hearing_notice_period）", _period),
        "hearing_penalties": ("当事人有权要求听证的处罚种类（hearing_penalties）", _penalties),
        "hearing_fine_person": ("自然人较大数额罚款（hearing_fine_person，元）", _count(1, 10**9)),
        "hearing_fine_organisation": ("法人或其他组织较大数额罚款（hearing_fine_organisation，元）", _count(1, 10**10)),
    },
    "delivery": {
        "lien_proof": ("留置送达的证明方式（lien_proof）", _choice(spec.LIEN_PROOFS)),
        "public_notice_days": ("公告送达经过多少日视为送达（public_notice_days）", _count(1, 365)),
    },
    "execution": {
        "payment_days": ("缴纳罚款的期限（payment_days，日）", _count(1, 365)),
        "late_fine_percent": ("每日加处罚款的比例（late_fine_percent，%）", _count(1, 3)),
        "deferral_roles": ("批准延期或分期缴纳罚款的角色（deferral_roles）", _roles("批准延期或分期缴纳罚款")),
        "reminder_days": ("催告书给予的履行期限（reminder_days，日）", _count(1, 365)),
        "court_months": ("申请人民法院强制执行的期限（court_months，月）", _count(1, 12)),
        "recheck_days": ("整改期限届满后复查的期限（recheck_days，工作日）", _count(1, 60)),
        "appeal_days": ("申请行政复议的期限（appeal_days，日）", _count(1, 365)),
        "lawsuit_months": ("提起行政诉讼的期限（lawsuit_months，月）", _count(1, 24)),
        "court_wait_days": ("催告书送达后申请法院强制执行前的等待日数（court_wait_days，日）", _count(1, 365)),
        "enforcement_power": ("本机关依法可以自行采取的强制执行方式（enforcement_power）", _measures),
    },
    "case_property": {
        "approve_roles": ("批准处理涉案财物的角色（approve_roles）", _roles("批准处理涉案财物")),
        "seizure_days": ("查封、扣押的期限（seizure_days，日）", _count(1, 30)),
        "seizure_extension_days": ("查封、扣押延长的期限（seizure_extension_days，日）", _count(0, 30)),
    },
    "archive": {
        "file_retention": ("案卷保管期限（file_retention）", _choice(spec.FILE_RETENTIONS)),
        "classification": ("卷内文件默认的公开属性（classification）", _choice(spec.CLASSIFICATIONS)),
        "staff_approve_roles": ("批准本机关人员调阅档案的角色（staff_approve_roles）", _roles("批准调阅档案")),
        "outsider_approve_roles": ("批准外单位人员查阅档案的角色（outsider_approve_roles）", _roles("批准外单位查阅档案")),
        "party_approve_roles": ("批准当事人查阅、复制案卷的角色（party_approve_roles）", _roles("批准当事人查阅、复制")),
        "max_days": ("调阅授权的最长天数（max_days）", _count(1, 365)),
    },
}


def _deadline_ref(c, value, path, what):
    if not isinstance(value, str) or not value.strip():
        c.err(path, f"{what}应为期限（deadlines）的标识")
        return _BAD
    return value.strip()


def _month_day(c, value, path, what):
    import datetime

    m = re.fullmatch(r"(\d{2})-(\d{2})", value) if isinstance(value, str) else None
    try:
        datetime.date(2025, int(m[1]), int(m[2])) if m else None  # a year without 29 February
    except ValueError:
        m = None
    if not m:
        c.err(path, f"{what}应为每年都有的“月-日”，加引号，如 \"01-31\"（1月31日）")
        return _BAD
    return value


def _notice(c, value, path, what):
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > 300:
        c.err(path, f"{what}应为非空文字，不超过300个字符")
        return _BAD
    return value.strip()


def _durations(c, value, path, what):
    """公示期限 rules in order, the first that matches a decision wins; the last must match every decision."""
    if not isinstance(value, list) or not value:
        c.err(path, f"{what}应为非空列表，每项为 {{penalties: [处罚种类代码], max_fine: 罚款上限（元）, months: 月数, "
                    "article: 依据}}，按顺序第一条相符的适用")
        return _BAD
    built, ok = [], True
    for i, item in enumerate(value):
        p, rule = path + (i,), f"{what}第{i + 1}条"
        if not c.keys(item, p, {"penalties", "max_fine", "months", "article"}, {"months"}, rule) or "months" not in item:
            ok = False
            continue
        article = c.article(item, p, rule)
        penalties = _penalties(c, [] if item.get("penalties") is None else item["penalties"], p + ("penalties",),
                               f"{rule}的处罚种类（penalties）")
        max_fine = (None if item.get("max_fine") is None else
                    _count(0, 10**10)(c, item["max_fine"], p + ("max_fine",), f"{rule}的罚款上限（max_fine，元）"))
        months = _count(1, 1200)(c, item.get("months"), p + ("months",), f"{rule}的公示月数（months）")
        if not article or any(x is _BAD for x in (penalties, max_fine, months)):
            ok = False
            continue
        built.append(spec.PublicityDuration(penalties, max_fine, months, article))
    if not ok:
        return _BAD
    catch_all = [i for i, d in enumerate(built) if not d.penalties and d.max_fine is None]
    if catch_all and catch_all[0] < len(built) - 1:
        c.err(path + (catch_all[0],), f"{what}第{catch_all[0] + 1}条不限处罚种类和罚款数额，其后的规则永远不会适用")
        return _BAD
    if not catch_all:
        c.err(path + (len(built) - 1,), f"{what}缺少兜底规则：最后一条应不写 penalties 和 max_fine，"
                                        "作为其余决定的公示期限（市场监管公示规定 14：其他的公示三年）")
        return _BAD
    return tuple(built)


# 公示 (LW-P; 行政处罚法 48; 市场监管公示规定): `applies` and the section's `article` are read by _publicity.
PUBLICITY_KEYS = {
    "exclude_penalties": ("不予公示的处罚种类（exclude_penalties）", _penalties),
    "mask_person_name": ("隐去受处罚自然人的姓名（mask_person_name）", _flag),
    "deadline": ("公示期限（deadline，期限的标识）", _deadline_ref),
    "withdrawal_deadline": ("撤回公示的期限（withdrawal_deadline，期限的标识）", _deadline_ref),
    "republish_deadline": ("变更后重新公示的期限（republish_deadline，期限的标识）", _deadline_ref),
    "durations": ("公示期限规则（durations）", _durations),
    "no_early_removal": ("不得提前撤下的处罚种类（no_early_removal）", _penalties),
    "draft_roles": ("起草公示稿的角色（draft_roles）", _roles("起草公示稿")),
    "review_roles": ("审核公示内容的角色（review_roles）", _roles("审核公示内容")),
    "approve_roles": ("批准公示、撤回或提前撤下的角色（approve_roles）", _roles("批准公示")),
    "statistics_due": ("公开上一年度执法数据的截止日（statistics_due）", _month_day),
    "notice": ("决定书上告知当事人将予公示的语句（notice）", _notice),
}


def _value_section(c: _Checker, section: str, value, path) -> dict:
    """{key: (value, article)} of the well-formed keys of one section (checklist: "checklist.<kind>")."""
    keys = VALUE_KEYS[section]
    what = f"{SECTION_LABELS[section]}（{section}）"
    if not c.keys(value, path, set(keys), set(), what):
        return {}
    return _keyed_values(c, keys, value, path)


def _keyed_values(c: _Checker, keys: dict, value: dict, path) -> dict:
    """{key: (value, article)} of the keys of `value` that `keys` knows, each checked by its checker."""
    out = {}
    for key, raw in value.items():
        if key not in keys:
            continue
        p = path + (key,)
        if keys[key] is None:
            out.update(_checklist(c, raw, p))
            continue
        label, check = keys[key]
        article = ""
        if isinstance(raw, dict) and "value" in raw:  # {value: …, article: …}
            if not c.keys(raw, p, {"value", "article"}, {"value"}, label):
                continue
            if "article" in raw:
                article = c.article(raw, p, label)
                if not article:
                    continue
            raw, p = raw["value"], p + ("value",)
        checked = check(c, raw, p, label)
        if checked is not _BAD:
            out[key] = (checked, article)
    return out


def _checklist(c: _Checker, value, path) -> dict:
    """{"checklist.<kind>": (items, "")}: a non-empty list per kind given, each item with a code, a
    label and its basis (the article it checks)."""
    if not c.keys(value, path, set(spec.INSPECTION_KINDS), set(), "抽检项目（checklist）"):
        return {}
    out = {}
    for kind, items in value.items():
        if kind not in spec.INSPECTION_KINDS:
            continue
        p = path + (kind,)
        if not isinstance(items, list) or not items:
            c.err(p, f"{kind} 的抽检项目应为至少一项的列表")
            continue
        built, seen, ok = [], {}, True
        for i, item in enumerate(items):
            ip = p + (i,)
            if not c.keys(item, ip, {"code", "label", "basis"}, {"code", "label", "basis"}, "抽检项目"):
                ok = False
                continue
            code = item.get("code")
            if not isinstance(code, str) or not CHECK_CODE_RE.match(code):
                c.err(ip + ("code",), "抽检项目的代码（code）应为小写字母开头的英文标识（最多40个字符）")
                ok = False
            elif code in seen:
                c.err(ip + ("code",), f"抽检项目的代码“{code}”重复（第{c.doc.line(seen[code])}行已有）")
                ok = False
            else:
                seen[code] = ip
            label = c.text(item["label"], ip + ("label",), "抽检项目的名称（label）") if "label" in item else ""
            basis = c.text(item["basis"], ip + ("basis",), "抽检项目的依据（basis）") if "basis" in item else ""
            if label and len(label) > 50:
                c.err(ip + ("label",), "抽检项目的名称（label）不能超过50个字符")
                ok = False
            if basis and len(basis) > 50:
                c.err(ip + ("basis",), "抽检项目的依据（basis）不能超过50个字符")
                ok = False
            if not (label and basis):
                ok = False
                continue
            built.append(spec.ChecklistItem(code, label, basis))
        if ok:
            out[f"checklist.{kind}"] = (tuple(built), "")
    return out


def _value_spec(section: str, values: dict):
    """The frozen section of `values` ({key: (value, article)}), its defaults where a key is missing."""
    articles = tuple((k, a) for k, (_, a) in values.items() if a)
    if section == "inspections":
        checklist = dict(spec.InspectionsSpec().checklist)
        checklist.update({k.split(".", 1)[1]: v for k, (v, _) in values.items() if k.startswith("checklist.")})
        roles = values["roles"][0] if "roles" in values else spec.InspectionsSpec().roles
        return spec.InspectionsSpec(roles=roles, checklist=tuple((k, checklist[k]) for k in spec.INSPECTION_KINDS),
                                    articles=articles)
    cls = {"retention": spec.RetentionSpec, "copies": spec.CopiesSpec, "devices": spec.DevicesSpec,
           "legal_review": spec.LegalReviewSpec, "rights": spec.RightsSpec, "delivery": spec.DeliverySpec,
           "execution": spec.ExecutionSpec, "case_property": spec.CasePropertySpec,
           "archive": spec.ArchiveSpec}[section]
    return cls(**{k: v for k, (v, _) in values.items()}, articles=articles)


# ---- documents (执法文书, issue 16): letterhead, wording, templates and 文号 formats ---------------------

DOCUMENT_KEYS = {"letterhead": "文书抬头（letterhead）", "footer": "页脚（footer）", "remedies": "救济途径告知（remedies）",
                 "kinds": "文书种类（kinds）", "numbering": "文号格式（numbering）"}


def _number_format(c: _Checker, value, path, what) -> str | None:
    """A 文号 format: {agency} (the agency's short name), {year} and {n}, nothing else; {year} and
    {n} required, so that two years or two documents never share a number."""
    import string

    if not isinstance(value, str) or not value.strip():
        c.err(path, f"{what}应为非空文字，如“{{agency}}罚〔{{year}}〕第{{n}}号”")
        return None
    def unusable(exc) -> None:
        c.err(path, f"{what}“{value}”无法使用（{exc}）：占位符只能是 {{agency}}、{{year}}、{{n}}，"
                    "文字中的花括号请写成 {{ 或 }}")

    try:
        names = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError as exc:
        unusable(exc)
        return None
    unknown = [n for n in names if n not in spec.NUMBER_PLACEHOLDERS]
    missing = [n for n in ("year", "n") if n not in names]
    if unknown:
        c.err(path, f"{what}“{value}”含未知的占位符 {'、'.join('{' + n + '}' for n in unknown)}"
                    "（可用：{agency} 机关简称、{year} 年度、{n} 序号）")
        return None
    if missing:
        c.err(path, f"{what}“{value}”缺少占位符 {'、'.join('{' + n + '}' for n in missing)}"
                    "：文号须含年度 {year} 和序号 {n}，否则会重号")
        return None
    try:
        value.format(agency="本水", year=2026, n=1)
    except (ValueError, IndexError, KeyError, AttributeError) as exc:  # a bad format spec: {n:x>}, {year.y}
        unusable(exc)
        return None
    return value.strip()


def _documents_section(c: _Checker, value, path, record_type) -> dict:
    """{key: (value, "")} of the well-formed keys ("kinds.<code>", "numbering.<code>" per type)."""
    if not c.keys(value, path, set(DOCUMENT_KEYS), set(), "执法文书（documents）"):
        return {}
    out: dict = {}
    for key in ("letterhead", "footer", "remedies"):
        if key in value:
            text = c.text(value[key], path + (key,), DOCUMENT_KEYS[key], empty=key != "remedies")
            if key == "letterhead" and len(text) > 60:
                c.err(path + (key,), f"{DOCUMENT_KEYS[key]}不能超过60个字符")
                continue
            if text or key != "remedies":
                out[key] = (text, "")
    kinds = value.get("kinds")
    if "kinds" in value and c.keys(kinds, path + ("kinds",), set(kinds) if isinstance(kinds, dict) else set(),
                                   set(), DOCUMENT_KEYS["kinds"]):
        for code, item in kinds.items():
            p = path + ("kinds", code)
            record_type(code, p, "文书种类")
            item = {} if item is None else item
            if not c.keys(item, p, {"title", "template"}, set(), f"文书种类“{code}”"):
                continue
            title = c.text(item["title"], p + ("title",), f"文书种类“{code}”的名称（title）") if "title" in item else ""
            if title and len(title) > 30:
                c.err(p + ("title",), f"文书种类“{code}”的名称（title）不能超过30个字符")
                continue
            template = item.get("template", "")
            if template and template not in spec.DOCUMENT_TEMPLATES:
                c.err(p + ("template",), f"文书种类“{code}”的模板（template）“{template}”不存在"
                                         f"（可用：{'、'.join(spec.DOCUMENT_TEMPLATES)}）")
                continue
            if "title" in item and not title:
                continue
            out[f"kinds.{code}"] = (spec.DocumentKind(title, template or ""), "")
    numbering = value.get("numbering")
    if "numbering" in value and c.keys(numbering, path + ("numbering",),
                                       set(numbering) if isinstance(numbering, dict) else set(), set(),
                                       DOCUMENT_KEYS["numbering"]):
        for code, fmt in numbering.items():
            p = path + ("numbering", code)
            record_type(code, p, "文号格式的文书种类")
            checked = _number_format(c, fmt, p, f"“{code}”的文号格式")
            if checked:
                out[f"numbering.{code}"] = (checked, "")
    return out


def _documents_spec(values: dict) -> spec.DocumentsSpec:
    plain = {k: v for k, (v, _) in values.items() if "." not in k}
    kinds = tuple((k.split(".", 1)[1], v) for k, (v, _) in values.items() if k.startswith("kinds."))
    numbering = {k.split(".", 1)[1]: v for k, (v, _) in values.items() if k.startswith("numbering.")}
    return spec.DocumentsSpec(**plain, kinds=kinds, numbering=numbering)


_BUILDERS = {"rules": _rule, "stages": _stage, "signatures": _signature, "av_acts": _av_act,
             "deadlines": _deadline, "major": _major, "phrases": _phrase}


# ---- loading with `extends` ------------------------------------------------------------------------------

def packaged_codes() -> list[str]:
    return sorted(p.stem for p in DATA_DIR.glob("*.yaml"))


def packaged_text(code: str) -> str | None:
    path = DATA_DIR / f"{code}.yaml"
    if not re.fullmatch(r"[A-Za-z0-9_-]+", code or "") or not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


def _merge(parent: dict, child: dict, remove: tuple) -> dict:
    out = {}
    for section in LIST_SECTIONS:
        items = [x for x in parent.get(section, []) if _key(section, x) not in remove and
                 getattr(x, "id", None) not in remove]
        by_key = {_key(section, x): i for i, x in enumerate(items)}
        for x in child.get(section, []):
            k = _key(section, x)
            if k in by_key:
                items[by_key[k]] = x
            else:
                by_key[k] = len(items)
                items.append(x)
        out[section] = items
    out["scorecard"] = child["scorecard"] if "scorecard" in child else parent.get("scorecard")
    # key by key: a child giving one key keeps the parent's others
    for section in ("publicity", *VALUE_SECTIONS, "documents"):
        out[section] = {**parent.get(section, {}), **child.get(section, {})}
    return out


def _resolve(text: str, label: str, *, lookup, chain: tuple, codes, record_types, errors: list):
    """(data, sections) of `text` with the profile it extends merged in; errors gathered."""
    data, doc = parse_text(text, label)
    if data is None:
        errors.extend(doc.errors)
        return None, None
    sections = _check_file(data, doc, codes, record_types)
    errors.extend(doc.errors)
    code = data.get("code") if isinstance(data.get("code"), str) else ""
    parent_code = data.get("extends")
    if not isinstance(parent_code, str) or not parent_code:
        return data, sections
    if parent_code in chain or parent_code == code:
        cycle = " → ".join((*chain, code, parent_code)) if code not in chain else " → ".join((*chain, parent_code))
        errors.append((label, doc.line(("extends",)), f"继承（extends）形成循环：{cycle}"))
        return data, sections
    parent_text = lookup(parent_code)
    if parent_text is None:
        errors.append((label, doc.line(("extends",)), f"继承的配置“{parent_code}”不存在（可用：{'、'.join(packaged_codes())}）"))
        return data, sections
    before = len(errors)
    _, parent = _resolve(parent_text, f"{parent_code}.yaml", lookup=lookup, chain=(*chain, code), codes=codes,
                         record_types=record_types, errors=errors)
    if len(errors) > before and not any(e[0] == label for e in errors[before:]):
        errors.append((label, doc.line(("extends",)), f"继承的配置“{parent_code}”本身无效"))
    if parent is None:
        return data, sections
    remove = tuple(data.get("remove") or ()) if isinstance(data.get("remove"), list) else ()
    return data, _merge(parent, sections, remove)


def _semantic(sections: dict, label: str, errors: list, data: dict, doc_lines) -> None:
    """Checks across sections after merging: publicity names existing deadlines, phrases existing acts."""
    deadline_ids = {d.id for d in sections.get("deadlines", [])}
    act_ids = {a.id for a in sections.get("av_acts", [])} | {"*"}
    pub = sections.get("publicity")
    if pub:
        for key in PUBLICITY_REQUIRED:
            if key not in pub:
                errors.append((label, doc_lines(("publicity",)), f"公示（publicity）缺少“{key}”（继承的配置中也没有）"))
        # LW-P 11: a changed decision is republished within 10 working days — its clock must exist too.
        refs = {"deadline": pub.get("deadline", ("", ""))[0], "withdrawal_deadline": pub.get("withdrawal_deadline", ("", ""))[0],
                "republish_deadline": pub.get("republish_deadline", (spec.PublicitySpec.republish_deadline, ""))[0]}
        for key, did in refs.items():
            if did and did not in deadline_ids:
                errors.append((label, doc_lines(("publicity", key)),
                               f"公示引用的期限“{did}”不存在（{key}：期限写在 deadlines 中）"))
    review_deadline = (sections.get("legal_review") or {}).get("deadline", ("", ""))[0]
    if review_deadline and review_deadline not in deadline_ids:
        errors.append((label, doc_lines(("legal_review", "deadline")),
                       f"法制审核引用的期限“{review_deadline}”不存在（LW-L 16：审核期限及其延长写在 deadlines 中）"))
    for i, m in enumerate(sections.get("major", [])):
        if m.fact == "penalty_kind":
            bad = [v for v in (m.value if isinstance(m.value, tuple) else (m.value,)) if v not in spec.PENALTY_LABELS]
            if bad:
                errors.append((label, doc_lines(("major",)),
                               f"重大执法决定标准“{m.id}”的处罚种类 {'、'.join(map(str, bad))} 不是处罚种类代码"
                               f"（{'、'.join(code for code, _ in spec.PENALTY_KINDS)}）"))
    retention = sections.get("retention") or {}
    raw = retention.get("raw_months", (spec.RetentionSpec.raw_months, ""))[0]
    years = retention.get("case_file_years", (spec.RetentionSpec.case_file_years, ""))[0]
    if years * 12 < raw:
        # LW-D 11: evidence is kept as long as its case file, never shorter than raw footage.
        given = data.get("retention") if isinstance(data.get("retention"), dict) else {}
        where = "case_file_years" if "case_file_years" in given else "raw_months"
        errors.append((label, doc_lines(("retention", where)),
                       f"作为证据的音像资料保存期限（case_file_years {years} 年）不能短于原始音像资料（raw_months {raw} 个月）"
                       "：作为证据使用的声像资料保存期限应当与案卷保存期限相同（LW-D 11）"))
    for i, p in enumerate(sections.get("phrases", [])):
        if p.act not in act_ids:
            errors.append((label, _phrase_line(data, p.id, doc_lines),
                           f"执法用语“{p.id}”所属环节“{p.act}”不是音像记录环节（av_acts）之一，也不是“*”"))


def _phrase_line(data, pid, doc_lines):
    for i, item in enumerate(data.get("phrases") or []):
        if isinstance(item, dict) and item.get("id") == pid:
            return doc_lines(("phrases", i, "act"))
    return doc_lines(("extends",))


def build(text: str, *, label: str = "配置文件", version: int = 0, lookup=None, check_names: bool = True) -> spec.Profile:
    """The `Profile` a file's text says, or ProfileError with every error's line and reason.

    `lookup(code)` gives the text of a profile named by `extends` (default: the packaged ones).
    `check_names`: check record types, kinds… against the registries (when they are filled)."""
    lookup = lookup or packaged_text
    codes = known_case_codes() if check_names else None
    record_types = known_record_types() if check_names else None
    errors: list = []
    data, sections = _resolve(text, label, lookup=lookup, chain=(), codes=codes, record_types=record_types,
                              errors=errors)
    if data is not None and sections is not None and not errors:
        _, doc = parse_text(text, label)  # the lines of this file, for the checks across sections
        _semantic(sections, label, errors, data, doc.line)
    if errors:
        raise ProfileError(errors)
    return spec.Profile(
        code=data["code"], name=data["name"].strip(), regulation=(data.get("regulation") or "").strip(),
        version=version, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        rules={r.id: r for r in sections.get("rules", [])}, stages=tuple(sections.get("stages", [])),
        signatures=tuple(sections.get("signatures", [])), av_acts=tuple(sections.get("av_acts", [])),
        deadlines=tuple(sections.get("deadlines", [])), major=tuple(sections.get("major", [])),
        publicity=_publicity_spec(sections.get("publicity")), phrases=tuple(sections.get("phrases", [])),
        scorecard=sections.get("scorecard"), extends=(data.get("extends") or ""),
        **{section: _value_spec(section, sections.get(section) or {}) for section in VALUE_SECTIONS},
        documents=_documents_spec(sections.get("documents") or {}))


def build_file(path, **kwargs) -> spec.Profile:
    """A profile file on disk; `extends` looks beside it first, then among the packaged ones."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ProfileError([(path.name, None, "文件不是 UTF-8 编码的文字")]) from None
    folder = path.resolve().parent

    def lookup(code):
        beside = folder / f"{code}.yaml"
        if re.fullmatch(r"[A-Za-z0-9_-]+", code or "") and beside.is_file() and beside.resolve() != path.resolve():
            return beside.read_text(encoding="utf-8")
        return packaged_text(code)
    return build(text, label=path.name, lookup=kwargs.pop("lookup", lookup), **kwargs)


_PACKAGED: dict[tuple[str, bool], spec.Profile] = {}


def packaged(code: str = "base", *, check_names: bool = False) -> spec.Profile:
    """A packaged profile (data/<code>.yaml), version 0, parsed once per process."""
    key = (code, check_names)
    if key not in _PACKAGED:
        text = packaged_text(code)
        if text is None:
            raise ProfileError([(f"{code}.yaml", None, f"没有名为“{code}”的内置配置（可用：{'、'.join(packaged_codes())}）")])
        _PACKAGED[key] = build(text, label=f"{code}.yaml", check_names=check_names)
    return _PACKAGED[key]
