"""What the checks need of many cases, read set-based (a handful of queries per batch, plain
tuples, no per-case ORM): the case's fields and profile, its stage entries, officers with their
certificates, records with their completion (records.bulk), footage links with recorded and
ingested times and avrules' late verdicts, its parties' kinds, the legal review (法制审核: the
latest 认定 and the latest 送审 with its review, material waits, extension and ruling), and the
publication anchors (公示: publicity.clocks — revoked, replaced, published, exempted, withdrawn, republished).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from liuhen.accounts.models import Certificate
from liuhen.avrules import rules as av_rules
from liuhen.avrules.selectors import NOT_SUITABLE_CODES, late_many
from liuhen.cases.models import Case, CaseOfficer, Party, StageTransition
from liuhen.common.batches import in_batches
from liuhen.delivery import selectors as delivery
from liuhen.footage.models import FootageItem, FootageLink
from liuhen.legalreview.bulk import ReviewFacts, review_facts  # noqa: F401 (ReviewFacts: CaseFacts.review)
from liuhen.legalreview.models import Assessment
from liuhen.profiles.selectors import profile_for_case
from liuhen.publicity import clocks as publication
from liuhen.records import duedates
from liuhen.records.bulk import RecordFact, officer_signatures, officer_signing_spans, record_facts, to_datetime
from liuhen.records.bulk import sql_datetime as _dt
from liuhen.records.bulk import sql_rows as _rows

# Record types whose content the checks read: the 不适宜音像记录说明 (the act they name), the
# 处理意见 and decisions (the facts of the major criteria, legalreview.selectors.case_facts); the
# service records and 送达地址确认书 (when the decision was served: delivery.served_from_facts); and the
# AV acts told apart by their 送达方式 (load()).
_CONTENT_ALWAYS = (frozenset(NOT_SUITABLE_CODES) | {"decision", "handling_opinion"}
                   | set(delivery.SERVICE_CODES) | {delivery.CONFIRMATION})


@dataclass
class FootageFact:
    item_id: int
    record_id: int | None
    stage: str
    kind: str
    name: str
    recorded_end: datetime.datetime | None  # recorded time + duration, as recorded
    ingested_at: datetime.datetime
    late: object = None  # avrules.selectors.LateVerdict or None


@dataclass
class CaseFacts:
    id: int
    number: str
    agency_id: int
    unit_id: int
    kind: str
    procedure: str
    start_mode: str
    on_site: bool
    stage: str
    archived_at: datetime.datetime | None
    created_at: datetime.datetime
    profile: object = None  # profiles.spec.Profile
    first_entered: dict = field(default_factory=dict)  # stage -> first entry time
    last_entered: dict = field(default_factory=dict)  # stage -> latest entry time (stage_entries)
    officers: list = field(default_factory=list)  # [(officer_id, assigned_at)]
    lead_officer_id: int | None = None  # 主办: the officer a finding of the case is counted under
    records: list[RecordFact] = field(default_factory=list)
    footage: list[FootageFact] = field(default_factory=list)
    av_acts: tuple = ()  # avrules AvAct of the agency (profile.av_acts when it has them)
    party_kinds: frozenset = frozenset()  # cases PartyKind values of the current parties
    major: bool | None = None  # the latest 重大执法决定认定 (legalreview.Assessment.major); None before any
    major_facts: dict | None = None  # the facts that 认定 was made on (Assessment.facts)
    review: ReviewFacts | None = None  # the latest 送审, None without one (older data: the record anchors)
    served_at: datetime.datetime | None = None  # the decision served with its proof (anchor delivery.served)
    publication: dict = field(default_factory=dict)  # {anchor name: time} of publicity.clocks.anchors


def _profile_fields() -> list[str]:
    """The case's columns that pin its profile (named *profile*, added by the profiles app)."""
    return [f.attname for f in Case._meta.concrete_fields if "profile" in f.name]


def load(case_ids, *, certificates: dict | None = None, profile_for=None
         ) -> tuple[dict[int, CaseFacts], dict[int, list]]:
    """({case id: CaseFacts}, {officer id: [(valid_from, valid_until, revoked)]}) for `case_ids`.
    `profile_for(case)`: the profile a case is held to (profiles.selectors.profile_for_case)."""
    profile_for = profile_for or profile_for_case
    case_ids = list(case_ids)
    out: dict[int, CaseFacts] = {}
    fields = Case._meta.concrete_fields
    names = [f.attname for f in fields]
    # Plain SQL (records.bulk's helpers): the ORM's converters per value cost more than the checks.
    q = connection.ops.quote_name
    dts = {i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"}
    pins = _profile_fields()
    at = {n: i for i, n in enumerate(names)}
    key_at = [at["agency_id"]] + [at[n] for n in pins]
    profiles: dict[tuple, object] = {}
    agencies = {}
    for chunk in in_batches(case_ids):
        cols = ", ".join(_dt(q(f.column)) if f.get_internal_type() == "DateTimeField" else q(f.column)
                         for f in fields)
        for row in _rows(f"SELECT {cols} FROM {q(Case._meta.db_table)} WHERE id IN ({','.join(['%s'] * len(chunk))})",
                         chunk):
            row = [to_datetime(x) if i in dts else x for i, x in enumerate(row)] if dts else row
            key = tuple(row[i] for i in key_at)
            if key not in profiles:
                # One Case per profile key (profile_for_case takes a case); the others share its profile.
                case = Case(**dict(zip(names, row)))
                case._state.adding, case._state.db = False, "default"
                profiles[key] = profile_for(case)
            g = row.__getitem__
            cf = CaseFacts(g(at["id"]), g(at["number"]), g(at["agency_id"]), g(at["unit_id"]), g(at["kind"]),
                           g(at["procedure"]), g(at["start_mode"]), g(at["on_site"]), g(at["stage"]),
                           g(at["archived_at"]), g(at["created_at"]), profile=profiles[key])
            agencies.setdefault(cf.agency_id, None)
            out[cf.id] = cf
    if not out:
        return out, {}
    from liuhen.accounts.models import Agency

    for agency in Agency.objects.filter(pk__in=list(agencies)):
        agencies[agency.pk] = agency
    act_cache = {}
    for cf in out.values():
        if cf.agency_id not in act_cache:
            act_cache[cf.agency_id] = _av_acts(cf.profile, agencies[cf.agency_id])
        cf.av_acts = act_cache[cf.agency_id]
    # Plain SQL (records.bulk's helpers): the ORM's datetime converter per row costs more than the check.
    trans_t, off_t = StageTransition._meta.db_table, CaseOfficer._meta.db_table
    for chunk in in_batches(case_ids):
        marks = ",".join(["%s"] * len(chunk))
        for cid, to_stage, at in _rows(f"SELECT case_id, to_stage, {_dt('at')} FROM {trans_t} "
                                       f"WHERE case_id IN ({marks}) AND to_stage <> '' ORDER BY id", chunk):
            cf = out[cid]
            at = to_datetime(at)
            cf.first_entered.setdefault(to_stage, at)
            cf.last_entered[to_stage] = at
        for cid, officer_id, at, lead in _rows(f"SELECT case_id, officer_id, {_dt('assigned_at')}, is_lead "
                                               f"FROM {off_t} WHERE case_id IN ({marks}) ORDER BY id", chunk):
            out[cid].officers.append((officer_id, to_datetime(at)))
            if lead or out[cid].lead_officer_id is None:
                out[cid].lead_officer_id = officer_id
    content_codes = set(_CONTENT_ALWAYS) | duedates.content_codes()
    for acts in act_cache.values():
        # Only an act told apart by its record's 送达方式 needs the content to be matched (AvAct.matches).
        content_codes |= {code for a in acts for code, method in a.records if method}
    recs = record_facts(case_ids, {cid: (cf.kind, cf.procedure) for cid, cf in out.items()},
                        content_codes=frozenset(content_codes))
    for cid, rows in recs.items():
        out[cid].records = rows
    _load_legal_review(out, case_ids)
    # Certificates of every officer assigned or who signed (LC 10: a valid 执法证 on the act's day).
    spans = officer_signing_spans(case_ids)
    officer_ids = {o for cf in out.values() for o, _ in cf.officers} | set(spans)
    certs = certificates if certificates is not None else {}
    missing = [o for o in officer_ids if o not in certs]
    for chunk in in_batches(missing):
        for o in chunk:
            certs.setdefault(o, [])
        for holder, vf, vu, revoked in Certificate.objects.filter(holder_id__in=chunk).values_list(
                "holder_id", "valid_from", "valid_until", "revoked"):
            certs[holder].append((vf, vu, revoked))
    # Only the signatures of officers whose certificates do not cover every day they signed on are
    # looked at one by one (check_officers): most officers hold one valid all along.
    tz = timezone.get_current_timezone()
    doubtful = [o for o, (first, last) in spans.items()
                if not covered(certs, o, to_datetime(first).astimezone(tz).date(), to_datetime(last).astimezone(tz).date())]
    if doubtful:
        by_record = officer_signatures(case_ids, doubtful)
        for cf in out.values():
            for r in cf.records:
                r.officer_signed = by_record.get(r.id)
    # Footage linked to the cases (active links), with avrules' late verdicts (LC 31, LQ 23, AS 12).
    # Plain rows (avrules reads the items' attributes, not their model): tens of thousands a scan.
    link_t, item_t = FootageLink._meta.db_table, FootageItem._meta.db_table
    unlink_t = FootageLink._meta.get_field("unlink").related_model._meta.db_table
    links, items = [], {}
    for chunk in in_batches(case_ids):
        for cid, item_id, record_id, stage, kind, name, ingest_id, officer_id, recorded, duration, ingested, agency_id \
                in _rows(
                f"SELECT l.case_id, l.item_id, l.record_id, l.stage, i.kind, i.name, i.ingest_id, i.officer_id, "
                f"{_dt('i.recorded_utc')}, i.duration, {_dt('i.ingested_at')}, i.agency_id FROM {link_t} l "
                f"JOIN {item_t} i ON i.id = l.item_id LEFT JOIN {unlink_t} u ON u.link_id = l.id "
                f"WHERE u.id IS NULL AND l.case_id IN ({','.join(['%s'] * len(chunk))}) ORDER BY l.id", chunk):
            links.append((cid, item_id, record_id, stage))
            if item_id not in items:
                items[item_id] = _Item(item_id, kind, name, ingest_id, officer_id, to_datetime(recorded), duration,
                                       to_datetime(ingested), agency_id)
    if links:
        verdicts = late_many(list(items.values()))
        seen = set()
        for cid, item_id, record_id, stage in links:
            item = items[item_id]
            if item.kind == "sidecar" or (cid, item_id, record_id) in seen:
                continue
            seen.add((cid, item_id, record_id))
            end = (item.recorded_utc + datetime.timedelta(seconds=item.duration or 0)
                   if item.recorded_utc is not None else None)
            out[cid].footage.append(FootageFact(item_id, record_id, stage, item.kind, item.name, end,
                                                item.ingested_at, verdicts.get(item_id)))
    _load_served(out)
    _load_publication(out, case_ids)
    return out, certs


def _load_publication(out: dict[int, CaseFacts], case_ids: list) -> None:
    """The publication anchors (publicity.clocks.anchors), given the decisions read already: a few
    queries a batch."""
    decided = {}
    for cf in out.values():
        d = publication.decided_from(cf.kind, cf.procedure, cf.start_mode, cf.profile, cf.records)
        if d is not None:
            decided[cf.id] = d
    for cid, found in publication.anchors(case_ids, decided=decided).items():
        if cid in out:
            out[cid].publication = found


def _load_served(out: dict[int, CaseFacts]) -> None:
    """When each case's decision counts as served (delivery.served_from_facts): its records' contents are
    loaded already; the files of its service records (附件 or 补充材料) and its decisions' issued 文号 in a query each
    a batch."""
    from liuhen.documents.models import IssuedDocument
    from liuhen.records.selectors import with_files

    service = [r.id for cf in out.values() for r in cf.records if r.code in delivery.SERVICE_CODES and r.complete]
    decisions = [r.id for cf in out.values() for r in cf.records if r.code == delivery.DECISION and r.complete]
    if not service:
        return
    attached, numbers = with_files(service), {}
    for chunk in in_batches(decisions):
        numbers.update(IssuedDocument.objects.filter(record_id__in=chunk, number__void__isnull=True)
                       .values_list("record_id", "number__text"))
    attached = frozenset(attached)
    for cf in out.values():
        if any(r.code in delivery.SERVICE_CODES for r in cf.records):
            cf.served_at = delivery.served_from_facts(
                cf.records, attached=attached, footage_records=frozenset(f.record_id for f in cf.footage),
                decision_numbers=numbers, spec=cf.profile.delivery, av_acts=cf.av_acts)


def _load_legal_review(out: dict[int, CaseFacts], case_ids: list) -> None:
    """The parties' kinds, the latest 认定 and the latest 送审 of each case (review_facts): a few
    queries a batch, however many cases (legalreview is a higher layer than records, read by its rows)."""
    kinds: dict[int, set] = {}
    for chunk in in_batches(case_ids):
        for cid, kind in Party.objects.filter(case_id__in=chunk, superseded_by__isnull=True).values_list(
                "case_id", "kind"):
            kinds.setdefault(cid, set()).add(kind)
        for cid, major, facts in Assessment.objects.filter(case_id__in=chunk).order_by("id").values_list(
                "case_id", "major", "facts"):
            out[cid].major, out[cid].major_facts = major, facts  # the latest row counts
    for cid, found in kinds.items():
        out[cid].party_kinds = frozenset(found)
    for cid, rf in review_facts(case_ids).items():
        out[cid].review = rf


class _Item(NamedTuple):
    """A footage item as avrules.selectors.late_many reads it (its attributes by name)."""

    pk: int
    kind: str
    name: str
    ingest_id: int
    officer_id: int | None
    recorded_utc: datetime.datetime | None
    duration: float | None
    ingested_at: datetime.datetime
    agency_id: int | None = None


def _av_acts(profile, agency) -> tuple:
    """The acts needing AV for the agency: the profile's (as avrules AvActs) when it lists them,
    else avrules' table for the agency (acts_for)."""
    specs = getattr(profile, "av_acts", ()) or ()
    if specs:
        return tuple(av_rules.AvAct(s.id, s.label, tuple(tuple(r) for r in s.records), s.required, tuple(s.kinds),
                                    s.time_field, s.article) for s in specs)
    return av_rules.acts_for(agency)


def covered(certs: dict, officer_id, first: datetime.date, last: datetime.date) -> bool:
    """Did the officer's certificates, one after another, cover every day from `first` to `last`?"""
    day = first
    for vf, vu, _ in sorted(certs.get(officer_id, ())):
        if vf > day:
            break
        if vu >= day:
            day = vu + datetime.timedelta(days=1)
            if day > last:
                return True
    return False


def cert_valid(certs: dict, officer_id, day: datetime.date) -> bool:
    """Did the officer hold a 执法证 valid on `day` (LC 10)? A revocation has no date: it is not
    held against acts before it was recorded, so only the validity dates count for past acts."""
    for vf, vu, _ in certs.get(officer_id, ()):
        if vf <= day <= vu:
            return True
    return False
