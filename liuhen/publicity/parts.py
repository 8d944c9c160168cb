"""What publicity shows on the case page (cases/pages.py, registered in PublicityConfig.ready()): the 公示
card of a case with an issued decision — 待拟稿 / 待审核 / 待批准 / 公示中 until … / 已撤回 / 不予公开 (why) /
不公示 (the profile's reason) — with the links and, for the profile's roles, 拟定公示稿 and 不予公开.
A fixed number of queries whatever the case holds (work_selectors.case_card)."""
from . import work_selectors as ws

TEMPLATE = "publicity/case_part.html"


def case_page(user, case, *, can_work) -> dict:
    p = ws.powers(user, case.agency)
    if not p.any:
        return {"publicity_card": None}
    return {"publicity_card": ws.case_card(user, case)}


def register() -> None:
    from liuhen.cases import pages as case_pages

    case_pages.register_case_page(case_page)
    case_pages.register_case_part(TEMPLATE)
