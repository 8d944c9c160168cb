"""The 责令改正 gate (cases.gates, registered in ready()): a case does not leave 送达执行 while an order to
correct waits for its re-check (BX 10, LC 23: 依法责令改正的，要按期对改正情况进行核查并进行文字记录)."""
from django.utils import timezone

from liuhen.cases.gates import Problem
from liuhen.cases.models import Stage

from . import selectors as s


def gate(case, stage, entered, *, closing=False) -> list[str]:
    if closing or stage != Stage.SERVICE:
        return []
    now = timezone.now()
    out = []
    for o in s.waiting(s.chain_of(case)):
        due = f"，应于 {o.recheck_on:%Y-%m-%d} 前复查" if o.recheck_on is not None else ""
        late = "，已逾期" if o.status(now) == s.OVERDUE else ""
        out.append(Problem(f"责令改正通知书（第{o.serial}号，整改期限 {o.deadline:%Y-%m-%d}{due}{late}）尚无整改复查记录："
                           f"应当按期核查改正情况并记录（BX 10, LC 23）。", stage=stage))
    return out


def register() -> None:
    from liuhen.cases.gates import register_gate

    register_gate("rectification", gate)
