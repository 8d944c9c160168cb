"""The 强制执行 gate (cases.gates, registered in ready()): a case does not leave 送达执行 while an
enforcement decision waits for its measure (行政强制法 37) or a court application has no result
(57-58) — unless execution was terminated (40)."""
from liuhen.cases.gates import Problem
from liuhen.cases.models import Stage

from . import selectors as s


def problems(e: s.Enforcement) -> list[str]:
    if e.termination is not None:
        return []
    out = [f"{(d.content or {}).get('decided_on', '')}作出的强制执行决定（{(d.content or {}).get('measure_kind', '')}）"
           "尚未实施，应当记录实施情况或终结执行（行政强制法 37、40）" for d in e.waiting]
    if e.court_pending:
        c = e.court.content or {}
        out.append(f"{c.get('applied_on', '')}向{c.get('court', '')}申请强制执行，尚无法院的裁定或执行结果"
                   "（行政强制法 57-58）")
    return out


def gate(case, stage, entered, *, closing=False) -> list[str]:
    if closing or stage != Stage.SERVICE or not case.records.filter(record_type__code__in=s.CODES).exists():
        return []
    return [Problem(p, stage=stage) for p in problems(s.for_case(case))]


def register() -> None:
    from liuhen.cases.gates import register_gate

    register_gate("enforcement", gate)
