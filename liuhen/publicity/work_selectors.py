"""Reads of the staff's 公示 pages (the workbench /publicity/, a version, an entry, the case card, 我的待办):
who may do what by the agency's profile, what waits for a draft, a review, an approval, a withdrawal or a
reply, the clocks of the first and the last (行政处罚法 48, 85; LW-P 8), and the staff's read of a served
text (with the personal data in it) put in the ledger.

Lists are set-based (a query per list, not per row) and bounded (LIMIT rows): the status of an entry on
the short lists (事前公开, 应撤回, 年度执法数据) is the exception, bounded by LIMIT."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from liuhen.accounts.roles import ADMIN_ROLES, Role
from liuhen.documents.models import DocumentWithdrawal, IssuedDocument, NumberVoid
from liuhen.ledger import services as ledger
from liuhen.profiles.selectors import active_profile, agency_section, profile_for_case
from liuhen.workdays import calendar

from . import redact
from . import selectors as s
from . import vocabulary as v
from .clocks import EXEMPTED, excluded_reason
from .clocks import anchors as publication_anchors
from .models import Comment, Entry, EntryKind, Exemption, Step, StepKind, Version

LIMIT = 200
PAGE_SIZE = 20
CONTENT_KINDS = (EntryKind.AGENCY, EntryKind.MATTER, EntryKind.CHANNEL, EntryKind.BENCHMARK)
ROLE_LABELS = dict(Role.choices)
SUPERSEDED = "superseded"  # a draft another version replaced (history only: version_state knows no successor)


# ---- who -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Powers:
    """What a user may do with the agency's 公示 by its profile: draft (拟稿), review (审核), approve
    (批准, also 撤回, 提前撤下, 不予公开), read (the pages without the served text: a supervisor)."""

    draft: bool = False
    review: bool = False
    approve: bool = False
    read: bool = False

    @property
    def any(self) -> bool:
        return self.draft or self.review or self.approve or self.read

    @property
    def works(self) -> bool:
        """Works the publications: sees the served text (the personal data in it)."""
        return self.draft or self.review or self.approve


def spec_of(agency):
    return active_profile(agency).publicity if agency is not None else None


def powers(user, agency=None) -> Powers:
    """The user's powers over `agency`'s publications (their own agency when None); the three
    administrators never (三员分立: no case content)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "agency_id", None) is None:
        return Powers()
    if user.has_role(*ADMIN_ROLES) or (agency is not None and agency.pk != user.agency_id):
        return Powers()
    spec = agency_section(user.agency_id, "publicity")  # one query (the profile version), no agency row
    if spec is None:
        return Powers()
    return Powers(draft=user.has_role(*spec.draft_roles), review=user.has_role(*spec.review_roles),
                  approve=user.has_role(*spec.approve_roles), read=user.has_role(Role.SUPERVISOR))


def role_names(roles) -> str:
    return "、".join(ROLE_LABELS.get(r, r) for r in roles)


# ---- clocks ----------------------------------------------------------------------------------------

@dataclass
class Clock:
    """A deadline from `start`: the due day (None: the calendar lacks a year), working days left (negative:
    overdue by), overdue."""

    start: datetime.datetime
    period: str
    due: datetime.date | None
    left: int | None
    article: str = ""
    late: bool = False  # the due day has passed (known even when the calendar cannot count the days)

    @property
    def overdue(self) -> bool:
        return self.late

    @property
    def text(self) -> str:
        if self.due is None:
            return f"期限（{self.period}）无法计算：工作日历缺少该年度"
        if self.late and (self.left is None or self.left >= 0):
            return f"已逾期（应于 {self.due:%Y-%m-%d} 前完成，{self.period}）"
        if self.left is None:
            return f"应于 {self.due:%Y-%m-%d} 前完成（{self.period}）"
        if self.left < 0:
            return f"已逾期 {-self.left} 个工作日（应于 {self.due:%Y-%m-%d} 前完成，{self.period}）"
        if self.left == 0:
            return f"今日到期（{self.due:%Y-%m-%d}，{self.period}）"
        return f"还剩 {self.left} 个工作日（{self.due:%Y-%m-%d} 前，{self.period}）"


def clock(profile, deadline_id: str, start: datetime.datetime, today: datetime.date | None = None) -> Clock | None:
    """The profile's deadline `deadline_id` run from `start` (None: the profile has no such deadline)."""
    spec = profile.deadline(deadline_id) if deadline_id else None
    if spec is None:
        return None
    today = today or s.today()
    due_at = calendar.due(start, spec.period.amount, spec.period.unit)
    due = timezone.localtime(due_at).date() if due_at is not None else None
    left = None
    if due is not None:
        if due >= today:
            left = calendar.working_days_between(today, due)
        else:
            late = calendar.working_days_between(due, today)
            left = None if late is None else -late
    return Clock(start, spec.period.label, due, left, spec.article, late=due is not None and due < today)


# ---- 待公示 --------------------------------------------------------------------------------------------

@dataclass
class ToPublish:
    case: object
    document: IssuedDocument
    decided_at: datetime.datetime
    clock: Clock | None
    returned: bool = False  # a draft was returned: drafted anew


def _valid_decisions(q: Q):
    """The valid issued 决定书 matching `q` (not voided, not revoked nor replaced), oldest first."""
    return (IssuedDocument.objects.filter(q, record__record_type__code="decision")
            .filter(~Exists(NumberVoid.objects.filter(number_id=OuterRef("number_id"))),
                    ~Exists(DocumentWithdrawal.objects.filter(document_id=OuterRef("pk"))))
            .select_related("number", "record__case__unit", "record__case__agency").order_by("issued_at", "id"))


def _completion_times(record_ids) -> dict:
    """{record id: its last signature's time} — when the decision record became complete (the anchor
    record.decision.completed of the profile's publicity deadline)."""
    from liuhen.records.models import Signature

    return dict(Signature.objects.filter(record_id__in=record_ids).values("record_id")
                .annotate(at=Max("signed_at")).values_list("record_id", "at"))


def to_publish(agency, *, unit=None, today=None) -> list[ToPublish]:
    """待公示: cases of the agency whose decision is issued and valid, not published (its document),
    not in review or approval, not exempted nor excluded by the profile — oldest first, with the clock
    of the profile's publicity deadline (LW-P 8: 20 working days by default) from the decision's
    completion. `unit`: only that unit's cases (我的待办 of a drafter)."""
    q = Q(record__case__agency=agency, record__case__archived_at__isnull=True)
    if unit is not None:
        q &= Q(record__case__unit=unit)
    docs = {}
    for doc in _valid_decisions(q)[:LIMIT * 2]:
        docs[doc.record.case_id] = doc  # the latest valid one per case
    exempted = set(Exemption.objects.filter(case_id__in=docs).values_list("case_id", flat=True))
    entries = {e.case_id: e for e in Entry.objects.filter(case_id__in=docs, kind=EntryKind.DECISION)
               .prefetch_related("versions__steps")}
    times = _completion_times([d.record_id for d in docs.values()])
    # The profile's rule (procedure, penalty, a minor party) for all the cases at once (clocks.anchors:
    # publication.exempted fires for a decision the rule keeps offline).
    fired = publication_anchors([cid for cid in docs if cid not in exempted])
    out = []
    for case_id, doc in docs.items():
        if case_id in exempted or EXEMPTED in fired.get(case_id, {}):
            continue
        entry = entries.get(case_id)
        returned = False
        if entry is not None:
            versions = sorted(entry.versions.all(), key=lambda x: x.n)
            states = [s.version_state(x, list(x.steps.all())) for x in versions]
            if states[-1] in (s.DRAFT, s.REVIEWED):
                continue  # in review or approval: 待审核 / 待批准
            if any(st == s.PUBLISHED and x.document_id == doc.pk for x, st in zip(versions, states)):
                continue  # this decision was published (live, withdrawn or ended)
            returned = states[-1] == s.RETURNED
        case = doc.record.case
        start = times.get(doc.record_id) or doc.issued_at
        profile = profile_for_case(case)
        out.append(ToPublish(case, doc, start, clock(profile, profile.publicity.deadline, start, today)
                             if profile.publicity else None, returned))
        if len(out) >= LIMIT:
            break
    return out


# ---- 应撤回 --------------------------------------------------------------------------------------------

@dataclass
class ToWithdraw:
    entry: Entry
    version: Version
    withdrawal: DocumentWithdrawal
    clock: Clock | None


def to_withdraw(agency, *, today=None) -> list[ToWithdraw]:
    """应撤回 (行政处罚法 48, 85: within 3 working days): decision entries live whose published version's
    决定书 was revoked or replaced since (a replacement is published anew: draft it from the case)."""
    versions = (Version.objects.filter(entry__agency=agency, entry__kind=EntryKind.DECISION,
                                       steps__kind=StepKind.PUBLISH, document__withdrawal__isnull=False)
                .select_related("entry__case", "document__withdrawal", "document__number").order_by("-n").distinct())
    out, seen = [], set()
    for version in versions[:LIMIT]:
        if version.entry_id in seen:
            continue
        seen.add(version.entry_id)
        entry = version.entry
        live = s.live_version(entry, today)
        if live is None or live.pk != version.pk:
            continue
        w = version.document.withdrawal
        profile = profile_for_case(entry.case)
        out.append(ToWithdraw(entry, version, w, clock(profile, profile.publicity.withdrawal_deadline,
                                                       w.withdrawn_at, today)))
    return out


# ---- 待审核 / 待批准 / 公示中 ----------------------------------------------------------------------------

def _latest():
    return ~Exists(Version.objects.filter(entry_id=OuterRef("entry_id"), n__gt=OuterRef("n")))


def _step(kind, **kw):
    return Exists(Step.objects.filter(version_id=OuterRef("pk"), kind=kind, **kw))


def awaiting_review(agency):
    """The agency's latest versions with no step yet (待审核), oldest first."""
    return (Version.objects.filter(_latest(), ~Exists(Step.objects.filter(version_id=OuterRef("pk"))),
                                   entry__agency=agency)
            .select_related("entry__case", "made_by").order_by("made_at", "id"))


def awaiting_approval(agency):
    """The agency's latest versions reviewed and passed, not yet approved or returned (待批准)."""
    return (Version.objects.filter(_latest(), _step(StepKind.REVIEW, passed=True), ~_step(StepKind.APPROVE),
                                   entry__agency=agency)
            .select_related("entry__case", "made_by").order_by("made_at", "id"))


def live_entries(agency, *, page=1, today=None):
    """公示中 (paged): entries whose latest publication has not ended (no withdrawal or removal after it)
    and whose public period runs today — in the database, not per row."""
    today = today or s.today()
    shown = (Version.objects.filter(entry_id=OuterRef("pk"), steps__kind=StepKind.PUBLISH).order_by("-n"))
    qs = (Entry.objects.filter(agency=agency)
          .annotate(published_at=Max("versions__steps__at", filter=Q(versions__steps__kind=StepKind.PUBLISH)),
                    ended_at=Max("versions__steps__at", filter=Q(versions__steps__kind__in=s.ENDS)),
                    until=Subquery(shown.values("public_until")[:1]), live_n=Subquery(shown.values("n")[:1]),
                    live_title=Subquery(shown.values("title")[:1]))
          .filter(published_at__isnull=False)
          .filter(Q(ended_at__isnull=True) | Q(ended_at__lt=F("published_at")))
          .filter(Q(until__isnull=True) | Q(until__gte=today))
          .order_by("-published_at", "-id"))
    return Paginator(qs, PAGE_SIZE).get_page(page)


def comments_open(agency):
    """公众意见待答复: comments on the agency's entries without a reply, oldest first."""
    return (Comment.objects.filter(entry__agency=agency, reply__isnull=True).select_related("entry")
            .order_by("at", "id")[:LIMIT])


@dataclass
class ContentRow:
    entry: Entry
    status: str
    label: str
    title: str


def content_entries(agency) -> dict:
    """事前公开 entries by kind (label → rows with their status), each kind in EntryKind's order."""
    entries = list(Entry.objects.filter(agency=agency, kind__in=CONTENT_KINDS).order_by("kind", "id")[:LIMIT])
    out = {EntryKind(k).label: [] for k in CONTENT_KINDS}
    for e in entries:
        st = s.status(e)
        latest = s.latest_version(e)
        out[EntryKind(e.kind).label].append(ContentRow(e, st, s.STATUS_LABELS[st], latest.title if latest else ""))
    return out


@dataclass
class YearRow:
    year: int
    entry: Entry | None
    status: str
    label: str
    due: datetime.date | None = None
    overdue: bool = False


def statistics_years(agency, *, today=None) -> list[YearRow]:
    """年度执法数据: each year with an entry, and last year's (due by the profile's statistics_due, e.g.
    01-31: 国办发〔2018〕118号) — overdue when not published by then."""
    today = today or s.today()
    spec = spec_of(agency)
    rows = {}
    for e in Entry.objects.filter(agency=agency, kind=EntryKind.STATISTICS).order_by("-year"):
        st = s.status(e)
        rows[e.year] = YearRow(e.year, e, st, s.STATUS_LABELS[st])
    last = today.year - 1
    row = rows.setdefault(last, YearRow(last, None, s.NEVER, "未拟稿"))
    if spec is not None:
        month, day = (int(x) for x in spec.statistics_due.split("-"))
        row.due = datetime.date(last + 1, month, day)
        row.overdue = row.status in (s.NEVER, s.PENDING) and today > row.due
    return sorted(rows.values(), key=lambda r: -r.year)


# ---- a version's served text ---------------------------------------------------------------------------

@dataclass
class Piece:
    text: str
    category: str = ""  # the redaction's category label ("" for text kept)
    replacement: str = ""
    auto: bool = True


def pieces(version: Version) -> list[Piece]:
    """The served text cut at the redactions: kept text and removed spans (with their category), in order."""
    out, at = [], 0
    source = version.source
    for d in sorted(version.redactions, key=lambda x: x["start"]):
        if d["start"] > at:
            out.append(Piece(source[at:d["start"]]))
        out.append(Piece(source[d["start"]:d["end"]], redact.CATEGORIES.get(d["category"], d["category"]),
                         d.get("replacement", ""), d.get("auto", True)))
        at = max(at, d["end"])
    if at < len(source):
        out.append(Piece(source[at:]))
    return out


def log_source_read(actor, version: Version) -> None:
    """The staff opened a version's served text (with the personal data in it): a ledger read (SPEC §4:
    every read of case content is logged); the detail names the entry and version, never the text."""
    ledger.append(v.VIEW, actor=actor, object_type=version.ledger_object_type, object_id=version.pk,
                  content_sha256=version.source_sha256,
                  detail={"entry": version.entry.number, "version": version.n, "redactions": len(version.redactions)})


# ---- history -----------------------------------------------------------------------------------------

@dataclass
class VersionRow:
    version: Version
    state: str
    label: str
    steps: list = field(default_factory=list)


def history(entry: Entry) -> list[VersionRow]:
    """Every version of the entry, last first, with its steps (who, when, opinion, reason)."""
    rows = []
    for x in entry.versions.select_related("made_by").prefetch_related("steps__actor").order_by("-n"):
        steps = list(x.steps.all())
        st = s.version_state(x, steps)
        if rows and st in (s.DRAFT, s.REVIEWED):  # a later version took its place before it went further
            rows.append(VersionRow(x, SUPERSEDED, "已被新稿取代", steps))
        else:
            rows.append(VersionRow(x, st, s.STATE_LABELS[st], steps))
    return rows


# ---- the case card and 我的待办 --------------------------------------------------------------------------

@dataclass
class CaseCard:
    label: str
    badge: str
    why: str = ""
    entry: Entry | None = None
    version: Version | None = None
    may_draft: bool = False
    may_exempt: bool = False


def case_card(user, case) -> CaseCard | None:
    """公示 of a case with an issued decision: 待拟稿 / 待审核 / 待批准 / 公示中 until … / 已撤回 / 不予公开 /
    不公示 (the profile's reason); None for a case with no issued decision. A fixed number of queries."""
    docs = s.decision_documents(case)
    if not docs:
        return None
    p = powers(user, case.agency)
    exemption = Exemption.objects.filter(case=case).order_by("-at").first()
    entry = s.decision_entry(case)
    card = None
    if entry is not None:
        rows = history(entry)
        latest = rows[0] if rows else None
        st = s.status(entry)
        live = s.live_version(entry)
        if latest is not None and latest.state == s.DRAFT:
            card = CaseCard("待审核", "badge-signing", entry=entry, version=latest.version)
        elif latest is not None and latest.state == s.REVIEWED:
            card = CaseCard("待批准", "badge-signing", entry=entry, version=latest.version)
        elif st == s.LIVE and live is not None:
            until = f"至 {live.public_until:%Y-%m-%d}" if live.public_until else "（长期）"
            card = CaseCard(f"公示中{until}", "badge-done", entry=entry, version=live)
        elif st in (s.WITHDRAWN, s.EXPIRED, s.REMOVED):
            end = s.end_step(entry)
            card = CaseCard(s.STATUS_LABELS[st], "badge-void", why=end.reason if end else "", entry=entry)
    if card is None and exemption is not None:
        card = CaseCard("不予公开", "badge-void", why=f"{exemption.get_ground_display()}：{exemption.note}")
    if card is None:
        why = excluded_reason(case)
        if why:
            card = CaseCard("不公示", "badge-void", why=why)
    if card is None:
        current = s.current_decision(case)
        if current is None:
            card = CaseCard("决定书已撤销或替换", "badge-void", entry=entry)
        else:
            returned = entry is not None and s.version_state(s.latest_version(entry)) == s.RETURNED
            card = CaseCard("待拟稿（已退回）" if returned else "待拟稿", "badge-warn", entry=entry,
                            may_draft=p.draft and not case.is_archived)
    card.may_exempt = p.approve and card.label.startswith("待拟稿")
    return card
