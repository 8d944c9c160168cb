"""The case page's 证据复制 part: the case's copy requests with their status, and 申请证据复制 for
whoever may ask (an officer of the case, its unit head) when footage is linked to it. Registered in
CopiesConfig.ready() through the cases app's registry (cases/pages.py). Whoever sees the case page
may read the case; its view is already in the ledger (case.view)."""
from . import selectors, services

TEMPLATE = "copies/case_part.html"


def case_page(user, case, *, can_work) -> dict:
    rows = selectors.case_requests(case)
    for r in rows:
        r.status_code = selectors.status(r)
        r.status_label = selectors.STATUS_LABELS[r.status_code]
        r.status_badge = selectors.STATUS_BADGES[r.status_code]
    may = services.may_request(user, case) and bool(services.linked_items(case))
    return {"copy_requests": rows, "copy_may_request": may}


def register() -> None:
    from liuhen.cases import pages

    pages.register_case_page(case_page)
    pages.register_case_part(TEMPLATE)
