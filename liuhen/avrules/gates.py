"""What the avrules app plugs into the cases app (registered in AvrulesConfig.ready()):

- the AV gate (LQ 19, LQ 22, AS 8): a stage cannot be left while an act in it that needs
  audio-video recording has neither footage linked to its record nor an approved
  不适宜音像记录说明, while a break in its footage has no reason noted, or while a recording that
  could not be resumed has no two-officer written note; archiving re-checks every stage, so footage
  unlinked after its stage was left stops the archive;
- the case page's 音像记录 part per stage (status of each act, late / time / interruption flags).

Late storage (LC 31, LQ 23, AS 12) and a written time outside the footage (LW-D 7) are flags, not
gate problems: they describe something past that no later act can cure — the footage is still the
evidence, and blocking the case would only stop its lawful handling; the flag stays on the page.
"""
from liuhen.cases.gates import Problem
from liuhen.cases.models import STAGE_ORDER, Stage

from .selectors import case_av, stage_part


def av_gate(case, stage: str, entered: dict, *, closing: bool = False) -> list[str]:
    if closing:
        return []  # a case closed at its start had no on-site act
    rows = case_av(case)
    problems = [Problem(p, stage=stage) for r in rows if r.record.stage == stage for p in r.problems()]
    if stage == Stage.ARCHIVE:
        for earlier in STAGE_ORDER[:-1]:
            problems += [Problem(f"{Stage(earlier).label}阶段：{p}", stage=earlier)
                         for r in rows if r.record.stage == earlier for p in r.problems()]
    return problems


def case_page(user, case, *, can_work: bool) -> dict:
    from liuhen.cases.access import is_assigned

    # Attaching footage and noting a break are an assigned officer's acts with a valid 执法证
    # (footage.services.link, services.note_interruption): not offered to whom they would refuse.
    av_work = can_work and is_assigned(user, case) and user.certificate_on() is not None
    return {"av_stages": stage_part(case, with_unattached=av_work), "av_work": av_work}


def note_names_an_act(case, record_type, content: dict, *, record=None) -> None:
    """A 不适宜音像记录说明 or 音像记录中断情况说明 names an act record that exists (AS 8, LQ 22):
    refused otherwise (records.content_checks), before it can be signed and approved in advance."""
    from django.core.exceptions import ValidationError

    from .selectors import note_act_problem

    problem = note_act_problem(case, record_type.code, content)
    if problem:
        raise ValidationError(problem, code="av_note_act")


def register() -> None:
    from liuhen.cases import gates, pages
    from liuhen.records.content_checks import register_content_check

    gates.register_gate("avrules", av_gate)
    pages.register_case_page(case_page)
    register_content_check(note_names_an_act)
