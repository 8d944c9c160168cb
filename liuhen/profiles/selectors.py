"""Which profile an act is held to (reads).

STUB written by the integrator so that other apps can code against the contract (spec.py) while the
profiles app is built: `active_profile` and `profile_for_case` return the packaged default. The
profiles engineer replaces the body (loading data/*.yaml, versions per agency, the case's pinned
version) and keeps these two signatures.
"""
from .spec import (Applies, DeadlineSpec, Period, Profile, RuleValue, ScoreItem, Scorecard, ScoreSection)


def _stub_default() -> Profile:
    p = Period.parse
    deadlines = (
        DeadlineSpec("emergency_backfill", "紧急先行启动补报批准", "LC 8, LQ 8", "case.started", p("24h"),
                     ("record.emergency_start_approval.completed",),
                     Applies(procedures=("general",), start_modes=("emergency",))),
        DeadlineSpec("av_upload", "音像记录上传", "LC 31, AS 12, LQ 23", "footage.recorded", p("24h"),
                     ("footage.ingested",), per="footage"),
        DeadlineSpec("service", "决定书送达", "行政处罚法 61", "record.decision.completed", p("7d"),
                     ("record.service_receipt.completed", "record.mail_receipt.completed",
                      "record.service_notice.completed"), Applies(procedures=("general",))),
        DeadlineSpec("legal_review", "法制审核", "LW-L 16", "record.legal_review_record.drafted", p("10wd"),
                     ("record.legal_review_record.completed",), extension=p("10wd")),
        DeadlineSpec("publicity", "行政处罚决定公示", "LW-P, 行政处罚法 48", "record.decision.completed", p("20wd"),
                     ("publication.published",), Applies(kinds=("penalty",), procedures=("general",))),
        DeadlineSpec("withdrawal", "撤回公示", "行政处罚法 48, 85", "decision.revoked", p("3wd"),
                     ("publication.withdrawn",)),
        DeadlineSpec("archive", "立卷归档", "BX 11, LC 31, LQ 28", "stage.archive.entered", p("30d"),
                     ("case.archived",)),
        DeadlineSpec("handling_limit", "办案期限", "行政处罚法 60", "case.started", p("90d"),
                     ("record.decision.completed",), Applies(kinds=("penalty",), procedures=("general",))),
    )
    card = Scorecard(
        hard_fail=(ScoreItem("officers", "执法人员少于两人或无有效执法证", 0, "LC 10, LQ 17"),),
        sections=(ScoreSection("form", "卷面", 20, (ScoreItem("one_case_one_file", "一案一卷、卷内目录与页码", 5, "BX 11"),)),
                  ScoreSection("content", "内容", 80, (ScoreItem("service_in_time", "七日内送达", 10, "行政处罚法 61"),))),
        bands=(("优秀", 90), ("合格", 60), ("不合格", 0)))
    rules = {r.id: r for r in (RuleValue("on_site_officers", 2, "LC 10, LQ 17"),)}
    return Profile(code="base", name="默认规则", regulation="", version=0, sha256="", rules=rules, stages=(),
                   signatures=(), av_acts=(), deadlines=deadlines, major=(), publicity=None, phrases=(),
                   scorecard=card)


def active_profile(agency) -> Profile:
    """The profile in force for `agency` now (its latest loaded version, else the packaged default)."""
    return _stub_default()


def profile_for_case(case) -> Profile:
    """The profile version `case` started under (pinned when it was opened)."""
    return _stub_default()
