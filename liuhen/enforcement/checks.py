"""行政强制执行 enforced where its records are made and signed (registered in ready()): the content of
each record (records.content_checks) and, again at each signature, against the case as it is then
(records.sign_checks: a suspension, a termination or an adopted statement since it was written) —
refused with the article, nothing written."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.execution import selectors as execution
from liuhen.profiles import selectors as profiles
from liuhen.workdays import calendar

from . import selectors as s

NIGHT_FROM, NIGHT_TO = 22, 6  # 行政强制法 43: 夜间 — 22:00 to 06:00 (the practice's reading)


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _d(d: datetime.date | None) -> str:
    return f"{d:%Y-%m-%d}" if d is not None else "—"


def overdue(case, on: datetime.date, e: s.Enforcement) -> bool:
    """Has the party failed to perform by `on`: the fine unpaid after its due date (execution), or a
    re-check found the order not (fully) obeyed."""
    acc = execution.account(case, on=on)
    return bool(acc.fine and acc.balance > 0 and acc.overdue_days) or e.unrectified


def _not_terminated(e: s.Enforcement, what: str) -> None:
    if e.termination is not None:
        ended = s.day((e.termination.content or {}).get("ended_on"))
        _refuse(f"本案已于{_d(ended)}终结执行，不能再{what}（行政强制法 40）。", "terminated")


def _not_suspended(e: s.Enforcement, on: datetime.date | None, what: str) -> None:
    found = e.suspended_at(on or e.today)
    if found is not None:
        _refuse(f"执行已于{_d(found.suspended_on)}中止，恢复执行前不能{what}（行政强制法 39）。", "suspended")


def check_reminder(case, e: s.Enforcement, content: dict) -> None:
    """催告书 (行政强制法 35): after the decision was served and the party failed to perform; its
    deadline at least the profile's reminder_days after it is issued."""
    _not_terminated(e, "催告")
    if e.served_on is None:
        _refuse("行政处罚决定书尚未送达，不能催告（行政强制法 35）。", "reminder_not_served")
    issued = s.day(content.get("issued_on")) or e.today
    if not overdue(case, issued, e):
        _refuse("当事人尚未逾期不履行行政决定（罚款未逾期或已缴清，也没有整改复查记载未改正），不能催告"
                "（行政强制法 35）。", "reminder_not_overdue")
    days = profiles.profile_for_case(case).execution.reminder_days
    deadline = s.day(content.get("deadline"))
    if deadline is None or deadline < issued + datetime.timedelta(days=days):
        _refuse(f"催告书的履行期限应当自发出之日起不少于{days}日（不早于{_d(issued + datetime.timedelta(days=days))}）"
                "（行政强制法 35、37）。", "reminder_short")


def check_statement(e: s.Enforcement, content: dict) -> None:
    """陈述申辩及复核 (行政强制法 36): the party's answer to a 催告书."""
    if e.reminder is None:
        _refuse("尚无已完成的催告书，不能记录当事人的陈述、申辩及复核（行政强制法 35、36）。", "statement_without_reminder")
    stated = s.day(content.get("stated_on"))
    if stated is not None and stated < e.reminder_issued_on:
        _refuse(f"陈述申辩日期早于催告书的发出日期（{_d(e.reminder_issued_on)}），请核对（行政强制法 36）。",
                "statement_before_reminder")


def decision_problem(e: s.Enforcement, content: dict, power) -> tuple[str, str] | None:
    """Why a 强制执行决定书 of `content` may not be made or signed now (行政强制法 13, 35-37, 39-40), as
    (code, Chinese message), or None."""
    decided = s.day(content.get("decided_on"))
    if e.termination is not None:
        return "terminated", "本案已终结执行，不能再作出强制执行决定（行政强制法 40）。"
    if e.reminder is None:
        return "decision_without_reminder", "作出强制执行决定前，应当事先以书面形式催告当事人履行义务：尚无已完成的催告书（行政强制法 35）。"
    if e.reminder_served_on is None:
        return "reminder_unserved", "催告书尚未送达当事人，不能作出强制执行决定（行政强制法 35、37）。"
    if decided is None or decided < e.earliest_decision:
        return "decision_early", (f"催告书的履行期限（{_d(e.reminder_deadline)}）届满后当事人仍不履行的，方可作出强制执行"
                                  f"决定：决定日期不能早于{_d(e.earliest_decision)}（行政强制法 37）。")
    if e.statement_open:
        return "statement_open", "当事人的陈述、申辩尚未复核完毕，不能作出强制执行决定（行政强制法 36）。"
    if e.adopted:
        return "statement_adopted", "当事人的陈述、申辩经复核成立并已采纳，不能依该催告作出强制执行决定（行政强制法 36）。"
    found = e.suspended_at(decided)
    if found is not None:
        return "suspended", f"执行已于{_d(found.suspended_on)}中止，恢复执行前不能作出强制执行决定（行政强制法 39）。"
    if s.measure_code(content) not in power:
        return "no_power", "本机关无此强制执行权，应当申请人民法院强制执行（行政强制法 13、53）。"
    return None


def check_decision(case, e: s.Enforcement, content: dict) -> None:
    problem = decision_problem(e, content, profiles.profile_for_case(case).execution.enforcement_power)
    if problem is not None:
        _refuse(problem[1], problem[0])


def check_measure(e: s.Enforcement, content: dict) -> None:
    """强制执行实施记录 (行政强制法 37, 39-40, 43): under a complete decision of the same way, on or after
    its date, not while suspended or after termination, not at night nor on a holiday."""
    at = s.moment(content.get("time"))
    if at is None:
        _refuse("请填写实施时间。", "measure_time")
    local = timezone.localtime(at)
    _not_terminated(e, "实施强制执行")
    _not_suspended(e, local.date(), "实施强制执行")
    if at > timezone.now():
        _refuse("实施时间不能晚于现在：实施后记录（行政强制法 18）。", "measure_in_future")
    kind = s.measure_code(content)
    same = [d for d in e.decisions if s.measure_code(d.content) == kind]
    if not same:
        _refuse(f"没有负责人已批准的“{content.get('measure_kind', '')}”强制执行决定书，不能实施（行政强制法 37）。",
                "measure_without_decision")
    decided = [s.day((d.content or {}).get("decided_on")) for d in same]
    if not any(d is not None and d <= local.date() for d in decided):
        _refuse(f"实施时间早于强制执行决定的日期（{_d(min(d for d in decided if d))}），请核对（行政强制法 37）。",
                "measure_before_decision")
    night = local.hour >= NIGHT_FROM or local.hour < NIGHT_TO
    holiday = calendar.is_workday(local.date()) is False
    if night or holiday:
        when = "夜间（22时至次日6时）" if night else "法定节假日（非工作日）"
        _refuse(f"行政机关不得在{when}实施行政强制执行（行政强制法 43）。情况紧急的除外，但本记录没有记载紧急情况的栏目，"
                "紧急实施的，请另行制作情况说明并报负责人，本系统不能记录为合规实施。", "measure_night_or_holiday")


def check_court(case, e: s.Enforcement, content: dict) -> None:
    """申请人民法院强制执行 (行政强制法 53-54): after the remedy deadlines and a 催告书 served ten days
    before, within the months after them; a ruling not before the application."""
    spec = profiles.profile_for_case(case).execution
    applied = s.day(content.get("applied_on"))
    _not_terminated(e, "申请人民法院强制执行")
    if e.served_on is None:
        _refuse("行政处罚决定书尚未送达，不能申请人民法院强制执行（行政强制法 53）。", "court_not_served")
    if applied is None or applied < e.court_from:
        _refuse(f"当事人申请行政复议或者提起行政诉讼的期限（至{_d(e.remedy_end)}）尚未届满，不能申请人民法院强制执行"
                "（行政强制法 53）。", "court_early")
    if applied > e.court_to:
        _refuse(f"已超过申请期限：应当自复议、诉讼期限届满之日起{spec.court_months}个月内（{_d(e.court_from)}至"
                f"{_d(e.court_to)}）申请人民法院强制执行（行政强制法 53）。", "court_late")
    if e.reminder is None or e.reminder_served_on is None:
        _refuse("申请人民法院强制执行前，应当催告当事人履行义务：尚无已送达的催告书（行政强制法 54）。", "court_without_reminder")
    if applied < e.earliest_court:
        _refuse(f"催告书送达{spec.court_wait_days}日后当事人仍未履行的，方可申请人民法院强制执行：催告书于"
                f"{_d(e.reminder_served_on)}送达，最早{_d(e.earliest_court)}申请（行政强制法 54）。", "court_wait")
    _not_suspended(e, applied, "申请人民法院强制执行")
    outcome, ruled = content.get("outcome") or "", s.day(content.get("ruled_on"))
    if bool(outcome) != bool(ruled):
        _refuse("法院处理结果和裁定（结果）日期应当同时填写。", "court_outcome_date")
    if ruled is not None and ruled < applied:
        _refuse("裁定（结果）日期不能早于申请日期。", "court_ruled_early")


def check_suspension(e: s.Enforcement, content: dict) -> None:
    _not_terminated(e, "中止执行")
    start, resumed = s.day(content.get("suspended_on")), s.day(content.get("resumed_on"))
    if resumed is not None and start is not None and resumed < start:
        _refuse("恢复执行日期不能早于中止日期（行政强制法 39）。", "resumed_early")


def check_termination(e: s.Enforcement, content: dict) -> None:
    _not_terminated(e, "终结执行")


def check(case, code: str, content: dict, *, exclude=None) -> None:
    """Check `content` of a record of `code` in `case` against the case's other records."""
    e = s.for_case(case, exclude=exclude)
    if code == s.REMINDER:
        check_reminder(case, e, content)
    elif code == s.STATEMENT:
        check_statement(e, content)
    elif code == s.DECISION:
        check_decision(case, e, content)
    elif code == s.MEASURE:
        check_measure(e, content)
    elif code == s.COURT:
        check_court(case, e, content)
    elif code == s.SUSPENSION:
        check_suspension(e, content)
    else:
        check_termination(e, content)


def content_check(case, record_type, content, *, record=None) -> None:
    if record_type.code in s.CODES:
        check(case, record_type.code, content, exclude=record.pk if record is not None else None)


def sign_check(actor, record, role) -> None:
    """Each signature of an enforcement record holds its content against the case as it is now: e.g. no
    leader approves a decision after the statement was adopted, or while execution is suspended."""
    code = record.record_type.code
    if code not in s.CODES:
        return
    from liuhen.records.selectors import record_with_state

    check(record.case, code, record_with_state(record.pk).latest.content, exclude=record.pk)


def register() -> None:
    from liuhen.records import content_checks, sign_checks

    content_checks.register_content_check(content_check)
    sign_checks.register_sign_check(sign_check)

