"""What `liuhen verify` asks of the cases app: do cases, their parties, officers and stage
transitions still say what the log says?

Each Party, CaseOfficer and StageTransition row is named (by pk) in the event that wrote it, so
every row must have its event (else: inserted), every event its row (else: deleted), and each row
must still say what its event recorded (else: altered). A CaseOfficer row slipped in by SQL would
give an officer work rights on the case; a StageTransition row would rewrite its history.
"""
from liuhen.ledger.core.canonical import content_sha256
from liuhen.ledger.subjects import finding, key_of, logged_rows, unlogged_ids

from .models import Case

STATE_ACTIONS = ("case.create", "case.transition")


def check(events: dict[str, list]) -> list[dict]:
    from .services import case_snapshot, officer_detail, party_snapshot, transition_detail

    out = []
    cases = Case.objects.prefetch_related("parties", "officers__officer", "transitions")
    for cid, case, evs in logged_rows(cases, events):
        obj = f"case:{cid}"
        if case is None:
            out.append(finding("deleted", "案件已不存在，而日志记载了它", obj, evs[0]))
            continue
        # The latest state the log recorded (立案 or the last transition) must be the row's state now.
        states = [ev for ev in evs if ev[2]["action"] in STATE_ACTIONS]
        if states and content_sha256(case_snapshot(case)) != states[-1][2]["content_sha256"]:
            out.append(finding("altered", "案件信息（编号、案由、类别、阶段、归档等）被修改，与日志最后记载的状态不符",
                                obj, states[-1]))

        # Parties: the log keeps the hash of each party's data.
        _compare(out, obj, "party", {p.pk: p for p in case.parties.all()},
                 _logged(evs, ("case.party_add",), "party", obj, out, "当事人"),
                 lambda p, ev: content_sha256(party_snapshot(p)) == ev[2]["content_sha256"],
                 deleted="当事人已不存在", altered=lambda p: f"当事人“{p.name}”的信息被修改",
                 inserted="当事人没有对应的日志条目")
        # Officers: who, with which certificate, as lead or not, assigned by whom.
        _compare(out, obj, "officer", {co.pk: co for co in case.officers.all()},
                 _logged(evs, ("case.officer_assign",), "case_officer", obj, out, "承办人员"),
                 lambda co, ev: _same(officer_detail(co), ev, ("officer", "certificate", "lead", "assigned_by", "at")),
                 deleted="承办人员记录已不存在（被移出案件）",
                 altered=lambda co: "承办人员记录（人员、执法证号、主办、指派人或时间）被修改",
                 inserted="承办人员没有对应的日志条目：有人未经指派获得了办案权限")
        # Stage transitions: the history of the case's stage.
        _compare(out, obj, "transition", {st.pk: st for st in case.transitions.all()},
                 _logged(evs, STATE_ACTIONS, "transition", obj, out, "阶段流转"),
                 lambda st, ev: _same(transition_detail(st), ev, ("from", "to", "note", "actor", "at")),
                 deleted="阶段流转记录已不存在",
                 altered=lambda st: "阶段流转记录（阶段、说明、操作人或时间）被修改",
                 inserted="阶段流转记录没有对应的日志条目")
    for cid in unlogged_ids(Case, events):
        out.append(finding("inserted", "案件没有任何日志条目", f"case:{cid}"))
    return out


def _compare(out, obj, kind, rows: dict, logged: dict, same, *, deleted, altered, inserted) -> None:
    """Rows of one kind against the events that wrote them, both ways: gone (deleted), changed
    (altered), or present with no event (inserted)."""
    for pk, ev in logged.items():
        row, where = rows.get(pk), f"{obj} {kind}:{pk}"
        if row is None:
            out.append(finding("deleted", deleted, where, ev))
        elif not same(row, ev):
            out.append(finding("altered", altered(row), where, ev))
    for pk in rows.keys() - logged.keys():
        out.append(finding("inserted", inserted, f"{obj} {kind}:{pk}"))


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
                               f"{obj} {key.split('_')[-1]}:{pk}", ev))
            continue
        logged[pk] = ev
    return logged


def _same(now: dict, ev, keys) -> bool:
    """Does the row (as its detail would be written now) say what the event's detail recorded?
    The username is not compared: a login name may be changed later without touching the case."""
    logged = ev[2].get("detail") or {}
    return all(now.get(k) == logged.get(k) for k in keys)
