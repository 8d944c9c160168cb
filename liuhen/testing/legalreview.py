"""Helpers for the legal review tests (issue 17): a major case ready to submit, its review passed."""
from __future__ import annotations

import datetime

PENALTY = {"penalty_kind": "责令停产停业", "fine_amount": "50000"}


def major_case(world, *, penalty=None, decision=True):
    """A case in 审查决定 whose investigation ended with a 调查终结报告, whose 处理意见 proposes a
    penalty the base profile calls major (责令停产停业), a 行政处罚告知书 of it served long ago, and (with
    `decision`) a draft 决定书."""
    from liuhen.cases import services as cases
    from liuhen.testing.cases import complete, fill, notify, to_investigation
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType

    case = to_investigation(world)
    complete(world, case, "rights_notice")
    complete(world, case, "inquiry_record")
    complete(world, case, "investigation_report")
    case = cases.advance(world.officer, case, note="调查终结")
    rt = RecordType.objects.get(code="handling_opinion")
    from liuhen.testing.cases import sign_all

    sign_all(world, rec.create_record(world.officer, case, rt, {**fill(rt), **(penalty or PENALTY)}))
    notify(world, case, penalty or PENALTY)  # the party told long ago: its periods ran (liuhen.rights)
    if decision:
        dt = RecordType.objects.get(code="decision")
        rec.create_record(world.officer, case, dt, {**fill(dt), **(penalty or PENALTY)})
    return case


def qualify(world, user=None):
    from liuhen.legalreview import services

    return services.record_qualification(world.sysadmin, user or world.reviewer, certificate_number="A20201100001",
                                         obtained_on=datetime.date(2020, 9, 1))



def points(**problems):
    """Every review point 符合规定, but those named: {point id: note} marked 存在问题."""
    from liuhen.legalreview.selectors import REVIEW_POINTS

    out = {pid: {"verdict": "符合规定", "note": ""} for pid, _ in REVIEW_POINTS}
    for pid, note in problems.items():
        out[pid] = {"verdict": "存在问题", "note": note}
    return out


def submitted(world, case=None):
    from liuhen.legalreview import services

    case = case or major_case(world)
    services.assess(world.officer, case, major=True)
    return services.submit(world.officer, case, note="拟责令停产停业")


def passed(world, case=None):
    from liuhen.legalreview import services

    sub = submitted(world, case)
    qualify(world)
    services.review(world.reviewer, sub, points=points(), outcome="同意", opinion="事实清楚，证据确凿，程序合法，同意。")
    return sub
