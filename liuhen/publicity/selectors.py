"""Reads of 公示: a version's state and an entry's status, derived from the steps and the date (never
stored); the live version the public reads; a case's decision entry and the decision document it
publishes. The portal's lists (portal_selectors.py) and the workbench (work_selectors.py) build on these."""
from __future__ import annotations

import datetime

from django.utils import timezone

from liuhen.documents.models import DocumentStatus
from liuhen.documents.selectors import issued_of_case

from .models import Entry, EntryKind, Step, StepKind, Version

# A version's states (版本状态).
DRAFT, REVIEWED, RETURNED, PUBLISHED = "draft", "reviewed", "returned", "published"
STATE_LABELS = {DRAFT: "待审核", REVIEWED: "待批准", RETURNED: "已退回", PUBLISHED: "已发布"}
# An entry's status (公示状态).
PENDING, LIVE, WITHDRAWN, EXPIRED, REMOVED, NEVER = "pending", "live", "withdrawn", "expired", "removed", "never"
STATUS_LABELS = {PENDING: "待发布", LIVE: "公示中", WITHDRAWN: "已撤回", EXPIRED: "公示期满", REMOVED: "已提前撤下",
                 NEVER: "未发布"}
ENDS = (StepKind.WITHDRAW, StepKind.REMOVE, StepKind.REMOVE_EARLY)

# PostgreSQL's jsonb keeps no key order (SQLite's JSON text does): a summary's rows are put back in the
# order people read them — a decision's 摘要 first (市场监管公示规定 10), then the 双公示 fields; a matter's
# name, basis, conditions, procedure, time limit (LW-P 7 (二)); the agency's and a channel's fields as the
# staff's forms ask them — any other label after these, in the order stored.
SUMMARY_ORDER = ("决定书文号", "当事人", "违法行为类型", "处罚内容", "处罚机关", "决定日期", "统一社会信用代码", "法定代表人",
                 "违法事实", "处罚依据", "处罚类别", "罚款金额（元）", "没收金额（元）", "公示截止期", "处罚机关统一社会信用代码",
                 "统计年度", "事项名称", "事项类别", "法规依据", "执法依据", "实施依据", "办理条件", "实施条件", "办理程序", "实施程序",
                 "办理时限", "时限", "机构设置", "职责", "网址", "办公时间", "渠道名称", "方式", "受理范围", "反馈时限")
_RANK = {label: i for i, label in enumerate(SUMMARY_ORDER)}


def summary_rows(summary: dict) -> list[tuple[str, str]]:
    """(label, text) of a summary's filled fields, in reading order (the same on SQLite and PostgreSQL)."""
    rows = [(str(k), str(v)) for k, v in (summary or {}).items() if v not in ("", None)]
    return sorted(rows, key=lambda kv: _RANK.get(kv[0], len(_RANK)))


def today() -> datetime.date:
    return timezone.localdate()


def version_state(version: Version, steps=None) -> str:
    """draft (待审核) → reviewed (待批准) → published (已发布); returned (已退回) when the review or the
    approval did not pass: a new version is drafted instead."""
    steps = list(version.steps.all()) if steps is None else steps
    kinds = {(s.kind, s.passed) for s in steps}
    if (StepKind.PUBLISH, True) in kinds:
        return PUBLISHED
    if (StepKind.REVIEW, False) in kinds or (StepKind.APPROVE, False) in kinds:
        return RETURNED
    if (StepKind.REVIEW, True) in kinds:
        return REVIEWED
    return DRAFT


def latest_version(entry: Entry) -> Version | None:
    return entry.versions.order_by("-n").first()


def published_versions(entry: Entry) -> list[Version]:
    return list(Version.objects.filter(entry=entry, steps__kind=StepKind.PUBLISH).order_by("n").distinct())


def end_step(entry: Entry) -> Step | None:
    """The withdrawal or removal that ended the entry's publication (the latest; None: not ended).
    A version published after it starts the publication again (a changed decision republished)."""
    # By the rows' order, not their times: two steps in one second (or a clock set back) keep their order.
    end = Step.objects.filter(version__entry=entry, kind__in=ENDS).order_by("-id").first()
    if end is None:
        return None
    later = Step.objects.filter(version__entry=entry, kind=StepKind.PUBLISH, id__gt=end.id).exists()
    return None if later else end


def live_version(entry: Entry, on: datetime.date | None = None) -> Version | None:
    """What the public reads: the latest published version, unless the entry was withdrawn or removed,
    or its public period (public_until, inclusive) is over."""
    shown = Version.objects.filter(entry=entry, steps__kind=StepKind.PUBLISH).order_by("-n").first()
    if shown is None or end_step(entry) is not None:
        return None
    if shown.public_until is not None and shown.public_until < (on or today()):
        return None
    return shown


def status(entry: Entry, on: datetime.date | None = None) -> str:
    shown = Version.objects.filter(entry=entry, steps__kind=StepKind.PUBLISH).order_by("-n").first()
    if shown is None:
        return PENDING if entry.versions.exists() else NEVER
    end = end_step(entry)
    if end is not None:
        return {StepKind.WITHDRAW: WITHDRAWN, StepKind.REMOVE: EXPIRED}.get(end.kind, REMOVED)
    if shown.public_until is not None and shown.public_until < (on or today()):
        return EXPIRED
    return LIVE


def decision_entry(case) -> Entry | None:
    return Entry.objects.filter(case=case, kind=EntryKind.DECISION).first()


def decision_documents(case) -> list:
    """The case's issued 决定书, first to last (a changed decision: the replaced one, then its replacement)."""
    return issued_of_case(case, "decision")


def current_decision(case):
    """The case's 决定书 in force: the last issued one still valid (None: none issued, or all revoked)."""
    valid = [d for d in decision_documents(case) if d.status == DocumentStatus.VALID]
    return valid[-1] if valid else None


def entry_by_number(number: str) -> Entry | None:
    return Entry.objects.filter(number=str(number)[:20]).select_related("agency", "case").first()


def _by_redaction(version: Version, prev: Version | None) -> bool:
    """Was `version` made from `prev` by add_redaction (the same served text, more spans, no step between)?"""
    if prev is None or prev.steps.exists() or version.source_sha256 != prev.source_sha256 or not version.source_sha256:
        return False
    before = {tuple(sorted(x.items())) for x in prev.redactions}
    after = {tuple(sorted(x.items())) for x in version.redactions}
    return version.document_id == prev.document_id and len(after) > len(before) and before <= after


def authors(version: Version) -> tuple[int, set[int]]:
    """(the drafter, everyone who made a version) of the text `version` carries: walking back over the
    versions made by adding redactions — a reviewer who only removed more is not its drafter (LW-P 5)."""
    made = {version.made_by_id}
    prev = Version.objects.filter(entry_id=version.entry_id, n=version.n - 1).first()
    while _by_redaction(version, prev):
        version = prev
        made.add(version.made_by_id)
        prev = Version.objects.filter(entry_id=version.entry_id, n=version.n - 1).first()
    return version.made_by_id, made
