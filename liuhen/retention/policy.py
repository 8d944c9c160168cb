"""保存期限 — the retention of each footage file, derived from what the system knows. Pure functions
over `Facts` (loaded in a bounded number of queries by `load_facts`); `verdict(item, as_of)` is the
one answer the purge command, the pages and the tests share.

The rules (《水行政执法全过程记录工作规定》LW-D 11-12, 《…音像记录…》LQ 27-29), their values from the
`retention:` section of the agency profile (conf.py says which profile and why):

- **raw** (原始音像资料): kept at least `raw_months` (6) months (LW-D 11), counted from the later of
  the recording time and the ingest time — a file taken in late is still kept six months in custody;
- **evidence** (作为证据使用): kept as long as its case file (LW-D 11): while the case it is linked
  to (a current link) is not archived it is never purged; once archived, `case_file_years` after
  the archiving;
- **long_term** (长期保存, LW-D 12): (一) the party objected, complained or petitioned about the
  act — a ground on the case covers all footage linked to it; (二) the officers were evaded,
  refused, obstructed, insulted or assaulted — a ground on the footage item; (三) other important
  situations, by decision (on a case or an item). `long_term_years` (None: permanent), counted as
  raw footage is.

**The longest applicable retention wins**; a sidecar follows its video. A legal hold (法律保全)
stops any purge whatever the class (LQ 29: no record destroyed on one's own). A file goes only
when its retention ran out, nothing holds it, and it was announced to its custodians
`notice_days` before; it is first removed (recoverable for `recovery_days`), then its bytes purged.
"""
import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from liuhen.profiles.spec import RetentionSpec

from . import conf
from .models import GroundKind

RAW, EVIDENCE, LONG_TERM = "raw", "evidence", "long_term"
CLASS_LABELS = {RAW: "原始音像资料", EVIDENCE: "作为证据使用", LONG_TERM: "长期保存"}
CLASS_BASIS = {RAW: "LW-D 11：保存不少于6个月", EVIDENCE: "LW-D 11：与案卷保存期限相同",
               LONG_TERM: "LW-D 12：长期保存"}
# When two classes give the same date, the stronger one names it.
_RANK = {RAW: 0, EVIDENCE: 1, LONG_TERM: 2}

GROUND_ARTICLES = {"objection": "LW-D 12（一）", "obstruction": "LW-D 12（二）", "important": "LW-D 12（三）"}

# Where a file stands (the `stage` of the listing).
KEPT = "kept"              # within its retention (or held, linked to an open case, long-term)
ANNOUNCE = "announce"      # its retention ends within notice_days: to be announced
ANNOUNCED = "announced"    # announced; not yet removable
REMOVE = "remove"          # expired, announced long enough: to be removed
REMOVED = "removed"        # removed, within its recovery period
PURGE = "purge"            # removed and its recovery period over: its bytes to be purged
PURGED = "purged"          # its bytes purged (the SHA-256 stays in the log)


@dataclass
class CaseFact:
    case_id: int
    number: str
    archived_at: datetime.datetime | None
    case_file_years: int = 0  # of the profile the case was opened under (0: none to add)


@dataclass
class GroundFact:
    kind: str
    on: str  # "case" / "item"
    made_at: datetime.datetime


@dataclass
class Facts:
    """What the system knows of one file (of its video, for a sidecar)."""

    recorded_utc: datetime.datetime | None
    ingested_at: datetime.datetime
    cases: list[CaseFact] = field(default_factory=list)      # current (not unlinked) links
    grounds: list[GroundFact] = field(default_factory=list)  # not withdrawn
    holds: int = 0                                           # holds in force (on the item or its cases)
    notices: dict = field(default_factory=dict)              # {due date: announced_at}
    removal: object = None                                   # the removal in force (not restored)
    restored_at: datetime.datetime | None = None             # the latest restoration
    purged_at: datetime.datetime | None = None               # the blob's purge
    needed_elsewhere: bool = False                           # another kept item or a record needs the bytes
    rules: RetentionSpec = field(default_factory=RetentionSpec)  # of the file's agency (active profile)


@dataclass
class Verdict:
    item_id: int
    sha256: str
    retention_class: str
    retention_until: datetime.date | None  # None: not while a case is open / permanent
    held: bool
    open_case: bool
    purge: bool
    reason: str
    stage: str
    grounds: list[str]
    notice_due: datetime.date | None = None
    recoverable_until: datetime.datetime | None = None
    recovery_days: int = 7  # of the file's agency: how long a removal it makes is recoverable

    @property
    def class_label(self) -> str:
        return CLASS_LABELS[self.retention_class]

    def as_json(self) -> dict:
        return {"sha256": self.sha256, "item": self.item_id, "class": self.retention_class,
                "retention_until": self.retention_until.isoformat() if self.retention_until else None,
                "purge": self.purge, "held": self.held, "open_case": self.open_case, "reason": self.reason,
                "stage": self.stage}


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def custody_start(facts: Facts) -> datetime.date:
    """The later of the recording time and the ingest time (a file taken in late is still kept the
    whole period in custody)."""
    start = facts.ingested_at
    if facts.recorded_utc is not None and facts.recorded_utc > start:
        start = facts.recorded_utc
    return _day(start)


def _longer(a, b) -> bool:
    """Is retention `a` (a date or None = without end) longer than `b`?"""
    if a is None:
        return b is not None
    return b is not None and a > b


def classify(facts: Facts) -> tuple[str, datetime.date | None, bool, list[str]]:
    """(class, retention_until, open_case, grounds): every applicable retention, the longest wins."""
    start, rules = custody_start(facts), facts.rules
    options = [(RAW, start + relativedelta(months=rules.raw_months))]
    grounds = [f"原始音像资料：{start.isoformat()} 起保存 {rules.raw_months} 个月（LW-D 11）"]
    open_case = False
    for c in facts.cases:
        if c.archived_at is None:
            open_case = True
            options.append((EVIDENCE, None))
            grounds.append(f"关联案件 {c.number} 尚未归档：与案卷同期保存（LW-D 11）")
        else:
            # The longer of the agency's value now and the case's own profile's (conf.py: why).
            years = max(rules.case_file_years, c.case_file_years)
            until = _day(c.archived_at) + relativedelta(years=years)
            options.append((EVIDENCE, until))
            grounds.append(f"关联案件 {c.number} 已于 {_day(c.archived_at).isoformat()} 归档："
                           f"与案卷同期保存 {years} 年（LW-D 11）")
    for g in facts.grounds:
        years = rules.long_term_years
        options.append((LONG_TERM, None if years is None else start + relativedelta(years=years)))
        where = "案件" if g.on == "case" else "音像记录"
        grounds.append(f"长期保存：{GroundKind(g.kind).label}（{where}，{GROUND_ARTICLES[g.kind]}，"
                       f"{_day(g.made_at).isoformat()} 登记）")
    best_class, best_until = options[0]
    for cls, until in options[1:]:
        if _longer(until, best_until) or (until == best_until and _RANK[cls] > _RANK[best_class]):
            best_class, best_until = cls, until
    return best_class, best_until, open_case, grounds


def _fmt(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def verdict(item, as_of: datetime.datetime, facts: Facts | None = None) -> Verdict:
    """Where `item` stands at `as_of`: its class and retention, whether it may be purged, why, and
    what a purge run does with it (`stage`). `facts` default to a fresh load for this one item."""
    if facts is None:
        facts = load_facts([item])[item.pk]
    today = _day(as_of)
    cls, until, open_case, grounds = classify(facts)
    held = facts.holds > 0
    v = Verdict(item_id=item.pk, sha256=item.blob_id, retention_class=cls, retention_until=until, held=held,
                open_case=open_case, purge=False, reason="", stage=KEPT, grounds=grounds,
                notice_due=until, recovery_days=facts.rules.recovery_days)
    if facts.purged_at is not None:
        v.purge, v.stage = True, PURGED
        v.reason = f"存储文件已于 {_fmt(facts.purged_at)} 清除（SHA-256 与清除事件保留在日志中）"
        return v
    notice_days, label = facts.rules.notice_days, CLASS_LABELS[cls]
    # What stops a purge, strongest first (the listing says the first that applies).
    if held:
        v.reason = "法律保全中，不得清理（LQ 29：不得擅自毁损、删除音像资料）"
    elif open_case:
        numbers = "、".join(c.number for c in facts.cases if c.archived_at is None)
        v.reason = f"关联的案件 {numbers} 尚未归档：与案卷同期保存，不得清理（LW-D 11）"
        if cls == LONG_TERM:
            v.reason += "；并应长期保存（LW-D 12）"
    elif until is None:
        v.reason = f"长期保存（{'；'.join(g.removeprefix('长期保存：') for g in grounds if g.startswith('长期保存'))}），不得清理"
    elif today <= until:
        v.reason = f"{label}，保存期限至 {until.isoformat()}（{CLASS_BASIS[cls]}），未到期"
        announced = facts.notices.get(until)
        if announced is not None:
            v.stage = ANNOUNCED
            v.reason += f"；已于 {_fmt(announced)} 公告，到期后清理"
        elif (until - today).days < notice_days:
            v.stage = ANNOUNCE
            v.reason += f"；{notice_days} 日内到期，公告清理"
    if v.reason:
        if facts.removal is not None:  # removed before something now stops it: it waits, restorable
            v.stage = REMOVED
            v.recoverable_until = facts.removal.recoverable_until
            v.reason += f"；已移除，请于 {_fmt(facts.removal.recoverable_until)} 前恢复" \
                if facts.removal.recoverable_until > as_of else "；已移除，存储文件不清除，请恢复"
        return v
    # The retention ran out and nothing holds it.
    v.purge = True
    expired = f"{label}保存期限已于 {until.isoformat()} 届满（{CLASS_BASIS[cls]}），未保全、未关联未归档案件、非长期保存"
    if facts.removal is not None:
        v.recoverable_until = facts.removal.recoverable_until
        if facts.removal.recoverable_until > as_of:
            v.stage = REMOVED
            v.reason = f"{expired}；已于 {_fmt(facts.removal.removed_at)} 移除，可于 {_fmt(v.recoverable_until)} 前恢复"
        elif facts.needed_elsewhere:
            v.purge, v.stage = False, REMOVED
            v.reason = f"{expired}；已移除，但同一存储文件仍被其他记录（附件、补充材料）使用，不清除存储文件"
        else:
            v.stage = PURGE
            v.reason = f"{expired}；已移除且恢复期已过：清除存储文件（SHA-256 与清除事件保留在日志中）"
        return v
    announced = facts.notices.get(until)
    if announced is None:
        v.stage = ANNOUNCE
        v.reason = f"{expired}；尚未公告：本次公告，{notice_days} 日后方可移除"
        return v
    ready = _day(announced) + datetime.timedelta(days=notice_days)
    if facts.restored_at is not None:
        # A restored file is not removed again before its custodians had notice_days to act.
        ready = max(ready, _day(facts.restored_at) + datetime.timedelta(days=notice_days))
    if today < ready:
        v.stage = ANNOUNCED
        v.reason = f"{expired}；已于 {_fmt(announced)} 公告，{ready.isoformat()} 起可移除"
        return v
    v.stage = REMOVE
    v.reason = f"{expired}；已于 {_fmt(announced)} 公告满 {notice_days} 日：移除（可于 {facts.rules.recovery_days} 日内恢复）"
    return v


# ---- facts, for many items in a bounded number of queries --------------------------------------

def load_facts(items) -> dict[int, Facts]:
    """{item pk: Facts} for `items` (a sidecar gets its video's links, grounds and holds, and its own
    notices, removal and purge)."""
    from django.db.models import Q

    from liuhen.footage.models import FootageItem, FootageLink
    from liuhen.media.purge import needed_elsewhere
    from liuhen.media.models import BlobPurge

    from .models import LegalHold, LongTermGround, PurgeNotice, Removal, Restoration

    items = list(items)
    if not items:
        return {}
    videos = {}
    missing = {it.video_id for it in items if it.video_id} - {it.pk for it in items}
    if missing:
        videos = {v.pk: v for v in FootageItem.objects.filter(pk__in=missing)}
    subject = {it.pk: (videos.get(it.video_id) or next((x for x in items if x.pk == it.video_id), it))
               if it.video_id else it for it in items}
    subject_ids = {s.pk for s in subject.values()}

    links: dict[int, list] = {}
    for lk in (FootageLink.objects.filter(item_id__in=subject_ids, unlink__isnull=True)
               .select_related("case").order_by("linked_at", "pk")):
        links.setdefault(lk.item_id, []).append(CaseFact(lk.case_id, lk.case.number, lk.case.archived_at,
                                                         conf.for_case(lk.case).case_file_years))
    case_ids = {c.case_id for cs in links.values() for c in cs}

    about = Q(item_id__in=subject_ids) | Q(case_id__in=case_ids)
    grounds_by_item, grounds_by_case = {}, {}
    # In force: not itself a withdrawal (release), and not withdrawn (released) by a later row.
    for g in LongTermGround.objects.filter(about, withdraws__isnull=True, withdrawal__isnull=True):
        fact = GroundFact(g.kind, "case" if g.case_id else "item", g.made_at)
        if g.item_id:
            grounds_by_item.setdefault(g.item_id, []).append(fact)
        else:
            grounds_by_case.setdefault(g.case_id, []).append(fact)
    holds_by_item, holds_by_case = {}, {}
    for h in LegalHold.objects.filter(about, releases__isnull=True, release__isnull=True):
        target = holds_by_item if h.item_id else holds_by_case
        key = h.item_id or h.case_id
        target[key] = target.get(key, 0) + 1

    pks = [it.pk for it in items]
    notices: dict[int, dict] = {}
    for n in PurgeNotice.objects.filter(item_id__in=pks).order_by("announced_at", "pk"):
        notices.setdefault(n.item_id, {})[n.due] = n.announced_at
    removals = {r.item_id: r for r in Removal.objects.filter(item_id__in=pks, restoration__isnull=True)
                .order_by("removed_at", "pk")}
    restored = {}
    for r in Restoration.objects.filter(removal__item_id__in=pks).select_related("removal").order_by("restored_at"):
        restored[r.removal.item_id] = r.restored_at
    shas = {it.blob_id for it in items}
    purges = dict(BlobPurge.objects.filter(blob_id__in=shas).values_list("blob_id", "purged_at"))
    # Whether other rows need the bytes matters only to a removed item (verdict: clear its bytes or
    # not), and asks a dozen tables: not asked for the others (a case page's footage, mostly).
    removed = {it.blob_id for it in items if it.pk in removals}
    elsewhere = needed_elsewhere(removed - set(purges)) if removed else set()

    # One profile lookup per agency, however many files (a purge run covers every agency).
    rules = {agency_id: conf.for_agency(agency_id) for agency_id in {s.agency_id for s in subject.values()}}
    out = {}
    for it in items:
        s = subject[it.pk]
        cases = links.get(s.pk, [])
        grounds = list(grounds_by_item.get(s.pk, []))
        holds = holds_by_item.get(s.pk, 0)
        for c in cases:
            grounds += grounds_by_case.get(c.case_id, [])
            holds += holds_by_case.get(c.case_id, 0)
        out[it.pk] = Facts(recorded_utc=s.recorded_utc, ingested_at=s.ingested_at, cases=cases, grounds=grounds,
                           holds=holds, notices=notices.get(it.pk, {}), removal=removals.get(it.pk),
                           restored_at=restored.get(it.pk), purged_at=purges.get(it.blob_id),
                           needed_elsewhere=it.blob_id in elsewhere, rules=rules[s.agency_id])
    return out


def verdicts(items, as_of: datetime.datetime) -> list[Verdict]:
    """`verdict` for many items, their facts loaded together."""
    items = list(items)
    facts = load_facts(items)
    return [verdict(it, as_of, facts[it.pk]) for it in items]
