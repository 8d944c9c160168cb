"""What `liuhen verify` asks of the workdays app: does each loaded schedule still say what the log
recorded — and does its stored file still hash to its SHA-256 and still yield its dates? A holiday
moved or an adjusted working weekend added behind the log's back would move every deadline in
working days (SPEC §7) without a trace."""
import hashlib

from liuhen.ledger.subjects import Unreadable, finding, logged_rows, state_checker, with_codes

from . import vocabulary as v
from .models import YearSchedule
from .schedule import ScheduleError, parse

_check_rows = state_checker(YearSchedule, codes=v.STATE_CODES)


def check_schedule(events):
    """The rows against the log (E001–E003), then each row's file against its own columns (E004)."""
    out = _check_rows(events)
    for oid, row, evs in logged_rows(YearSchedule.objects.all(), events):
        if row is None or isinstance(row, Unreadable):
            continue  # reported above
        problem = _inconsistency(row)
        if problem:
            out.append(finding("altered", f"{row.year} 年放假安排（第 {oid} 次载入）：{problem}",
                               f"{YearSchedule.ledger_object_type}:{oid}", evs[-1] if evs else None, code=v.E004))
    return with_codes(out, v.STATE_CODES)


def _inconsistency(row: YearSchedule) -> str:
    if hashlib.sha256(row.text.encode("utf-8")).hexdigest() != row.sha256:
        return "保存的文件内容与其 SHA-256 不符"
    try:
        sched = parse(row.text)
    except ScheduleError as exc:
        return f"保存的文件已无法读取（{exc}）"[:300]
    if (sched.year != row.year or sched.holidays_json() != row.holidays or sched.workdays_json() != row.workdays
            or sched.number != row.number or sched.notice != row.notice):
        return "保存的日期与其文件所载不符"
    return ""
