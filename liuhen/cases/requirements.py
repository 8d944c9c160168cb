"""What each stage must hold before the case may leave it.

Kept as data: for each procedure and stage, a list of requirements; each requirement is a tuple of
record-type codes of which at least one must be complete (not voided, signatures satisfied).
A later issue moves this into per-agency checklist profiles.
"""
from .models import Kind, Procedure, Stage

REQUIREMENTS: dict[str, dict[str, list[tuple[str, ...]]]] = {
    Procedure.GENERAL: {
        # BX 5-6, LC 7-8: intake or start approval
        Stage.START: [("start_approval", "acceptance_notice", "non_acceptance_decision",
                       "emergency_start_approval")],
        # LC 10-11: rights notified; at least one investigation record
        Stage.INVESTIGATION: [
            ("rights_notice",),
            ("inquiry_record", "inspection_record", "evidence_request_notice", "sampling_notice"),
        ],
        # BX 9, LC 16-21: proposal, leader approval, decision document
        Stage.DECISION: [("handling_opinion",), ("leader_approval",), ("decision",)],
        # BX 10, LC 23: service receipt
        Stage.SERVICE: [("service_receipt", "mail_receipt", "service_notice")],
        # BX 11, LC 31, LQ 28: closing report approved by a leader; the file received by the archivist
        Stage.ARCHIVE: [("archive_register",), ("closing_report",)],
    },
    Procedure.SIMPLIFIED: {
        # LC 22: on-the-spot decisions
        Stage.START: [],
        Stage.INVESTIGATION: [("inspection_record", "inquiry_record")],
        Stage.DECISION: [("decision",)],
        Stage.SERVICE: [("service_receipt",)],
        # BX 11, LC 31: on-the-spot decisions are filed too, received by the archivist
        Stage.ARCHIVE: [("archive_register",)],
    },
}


# Kinds whose general procedure differs: an inspection (行政检查) may have no party to notify of
# rights, and ends with findings and follow-up rather than a penalty decision.
KIND_OVERRIDES: dict[str, dict[str, list[tuple[str, ...]]]] = {
    Kind.INSPECTION: {
        Stage.INVESTIGATION: [("inspection_record", "inquiry_record", "sampling_notice")],
        Stage.DECISION: [("handling_opinion",)],
        Stage.SERVICE: [("service_receipt", "rectification_check", "performance_record")],
    },
}


# Stages whose records are made anew when the case comes back to them (send_back, LW-L 15): the
# proposal, approval and decision of a sent-back case rested on an investigation found wanting.
# The investigation's own records stay evidence and are added to, so 调查取证 does not reset.
REDONE_ON_REENTRY: frozenset[str] = frozenset({Stage.DECISION})


def requirements_for(procedure: str, stage: str, kind: str = "") -> list[tuple[str, ...]]:
    if procedure == Procedure.GENERAL and stage in KIND_OVERRIDES.get(kind, {}):
        return KIND_OVERRIDES[kind][stage]
    return REQUIREMENTS[Procedure(procedure)][Stage(stage)]
