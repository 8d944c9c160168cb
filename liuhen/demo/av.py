"""Demo data for the AV rules (音像记录规则): a 不适宜音像记录说明 written and approved the real way,
for an act of a demo case that has no footage (AS 8: not suitable for audio-video recording — the
reason written down, signed by the officers, approved by a 负责人)."""
from liuhen.records import services as records
from liuhen.records.models import RecordType

NOTE_CODES = {"investigation": "av_not_suitable", "service": "av_not_suitable_service"}


def approved_not_suitable(case, officers, leader, *, act_record=None, reason_kind="涉及个人隐私",
                          reason="现场检查涉及当事人家庭住所内部情况，当事人明确反对录像，经负责人同意以文字和照片记录。",
                          opinion="同意不进行音像记录，以文字记录为准。"):
    """Write and get approved one 不适宜音像记录说明 in `case` (in 调查取证 or 送达执行) for
    `act_record` — by default the first act of the current stage that has neither footage nor a
    note (avrules.selectors.case_av). `officers`: at least two officers of the case (the first
    writes it, the first two sign); `leader`: a 负责人 who may approve in the case (its unit head or
    the agency head, not one who worked on it). Returns the note (records.models.Record)."""
    from liuhen.avrules.selectors import case_av

    if act_record is None:
        pending = [r for r in case_av(case) if r.record.stage == case.stage and r.status == "missing"]
        if not pending:
            raise ValueError(f"{case.number}: no act of the current stage lacks its audio-video record")
        act_record = pending[0].record
    rt = RecordType.objects.get(code=NOTE_CODES[act_record.stage])
    note = records.create_record(officers[0], case, rt, {
        "act_serial": act_record.serial, "reason_kind": reason_kind, "reason": reason})
    for officer in officers[:2]:
        records.sign_as_officer(officer, note)
    records.sign_as_leader(leader, note, opinion=opinion)
    return note


def cover_missing(case, officers, leader, **kw) -> list:
    """An approved 不适宜音像记录说明 (approved_not_suitable) for every act of the case's current stage
    that needs audio-video recording and has neither footage nor a note: what a demo case without
    footage needs before it leaves 调查取证 or 送达执行 (the AV gate). The demo films its acts
    (liuhen/demo/footage.py), so this writes nothing there — but on a machine without ffmpeg, or
    for an act the story does not film. Returns the notes."""
    from liuhen.avrules.selectors import case_av

    return [approved_not_suitable(case, officers, leader, act_record=r.record, **kw) for r in case_av(case)
            if r.record.stage == case.stage and r.act.required and r.status == "missing"]
