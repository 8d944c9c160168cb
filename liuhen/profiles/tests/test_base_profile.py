"""The packaged base profile is the tables the system had before profiles (issue 15): for every
kind × procedure × start mode × stage (and a case closed at its start) the same requirements —
ids, record types, articles, drafted_suffices — and the same valued rules, signature overrides and
AV acts. The old tables are copied here literally from liuhen/cases/requirements.py as of issue 14."""
from types import SimpleNamespace

import pytest

from liuhen.avrules import rules as av_rules
from liuhen.cases import requirements
from liuhen.cases import rules as case_rules
from liuhen.cases.models import Kind, Procedure, Stage, StartMode
from liuhen.records import rules as record_rules

OLD_REQUIREMENTS = {
    "general": {
        "start": [("start_document", ("start_approval", "acceptance_notice"), "BX 5, LC 7, LC 8, LQ 8")],
        "investigation": [("rights_notice", ("rights_notice",), "LC 11"),
                          ("investigation_record", ("inquiry_record", "inspection_record", "evidence_request_notice",
                                                    "sampling_notice"), "BX 6, LC 10")],
        "decision": [("handling_opinion", ("handling_opinion",), "BX 9, LC 16"),
                     ("leader_approval", ("leader_approval",), "BX 9, LC 20"),
                     ("decision", ("decision",), "BX 9, LC 21")],
        "service": [("service_record", ("service_receipt", "mail_receipt", "service_notice"), "BX 10, LC 23")],
        "archive": [("archive_register", ("archive_register",), "BX 11, LC 31, LQ 28"),
                    ("closing_report", ("closing_report",), "BX 11, LC 31")],
    },
    "simplified": {
        "start": [],
        "investigation": [("investigation_record", ("inspection_record", "inquiry_record"), "LC 22")],
        "decision": [("decision", ("decision",), "LC 22")],
        "service": [("service_record", ("service_receipt",), "LC 22, LC 23")],
        "archive": [("archive_register", ("archive_register",), "BX 11, LC 31, LQ 28")],
    },
}
OLD_KIND_OVERRIDES = {"inspection": {
    "investigation": [("investigation_record", ("inspection_record", "inquiry_record", "sampling_notice"),
                       "BX 6, LC 10")],
    "decision": [("handling_opinion", ("handling_opinion",), "BX 9, LC 16")],
    "service": [("follow_up", ("service_receipt", "rectification_check", "performance_record"), "BX 10, LC 23")],
}}
OLD_EMERGENCY = ("emergency_approval", ("emergency_start_approval",), "LC 8, LQ 8")
OLD_CLOSURE = {"application": ("non_acceptance", ("non_acceptance_decision",), "BX 5, LC 7, LQ 8"),
               "complaint": ("complaint_reply", ("complaint_reply",), "BX 5, LC 9, LQ 8")}
OLD_ARCHIVE_AFTER_CLOSURE = [("archive_register", ("archive_register",), "BX 11, LC 31, LQ 28")]


def old(kind, procedure, start_mode, stage, closed):
    """issue 14's stage_requirements, over the literal tables (drafted_suffices: the emergency one only)."""
    if closed:
        if stage == "start":
            return [OLD_CLOSURE[start_mode] + (False,)] if start_mode in OLD_CLOSURE else []
        return [r + (False,) for r in OLD_ARCHIVE_AFTER_CLOSURE] if stage == "archive" else []
    if stage == "start" and start_mode == "emergency" and procedure == "general":
        return [OLD_EMERGENCY + (True,)]
    if procedure == "general" and stage in OLD_KIND_OVERRIDES.get(kind, {}):
        return [r + (False,) for r in OLD_KIND_OVERRIDES[kind][stage]]
    return [r + (False,) for r in OLD_REQUIREMENTS[procedure][stage]]


def test_every_kind_procedure_start_mode_and_stage_has_the_old_requirements(settings):
    settings.LIUHEN_DEFAULT_PROFILE = "base"
    checked = 0
    for kind in Kind.values:
        for procedure in Procedure.values:
            for start_mode in StartMode.values:
                case = SimpleNamespace(kind=kind, procedure=procedure, start_mode=start_mode, profile_version_id=None)
                for stage in Stage.values:
                    for closed in (False, True):
                        now = [(r.id, tuple(r), r.basis, r.drafted_suffices)
                               for r in requirements.stage_requirements(case, stage, closed=closed)]
                        assert now == old(kind, procedure, start_mode, stage, closed), (kind, procedure, start_mode,
                                                                                         stage, closed)
                        checked += 1
    assert checked == 9 * 2 * 6 * 5 * 2


def test_the_module_tables_keep_their_shape():
    assert requirements.EMERGENCY_START.drafted_suffices and tuple(requirements.EMERGENCY_START) == OLD_EMERGENCY[1]
    assert {m: r.id for m, r in requirements.CLOSURE.items()} == {"application": "non_acceptance",
                                                                   "complaint": "complaint_reply"}
    assert requirements.requirements_for(Procedure.SIMPLIFIED, Stage.START) == []
    with pytest.raises(ValueError):
        requirements.requirements_for("fast", Stage.START)


def test_the_valued_rules_overrides_and_av_acts_are_the_old_ones():
    assert (case_rules.ON_SITE_OFFICERS.value, case_rules.ON_SITE_OFFICERS.basis) == (2, "LC 10, LQ 17")
    assert (case_rules.EMERGENCY_APPROVAL_HOURS.value, case_rules.EMERGENCY_APPROVAL_HOURS.basis) == (24, "LC 8, LQ 8")
    assert case_rules.CLOSE_AT_START.value == ("application", "complaint")
    assert [(o.id, o.kind, o.procedure, o.record_type, o.value, o.basis) for o in record_rules.OVERRIDES] == [
        (o.id, o.kind, o.procedure, o.record_type, o.value, o.basis) for o in record_rules.ISSUE_12_OVERRIDES]
    assert [(a.id, a.label, a.records, a.required, a.kinds, a.time_field, a.basis) for a in av_rules.ACTS] == [
        ("inspection", "现场检查（勘验）", (("inspection_record", ""),), True, ("video", "audio"), "time", "LQ 19, AS 8"),
        ("sampling", "抽样取证", (("sampling_notice", ""),), True, ("video", "audio"), "time", "LQ 19"),
        ("hearing", "举行听证", (("hearing_record", ""), ("hearing_transcript", "")), True, ("video", "audio"), "time", "LQ 19, AS 8"),  # issue 17: the hearing after the 告知书 too
        ("seizure", "查封扣押", (("seizure_record", ""),), True, ("video", "audio"), "time", "LQ 19"),
        ("lien_service", "留置送达", (("service_receipt", "留置送达"),), True, ("video", "audio", "photo"), "served_at",
         "LQ 19"),
        ("public_notice", "公告送达", (("service_notice", ""), ("service_receipt", "公告送达")), True,
         ("video", "audio", "photo"), "", "LQ 19"),
        ("inquiry", "询问", (("inquiry_record", ""),), False, ("video", "audio"), "time", "LQ 19"),
        # issue 18: the measures of compulsory execution, the re-check of a rectification (optional in base)
        ("enforcement", "强制执行", (("enforcement_measure", ""),), True, ("video", "audio"), "time", "LQ 19, 行政强制法 18"),
        ("rectification_check", "整改复查", (("rectification_check", ""),), False, ("video", "audio"), "time",
         "BX 10, LQ 19"),
    ]
    assert all(a.reason_accepted for a in av_rules.ACTS)
    assert {r.id: (r.value, r.basis) for r in av_rules.RULES.values()} == {
        "av_upload_hours": (24, "LC 31, LQ 23, AS 12"), "av_field_trip_hours": (24, "AS 12"),
        "av_field_trip_max_days": (31, "AS 12"), "av_time_tolerance": (300, "LW-D 7"), "av_gap_seconds": (10, "LQ 22")}
