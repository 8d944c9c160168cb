"""音像记录规则 — which enforcement acts need audio-video recording, as data with their articles.

One table (`ACTS`): an act (执法环节) is the record that documents it — a record type, or a record
type with a given 送达方式 — whether footage is required to leave the stage (`required`) or only
expected (shown, not blocking), which footage kinds count, and the record's field that holds the
act's time (for the LW-D 7 check). An agency changes the table through the setting
`LIUHEN_AV_RULES`, keyed by the agency's 文号简称 (Agency.short_name): per act id a dict of the
fields it changes, or a new act (e.g. an act the agency marks as touching personal liberty, life
and health or major property, LQ 19). `acts_for(agency)` is the single lookup; nothing else reads
the table or the setting. A later issue moves the overrides into agency profile files.
"""
import logging
from dataclasses import dataclass, fields, replace

from liuhen.cases.rules import Rule

VIDEO, AUDIO, PHOTO = "video", "audio", "photo"
KIND_LABELS = {VIDEO: "视频", AUDIO: "录音", PHOTO: "照片"}

logger = logging.getLogger(__name__)


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

    def matches(self, code: str, content: dict | None) -> bool:
        for rec_code, method in self.records:
            if rec_code == code and (not method or (content or {}).get("method") == method):
                return True
        return False

    @property
    def kinds_label(self) -> str:
        return "、".join(KIND_LABELS.get(k, k) for k in self.kinds)


ACTS: tuple[AvAct, ...] = (
    # LQ 19: 现场执法、调查取证、举行听证 are 容易引发争议的环节 to be recorded on audio-video; AS 8 names
    # 现场检查（勘验） and 听证会 — and asks for a written reason where AV is not suitable.
    AvAct("inspection", "现场检查（勘验）", (("inspection_record", ""),), basis="LQ 19, AS 8"),
    AvAct("sampling", "抽样取证", (("sampling_notice", ""),), basis="LQ 19"),
    AvAct("hearing", "举行听证", (("hearing_record", ""),), basis="LQ 19, AS 8"),
    # LQ 19: 查封扣押 touches major property (and 人身自由 where persons are held): 全程音像记录.
    AvAct("seizure", "查封扣押", (("seizure_record", ""),), basis="LQ 19"),
    # LQ 19: 留置送达 and 公告送达. 民事诉讼法第八十九条 lets a 留置送达 be recorded by photos or
    # video (拍照、录像); a 公告 posted is shown by its photo.
    AvAct("lien_service", "留置送达", (("service_receipt", "留置送达"),), kinds=(VIDEO, AUDIO, PHOTO),
          time_field="served_at", basis="LQ 19"),
    AvAct("public_notice", "公告送达", (("service_notice", ""), ("service_receipt", "公告送达")),
          kinds=(VIDEO, AUDIO, PHOTO), time_field="", basis="LQ 19"),
    # LQ 19 (调查取证): an inquiry is recorded 根据实际 — expected, not required; an agency may require it.
    AvAct("inquiry", "询问", (("inquiry_record", ""),), required=False, basis="LQ 19"),
)

# LC 31, LQ 23, AS 12: footage is stored in the system within 24 hours of its recording.
UPLOAD_HOURS = Rule("av_upload_hours", 24, "LC 31, LQ 23, AS 12", "音像记录制作完成后，应在24小时内存储至执法信息系统")
# AS 12: field work away (连续工作、异地工作、边远地区): within 24 hours of returning to the unit.
FIELD_TRIP_HOURS = Rule("av_field_trip_hours", 24, "AS 12", "外出执法确实不能及时移交的，应在回到本单位后24小时内移交存储")
# A declared field trip is at most this long (a declaration is for one trip, not a standing excuse).
FIELD_TRIP_MAX_DAYS = Rule("av_field_trip_max_days", 31, "AS 12", "一次外出执法申报最长31天")
# LW-D 7: the start and end the footage shows match the times the document states — within this.
TIME_TOLERANCE_SECONDS = Rule("av_time_tolerance", 300, "LW-D 7", "声像资料反映的起止时间应当与相应文书记载的时间一致（允许误差5分钟）")
# LQ 22: footage of one device with a pause longer than this between two files is an interruption
# (a camera splitting a long recording into files leaves a second or two).
GAP_SECONDS = Rule("av_gap_seconds", 10, "LQ 22", "同一设备两段音像记录间隔超过10秒视为中断，恢复记录时应说明中断原因")

RULES = {r.id: r for r in (UPLOAD_HOURS, FIELD_TRIP_HOURS, FIELD_TRIP_MAX_DAYS, TIME_TOLERANCE_SECONDS, GAP_SECONDS)}

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


def acts_for(agency=None, *, overrides: dict | None = None) -> tuple[AvAct, ...]:
    """The acts that need audio-video recording for `agency`: the table with the agency's changes
    (settings.LIUHEN_AV_RULES[agency.short_name], or `overrides`).

    A bad setting is refused at start (the system check liuhen.avrules.E001/E002, run by every
    command and by wsgi.py before it serves). Should one reach a running process anyway, the
    agency gets the table of LQ 19 as written — the lawful floor — and the error is logged; a case
    page never fails on it."""
    if overrides is not None:
        return table_with(overrides)
    from django.conf import settings

    key = getattr(agency, "short_name", None)
    setting = getattr(settings, "LIUHEN_AV_RULES", None) or {}
    try:
        if not isinstance(setting, dict):
            raise ValueError(str(setting))
        return table_with(setting.get(key, {})) if key else ACTS
    except ValueError as exc:
        logger.error("LIUHEN_AV_RULES 无效，%s 按 LQ 19 的原表执行：%s", key, exc)
        return ACTS


def act_of(acts, code: str, content: dict | None) -> AvAct | None:
    """The act a record of type `code` with `content` documents, or None."""
    return next((a for a in acts if a.matches(code, content)), None)


def act_codes(acts) -> set[str]:
    return {code for a in acts for code, _ in a.records}
