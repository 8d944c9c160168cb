"""What each stage must hold before the case may leave it, as data with its legal basis.

For each procedure and stage, a list of requirements; each requirement names the record-type codes
of which at least one must be complete (not voided, signatures satisfied), its id and the articles
it rests on (shown on the case page next to it). A Requirement is a tuple of its codes, so that
`set(req)` is the codes; `req.id` and `req.basis` say what it is and why.
A later issue moves this into per-agency checklist profiles.
"""
from .models import Kind, Procedure, Stage, StartMode


class Requirement(tuple):
    """立卷要求: one of `codes` complete. `drafted_suffices`: to LEAVE the stage a drafted (not
    voided) record is enough, its signatures may follow (the emergency approval, LC 8); archiving
    re-checks it complete."""

    def __new__(cls, id, codes=None, basis: str = "", *, drafted_suffices: bool = False):
        if codes is None:  # rebuilt from its codes alone (as Django's lookups do with a tuple)
            id, codes = "", id
        self = super().__new__(cls, codes)
        self.id, self.basis, self.drafted_suffices = id, basis, drafted_suffices
        return self

    def __reduce__(self):  # copy and pickle rebuild it with its id and basis
        return (Requirement, (self.id, tuple(self), self.basis), {"drafted_suffices": self.drafted_suffices})

    def __repr__(self):
        return f"Requirement({self.id!r}, {tuple(self)!r}, {self.basis!r})"


R = Requirement

REQUIREMENTS: dict[str, dict[str, list[Requirement]]] = {
    Procedure.GENERAL: {
        # BX 5, LC 7-8, LQ 8: intake (受理) or the start approval. 不予受理 does not lead to an
        # investigation: it closes the case at its start (CLOSURE below).
        Stage.START: [R("start_document", ("start_approval", "acceptance_notice"), "BX 5, LC 7, LC 8, LQ 8")],
        # LC 10-11: rights notified; at least one investigation record
        Stage.INVESTIGATION: [
            R("rights_notice", ("rights_notice",), "LC 11"),
            R("investigation_record",
              ("inquiry_record", "inspection_record", "evidence_request_notice", "sampling_notice"),
              "BX 6, LC 10"),
        ],
        # BX 9, LC 16-21: proposal, leader approval, decision document
        Stage.DECISION: [R("handling_opinion", ("handling_opinion",), "BX 9, LC 16"),
                         R("leader_approval", ("leader_approval",), "BX 9, LC 20"),
                         R("decision", ("decision",), "BX 9, LC 21")],
        # BX 10, LC 23: service receipt
        Stage.SERVICE: [R("service_record", ("service_receipt", "mail_receipt", "service_notice"), "BX 10, LC 23")],
        # BX 11, LC 31, LQ 28: the file received by the archivist; closing report approved by a leader
        Stage.ARCHIVE: [R("archive_register", ("archive_register",), "BX 11, LC 31, LQ 28"),
                        R("closing_report", ("closing_report",), "BX 11, LC 31")],
    },
    Procedure.SIMPLIFIED: {
        # LC 22: on-the-spot decisions
        Stage.START: [],
        Stage.INVESTIGATION: [R("investigation_record", ("inspection_record", "inquiry_record"), "LC 22")],
        Stage.DECISION: [R("decision", ("decision",), "LC 22")],
        Stage.SERVICE: [R("service_record", ("service_receipt",), "LC 22, LC 23")],
        # BX 11, LC 31: on-the-spot decisions are filed too, received by the archivist
        Stage.ARCHIVE: [R("archive_register", ("archive_register",), "BX 11, LC 31, LQ 28")],
    },
}


# Kinds whose general procedure differs: an inspection (行政检查) may have no party to notify of
# rights, and ends with findings and follow-up rather than a penalty decision.
KIND_OVERRIDES: dict[str, dict[str, list[Requirement]]] = {
    Kind.INSPECTION: {
        Stage.INVESTIGATION: [R("investigation_record", ("inspection_record", "inquiry_record", "sampling_notice"),
                                "BX 6, LC 10")],
        Stage.DECISION: [R("handling_opinion", ("handling_opinion",), "BX 9, LC 16")],
        Stage.SERVICE: [R("follow_up", ("service_receipt", "rectification_check", "performance_record"),
                          "BX 10, LC 23")],
    },
}

# LC 8, LQ 8(二): an emergency start may leave 程序启动 once the 紧急先行启动补批表 is drafted; the
# leader signs it within 24 h (rules.EMERGENCY_APPROVAL_HOURS), and archiving re-checks it signed.
EMERGENCY_START = R("emergency_approval", ("emergency_start_approval",), "LC 8, LQ 8", drafted_suffices=True)

# A case closed at its start (rules.CLOSE_AT_START): the signed written answer, by start mode.
# BX 5(1), LC 7, LQ 8(一): 不予受理决定书; LC 9, LQ 8(三): the written reply to a real-name complainant.
CLOSURE: dict[str, Requirement] = {
    StartMode.APPLICATION: R("non_acceptance", ("non_acceptance_decision",), "BX 5, LC 7, LQ 8"),
    StartMode.COMPLAINT: R("complaint_reply", ("complaint_reply",), "BX 5, LC 9, LQ 8"),
}

# The archive of a case closed at its start holds the 归档登记表 only. No 结案报告: it reports how an
# investigated case was handled and executed (BX 11, LC 31), and here nothing was investigated,
# decided or executed — the signed 不予受理决定书 or 答复书 is itself the written conclusion, and
# the archive requirement of BX 11 / LC 31 / LQ 28 is the file received by the archivist.
ARCHIVE_AFTER_CLOSURE: list[Requirement] = [R("archive_register", ("archive_register",), "BX 11, LC 31, LQ 28")]


# Stages whose records are made anew when the case comes back to them (send_back, LW-L 15): the
# proposal, approval and decision of a sent-back case rested on an investigation found wanting.
# The investigation's own records stay evidence and are added to, so 调查取证 does not reset.
REDONE_ON_REENTRY: frozenset[str] = frozenset({Stage.DECISION})

# The stages a case closed at its start does not go through (shown as 未进行, not as done).
SKIPPED_ON_CLOSURE: tuple[str, ...] = (Stage.INVESTIGATION, Stage.DECISION, Stage.SERVICE)


def requirements_for(procedure: str, stage: str, kind: str = "") -> list[Requirement]:
    if procedure == Procedure.GENERAL and stage in KIND_OVERRIDES.get(kind, {}):
        return KIND_OVERRIDES[kind][stage]
    return REQUIREMENTS[Procedure(procedure)][Stage(stage)]


def is_emergency(case) -> bool:
    """An emergency start under the general procedure (LC 8: 依职权启动一般程序…情况紧急的)."""
    return case.start_mode == StartMode.EMERGENCY and case.procedure == Procedure.GENERAL


def stage_requirements(case, stage: str, *, closed: bool = False) -> list[Requirement]:
    """The requirements of `stage` for this case: by procedure and kind, with the start mode's
    own (emergency approval) and, for a case closed at its start, the closure's."""
    if closed:
        if stage == Stage.START:
            req = CLOSURE.get(case.start_mode)
            return [req] if req else []
        if stage == Stage.ARCHIVE:
            return ARCHIVE_AFTER_CLOSURE
        return []
    if stage == Stage.START and is_emergency(case):
        return [EMERGENCY_START]
    return requirements_for(case.procedure, stage, case.kind)
