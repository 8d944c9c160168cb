"""Writes of 公示, each its row(s) and ledger event in one transaction; each refusal recorded
(publicity.refused: the act and its codes, never the text).

- draft_decision: the publication draft of a case's decision (行政处罚法 48): the text as served, minus the
  redactions found (redact.find over the case's natural persons), the summary first, the public period by
  the profile; refused for what the law or the profile keeps offline (a minor's case, an exemption, a
  procedure or penalty the profile does not publish);
- add_redaction: one more thing removed, as a new version (before its review);
- review (LW-P 9: scope, secrets, privacy, form, timing, accuracy), then approve (LW-P 6: the head) — the
  approval publishes; nothing appears without both;
- revise: a correction (更正) of a published entry, as a new version reviewed and approved again; the earlier
  text stays in its history (LW-P 13);
- withdraw (行政处罚法 48: a decision revoked, changed or found void, with the reason stated publicly),
  remove_early (refused for the penalties the profile keeps up for their term), expire (the daily job);
- exempt: 不予公开, with its ground;
- draft_content: 事前公开 — the agency, a matter, a channel, a benchmark, a year's statistics (LW-P 7);
- comment (the public, anonymous) and reply (the agency) (LW-P 12).
"""
from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone

from liuhen.accounts.roles import ADMIN_ROLES, Role
from liuhen.cases.models import Case
from liuhen.common import text as texts
from liuhen.documents.models import DocumentStatus
from liuhen.documents.selectors import names_a_person
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.profiles.selectors import active_profile, profile_for_case

from . import redact
from . import selectors as s
from . import text
from . import vocabulary as v
from .clocks import excluded_reason
from .models import (REVIEW_CHECKS, Comment, CommentKind, Entry, EntryKind, Exemption, ExemptionGround, Reply, Step,
                     StepKind, Version)

CONTENT_KINDS = (EntryKind.AGENCY, EntryKind.MATTER, EntryKind.CHANNEL, EntryKind.BENCHMARK, EntryKind.STATISTICS)
ROLE_LABELS = dict(Role.choices)


def _about(object_type: str):
    return lambda actor, row=None, *rest, **kw: (object_type, getattr(row, "pk", "") or "")


_about_case = _about("case")  # the cases app's object type in the log
_about_entry = _about(Entry.ledger_object_type)
_about_version = _about(Version.ledger_object_type)


def _log(action, actor, row, **detail):
    return ledger.append(action, actor=actor, object_type=row.ledger_object_type, object_id=row.pk,
                         content_sha256=row.ledger_digest(), detail=detail)


def _line(value, label: str, *, required=True, max_length=500, multiline=False) -> str:
    value = texts.clean(value or "", label, max_length=max_length, multiline=multiline).strip()
    if required and not value:
        raise ValidationError(f"请填写{label}。", code="required")
    return value


def _spec(agency):
    spec = active_profile(agency).publicity
    if spec is None:
        raise ValidationError("本机关的执法规则配置未规定公示（publicity）。", code="no_publicity")
    return spec


def _may(actor, agency_id, roles, what: str) -> None:
    """`actor` works for the agency in one of `roles` (the profile's); the three administrators never
    (三员分立: no case content)."""
    if (not getattr(actor, "is_authenticated", False) or not actor.is_active or actor.has_role(*ADMIN_ROLES)
            or actor.agency_id != agency_id):
        raise PermissionDenied("不属于本机关的公示事项。")
    if not actor.has_role(*roles):
        names = "、".join(ROLE_LABELS.get(r, r) for r in roles)
        raise PermissionDenied(f"只有{names}可以{what}。")


def _next_number(year: int) -> str:
    """公示编号 `2026-0001`: the year and its sequence (never reused: rows are never deleted); the
    longest first, so that 2026-10000 follows 2026-9999."""
    last = (Entry.objects.filter(number__startswith=f"{year}-").order_by(Length("number").desc(), "-number")
            .values_list("number", flat=True).first())
    n = int(last.split("-")[1]) + 1 if last else 1
    return f"{year}-{n:04d}"


def _new_entry(actor, agency, kind: str, *, case=None, year=None) -> Entry:
    for _ in range(3):  # two drafts racing for one number: the unique constraint decides, the loser retries
        try:
            with transaction.atomic():
                row = Entry.objects.create(agency=agency, kind=kind, number=_next_number(timezone.localdate().year),
                                           case=case, year=year, created_by=actor)
        except IntegrityError:
            continue
        row = Entry.objects.get(pk=row.pk)
        # The entry's own event (its state: `liuhen verify` holds the row to it), with its first draft's.
        _log(v.DRAFT, actor, row, entry=row.number, kind=kind, case=row.case_id, year=row.year)
        return row
    raise ValidationError("公示编号冲突，请重试。", code="number_race")


def _version(actor, entry: Entry, **fields) -> Version:
    n = (entry.versions.order_by("-n").values_list("n", flat=True).first() or 0) + 1
    row = Version.objects.create(entry=entry, n=n, made_by=actor, **fields)
    row = Version.objects.get(pk=row.pk)
    _log(v.DRAFT, actor, row, entry=entry.number, kind=entry.kind, n=n, document=row.document_id,
         redactions=len(row.redactions), reason=bool(row.reason))
    return row


def _open(entry: Entry) -> Version | None:
    """The entry's version on its way (待审核 / 待批准), if any."""
    latest = s.latest_version(entry)
    return latest if latest is not None and s.version_state(latest) in (s.DRAFT, s.REVIEWED) else None


def _lock_entry(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().get(pk=entry.pk)


# ---- a decision -----------------------------------------------------------------------------------


def _decision_texts(case: Case, doc, spec) -> dict:
    """The fields of a decision's version: the text as served, the spans removed, the published text,
    the summary and the public period."""
    d = text.decision_document(doc)
    source = text.served_text(d)
    who = text.people(case, mask_party=spec.mask_person_name)
    spans = text.find(source, who)
    decided = text.issued_content(doc)  # the record's values, not their printed form
    fine = str(decided.get("fine_amount") or "").strip()
    fine = int(fine) if fine.isdigit() else None
    until = text.public_until(profile_for_case(case), text.penalty_code(decided.get("penalty_kind", "")), fine,
                              d.date)
    return {"title": f"{d.agency}{d.title}（{d.number}）", "source": source,
            "source_sha256": hashlib.sha256(source.encode()).hexdigest(),
            "redactions": [sp.as_dict() for sp in spans], "body": redact.apply(source, spans),
            "summary": text.decision_summary(case, d, who, until=until), "public_until": until, "document": doc}


@refusals.records_refusals(v.REFUSED, "draft", _about_case)
def draft_decision(actor, case: Case, *, document=None) -> Version:
    """公示稿 of the case's decision in force (or of `document`, its replacement after a change)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        spec = profile_for_case(case).publicity
        if spec is None:
            raise ValidationError("本案适用的执法规则配置未规定公示。", code="no_publicity")
        _may(actor, case.agency_id, spec.draft_roles, "拟定公示稿")
        why = excluded_reason(case)
        if why:
            raise ValidationError(f"本案决定不在网上公开：{why}。", code="not_published")
        doc = document or s.current_decision(case)
        if doc is None or doc.record.case_id != case.pk or doc.record.record_type.code != "decision":
            raise ValidationError("本案尚无已签发的决定书：决定书签发后才能拟定公示稿。", code="no_decision")
        if doc.status != DocumentStatus.VALID:
            raise ValidationError(f"决定书（{doc.number.text}）{DocumentStatus(doc.status).label}，不能据以公示。",
                                  code="document_invalid")
        entry = s.decision_entry(case)
        reason = ""
        if entry is not None:
            entry = _lock_entry(entry)
            reason = _redraft_reason(entry, doc)
        else:
            entry = _new_entry(actor, case.agency, EntryKind.DECISION, case=case)
        return _version(actor, entry, reason=reason, **_decision_texts(case, doc, spec))


def _redraft_reason(entry: Entry, doc) -> str:
    """Why the case's entry gets another draft of `doc` ("" before anything was published): the decision
    changed (行政处罚法 48: the changed decision is published again), or a withdrawn one is published again.
    Refused: a draft on its way; the same decision live, or its public period over or ended early."""
    if _open(entry) is not None:
        raise ValidationError("本案已有待审核或待批准的公示稿。", code="open_draft")
    shown = s.published_versions(entry)
    if not shown:
        return ""
    if shown[-1].document_id != doc.pk:
        return f"原决定已变更，公示变更后的决定（{doc.number.text}）"
    now = s.status(entry)
    if now == s.LIVE:
        raise ValidationError("本案决定已公示：如需更正，请在公示条目中更正。", code="published")
    if now != s.WITHDRAWN:
        raise ValidationError(f"本案决定的公示已结束（{s.STATUS_LABELS[now]}），不能再次公示。", code="ended")
    return "撤回后重新公示"


@refusals.records_refusals(v.REFUSED, "redact", _about_version)
def add_redaction(actor, version: Version, fragment: str, category: str) -> Version:
    """Remove every occurrence of `fragment` (e.g. a name the finder did not know): a new version with
    the spans added, before the review."""
    with transaction.atomic():
        entry = _lock_entry(version.entry)
        spec = _spec(entry.agency)
        _may(actor, entry.agency_id, (*spec.draft_roles, *spec.review_roles), "隐去公示内容")
        if s.latest_version(entry).pk != version.pk or s.version_state(version) != s.DRAFT:
            raise ValidationError("只能在最新的待审核公示稿上隐去内容。", code="not_draft")
        if not version.source:
            raise ValidationError("此类公示没有送达文书原文：请直接修改公示内容。", code="no_source")
        if category not in redact.CATEGORIES:
            raise ValidationError("请选择隐去内容的类别。", code="category")
        fragment = _line(fragment, "要隐去的内容", max_length=200)
        spans = redact.manual(version.source, fragment, category)
        if not spans:
            raise ValidationError(f"送达文书中没有“{fragment}”。", code="not_found")
        merged = redact.merge([redact.Span.from_dict(x) for x in version.redactions], spans)
        # The summary quotes the text (违法事实, 处罚内容): what goes from the text goes from it too.
        summary = {k: redact.apply(val, redact.manual(val, fragment, category)) for k, val in version.summary.items()}
        return _version(actor, entry, title=version.title, summary=summary, source=version.source,
                        source_sha256=version.source_sha256, redactions=[sp.as_dict() for sp in merged],
                        body=redact.apply(version.source, merged), document=version.document,
                        public_until=version.public_until, reason=version.reason)


def _step(actor, version: Version, kind: str, action: str, **fields) -> Step:
    row = Step.objects.create(version=version, kind=kind, actor=actor, **fields)
    row = Step.objects.get(pk=row.pk)
    _log(action, actor, row, entry=version.entry.number, version=version.n, kind=kind, passed=row.passed)
    return row


def _current(version: Version, state: str, what: str) -> Entry:
    entry = _lock_entry(version.entry)
    if s.latest_version(entry).pk != version.pk or s.version_state(version) != state:
        raise ValidationError(f"该公示稿不是{what}的最新稿。", code="not_current")
    return entry


@refusals.records_refusals(v.REFUSED, "review", _about_version)
def review(actor, version: Version, *, passed: bool, opinion: str = "", checks=None) -> Step:
    """审核 (LW-P 9): a reviewer of the profile, not the one who drafted it, confirms each item — or
    returns the draft with the opinion."""
    with transaction.atomic():
        entry = _current(version, s.DRAFT, "待审核")
        spec = _spec(entry.agency)
        _may(actor, entry.agency_id, spec.review_roles, "审核公示稿")
        if s.authors(version)[0] == actor.pk:  # a reviewer who only removed more may review (LW-P 9)
            raise PermissionDenied("拟稿人不能审核自己拟定的公示稿（谁公开、谁审核：LW-P 5）。")
        checks = {code: bool((checks or {}).get(code)) for code, _ in REVIEW_CHECKS}
        opinion = _line(opinion, "审核意见", required=not passed, max_length=1000, multiline=True)
        if passed and not all(checks.values()):
            missing = "、".join(label for code, label in REVIEW_CHECKS if not checks[code])
            raise ValidationError(f"审核通过前须逐项确认：{missing}。", code="checks")
        return _step(actor, version, StepKind.REVIEW, v.REVIEW, passed=passed, opinion=opinion, checks=checks)


def _leaks(version: Version) -> list[str]:
    """What still looks like a person's ID or phone number in what the public will read. 事前公开 content
    (LW-P 7 (一)(五): the agency's address and phone, the complaint lines, the account fines are paid
    to) publishes the agency's own numbers: there only an ID number is refused."""
    values = [version.title, version.body, *(str(x) for x in version.summary.values())]
    if version.entry.kind == EntryKind.DECISION:
        allow = tuple(x for x in (version.entry.agency.phone,) if x)
        return [problem for value in values for problem in redact.leaks(value, allow=allow)]
    label = redact.CATEGORIES["id_number"]
    return [f"疑似{label}" for value in values if any(sp.category == "id_number" for sp in redact.find(value))]


def _publishable(version: Version, entry: Entry) -> None:
    """The last guards before a version goes online: nothing that looks like an ID or phone number; the
    text is the served one minus exactly its spans; the decision is still valid and still published by
    the law and the profile (an exemption, or the decision revoked, since the draft)."""
    leaks = _leaks(version)
    if leaks:
        raise ValidationError(f"公示内容仍含疑似个人信息：{'；'.join(leaks[:3])}。请退回隐去后再批准。", code="leaks")
    if version.source or version.source_sha256:
        spans = [redact.Span.from_dict(x) for x in version.redactions]
        if (hashlib.sha256(version.source.encode()).hexdigest() != version.source_sha256
                or redact.check(version.source, version.body, spans)):
            raise ValidationError("公示内容与送达文书去除隐去内容后不一致，不能发布。", code="body_not_source")
    if version.document_id and version.document.status != DocumentStatus.VALID:
        raise ValidationError("公示稿所据的决定书已被撤销或替换，不能发布。", code="document_invalid")
    if entry.case_id:
        why = excluded_reason(entry.case)
        if why:
            raise ValidationError(f"本案决定不在网上公开：{why}。", code="not_published")


@refusals.records_refusals(v.REFUSED, "approve", _about_version)
def approve(actor, version: Version, *, passed: bool, opinion: str = "") -> Step:
    """批准 (LW-P 6: 负责人审定后方可公示): passing publishes the version at once."""
    with transaction.atomic():
        entry = _current(version, s.REVIEWED, "待批准")
        spec = _spec(entry.agency)
        _may(actor, entry.agency_id, spec.approve_roles, "批准公示")
        if actor.pk in s.authors(version)[1] or version.steps.filter(kind=StepKind.REVIEW, actor=actor).exists():
            raise PermissionDenied("拟稿人、审核人不能批准同一公示稿（LW-P 5、6：审核后由负责人审定）。")
        opinion = _line(opinion, "批准意见", required=not passed, max_length=1000, multiline=True)
        if not passed:
            return _step(actor, version, StepKind.APPROVE, v.APPROVE, passed=False, opinion=opinion)
        _publishable(version, entry)
        step = _step(actor, version, StepKind.APPROVE, v.APPROVE, passed=True, opinion=opinion)
        _step(actor, version, StepKind.PUBLISH, v.PUBLISH)
        return step


@refusals.records_refusals(v.REFUSED, "revise", _about_entry)
def revise(actor, entry: Entry, *, reason: str, title: str | None = None, summary: dict | None = None,
           body: str | None = None) -> Version:
    """更正 (LW-P 13) of a published entry — or a change of 事前公开 information (LW-P 11: republished within
    10 working days): a new version, reviewed and approved again. A decision's text is the served one
    minus its redactions: only its summary changes here (more redactions: add_redaction on the new draft)."""
    with transaction.atomic():
        entry = _lock_entry(entry)
        spec = _spec(entry.agency)
        _may(actor, entry.agency_id, spec.draft_roles, "更正公示")
        if _open(entry) is not None:
            raise ValidationError("已有待审核或待批准的公示稿。", code="open_draft")
        if not s.published_versions(entry):
            raise ValidationError("尚未发布的公示无需更正：请审核现有公示稿。", code="not_published")
        base = _live(entry)  # a withdrawn or ended entry is not put back online by a correction
        reason = _line(reason, "更正理由")
        fields = {"title": base.title, "summary": dict(base.summary), "body": base.body, "source": base.source,
                  "source_sha256": base.source_sha256, "redactions": base.redactions, "document": base.document,
                  "public_until": base.public_until}
        if title is not None:
            fields["title"] = _line(title, "标题", max_length=300)
        if summary is not None:
            fields["summary"] = _summary(summary)
        if body is not None:
            if entry.kind == EntryKind.DECISION:
                raise ValidationError("决定的公示内容是送达文书去除隐去内容后的原文，不能改写；"
                                      "需要隐去的，请在新稿上隐去。", code="body_fixed")
            fields["body"] = _line(body, "公示内容", max_length=50000, multiline=True)
        return _version(actor, entry, reason=reason, **fields)


def _summary(summary) -> dict:
    if not isinstance(summary, dict):
        raise ValidationError("摘要格式不正确。", code="summary")
    out = {}
    for k, val in summary.items():
        label = _line(k, "摘要项目", max_length=40)
        out[label] = _line(str(val), label, required=False, max_length=2000, multiline=True)
    return out


def _live(entry: Entry) -> Version:
    shown = s.live_version(entry)
    if shown is None:
        raise ValidationError("该条目当前未在公示。", code="not_live")
    return shown


def _public_reason(entry: Entry, reason, label: str) -> str:
    """A reason the portal shows in the entry's place: no ID or phone number, and no name of the case's
    parties or officers (个人信息保护法 6: no more than its purpose needs)."""
    reason = _line(reason, label)
    if redact.leaks(reason) or (entry.case_id and names_a_person(entry.case_id, reason)):
        raise ValidationError(f"{label}将向社会公开，不能含有姓名、名称、证件号码或电话号码。", code="reason_personal")
    return reason


@refusals.records_refusals(v.REFUSED, "withdraw", _about_entry)
def withdraw(actor, entry: Entry, reason: str) -> Step:
    """撤回 (行政处罚法 48, 85: within 3 working days of the revocation, change or finding of voidness), with
    the reason shown to the public in its place."""
    with transaction.atomic():
        entry = _lock_entry(entry)
        spec = _spec(entry.agency)
        _may(actor, entry.agency_id, spec.approve_roles, "撤回公示")
        shown = _live(entry)
        reason = _public_reason(entry, reason, "撤回理由")
        return _step(actor, shown, StepKind.WITHDRAW, v.WITHDRAW, reason=reason)


@refusals.records_refusals(v.REFUSED, "remove_early", _about_entry)
def remove_early(actor, entry: Entry, reason: str) -> Step:
    """提前撤下 (e.g. 信用修复), refused for the penalties the profile keeps up for their whole term."""
    with transaction.atomic():
        entry = _lock_entry(entry)
        spec = _spec(entry.agency)
        _may(actor, entry.agency_id, spec.approve_roles, "提前撤下公示")
        shown = _live(entry)
        # What was decided, as issued — not the summary, which a correction may have reworded.
        label = text.issued_content(shown.document).get("penalty_kind", "") if shown.document_id else ""
        if text.penalty_code(label) in spec.no_early_removal:
            raise ValidationError(f"处罚种类为“{label}”的决定，公示期满前不得撤下（市场监管公示规定 16）。",
                                  code="no_early_removal")
        reason = _public_reason(entry, reason, "提前撤下的理由")
        return _step(actor, shown, StepKind.REMOVE_EARLY, v.REMOVE, reason=reason)


def expire(now: datetime.datetime | None = None) -> int:
    """到期撤下: a remove step (no actor) for each entry whose public period ended — the page stops
    showing it on the day after `public_until` anyway; the step puts the end in the log. Idempotent."""
    day = timezone.localdate(now) if now else timezone.localdate()
    done = 0
    for version in (Version.objects.filter(public_until__lt=day, steps__kind=StepKind.PUBLISH)
                    .select_related("entry").order_by("id").distinct()):
        with transaction.atomic():
            entry = _lock_entry(version.entry)
            if s.published_versions(entry)[-1].pk != version.pk or s.end_step(entry) is not None:
                continue
            _step(None, version, StepKind.REMOVE, v.REMOVE, reason="公示期满")
            done += 1
    return done


@refusals.records_refusals(v.REFUSED, "exempt", _about_case)
def exempt(actor, case: Case, ground: str, note: str) -> Exemption:
    """不予公开 (政府信息公开条例 14-15; 市场监管公示规定 9): a minor's case, state secrets never; trade secrets
    and privacy unless the party consents or the public interest overrides — the head decides, with why."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        spec = profile_for_case(case).publicity
        if spec is None:
            raise ValidationError("本案适用的执法规则配置未规定公示。", code="no_publicity")
        _may(actor, case.agency_id, spec.approve_roles, "决定不予公开")
        if ground not in ExemptionGround.values:
            raise ValidationError("请选择不予公开的理由。", code="ground")
        entry = s.decision_entry(case)
        if entry is not None and s.status(entry) == s.LIVE:
            raise ValidationError("本案决定正在公示：请先撤回，再决定不予公开。", code="live")
        note = _line(note, "说明")
        doc = s.current_decision(case)
        if Exemption.objects.filter(case=case, document=doc).exists():
            raise ValidationError("本案决定已决定不予公开。", code="exempted")
        row = Exemption.objects.create(case=case, document=doc, ground=ground, note=note,
                                       decided_by=actor)
        row = Exemption.objects.get(pk=row.pk)
        _log(v.EXEMPT, actor, row, case=case.pk, ground=ground)
        return row


# ---- 事前公开 and statistics -------------------------------------------------------------------------


@refusals.records_refusals(v.REFUSED, "draft_content", _about(Entry.ledger_object_type))
def draft_content(actor, kind: str, *, title: str, summary: dict | None = None, body: str = "",
                  year: int | None = None) -> Version:
    """A new 事前公开 entry (LW-P 7: the agency, a matter, a channel, a benchmark) or a year's statistics."""
    with transaction.atomic():
        agency = getattr(actor, "agency", None)
        if agency is None:
            raise PermissionDenied("不属于任何执法机关。")
        spec = _spec(agency)
        _may(actor, agency.pk, spec.draft_roles, "拟定公示稿")
        if kind not in CONTENT_KINDS:
            raise ValidationError("公示类别不正确。", code="kind")
        if kind == EntryKind.STATISTICS:
            if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year:
                raise ValidationError("请填写统计年度。", code="year")
            if Entry.objects.filter(agency=agency, kind=kind, year=year).exists():
                raise ValidationError(f"{year}年度执法数据已有公示条目：请在该条目中更正。", code="exists")
        entry = _new_entry(actor, agency, kind, year=year if kind == EntryKind.STATISTICS else None)
        return _version(actor, entry, title=_line(title, "标题", max_length=300), summary=_summary(summary or {}),
                        body=_line(body, "公示内容", required=False, max_length=50000, multiline=True))


# ---- comments --------------------------------------------------------------------------------------


def comment(entry: Entry, *, kind: str, text: str, name: str = "", contact: str = "") -> Comment:
    """公众意见 (LW-P 12) on an entry the public can read: anonymous (the visitor's address is not kept);
    a name and a way to answer are optional, kept encrypted."""
    if kind not in CommentKind.values:
        raise ValidationError("请选择意见类别。", code="kind")
    body = _line(text, "意见内容", max_length=2000, multiline=True)
    name = _line(name, "姓名", required=False, max_length=50)
    contact = _line(contact, "联系方式", required=False, max_length=100)
    with transaction.atomic():
        if s.live_version(entry) is None:
            raise ValidationError("该条目当前未在公示，不能提交意见。", code="not_live")
        row = Comment.objects.create(entry=entry, kind=kind, text=body, name=name, contact=contact)
        row = Comment.objects.get(pk=row.pk)
        ledger.append_public(v.COMMENT, row.ledger_object_type, row.pk, {"entry": entry.number, "kind": kind},
                             content_sha256=row.ledger_digest())
        return row


@refusals.records_refusals(v.REFUSED, "reply", _about(Comment.ledger_object_type))
def reply(actor, comment_row: Comment, text_: str) -> Reply:
    """答复 (LW-P 12): once per comment, by the agency's people who draft, review or approve."""
    with transaction.atomic():
        comment_row = Comment.objects.select_for_update().select_related("entry").get(pk=comment_row.pk)
        entry = comment_row.entry
        spec = _spec(entry.agency)
        _may(actor, entry.agency_id, (*spec.draft_roles, *spec.review_roles, *spec.approve_roles), "答复公众意见")
        if Reply.objects.filter(comment=comment_row).exists():
            raise ValidationError("该意见已答复。", code="replied")
        body = _line(text_, "答复内容", max_length=2000, multiline=True)
        row = Reply.objects.create(comment=comment_row, text=body, by=actor)
        row = Reply.objects.get(pk=row.pk)
        _log(v.REPLY, actor, row, comment=comment_row.pk, entry=entry.number)
        return row
