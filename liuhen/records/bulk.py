"""Set-based reads of records for many cases at once (read-only; for the oversight app's scan).

`selectors.state_of` builds one record's state from its ORM rows; a scan of 100 000 cases cannot
afford model instances for two million records. `record_facts(case_ids, case_rows)` reads the same
rows as plain tuples in a fixed number of queries and applies the same rule — the record's pinned
rule (`selectors.rule_of`'s three cases), distinct officers' signatures, the party's signature or
a refusal confirmed by two officers (LQ 17), each capacity signed by a holder of its roles and not
refused (不同意 / 退回) — so that `complete` and `missing` equal `state_of`'s (tested on the demo
and `world` data: liuhen/oversight/tests/test_bulk_equivalence.py).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from operator import itemgetter

from liuhen.common.batches import in_batches

from . import rules
from .models import (Outcome, Record, RecordType, RecordTypeVersion, RefusalConfirmation, RecordVersion, Signature,
                     SignerRole)
from .selectors import CAPACITY_ROLES, MIN_REFUSAL_CONFIRMATIONS, type_rows


class SignatureFact(tuple):
    """One signature as plain facts: a tuple (made in C, no __init__ per row: a scan reads millions)
    read by name. `signed_raw` is the time as the driver gave it (SQLite: UTC text, which sorts as
    the times do; PostgreSQL: a datetime): parsed only when asked for (`signed_at`) — most
    signatures are only compared, never shown. `confirmations`: [(officer_id, confirmed time as the
    driver gave it)] for a party's refusal, () otherwise."""

    __slots__ = ()
    id = property(itemgetter(0))
    role = property(itemgetter(1))
    signer_id = property(itemgetter(2))
    outcome = property(itemgetter(3))
    decision = property(itemgetter(4))
    signer_role = property(itemgetter(5))
    signed_raw = property(itemgetter(6))
    record_id = property(itemgetter(7))
    confirmations = property(itemgetter(8))

    @property
    def signed_at(self) -> datetime.datetime:
        return to_datetime(self.signed_raw)


_UNPARSED = object()


@dataclass(slots=True)
class RecordFact:
    """What the checks need of one record (执法记录), without its content unless asked for."""

    id: int
    case_id: int
    serial: int
    code: str
    name: str
    stage: str
    created_at: datetime.datetime
    voided: bool
    rule: rules.SignatureRule
    signatures: list[SignatureFact]
    missing: list[str] | tuple = ()
    refusals: list[SignatureFact] | tuple = ()  # capacity signatures 不同意 / 退回
    # When the last needed signature came (if complete), as the driver gave it: parsed only when
    # asked for (`completed_at`) — most records' completion time is never looked at.
    completed_raw: object = None
    content: dict | None = None  # the latest version's content (only for the codes asked for)
    content_at: datetime.datetime | None = None  # when that version was written
    # [(officer id, signing time as the driver gave it)]: its signatures as officer by officers whose
    # certificates the reader asked to look at (oversight.facts: those not valid for their whole span)
    officer_signed: list | None = None
    _completed: object = _UNPARSED

    @property
    def completed_at(self) -> datetime.datetime | None:
        """When the last needed signature came (if complete)."""
        if self._completed is _UNPARSED:
            self._completed = to_datetime(self.completed_raw)
        return self._completed

    @completed_at.setter
    def completed_at(self, value) -> None:
        self.completed_raw = self._completed = value

    @property
    def complete(self) -> bool:
        return not self.voided and not self.missing

    @property
    def pending_party_refusal(self) -> bool:
        """A party's refusal to sign that does not yet stand: fewer than two officers confirmed it (LQ 17)."""
        return "当事人拒签须两名执法人员确认" in self.missing


def _groups_of(user_ids) -> dict[int, set[str]]:
    from django.contrib.auth import get_user_model

    through = get_user_model().groups.through
    out: dict[int, set[str]] = {}
    for uid, name in through.objects.filter(user_id__in=user_ids).values_list("user_id", "group__name"):
        out.setdefault(uid, set()).add(name)
    return out




_UTC = datetime.timezone.utc


def to_datetime(value):
    """A datetime column as the driver gives it: PostgreSQL an aware datetime, SQLite the UTC text
    Django wrote ("YYYY-MM-DD HH:MM:SS[.ffffff]"). Plain SQL here: Django's converters (a regex and
    make_aware per value) cost more than the whole check of a record."""
    if type(value) is str:
        try:  # parsing the offset is far cheaper than .replace(tzinfo=...) on the result
            return _fromisoformat(value + "+00:00")
        except ValueError:  # text that carries its own offset
            value = _fromisoformat(value)
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=_UTC)


_fromisoformat = datetime.datetime.fromisoformat


def _dt(column: str) -> str:
    """A datetime column in plain SQL: on SQLite as its text (the driver's own converter would parse
    it with a regex), elsewhere as the driver gives it."""
    from django.db import connection

    return f"CAST({column} AS TEXT)" if connection.vendor == "sqlite" else column


def _json(value):
    import json

    return json.loads(value) if isinstance(value, str) else value


def _rows(sql: str, params) -> list:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


# For other apps' set-based reads (oversight.facts, oversight.engine): the same plain-SQL helpers.
sql_rows = _rows
sql_datetime = _dt


def _summary_columns(s: str = "") -> tuple[list[str], list]:
    """Each record's signatures summed up by the database (grouped in C, not two and a half Python
    rows per record), the columns of signature table alias `s` ("s." or ""): officers' signatures
    (rows, lowest and highest signer: two rows of two officers are two officers), the last
    officer's time, the party's first signature, `odd` — the number of signatures the summary
    cannot judge alone: a party's refusal (its confirmations, LQ 17), a capacity's 不同意 / 退回, a
    capacity signature stored without its role (before roles were stored), an officer's signature
    without a signer — then each capacity's first signature per signer role (`_PIVOT`). Returns
    (expressions, params)."""
    signed, refused = Outcome.SIGNED.value, Outcome.REFUSED.value
    caps = [str(c) for c in CAPACITY_ROLES]
    officer_signed = f"{s}role = %s AND {s}outcome = %s"
    params: list = [_OFFICER, signed] * 4 + [_PARTY, signed]
    # Aggregates with FILTER (SQL:2003; SQLite ≥ 3.30, PostgreSQL ≥ 9.4): a row outside the filter
    # is skipped before the aggregate, cheaper than feeding it a CASE's NULL.
    cols = [f"COUNT(*) FILTER (WHERE {officer_signed})",
            f"MIN({s}signer_id) FILTER (WHERE {officer_signed})",
            f"MAX({s}signer_id) FILTER (WHERE {officer_signed})",
            f"MAX({s}signed_at) FILTER (WHERE {officer_signed})",
            f"MIN({s}signed_at) FILTER (WHERE {s}role = %s AND {s}outcome = %s)"]
    refusing = sorted(rules.REFUSING)
    cols.append(
        f"COUNT(*) FILTER (WHERE ({s}role = %s AND {s}outcome = %s)"
        f" OR ({s}role IN ({','.join(['%s'] * len(caps))}) AND {s}outcome = %s AND {s}signer_id IS NOT NULL"
        f" AND ({s}signer_role IS NULL OR {s}signer_role = '' OR {s}decision IN ({','.join(['%s'] * len(refusing))})))"
        f" OR ({s}role = %s AND {s}outcome = %s AND {s}signer_id IS NULL))")
    params += [_PARTY, refused, *caps, signed, *refusing, _OFFICER, signed]
    for capacity, role in _PIVOT:
        cols.append(f"MIN({s}signed_at) FILTER (WHERE {s}role = %s AND {s}outcome = %s AND {s}signer_id IS NOT NULL "
                    f"AND {s}signer_role = %s)")
        params += [capacity, signed, role]
    return cols, params


def _records_sql(rec_t: str, void_t: str, marks: str) -> str:
    """The records of some cases in serial order, each with its void and its signatures' summary
    (`summary.columns()`: the stored `_summary_columns`, from `_AT_SUMMARY` on; NULLs for a record
    with no signature) in one row, in the order of the (case, serial) index."""
    from .models import SignatureSummary
    from .summary import columns, is_time

    sm = ", ".join(_dt(f"sm.{c}") if is_time(c) else f"sm.{c}" for c in columns())
    return (f"SELECT r.id, r.case_id, r.serial, r.record_type_id, r.stage, {_dt('r.created_at')}, CAST(r.rule AS TEXT), "
            f"r.type_version_id, v.id, {sm} FROM {rec_t} r "
            f"LEFT JOIN {void_t} v ON v.record_id = r.id "
            f"LEFT JOIN {SignatureSummary._meta.db_table} sm ON sm.record_id = r.id "
            f"WHERE r.case_id IN ({marks}) ORDER BY r.case_id, r.serial")


_AT_SUMMARY = 9  # where a record row's summary starts: officer rows, lowest and highest officer,
_AT_CAPS = _AT_SUMMARY + 6  # last officer, party, odd; then the capacities


def _pivot() -> tuple[tuple[str, str], ...]:
    """(capacity, signer role) pairs the summary gives a column: every role that may sign in a capacity."""
    out = []
    for capacity, roles in CAPACITY_ROLES.items():
        every = set().union(*roles.values()) if isinstance(roles, dict) else set(roles)
        out += [(str(capacity), str(r)) for r in sorted(every)]
    return tuple(out)


_PIVOT = _pivot()
_PIVOT_AT = {pair: i for i, pair in enumerate(_PIVOT)}


def record_facts(case_ids, case_rows: dict[int, tuple[str, str]], *, content_codes=frozenset()
                 ) -> dict[int, list[RecordFact]]:
    """{case id: [RecordFact in serial order]} for `case_ids` (`_read_facts`), with the latest content
    of the records of `content_codes` (`_read_content`). While a reading request is served
    (common.memo) a case's records are read once for the page's parts (the oversight checks, the
    publicity clock), the content of a type once too; each part gets copies of its own (the oversight
    facts add to theirs) with the content of the types it asked for only, as if read for it alone."""
    from dataclasses import replace

    from liuhen.common import memo

    case_ids, content_codes = list(dict.fromkeys(case_ids)), frozenset(content_codes)
    if not memo.active():
        out = _read_facts(case_ids, case_rows)
        _read_content([f for facts in out.values() for f in facts], content_codes)
        return out
    kept = memo.remember("records: record_facts", dict)  # {case id: (types whose content is read, facts)}
    new = [cid for cid in case_ids if cid not in kept]
    if new:
        got = _read_facts(new, {cid: case_rows[cid] for cid in new})
        kept.update((cid, (frozenset(), got.get(cid, []))) for cid in new)
    unread = [f for cid in case_ids for f in kept[cid][1]
              if f.code in content_codes - kept[cid][0]]
    _read_content(unread, content_codes)
    out = {}
    for cid in case_ids:
        codes, facts = kept[cid]
        kept[cid] = (codes | content_codes, facts)
        if facts:
            out[cid] = [replace(f) if f.code in content_codes else replace(f, content=None, content_at=None)
                        for f in facts]
    return out


def _read_facts(case_ids, case_rows: dict[int, tuple[str, str]]) -> dict[int, list[RecordFact]]:
    """{case id: [RecordFact in serial order]} for `case_ids`. `case_rows`: {case id: (kind,
    procedure)} (for records made before rules were pinned). Without content (`_read_content`: the AV
    acts and their notes, decisions). A handful of queries per 900 cases, whatever the number of
    records: each record comes with its signatures summed up (`_records_sql`, the stored summary);
    only the few records the summary cannot judge (`odd`, or more officers than the rule asks) have
    their signatures read one by one and judged as `state_of` does (`_judge`).
    `RecordFact.signatures` is filled for those records only."""
    rec_t, void_t = Record._meta.db_table, "records_recordvoid"
    sig_t, conf_t = Signature._meta.db_table, RefusalConfirmation._meta.db_table
    types = {pk: (code, name) for pk, code, _stage, name in type_rows()}
    plans: dict = {}  # rule text -> (rule, its plan)
    out: dict[int, list[RecordFact]] = {}
    by_id: dict[int, RecordFact] = {}
    unpinned: list[tuple[RecordFact, int, int | None, tuple]] = []
    odd: list[RecordFact] = []
    no_signatures = ()
    fromiso, aware = _fromisoformat, to_datetime
    for chunk in in_batches(case_ids):
        marks = ",".join(["%s"] * len(chunk))
        mine, mine_of = None, None
        for row in _rows(_records_sql(rec_t, void_t, marks), chunk):
            rid, cid, serial, type_id, stage, created, rule_text, tv_id, void_id = row[:_AT_SUMMARY]
            code, name = types[type_id]
            created = fromiso(created + "+00:00") if type(created) is str else aware(created)
            f = RecordFact(rid, cid, serial, code, name, stage, created, void_id is not None, None, no_signatures)
            if cid != mine_of:
                mine, mine_of = out.setdefault(cid, []), cid
            mine.append(f)
            by_id[rid] = f
            if rule_text is None:
                unpinned.append((f, type_id, tv_id, row))
                continue
            hit = plans.get(rule_text)
            if hit is None:
                rule = rules.SignatureRule.from_json(_json(rule_text))
                hit = plans[rule_text] = (rule, _plan(rule))
            f.rule = hit[0]
            if not _judge_summary(f, row, hit[1]):
                odd.append(f)
    if unpinned:
        # Made before the rule was pinned on the record (selectors.rule_of): the pinned type
        # version's rule with issue 12's overrides, or (no pinned version) the type's version 1.
        tv_rules = dict(RecordTypeVersion.objects.filter(pk__in={tv for _, _, tv, _ in unpinned if tv})
                        .values_list("pk", "signature_rule"))
        ones = dict(RecordTypeVersion.objects.filter(record_type_id__in={t for _, t, _, _ in unpinned}, number=1)
                    .values_list("record_type_id", "signature_rule"))
        type_rules = dict(RecordType.objects.values_list("pk", "signature_rule"))
        for f, type_id, tv_id, row in unpinned:
            if tv_id is not None:
                kind, procedure = case_rows[f.case_id]
                f.rule = rules.effective_rule(tv_rules[tv_id], kind, procedure, f.code,
                                              overrides=rules.ISSUE_12_OVERRIDES)
            else:
                f.rule = rules.SignatureRule.from_json(ones.get(type_id, type_rules[type_id]))
            if not _judge_summary(f, row, _plan(f.rule)):
                odd.append(f)
    if odd:
        _judge_one_by_one(odd, sig_t, conf_t)
    return out


def _read_content(facts: list[RecordFact], content_codes) -> None:
    """Sets the latest content (and when it was written) of those of `facts` whose type is in
    `content_codes`: one query per 900 records."""
    by_id = {f.id: f for f in facts if f.code in content_codes}
    ver_t = RecordVersion._meta.db_table
    latest: dict[int, int] = {}
    for chunk in in_batches(list(by_id)):
        marks = ",".join(["%s"] * len(chunk))
        for rid, number, content, at in _rows(f"SELECT record_id, number, content, {_dt('created_at')} FROM {ver_t} "
                                              f"WHERE record_id IN ({marks})", chunk):
            if number > latest.get(rid, 0):
                latest[rid] = number
                by_id[rid].content, by_id[rid].content_at = _json(content), to_datetime(at)


def _judge_one_by_one(odd: list[RecordFact], sig_t: str, conf_t: str) -> None:
    """The records the summary could not judge: their signatures read as rows and judged by `_judge`."""
    of = {f.id: f for f in odd}
    for f in odd:
        f.signatures, f.missing, f.refusals, f.completed_at = [], [], [], None
    sigs: dict[int, SignatureFact] = {}
    refused_party: list[int] = []
    party, refused, no_confirmations = SignerRole.PARTY.value, Outcome.REFUSED.value, ()
    for chunk in in_batches(of):
        marks = ",".join(["%s"] * len(chunk))
        for row in _rows(f"SELECT id, role, signer_id, outcome, decision, signer_role, {_dt('signed_at')}, record_id "
                         f"FROM {sig_t} WHERE record_id IN ({marks}) ORDER BY id", chunk):
            if row[1] == party and row[3] == refused:
                s = sigs[row[0]] = SignatureFact(row + ([],))
                refused_party.append(row[0])
            else:
                s = SignatureFact(row + (no_confirmations,))
            of[row[7]].signatures.append(s)
    for chunk in in_batches(refused_party):
        marks = ",".join(["%s"] * len(chunk))
        for sid, officer_id, at in _rows(f"SELECT signature_id, officer_id, {_dt('confirmed_at')} FROM {conf_t} "
                                         f"WHERE signature_id IN ({marks}) ORDER BY id", chunk):
            sigs[sid].confirmations.append((officer_id, at))
    # Signatures made before the role signed as was stored count by their signer's roles (counts_in_capacity).
    old_capacity = {s.signer_id for f in odd for s in f.signatures
                    if s.signer_id and not s.signer_role and s.role in CAPACITY_ROLES}
    groups = _groups_of(old_capacity) if old_capacity else {}
    for f in odd:
        _judge(f, groups)


def _judge_summary(f: RecordFact, row: tuple, plan: tuple) -> bool:
    """`_judge` on the record's summary (`_records_sql`'s row: zero signatures, NULL times when
    nothing was signed); False when the summary cannot tell (the record is then judged signature by
    signature)."""
    officer_rows, lowest, highest, last_officer, party_at, odd = row[_AT_SUMMARY:_AT_CAPS]
    if odd:
        return False
    n_officers, wants_party, caps, columns = plan
    missing, times = [], []
    if officer_rows and officer_rows <= 2:  # one or two rows: one officer or two
        officers = 1 if lowest == highest else 2
    elif officer_rows:
        return False  # three or more officers' signatures: counted one by one
    else:
        officers = 0
    if officers < n_officers:
        missing.append(f"执法人员签字（还差{n_officers - officers}人）")
    elif n_officers:
        if not officers == officer_rows == n_officers:
            return False  # an officer signed twice, or more signed than asked: whose time completes it?
        times.append(last_officer)
    if wants_party:
        if party_at is None:
            missing.append("当事人签字")  # a refusal would have made the summary odd
        else:
            times.append(party_at)
    if caps:
        if columns is None:
            return False  # a role the summary has no column for
        for label, at in columns:
            theirs = [row[i] for i in at if row[i] is not None]
            if theirs:
                times.append(min(theirs))
            else:
                missing.append(f"{label}签字")
    f.missing = missing
    if not f.voided and not missing:
        f.completed_raw = max(times) if times else f.created_at
    return True


def officer_signing_spans(case_ids) -> dict:
    """{officer id: (first, last signing time as the driver gives it)} of the officers who signed
    records of `case_ids` as officer: whose certificates cover the whole span need no look at each
    signature (LC 10)."""
    out: dict = {}
    rec_t, sig_t = Record._meta.db_table, Signature._meta.db_table
    for chunk in in_batches(case_ids):
        marks = ",".join(["%s"] * len(chunk))
        for signer, first, last in _rows(
                f"SELECT signer_id, MIN({_dt('signed_at')}), MAX({_dt('signed_at')}) FROM {sig_t} "
                f"WHERE role = %s AND outcome = %s AND signer_id IS NOT NULL "
                f"AND record_id IN (SELECT id FROM {rec_t} WHERE case_id IN ({marks})) GROUP BY signer_id",
                [_OFFICER, _SIGNED, *chunk]):
            was = out.get(signer)
            out[signer] = (first, last) if was is None else (min(was[0], first), max(was[1], last))
    return out


def officer_signatures(case_ids, signer_ids) -> dict[int, list[tuple]]:
    """{record id: [(officer id, signing time as the driver gives it)]}: the signatures as officer
    of `signer_ids` on records of `case_ids`, in the order they were made."""
    out: dict[int, list[tuple]] = {}
    signer_ids = list(signer_ids)
    if not signer_ids:
        return out
    rec_t, sig_t = Record._meta.db_table, Signature._meta.db_table
    who = ",".join(["%s"] * len(signer_ids))
    for chunk in in_batches(case_ids):
        marks = ",".join(["%s"] * len(chunk))
        for rid, signer, at in _rows(
                f"SELECT record_id, signer_id, {_dt('signed_at')} FROM {sig_t} WHERE role = %s AND outcome = %s "
                f"AND signer_id IN ({who}) AND record_id IN (SELECT id FROM {rec_t} WHERE case_id IN ({marks})) "
                f"ORDER BY id", [_OFFICER, _SIGNED, *signer_ids, *chunk]):
            out.setdefault(rid, []).append((signer, at))
    return out


def _plan(rule) -> tuple:
    """What `rule` asks, precomputed once per distinct rule of a scan: (officers, party,
    [(capacity, its roles, its label)])."""
    caps = tuple((str(c), frozenset(str(r) for r in rule.roles_for(c)), rule.capacity_label(c))
                 for c in CAPACITY_ROLES if rule.requires(c))
    # Where each capacity's signer roles are in `_records_sql`'s row: (label, (column, …)); None
    # when a role has no column there.
    columns = []
    for capacity, roles, label in caps:
        at = [_AT_CAPS + _PIVOT_AT[(capacity, r)] for r in sorted(roles) if (capacity, r) in _PIVOT_AT]
        if len(at) != len(roles):
            columns = None
            break
        columns.append((label, tuple(at)))
    return rule.officers, bool(rule.party), caps, None if columns is None else tuple(columns)



_OFFICER, _PARTY, _SIGNED = SignerRole.OFFICER.value, SignerRole.PARTY.value, Outcome.SIGNED.value
_REFUSED = Outcome.REFUSED.value


def _judge(f: RecordFact, groups: dict[int, set[str]]) -> None:
    """selectors.state_of's rule on plain facts, plus when the record became complete."""
    sigs = f.signatures
    n_officers, wants_party, caps, _ = _plan(f.rule)
    missing, times = [], []
    officers: dict = {}
    for s in sigs:
        if s[1] == _OFFICER and s[3] == _SIGNED and s[2] not in officers:
            officers[s[2]] = s[6]
    if len(officers) < n_officers:
        missing.append(f"执法人员签字（还差{n_officers - len(officers)}人）")
    elif n_officers:
        times.append(sorted(officers.values())[n_officers - 1])
    if wants_party:
        ok_times = []
        pending = False
        for s in sigs:
            if s[1] != _PARTY:
                continue
            if s[3] == _SIGNED:
                ok_times.append(s[6])
            else:
                if s[3] == _REFUSED:
                    pending = True
                if len(s[8]) >= MIN_REFUSAL_CONFIRMATIONS:
                    ok_times.append(sorted(at for _, at in s[8])[MIN_REFUSAL_CONFIRMATIONS - 1])
        if not ok_times:
            missing.append("当事人拒签须两名执法人员确认" if pending else "当事人签字")
        else:
            times.append(min(ok_times))
    for capacity, roles, label in caps:
        theirs = [s for s in sigs if s[1] == capacity and s[3] == _SIGNED and s[2]
                  and (s[5] in roles if s[5] else bool(groups.get(s[2], set()) & roles))]
        refused = [s for s in theirs if s[4] in rules.REFUSING]
        f.refusals.extend(refused)
        if refused:
            missing.append(f"{label}同意（现为“{refused[0].decision}”）")
        elif not theirs:
            missing.append(f"{label}签字")
        else:
            times.append(min(s[6] for s in theirs))
    f.missing = missing
    if not f.voided and not missing:
        f.completed_at = to_datetime(max(times)) if times else f.created_at
