"""What `liuhen verify` asks of the cases app: do cases, their parties (and their corrections),
officers, stage transitions and access grants still say what the log says?

Each Party, CaseOfficer, StageTransition, AccessGrant and revocation row is named (by pk) in the
event that wrote it, so every row must have its event (else: inserted), every event its row (else:
deleted), and each row must still say what its event recorded (else: altered). A CaseOfficer row
slipped in by SQL would give an officer work rights on the case, an AccessGrant row the right to
read it; a StageTransition row would rewrite its history. A party must still be the one its event
hashed, added by the event's actor at the logged time, and its blind index must still be the keyed
hash of its ID number (an index pointed at another person's number makes a search find the wrong
party, even with the ciphertext untouched).

Rows are loaded a chunk of cases at a time; a row that cannot be read (a party whose ciphertext no
longer decrypts) is a finding about that row, and every other row is still checked.
"""
from liuhen.common import crypto
from liuhen.ledger.core.canonical import content_sha256
from liuhen.ledger.subjects import (
    Unreadable, finding, key_of, load_rows, logged_rows, unlogged_ids, unreadable_finding,
)

from . import vocabulary as V
from .models import AccessGrant, AccessGrantRevocation, Case, CaseOfficer, Party, StageTransition

STATE_ACTIONS = V.STATE_ACTIONS


def check(events: dict[str, list]) -> list[dict]:
    from .services import (
        _iso, case_snapshot, grant_detail, grant_snapshot, officer_detail, party_snapshot, revocation_detail,
        revocation_snapshot, transition_detail,
    )

    out = []
    for cid, case, evs in logged_rows(Case.objects.all(), events, prepare=_load_parts):
        obj = f"case:{cid}"
        if case is None:
            out.append(finding("deleted", "案件已不存在，而日志记载了它", obj, evs[0], code=V.E001))
            continue
        if isinstance(case, Unreadable):
            out.append(unreadable_finding("case", case, "案件", evs[0]))
            continue
        # The latest state the log recorded (立案 or the last transition) must be the row's state now.
        states = [ev for ev in evs if ev[2]["action"] in STATE_ACTIONS]
        if states and content_sha256(case_snapshot(case)) != states[-1][2]["content_sha256"]:
            out.append(finding("altered", "案件信息（编号、案由、类别、阶段、归档等）被修改，与日志最后记载的状态不符",
                                obj, states[-1], code=V.E002))
        creates = [ev for ev in evs if ev[2]["action"] == V.CASE_CREATE]
        if creates and "created_at" in (creates[0][2].get("detail") or {}) \
                and creates[0][2]["detail"]["created_at"] != _iso(case.created_at):
            out.append(finding("altered", "立案时间被修改，与立案时日志的记载不符", obj, creates[0], code=V.E003))
        # The profile version the case is held to: as its creation event pinned it (issue 15).
        if creates and "profile_version" in (creates[0][2].get("detail") or {}) \
                and creates[0][2]["detail"]["profile_version"] != case.profile_version_id:
            out.append(finding("altered", "案件适用的执法规则配置版本被修改，与立案时日志的记载不符", obj, creates[0],
                               code=V.E006))
        elif creates and "profile_version" not in (creates[0][2].get("detail") or {}) \
                and case.profile_version_id is not None:
            out.append(finding("altered", "立案时未记载执法规则配置版本，案件却指向了一个版本", obj, creates[0],
                               code=V.E006))

        parts = case.parts
        _check_parties(out, obj, parts.parties, _logged(evs, V.PARTY_ACTIONS, "party", obj, out, "当事人"),
                       party_snapshot, _iso)
        # Officers: who, with which certificate, as lead or not, assigned by whom.
        _compare(out, obj, "officer", parts.officers,
                 _logged(evs, (V.OFFICER_ASSIGN,), "case_officer", obj, out, "承办人员"),
                 lambda co, ev: _same(officer_detail(co), ev, ("officer", "certificate", "lead", "assigned_by", "at")),
                 deleted=("承办人员记录已不存在（被移出案件）", V.E020),
                 altered=(lambda co: "承办人员记录（人员、执法证号、主办、指派人或时间）被修改", V.E021),
                 inserted=("承办人员没有对应的日志条目：有人未经指派获得了办案权限", V.E022))
        # Stage transitions: the history of the case's stage.
        _compare(out, obj, "transition", parts.transitions,
                 _logged(evs, STATE_ACTIONS, "transition", obj, out, "阶段流转"),
                 lambda st, ev: _same(transition_detail(st), ev, ("from", "to", "note", "actor", "at")),
                 deleted=("阶段流转记录已不存在", V.E030),
                 altered=(lambda st: "阶段流转记录（阶段、说明、操作人或时间）被修改", V.E031),
                 inserted=("阶段流转记录没有对应的日志条目", V.E032))
        # Access grants and their revocations: who may read the case, and until when.
        _compare(out, obj, "grant", parts.grants, _logged(evs, (V.GRANT,), "grant", obj, out, "调阅授权"),
                 lambda g, ev: (_same(grant_detail(g), ev, ("user", "scope", "from", "until", "granted_by", "at"))
                                and content_sha256(grant_snapshot(g)) == ev[2].get("content_sha256")),
                 deleted=("调阅授权记录已不存在", V.E040),
                 altered=(lambda g: "调阅授权（人员、范围、期限、理由、授权人或时间）被修改", V.E041),
                 inserted=("调阅授权没有对应的日志条目：有人未经授权获得了调阅权限", V.E042))
        _compare(out, obj, "revocation", parts.revocations,
                 _logged(evs, (V.GRANT_REVOKE,), "revocation", obj, out, "撤销授权"),
                 lambda r, ev: (_same(revocation_detail(r), ev, ("grant", "revoked_by", "at"))
                                and content_sha256(revocation_snapshot(r)) == ev[2].get("content_sha256")),
                 deleted=("撤销调阅授权记录已不存在：被撤销的授权又生效了", V.E043),
                 altered=(lambda r: "撤销调阅授权记录被修改", V.E044),
                 inserted=("撤销调阅授权记录没有对应的日志条目", V.E045))
    for cid in unlogged_ids(Case, events):
        out.append(finding("inserted", "案件没有任何日志条目", f"case:{cid}", code=V.E004))
    return out


class _Parts:
    """A case's rows that the checks read, loaded for a chunk of cases at once."""

    __slots__ = ("parties", "officers", "transitions", "grants", "revocations")

    def __init__(self):
        self.parties, self.officers, self.transitions, self.grants, self.revocations = {}, {}, {}, {}, {}


def _load_parts(cases) -> None:
    """One query per kind of row for a chunk of cases. Parties are read through `load_rows`, which
    hands out an `Unreadable` for a party whose encrypted columns no longer decrypt, instead of
    failing the chunk (and with it every other finding about these cases)."""
    parts = {c.pk: _Parts() for c in cases}
    ids = list(parts)
    party_case = dict(Party.objects.filter(case_id__in=ids).values_list("pk", "case_id"))  # keys alone: always read
    for pk, row in load_rows(Party.objects.all(), list(party_case)).items():
        parts[party_case[int(pk)]].parties[int(pk)] = row
    for co in CaseOfficer.objects.filter(case_id__in=ids).select_related("officer"):
        parts[co.case_id].officers[co.pk] = co
    for st in StageTransition.objects.filter(case_id__in=ids):
        parts[st.case_id].transitions[st.pk] = st
    for g in AccessGrant.objects.filter(case_id__in=ids):
        parts[g.case_id].grants[g.pk] = g
    for r in AccessGrantRevocation.objects.filter(grant__case_id__in=ids).select_related("grant"):
        parts[r.grant.case_id].revocations[r.pk] = r
    for c in cases:
        c.parts = parts[c.pk]


def _check_parties(out, obj, rows: dict, logged: dict, party_snapshot, _iso) -> None:
    for pk, ev in logged.items():
        row, where = rows.get(pk), f"{obj} party:{pk}"
        detail = ev[2].get("detail") or {}
        if row is None:
            out.append(finding("deleted", "当事人已不存在", where, ev, code=V.E010))
        elif isinstance(row, Unreadable):
            out.append(finding("altered", f"当事人的数据库记录无法读取（{row.error}），已被改动", where, ev,
                               code=V.E015))
        elif content_sha256(party_snapshot(row)) != ev[2]["content_sha256"] \
                or detail.get("supersedes") != row.supersedes_id:
            out.append(finding("altered", f"当事人“{row.name}”的信息（或其更正关系、更正理由）被修改", where, ev,
                               code=V.E011))
        elif row.added_by_id != (ev[2].get("actor") or {}).get("id") \
                or ("at" in detail and detail["at"] != _iso(row.added_at)):
            out.append(finding("altered", f"当事人“{row.name}”的登记人或登记时间被修改", where, ev, code=V.E013))
        elif row.id_index != crypto.blind_index(row.id_number):
            out.append(finding("altered", f"当事人“{row.name}”的证件号检索索引被修改，与证件号码不符", where, ev,
                               code=V.E014))
    for pk in rows.keys() - logged.keys():
        out.append(finding("inserted", "当事人没有对应的日志条目", f"{obj} party:{pk}", code=V.E012))


def _compare(out, obj, kind, rows: dict, logged: dict, same, *, deleted, altered, inserted) -> None:
    """Rows of one kind against the events that wrote them, both ways: gone (deleted), changed
    (altered), or present with no event (inserted). Each outcome is (message, code)."""
    for pk, ev in logged.items():
        row, where = rows.get(pk), f"{obj} {kind}:{pk}"
        if row is None:
            out.append(finding("deleted", deleted[0], where, ev, code=deleted[1]))
        elif not same(row, ev):
            out.append(finding("altered", altered[0](row), where, ev, code=altered[1]))
    for pk in rows.keys() - logged.keys():
        out.append(finding("inserted", inserted[0], f"{obj} {kind}:{pk}", code=inserted[1]))


def _logged(evs, actions, key: str, obj: str, out: list, what: str) -> dict:
    """{row pk: the event that wrote it}. A row is written once: a second event naming the same
    row is an attempt to cover a rewrite, and the first claim stands."""
    logged = {}
    for ev in evs:
        if ev[2]["action"] not in actions:
            continue
        pk = key_of((ev[2].get("detail") or {}).get(key))
        if pk is None:
            continue
        if pk in logged:
            out.append(finding("altered", f"{what}记录 #{pk} 在日志中出现了第二次，与首次记载冲突",
                               f"{obj} {key.split('_')[-1]}:{pk}", ev, code=V.E005))
            continue
        logged[pk] = ev
    return logged


def _same(now: dict, ev, keys) -> bool:
    """Does the row (as its detail would be written now) say what the event's detail recorded?
    The username is not compared: a login name may be changed later without touching the case."""
    logged = ev[2].get("detail") or {}
    return all(now.get(k) == logged.get(k) for k in keys)
