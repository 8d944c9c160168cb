"""The case page's footage part (音像记录): the footage linked to the case, stage by stage, each with
its poster frame and a link to its playback page. Registered in FootageConfig.ready() through the
cases app's registry (cases/pages.py): cases shows it without importing footage. Whoever sees the
case page may read the case, and so (selectors.may_see) its linked footage; the page's view is
already in the ledger (case.view), each playback is logged when it is opened."""
from liuhen.cases.models import STAGE_ORDER

from . import selectors

TEMPLATE = "footage/case_part.html"


def case_page(user, case, *, can_work) -> dict:
    by_stage = selectors.case_footage_by_stage(case)
    # The derived flags (e.g. retention's class and legal hold, avrules' late storage) beside each; a
    # case with no footage asks nothing (the providers' queries would be built only to find no row).
    items = [lk.item for links in by_stage.values() for lk in links]
    if items:
        selectors.with_derived_flags(items)
    stages = [{"stage": s, "label": s.label, "links": by_stage.get(s, [])} for s in STAGE_ORDER]
    return {"footage_stages": stages, "footage_count": sum(len(x["links"]) for x in stages)}


def register() -> None:
    from liuhen.cases import pages

    pages.register_case_page(case_page)
    pages.register_case_part(TEMPLATE)
