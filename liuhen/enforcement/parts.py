"""What enforcement shows on the case page (cases/pages.py, registered in ready()): in 送达执行, once
the decision was served or an enforcement record exists, a 强制执行 card — the steps done with their
dates, the next possible steps with their earliest dates, the court window (行政强制法 53), what is
missing, and a button to write each next record."""
from __future__ import annotations

from liuhen.cases import access
from liuhen.cases.models import Stage
from liuhen.profiles import selectors as profiles
from liuhen.profiles.spec import ENFORCEMENT_MEASURES
from liuhen.records.catalog import CATALOG
from liuhen.records.selectors import states_for_case

from . import checks
from . import selectors as s

TEMPLATE = "enforcement/card.html"
NAMES = {entry["code"]: entry["name"] for entry in CATALOG}


def _c(r, name: str) -> str:
    return str((r.content or {}).get(name) or "")


def steps(e: s.Enforcement) -> list[dict]:
    """The steps done, in order: {label, date, text, id}."""
    out = []
    if e.reminder is not None:
        served = f"，{e.reminder_served_on:%Y-%m-%d}送达" if e.reminder_served_on else "，尚未送达"
        out.append({"label": "催告", "date": f"{e.reminder_issued_on:%Y-%m-%d}", "id": e.reminder.id,
                    "text": f"履行期限至{_c(e.reminder, 'deadline')}{served}"})
    for r in e.statements:
        out.append({"label": "陈述申辩复核", "date": _c(r, "stated_on"), "id": r.id, "text": _c(r, "adopted")})
    for d in e.decisions:
        out.append({"label": "强制执行决定", "date": _c(d, "decided_on"), "id": d.id, "text": _c(d, "measure_kind")})
        m = e.measures.get(d.id)
        if m is not None:
            out.append({"label": "实施", "date": _c(m, "time").replace("T", " "), "id": m.id,
                        "text": _c(m, "place")})
    for c in e.courts:
        out.append({"label": "申请法院强制执行", "date": _c(c, "applied_on"), "id": c.id,
                    "text": "、".join(x for x in (_c(c, "court"), _c(c, "outcome"), _c(c, "ruled_on")) if x)})
    for p in e.suspensions:
        resumed = f"，{p.resumed_on:%Y-%m-%d}恢复" if p.resumed_on else "，尚未恢复"
        out.append({"label": "中止执行", "date": f"{p.suspended_on:%Y-%m-%d}", "id": None, "text": resumed[1:]})
    if e.termination is not None:
        out.append({"label": "终结执行", "date": _c(e.termination, "ended_on"), "id": e.termination.id,
                    "text": _c(e.termination, "reason")})
    return out


def next_steps(e: s.Enforcement, power) -> list[dict]:
    """The records that may be written next: {code, name, from (earliest date or None), note}."""
    if e.termination is not None or e.court_outcome == s.COURT_DONE:
        return []

    def step(code, start=None, note=""):
        return {"code": code, "name": NAMES[code], "from": start, "note": note}

    if e.reminder is None:
        return [step(s.REMINDER, note="决定送达且当事人逾期不履行后（行政强制法 35）")] if e.served_on else []
    out = [step(s.REMINDER, note="陈述申辩成立、当事人仍应履行的，重新催告（行政强制法 35-36）")] if e.adopted else []
    if e.waiting:
        out.append(step(s.MEASURE, note="按强制执行决定实施，不得在夜间或法定节假日（行政强制法 43）"))
    if power and not e.adopted and not e.decisions_after_reminder and e.decision_open is None:
        out.append(step(s.DECISION, e.earliest_decision, "催告期满仍不履行的（行政强制法 37），须负责人批准"))
    if e.court is None or e.court_pending:
        out.append(step(s.COURT, e.earliest_court if e.court is None else None,
                        "催告书送达后期满仍不履行的（行政强制法 53、54）" if e.court is None else "记录法院的裁定或执行结果"))
    out.append(step(s.STATEMENT, note="当事人收到催告书后有权陈述和申辩（行政强制法 36）"))
    out.append(step(s.SUSPENSION, note="行政强制法 39 所列情形；恢复执行时另行记录恢复日期"))
    out.append(step(s.TERMINATION, note="行政强制法 40 所列情形"))
    return out


def card(case, *, can_work: bool) -> dict | None:
    if case.stage != Stage.SERVICE and not case.is_archived:
        return None
    # The case page's one reading of the records (records.selectors.states_for_case, cached per page).
    has_records = any(st.record.record_type.code in s.CODES for st in states_for_case(case) if not st.voided)
    if case.stage != Stage.SERVICE and not has_records:
        return None
    e = s.for_case(case)
    # Nothing to enforce (the fine paid or none, the order obeyed) and nothing begun: no card.
    if not has_records and (e.served_on is None or not checks.overdue(case, e.today, e)):
        return None
    spec = profiles.profile_for_case(case).execution
    writable = can_work and not case.is_archived and case.stage == Stage.SERVICE
    return {"e": e, "steps": steps(e), "next": next_steps(e, spec.enforcement_power) if writable else [],
            "spec": spec, "power": [label for code, label in ENFORCEMENT_MEASURES if code in spec.enforcement_power]}


def case_page(user, case, *, can_work) -> dict:
    return {"enforcement": card(case, can_work=can_work and access.is_assigned(user, case))}


def register() -> None:
    from liuhen.cases import pages as case_pages

    case_pages.register_case_page(case_page)
    case_pages.register_case_part(TEMPLATE)
