"""Rules as data (规则即数据): each rule the cases app enforces, with its value and the articles it
rests on, so that code, pages and an auditor read the same thing.

A rule is consumed by the code (`ON_SITE_OFFICERS.value`) and shown with its basis on the case page
(`ON_SITE_OFFICERS.basis`). The article keys are those of docs/regulations/README.md.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One rule: a stable id, its value, its legal basis (依据) and what it says in Chinese."""

    id: str
    value: object
    basis: str
    text: str = ""


# LC 10, LQ 17: on-site acts (inspection, inquiry, refusal to sign) by two or more certified officers.
ON_SITE_OFFICERS = Rule("on_site_officers", 2, "LC 10, LQ 17", "现场执法应有两名以上持有效执法证的执法人员")

# LC 8, LQ 8(二): an emergency start is reported for approval within 24 hours of the start.
EMERGENCY_APPROVAL_HOURS = Rule("emergency_approval_hours", 24, "LC 8, LQ 8",
                                "情况紧急先行启动的，应在启动后24小时内补报负责人批准")

# BX 5(1), LC 7, LQ 8(一) and LC 9, LQ 8(三): a case that ends at its start (不予受理, or a
# real-name complaint not pursued and answered in writing) skips investigation, decision and
# service, but its file is still archived (BX 11, LC 31, LQ 28).
CLOSE_AT_START = Rule("close_at_start", ("application", "complaint"), "BX 5, LC 7, LC 9, LQ 8",
                      "依申请不予受理或实名举报经审查不予立案并书面答复的，程序启动后直接归档")

RULES = {r.id: r for r in (ON_SITE_OFFICERS, EMERGENCY_APPROVAL_HOURS, CLOSE_AT_START)}
