"""The 送达 gate (cases.gates, registered in ready()): a case does not leave 送达执行, nor is it archived,
until its decision is served with its method's proof (行政处罚法 61)."""
from liuhen.cases.gates import Problem
from liuhen.cases.models import Stage

from . import selectors


def gate(case, stage, entered, *, closing=False) -> list[str]:
    if closing or stage not in (Stage.SERVICE, Stage.ARCHIVE):
        return []
    item = selectors.decision_service(case)
    if item is None:
        return []
    return [Problem(p, stage=stage) for p in item.problems()]


def register() -> None:
    from liuhen.cases.gates import register_gate

    register_gate("delivery", gate)
