"""The publication anchors of a case (公示时限, 行政处罚法 48, 85; LW-P 8, 11), for the oversight clocks
(profiles.spec's docstring names them):

  decision.revoked          the case's 决定书 (an issued document of the decision) revoked: its first
                            DocumentWithdrawal of kind revoked
  decision.replaced         … replaced by a corrected one (变更): the first of kind replaced
  publication.published     the first publish step of the case's decision entry
  publication.exempted      the decision is not to be published: an Exemption row (不予公开), or — no row —
                            the rule (the profile does not publish the case's kind, procedure or penalty,
                            or a party is a minor), then at the decision's completion: met at once; a
                            decision revoked before it was ever published, at the revocation
  publication.withdrawn     the first withdraw step after the revocation; at the revocation when nothing
                            was public then nor published after (nothing to withdraw)
  publication.republished   the first publish step of a version whose document is the replacement; at
                            the replacement when the decision is not published or was never published
                            before (the publicity clock itself then runs)

`anchors(case_ids)` reads them for many cases at once (a handful of queries per batch, never one per
case: the findings scan runs 100 000 cases). `excluded_reason(case)` is the same rule for one case,
in Chinese ("" = to be published), for the services and pages.
"""
from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from django.utils import timezone

from liuhen.cases.models import Case, Kind, Party, PartyKind, Procedure
from liuhen.cases.selectors import current_parties
from liuhen.common.batches import in_batches
from liuhen.documents.models import DocumentWithdrawal, WithdrawalKind
from liuhen.profiles.selectors import profile_for_case, profile_of_version_id
from liuhen.profiles.spec import PENALTY_CODES, PENALTY_LABELS
from liuhen.records.bulk import record_facts

from .models import EntryKind, Exemption, ExemptionGround, Step, StepKind

DECISION = "decision"  # the 决定书's record type, and its issued documents' kind
ADULT_AGE = 18  # 民法典 17: 十八周岁以上的自然人为成年人

REVOKED, REPLACED = "decision.revoked", "decision.replaced"
PUBLISHED, EXEMPTED = "publication.published", "publication.exempted"
WITHDRAWN, REPUBLISHED = "publication.withdrawn", "publication.republished"

_OFFLINE = (StepKind.WITHDRAW, StepKind.REMOVE, StepKind.REMOVE_EARLY)


@dataclass(frozen=True)
class Decided:
    """What the publication rule reads of a case whose 决定书 is complete: the case's kind, procedure
    and start mode, its profile, when a not-voided decision was first complete (the publicity clock's
    start) and the latest complete one's content (the penalty, the decision date)."""

    kind: str
    procedure: str
    start_mode: str
    profile: object
    completed_at: datetime.datetime
    content: dict


def decided_from(kind: str, procedure: str, start_mode: str, profile, records) -> Decided | None:
    """Decided from a case's records (records.bulk.RecordFact, the decisions' content loaded); None
    while no 决定书 is complete."""
    done = [r for r in records if r.code == DECISION and r.complete and r.completed_at is not None]
    if not done:
        return None
    latest = max(done, key=lambda r: (r.completed_at, r.id))
    return Decided(kind, procedure, start_mode, profile, min(r.completed_at for r in done), dict(latest.content or {}))


# ---- the rule ---------------------------------------------------------------------------------------

def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February: the birthday of a non-leap year is 1 March
        return day.replace(year=day.year + years, month=3, day=1)


def birth_date(id_number: str) -> datetime.date | None:
    """The birth date an 18-digit 居民身份证号码 carries (GB 11643: digits 7-14, YYYYMMDD); None for
    anything else (a credit code, a 15-digit number of someone born before 2000, a malformed one)."""
    s = unicodedata.normalize("NFKC", id_number or "").replace(" ", "").replace("-", "").upper()
    if len(s) != 18 or not s[:17].isdigit() or not (s[17].isdigit() or s[17] == "X"):
        return None
    try:
        return datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None


def minor_on(id_number: str, day: datetime.date) -> bool:
    """Was the holder of `id_number` under eighteen on `day`?"""
    born = birth_date(id_number)
    return born is not None and born <= day < _add_years(born, ADULT_AGE)


def decision_date(content: dict, completed_at: datetime.datetime | None) -> datetime.date:
    """The decision's date: its 决定日期 field, else the day it was complete, else today."""
    raw = (content or {}).get("decided_on")
    if isinstance(raw, str):
        try:
            return datetime.date.fromisoformat(raw[:10])
        except ValueError:
            pass
    return timezone.localtime(completed_at or timezone.now()).date()


def rule_reason(profile, kind: str, procedure: str, start_mode: str, content: dict, day: datetime.date,
                person_ids) -> str:
    """Why the rule keeps a decision off the portal, in Chinese ("" = to be published): the profile's
    kinds and procedures (行政处罚法 48: 一般程序), its penalties never published (市场监管公示规定 2:
    仅受到警告的不予公示), a party who is a minor on the decision date (SPEC §6: minors' cases are not
    published online). `person_ids`: the natural-person parties' ID numbers."""
    spec = getattr(profile, "publicity", None)
    if spec is None:
        return "本机关配置未规定公示行政执法决定"
    if not spec.applies.matches(kind, procedure, start_mode):
        return (f"依本机关配置，{Kind(kind).label if kind in Kind.values else kind}"
                f"（{Procedure(procedure).label if procedure in Procedure.values else procedure}）案件的决定不在网上公示"
                f"（{spec.article}）")
    label = (content or {}).get("penalty_kind") or ""
    code = PENALTY_CODES.get(label, label)
    if code and code in spec.exclude_penalties:
        return f"处罚种类为{PENALTY_LABELS.get(code, label)}，依本机关配置不予公示（{spec.article}）"
    if any(minor_on(n, day) for n in person_ids):
        return "当事人为未成年人（决定作出时未满十八周岁），案件不在网上公开"
    return ""


def exemption_reason(ground: str, note: str) -> str:
    label = ExemptionGround(ground).label if ground in ExemptionGround.values else ground
    return f"已决定不予公开：{label}" + (f"（{note}）" if note else "")


def excluded_reason(case, *, content: dict | None = None) -> str:
    """Why `case`'s decision is not published, in Chinese; "" when it is to be published. The same rule
    as the anchors: the profile (kind, procedure, penalty), a minor party, an Exemption row. `content`:
    the decision's content to judge (a 决定书 being printed); by default the latest complete one's."""
    profile, completed_at = profile_for_case(case), None
    if content is None:
        found = _decided({case.pk: (case.kind, case.procedure, case.start_mode, profile)})
        d = found.get(case.pk)
        content, completed_at = (d.content, d.completed_at) if d is not None else ({}, None)
    persons = [p.id_number for p in current_parties(case) if p.kind == PartyKind.PERSON]
    why = rule_reason(profile, case.kind, case.procedure, case.start_mode, content,
                      decision_date(content, completed_at), persons)
    if why:
        return why
    row = Exemption.objects.filter(case=case).order_by("at", "id").values_list("ground", "note").first()
    return exemption_reason(*row) if row is not None else ""


# ---- the anchors of many cases ------------------------------------------------------------------

def _decided(cases: dict) -> dict[int, Decided]:
    """{case id: Decided} from the records ({case id: (kind, procedure, start_mode, profile)})."""
    recs = record_facts(list(cases), {cid: (c[0], c[1]) for cid, c in cases.items()},
                        content_codes=frozenset({DECISION}))
    out = {}
    for cid, rows in recs.items():
        d = decided_from(*cases[cid], rows)
        if d is not None:
            out[cid] = d
    return out


def _read_decided(case_ids) -> dict[int, Decided]:
    cases = {}
    for chunk in in_batches(case_ids):
        for cid, kind, procedure, start_mode, pv in Case.objects.filter(pk__in=chunk).values_list(
                "pk", "kind", "procedure", "start_mode", "profile_version_id"):
            cases[cid] = (kind, procedure, start_mode, profile_of_version_id(pv))
    return _decided(cases) if cases else {}


def _first(out: dict, cid: int, name: str, at) -> None:
    have = out.setdefault(cid, {}).get(name)
    if at is not None and (have is None or at < have):
        out[cid][name] = at


def anchors(case_ids, *, decided: dict[int, Decided] | None = None) -> dict[int, dict[str, datetime.datetime]]:
    """{case id: {anchor name: when it fired}} for `case_ids` (anchors not fired are absent; a case with
    none may be absent). `decided`: {case id: Decided} of the cases whose decision is complete, when the
    caller has read them already (oversight.facts); otherwise read here."""
    case_ids = list(case_ids)
    if decided is None:
        decided = _read_decided(case_ids)
    asked = set(case_ids)
    out: dict[int, dict] = {}
    # The profile and the penalty first: only the decisions they publish need their parties' ID numbers
    # decrypted (a minor's case).
    published = set()
    for cid, d in decided.items():
        if cid not in asked:
            continue
        if _reason(d, ()):
            _first(out, cid, EXEMPTED, d.completed_at)
        else:
            published.add(cid)
    withdrawals: dict[int, list] = {}
    steps: dict[int, list] = {}
    for chunk in in_batches(case_ids):
        for cid, kind, replacement_id, at in (
                DocumentWithdrawal.objects.filter(document__kind=DECISION, document__record__case_id__in=chunk)
                .order_by("withdrawn_at", "id")
                .values_list("document__record__case_id", "kind", "replacement_id", "withdrawn_at")):
            withdrawals.setdefault(cid, []).append((kind, replacement_id, at))
        for cid, kind, at, document_id, until in (
                Step.objects.filter(version__entry__kind=EntryKind.DECISION, version__entry__case_id__in=chunk,
                                    kind__in=(StepKind.PUBLISH, *_OFFLINE))
                .order_by("at", "id")
                .values_list("version__entry__case_id", "kind", "at", "version__document_id",
                             "version__public_until")):
            steps.setdefault(cid, []).append((kind, at, document_id, until))
        for cid, at in Exemption.objects.filter(case_id__in=chunk).values_list("case_id", "at"):
            _first(out, cid, EXEMPTED, at)
        wanted = [cid for cid in chunk if cid in published]
        if wanted:
            for cid, id_number in Party.objects.filter(case_id__in=wanted, kind=PartyKind.PERSON,
                                                       superseded_by__isnull=True).values_list("case_id", "id_number"):
                if _reason(decided[cid], (id_number,)):
                    _first(out, cid, EXEMPTED, decided[cid].completed_at)
    for cid in set(withdrawals) | set(steps):
        _from_steps(out.setdefault(cid, {}), withdrawals.get(cid, ()), steps.get(cid, ()))
    return {cid: found for cid, found in out.items() if found}


def _reason(d: Decided, person_ids) -> str:
    return rule_reason(d.profile, d.kind, d.procedure, d.start_mode, d.content,
                       decision_date(d.content, d.completed_at), person_ids)


def _public_at(steps, at: datetime.datetime) -> bool:
    """Was the decision on the portal at `at`: its last publish / withdraw / removal step before was a
    publish of a version still within its 公示期限?"""
    last = None
    for step in steps:
        if step[1] > at:
            break
        last = step
    if last is None or last[0] != StepKind.PUBLISH:
        return False
    until = last[3]
    return until is None or timezone.localtime(at).date() <= until


def _from_steps(found: dict, withdrawals, steps) -> None:
    published = [s for s in steps if s[0] == StepKind.PUBLISH]
    if published:
        found[PUBLISHED] = published[0][1]
    revoked = next((w for w in withdrawals if w[0] == WithdrawalKind.REVOKED), None)
    replaced = next((w for w in withdrawals if w[0] == WithdrawalKind.REPLACED), None)
    if revoked is not None:
        at = revoked[2]
        found[REVOKED] = at
        if not published or published[0][1] > at:
            # 行政处罚法 48: a revoked decision's information is withdrawn — one not yet published is not published.
            if EXEMPTED not in found or found[EXEMPTED] > at:
                found[EXEMPTED] = at
        after = [s for s in published if s[1] >= at]
        since = after[-1][1] if after else at  # published again after the revocation: withdraw that
        gone = next((s[1] for s in steps if s[0] == StepKind.WITHDRAW and s[1] >= since), None)
        if gone is None and not after and not _public_at(steps, at):
            gone = at  # nothing public to withdraw: met at once
        if gone is not None:
            found[WITHDRAWN] = gone
    if replaced is not None:
        at, replacement = replaced[2], replaced[1]
        found[REPLACED] = at
        again = next((s[1] for s in published if s[2] == replacement), None)
        if again is None and (EXEMPTED in found or not any(s[1] <= at for s in published)):
            again = at  # nothing was published to change: the publicity clock covers the decision
        if again is not None:
            found[REPUBLISHED] = again
