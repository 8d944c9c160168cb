"""Stage gates (阶段关口): what must hold before a case may leave a stage.

The cases app does not know what a record is. Apps above it register gates in their
`AppConfig.ready()`: a gate is `fn(case, stage, entered, *, closing=False) -> list[str]` — the
problems, in Chinese, that keep `case` from leaving `stage` (`entered`: when it last entered each
stage, selectors.stage_entries; `closing`: it is being closed at its start, services.close_at_start).
A problem may be a `Problem`, naming the requirement (requirements.Requirement) and the stage it
belongs to, so that `missing_requirements()` can list what is missing as data.

`transition_blockers(case)` asks every gate and the cases app's own rules (officers, parties, start
mode). The records app registers the record requirements (records/gates.py), and a source of
completion times (`register_completion_source`): when a document of a type became complete in a
case — the emergency start's 24-hour clock reads it.
"""
from collections.abc import Callable

from .models import Stage
from .requirements import stage_requirements
from .rules import ON_SITE_OFFICERS, rule_of

Gate = Callable[..., list[str]]
_GATES: dict[str, Gate] = {}
_COMPLETION: list[Callable] = []


class Problem(str):
    """A Chinese problem that names the unmet requirement and the stage it belongs to."""

    def __new__(cls, text: str, *, requirement=None, stage: str = ""):
        self = super().__new__(cls, text)
        self.requirement, self.stage = requirement, stage
        return self


def register_gate(name: str, fn: Gate) -> None:
    _GATES[name] = fn


def registered_gates() -> dict[str, Gate]:
    return dict(_GATES)


def register_completion_source(fn: Callable) -> None:
    """`fn(case, code) -> datetime | None`: when a not-voided document of type `code` in `case`
    became complete (its last required signature), or None."""
    if fn not in _COMPLETION:
        _COMPLETION.append(fn)


_APPROVERS: list[Callable] = []


def register_approver_check(fn: Callable) -> None:
    """`fn(user, case) -> bool`: has `user` approved or reviewed in `case` (signed as 负责人 or
    法制审核人员)? Such a person is not made an officer of the case (services.assign_officer)."""
    if fn not in _APPROVERS:
        _APPROVERS.append(fn)


def approved_in_case(user, case) -> bool:
    return any(fn(user, case) for fn in _APPROVERS)


def completed_at(case, code: str):
    for fn in _COMPLETION:
        at = fn(case, code)
        if at is not None:
            return at
    return None


def _ask(case, stage: str, entered: dict, closing: bool) -> list[str]:
    problems = []
    for gate in _GATES.values():
        problems.extend(gate(case, stage, entered, closing=closing))
    return problems


def missing_requirements(case, stage: str | None = None, entered: dict | None = None, *, closing: bool = False):
    """The requirements of `stage` (default: the current one) the gates report unmet."""
    from .selectors import stage_entries

    stage = stage or case.stage
    entered = entered if entered is not None else stage_entries(case)
    return [p.requirement for p in _ask(case, stage, entered, closing)
            if isinstance(p, Problem) and p.requirement is not None and p.stage == stage]


def own_rules(case, entered: dict, *, closing: bool = False) -> list[str]:
    """The cases app's own rules for leaving 程序启动: officers, parties, start mode."""
    if case.stage != Stage.START or closing:
        # A case closed at its start (不予受理, 不予立案) had no on-site act and, for a complaint,
        # no party yet: the closure document is what it needs (requirements.CLOSURE).
        return []
    problems = []
    if case.on_site:
        # LC 10, LQ 17: two or more officers holding a valid certificate today.
        valid = [co for co in case.officers.select_related("officer") if co.officer.certificate_on() is not None]
        if len(valid) < rule_of(case, ON_SITE_OFFICERS).value:
            problems.append("现场执法应有两名以上持有效执法证的承办人员")
    if case.kind != "inspection" and not case.parties.exists():
        problems.append("尚未登记当事人")
    return problems


def transition_blockers(case, *, closing: bool = False) -> list[str]:
    """Why the case cannot leave its current stage (or, with `closing`, be closed at its start),
    in Chinese; empty when it can."""
    from .selectors import stage_entries

    if case.is_archived:
        return ["案件已归档。"]
    if closing:
        if case.stage != Stage.START:
            return ["只有程序启动阶段的案件可以不予受理或不予立案结案。"]
        if not stage_requirements(case, Stage.START, closed=True):
            return ["只有依申请或举报投诉启动的案件可以不予受理或不予立案结案。"]
    entered = stage_entries(case)
    return _ask(case, case.stage, entered, closing) + own_rules(case, entered, closing=closing)
