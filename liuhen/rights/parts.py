"""What the rights app shows on the case page (cases/pages.py, registered in RightsConfig.ready()): in
审查决定 of a general-procedure penalty case, the 行政处罚告知书 and its periods, the hearing, and from
when the decision may be made or what still keeps it (行政处罚法 44-45, 63-65)."""
from django.utils import timezone

from liuhen.cases.models import Stage

from . import selectors

CASE_TEMPLATE = "rights/case_part.html"


def _local(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""


def _step(label: str, state, done_text: str = "已完成") -> dict:
    if state is None:
        return {"label": label, "text": "无", "done": False}
    return {"label": label, "text": done_text if state.complete else state.status_label, "done": state.complete,
            "record": state.record}


def case_page(user, case, *, can_work) -> dict:
    if case.stage != Stage.DECISION or case.is_archived or not selectors.applies(case):
        return {"rights_part": None}
    r = selectors.rights_of(case)
    start = r.may_decide_from()
    part = {"rights": r, "notified_at": _local(r.notified_at), "statement_due": _local(r.statement_due),
            "hearing_due": _local(r.hearing_due), "requested_at": _local(r.requested_at),
            "hearing_at": _local(r.hearing_at),
            "may_decide_from": _local(start),
            "problems": r.problems(), "steps": []}
    if r.hearing_requested:
        part["steps"] = [_step("听证申请", r.request), _step("听证通知书", r.hearing_notice),
                         {"label": "听证会笔录", "text": "已完成" if r.transcript_complete else "未完成",
                          "done": r.transcript_complete},
                         {"label": "听证报告", "text": "已完成" if r.report_complete else "未完成",
                          "done": r.report_complete}]
    return {"rights_part": part}


def register() -> None:
    from liuhen.cases import pages as case_pages

    case_pages.register_case_page(case_page)
    case_pages.register_case_part(CASE_TEMPLATE)
