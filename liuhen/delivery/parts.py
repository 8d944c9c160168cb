"""What the delivery app shows on the case page (cases/pages.py, registered in DeliveryConfig.ready()):
in 送达执行 and after, each document to serve with its services — the method, when it counts as
served, or the proof still missing (行政处罚法 61)."""
from django.utils import timezone

from liuhen.cases.models import Stage

from . import selectors

CASE_TEMPLATE = "delivery/case_part.html"


def _row(service) -> dict:
    at = service.served_at
    return {"service": service, "status": service.status(), "label": service.status_label,
            "served_at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""}


def case_page(user, case, *, can_work) -> dict:
    if case.stage not in (Stage.SERVICE, Stage.ARCHIVE):
        return {"delivery_part": None}
    items = selectors.documents_to_serve(case)
    if not items:
        return {"delivery_part": None}
    return {"delivery_part": {"items": [{"item": i, "status": i.status, "label": i.status_label,
                                         "services": [_row(s) for s in i.services], "problems": i.problems()}
                                        for i in items]}}


def register() -> None:
    from liuhen.cases import pages as case_pages

    case_pages.register_case_page(case_page)
    case_pages.register_case_part(CASE_TEMPLATE)
