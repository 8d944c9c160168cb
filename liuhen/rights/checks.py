"""The party's rights enforced where the records are made and signed (registered in ready()): the
content of a 听证申请记录, 听证通知书, 决定书 and 行政处罚告知书 (records.content_checks), and the
signing of a penalty decision (records.sign_checks) — refused with the article, nothing written."""
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.profiles import selectors as profiles

from . import selectors as s


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def check_hearing_request(case, rights, requested_at) -> None:
    """听证申请 (行政处罚法 63-64): after a notice of a penalty that carries the hearing right, within
    the period from its service (五日, working days by art. 85)."""
    if rights.notice is None:
        _refuse("尚无已完成（当事人已签收）的行政处罚告知书，不能记录听证申请（行政处罚法 44、64）。", "hearing_without_notice")
    if not rights.hearing_right:
        _refuse(f"告知书拟作出的处罚（{rights.penalty.label}）不属于当事人可以要求听证的情形（行政处罚法 63）。",
                "hearing_not_available")
    if rights.notified_at is None or requested_at is None or requested_at < rights.notified_at:
        _refuse("听证申请时间早于行政处罚告知书的送达时间，请核对（行政处罚法 64）。", "hearing_before_notice")
    # An unknown calendar does not refuse the party's request: a refusal needs a known deadline.
    if rights.hearing_due is not None and requested_at > rights.hearing_due:
        period = profiles.profile_for_case(case).rights.hearing_request_period
        _refuse(f"听证申请已超过告知书送达之日起{period.label}的期限（截至 "
                f"{timezone.localtime(rights.hearing_due):%Y-%m-%d %H:%M}），不予受理（行政处罚法 64、85）。",
                "hearing_request_late")


def content_check(case, record_type, content, *, record=None) -> None:
    code = record_type.code
    if code == s.NOTICE:
        notified = s.when(content, "notified_at")
        if notified is not None and notified > timezone.now():
            _refuse("告知（送达）时间不能晚于现在：告知书送达后才能记录（行政处罚法 44）。", "notice_in_future")
        return
    if code not in (s.REQUEST, s.HEARING_NOTICE, s.DECISION) or not s.applies(case):
        return
    rights = s.rights_of(case)
    if code == s.REQUEST:
        check_hearing_request(case, rights, s.when(content, "requested_at"))
    elif code == s.HEARING_NOTICE:
        check_hearing_notice(case, rights, content)
    else:
        check_decision(rights, content)


def check_hearing_notice(case, rights, content) -> None:
    """听证通知书 (行政处罚法 64): after the party's request, served the period before the hearing."""
    if rights.request is None:
        _refuse("当事人尚未申请听证（或听证申请记录未完成），不能制作听证通知书（行政处罚法 64）。", "hearing_not_requested")
    period = profiles.profile_for_case(case).rights.hearing_notice_period
    problem = s.hearing_notice_problem(s.when(content, "notified_at"), s.when(content, "hearing_at"), period)
    if problem:
        _refuse(problem, "hearing_notice_short")


def check_decision(rights, content) -> None:
    """A penalty decision states its penalty (行政处罚法 59), no heavier than the notice (行政处罚法 45)."""
    penalty = s.Penalty.of(content)
    if not penalty.kind:
        _refuse("行政处罚决定书应当写明处罚种类；不予处罚的，选择“不予行政处罚”（行政处罚法 59）。", "decision_kind_missing")
    if rights.notice is not None:
        problems = s.heavier_problem(penalty, rights.penalty)
        if problems:
            _refuse(problems[0], "decision_heavier")


def sign_check(actor, record, role) -> None:
    """No penalty decision is signed before the party's rights have run (行政处罚法 44-45, 63-65)."""
    if record.record_type.code != s.DECISION:
        return
    problems = s.decision_problems(record)
    if problems:
        _refuse("".join(problems), "rights_pending")


def register() -> None:
    from liuhen.records import content_checks, sign_checks

    content_checks.register_content_check(content_check)
    sign_checks.register_sign_check(sign_check)
