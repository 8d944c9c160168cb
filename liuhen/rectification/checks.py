"""The content of a 责令改正通知书 and of a 整改复查记录 checked where the record is made or revised
(records.content_checks, registered in ready()): refused with the article in Chinese, nothing written —
the records app records the refusal.

- an order: its 改正期限 after its 发出日期, issued today or before; a repeated order only after the
  previous order's re-check found it 部分改正 or 未改正, and never while an earlier order waits for its
  re-check (行政处罚法 28; BX 10, LC 23);
- a re-check: only of an open, complete order, with that order's 整改期限; before the deadline has run
  (to the end of its day) only to find it 已按期改正 (the party finished early); its time not in the
  future, nor before the order was issued.
"""
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import selectors as s


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def check_order(chain: list[s.Order], content: dict) -> None:
    issued, deadline = s.day(content, "issued_on"), s.day(content, "deadline")
    if issued is not None and issued > timezone.localdate():
        _refuse("责令改正通知书的发出日期不能晚于今天：通知书发出后才能记录（行政处罚法 28）。", "order_in_future")
    if issued is not None and deadline is not None and deadline <= issued:
        _refuse(f"改正期限（{deadline:%Y-%m-%d}）应当晚于发出日期（{issued:%Y-%m-%d}）：责令限期改正须给当事人改正的"
                "期限（行政处罚法 28）。", "order_deadline_not_after_issue")
    if not chain:
        return
    pending = [o for o in chain if o.check is None]
    if pending:
        o = pending[0]
        what = "尚未签字完成" if not o.record.complete else f"尚待整改复查（整改期限 {o.deadline:%Y-%m-%d}）"
        _refuse(f"本案责令改正通知书第{o.serial}号{what}：应当先按期复查改正情况，复查未改正的才能再次责令改正"
                f"（BX 10, LC 23）。", "order_while_open")
    last = chain[-1]
    if last.outcome == s.CORRECTED:
        _refuse("上一份责令改正通知书经复查已按期改正，不能再次责令改正；复查部分改正或未改正的，才能再次责令改正"
                "（BX 10, LC 23）。", "order_after_corrected")


def check_recheck(chain: list[s.Order], content: dict) -> None:
    deadline, at = s.day(content, "deadline"), s.moment(content, "time")
    if at is not None and at > timezone.now():
        _refuse("复查时间不能晚于现在：复查后才能记录（BX 10, LC 23）。", "recheck_in_future")
    complete = [o for o in chain if o.record.complete]
    if not complete or complete[-1].check is not None:
        _refuse("本案没有待复查的责令改正通知书（须已签字完成且尚未复查），不能制作整改复查记录（BX 10, LC 23）。",
                "recheck_without_order")
    order = complete[-1]
    if deadline != order.deadline:
        _refuse(f"整改期限应当与待复查的责令改正通知书（第{order.serial}号）的改正期限一致（{order.deadline:%Y-%m-%d}）"
                "（BX 10, LC 23）。",
                "recheck_deadline_mismatch")
    if order.draft_check is not None:
        _refuse("该责令改正通知书已有一份尚未签字完成的整改复查记录：请完成或作废该记录，不要重复制作（BX 10, LC 23）。",
                "recheck_twice")
    local = timezone.localtime(at).date() if at is not None else None
    if local is not None and order.issued_on is not None and local < order.issued_on:
        _refuse(f"复查时间早于责令改正通知书的发出日期（{order.issued_on:%Y-%m-%d}），请核对（BX 10, LC 23）。",
                "recheck_before_order")
    # The party has the whole deadline day: before it has run, only an early correction can be found.
    if local is not None and local <= deadline and content.get("outcome") != s.CORRECTED:
        _refuse(f"整改期限（{deadline:%Y-%m-%d}）尚未届满：期限届满前复查的，只能认定“{s.CORRECTED}”（当事人提前改正）；"
                "部分改正或未改正的，应当在期限届满后复查认定（BX 10, LC 23）。", "recheck_early")


def content_check(case, record_type, content, *, record=None) -> None:
    code = record_type.code
    if code == s.ORDER:
        check_order(s.chain_of(case, without=record), content)
    elif code == s.CHECK:
        check_recheck(s.chain_of(case, without=record), content)


def register() -> None:
    from liuhen.records.content_checks import register_content_check

    register_content_check(content_check)
