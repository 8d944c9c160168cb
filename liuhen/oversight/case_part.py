"""The case page's 期限与问题 card: the case's clocks that are not met yet (article, due date,
state; overdue in red) and its open findings, computed for this case as the page is built (a few
queries: the same set-based reads as the scan, for one case). Registered in OversightConfig.ready()
through the cases app's registry (cases/pages.py)."""
from django.utils import timezone

from .finding_models import ClockStatus

TEMPLATE = "oversight/case_clocks.html"
_SHOWN = (ClockStatus.RUNNING, ClockStatus.DUE_SOON, ClockStatus.OVERDUE, ClockStatus.UNKNOWN, ClockStatus.PAUSED)
_ORDER = {"error": 0, "warning": 1}


def context(user, case, *, can_work) -> dict:
    from . import engine

    now = timezone.now()
    found, clocks = engine.evaluate([case.pk], now=now).get(case.pk, ([], []))
    labels = dict(ClockStatus.choices)
    running = [{"clock": c, "status_label": labels[c.status], "overdue": c.status == ClockStatus.OVERDUE,
                "soon": c.status == ClockStatus.DUE_SOON}
               for c in sorted(clocks, key=lambda c: (c.due_at is None, c.due_at or now)) if c.status in _SHOWN]
    return {"oversight_clocks": running,
            "oversight_findings": sorted(found, key=lambda f: (_ORDER.get(f.severity, 2), f.stage, f.code))}
