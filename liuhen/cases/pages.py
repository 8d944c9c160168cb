"""What apps above cases put on the case pages (the records of each stage, what awaits a
leader's signature), registered in their `AppConfig.ready()`: the cases app shows them without
importing those apps.

- `register_case_page(fn)`: `fn(user, case, *, can_work) -> dict`, merged into the case page's context
  (e.g. "timeline": the five stages with their records, "record_types": what may be added now);
- `register_case_list(fn)`: `fn(user) -> dict`, merged into the case list's context ("awaiting");
- `register_case_part(template)`: a template of its own shown on the case page below the stages
  (its data comes from a `register_case_page` function), e.g. the case's footage by stage.
"""
from collections.abc import Callable
from contextlib import contextmanager

from .models import STAGE_ORDER
from .requirements import stage_requirements

_CASE_PAGE: list[Callable] = []
_CASE_LIST: list[Callable] = []
_CASE_PARTS: list[str] = []


def register_case_page(fn: Callable) -> None:
    if fn not in _CASE_PAGE:
        _CASE_PAGE.append(fn)


def register_case_list(fn: Callable) -> None:
    if fn not in _CASE_LIST:
        _CASE_LIST.append(fn)


def register_case_part(template: str) -> None:
    if template not in _CASE_PARTS:
        _CASE_PARTS.append(template)


def outline(case) -> list[dict]:
    """The five stages with their status and requirements, with no records (what the page shows
    when no app contributes a timeline)."""
    from .selectors import closed_at_start, stage_entries, stage_status

    entered = stage_entries(case)
    closed = closed_at_start(entered)
    return [{"stage": s, "label": s.label, "index": i + 1, "status": stage_status(case, s, entered), "states": [],
             "requirements": [{"names": list(r), "met": False, "basis": r.basis}
                              for r in stage_requirements(case, s, closed=closed)]}
            for i, s in enumerate(STAGE_ORDER)]


@contextmanager
def one_reading(case):
    """While the case page is built, what the apps above derive from the case (the records' states)
    is read once and shared by the gates, the emergency clock and the timeline (issue 12 review
    §11): `page_cache(case)` is a dict for them inside the block, None outside it — so a service
    that writes and then checks (advance) always reads afresh."""
    case._page_cache = {}
    try:
        yield case
    finally:
        del case._page_cache


def page_cache(case) -> dict | None:
    return getattr(case, "_page_cache", None)


def case_page_context(user, case, *, can_work: bool) -> dict:
    ctx = {"record_types": [], "case_parts": list(_CASE_PARTS)}
    for fn in _CASE_PAGE:
        ctx.update(fn(user, case, can_work=can_work))
    if "timeline" not in ctx:
        ctx["timeline"] = outline(case)
    return ctx


def case_list_context(user) -> dict:
    ctx = {"awaiting": []}
    for fn in _CASE_LIST:
        ctx.update(fn(user))
    return ctx
