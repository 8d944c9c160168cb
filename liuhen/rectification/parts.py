"""What the rectification app shows on the case page (cases/pages.py, registered in ready()): in 送达执行
and after, the case's 责令改正 orders in the order written — each with its 改正期限, the day its re-check is
due (BX 10, LC 23), the re-check's outcome — and, for an officer who may work on the case, the button to
write the record due next (the re-check of the open order, or a first or repeated order)."""
from django.urls import reverse
from django.utils import timezone

from liuhen.cases.models import Stage
from liuhen.profiles import selectors as profiles

from . import selectors as s

TEMPLATE = "rectification/card.html"


def _numbers(chain) -> dict:
    """{order record id: its issued 文号} (documents: not voided)."""
    from liuhen.documents.models import IssuedDocument

    ids = [o.record.id for o in chain]
    return dict(IssuedDocument.objects.filter(record_id__in=ids, number__void__isnull=True)
                .values_list("record_id", "number__text")) if ids else {}


def _next(chain) -> tuple[str, str] | None:
    """(button text, record type code) of the record due next, or None (an order is still being written)."""
    if any(not o.record.complete or o.draft_check is not None for o in chain):
        return None
    if not chain:
        return "制作责令改正通知书", s.ORDER
    last = chain[-1]
    if last.waiting:
        return "制作整改复查记录", s.CHECK
    if last.status(timezone.now()) == s.AGAIN:
        return "再次责令改正", s.ORDER
    return None


def case_page(user, case, *, can_work) -> dict:
    shown = case.stage == Stage.SERVICE and not case.is_archived
    chain = s.chain_of(case) if shown or case.stage == Stage.ARCHIVE else []
    work = shown and can_work and user.certificate_on() is not None
    if not chain and not work:
        return {"rectification": None}
    now = timezone.now()
    numbers = _numbers(chain)
    rows = [{"order": o, "status": o.status(now), "label": o.status_label(now), "number": numbers.get(o.record.id, ""),
             "check": o.check, "draft_check": o.draft_check} for o in chain]
    ctx = {"rows": rows, "days": profiles.profile_for_case(case).execution.recheck_days}
    step = _next(chain) if work else None
    if step is not None:
        ctx["next"] = {"text": step[0], "url": f"{reverse('records:new', args=[case.pk])}?type={step[1]}",
                       "deadline": chain[-1].deadline if step[1] == s.CHECK else None}
    return {"rectification": ctx}


def register() -> None:
    from liuhen.cases import pages as case_pages

    case_pages.register_case_page(case_page)
    case_pages.register_case_part(TEMPLATE)
