"""音像记录规则 — which enforcement acts need audio-video recording, as data with their articles.

The table is the `av_acts:` of the agency profile (liuhen/profiles/data/*.yaml): an act (执法环节)
is the record that documents it — a record type, or a record type with a given 送达方式 — whether
footage is required to leave the stage (`required`) or only expected (shown, not blocking), which
footage kinds count, and the record's field that holds the act's time (for the LW-D 7 check).
`acts_for(case)` (the profile version the case was opened under) or `acts_for(agency)` (its active
profile) is the single lookup. `ACTS` and the valued rules below are the packaged base profile's.
The setting LIUHEN_AV_RULES of issue 13 is replaced by the profile: the system check refuses it
(liuhen.avrules.E001) with a pointer to `liuhen profile load`.
"""
from dataclasses import dataclass, fields, replace

from liuhen.cases.rules import Rule
from liuhen.profiles import loader as _loader
from liuhen.profiles import selectors as _profiles

VIDEO, AUDIO, PHOTO = "video", "audio", "photo"
KIND_LABELS = {VIDEO: "视频", AUDIO: "录音", PHOTO: "照片"}


@dataclass(frozen=True)
class AvAct:
    """一个需要音像记录的执法环节: the records that document it — (record type code, 送达方式 or
    "" for any) — whether footage is required to leave the stage, the footage kinds that count,
    the record field holding the act's time ("" for none), and the article it rests on."""

    id: str
    label: str
    records: tuple[tuple[str, str], ...]
    required: bool = True
    kinds: tuple[str, ...] = (VIDEO, AUDIO)
    time_field: str = "time"
    basis: str = ""
    # False where the profile says the act must be recorded (av: required): no written reason
    # (不适宜音像记录说明, AS 8) stands in for footage.
    reason_accepted: bool = True

    def matches(self, code: str, content: dict | None) -> bool:
        for rec_code, method in self.records:
            if rec_code == code and (not method or (content or {}).get("method") == method):
                return True
        return False

    @property
    def kinds_label(self) -> str:
        return "、".join(KIND_LABELS.get(k, k) for k in self.kinds)


def from_profile(profile) -> tuple[AvAct, ...]:
    """The acts of an agency profile's `av_acts`, memoised per profile (profiles are immutable)."""
    hit = _BY_PROFILE.get(id(profile))
    if hit is None or hit[0] is not profile:
        acts = tuple(AvAct(a.id, a.label, a.records, a.required, a.kinds, a.time_field, a.article,
                           reason_accepted=a.forbidden_without_reason or not a.required)
                     for a in profile.av_acts)
        hit = _BY_PROFILE[id(profile)] = (profile, acts)
    return hit[1]


_BY_PROFILE: dict[int, tuple] = {}
_BASE = _loader.packaged("base")

# LQ 19: 现场执法、调查取证、举行听证 are 容易引发争议的环节 to be recorded on audio-video; AS 8 names
# 现场检查（勘验） and 听证会 — and asks for a written reason where AV is not suitable. LQ 19: 查封扣押
# touches major property; 留置送达 and 公告送达 (民事诉讼法第八十九条: photos or video count); an
# inquiry is recorded 根据实际 — expected, not required.
ACTS: tuple[AvAct, ...] = from_profile(_BASE)


def _valued(rule_id: str) -> Rule:
    r = _BASE.rules[rule_id]
    return Rule(r.id, r.value, r.article, r.text)


# LC 31, LQ 23, AS 12: footage is stored in the system within 24 hours of its recording.
UPLOAD_HOURS = _valued("av_upload_hours")
# AS 12: field work away (连续工作、异地工作、边远地区): within 24 hours of returning to the unit.
FIELD_TRIP_HOURS = _valued("av_field_trip_hours")
# A declared field trip is at most this long (a declaration is for one trip, not a standing excuse).
FIELD_TRIP_MAX_DAYS = _valued("av_field_trip_max_days")
# LW-D 7: the start and end the footage shows match the times the document states — within this.
TIME_TOLERANCE_SECONDS = _valued("av_time_tolerance")
# LQ 22: footage of one device with a pause longer than this between two files is an interruption
# (a camera splitting a long recording into files leaves a second or two).
GAP_SECONDS = _valued("av_gap_seconds")

RULES = {r.id: r for r in (UPLOAD_HOURS, FIELD_TRIP_HOURS, FIELD_TRIP_MAX_DAYS, TIME_TOLERANCE_SECONDS, GAP_SECONDS)}


def _profile_of(subject):
    if subject is None:
        return _profiles.default_profile()
    if hasattr(subject, "profile_version_id"):
        return _profiles.profile_for_case(subject)
    return _profiles.active_profile(subject)


def rule_of(subject, rule: Rule) -> Rule:
    """A valued AV rule as the profile of `subject` (a case, or an agency) sets it, else `rule`."""
    return rules_of(subject, rule)[0]


def rules_of(subject, *wanted: Rule) -> tuple[Rule, ...]:
    """Several valued AV rules of `subject`'s profile, the profile looked up once."""
    profile = _profile_of(subject)
    out = []
    for rule in wanted:
        r = profile.rules.get(rule.id)
        out.append(rule if r is None else Rule(r.id, r.value, r.article, r.text))
    return tuple(out)


_FIELDS = {f.name for f in fields(AvAct)} - {"id"}
_TEXT_FIELDS = ("label", "time_field", "basis")


def _records(act_id: str, value) -> tuple[tuple[str, str], ...]:
    """`records` as written in the setting: each a record type code, or [code, 送达方式]."""
    if not isinstance(value, list) or not value:
        raise ValueError(f"环节 {act_id!r} 的 records 应为非空列表")
    out = []
    for x in value:
        if isinstance(x, str) and x:
            out.append((x, ""))
        elif isinstance(x, list) and 1 <= len(x) <= 2 and all(isinstance(y, str) for y in x) and x[0]:
            out.append((x[0], x[1] if len(x) > 1 else ""))
        else:
            raise ValueError(f"环节 {act_id!r} 的 records 项 {x!r} 无效：应为文书类型代码，或 [代码, 送达方式]")
    return tuple(out)


def _act(value: dict, base: AvAct | None, act_id: str) -> AvAct:
    """One act as an agency's setting changes (or adds) it; ValueError names what is wrong. Types are
    checked, not coerced: "false" for `required` would be truthy, an act silently required."""
    if not isinstance(value, dict):
        raise ValueError(f"环节 {act_id!r} 应为 JSON 对象")
    unknown = set(value) - _FIELDS
    if unknown:
        raise ValueError(f"环节 {act_id!r} 含未知字段 {sorted(unknown)}（可用：{'、'.join(sorted(_FIELDS))}）")
    value = dict(value)
    if "records" in value:
        value["records"] = _records(act_id, value["records"])
    if "kinds" in value:
        kinds = value["kinds"]
        if not isinstance(kinds, list) or not kinds or any(k not in KIND_LABELS for k in kinds):
            raise ValueError(f"环节 {act_id!r} 的 kinds {kinds!r} 无效（可用：{'、'.join(KIND_LABELS)}）")
        value["kinds"] = tuple(kinds)
    if "required" in value and not isinstance(value["required"], bool):
        raise ValueError(f"环节 {act_id!r} 的 required 应为 true 或 false，而不是 {value['required']!r}")
    for name in _TEXT_FIELDS:
        if name in value and not isinstance(value[name], str):
            raise ValueError(f"环节 {act_id!r} 的 {name} 应为文字")
    if base is None:
        if "label" not in value or "records" not in value:
            raise ValueError(f"新增环节 {act_id!r} 须有 label 和 records")
        return AvAct(id=act_id, **value)
    return replace(base, **value)


def table_with(overrides: dict) -> tuple[AvAct, ...]:
    """The table with one agency's changes (`{act id: {field: value}}`); ValueError if any is bad."""
    if not isinstance(overrides, dict):
        raise ValueError("应为 {环节: {字段: 值}} 形式的 JSON 对象")
    if not overrides:
        return ACTS
    by_id = {a.id: a for a in ACTS}
    out = [(_act(overrides[a.id], a, a.id) if a.id in overrides else a) for a in ACTS]
    out += [_act(v, None, k) for k, v in overrides.items() if k not in by_id]
    return tuple(out)


def acts_for(subject=None, *, overrides: dict | None = None) -> tuple[AvAct, ...]:
    """The acts that need audio-video recording: for a case, as the profile version it was opened
    under says; for an agency, its active profile; for None, the packaged default. `overrides`
    (`{act id: {field: value}}`) gives the base table with those changes (ValueError if bad)."""
    if overrides is not None:
        return table_with(overrides)
    return from_profile(_profile_of(subject))


def phrases_for(subject, acts) -> list[tuple]:
    """(act, [Phrase]) for each of `acts` that has 执法用语 in the profile of `subject` (a case or
    an agency): what the officer says as the recording starts (LW-D 6, LQ 20, LQ 25)."""
    profile = _profile_of(subject)
    out = []
    for act in acts:
        phrases = profile.phrases_for(act.id)
        if phrases:
            out.append((act, phrases))
    return out


def act_of(acts, code: str, content: dict | None) -> AvAct | None:
    """The act a record of type `code` with `content` documents, or None."""
    return next((a for a in acts if a.matches(code, content)), None)


def act_codes(acts) -> set[str]:
    return {code for a in acts for code, _ in a.records}
