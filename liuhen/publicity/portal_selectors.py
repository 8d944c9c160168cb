"""Reads of the public portal (/public/): what a visitor may see, and nothing else.

An entry is shown only through its live version (selectors.live_version: the latest published version,
not withdrawn or removed, its public period not over); drafts and returned versions never. Lists are
computed in SQL, a page at a time: each entry is annotated with its latest published version, its latest
publication and its latest end (撤回 / 撤下), so a list costs a count, a page of entries and a page of
versions — never a query per row.

The decisions' filters (year, 处罚类别, 当事人) run over the live version's published summary (JSON key
lookups in SQL: 决定日期, 处罚类别, 当事人) — only what the public already reads can be searched, so a
search never confirms an unpublished or masked name. The limit: the summary has no index, so a search
scans the agency's published versions (a few thousand a year at one agency: milliseconds); an agency with
far more would want a searchable column (a party name and year on Version), which this app does not store.
"""
from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Q, Subquery

from liuhen.accounts.models import Agency, Certificate, Unit
from liuhen.profiles.spec import PENALTY_KINDS

from . import redact
from . import selectors as s
from .models import Entry, EntryKind, Step, StepKind, Version

PAGE_SIZE = 20
OFFICERS_PAGE_SIZE = 50
LATEST = 5  # decisions on the home page
MAX_Q = 50
# 执法证号: letters, digits, CJK (a province's prefix), hyphens and brackets; at most the column's 40.
CERTIFICATE_NUMBER = re.compile(r"[0-9A-Za-z\u4e00-\u9fff\-()（）]{4,40}")
PENALTY_LABELS = tuple(label for _code, label in PENALTY_KINDS)


def agency() -> Agency | None:
    """The agency this portal speaks for: the installation's agency (one per installation; with more,
    the first created)."""
    return Agency.objects.order_by("pk").first()


def _live(qs, on: datetime.date):
    """`qs` (entries) with `live_pk`, keeping only those with a live version — selectors.live_version in
    SQL: the latest published version, no withdrawal/removal after the latest publication, and
    public_until (inclusive) not past."""
    published = Version.objects.filter(entry=OuterRef("pk"), steps__kind=StepKind.PUBLISH).order_by("-n")
    last_publish = (Step.objects.filter(version__entry=OuterRef("pk"), kind=StepKind.PUBLISH)
                    .order_by("-at").values("at")[:1])
    last_end = Step.objects.filter(version__entry=OuterRef("pk"), kind__in=s.ENDS).order_by("-at").values("at")[:1]
    return (qs.annotate(live_pk=Subquery(published.values("pk")[:1]),
                        live_until=Subquery(published.values("public_until")[:1]),
                        published_at=Subquery(last_publish), ended_at=Subquery(last_end))
            .filter(live_pk__isnull=False)
            .filter(Q(ended_at__isnull=True) | Q(published_at__gt=F("ended_at")))
            .filter(Q(live_until__isnull=True) | Q(live_until__gte=on)))


@dataclass(frozen=True)
class Item:
    """A live entry and the version the public reads."""

    entry: Entry
    version: Version

    @property
    def rows(self) -> list[tuple[str, str]]:
        # a year's statistics: its body is the table in order; the flattened summary only without one
        if self.entry.kind == EntryKind.STATISTICS and self.version.body:
            return []
        return s.summary_rows(self.version.summary)


def _items(entries) -> list[Item]:
    entries = list(entries)
    versions = Version.objects.in_bulk([e.live_pk for e in entries])
    return [Item(e, versions[e.live_pk]) for e in entries]


def live_items(agency_: Agency, kind: str, *, on: datetime.date | None = None) -> list[Item]:
    """Every live entry of a 事前公开 kind (a handful: the agency, its matters, channels, benchmarks,
    statistics), oldest first."""
    qs = _live(Entry.objects.filter(agency=agency_, kind=kind), on or s.today())
    return _items(qs.order_by("year", "number") if kind == EntryKind.STATISTICS else qs.order_by("number"))


def live_item(number: str, kind: str, *, on: datetime.date | None = None) -> Item | None:
    entry = s.entry_by_number(number)
    if entry is None or entry.kind != kind:
        return None
    version = s.live_version(entry, on)
    return Item(entry, version) if version is not None else None


def statistics_item(agency_: Agency, year: int) -> Item | None:
    entry = Entry.objects.filter(agency=agency_, kind=EntryKind.STATISTICS, year=year).first()
    version = s.live_version(entry) if entry is not None else None
    return Item(entry, version) if version is not None else None


@dataclass(frozen=True)
class DecisionFilter:
    year: int | None = None
    penalty: str = ""  # a 处罚类别 label (profiles.spec.PENALTY_KINDS)
    q: str = ""  # in the published 当事人

    @property
    def active(self) -> bool:
        return bool(self.year or self.penalty or self.q)


def decisions(agency_: Agency, f: DecisionFilter = DecisionFilter(), *, on: datetime.date | None = None):
    """The live decisions matching `f`, newest first (by 公示编号), as a queryset of entries with
    `live_pk` — page it with decision_page."""
    versions = Version.objects.all()
    if f.year:
        versions = versions.filter(summary__决定日期__startswith=f"{f.year}-")
    if f.penalty:
        versions = versions.filter(summary__处罚类别=f.penalty)
    if f.q:
        versions = versions.filter(summary__当事人__icontains=f.q)
    qs = _live(Entry.objects.filter(agency=agency_, kind=EntryKind.DECISION), on or s.today())
    if f.active:
        qs = qs.filter(live_pk__in=versions.values("pk"))
    return qs.order_by("-number")


def decision_page(agency_: Agency, f: DecisionFilter, page: int):
    """(Paginator page, its items); a page past the last raises django's EmptyPage. The live-decision
    query (four subqueries per entry) is built and run once, for the ids of every match — not once to
    count and again for the page —, then the page's entries and versions are read by id."""
    got = Paginator(list(decisions(agency_, f).values_list("pk", "live_pk")), PAGE_SIZE).page(page)
    entries = Entry.objects.in_bulk([pk for pk, _ in got.object_list])
    versions = Version.objects.in_bulk([live for _, live in got.object_list])
    return got, [Item(entries[pk], versions[live]) for pk, live in got.object_list]


def latest_decisions(agency_: Agency) -> list[Item]:
    return _items(decisions(agency_)[:LATEST])


def decision_years(agency_: Agency) -> list[int]:
    """The filter's years, newest first: from the year before the agency's first decision entry (a
    decision of late December is published in January) to this year — one query."""
    first = (Entry.objects.filter(agency=agency_, kind=EntryKind.DECISION).order_by("created_at")
             .values_list("created_at", flat=True).first())
    this = s.today().year
    start = min(first.year - 1, this) if first else this
    return list(range(this, start - 1, -1))


# ---- a decision's page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionPage:
    """What /public/decisions/<number>/ shows: the live version (None when not live) or the notice of its
    end (the withdrawal's public reason and date; 公示期满)."""

    entry: Entry
    status: str
    version: Version | None
    end: Step | None
    redactions: list[tuple[str, int]]  # (category label, how many) — never what was removed
    corrections: list[tuple[Version, datetime.datetime]]  # later published versions: reason, when published
    published_at: datetime.datetime | None

    @property
    def rows(self) -> list[tuple[str, str]]:
        return s.summary_rows(self.version.summary) if self.version else []


def decision_page_of(number: str) -> DecisionPage | None:
    """None for an unknown number, another kind, or an entry never published (a draft is never shown)."""
    entry = s.entry_by_number(number)
    if entry is None or entry.kind != EntryKind.DECISION:
        return None
    state = s.status(entry)
    if state in (s.PENDING, s.NEVER):
        return None
    version = s.live_version(entry) if state == s.LIVE else None
    publications = list(Step.objects.filter(version__entry=entry, kind=StepKind.PUBLISH)
                        .select_related("version").order_by("at", "id"))
    first = {}
    for step in publications:
        first.setdefault(step.version_id, step)
    corrections = [(st.version, st.at) for st in first.values()][1:]
    counts = Counter(sp["category"] for sp in version.redactions) if version else Counter()
    return DecisionPage(
        entry=entry, status=state, version=version, end=s.end_step(entry) if state != s.LIVE else None,
        redactions=[(redact.CATEGORIES.get(c, c), n) for c, n in sorted(counts.items())],
        corrections=corrections if version else [],
        published_at=first[version.pk].at if version and version.pk in first else None)


def decision_document(version: Version):
    """The issued 决定书 a version publishes, with its 文号 (its /v/<token> page is the documents app's)."""
    if version is None or version.document_id is None:
        return None
    return type(version.document).objects.select_related("number").get(pk=version.document_id)


# ---- the agency and its officers ---------------------------------------------------------------------


def units(agency_: Agency) -> list[Unit]:
    return list(Unit.objects.filter(agency=agency_).order_by("pk"))


def officers(agency_: Agency, page: int, *, on: datetime.date | None = None):
    """执法人员 with a certificate valid on `on` (today): a Paginator page of certificates with their holders
    — name and certificate only (never a phone, an ID number or a login name)."""
    on = on or s.today()
    certs = (Certificate.objects.filter(holder__agency=agency_, holder__is_active=True, revoked=False,
                                        valid_from__lte=on, valid_until__gte=on)
             .select_related("holder").only("number", "issued_by", "valid_from", "valid_until", "holder__full_name")
             .order_by("number"))
    return Paginator(certs, OFFICERS_PAGE_SIZE).page(page)


def normal_certificate_number(raw: str) -> str | None:
    """A typed 执法证号 in its stored form (full-width digits and letters made half-width, spaces around it
    dropped), or None when it cannot be one."""
    number = unicodedata.normalize("NFKC", raw or "").strip()
    return number if CERTIFICATE_NUMBER.fullmatch(number) else None


@dataclass(frozen=True)
class Lookup:
    """事中公示: what the portal tells about a certificate number."""

    number: str
    number_sha256: str
    certificate: Certificate | None
    valid_today: bool
    state: str  # valid 有效 / expired 已过期 / not_yet 未生效 / revoked 已注销 / unknown 未查到


def lookup(agency_: Agency, number: str, *, on: datetime.date | None = None) -> Lookup:
    on = on or s.today()
    cert = (Certificate.objects.filter(number=number, holder__agency=agency_)
            .select_related("holder").first())
    if cert is None:
        state = "unknown"
    elif cert.revoked:
        state = "revoked"
    elif on < cert.valid_from:
        state = "not_yet"
    elif on > cert.valid_until:
        state = "expired"
    else:
        state = "valid"
    return Lookup(number, hashlib.sha256(number.encode()).hexdigest(), cert, state == "valid", state)
